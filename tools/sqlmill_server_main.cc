// sqlmill-server: the all-in-one server (every implemented service on one port).
#include <iostream>
#include <string>
#include <vector>

#include "tools/serve_command.h"

int main(int argc, char** argv) {
  return sqlmill::RunServeCommand(std::vector<std::string>(argv + 1, argv + argc), std::cout,
                                  std::cerr);
}

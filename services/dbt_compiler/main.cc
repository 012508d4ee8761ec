// dbt-compiler-server: the dbt_compiler service alone (flags → options → RunServer).
// `dbt-compiler-server --help` lists the flags; the all-in-one sqlmill-server hosts the same
// service beside the others.
#include <iostream>
#include <string>
#include <vector>

#include "common/server/limits_flags.h"
#include "common/server/server_runtime.h"
#include "services/dbt_compiler/service/dbt_compiler_service.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  sqlmill::ServerOptions server;
  server.server_name = "dbt-compiler-server";
  sqlmill::DbtCompilerServiceOptions service;
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      std::cout << "usage: dbt-compiler-server [flags]\n\n"
                << sqlmill::ServerFlagsHelp() << sqlmill::LimitsFlagsHelp();
      return 0;
    }
  }
  absl::Status s = sqlmill::ParseServerFlags(&args, &server);
  if (s.ok()) s = sqlmill::ParseLimitsFlags(&args, &service.limits);
  if (s.ok() && !args.empty()) s = absl::InvalidArgumentError("unknown argument '" + args[0] + "'");
  if (!s.ok()) {
    std::cerr << "dbt-compiler-server: " << s.message() << "\n";
    return 2;
  }
  sqlmill::DbtCompilerServiceImpl compiler(service);
  s = sqlmill::RunServer(server, {{"sqlmill.v1.DbtCompilerService", &compiler}});
  if (!s.ok()) {
    std::cerr << "dbt-compiler-server: " << s.message() << "\n";
    return 1;
  }
  return 0;
}

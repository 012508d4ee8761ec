// sql-parser-server: the sql_parser service alone (flags → options → RunServer).
// `sql-parser-server --help` lists the flags; the all-in-one sqlmill-server hosts the same
// service beside the others.
#include <iostream>
#include <string>
#include <vector>

#include "common/server/limits_flags.h"
#include "common/server/server_runtime.h"
#include "services/sql_parser/service/sql_parser_service.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  sqlmill::ServerOptions server;
  server.server_name = "sql-parser-server";
  sqlmill::SqlParserServiceOptions service;
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      std::cout << "usage: sql-parser-server [flags]\n\n"
                << sqlmill::ServerFlagsHelp() << sqlmill::LimitsFlagsHelp();
      return 0;
    }
  }
  absl::Status s = sqlmill::ParseServerFlags(&args, &server);
  if (s.ok()) s = sqlmill::ParseLimitsFlags(&args, &service.limits);
  if (s.ok() && !args.empty()) s = absl::InvalidArgumentError("unknown argument '" + args[0] + "'");
  if (!s.ok()) {
    std::cerr << "sql-parser-server: " << s.message() << "\n";
    return 2;
  }
  sqlmill::SqlParserServiceImpl parser(service);
  s = sqlmill::RunServer(server, {{"sqlmill.v1.SqlParserService", &parser}});
  if (!s.ok()) {
    std::cerr << "sql-parser-server: " << s.message() << "\n";
    return 1;
  }
  return 0;
}

// schema-validator-server: the schema_validator service alone (flags → options → RunServer).
// `schema-validator-server --help` lists the flags; the all-in-one sqlmill-server hosts the
// same service beside the others.
#include <iostream>
#include <string>
#include <vector>

#include "common/server/limits_flags.h"
#include "common/server/server_runtime.h"
#include "services/schema_validator/service/schema_validator_service.h"
#include "services/schema_validator/validate_command.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  sqlmill::ServerOptions server;
  server.server_name = "schema-validator-server";
  sqlmill::validator::SchemaValidatorServiceOptions service;
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      std::cout << "usage: schema-validator-server [flags]\n\n"
                << sqlmill::ServerFlagsHelp() << sqlmill::LimitsFlagsHelp();
      return 0;
    }
  }
  absl::Status s = sqlmill::ParseServerFlags(&args, &server);
  if (s.ok()) s = sqlmill::ParseLimitsFlags(&args, &service.limits);
  if (s.ok() && !args.empty()) s = absl::InvalidArgumentError("unknown argument '" + args[0] + "'");
  if (!s.ok()) {
    std::cerr << "schema-validator-server: " << s.message() << "\n";
    return 2;
  }
  service.sql_loader = sqlmill::validator::DefaultSqlLoader();
  sqlmill::validator::SchemaValidatorServiceImpl validator(std::move(service));
  s = sqlmill::RunServer(server, {{"sqlmill.v1.SchemaValidatorService", &validator}});
  if (!s.ok()) {
    std::cerr << "schema-validator-server: " << s.message() << "\n";
    return 1;
  }
  return 0;
}

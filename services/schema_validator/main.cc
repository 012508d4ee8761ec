// schema-validator-server: the schema_validator service alone (raw T-SQL input parsed
// in-process when the parser is part of the build). `schema-validator-server --help` lists
// the flags; the all-in-one sqlmill-server hosts the same service beside the others.
#include <iostream>

#include "common/server/serve_main.h"
#include "services/schema_validator/service/schema_validator_service.h"
#include "services/schema_validator/validate_command.h"

int main(int argc, char** argv) {
  return sqlmill::ServeMain(
      "schema-validator-server", {argv + 1, argv + argc},
      [](const sqlmill::ServingEnv& env) {
        sqlmill::validator::SchemaValidatorServiceOptions options;
        options.limits = env.limits;
        options.scheduler = env.scheduler;
        options.sql_loader = sqlmill::validator::DefaultSqlLoader();
        std::vector<sqlmill::NamedService> services;
        services.push_back(
            {"sqlmill.v1.SchemaValidatorService",
             std::make_unique<sqlmill::validator::SchemaValidatorServiceImpl>(std::move(options))});
        return services;
      },
      std::cout, std::cerr);
}

// Builds the registered service set for the all-in-one server.
#include "tools/all_services.h"

#ifdef SQLMILL_HAVE_SQL_PARSER_SERVICE
#include "services/sql_parser/service/sql_parser_service.h"
#endif
#ifdef SQLMILL_HAVE_DBT_SERVICE
#include "services/dbt_compiler/service/dbt_compiler_service.h"
#endif
#ifdef SQLMILL_HAVE_VALIDATOR_SERVICE
#include "services/schema_validator/service/schema_validator_service.h"
#include "services/schema_validator/validate_command.h"
#endif

namespace sqlmill {

std::vector<NamedService> MakeAllServices(const ServingEnv& env) {
  std::vector<NamedService> services;
#ifdef SQLMILL_HAVE_SQL_PARSER_SERVICE
  SqlParserServiceOptions parser;
  parser.limits = env.limits;
  parser.scheduler = env.scheduler;
  services.push_back(
      {"sqlmill.v1.SqlParserService", std::make_unique<SqlParserServiceImpl>(parser)});
#endif
#ifdef SQLMILL_HAVE_DBT_SERVICE
  DbtCompilerServiceOptions dbt;
  dbt.limits = env.limits;
  dbt.scheduler = env.scheduler;
#ifdef SQLMILL_HAVE_VALIDATOR_SERVICE
  dbt.sql_loader = validator::DefaultSqlLoader();  // ScaffoldProject's T-SQL input
#endif
  services.push_back(
      {"sqlmill.v1.DbtCompilerService", std::make_unique<DbtCompilerServiceImpl>(dbt)});
#endif
#ifdef SQLMILL_HAVE_VALIDATOR_SERVICE
  validator::SchemaValidatorServiceOptions checker;
  checker.limits = env.limits;
  checker.scheduler = env.scheduler;
  checker.sql_loader = validator::DefaultSqlLoader();
  services.push_back({"sqlmill.v1.SchemaValidatorService",
                      std::make_unique<validator::SchemaValidatorServiceImpl>(std::move(checker))});
#endif
  (void)env;
  return services;
}

}  // namespace sqlmill

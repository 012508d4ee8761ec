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

std::vector<NamedService> MakeAllServices(const Limits& limits) {
  std::vector<NamedService> services;
#ifdef SQLMILL_HAVE_SQL_PARSER_SERVICE
  SqlParserServiceOptions parser;
  parser.limits = limits;
  services.push_back(
      {"sqlmill.v1.SqlParserService", std::make_unique<SqlParserServiceImpl>(parser)});
#endif
#ifdef SQLMILL_HAVE_DBT_SERVICE
  DbtCompilerServiceOptions dbt;
  dbt.limits = limits;
  services.push_back(
      {"sqlmill.v1.DbtCompilerService", std::make_unique<DbtCompilerServiceImpl>(dbt)});
#endif
#ifdef SQLMILL_HAVE_VALIDATOR_SERVICE
  validator::SchemaValidatorServiceOptions checker;
  checker.limits = limits;
  checker.sql_loader = validator::DefaultSqlLoader();
  services.push_back({"sqlmill.v1.SchemaValidatorService",
                      std::make_unique<validator::SchemaValidatorServiceImpl>(std::move(checker))});
#endif
  (void)limits;
  return services;
}

}  // namespace sqlmill

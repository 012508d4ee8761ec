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

void ServiceSet::Add(std::unique_ptr<grpc::Service> service, const char* name) {
  registrations_.push_back(ServiceRegistration{name, service.get()});
  owned_.push_back(std::move(service));
}

ServiceSet::ServiceSet(const Limits& limits) {
#ifdef SQLMILL_HAVE_SQL_PARSER_SERVICE
  SqlParserServiceOptions parser;
  parser.limits = limits;
  Add(std::make_unique<SqlParserServiceImpl>(parser), "sqlmill.v1.SqlParserService");
#endif
#ifdef SQLMILL_HAVE_DBT_SERVICE
  DbtCompilerServiceOptions dbt;
  dbt.limits = limits;
  Add(std::make_unique<DbtCompilerServiceImpl>(dbt), "sqlmill.v1.DbtCompilerService");
#endif
#ifdef SQLMILL_HAVE_VALIDATOR_SERVICE
  validator::SchemaValidatorServiceOptions validator;
  validator.limits = limits;
  validator.sql_loader = validator::DefaultSqlLoader();
  Add(std::make_unique<validator::SchemaValidatorServiceImpl>(std::move(validator)),
      "sqlmill.v1.SchemaValidatorService");
#endif
  (void)limits;
}

}  // namespace sqlmill

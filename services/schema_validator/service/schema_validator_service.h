// The gRPC adapter of the schema validator: request → options → engine → response.
// Validate and Diff accept a Catalog message or T-SQL files (parsed in-process through the
// SqlSchemaLoader the options carry; without one, SQL input is UNIMPLEMENTED). ListRules
// shows every built-in rule with its doc, default severity and parameters; ExplainType maps
// one SQL Server type on one target.
//
// Ownership: the service owns nothing but its options. Thread-safety: every RPC is
// reentrant; the rule and target registries are immutable and shared.
//
//   SchemaValidatorServiceOptions options;
//   options.sql_loader = ParseSqlSchema;   // from schema_validator_sql_input
//   SchemaValidatorServiceImpl service(options);
//   builder.RegisterService(&service);
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_SERVICE_SCHEMA_VALIDATOR_SERVICE_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_SERVICE_SCHEMA_VALIDATOR_SERVICE_H_

#include "absl/status/statusor.h"
#include "common/base/limits.h"
#include "common/server/call_scheduler.h"
#include "services/schema_validator/engine/sql_input.h"
#include "services/schema_validator/engine/target_profile.h"
#include "services/schema_validator/engine/validator.h"
#include "sqlmill/v1/schema_validator.grpc.pb.h"

namespace sqlmill::validator {

struct SchemaValidatorServiceOptions {
  // max_input_bytes bounds each SQL file; max_work_units bounds validation work (0 = none).
  Limits limits;
  const TargetRegistry* targets = nullptr;  // null: the built-in targets
  SqlSchemaLoader sql_loader;               // null: SchemaInput.sql is UNIMPLEMENTED
  CallScheduler* scheduler = nullptr;       // null: a pool of the service's own
};

// A schema resolved from a SchemaInput: the catalog plus what the SQL path adds.
struct LoadedSchema {
  tsql::Catalog catalog;
  std::map<std::string, std::string> sources;
  std::vector<Diagnostic> diagnostics;
};

// Resolves a SchemaInput (shared by the service and the CLI).
absl::StatusOr<LoadedSchema> LoadSchemaInput(const v1::SchemaInput& input, const SchemaValidatorServiceOptions& options,
                                             const CancellationToken* cancel, std::string_view field);

// Engine calls behind the RPCs, usable without gRPC (the CLI calls them directly).
absl::StatusOr<v1::ValidateResponse> RunValidate(const v1::ValidateRequest& request,
                                                 const SchemaValidatorServiceOptions& options,
                                                 const CancellationToken* cancel);
absl::StatusOr<v1::DiffResponse> RunDiff(const v1::DiffRequest& request, const SchemaValidatorServiceOptions& options,
                                         const CancellationToken* cancel);
v1::ListRulesResponse RunListRules(const SchemaValidatorServiceOptions& options);
absl::StatusOr<v1::ExplainTypeResponse> RunExplainType(const v1::ExplainTypeRequest& request,
                                                       const SchemaValidatorServiceOptions& options);

// A callback-API service: Validate and Diff run on the server's worker pool through the
// CallScheduler; ListRules and ExplainType are table look-ups answered on gRPC's thread.
class SchemaValidatorServiceImpl final : public v1::SchemaValidatorService::CallbackService {
 public:
  explicit SchemaValidatorServiceImpl(SchemaValidatorServiceOptions options);

  grpc::ServerUnaryReactor* Validate(grpc::CallbackServerContext* context,
                                     const v1::ValidateRequest* request,
                                     v1::ValidateResponse* response) override;
  grpc::ServerUnaryReactor* Diff(grpc::CallbackServerContext* context,
                                 const v1::DiffRequest* request, v1::DiffResponse* response) override;
  grpc::ServerUnaryReactor* ListRules(grpc::CallbackServerContext* context,
                                      const v1::ListRulesRequest* request,
                                      v1::ListRulesResponse* response) override;
  grpc::ServerUnaryReactor* ExplainType(grpc::CallbackServerContext* context,
                                        const v1::ExplainTypeRequest* request,
                                        v1::ExplainTypeResponse* response) override;

 private:
  template <typename Response, typename Run>
  grpc::ServerUnaryReactor* Schedule(grpc::CallbackServerContext* context,
                                     const CallScheduler::Method* method, Response* response,
                                     Run run);

  SchemaValidatorServiceOptions options_;
  OwnedScheduler own_scheduler_;
  CallScheduler* scheduler_;
  const CallScheduler::Method* validate_;
  const CallScheduler::Method* diff_;
};

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_SERVICE_SCHEMA_VALIDATOR_SERVICE_H_

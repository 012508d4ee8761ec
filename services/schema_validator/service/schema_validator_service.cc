// SchemaValidatorServiceImpl: thin adapter. Domain logic stays in the engine; this file
// converts, wires cancellation (client cancel + deadline) and maps statuses.
#include "services/schema_validator/service/schema_validator_service.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "common/server/call_scheduler.h"
#include "common/server/status_mapping.h"
#include "services/schema_validator/engine/diff.h"
#include "services/schema_validator/engine/sql_type.h"
#include "services/schema_validator/service/report_to_proto.h"
#include "services/sql_parser/service/catalog_from_proto.h"
#include "services/sql_parser/service/catalog_to_proto.h"

namespace sqlmill::validator {
namespace {

}  // namespace

absl::StatusOr<LoadedSchema> LoadSchemaInput(const v1::SchemaInput& input, const SchemaValidatorServiceOptions& options,
                                             const CancellationToken* cancel, std::string_view field) {
  LoadedSchema out;
  switch (input.source_case()) {
    case v1::SchemaInput::kCatalog:
      out.catalog = CatalogFromProto(input.catalog());
      return out;
    case v1::SchemaInput::kSql: {
      if (!options.sql_loader) {
        return absl::UnimplementedError(absl::StrCat(
            AsAbsl(field), ".sql: this build validates catalogs only (the T-SQL parser is not linked); send a catalog"));
      }
      const v1::ParseFilesRequest& sql = input.sql();
      if (sql.files().empty()) {
        return absl::InvalidArgumentError(absl::StrCat(AsAbsl(field), ".sql: expected at least one file"));
      }
      std::vector<SqlFile> files;
      for (const auto& f : sql.files()) {
        SQLMILL_RETURN_IF_ERROR(CheckInputSize(absl::StrCat("file '", f.name(), "'"), f.content().size(),
                                               options.limits.max_input_bytes));
        files.push_back({f.name(), f.content()});
      }
      SqlInputOptions sql_options;
      sql_options.sqlcmd_variables.insert(sql.options().sqlcmd_variables().begin(),
                                          sql.options().sqlcmd_variables().end());
      if (!sql.options().default_schema().empty()) sql_options.default_schema = sql.options().default_schema();
      sql_options.default_database = sql.options().default_database();
      if (sql.options().has_quoted_identifier()) sql_options.quoted_identifier = sql.options().quoted_identifier();
      sql_options.limits = options.limits;
      sql_options.limits.max_work_units = 0;  // the validation budget is not the parser's
      SQLMILL_ASSIGN_OR_RETURN(SqlSchema parsed, options.sql_loader(files, sql_options, cancel));
      out.catalog = std::move(parsed.catalog);
      out.sources = std::move(parsed.sources);
      out.diagnostics = std::move(parsed.diagnostics);
      return out;
    }
    default:
      return absl::InvalidArgumentError(
          absl::StrCat(AsAbsl(field), ": expected a catalog or sql files but found neither"));
  }
}

absl::StatusOr<v1::ValidateResponse> RunValidate(const v1::ValidateRequest& request,
                                                 const SchemaValidatorServiceOptions& options,
                                                 const CancellationToken* cancel) {
  SQLMILL_ASSIGN_OR_RETURN(RuleConfig config, RuleConfigFromProto(request.rules()));
  SQLMILL_ASSIGN_OR_RETURN(LoadedSchema schema, LoadSchemaInput(request.schema(), options, cancel, "schema"));
  ValidateOptions validate;
  validate.target = request.target();
  validate.config = std::move(config);
  validate.fail_threshold = ThresholdFromProto(request.fail_threshold());
  validate.sources = std::move(schema.sources);
  validate.targets = options.targets;
  validate.cancel = cancel;
  validate.limits = options.limits;
  if (options.scheduler != nullptr) validate.parallel = options.scheduler->pool().runner();
  SQLMILL_ASSIGN_OR_RETURN(ValidationReport report, Validate(schema.catalog, validate));
  report.diagnostics = std::move(schema.diagnostics);
  v1::ValidateResponse response;
  ReportToProto(report, &response);
  SQLMILL_RETURN_IF_ERROR(RenderReport(request.format(), report, &response));
  return response;
}

absl::StatusOr<v1::DiffResponse> RunDiff(const v1::DiffRequest& request, const SchemaValidatorServiceOptions& options,
                                         const CancellationToken* cancel) {
  SQLMILL_ASSIGN_OR_RETURN(RuleConfig config, RuleConfigFromProto(request.rules()));
  SQLMILL_ASSIGN_OR_RETURN(LoadedSchema old_schema, LoadSchemaInput(request.old_schema(), options, cancel, "old_schema"));
  SQLMILL_ASSIGN_OR_RETURN(LoadedSchema new_schema, LoadSchemaInput(request.new_schema(), options, cancel, "new_schema"));
  DiffOptions diff_options;
  diff_options.config = std::move(config);
  diff_options.fail_threshold = ThresholdFromProto(request.fail_threshold());
  diff_options.sources = std::move(new_schema.sources);
  diff_options.cancel = cancel;
  diff_options.limits = options.limits;
  SQLMILL_ASSIGN_OR_RETURN(DiffReport diff, Diff(old_schema.catalog, new_schema.catalog, diff_options));
  diff.report.diagnostics = std::move(old_schema.diagnostics);
  for (Diagnostic& d : new_schema.diagnostics) diff.report.diagnostics.push_back(std::move(d));
  v1::DiffResponse response;
  DiffReportToProto(diff, &response);
  SQLMILL_RETURN_IF_ERROR(RenderReport(request.format(), diff, &response));
  return response;
}

v1::ListRulesResponse RunListRules(const SchemaValidatorServiceOptions& options) {
  v1::ListRulesResponse response;
  for (const RuleFactory* f : RuleRegistry::Builtin().rules()) RuleInfoToProto(f->info, response.add_rules());
  const TargetRegistry* targets = options.targets;
  if (targets == nullptr) {
    auto builtin = BuiltinTargets();
    if (builtin.ok()) targets = *builtin;
  }
  if (targets != nullptr) {
    for (const std::string& name : targets->names()) response.add_targets(name);
  }
  return response;
}

absl::StatusOr<v1::ExplainTypeResponse> RunExplainType(const v1::ExplainTypeRequest& request,
                                                       const SchemaValidatorServiceOptions& options) {
  if (request.target().empty()) {
    return absl::InvalidArgumentError("target: expected a target platform name but found nothing");
  }
  auto type = ParseTypeText(request.sql_server_type());
  if (!type.ok()) return absl::InvalidArgumentError(absl::StrCat("sql_server_type: ", type.status().message()));
  SQLMILL_ASSIGN_OR_RETURN(const TargetProfile* target, ResolveTarget(request.target(), options.targets));
  const tsql::DataType normalized = NormalizeType(*type);
  const TypeMapping m = target->MapType(normalized);
  v1::ExplainTypeResponse response;
  DataTypeToProto(normalized, response.mutable_source_type());
  response.set_target_type(m.target_type);
  response.set_loss(TypeLossToProto(m.loss));
  response.set_explanation(m.explanation.empty() && m.loss == TypeLoss::kNone
                               ? absl::StrCat(normalized.text, " maps to ", m.target_type, " on ",
                                              target->display_name(), " without loss")
                               : m.explanation);
  response.set_suggestion(m.suggestion);
  return response;
}

SchemaValidatorServiceImpl::SchemaValidatorServiceImpl(SchemaValidatorServiceOptions options)
    : options_(std::move(options)), scheduler_(own_scheduler_.Resolve(options_.scheduler, options_.limits)) {
  options_.scheduler = scheduler_;
  constexpr char kService[] = "sqlmill.v1.SchemaValidatorService";
  validate_ = scheduler_->RegisterMethod(kService, "Validate");
  diff_ = scheduler_->RegisterMethod(kService, "Diff");
}

// Runs `run` (a RunValidate/RunDiff call) on the pool with the call's cancellation. The
// engine builds its response on the heap, so the messages stay off an arena (moving a heap
// message into an arena one would copy it).
template <typename Response, typename Run>
grpc::ServerUnaryReactor* SchemaValidatorServiceImpl::Schedule(
    grpc::CallbackServerContext* context, const CallScheduler::Method* method,
    Response* response, Run run) {
  return scheduler_->Unary(context, method, response, [=, this] {
    CancellationToken cancel;
    scheduler_->Bind(context, &cancel);
    auto result = run(&cancel);
    if (!result.ok()) return ToGrpcStatus(result.status());
    *response = std::move(*result);
    return grpc::Status::OK;
  });
}

grpc::ServerUnaryReactor* SchemaValidatorServiceImpl::Validate(grpc::CallbackServerContext* context,
                                                               const v1::ValidateRequest* request,
                                                               v1::ValidateResponse* response) {
  return Schedule(context, validate_, response, [=, this](const CancellationToken* cancel) {
    return RunValidate(*request, options_, cancel);
  });
}

grpc::ServerUnaryReactor* SchemaValidatorServiceImpl::Diff(grpc::CallbackServerContext* context,
                                                           const v1::DiffRequest* request,
                                                           v1::DiffResponse* response) {
  return Schedule(context, diff_, response, [=, this](const CancellationToken* cancel) {
    return RunDiff(*request, options_, cancel);
  });
}

grpc::ServerUnaryReactor* SchemaValidatorServiceImpl::ListRules(grpc::CallbackServerContext* context,
                                                                const v1::ListRulesRequest*,
                                                                v1::ListRulesResponse* response) {
  *response = RunListRules(options_);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* SchemaValidatorServiceImpl::ExplainType(
    grpc::CallbackServerContext* context, const v1::ExplainTypeRequest* request,
    v1::ExplainTypeResponse* response) {
  auto result = RunExplainType(*request, options_);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (!result.ok()) {
    reactor->Finish(ToGrpcStatus(result.status()));
  } else {
    *response = std::move(*result);
    reactor->Finish(grpc::Status::OK);
  }
  return reactor;
}

}  // namespace sqlmill::validator

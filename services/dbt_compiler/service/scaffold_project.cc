// RunScaffoldProject (see scaffold_project.h).
#include "services/dbt_compiler/service/scaffold_project.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/server/status_mapping.h"
#include "services/dbt_compiler/engine/compiler.h"
#include "services/dbt_compiler/scaffold/scaffold.h"
#include "services/schema_validator/service/report_to_proto.h"
#include "services/schema_validator/service/schema_validator_service.h"

namespace sqlmill::dbt {
namespace {

void SummaryToProto(const ScaffoldSummary& s, v1::ScaffoldSummary* out) {
  out->set_sources(s.sources);
  out->set_tables(s.tables);
  out->set_columns(s.columns);
  for (const auto& [loss, n] : s.columns_by_loss) (*out->mutable_columns_by_loss())[loss] = n;
  out->set_tests(s.tests);
  for (const auto& [name, n] : s.tests_by_name) (*out->mutable_tests_by_name())[name] = n;
  out->set_renames(s.renames);
  out->set_skipped(s.skipped);
  out->set_findings(s.findings);
}

// Compiles the generated files for the target's adapter; content problems are the
// result's diagnostics, a non-OK status only cancellation or limits.
absl::Status CompileCheck(const ScaffoldOutput& scaffold,
                          const google::protobuf::RepeatedPtrField<v1::ProjectFile>& generated, const std::string& target,
                          const std::vector<ScaffoldFile>& packages, const ScaffoldServiceOptions& options, const CancellationToken* cancel,
                          v1::ScaffoldCompileResult* out) {
  CompileOptions compile;
  auto files = std::make_shared<FileMap>();
  for (const ScaffoldFile& f : scaffold.files) (*files)[f.path] = f.content;
  for (const v1::ProjectFile& f : generated) (*files)[f.path()] = f.content();
  for (const ScaffoldFile& f : packages) (*files)[f.path] = f.content;
  compile.files = files;
  compile.target.adapter_type = DbtAdapterForTarget(target);
  compile.target.schema = "analytics";
  compile.target.database = "warehouse";
  compile.limits = options.limits;
  compile.limits.max_work_units = 0;
  compile.cancel = cancel;
  compile.parallel = options.parallel;
  out->set_ran(true);
  out->set_adapter_type(compile.target.adapter_type);
  absl::StatusOr<CompileOutput> compiled = Compile(compile);
  if (!compiled.ok()) {
    const absl::StatusCode code = compiled.status().code();
    if (code == absl::StatusCode::kCancelled || code == absl::StatusCode::kDeadlineExceeded ||
        code == absl::StatusCode::kResourceExhausted) {
      return compiled.status();
    }
    // The project could not be loaded at all: a defect of the scaffold, reported as data.
    Diagnostic d;
    d.code = "scaffold-compile";
    d.message = absl::StrCat("the generated project does not load: ", compiled.status().message());
    DiagnosticToProto(d, out->add_diagnostics());
    out->set_nodes_failed(1);
    return absl::OkStatus();
  }
  out->set_nodes(compiled->stats.nodes);
  out->set_nodes_compiled(compiled->stats.nodes_compiled);
  out->set_nodes_failed(compiled->stats.nodes_failed);
  for (const Diagnostic& d : compiled->diagnostics) DiagnosticToProto(d, out->add_diagnostics());
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::ScaffoldProjectResponse> RunScaffoldProject(const v1::ScaffoldProjectRequest& request,
                                                               const ScaffoldServiceOptions& options,
                                                               const CancellationToken* cancel) {
  if (request.target().empty()) {
    return absl::InvalidArgumentError("target: expected a warehouse (snowflake, bigquery, postgres, redshift, databricks)");
  }
  ScaffoldOptions scaffold;
  scaffold.target = request.target();
  SQLMILL_ASSIGN_OR_RETURN(scaffold.rules, validator::RuleConfigFromProto(request.rules()));
  using Clock = std::chrono::steady_clock;
  auto micros = [](Clock::time_point since) {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - since).count());
  };
  const Clock::time_point load_start = Clock::now();
  validator::SchemaValidatorServiceOptions load;
  load.limits = options.limits;
  load.sql_loader = options.sql_loader;
  SQLMILL_ASSIGN_OR_RETURN(validator::LoadedSchema schema,
                           validator::LoadSchemaInput(request.schema(), load, cancel, "schema"));
  const uint64_t load_micros = micros(load_start);
  scaffold.project_name = request.project_name();
  scaffold.profile_name = request.profile_name();
  scaffold.databases.assign(request.databases().begin(), request.databases().end());
  scaffold.schemas.assign(request.schemas().begin(), request.schemas().end());
  scaffold.keep_names = request.keep_names();
  scaffold.tests = !request.has_tests() || request.tests();
  scaffold.use_packages = request.use_packages();
  scaffold.source_database = request.source_database();
  if (!request.source_schema_pattern().empty()) scaffold.source_schema_pattern = request.source_schema_pattern();
  scaffold.quote_source_identifiers = request.quote_source_identifiers();
  scaffold.fail_threshold = validator::ThresholdFromProto(request.fail_threshold());
  scaffold.sources = std::move(schema.sources);
  scaffold.limits = options.limits;
  scaffold.limits.max_work_units = 0;
  scaffold.cancel = cancel;
  const Clock::time_point scaffold_start = Clock::now();
  SQLMILL_ASSIGN_OR_RETURN(ScaffoldOutput out, Scaffold(schema.catalog, scaffold));

  v1::ScaffoldProjectResponse response;
  response.set_project_name(out.report.project_name);
  for (ScaffoldFile& f : out.files) {
    v1::ProjectFile* file = response.add_files();
    file->set_path(f.path);
    // The compile check below reads the files from the response's copy.
    file->set_content(std::move(f.content));
  }
  SummaryToProto(out.report.summary, response.mutable_summary());
  response.set_passed(out.report.passed);
  for (const Diagnostic& d : schema.diagnostics) DiagnosticToProto(d, response.add_diagnostics());
  for (const Diagnostic& d : out.diagnostics) DiagnosticToProto(d, response.add_diagnostics());
  response.mutable_timings()->set_load_micros(load_micros);
  response.mutable_timings()->set_scaffold_micros(micros(scaffold_start));
  const Clock::time_point compile_start = Clock::now();
  if (!request.has_compile() || request.compile()) {
    if (!scaffold.use_packages) {
      SQLMILL_RETURN_IF_ERROR(CompileCheck({}, response.files(), scaffold.target, {}, options, cancel, response.mutable_compile()));
    } else if (!request.package_files().empty()) {
      // The installed packages (`dbt deps`) compile with the project.
      std::vector<ScaffoldFile> packages;
      for (const v1::ProjectFile& f : request.package_files()) {
        if (f.path().rfind("dbt_packages/", 0) != 0 || f.path().find("..") != std::string::npos) {
          return absl::InvalidArgumentError(
              absl::StrCat("package_files: '", f.path(), "' is not a relative path under dbt_packages/"));
        }
        packages.push_back({f.path(), f.content()});
      }
      SQLMILL_RETURN_IF_ERROR(CompileCheck({}, response.files(), scaffold.target, packages, options, cancel, response.mutable_compile()));
    } else {
      // dbt_utils is not installed here: check the project with the scaffold's own generic
      // test in its place, and say so.
      ScaffoldOptions stand_in = scaffold;
      stand_in.use_packages = false;
      stand_in.validate = false;
      SQLMILL_ASSIGN_OR_RETURN(ScaffoldOutput checked, Scaffold(schema.catalog, stand_in));
      SQLMILL_RETURN_IF_ERROR(CompileCheck(checked, {}, scaffold.target, {}, options, cancel, response.mutable_compile()));
      Diagnostic d;
      d.severity = Severity::kInfo;
      d.code = "scaffold-packages-not-installed";
      d.message =
          "dbt_utils is not installed, so the compile check used the scaffold's generic composite-key test in place "
          "of dbt_utils.unique_combination_of_columns; run `dbt deps` in the project (sqlmill migrate then compiles "
          "with its dbt_packages/)";
      DiagnosticToProto(d, response.add_diagnostics());
    }
  }
  response.mutable_timings()->set_compile_micros(micros(compile_start));
  return response;
}

}  // namespace sqlmill::dbt

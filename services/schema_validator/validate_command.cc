// The validate/diff commands: flags → requests → the same engine calls the service makes
// (RunValidate/RunDiff) → the report on stdout.
#include "services/schema_validator/validate_command.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "google/protobuf/util/json_util.h"
#include "services/schema_validator/engine/report_render.h"
#include "services/schema_validator/engine/yaml_util.h"
#include "services/sql_parser/service/catalog_from_proto.h"
#include "services/schema_validator/service/report_to_proto.h"
#include "services/schema_validator/service/schema_validator_service.h"
#include "sqlmill/v1/sql_parser.pb.h"

namespace sqlmill::validator {
namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

struct Flags {
  std::vector<std::string> paths;
  std::string target;
  std::string rules_file;
  std::string format = "text";
  std::string fail_on = "error";
  std::string default_schema;
  std::map<std::string, std::string> vars;
};

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read '", path, "'"));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

absl::StatusOr<Flags> ParseFlags(const std::vector<std::string>& args) {
  Flags flags;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    std::string value;
    const bool is_flag = arg.rfind("--", 0) == 0;
    if (is_flag) {
      const size_t eq = arg.find('=');
      if (eq != std::string::npos) {
        value = arg.substr(eq + 1);
        arg = arg.substr(0, eq);
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return absl::InvalidArgumentError(absl::StrCat("flag ", arg, ": expected a value"));
      }
      std::replace(arg.begin(), arg.end(), '_', '-');
    }
    if (!is_flag) flags.paths.push_back(arg);
    else if (arg == "--target") flags.target = value;
    else if (arg == "--rules") flags.rules_file = value;
    else if (arg == "--format") flags.format = value;
    else if (arg == "--fail-on") flags.fail_on = value;
    else if (arg == "--default-schema") flags.default_schema = value;
    else if (arg == "--var") {
      const size_t eq = value.find('=');
      if (eq == std::string::npos) {
        return absl::InvalidArgumentError(absl::StrCat("flag --var: expected NAME=VALUE but found '", value, "'"));
      }
      flags.vars[value.substr(0, eq)] = value.substr(eq + 1);
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown flag '", arg, "' (expected --target, --rules, --format, --fail-on, --var, --default-schema)"));
    }
  }
  if (flags.format != "text" && flags.format != "json" && flags.format != "sarif" && flags.format != "junit") {
    return absl::InvalidArgumentError(
        absl::StrCat("flag --format: expected text, json, sarif or junit but found '", flags.format, "'"));
  }
  if (absl::Status s = FailOnThreshold(flags.fail_on).status(); !s.ok()) return s;
  return flags;
}

v1::ReportFormat FormatOf(const std::string& f) {
  if (f == "json") return v1::REPORT_FORMAT_JSON;
  if (f == "sarif") return v1::REPORT_FORMAT_SARIF;
  if (f == "junit") return v1::REPORT_FORMAT_JUNIT;
  return v1::REPORT_FORMAT_UNSPECIFIED;
}

v1::Severity ThresholdOf(const std::string& s) { return FailOnThreshold(s).value_or(v1::SEVERITY_ERROR); }

absl::StatusOr<v1::Catalog> CatalogFromJson(const std::string& path) {
  SQLMILL_ASSIGN_OR_RETURN(std::string json, ReadFile(path));
  v1::Catalog catalog;
  if (google::protobuf::util::JsonStringToMessage(json, &catalog).ok()) return catalog;
  v1::ParseFilesResponse files;
  if (google::protobuf::util::JsonStringToMessage(json, &files).ok()) return files.catalog();
  v1::ParseScriptResponse script;
  auto status = google::protobuf::util::JsonStringToMessage(json, &script);
  if (status.ok()) return script.catalog();
  return absl::InvalidArgumentError(absl::StrCat(
      path, ": expected a sqlmill.v1.Catalog (or a parse response) in canonical JSON: ", status.ToString()));
}

}  // namespace

absl::StatusOr<v1::SchemaInput> SchemaInputFromPaths(const std::vector<std::string>& paths,
                                                     const std::map<std::string, std::string>& vars,
                                                     const std::string& default_schema) {
  v1::SchemaInput input;
  if (paths.size() == 1 && std::filesystem::path(paths[0]).extension() == ".json") {
    SQLMILL_ASSIGN_OR_RETURN(*input.mutable_catalog(), CatalogFromJson(paths[0]));
    return input;
  }
  v1::ParseFilesRequest* sql = input.mutable_sql();
  for (const std::string& p : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      std::vector<std::filesystem::path> files;
      for (const auto& e : std::filesystem::recursive_directory_iterator(p, ec)) {
        std::string ext = e.path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
        if (e.is_regular_file() && ext == ".sql") files.push_back(e.path());
      }
      std::sort(files.begin(), files.end());
      for (const auto& f : files) {
        SQLMILL_ASSIGN_OR_RETURN(std::string content, ReadFile(f.string()));
        v1::SourceFile* file = sql->add_files();
        file->set_name(f.string());
        file->set_content(std::move(content));
      }
    } else if (std::filesystem::path(p).extension() == ".json") {
      return absl::InvalidArgumentError(absl::StrCat(p, ": a catalog JSON file must be the only input path"));
    } else {
      SQLMILL_ASSIGN_OR_RETURN(std::string content, ReadFile(p));
      v1::SourceFile* file = sql->add_files();
      file->set_name(p);
      file->set_content(std::move(content));
    }
  }
  if (sql->files().empty()) return absl::InvalidArgumentError("no .sql files found in the given paths");
  for (const auto& [k, v] : vars) (*sql->mutable_options()->mutable_sqlcmd_variables())[k] = v;
  if (!default_schema.empty()) sql->mutable_options()->set_default_schema(default_schema);
  return input;
}

absl::StatusOr<v1::Severity> FailOnThreshold(const std::string& name) {
  if (name == "error") return v1::SEVERITY_ERROR;
  if (name == "warning") return v1::SEVERITY_WARNING;
  if (name == "info") return v1::SEVERITY_INFO;
  if (name == "hint") return v1::SEVERITY_HINT;
  return absl::InvalidArgumentError(
      absl::StrCat("flag --fail-on: expected error, warning, info or hint but found '", name, "'"));
}

absl::Status LoadRulesFile(const std::string& path, v1::RuleConfig* rules) {
  if (path.empty()) return absl::OkStatus();
  SQLMILL_ASSIGN_OR_RETURN(std::string yaml, ReadFile(path));
  // Parse here so errors name the user's file rather than the proto field.
  SQLMILL_RETURN_IF_ERROR(ParseRuleConfigYaml(yaml, path).status());
  rules->set_yaml(std::move(yaml));
  return absl::OkStatus();
}

namespace {

absl::StatusOr<v1::SchemaInput> InputFrom(const std::vector<std::string>& paths, const Flags& flags) {
  return SchemaInputFromPaths(paths, flags.vars, flags.default_schema);
}

absl::Status LoadRules(const Flags& flags, v1::RuleConfig* rules) { return LoadRulesFile(flags.rules_file, rules); }

// Re-labels config errors from the proto's "rules.yaml" to the user's file name.
std::string Relabel(std::string message, const Flags& flags) {
  if (!flags.rules_file.empty() && message.rfind("rules.yaml:", 0) == 0) {
    message = flags.rules_file + message.substr(std::string("rules.yaml").size());
  }
  return message;
}

void PrintDiagnostics(const google::protobuf::RepeatedPtrField<v1::Diagnostic>& diagnostics, std::ostream& err) {
  for (const auto& d : diagnostics) {
    err << d.span().file() << ":" << d.span().line() << ":" << d.span().column() << ": "
        << (d.severity() == v1::SEVERITY_ERROR ? "error" : "warning") << ": " << d.message() << " [" << d.code()
        << "]\n";
  }
}

// Rebuilds the engine report from the response for the text renderer.
ValidationReport TextReport(const google::protobuf::RepeatedPtrField<v1::Finding>& findings,
                            const v1::Summary& summary, bool passed, const Flags& flags) {
  ValidationReport r;
  for (const auto& f : findings) {
    Finding x;
    x.rule_id = f.rule_id();
    x.severity = f.severity() == v1::SEVERITY_ERROR     ? Severity::kError
                 : f.severity() == v1::SEVERITY_WARNING ? Severity::kWarning
                 : f.severity() == v1::SEVERITY_HINT    ? Severity::kHint
                                                        : Severity::kInfo;
    x.object_path = f.object_path();
    x.object_kind = f.object_kind();
    x.message = f.message();
    x.suggestion = f.suggestion();
    x.location.file = f.span().file();
    x.location.begin = {static_cast<int>(f.span().line()), static_cast<int>(f.span().column())};
    r.findings.push_back(std::move(x));
  }
  r.summary.errors = summary.errors();
  r.summary.warnings = summary.warnings();
  r.summary.infos = summary.infos();
  r.summary.objects_checked = summary.objects_checked();
  r.summary.suppressed = summary.suppressed();
  r.passed = passed;
  r.target = flags.target;
  r.fail_threshold = *SeverityFromName(flags.fail_on);
  return r;
}

SchemaValidatorServiceOptions ServiceOptions(const SqlSchemaLoader& loader) {
  SchemaValidatorServiceOptions options;
  options.sql_loader = loader;
  return options;
}

constexpr char kValidateUsage[] =
    "usage: sqlmill validate PATH... [--target postgres|snowflake|bigquery|redshift|databricks|sqlserver] "
    "[--rules rules.yml] [--format text|json|sarif|junit] [--fail-on error|warning|info] [--var NAME=VALUE]\n";
constexpr char kDiffUsage[] =
    "usage: sqlmill diff OLD NEW [--rules rules.yml] [--format text|json|sarif|junit] [--fail-on error|warning|info]\n";

}  // namespace

SqlSchemaLoader DefaultSqlLoader() {
#ifdef SQLMILL_VALIDATOR_HAS_PARSER
  return ParseSqlSchema;
#else
  return nullptr;
#endif
}

namespace {

ValidatorCalls InProcess(const SqlSchemaLoader& loader) {
  ValidatorCalls calls;
  calls.validate = [loader](const v1::ValidateRequest& r) { return RunValidate(r, ServiceOptions(loader), nullptr); };
  calls.diff = [loader](const v1::DiffRequest& r) { return RunDiff(r, ServiceOptions(loader), nullptr); };
  return calls;
}

}  // namespace

const char* ValidateUsage() { return kValidateUsage; }
const char* DiffUsage() { return kDiffUsage; }

int RunValidateCommandWith(const std::vector<std::string>& args, const SqlSchemaLoader& loader, std::ostream& out,
                           std::ostream& err) {
  return RunValidateCommandVia(args, InProcess(loader), out, err);
}

int RunDiffCommandWith(const std::vector<std::string>& args, const SqlSchemaLoader& loader, std::ostream& out,
                       std::ostream& err) {
  return RunDiffCommandVia(args, InProcess(loader), out, err);
}

int RunValidateCommandVia(const std::vector<std::string>& args, const ValidatorCalls& calls, std::ostream& out,
                          std::ostream& err) {
  auto flags = ParseFlags(args);
  if (!flags.ok()) {
    err << "sqlmill validate: " << flags.status().message() << "\n" << kValidateUsage;
    return kExitUsage;
  }
  if (flags->paths.empty()) {
    err << "sqlmill validate: expected at least one PATH\n" << kValidateUsage;
    return kExitUsage;
  }
  v1::ValidateRequest request;
  request.set_target(flags->target);
  request.set_fail_threshold(ThresholdOf(flags->fail_on));
  request.set_format(FormatOf(flags->format));
  absl::Status status = LoadRules(*flags, request.mutable_rules());
  if (status.ok()) {
    auto input = InputFrom(flags->paths, *flags);
    if (input.ok()) {
      *request.mutable_schema() = std::move(*input);
    } else {
      status = input.status();
    }
  }
  absl::StatusOr<v1::ValidateResponse> response =
      status.ok() ? calls.validate(request) : absl::StatusOr<v1::ValidateResponse>(status);
  if (!response.ok()) {
    err << "sqlmill validate: " << Relabel(std::string(response.status().message()), *flags) << "\n";
    return kExitUsage;
  }
  PrintDiagnostics(response->diagnostics(), err);
  if (flags->format == "text") {
    out << RenderText(TextReport(response->findings(), response->summary(), response->passed(), *flags));
  } else {
    out << response->report();
    if (!response->report().empty() && response->report().back() != '\n') out << "\n";
  }
  return response->passed() ? 0 : kExitFailed;
}

int RunDiffCommandVia(const std::vector<std::string>& args, const ValidatorCalls& calls, std::ostream& out,
                      std::ostream& err) {
  auto flags = ParseFlags(args);
  if (!flags.ok()) {
    err << "sqlmill diff: " << flags.status().message() << "\n" << kDiffUsage;
    return kExitUsage;
  }
  if (flags->paths.size() != 2) {
    err << "sqlmill diff: expected OLD and NEW\n" << kDiffUsage;
    return kExitUsage;
  }
  v1::DiffRequest request;
  request.set_fail_threshold(ThresholdOf(flags->fail_on));
  request.set_format(FormatOf(flags->format));
  absl::Status status = LoadRules(*flags, request.mutable_rules());
  if (status.ok()) {
    auto old_input = InputFrom({flags->paths[0]}, *flags);
    auto new_input = InputFrom({flags->paths[1]}, *flags);
    if (!old_input.ok()) status = old_input.status();
    else if (!new_input.ok()) status = new_input.status();
    else {
      *request.mutable_old_schema() = std::move(*old_input);
      *request.mutable_new_schema() = std::move(*new_input);
    }
  }
  absl::StatusOr<v1::DiffResponse> response =
      status.ok() ? calls.diff(request) : absl::StatusOr<v1::DiffResponse>(status);
  if (!response.ok()) {
    err << "sqlmill diff: " << Relabel(std::string(response.status().message()), *flags) << "\n";
    return kExitUsage;
  }
  PrintDiagnostics(response->diagnostics(), err);
  if (flags->format == "text") {
    out << "== changes (" << response->changes_size() << ") ==\n";
    for (const auto& c : response->changes()) {
      static const char* kClass[] = {"?", "safe", "destructive", "backward-incompatible", "data-dependent",
                                     "constraint"};
      static const char* kKind[] = {"?", "added", "dropped", "modified", "renamed"};
      out << kClass[std::clamp<int>(c.classification(), 0, 5)] << "\t" << kKind[std::clamp<int>(c.kind(), 0, 4)]
          << " " << c.object_kind() << " " << c.object_path() << ": " << c.detail() << "\n";
    }
    out << "\n" << RenderText(TextReport(response->findings(), response->summary(), response->passed(), *flags));
  } else {
    out << response->report();
    if (!response->report().empty() && response->report().back() != '\n') out << "\n";
  }
  return response->passed() ? 0 : kExitFailed;
}

int RunValidateCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  return RunValidateCommandWith(args, DefaultSqlLoader(), out, err);
}

int RunDiffCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  return RunDiffCommandWith(args, DefaultSqlLoader(), out, err);
}

}  // namespace sqlmill::validator

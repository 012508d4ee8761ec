// `sqlmill batch` (see batch_command.h).
#include "tools/batch/batch_command.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/base/worker_pool.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/type_resolver_util.h"
#include "services/dbt_compiler/service/scaffold_project.h"
#include "services/schema_validator/engine/report_render.h"
#include "services/schema_validator/engine/target_profile.h"
#include "services/schema_validator/service/schema_validator_service.h"
#include "services/schema_validator/validate_command.h"
#include "services/sql_parser/engine/parser.h"
#include "services/sql_parser/service/parse_output_to_proto.h"
#include "tools/batch/batch_plan.h"

namespace sqlmill::batch {
namespace {

namespace fs = std::filesystem;
using validator::JsonEscape;

constexpr char kUsage[] =
    "usage: sqlmill batch INPUT --out DIR [--target TARGET]... [--shard-index I --shard-count N] [--jobs J]\n"
    "         [--rules FILE] [--fail-on error|warning|info] [--var NAME=VALUE]... [--force] [--server HOST:PORT]\n"
    "\n"
    "Runs a whole migration estate, one unit (database) at a time: parse, validate and scaffold the dbt\n"
    "project for every target, compile it. INPUT is a folder whose subfolders are the databases (each: its\n"
    "*.sql files, recursively, in path order), or a manifest: YAML (`units:` list) or JSON lines, entries\n"
    "  {name: pubs, paths: [pubs/instpubs.sql], targets: [snowflake], vars: {DatabaseName: Pubs}}\n"
    "with paths relative to the manifest's folder. --target is repeatable and applies to units that name none.\n"
    "\n"
    "Output, per unit DIR/<unit>/: catalog.json (deterministic), per target <target>/report.json and\n"
    "<target>/report.sarif (the validator's), <target>/dbt/ (the scaffolded project) and <target>/compile.json\n"
    "(its compile check and summary), and result.json (status, counts, timings) written last. A unit is\n"
    "built in DIR/.partial/<unit>/ and renamed into place when complete, so a rerun skips completed units\n"
    "(unless --force) and a killed run redoes only its unfinished ones. Then DIR/summary.json, or\n"
    "DIR/summary-<index>-of-<count>.json for a shard (shards can share one output volume).\n"
    "\n"
    "Sharding: --shard-index/--shard-count, else JOB_COMPLETION_INDEX (set by a Kubernetes Indexed Job) with\n"
    "--shard-count or SQLMILL_SHARD_COUNT. Units go to shards by size (largest first to the least loaded), so N\n"
    "shards together do each unit exactly once. --jobs runs units side by side (default: the usable cores).\n"
    "On a terminal a progress bar shows on stderr; otherwise one JSON line per unit goes to stdout.\n"
    "SIGINT/SIGTERM: no new unit starts, running ones finish, nothing is left half-written.\n"
    "The summary's totals count units by status; `skipped` counts those of them an earlier run completed.\n"
    "\n"
    "Exit codes: 0 every unit clean; 1 validator findings at --fail-on; 2 usage or configuration error\n"
    "(retrying cannot help); 3 some units had input errors (parse errors, unreadable files, generated\n"
    "models that do not compile); 4 units left undone (server unavailable, interrupted): retry.";

std::atomic<bool> g_stop{false};
int g_stop_signal = 0;

void OnSignal(int signal) {
  g_stop_signal = signal;
  g_stop.store(true);
}

struct Flags {
  std::string input, out_dir, rules_file, fail_on = "error";
  std::vector<std::string> targets;
  std::map<std::string, std::string> vars;
  int shard_index = -1, shard_count = -1, jobs = 0;
  bool force = false;
};

absl::StatusOr<Flags> ParseFlags(const std::vector<std::string>& args) {
  Flags f;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg.rfind("--", 0) != 0) {
      if (!f.input.empty()) return absl::InvalidArgumentError(absl::StrCat("one INPUT expected; also got '", arg, "'"));
      f.input = arg;
      continue;
    }
    std::string value;
    bool has_value = false;
    if (const size_t eq = arg.find('='); eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_value = true;
    }
    std::replace(arg.begin() + 2, arg.end(), '_', '-');  // --shard_index = --shard-index
    if (arg == "--force") {
      if (has_value) return absl::InvalidArgumentError("flag --force takes no value");
      f.force = true;
      continue;
    }
    static const char* const kValued[] = {"--out", "--target", "--rules", "--fail-on", "--shard-index",
                                          "--shard-count", "--jobs", "--var"};
    if (std::find_if(std::begin(kValued), std::end(kValued), [&](const char* k) { return arg == k; }) ==
        std::end(kValued)) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag '", arg, "' (see sqlmill batch --help)"));
    }
    if (has_value) {
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return absl::InvalidArgumentError(absl::StrCat("flag ", arg, ": expected a value"));
    }
    auto number = [&](int* out) -> absl::Status {
      if (!absl::SimpleAtoi(value, out) || *out < 0) {
        return absl::InvalidArgumentError(absl::StrCat("flag ", arg, ": expected a number >= 0 but found '", value, "'"));
      }
      return absl::OkStatus();
    };
    absl::Status s;
    if (arg == "--out") f.out_dir = value;
    else if (arg == "--target") f.targets.push_back(value);
    else if (arg == "--rules") f.rules_file = value;
    else if (arg == "--fail-on") f.fail_on = value;
    else if (arg == "--shard-index") s = number(&f.shard_index);
    else if (arg == "--shard-count") s = number(&f.shard_count);
    else if (arg == "--jobs") s = number(&f.jobs);
    else if (arg == "--var") {
      const size_t eq = value.find('=');
      if (eq == std::string::npos) return absl::InvalidArgumentError("flag --var: expected NAME=VALUE");
      f.vars[value.substr(0, eq)] = value.substr(eq + 1);
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag '", arg, "' (see sqlmill batch --help)"));
    }
    if (!s.ok()) return s;
  }
  if (f.input.empty()) return absl::InvalidArgumentError("expected INPUT (an estate folder or a manifest)");
  if (f.out_dir.empty()) return absl::InvalidArgumentError("--out DIR is required");
  if (absl::Status s = validator::FailOnThreshold(f.fail_on).status(); !s.ok()) return s;
  // Kubernetes Indexed Jobs give the index; the count comes from the flag or the environment.
  if (f.shard_count < 0) {
    if (const char* env = std::getenv("SQLMILL_SHARD_COUNT"); env != nullptr && *env != '\0') {
      if (!absl::SimpleAtoi(env, &f.shard_count) || f.shard_count < 1) {
        return absl::InvalidArgumentError(absl::StrCat("SQLMILL_SHARD_COUNT: expected a number >= 1 but found '", env, "'"));
      }
    }
  }
  if (f.shard_index < 0) {
    if (const char* env = std::getenv("JOB_COMPLETION_INDEX"); env != nullptr && *env != '\0') {
      if (!absl::SimpleAtoi(env, &f.shard_index) || f.shard_index < 0) {
        return absl::InvalidArgumentError(absl::StrCat("JOB_COMPLETION_INDEX: expected a number but found '", env, "'"));
      }
    }
  }
  if ((f.shard_index >= 0) != (f.shard_count >= 0)) {
    return absl::InvalidArgumentError(
        "a shard needs both an index (--shard-index or JOB_COMPLETION_INDEX) and a count (--shard-count or "
        "SQLMILL_SHARD_COUNT)");
  }
  if (f.shard_count == 0) return absl::InvalidArgumentError("--shard-count must be at least 1");
  if (f.shard_index >= 0 && f.shard_index >= f.shard_count) {
    return absl::InvalidArgumentError(absl::StrCat("shard index ", f.shard_index, " is not below the count ", f.shard_count));
  }
  return f;
}

// Protobuf JSON with map entries in key order: the same message gives the same bytes.
absl::StatusOr<std::string> DeterministicJson(const google::protobuf::Message& message) {
  static google::protobuf::util::TypeResolver* resolver = google::protobuf::util::NewTypeResolverForDescriptorPool(
      "type.googleapis.com", google::protobuf::DescriptorPool::generated_pool());
  std::string binary;
  {
    google::protobuf::io::StringOutputStream stream(&binary);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string json;
  const auto status = google::protobuf::util::BinaryToJsonString(
      resolver, "type.googleapis.com/" + message.GetDescriptor()->full_name(), binary, &json, options);
  if (!status.ok()) return absl::InternalError(absl::StrCat("JSON conversion failed: ", status.ToString()));
  return json;
}

absl::Status WriteFile(const fs::path& path, std::string_view content) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path.string()));
  return absl::OkStatus();
}

absl::Status WriteAtomically(const fs::path& path, std::string_view content) {
  const fs::path tmp = path.string() + ".tmp";
  if (absl::Status s = WriteFile(tmp, content); !s.ok()) return s;
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot write ", path.string(), ": ", ec.message()));
  return absl::OkStatus();
}

enum class Outcome { kClean, kFindings, kInputErrors, kFailed, kRetry, kSkipped };

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kClean: return "clean";
    case Outcome::kFindings: return "findings";
    case Outcome::kInputErrors: return "input-errors";
    case Outcome::kFailed: return "failed";
    case Outcome::kRetry: return "retry";
    case Outcome::kSkipped: return "skipped";
  }
  return "failed";
}

// A call error worth retrying (the server, not the input): the unit is left undone.
bool IsRetryable(const absl::Status& s) {
  switch (s.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kAborted:
      return true;
    case absl::StatusCode::kResourceExhausted:
      return s.message().find("max_queued_calls") != absl::string_view::npos;  // shed, not too big
    default:
      return false;
  }
}

struct UnitReport {
  std::string name;
  Outcome outcome = Outcome::kClean;
  std::string error;
  double seconds = 0;
  bool skipped = false;
};

class Runner {
 public:
  Runner(const Flags& flags, const BatchCalls& calls, v1::RuleConfig rules)
      : flags_(flags), calls_(calls), rules_(std::move(rules)), out_(flags.out_dir) {}

  UnitReport Run(const Unit& unit) {
    UnitReport report;
    report.name = unit.name;
    const fs::path final_dir = out_ / unit.name;
    std::error_code ec;
    if (!flags_.force && IsComplete(unit, final_dir / "result.json")) {
      report.outcome = PreviousOutcome(final_dir / "result.json");
      report.skipped = true;
      return report;
    }
    const auto start = std::chrono::steady_clock::now();
    const fs::path partial = out_ / ".partial" / unit.name;
    fs::remove_all(partial, ec);
    fs::create_directories(partial, ec);
    absl::Status s = Build(unit, partial, &report);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!s.ok()) {
      fs::remove_all(partial, ec);
      if (IsRetryable(s)) {
        report.outcome = Outcome::kRetry;
        report.error = std::string(s.message());
        return report;
      }
      // The input itself cannot be processed: record it so reruns do not try again.
      report.outcome = Outcome::kFailed;
      report.error = std::string(s.message());
      fs::create_directories(partial, ec);
      std::string result = absl::StrCat("{\n  \"unit\": \"", JsonEscape(unit.name), "\",\n  \"status\": \"failed\",\n  ",
                                        TargetList(unit), ",\n  \"error\": \"", JsonEscape(report.error), "\"\n}\n");
      if (absl::Status w = WriteFile(partial / "result.json", result); !w.ok()) {
        report.outcome = Outcome::kRetry;
        return report;
      }
    }
    // Complete: replace any earlier (forced or unfinished) output in one rename.
    fs::remove_all(final_dir, ec);
    fs::rename(partial, final_dir, ec);
    if (ec) {
      report.outcome = Outcome::kRetry;
      report.error = absl::StrCat("cannot move ", partial.string(), " to ", final_dir.string(), ": ", ec.message());
    }
    return report;
  }

 // The targets a unit is built for, as result.json records them.
  std::string TargetList(const Unit& unit) const {
    std::vector<std::string> quoted;
    for (const std::string& t : unit.targets.empty() ? flags_.targets : unit.targets) {
      quoted.push_back(absl::StrCat("\"", JsonEscape(t), "\""));
    }
    return absl::StrCat("\"target_list\": [", absl::StrJoin(quoted, ", "), "]");
  }

  // Done by an earlier run for the same targets (a run for other targets redoes it).
  bool IsComplete(const Unit& unit, const fs::path& result) const {
    std::ifstream in(result);
    if (!in) return false;
    std::stringstream text;
    text << in.rdbuf();
    return text.str().find(TargetList(unit)) != std::string::npos;
  }

 private:
  static Outcome PreviousOutcome(const fs::path& result) {
    std::ifstream in(result);
    std::stringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    for (Outcome o : {Outcome::kClean, Outcome::kFindings, Outcome::kInputErrors, Outcome::kFailed}) {
      if (s.find(absl::StrCat("\"status\": \"", OutcomeName(o), "\"")) != std::string::npos) return o;
    }
    return Outcome::kFailed;
  }

  absl::StatusOr<v1::ParseFilesRequest> Request(const Unit& unit) const {
    v1::ParseFilesRequest request;
    for (size_t i = 0; i < unit.files.size(); ++i) {
      std::ifstream in(unit.files[i], std::ios::binary);
      if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read '", unit.files[i], "'"));
      std::stringstream content;
      content << in.rdbuf();
      v1::SourceFile* f = request.add_files();
      f->set_name(unit.names[i]);
      f->set_content(content.str());
    }
    auto* vars = request.mutable_options()->mutable_sqlcmd_variables();
    for (const auto& [k, v] : flags_.vars) (*vars)[k] = v;
    for (const auto& [k, v] : unit.vars) (*vars)[k] = v;
    return request;
  }

  absl::Status Build(const Unit& unit, const fs::path& dir, UnitReport* report) {
    using Clock = std::chrono::steady_clock;
    auto ms = [](Clock::time_point since) {
      return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
    };
    absl::StatusOr<v1::ParseFilesRequest> sql = Request(unit);
    if (!sql.ok()) return sql.status();
    std::string timings;
    Clock::time_point t0 = Clock::now();
    absl::StatusOr<v1::ParseFilesResponse> parsed = calls_.parse(*sql);
    if (!parsed.ok()) return parsed.status();
    absl::StrAppend(&timings, absl::StrFormat("\"parse\": %.1f", ms(t0)));
    absl::StatusOr<std::string> catalog = DeterministicJson(parsed->catalog());
    if (!catalog.ok()) return catalog.status();
    if (absl::Status s = WriteFile(dir / "catalog.json", *catalog); !s.ok()) return s;
    int parse_errors = 0, parse_warnings = 0;
    std::vector<std::string> diagnostics;
    for (const v1::Diagnostic& d : parsed->diagnostics()) {
      if (d.severity() == v1::SEVERITY_ERROR) ++parse_errors;
      if (d.severity() == v1::SEVERITY_WARNING) ++parse_warnings;
      if (d.severity() == v1::SEVERITY_ERROR || d.severity() == v1::SEVERITY_WARNING) {
        diagnostics.push_back(absl::StrCat("\"", JsonEscape(absl::StrCat(d.span().file(), ":", d.span().line(), ":",
                                                                         d.span().column(), ": ", d.message(), " [",
                                                                         d.code(), "]")),
                                           "\""));
      }
    }
    bool findings = false, input_errors = parse_errors > 0;
    std::vector<std::string> target_json;
    const std::vector<std::string>& targets = unit.targets.empty() ? flags_.targets : unit.targets;
    for (const std::string& target : targets) {
      v1::SchemaInput schema;
      *schema.mutable_sql() = *sql;
      v1::ValidateRequest validate;
      *validate.mutable_schema() = schema;
      validate.set_target(target);
      *validate.mutable_rules() = rules_;
      validate.set_fail_threshold(validator::FailOnThreshold(flags_.fail_on).value());
      validate.set_format(v1::REPORT_FORMAT_SARIF);
      t0 = Clock::now();
      absl::StatusOr<v1::ValidateResponse> checked = calls_.validate(validate);
      if (!checked.ok()) return checked.status();
      const double validate_ms = ms(t0);
      if (absl::Status s = WriteFile(dir / target / "report.sarif", checked->report()); !s.ok()) return s;
      checked->clear_report();
      checked->clear_diagnostics();  // the parse's, already in result.json
      absl::StatusOr<std::string> report_json = DeterministicJson(*checked);
      if (!report_json.ok()) return report_json.status();
      if (absl::Status s = WriteFile(dir / target / "report.json", *report_json); !s.ok()) return s;

      v1::ScaffoldProjectRequest scaffold;
      *scaffold.mutable_schema() = schema;
      scaffold.set_target(target);
      *scaffold.mutable_rules() = rules_;
      scaffold.set_fail_threshold(validator::FailOnThreshold(flags_.fail_on).value());
      t0 = Clock::now();
      absl::StatusOr<v1::ScaffoldProjectResponse> project = calls_.scaffold(scaffold);
      if (!project.ok()) return project.status();
      const double scaffold_ms = ms(t0);
      for (const v1::ProjectFile& f : project->files()) {
        if (f.path().empty() || f.path()[0] == '/' || f.path().find("..") != std::string::npos) {
          return absl::InternalError(absl::StrCat("the scaffold returned an unsafe path '", f.path(), "'"));
        }
        if (absl::Status s = WriteFile(dir / target / "dbt" / f.path(), f.content()); !s.ok()) return s;
      }
      v1::ScaffoldProjectResponse result = *project;
      result.clear_files();
      result.clear_timings();
      result.clear_diagnostics();
      absl::StatusOr<std::string> compile_json = DeterministicJson(result);
      if (!compile_json.ok()) return compile_json.status();
      if (absl::Status s = WriteFile(dir / target / "compile.json", *compile_json); !s.ok()) return s;

      const bool compile_failed = project->compile().nodes_failed() > 0;
      findings = findings || !checked->passed();
      input_errors = input_errors || compile_failed;
      const v1::Summary& sum = checked->summary();
      target_json.push_back(absl::StrCat(
          "    \"", JsonEscape(target), "\": {\"passed\": ", checked->passed() ? "true" : "false",
          ", \"findings\": {\"error\": ", sum.errors(), ", \"warning\": ", sum.warnings(), ", \"info\": ", sum.infos(),
          "}, \"tables\": ", project->summary().tables(), ", \"tests\": ", project->summary().tests(),
          ", \"compile\": {\"nodes\": ", project->compile().nodes(), ", \"failed\": ", project->compile().nodes_failed(),
          "}}"));
      absl::StrAppend(&timings, absl::StrFormat(", \"%s\": {\"validate\": %.1f, \"scaffold\": %.1f}", JsonEscape(target),
                                                validate_ms, scaffold_ms));
    }
    report->outcome = input_errors ? Outcome::kInputErrors : findings ? Outcome::kFindings : Outcome::kClean;
    const std::string result = absl::StrCat(
        "{\n  \"unit\": \"", JsonEscape(unit.name), "\",\n  \"status\": \"", OutcomeName(report->outcome),
        "\",\n  ", TargetList(unit), ",\n  \"files\": ", unit.files.size(), ",\n  \"bytes\": ", unit.bytes,
        ",\n  \"parse\": {\"errors\": ", parse_errors, ", \"warnings\": ", parse_warnings,
        ", \"statements\": ", parsed->stats().statements(), ", \"diagnostics\": [", absl::StrJoin(diagnostics, ", "),
        "]},\n  \"targets\": {\n", absl::StrJoin(target_json, ",\n"), "\n  },\n  \"timings_ms\": {", timings, "}\n}\n");
    return WriteFile(dir / "result.json", result);  // last: its presence marks the unit complete
  }

  const Flags& flags_;
  const BatchCalls& calls_;
  v1::RuleConfig rules_;
  fs::path out_;
};

// Progress: a bar on a terminal, JSON lines otherwise.
class Progress {
 public:
  Progress(size_t total, size_t skipped, std::ostream& out, std::ostream& err)
      : total_(total), done_(skipped), out_(out), err_(err), tty_(isatty(STDERR_FILENO) != 0),
        start_(std::chrono::steady_clock::now()) {}

  void Started(const std::string& unit) {
    std::lock_guard<std::mutex> lock(mu_);
    current_ = unit;
    Draw();
  }

  void Finished(const UnitReport& r) {
    std::lock_guard<std::mutex> lock(mu_);
    ++done_;
    ++ran_;
    if (tty_) {
      Draw();
      return;
    }
    out_ << "{\"unit\": \"" << JsonEscape(r.name) << "\", \"status\": \"" << OutcomeName(r.outcome) << "\""
         << absl::StrFormat(", \"seconds\": %.3f", r.seconds) << ", \"done\": " << done_ << ", \"total\": " << total_;
    if (!r.error.empty()) out_ << ", \"error\": \"" << JsonEscape(r.error) << "\"";
    out_ << "}\n" << std::flush;
  }

  void End() {
    if (tty_) err_ << "\n";
  }

 private:
  void Draw() {
    if (!tty_) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double rate = elapsed > 0 ? ran_ / elapsed : 0;
    const size_t width = 30;
    const size_t filled = total_ == 0 ? width : done_ * width / total_;
    std::string bar(filled, '#');
    bar.resize(width, '.');
    const double eta = rate > 0 ? (total_ - done_) / rate : 0;
    err_ << absl::StrFormat("\r[%s] %zu/%zu units  %.2f units/s  ETA %.0fs  %-30.30s", bar, done_, total_, rate, eta,
                            current_)
         << std::flush;
  }

  std::mutex mu_;
  size_t total_, done_, ran_ = 0;
  std::ostream& out_;
  std::ostream& err_;
  bool tty_;
  std::chrono::steady_clock::time_point start_;
  std::string current_;
};

}  // namespace

const char* BatchUsage() { return kUsage; }

BatchCalls InProcessCalls() {
  BatchCalls calls;
  calls.parse = [](const v1::ParseFilesRequest& request) -> absl::StatusOr<v1::ParseFilesResponse> {
    std::vector<tsql::ScriptInput> inputs;
    for (const v1::SourceFile& f : request.files()) inputs.push_back({f.name(), f.content()});
    absl::StatusOr<tsql::ParseOutput> output =
        tsql::ParseFiles(inputs, ParseOptionsFromProto(request.options(), Limits()));
    if (!output.ok()) return output.status();
    v1::ParseFilesResponse response;
    ParseOutputToProto(*output, &response);
    return response;
  };
  calls.validate = [](const v1::ValidateRequest& request) {
    validator::SchemaValidatorServiceOptions options;
    options.sql_loader = validator::DefaultSqlLoader();
    return validator::RunValidate(request, options, nullptr);
  };
  calls.scaffold = [](const v1::ScaffoldProjectRequest& request) {
    dbt::ScaffoldServiceOptions options;
    options.sql_loader = validator::DefaultSqlLoader();
    options.parallel = ThreadRunner(1);  // --jobs already fills the cores
    return dbt::RunScaffoldProject(request, options, nullptr);
  };
  return calls;
}

int RunBatchCommand(const std::vector<std::string>& args, const BatchCalls& calls, std::ostream& out,
                    std::ostream& err) {
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      out << kUsage << "\n";
      return kExitClean;
    }
  }
  absl::StatusOr<Flags> flags = ParseFlags(args);
  if (!flags.ok()) {
    err << "sqlmill batch: " << flags.status().message() << "\n";
    return kExitUsage;
  }
  absl::StatusOr<std::vector<Unit>> units = DiscoverUnits(flags->input);
  if (!units.ok()) {
    err << "sqlmill batch: " << units.status().message() << "\n";
    return kExitUsage;
  }
  // Targets are configuration: an unknown one fails the run before any unit (exit 2).
  absl::StatusOr<const validator::TargetRegistry*> registry = validator::BuiltinTargets();
  if (!registry.ok()) {
    err << "sqlmill batch: " << registry.status().message() << "\n";
    return kExitUsage;
  }
  const std::vector<std::string> warehouses = (*registry)->warehouse_names();
  auto check_target = [&](const std::string& target, const std::string& where) {
    const validator::TargetProfile* p = (*registry)->Find(target);
    if (p != nullptr && !p->native_tsql()) return true;
    err << "sqlmill batch: " << where << "unknown target '" << target << "' (expected one of "
        << absl::StrJoin(warehouses, ", ") << ")\n";
    return false;
  };
  for (const std::string& t : flags->targets) {
    if (!check_target(t, "")) return kExitUsage;
  }
  for (const Unit& u : *units) {
    if (u.targets.empty() && flags->targets.empty()) {
      err << "sqlmill batch: unit '" << u.name << "' has no targets: pass --target (or give the unit targets)\n";
      return kExitUsage;
    }
    for (const std::string& t : u.targets) {
      if (!check_target(t, absl::StrCat(u.origin, ": unit '", u.name, "': "))) return kExitUsage;
    }
  }
  v1::RuleConfig rules;
  if (absl::Status s = validator::LoadRulesFile(flags->rules_file, &rules); !s.ok()) {
    err << "sqlmill batch: " << s.message() << "\n";
    return kExitUsage;
  }
  const bool sharded = flags->shard_count > 0;
  const std::vector<Unit> mine = sharded ? ShardUnits(*units, flags->shard_index, flags->shard_count) : *units;
  std::error_code ec;
  fs::create_directories(flags->out_dir, ec);
  if (ec) {
    err << "sqlmill batch: cannot create " << flags->out_dir << ": " << ec.message() << "\n";
    return kExitUsage;
  }

  g_stop.store(false);
  g_stop_signal = 0;
  auto previous_int = std::signal(SIGINT, OnSignal);
  auto previous_term = std::signal(SIGTERM, OnSignal);

  Runner runner(*flags, calls, rules);
  std::vector<UnitReport> reports(mine.size());
  size_t already = 0;
  for (const Unit& u : mine) {
    if (!flags->force && runner.IsComplete(u, fs::path(flags->out_dir) / u.name / "result.json")) ++already;
  }
  Progress progress(mine.size(), already, out, err);
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (;;) {
      if (g_stop.load()) return;
      const size_t i = next.fetch_add(1);
      if (i >= mine.size()) return;
      const bool done_before = !flags->force && runner.IsComplete(mine[i], fs::path(flags->out_dir) / mine[i].name / "result.json");
      if (!done_before) progress.Started(mine[i].name);
      reports[i] = runner.Run(mine[i]);
      if (!reports[i].skipped) progress.Finished(reports[i]);
    }
  };
  const int jobs = std::max(1, std::min<int>(flags->jobs > 0 ? flags->jobs : UsableCores(), static_cast<int>(mine.size())));
  std::vector<std::thread> threads;
  for (int j = 1; j < jobs; ++j) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
  progress.End();
  std::signal(SIGINT, previous_int);
  std::signal(SIGTERM, previous_term);

  // Units never started (interrupted) count as left for a retry.
  std::map<std::string, int> totals;
  std::vector<std::string> unit_json;
  bool retry = false, inputs = false, findings = false;
  for (size_t i = 0; i < mine.size(); ++i) {
    UnitReport& r = reports[i];
    if (r.name.empty()) {
      r.name = mine[i].name;
      r.outcome = Outcome::kRetry;
      r.error = "not started: the run was interrupted";
    }
    ++totals[OutcomeName(r.outcome)];
    if (r.skipped) ++totals["skipped"];
    retry = retry || r.outcome == Outcome::kRetry;
    inputs = inputs || r.outcome == Outcome::kInputErrors || r.outcome == Outcome::kFailed;
    findings = findings || r.outcome == Outcome::kFindings;
    if (!r.error.empty() && r.outcome != Outcome::kSkipped) {
      err << "sqlmill batch: " << r.name << ": " << r.error << "\n";
    }
    unit_json.push_back(absl::StrCat("    {\"unit\": \"", JsonEscape(r.name), "\", \"status\": \"", OutcomeName(r.outcome),
                                     "\"", r.error.empty() ? "" : absl::StrCat(", \"error\": \"", JsonEscape(r.error), "\""),
                                     "}"));
  }
  std::vector<std::string> total_json;
  for (const auto& [k, v] : totals) total_json.push_back(absl::StrCat("\"", k, "\": ", v));
  // Every target this shard's units were built for: the command line's, then manifests' own.
  std::vector<std::string> target_names;
  std::vector<std::string> seen_targets;
  auto note_target = [&](const std::string& t) {
    if (std::find(seen_targets.begin(), seen_targets.end(), t) != seen_targets.end()) return;
    seen_targets.push_back(t);
    target_names.push_back(absl::StrCat("\"", JsonEscape(t), "\""));
  };
  for (const std::string& t : flags->targets) note_target(t);
  for (const Unit& u : mine) {
    for (const std::string& t : u.targets) note_target(t);
  }
  const std::string summary = absl::StrCat(
      "{\n  \"shard\": ", sharded ? absl::StrCat("{\"index\": ", flags->shard_index, ", \"count\": ", flags->shard_count, "}") : "null",
      ",\n  \"targets\": [", absl::StrJoin(target_names, ", "), "],\n  \"units\": [\n", absl::StrJoin(unit_json, ",\n"),
      "\n  ],\n  \"totals\": {", absl::StrJoin(total_json, ", "), "},\n  \"interrupted\": ", g_stop.load() ? "true" : "false",
      "\n}\n");
  const std::string summary_name =
      sharded ? absl::StrCat("summary-", flags->shard_index, "-of-", flags->shard_count, ".json") : "summary.json";
  if (absl::Status s = WriteAtomically(fs::path(flags->out_dir) / summary_name, summary); !s.ok()) {
    err << "sqlmill batch: " << s.message() << "\n";
    return kExitRetry;
  }
  err << "sqlmill batch: " << mine.size() << " units" << (sharded ? absl::StrCat(" (shard ", flags->shard_index, " of ", flags->shard_count, ")") : "")
      << ": " << absl::StrJoin(total_json, ", ") << "; summary in " << (fs::path(flags->out_dir) / summary_name).string()
      << "\n";
  if (retry) return kExitRetry;
  if (inputs) return kExitInputErrors;
  if (findings) return kExitFindings;
  return kExitClean;
}

}  // namespace sqlmill::batch

// `sqlmill migrate` (see migrate_command.h).
#include "services/dbt_compiler/migrate_command.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/base/status_macros.h"
#include "services/dbt_compiler/scaffold/scaffold.h"
#include "services/dbt_compiler/service/scaffold_project.h"
#include "services/schema_validator/validate_command.h"

namespace sqlmill::dbt {
namespace {

namespace fs = std::filesystem;

constexpr char kUsage[] =
    "usage: sqlmill migrate SQL_PATH... --target snowflake|bigquery|postgres|redshift|databricks --out DIR\n"
    "         [--database DB]... [--schema SCHEMA]... [--keep-names] [--no-tests] [--use-packages]\n"
    "         [--project-name NAME] [--profile-name NAME] [--source-database DB] [--source-schema PATTERN]\n"
    "         [--quote-source-identifiers] [--rules FILE] [--fail-on error|warning|info]\n"
    "         [--var NAME=VALUE]... [--default-schema dbo] [--no-compile] [--force] [--server HOST:PORT]\n"
    "\n"
    "Turns a SQL Server schema (.sql files and folders, or one catalog .json) into the dbt project that\n"
    "rebuilds it on the target: sources, staging models casting every column to the target type, tests\n"
    "from keys and constraints, and migration_report.json naming every lossy mapping. The project is\n"
    "compiled with sqlmill's dbt compiler to check it. A rerun replaces only what the last run wrote.\n"
    "  --source-schema   the landed schema of each SQL Server schema, with {database} and {schema}\n"
    "                    (default {schema})\n"
    "  --use-packages    composite-key tests from dbt_utils (writes packages.yml; run `dbt deps`)\n"
    "  --force           also replace files at generated paths that a user created\n"
    "Exit codes: 0 clean, 1 findings at --fail-on, 2 usage/configuration, 3 input errors (parse errors,\n"
    "or the generated project does not compile).";

struct Flags {
  std::vector<std::string> paths;
  std::string target, out_dir, project_name, profile_name, source_database, source_schema, rules_file;
  std::string fail_on = "error";
  std::string default_schema;
  std::vector<std::string> databases, schemas;
  std::map<std::string, std::string> vars;
  bool keep_names = false, no_tests = false, use_packages = false, quote_source = false, no_compile = false,
       force = false;
};

absl::StatusOr<Flags> ParseFlags(const std::vector<std::string>& args) {
  Flags f;
  const std::map<std::string, bool*> switches = {
      {"--keep-names", &f.keep_names},     {"--no-tests", &f.no_tests},
      {"--use-packages", &f.use_packages}, {"--quote-source-identifiers", &f.quote_source},
      {"--no-compile", &f.no_compile},     {"--force", &f.force}};
  const std::map<std::string, std::string*> values = {
      {"--target", &f.target},           {"--out", &f.out_dir},
      {"--project-name", &f.project_name}, {"--profile-name", &f.profile_name},
      {"--source-database", &f.source_database}, {"--source-schema", &f.source_schema},
      {"--rules", &f.rules_file},        {"--fail-on", &f.fail_on},
      {"--default-schema", &f.default_schema}};
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg.rfind("--", 0) != 0) {
      f.paths.push_back(arg);
      continue;
    }
    std::string value;
    bool has_value = false;
    if (const size_t eq = arg.find('='); eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_value = true;
    }
    std::replace(arg.begin() + 2, arg.end(), '_', '-');
    if (auto s = switches.find(arg); s != switches.end()) {
      if (has_value) return absl::InvalidArgumentError(absl::StrCat("flag ", arg, " takes no value"));
      *s->second = true;
      continue;
    }
    const bool list = arg == "--database" || arg == "--schema" || arg == "--var";
    auto v = values.find(arg);
    if (v == values.end() && !list) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag '", arg, "' (see sqlmill migrate --help)"));
    }
    if (!has_value) {
      if (i + 1 >= args.size()) return absl::InvalidArgumentError(absl::StrCat("flag ", arg, ": expected a value"));
      value = args[++i];
    }
    if (arg == "--database") {
      f.databases.push_back(value);
    } else if (arg == "--schema") {
      f.schemas.push_back(value);
    } else if (arg == "--var") {
      const size_t eq = value.find('=');
      if (eq == std::string::npos) {
        return absl::InvalidArgumentError(absl::StrCat("flag --var: expected NAME=VALUE but found '", value, "'"));
      }
      f.vars[value.substr(0, eq)] = value.substr(eq + 1);
    } else {
      *v->second = value;
    }
  }
  if (f.paths.empty()) return absl::InvalidArgumentError("expected at least one SQL file, folder or catalog .json");
  if (f.target.empty()) return absl::InvalidArgumentError("--target is required");
  if (f.out_dir.empty()) return absl::InvalidArgumentError("--out DIR is required");
  if (absl::Status s = validator::FailOnThreshold(f.fail_on).status(); !s.ok()) return s;
  return f;
}

std::string SeverityWord(v1::Severity s) {
  switch (s) {
    case v1::SEVERITY_ERROR: return "error";
    case v1::SEVERITY_WARNING: return "warning";
    case v1::SEVERITY_INFO: return "info";
    default: return "hint";
  }
}

void PrintDiagnostic(const v1::Diagnostic& d, std::ostream& err) {
  if (!d.span().file().empty()) {
    err << d.span().file();
    if (d.span().line() > 0) err << ":" << d.span().line() << ":" << d.span().column();
    err << ": ";
  }
  err << SeverityWord(d.severity()) << ": " << d.message() << " [" << d.code() << "]\n";
}

absl::Status WriteFileAtomically(const fs::path& path, const std::string& content) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("cannot create ", path.parent_path().string(), ": ", ec.message()));
  const fs::path tmp = path.string() + ".sqlmill-tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) return absl::InvalidArgumentError(absl::StrCat("cannot write ", tmp.string()));
  }
  fs::rename(tmp, path, ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("cannot write ", path.string(), ": ", ec.message()));
  return absl::OkStatus();
}

std::set<std::string> ReadManifest(const fs::path& dir) {
  std::set<std::string> paths;
  std::ifstream in(dir / kScaffoldManifestFile);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != '#') paths.insert(line);
  }
  return paths;
}

// Writes the project into dir: generated files replace the last run's, stale ones go, a
// user's file at a generated path stays (unless force). Returns the paths skipped.
absl::StatusOr<std::vector<std::string>> WriteProject(const fs::path& dir, const v1::ScaffoldProjectResponse& response,
                                                      bool force, size_t* written) {
  const std::set<std::string> previous = ReadManifest(dir);
  std::set<std::string> generated;
  std::vector<std::string> skipped;
  for (const v1::ProjectFile& f : response.files()) {
    if (f.path().empty() || f.path()[0] == '/' || f.path().find("..") != std::string::npos) {
      return absl::InternalError(absl::StrCat("refusing to write outside ", dir.string(), ": '", f.path(), "'"));
    }
    const fs::path target = dir / f.path();
    std::error_code ec;
    if (fs::exists(target, ec) && !previous.contains(f.path()) && !force) {
      skipped.push_back(f.path());
      continue;
    }
    SQLMILL_RETURN_IF_ERROR(WriteFileAtomically(target, f.content()));
    generated.insert(f.path());
    ++*written;
  }
  for (const std::string& old : previous) {
    if (generated.contains(old) || old.find("..") != std::string::npos || old.empty() || old[0] == '/') continue;
    std::error_code ec;
    fs::remove(dir / old, ec);
    // Remove folders the stale file leaves empty, up to (not including) dir.
    for (fs::path p = (dir / old).parent_path(); p != dir && p.string().size() > dir.string().size();
         p = p.parent_path()) {
      if (!fs::is_empty(p, ec) || ec) break;
      fs::remove(p, ec);
    }
  }
  std::string manifest =
      "# Files written by `sqlmill migrate`; a rerun replaces and removes only these.\n";
  for (const std::string& p : generated) absl::StrAppend(&manifest, p, "\n");
  SQLMILL_RETURN_IF_ERROR(WriteFileAtomically(dir / kScaffoldManifestFile, manifest));
  return skipped;
}

void PrintSummary(const v1::ScaffoldProjectResponse& r, const std::string& target, const fs::path& dir,
                  size_t written, double write_ms, const std::string& fail_on, std::ostream& out) {
  const v1::ScaffoldSummary& s = r.summary();
  out << "sqlmill migrate: " << s.tables() << " tables (" << s.sources() << " sources), " << s.columns()
      << " columns -> " << target << " dbt project '" << r.project_name() << "'\n";
  std::vector<std::string> lossy;
  for (const char* loss : {"precision", "range", "semantics", "unsupported"}) {
    auto it = s.columns_by_loss().find(loss);
    if (it != s.columns_by_loss().end() && it->second > 0) lossy.push_back(absl::StrCat(loss, " ", it->second));
  }
  out << "  lossy columns: " << (lossy.empty() ? "none" : absl::StrJoin(lossy, ", ")) << "\n";
  std::vector<std::pair<std::string, uint32_t>> tests(s.tests_by_name().begin(), s.tests_by_name().end());
  std::sort(tests.begin(), tests.end());
  std::vector<std::string> by_name;
  for (const auto& [name, n] : tests) by_name.push_back(absl::StrCat(name, " ", n));
  out << "  tests: " << s.tests();
  if (!by_name.empty()) out << " (" << absl::StrJoin(by_name, ", ") << ")";
  out << "\n";
  out << "  renamed: " << s.renames() << "; not scaffolded (views, routines, ...): " << s.skipped() << "\n";
  out << "  validator: " << s.findings() << " findings for " << target << ", "
      << (r.passed() ? "passed" : "FAILED") << " at " << fail_on << "\n";
  if (r.compile().ran()) {
    out << "  compile (" << r.compile().adapter_type() << "): " << r.compile().nodes() << " nodes, "
        << r.compile().nodes_compiled() << " compiled, " << r.compile().nodes_failed() << " failed\n";
  } else {
    out << "  compile: skipped (--no-compile)\n";
  }
  out << "  wrote " << written << " files to " << dir.string() << " (details in migration_report.json)\n";
  const v1::ScaffoldTimings& t = r.timings();
  out << absl::StrFormat("  time: parse %.1f ms, validate+scaffold %.1f ms, compile %.1f ms, write %.1f ms\n",
                         t.load_micros() / 1000.0, t.scaffold_micros() / 1000.0, t.compile_micros() / 1000.0,
                         write_ms);
}

}  // namespace

const char* MigrateUsage() { return kUsage; }

int RunMigrateCommandVia(const std::vector<std::string>& args, const ScaffoldCall& call, std::ostream& out,
                         std::ostream& err) {
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      out << kUsage << "\n";
      return 0;
    }
  }
  absl::StatusOr<Flags> flags = ParseFlags(args);
  if (!flags.ok()) {
    err << "sqlmill migrate: " << flags.status().message() << "\n" << kUsage << "\n";
    return 2;
  }
  v1::ScaffoldProjectRequest request;
  absl::StatusOr<v1::SchemaInput> input =
      validator::SchemaInputFromPaths(flags->paths, flags->vars, flags->default_schema);
  if (!input.ok()) {
    err << "sqlmill migrate: " << input.status().message() << "\n";
    return 2;
  }
  *request.mutable_schema() = std::move(*input);
  if (absl::Status s = validator::LoadRulesFile(flags->rules_file, request.mutable_rules()); !s.ok()) {
    err << "sqlmill migrate: " << s.message() << "\n";
    return 2;
  }
  request.set_target(flags->target);
  request.set_project_name(flags->project_name);
  request.set_profile_name(flags->profile_name);
  for (const std::string& d : flags->databases) request.add_databases(d);
  for (const std::string& s : flags->schemas) request.add_schemas(s);
  request.set_keep_names(flags->keep_names);
  request.set_tests(!flags->no_tests);
  request.set_use_packages(flags->use_packages);
  request.set_source_database(flags->source_database);
  request.set_source_schema_pattern(flags->source_schema);
  request.set_quote_source_identifiers(flags->quote_source);
  request.set_fail_threshold(validator::FailOnThreshold(flags->fail_on).value());
  request.set_compile(!flags->no_compile);
  if (flags->use_packages) {
    // Packages `dbt deps` installed into an earlier run's project compile with this one.
    const fs::path packages = fs::path(flags->out_dir) / "dbt_packages";
    std::error_code ec;
    if (fs::is_directory(packages, ec)) {
      for (const auto& e : fs::recursive_directory_iterator(packages, ec)) {
        if (!e.is_regular_file()) continue;
        std::ifstream in(e.path(), std::ios::binary);
        std::ostringstream content;
        content << in.rdbuf();
        v1::ProjectFile* f = request.add_package_files();
        f->set_path(fs::relative(e.path(), flags->out_dir).generic_string());
        f->set_content(content.str());
      }
    }
  }

  absl::StatusOr<v1::ScaffoldProjectResponse> response = call(request);
  if (!response.ok()) {
    err << "sqlmill migrate: " << response.status().message() << "\n";
    return 2;
  }
  bool input_errors = false;
  for (const v1::Diagnostic& d : response->diagnostics()) {
    PrintDiagnostic(d, err);
    input_errors = input_errors || d.severity() == v1::SEVERITY_ERROR;
  }
  for (const v1::Diagnostic& d : response->compile().diagnostics()) PrintDiagnostic(d, err);
  const bool compile_failed = response->compile().ran() && response->compile().nodes_failed() > 0;

  const fs::path dir(flags->out_dir);
  size_t written = 0;
  const auto write_start = std::chrono::steady_clock::now();
  absl::StatusOr<std::vector<std::string>> skipped = WriteProject(dir, *response, flags->force, &written);
  const double write_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - write_start).count();
  if (!skipped.ok()) {
    err << "sqlmill migrate: " << skipped.status().message() << "\n";
    return 2;
  }
  for (const std::string& p : *skipped) {
    err << "sqlmill migrate: warning: kept " << (dir / p).string()
        << ": it was not written by sqlmill migrate (use --force to replace it)\n";
  }
  PrintSummary(*response, flags->target, dir, written, write_ms, flags->fail_on, out);
  if (compile_failed) {
    err << "sqlmill migrate: the generated project has " << response->compile().nodes_failed()
        << " node(s) that do not compile (above); please report this with the schema\n";
  }
  if (input_errors || compile_failed) return 3;
  return response->passed() ? 0 : 1;
}

int RunMigrateCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  ScaffoldServiceOptions options;
  options.sql_loader = validator::DefaultSqlLoader();
  return RunMigrateCommandVia(
      args, [&options](const v1::ScaffoldProjectRequest& request) { return RunScaffoldProject(request, options, nullptr); },
      out, err);
}

}  // namespace sqlmill::dbt

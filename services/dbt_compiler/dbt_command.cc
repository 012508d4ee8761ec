// `sqlmill dbt compile` (see dbt_command.h). Stateless; thread-safe.
#include "services/dbt_compiler/dbt_command.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/diagnostic.h"
#include "services/dbt_compiler/engine/compiler.h"

namespace sqlmill::dbt {
namespace {

namespace fs = std::filesystem;

constexpr char kUsage[] =
    "usage: sqlmill dbt compile PROJECT_DIR [flags]\n"
    "\n"
    "Compiles a dbt project (packages under PROJECT_DIR/dbt_packages) and writes\n"
    "PROJECT_DIR/target/compiled/... and PROJECT_DIR/target/manifest.json.\n"
    "\n"
    "flags:\n"
    "  --target-type TYPE     postgres (default), redshift, snowflake, bigquery, duckdb,\n"
    "                         sqlserver, synapse, fabric\n"
    "  --target-name NAME     target.name (default dev)\n"
    "  --database DB          target database (default analytics)\n"
    "  --schema SCHEMA        target schema (default dbt)\n"
    "  --vars '{...}'         JSON or YAML vars\n"
    "  --env NAME=VALUE       a value for env_var() (repeatable; the process env is not read)\n"
    "  --select SPEC          dbt selector (repeatable)\n"
    "  --exclude SPEC         dbt selector to leave out (repeatable)\n"
    "  --relations-exist      treat every relation as built (incremental models compile as\n"
    "                         on a second run)\n"
    "  --full-refresh         as dbt --full-refresh\n"
    "  --dbt-version V        produce an older dbt's output where it differs (e.g. 1.4)\n"
    "  --invocation-id ID     fixed invocation_id (default all zeros)\n"
    "  --threads N            render threads (default: all cores)\n"
    "  --quiet                print only diagnostics\n";

bool WriteFile(const fs::path& path, const std::string& text, std::ostream& err) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) {
    err << "sqlmill dbt: cannot write " << path.string() << "\n";
    return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<FileMap> ReadProjectDirectory(const std::string& dir) {
  if (!fs::is_directory(dir)) return absl::NotFoundError(absl::StrCat(dir, " is not a directory"));
  FileMap files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::follow_directory_symlink, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const std::string rel = fs::relative(it->path(), dir).generic_string();
    if (it->is_directory()) {
      if (rel == "target" || rel == "logs" || rel == ".git" || rel == ".venv" ||
          absl::EndsWith(rel, "/.git")) {
        it.disable_recursion_pending();
      }
      continue;
    }
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    files[rel] = ss.str();
  }
  return files;
}

int RunDbtCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    (args.empty() ? err : out) << kUsage;
    return args.empty() ? 2 : 0;
  }
  if (args[0] != "compile") {
    err << "sqlmill dbt: unknown subcommand '" << args[0] << "'\n\n" << kUsage;
    return 2;
  }
  CompileOptions options;
  options.target.database = "analytics";
  options.target.schema = "dbt";
  std::string dir;
  bool quiet = false;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string* v) {
      if (i + 1 >= args.size()) {
        err << "sqlmill dbt: " << a << " needs a value\n";
        return false;
      }
      *v = args[++i];
      return true;
    };
    std::string v;
    if (a == "--help" || a == "-h") {
      out << kUsage;
      return 0;
    } else if (a == "--target-type" || a == "--adapter") {
      if (!value(&options.target.adapter_type)) return 2;
    } else if (a == "--target-name" || a == "--target") {
      if (!value(&options.target.name)) return 2;
    } else if (a == "--database") {
      if (!value(&options.target.database)) return 2;
    } else if (a == "--schema") {
      if (!value(&options.target.schema)) return 2;
    } else if (a == "--vars") {
      if (!value(&options.vars)) return 2;
    } else if (a == "--env") {
      if (!value(&v)) return 2;
      const size_t eq = v.find('=');
      if (eq == std::string::npos) {
        err << "sqlmill dbt: --env takes NAME=VALUE\n";
        return 2;
      }
      options.env[v.substr(0, eq)] = v.substr(eq + 1);
    } else if (a == "--select" || a == "-s" || a == "--models" || a == "-m") {
      if (!value(&v)) return 2;
      options.select.push_back(v);
    } else if (a == "--exclude") {
      if (!value(&v)) return 2;
      options.exclude.push_back(v);
    } else if (a == "--relations-exist") {
      options.relations_exist = true;
    } else if (a == "--full-refresh") {
      options.full_refresh = true;
    } else if (a == "--dbt-version") {
      if (!value(&options.dbt_version)) return 2;
    } else if (a == "--invocation-id") {
      if (!value(&options.invocation_id)) return 2;
    } else if (a == "--threads") {
      if (!value(&v)) return 2;
      options.parallelism = std::atoi(v.c_str());
    } else if (a == "--quiet" || a == "-q") {
      quiet = true;
    } else if (absl::StartsWith(a, "-")) {
      err << "sqlmill dbt: unknown flag '" << a << "'\n\n" << kUsage;
      return 2;
    } else if (dir.empty()) {
      dir = a;
    } else {
      err << "sqlmill dbt: more than one PROJECT_DIR given\n";
      return 2;
    }
  }
  if (dir.empty()) {
    err << "sqlmill dbt compile: PROJECT_DIR is required\n\n" << kUsage;
    return 2;
  }
  auto files = ReadProjectDirectory(dir);
  if (!files.ok()) {
    err << "sqlmill dbt: " << files.status().message() << "\n";
    return 1;
  }
  options.files = std::make_shared<FileMap>(std::move(*files));
  auto result = Compile(options);
  if (!result.ok()) {
    err << "sqlmill dbt: " << result.status().message() << "\n";
    return 1;
  }
  const CompiledProject& cp = *result->project;
  bool ok = true;
  for (const Node* n : cp.nodes_in_order()) {
    if (!n->compiled) continue;
    ok = WriteFile(fs::path(dir) / n->compiled_path, n->compiled_code, err) && ok;
  }
  ok = WriteFile(fs::path(dir) / "target" / "manifest.json", WriteManifest(cp, options), err) && ok;
  size_t errors = 0;
  for (const auto& d : result->diagnostics) {
    if (d.severity == Severity::kError) ++errors;
    err << FormatDiagnostic(d) << "\n";
    for (const auto& c : d.context) err << "    " << c << "\n";
  }
  if (!quiet) {
    out << "Compiled " << result->stats.nodes_compiled << " of " << result->stats.nodes << " nodes ("
        << result->stats.nodes_failed << " failed, " << result->stats.macros << " macros) for "
        << cp.adapter_type() << " in " << result->stats.compile_micros / 1000.0 << " ms\n";
    out << "DAG order:\n";
    for (const auto& id : cp.dag_order()) out << "  " << id << "\n";
    out << "Wrote " << (fs::path(dir) / "target").string() << "/compiled and manifest.json\n";
  }
  return (ok && errors == 0) ? 0 : 1;
}

}  // namespace sqlmill::dbt

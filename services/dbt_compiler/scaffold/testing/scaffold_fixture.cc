#include "services/dbt_compiler/scaffold/testing/scaffold_fixture.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"

namespace sqlmill::dbt::testing {

namespace fs = std::filesystem;

namespace {
std::string ReadWhole(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

std::vector<validator::SqlFile> ReadSql(const fs::path& path) {
  std::vector<validator::SqlFile> files;
  const fs::path base = path.parent_path();
  if (fs::is_regular_file(path)) {
    files.push_back({fs::relative(path, base).generic_string(), ReadWhole(path)});
    return files;
  }
  for (const auto& e : fs::recursive_directory_iterator(path)) {
    std::string ext = e.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    if (!e.is_regular_file() || ext != ".sql") continue;
    files.push_back({fs::relative(e.path(), base).generic_string(), ReadWhole(e.path())});
  }
  std::sort(files.begin(), files.end(),
            [](const validator::SqlFile& a, const validator::SqlFile& b) { return a.name < b.name; });
  return files;
}

absl::StatusOr<ScaffoldOutput> ScaffoldSql(const std::vector<validator::SqlFile>& files, ScaffoldOptions options,
                                           tsql::Catalog* catalog, std::vector<Diagnostic>* parse_errors) {
  SQLMILL_ASSIGN_OR_RETURN(validator::SqlSchema schema, validator::ParseSqlSchema(files, {}, nullptr));
  if (parse_errors != nullptr) {
    for (const Diagnostic& d : schema.diagnostics) {
      if (d.severity == Severity::kError) parse_errors->push_back(d);
    }
  }
  options.sources = schema.sources;
  absl::StatusOr<ScaffoldOutput> out = Scaffold(schema.catalog, options);
  if (catalog != nullptr) *catalog = std::move(schema.catalog);
  return out;
}

absl::StatusOr<CompileOutput> CompileScaffold(const ScaffoldOutput& out, const std::string& target) {
  CompileOptions compile;
  auto files = std::make_shared<FileMap>();
  for (const ScaffoldFile& f : out.files) (*files)[f.path] = f.content;
  compile.files = files;
  compile.target.adapter_type = DbtAdapterForTarget(target);
  compile.target.database = "warehouse";
  compile.target.schema = "analytics";
  compile.parallelism = 1;
  return Compile(compile);
}

std::string DumpFiles(const ScaffoldOutput& out) {
  std::string dump;
  for (const ScaffoldFile& f : out.files) absl::StrAppend(&dump, "=== ", f.path, " ===\n", f.content);
  return dump;
}

}  // namespace sqlmill::dbt::testing

// Scaffold corpus test (issue #15): every folder of ../shared/corpus/mssql (all *.sql files,
// recursively and sorted, as one schema) is scaffolded for every warehouse target. Every
// table of the catalog must get exactly one source table entry and one staging model, and
// the generated project must compile with our dbt compiler with zero errors. Skipped, with
// a message, when the corpus is not checked out beside the source root.
//
// Test-only.
#include <filesystem>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "services/dbt_compiler/scaffold/testing/scaffold_fixture.h"

namespace sqlmill::dbt {
namespace {

namespace fs = std::filesystem;

const char kCorpusDir[] = "../shared/corpus/mssql";

// Source table entries per sources file: the `      - name:` lines under `tables:`.
size_t CountSourceTables(const ScaffoldOutput& out) {
  size_t n = 0;
  for (const ScaffoldFile& f : out.files) {
    if (f.path.size() < 13 || f.path.compare(f.path.size() - 13, 13, "__sources.yml") != 0) continue;
    for (absl::string_view line : absl::StrSplit(f.content, '\n')) {
      if (absl::StartsWith(line, "      - name: ")) ++n;
    }
  }
  return n;
}

TEST(ScaffoldCorpus, EveryTableGetsOneSourceAndOneModelAndTheProjectCompiles) {
  if (!fs::is_directory(kCorpusDir)) {
    GTEST_SKIP() << "corpus not found at " << kCorpusDir << " (relative to " << fs::current_path().string()
                 << "): clone the shared material beside the project to run this test";
  }
  std::vector<fs::path> folders;
  for (const auto& e : fs::directory_iterator(kCorpusDir)) {
    if (e.is_directory()) folders.push_back(e.path());
  }
  std::sort(folders.begin(), folders.end());
  ASSERT_FALSE(folders.empty());
  for (const fs::path& folder : folders) {
    const std::vector<validator::SqlFile> files = testing::ReadSql(folder);
    for (const char* target : testing::kWarehouseTargets) {
      SCOPED_TRACE(absl::StrCat(folder.filename().string(), " for ", target));
      ScaffoldOptions options;
      options.target = target;
      tsql::Catalog catalog;
      absl::StatusOr<ScaffoldOutput> out = testing::ScaffoldSql(files, options, &catalog);
      ASSERT_TRUE(out.ok()) << out.status();
      const int tables = catalog.Counts().tables;
      EXPECT_GT(tables, 0);
      EXPECT_EQ(out->report.tables.size(), static_cast<size_t>(tables));
      EXPECT_EQ(CountSourceTables(*out), static_cast<size_t>(tables));
      std::set<std::string> paths;
      for (const ScaffoldFile& f : out->files) paths.insert(f.path);
      std::set<std::string> models;
      for (const ScaffoldTable& t : out->report.tables) {
        EXPECT_TRUE(paths.contains(t.model_path)) << t.model_path;
        EXPECT_TRUE(models.insert(t.model_name).second) << "model " << t.model_name << " twice";
      }
      size_t model_files = 0;
      for (const std::string& p : paths) {
        if (p.find("/stg_") != std::string::npos && p.size() > 4 && p.substr(p.size() - 4) == ".sql") ++model_files;
      }
      EXPECT_EQ(model_files, static_cast<size_t>(tables));

      absl::StatusOr<CompileOutput> compiled = testing::CompileScaffold(*out, target);
      ASSERT_TRUE(compiled.ok()) << compiled.status();
      EXPECT_EQ(compiled->stats.nodes_failed, 0u);
      EXPECT_EQ(compiled->stats.nodes_compiled, compiled->stats.nodes);
      for (const Diagnostic& d : compiled->diagnostics) {
        EXPECT_NE(d.severity, Severity::kError) << d.file << ":" << d.location.line << ": " << d.message;
      }
    }
  }
}

}  // namespace
}  // namespace sqlmill::dbt

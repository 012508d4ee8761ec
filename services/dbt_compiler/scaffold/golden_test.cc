// Scaffold goldens: the bundled example schema (examples/sqlserver/retail) and the hand-written
// edge cases (testdata/edge_cases.sql) scaffolded for every warehouse target, plus option
// variants on Snowflake. Each golden (testdata/<case>.<target>.golden) is every generated
// file, migration_report.json included; every generated project must compile with zero
// errors. UPDATE_GOLDENS=1 rewrites the goldens (review the diff).
//
// Tests run with the source root as the working directory. Test-only.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/dbt_compiler/scaffold/testing/scaffold_fixture.h"

namespace sqlmill::dbt {
namespace {

namespace fs = std::filesystem;

const char kTestdata[] = "services/dbt_compiler/scaffold/testdata";

struct Case {
  std::string name;     // golden stem
  std::string input;    // file or folder
  std::string target;
  void (*configure)(ScaffoldOptions*) = nullptr;
};

std::vector<Case> Cases() {
  std::vector<Case> cases;
  for (const char* t : testing::kWarehouseTargets) {
    cases.push_back({"retail", "examples/sqlserver/retail", t});
    cases.push_back({"edge_cases", std::string(kTestdata) + "/edge_cases.sql", t});
  }
  cases.push_back({"edge_cases.keep_names", std::string(kTestdata) + "/edge_cases.sql", "snowflake",
                   [](ScaffoldOptions* o) { o->keep_names = true; }});
  cases.push_back({"edge_cases.packages", std::string(kTestdata) + "/edge_cases.sql", "snowflake",
                   [](ScaffoldOptions* o) {
                     o->use_packages = true;
                     o->quote_source_identifiers = true;
                     o->source_database = "RAW";
                     o->source_schema_pattern = "{database}_{schema}";
                     o->project_name = "shop_floor_raw";
                   }});
  cases.push_back({"edge_cases.no_tests", std::string(kTestdata) + "/edge_cases.sql", "postgres",
                   [](ScaffoldOptions* o) {
                     o->tests = false;
                     o->schemas = {"Order Entry"};
                   }});
  return cases;
}

class ScaffoldGoldenTest : public ::testing::TestWithParam<Case> {};

TEST_P(ScaffoldGoldenTest, MatchesGoldenAndCompiles) {
  const Case& c = GetParam();
  ScaffoldOptions options;
  options.target = c.target;
  if (c.configure != nullptr) c.configure(&options);
  std::vector<Diagnostic> parse_errors;
  absl::StatusOr<ScaffoldOutput> out = testing::ScaffoldSql(testing::ReadSql(c.input), options, nullptr, &parse_errors);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(parse_errors.empty()) << parse_errors[0].message;

  // Deterministic: a second run gives the same bytes.
  absl::StatusOr<ScaffoldOutput> again = testing::ScaffoldSql(testing::ReadSql(c.input), options);
  ASSERT_TRUE(again.ok());
  const std::string dump = testing::DumpFiles(*out);
  EXPECT_EQ(dump, testing::DumpFiles(*again));

  const fs::path golden = fs::path(kTestdata) / (c.name + "." + c.target + ".golden");
  const char* update = std::getenv("UPDATE_GOLDENS");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(golden, std::ios::binary) << dump;
  } else {
    std::ifstream in(golden, std::ios::binary);
    ASSERT_TRUE(in) << golden << " is missing (run with UPDATE_GOLDENS=1 and review it)";
    std::ostringstream expected;
    expected << in.rdbuf();
    EXPECT_EQ(dump, expected.str()) << golden << " differs (UPDATE_GOLDENS=1 rewrites it)";
  }

  absl::StatusOr<CompileOutput> compiled = testing::CompileScaffold(*out, c.target);
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  if (options.use_packages) {
    // Without `dbt deps` the dbt_utils tests cannot compile, and only they fail, clearly.
    EXPECT_EQ(compiled->stats.nodes_failed, out->report.summary.tests_by_name["dbt_utils.unique_combination_of_columns"]);
    for (const Diagnostic& d : compiled->diagnostics) EXPECT_THAT(d.message, ::testing::HasSubstr("'dbt_utils' is undefined"));
    return;
  }
  EXPECT_EQ(compiled->stats.nodes_failed, 0u);
  for (const Diagnostic& d : compiled->diagnostics) {
    EXPECT_NE(d.severity, Severity::kError) << d.file << ":" << d.location.line << ": " << d.message;
  }
  if (c.configure == nullptr) {
    EXPECT_EQ(compiled->stats.nodes, compiled->stats.nodes_compiled);
    EXPECT_GT(compiled->stats.nodes, out->report.tables.size());  // the models plus their tests
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, ScaffoldGoldenTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string name = info.param.name + "_" + info.param.target;
                           for (char& ch : name) {
                             if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace sqlmill::dbt

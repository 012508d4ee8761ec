// End-to-end compiles of real projects: the bundled example (always), and the public
// corpus projects (jaffle_shop, jaffle-shop with dbt_utils, dbt-utils' integration tests)
// for every supported adapter, which must compile with zero errors other than nodes that
// need a warehouse query. Corpus cases skip when ../shared is absent.
#include <filesystem>
#include <iostream>
#include <regex>
#include <set>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/dbt_compiler/engine/compiler.h"
#include "services/dbt_compiler/engine/testing/project_files.h"

namespace sqlmill::dbt {
namespace {

namespace fs = std::filesystem;

constexpr const char* kAdapters[] = {"postgres", "redshift", "snowflake", "bigquery",
                                     "duckdb",   "sqlserver", "synapse",  "fabric"};

struct Counts {
  int compiled = 0, failed = 0, warehouse = 0, errors = 0;
  std::vector<std::string> messages;
};

Counts CompileAndCount(std::shared_ptr<FileMap> files, const std::string& adapter) {
  CompileOptions options;
  options.files = files;
  options.target.adapter_type = adapter;
  options.target.database = "analytics";
  options.target.schema = "dbt_ci";
  options.parallelism = 2;
  Counts c;
  auto out = Compile(options);
  EXPECT_TRUE(out.ok()) << out.status();
  if (!out.ok()) return c;
  c.compiled = out->stats.nodes_compiled;
  c.failed = out->stats.nodes_failed;
  for (const auto& d : out->diagnostics) {
    if (d.severity != Severity::kError) continue;
    if (d.code == "needs-warehouse-query") {
      ++c.warehouse;
    } else {
      ++c.errors;
      c.messages.push_back(d.file + ":" + std::to_string(d.location.line) + ": [" + d.code + "] " + d.message);
    }
  }
  return c;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += "\n  " + s;
  return out;
}

TEST(CorpusCompileTest, RetailAnalyticsExample) {
  auto files = std::make_shared<FileMap>();
  testing::AddDirectory("examples/dbt/retail_analytics", "", files.get());
  ASSERT_FALSE(files->empty()) << "examples/dbt/retail_analytics is missing";
  for (const char* adapter : kAdapters) {
    Counts c = CompileAndCount(files, adapter);
    EXPECT_EQ(c.errors, 0) << adapter << Join(c.messages);
    EXPECT_EQ(c.warehouse, 0) << adapter;
    EXPECT_GT(c.compiled, 5) << adapter;
  }
}

TEST(CorpusCompileTest, JaffleShopClassic) {
  const fs::path dir = testing::CorpusRoot() / "dbt" / "jaffle_shop";
  if (!fs::exists(dir)) GTEST_SKIP() << dir << " not found";
  auto files = std::make_shared<FileMap>();
  testing::AddDirectory(dir, "", files.get());
  // The corpus copy has no seeds/ directory; its models ref the three seeds the original
  // repository ships, so the test supplies them (headers only).
  (*files)["seeds/raw_customers.csv"] = "id,first_name,last_name\n";
  (*files)["seeds/raw_orders.csv"] = "id,user_id,order_date,status\n";
  (*files)["seeds/raw_payments.csv"] = "id,order_id,payment_method,amount\n";
  for (const char* adapter : kAdapters) {
    Counts c = CompileAndCount(files, adapter);
    EXPECT_EQ(c.errors, 0) << adapter << Join(c.messages);
    EXPECT_EQ(c.warehouse, 0) << adapter;
    std::cout << "jaffle_shop/" << adapter << ": " << c.compiled << " compiled\n";
  }
}

TEST(CorpusCompileTest, JaffleShopWithDbtUtils) {
  const fs::path dir = testing::CorpusRoot() / "dbt" / "jaffle-shop";
  const fs::path utils = testing::CorpusRoot() / "dbt" / "dbt-utils";
  // jaffle-shop's metricflow_time_spine calls dbt_date, which the corpus has (0.14.1) inside
  // the dbtlearn ground-truth project's installed packages.
  const fs::path dbt_date = testing::CorpusRoot() / "dbt-truth" / "yuweisung__dbtlearn" / "dbt_packages" / "dbt_date";
  if (!fs::exists(dir) || !fs::exists(utils)) GTEST_SKIP() << "corpus jaffle-shop/dbt-utils not found";
  auto files = std::make_shared<FileMap>();
  testing::AddDirectory(dir, "", files.get());
  testing::AddDirectory(utils / "macros", "dbt_packages/dbt_utils/macros/", files.get());
  (*files)["dbt_packages/dbt_utils/dbt_project.yml"] = testing::ReadFileOrEmpty(utils / "dbt_project.yml");
  testing::AddDirectory(dbt_date, "dbt_packages/dbt_date/", files.get());
  for (const char* adapter : kAdapters) {
    Counts c = CompileAndCount(files, adapter);
    EXPECT_EQ(c.errors, 0) << adapter << Join(c.messages);
    std::cout << "jaffle-shop/" << adapter << ": " << c.compiled << " compiled, " << c.warehouse
              << " need a warehouse query\n";
  }
}

TEST(CorpusCompileTest, DbtUtilsIntegrationTests) {
  const fs::path utils = testing::CorpusRoot() / "dbt" / "dbt-utils";
  if (!fs::exists(utils)) GTEST_SKIP() << utils << " not found";
  auto files = std::make_shared<FileMap>();
  testing::AddDirectory(utils / "integration_tests", "", files.get());
  testing::AddDirectory(utils / "macros", "dbt_packages/dbt_utils/macros/", files.get());
  (*files)["dbt_packages/dbt_utils/dbt_project.yml"] = testing::ReadFileOrEmpty(utils / "dbt_project.yml");
  // The corpus copy of integration_tests has no seed CSVs (data/ holds only a YAML file);
  // every ref() to a name that is not a model gets an empty seed so the graph is complete.
  std::set<std::string> models;
  for (const auto& [path, text] : *files) {
    if (absl::StartsWith(path, "models/") && absl::EndsWith(path, ".sql")) {
      models.insert(path.substr(path.rfind('/') + 1, path.size() - path.rfind('/') - 5));
    }
  }
  std::regex ref_re(R"(ref\(\s*['"]([A-Za-z0-9_]+)['"]\s*\))");
  FileMap seeds;
  for (const auto& [path, text] : *files) {
    if (absl::StartsWith(path, "dbt_packages/")) continue;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), ref_re); it != std::sregex_iterator(); ++it) {
      const std::string name = (*it)[1].str();
      if (!models.count(name)) seeds["data/" + name + ".csv"] = "id\n";
    }
  }
  files->insert(seeds.begin(), seeds.end());
  for (const char* adapter : kAdapters) {
    Counts c = CompileAndCount(files, adapter);
    EXPECT_EQ(c.errors, 0) << adapter << Join(c.messages);
    std::cout << "dbt-utils integration_tests/" << adapter << ": " << c.compiled << " compiled, "
              << c.warehouse << " need a warehouse query\n";
  }
}

}  // namespace
}  // namespace sqlmill::dbt

#include "tools/batch/batch_plan.h"

#include <filesystem>
#include <fstream>
#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sqlmill::batch {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class BatchPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("batch-plan-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const std::string& rel, const std::string& text) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << text;
  }
  fs::path root_;
};

TEST_F(BatchPlanTest, FolderEstateHasOneUnitPerSubfolderWithSql) {
  Write("b/Tables/t2.sql", "CREATE TABLE t2 (a int);");
  Write("b/Tables/t1.sql", "CREATE TABLE t1 (a int);");
  Write("a/x.SQL", "CREATE TABLE x (a int);");
  Write("docs/readme.md", "not a database");
  Write(".git/config", "");
  auto units = DiscoverUnits(root_.string());
  ASSERT_TRUE(units.ok()) << units.status();
  ASSERT_EQ(units->size(), 2u);
  EXPECT_EQ((*units)[0].name, "a");
  EXPECT_EQ((*units)[1].name, "b");
  EXPECT_THAT((*units)[1].names, ElementsAre("b/Tables/t1.sql", "b/Tables/t2.sql"));
  EXPECT_EQ((*units)[1].bytes, 48u);
}

TEST_F(BatchPlanTest, YamlAndJsonLinesManifests) {
  Write("sql/pubs.sql", "CREATE TABLE p (a int);");
  Write("sql/nw/1.sql", "CREATE TABLE n (a int);");
  Write("estate.yaml",
        "units:\n"
        "  - name: pubs\n    paths: [sql/pubs.sql]\n    targets: [snowflake, bigquery]\n    vars: {DatabaseName: Pubs}\n"
        "  - {name: northwind, paths: [sql/nw]}\n");
  auto units = DiscoverUnits((root_ / "estate.yaml").string());
  ASSERT_TRUE(units.ok()) << units.status();
  ASSERT_EQ(units->size(), 2u);
  EXPECT_THAT((*units)[0].targets, ElementsAre("snowflake", "bigquery"));
  EXPECT_EQ((*units)[0].vars.at("DatabaseName"), "Pubs");
  EXPECT_THAT((*units)[1].names, ElementsAre("sql/nw/1.sql"));

  Write("estate.jsonl", "{\"name\": \"pubs\", \"paths\": [\"sql/pubs.sql\"]}\n\n{\"name\": \"nw\", \"paths\": [\"sql/nw\"]}\n");
  units = DiscoverUnits((root_ / "estate.jsonl").string());
  ASSERT_TRUE(units.ok()) << units.status();
  EXPECT_EQ(units->size(), 2u);
}

TEST_F(BatchPlanTest, BadManifestsNameTheFileAndLine) {
  Write("m.jsonl", "{\"name\": \"a\", \"paths\": [\"missing.sql\"]}\n");
  auto units = DiscoverUnits((root_ / "m.jsonl").string());
  ASSERT_FALSE(units.ok());
  EXPECT_THAT(std::string(units.status().message()), HasSubstr("m.jsonl:1: '"));
  EXPECT_THAT(std::string(units.status().message()), HasSubstr("missing.sql' does not exist"));
  Write("sql/a.sql", "x");
  Write("m2.yaml", "- {name: a, paths: [sql/a.sql]}\n- {name: a, paths: [sql/a.sql]}\n");
  units = DiscoverUnits((root_ / "m2.yaml").string());
  ASSERT_FALSE(units.ok());
  EXPECT_THAT(std::string(units.status().message()), HasSubstr("unit 'a' appears twice"));
  Write("m3.yaml", "- {name: ../up, paths: [sql/a.sql]}\n");
  units = DiscoverUnits((root_ / "m3.yaml").string());
  ASSERT_FALSE(units.ok());
  EXPECT_THAT(std::string(units.status().message()), HasSubstr("m3.yaml:1: unit name '../up'"));
  Write("m4.yaml", "- {name: a, path: [sql/a.sql]}\n");
  units = DiscoverUnits((root_ / "m4.yaml").string());
  ASSERT_FALSE(units.ok());
  EXPECT_THAT(std::string(units.status().message()), HasSubstr("unknown key 'path'"));
  Write("m5.yaml", "- {name: a, paths: [sql/a.sql\n");
  units = DiscoverUnits((root_ / "m5.yaml").string());
  ASSERT_FALSE(units.ok());
  EXPECT_THAT(std::string(units.status().message()), HasSubstr("m5.yaml:"));
  EXPECT_FALSE(DiscoverUnits((root_ / "nothing-here").string()).ok());
}

TEST(ShardUnits, EveryUnitOnceAndBalancedBySize) {
  std::vector<Unit> units;
  const uint64_t sizes[] = {900, 100, 100, 100, 100, 500, 400, 50, 50, 700};
  for (size_t i = 0; i < std::size(sizes); ++i) {
    Unit u;
    u.name = "u" + std::to_string(i);
    u.bytes = sizes[i];
    units.push_back(u);
  }
  for (int count : {1, 2, 3, 4, 11}) {
    std::set<std::string> seen;
    uint64_t max_load = 0, min_load = UINT64_MAX;
    for (int i = 0; i < count; ++i) {
      uint64_t load = 0;
      for (const Unit& u : ShardUnits(units, i, count)) {
        EXPECT_TRUE(seen.insert(u.name).second) << u.name << " in two shards";
        load += u.bytes;
      }
      max_load = std::max(max_load, load);
      min_load = std::min(min_load, load);
    }
    EXPECT_EQ(seen.size(), units.size()) << count;
    if (count == 2) {
      EXPECT_EQ(max_load, 1500u);  // 3000 bytes split evenly
      EXPECT_EQ(min_load, 1500u);
    }
  }
  // Deterministic, whatever the input order.
  std::vector<Unit> reversed(units.rbegin(), units.rend());
  std::vector<std::string> a, b;
  for (const Unit& u : ShardUnits(units, 1, 3)) a.push_back(u.name);
  for (const Unit& u : ShardUnits(reversed, 1, 3)) b.push_back(u.name);
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace sqlmill::batch

// Tests for inline suppressions (-- sqlmill:ignore rule-id) in SQL source text.
#include "services/schema_validator/engine/suppressions.h"

#include "gtest/gtest.h"

namespace sqlmill::validator {
namespace {

Finding At(std::string rule, int line, std::string file = "a.sql") {
  Finding f;
  f.rule_id = std::move(rule);
  f.location.file = std::move(file);
  f.location.begin = {line, 1};
  return f;
}

TEST(SuppressionsTest, LineBeforeAndSameLine) {
  Suppressions s;
  s.Add("a.sql",
        "-- sqlmill:ignore pk-required, heap-table\n"   // 1
        "CREATE TABLE t (a int)\n"                       // 2
        "CREATE TABLE u (a int) -- sqlmill:ignore money-type\n"  // 3
        "\n"                                             // 4
        "CREATE TABLE v (a int)\n");                     // 5
  EXPECT_TRUE(s.Suppresses(At("pk-required", 2)));
  EXPECT_TRUE(s.Suppresses(At("heap-table", 2)));
  EXPECT_TRUE(s.Suppresses(At("heap-table", 1)));
  EXPECT_FALSE(s.Suppresses(At("money-type", 2)));
  EXPECT_TRUE(s.Suppresses(At("money-type", 3)));
  EXPECT_TRUE(s.Suppresses(At("money-type", 4)));
  EXPECT_FALSE(s.Suppresses(At("money-type", 5)));
  EXPECT_FALSE(s.Suppresses(At("pk-required", 2, "b.sql")));
}

TEST(SuppressionsTest, AllRulesWholeFileAndBlockComments) {
  Suppressions s;
  s.Add("a.sql", "/* sqlmill:ignore */\nCREATE TABLE t (a int)\n/* sqlmill:ignore-file money-type */\n");
  EXPECT_TRUE(s.Suppresses(At("anything", 2)));
  EXPECT_FALSE(s.Suppresses(At("anything", 3)));
  EXPECT_TRUE(s.Suppresses(At("money-type", 40)));
  Suppressions none;
  none.Add("b.sql", "-- sqlmill:ignored pk-required\nCREATE TABLE t (a int)\n");
  EXPECT_FALSE(none.Suppresses(At("pk-required", 2, "b.sql")));
}

}  // namespace
}  // namespace sqlmill::validator

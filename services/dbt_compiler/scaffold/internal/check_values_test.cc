#include "services/dbt_compiler/scaffold/internal/check_values.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sqlmill::dbt::scaffold_internal {
namespace {

using ::testing::ElementsAre;

TEST(ParseCheckValues, InList) {
  auto v = ParseCheckValues("([Status] IN ('Open', N'Closed', 'it''s'))");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->column, "Status");
  EXPECT_THAT(v->values, ElementsAre("Open", "Closed", "it's"));
  EXPECT_TRUE(v->strings);
}

TEST(ParseCheckValues, OrChainAsSqlServerScriptsIt) {
  auto v = ParseCheckValues("([Rating]=(1) OR [Rating]=(2) OR ((3)=[Rating]))");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->column, "Rating");
  EXPECT_THAT(v->values, ElementsAre("1", "2", "3"));
  EXPECT_FALSE(v->strings);
  v = ParseCheckValues("[Rating] IN ((-1), 2.5)");
  ASSERT_TRUE(v);
  EXPECT_THAT(v->values, ElementsAre("-1", "2.5"));
}

TEST(ParseCheckValues, AnythingElseIsNotSimple) {
  EXPECT_FALSE(ParseCheckValues("([Qty]>(0))"));
  EXPECT_FALSE(ParseCheckValues("([a] NOT IN ('x'))"));
  EXPECT_FALSE(ParseCheckValues("([a]='x' OR [b]='y')"));
  EXPECT_FALSE(ParseCheckValues("([a]='x' AND [a]='y')"));
  EXPECT_FALSE(ParseCheckValues("([a] IN ('x', 1))"));
  EXPECT_FALSE(ParseCheckValues("([pub_id]='1389' OR [pub_id] like '99[0-9][0-9]')"));
  EXPECT_FALSE(ParseCheckValues("([a] IN ('x')"));
  EXPECT_FALSE(ParseCheckValues(""));
}

}  // namespace
}  // namespace sqlmill::dbt::scaffold_internal

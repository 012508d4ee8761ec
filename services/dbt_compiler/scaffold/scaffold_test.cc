// Scaffold engine tests on hand-written schemas; the goldens (golden_test) cover whole
// projects per target and the corpus test every corpus schema.
#include "services/dbt_compiler/scaffold/scaffold.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sqlmill::dbt {
namespace {

TEST(Scaffold, UnknownTargetNamesTheKnownOnes) {
  tsql::Catalog catalog;
  ScaffoldOptions options;
  options.target = "oracle";
  auto out = Scaffold(catalog, options);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), ::testing::HasSubstr("(expected one of bigquery, databricks, postgres, redshift, snowflake)"));
  options.target = "sqlserver";
  out = Scaffold(catalog, options);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), ::testing::HasSubstr("source platform"));
}

}  // namespace
}  // namespace sqlmill::dbt

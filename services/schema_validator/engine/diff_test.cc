// Tests for type-change classification (the catalog-level diff is covered by the goldens
// in testdata/diff) and Diff's configuration handling.
#include "services/schema_validator/engine/diff.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/schema_validator/engine/sql_type.h"
#include "services/schema_validator/engine/testing/catalog_fixture.h"

namespace sqlmill::validator {
namespace {

ChangeClass Classify(std::string_view a, std::string_view b) {
  return ClassifyTypeChange(*ParseTypeText(a), *ParseTypeText(b), nullptr);
}

TEST(DiffTest, ClassifiesTypeChanges) {
  EXPECT_EQ(Classify("int", "bigint"), ChangeClass::kSafe);
  EXPECT_EQ(Classify("int", "decimal(10,0)"), ChangeClass::kSafe);
  EXPECT_EQ(Classify("int", "decimal(9,0)"), ChangeClass::kBackwardIncompatible);
  EXPECT_EQ(Classify("money", "decimal(19,4)"), ChangeClass::kSafe);
  EXPECT_EQ(Classify("decimal(18,2)", "float"), ChangeClass::kBackwardIncompatible);
  EXPECT_EQ(Classify("varchar(50)", "varchar(max)"), ChangeClass::kSafe);
  EXPECT_EQ(Classify("varchar(max)", "varchar(8000)"), ChangeClass::kBackwardIncompatible);
  EXPECT_EQ(Classify("text", "varchar(max)"), ChangeClass::kSafe);
  EXPECT_EQ(Classify("varbinary(16)", "binary(8)"), ChangeClass::kBackwardIncompatible);
  EXPECT_EQ(Classify("date", "datetime2"), ChangeClass::kSafe);
  EXPECT_EQ(Classify("datetime2", "date"), ChangeClass::kBackwardIncompatible);
  EXPECT_EQ(Classify("datetime", "datetime2(3)"), ChangeClass::kSafe);
  EXPECT_EQ(Classify("datetime2(3)", "datetime"), ChangeClass::kBackwardIncompatible);
  EXPECT_EQ(Classify("datetime2", "datetimeoffset"), ChangeClass::kSafe);
  EXPECT_EQ(Classify("varchar(10)", "int"), ChangeClass::kDataDependent);
  EXPECT_EQ(Classify("uniqueidentifier", "char(36)"), ChangeClass::kDataDependent);
  EXPECT_EQ(Classify("dbo.Phone", "varchar(20)"), ChangeClass::kDataDependent);
  std::string why;
  ClassifyTypeChange(*ParseTypeText("nvarchar(10)"), *ParseTypeText("varchar(10)"), &why);
  EXPECT_THAT(why, ::testing::HasSubstr("Unicode"));
}

TEST(DiffTest, ChangeRulesFollowTheConfiguration) {
  auto old_catalog = testing::ParseCatalogFixture("tables:\n  dbo.T:\n    columns: [a int, b int]\n", "old.sql");
  auto new_catalog = testing::ParseCatalogFixture("tables:\n  dbo.T:\n    columns: [a int]\n", "new.sql");
  ASSERT_TRUE(old_catalog.ok() && new_catalog.ok());
  DiffOptions options;
  auto diff = Diff(*old_catalog, *new_catalog, options);
  ASSERT_TRUE(diff.ok()) << diff.status();
  ASSERT_EQ(diff->changes.size(), 1u);
  EXPECT_EQ(diff->changes[0].old_span.file, "old.sql");
  EXPECT_EQ(diff->changes[0].old_span.begin.line, 3);
  EXPECT_FALSE(diff->report.passed);
  ASSERT_EQ(diff->report.findings.size(), 1u);
  EXPECT_EQ(diff->report.findings[0].location.file, "old.sql");  // no new span: the old one
  options.config = *ParseRuleConfigYaml("rules:\n  change-destructive: warning\n", "r.yml");
  diff = Diff(*old_catalog, *new_catalog, options);
  EXPECT_TRUE(diff->report.passed);
  options.config = *ParseRuleConfigYaml("rules:\n  change-destructiv: off\n", "r.yml");
  EXPECT_EQ(Diff(*old_catalog, *new_catalog, options).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sqlmill::validator

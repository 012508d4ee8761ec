// Tests for object-path globs used by ignore lists.
#include "services/schema_validator/engine/glob.h"

#include "gtest/gtest.h"

namespace sqlmill::validator {
namespace {

TEST(GlobTest, SegmentStarDoesNotCrossDots) {
  EXPECT_TRUE(GlobMatch("dbo.audit_*", "dbo.audit_log"));
  EXPECT_TRUE(GlobMatch("DBO.Audit_*", "dbo.audit_log"));
  EXPECT_FALSE(GlobMatch("dbo.audit_*", "dbo.audit_log.id"));
  EXPECT_TRUE(GlobMatch("*.*.legacy_col", "dbo.t.legacy_col"));
  EXPECT_TRUE(GlobMatch("**.legacy_col", "Sales.dbo.t.legacy_col"));
  EXPECT_TRUE(GlobMatch("dbo.t?", "dbo.t1"));
  EXPECT_FALSE(GlobMatch("dbo.t?", "dbo.t"));
  EXPECT_FALSE(GlobMatch("dbo?t", "dbo.t"));
}

TEST(GlobTest, IgnorePatternsCoverPartsAndDatabases) {
  EXPECT_TRUE(IgnorePatternMatches("dbo.audit_*", "dbo.audit_log.id"));
  EXPECT_TRUE(IgnorePatternMatches("dbo.audit_*", "Sales.dbo.audit_log"));
  EXPECT_TRUE(IgnorePatternMatches("staging", "staging.load.x"));
  EXPECT_FALSE(IgnorePatternMatches("dbo.audit_*", "dbo.orders"));
  EXPECT_FALSE(IgnorePatternMatches("dbo.a", "dbo.ab"));
}

}  // namespace
}  // namespace sqlmill::validator

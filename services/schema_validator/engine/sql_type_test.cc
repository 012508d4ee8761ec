// Tests for SQL Server type parsing, defaults and storage sizes.
#include "services/schema_validator/engine/sql_type.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sqlmill::validator {
namespace {

tsql::DataType Parse(std::string_view text) {
  auto t = ParseTypeText(text);
  EXPECT_TRUE(t.ok()) << text << ": " << t.status();
  return t.ok() ? *t : tsql::DataType{};
}

TEST(SqlTypeTest, ParsesBuiltinsWithArguments) {
  tsql::DataType t = Parse("DECIMAL ( 18 , 2 )");
  EXPECT_EQ(t.name, "decimal");
  EXPECT_EQ(t.precision, 18);
  EXPECT_EQ(t.scale, 2);
  EXPECT_EQ(t.text, "decimal(18,2)");
  t = Parse("nvarchar(max)");
  EXPECT_TRUE(t.is_max);
  EXPECT_EQ(t.text, "nvarchar(max)");
  t = Parse("[varchar](20)");
  EXPECT_EQ(t.name, "varchar");
  EXPECT_EQ(t.length, 20);
  EXPECT_EQ(Parse("datetime2(3)").scale, 3);
  EXPECT_EQ(Parse("float(24)").precision, 24);
}

TEST(SqlTypeTest, ParsesSynonymsAndUserTypes) {
  EXPECT_EQ(Parse("double precision").text, "float(53)");
  EXPECT_EQ(Parse("national character varying(10)").text, "nvarchar(10)");
  EXPECT_EQ(Parse("integer").name, "int");
  tsql::DataType u = Parse("[dbo].[Phone]");
  EXPECT_TRUE(u.is_user_defined);
  EXPECT_EQ(u.schema, "dbo");
  EXPECT_EQ(u.name, "Phone");
  EXPECT_FALSE(Parse("sys.int").is_user_defined);
  EXPECT_EQ(Parse("xml(CONTENT dbo.OrderSchema)").xml_schema_collection, "dbo.OrderSchema");
}

TEST(SqlTypeTest, RejectsMalformedText) {
  for (const char* bad : {"", "decimal(18", "int(max", "decimal(max)", "varchar(x)", "a.b.c.d", "int) x"}) {
    EXPECT_FALSE(ParseTypeText(bad).ok()) << bad;
  }
  EXPECT_EQ(ParseTypeText("decimal(18").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SqlTypeTest, NormalizeAppliesSqlServerDefaults) {
  EXPECT_EQ(NormalizeType(Parse("decimal")).text, "decimal(18,0)");
  EXPECT_EQ(NormalizeType(Parse("datetime2")).text, "datetime2(7)");
  EXPECT_EQ(NormalizeType(Parse("datetimeoffset")).text, "datetimeoffset(7)");
  EXPECT_EQ(NormalizeType(Parse("float")).text, "float(53)");
  EXPECT_EQ(NormalizeType(Parse("varchar")).text, "varchar(1)");
  EXPECT_EQ(NormalizeType(Parse("sysname")).text, "nvarchar(128)");
}

TEST(SqlTypeTest, StorageSizes) {
  auto fixed = [](std::string_view t) { return StorageOf(NormalizeType(Parse(t))).fixed_bytes; };
  EXPECT_EQ(fixed("tinyint"), 1);
  EXPECT_EQ(fixed("decimal(9,2)"), 5);
  EXPECT_EQ(fixed("decimal(19,2)"), 9);
  EXPECT_EQ(fixed("decimal(28,2)"), 13);
  EXPECT_EQ(fixed("decimal(38,2)"), 17);
  EXPECT_EQ(fixed("datetime2(2)"), 6);
  EXPECT_EQ(fixed("datetime2"), 8);
  EXPECT_EQ(fixed("datetimeoffset(4)"), 9);
  EXPECT_EQ(fixed("time(0)"), 3);
  EXPECT_EQ(fixed("nchar(10)"), 20);
  EXPECT_EQ(fixed("float(24)"), 4);
  EXPECT_EQ(fixed("uniqueidentifier"), 16);
  RowStorage v = StorageOf(NormalizeType(Parse("nvarchar(100)")));
  EXPECT_TRUE(v.variable);
  EXPECT_EQ(v.variable_max_bytes, 200);
  EXPECT_EQ(StorageOf(NormalizeType(Parse("varbinary(max)"))).variable_max_bytes, 24);
  EXPECT_TRUE(StorageOf(Parse("bit")).bit);
}

TEST(SqlTypeTest, Families) {
  EXPECT_EQ(FamilyOf("nvarchar"), TypeFamily::kUnicodeString);
  EXPECT_EQ(FamilyOf("timestamp"), TypeFamily::kRowVersion);
  EXPECT_EQ(FamilyOf("Phone"), TypeFamily::kUnknown);
  EXPECT_TRUE(IsDeprecatedType("ntext"));
  EXPECT_FALSE(IsDeprecatedType("nvarchar"));
}

}  // namespace
}  // namespace sqlmill::validator

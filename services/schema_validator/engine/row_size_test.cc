// Tests for the SQL Server row-size computation.
#include "services/schema_validator/engine/row_size.h"

#include "gtest/gtest.h"
#include "services/schema_validator/engine/testing/catalog_fixture.h"

namespace sqlmill::validator {
namespace {

RowSize SizeOf(const std::string& yaml) {
  auto catalog = testing::ParseCatalogFixture(yaml, "t.yaml");
  EXPECT_TRUE(catalog.ok()) << catalog.status();
  CatalogIndex index(*catalog);
  const tsql::Schema& s = catalog->databases[0].schemas[0];
  return ComputeRowSize(s.tables[0], index);
}

TEST(RowSizeTest, FixedOnly) {
  // 4 header + (4 + 8) data + 2 column count + 1 null bitmap.
  RowSize r = SizeOf("tables:\n  dbo.T:\n    columns: [a int, b bigint]\n");
  EXPECT_EQ(r.min_bytes, 19);
  EXPECT_EQ(r.max_bytes, 19);
}

TEST(RowSizeTest, BitsPackAndVariableColumnsAddOffsets) {
  // 4 + (4 int + 2 bytes for 9 bits) + 2 + 2 (11 columns) = 14; + 2 + 2*1 + 100 = 118.
  RowSize r = SizeOf(
      "tables:\n  dbo.T:\n    columns: [a int, b1 bit, b2 bit, b3 bit, b4 bit, b5 bit, b6 bit, b7 bit, "
      "b8 bit, b9 bit, v varchar(100)]\n");
  EXPECT_EQ(r.min_bytes, 14);
  EXPECT_EQ(r.max_bytes, 118);
  EXPECT_EQ(r.variable_columns, 1);
}

TEST(RowSizeTest, LobsCountAsPointersAndComputedColumnsAsNothing) {
  RowSize r = SizeOf(
      "tables:\n  dbo.T:\n    columns: [a nvarchar(max), b xml, c as (1), \"d as (2) persisted\"]\n");
  // d has no declared type: unknown.
  EXPECT_EQ(r.unknown_columns.size(), 1u);
  EXPECT_EQ(r.variable_columns, 2);
  EXPECT_EQ(r.max_bytes, 4 + 2 + 1 + 2 + 2 * 2 + 24 + 24);
}

}  // namespace
}  // namespace sqlmill::validator

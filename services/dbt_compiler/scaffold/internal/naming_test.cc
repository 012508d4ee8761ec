#include "services/dbt_compiler/scaffold/internal/naming.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sqlmill::dbt::scaffold_internal {
namespace {

const validator::TargetProfile& Target(std::string_view name) {
  auto targets = validator::BuiltinTargets();
  EXPECT_TRUE(targets.ok()) << targets.status();
  const validator::TargetProfile* p = (*targets)->Find(name);
  EXPECT_NE(p, nullptr) << name;
  return *p;
}

TEST(SnakeCase, SplitsWordsTheWayDbtProjectsNameColumns) {
  EXPECT_EQ(SnakeCase("SalesOrderID"), "sales_order_id");
  EXPECT_EQ(SnakeCase("HTTPServer"), "http_server");
  EXPECT_EQ(SnakeCase("Order Details"), "order_details");
  EXPECT_EQ(SnakeCase("AddressLine1"), "address_line1");
  EXPECT_EQ(SnakeCase("Line1Text"), "line1_text");
  EXPECT_EQ(SnakeCase("rowguid"), "rowguid");
  EXPECT_EQ(SnakeCase("already_snake"), "already_snake");
  EXPECT_EQ(SnakeCase("__Weird--Name__"), "weird_name");
  EXPECT_EQ(SnakeCase("Größe"), "grosse");
  EXPECT_EQ(SnakeCase("Café"), "cafe");
  EXPECT_EQ(SnakeCase("2ndAddress"), "_2nd_address");
  EXPECT_EQ(SnakeCase("名前"), "_");
  EXPECT_EQ(SnakeCase("PK_ID"), "pk_id");
}

TEST(QuoteIdentifier, QuotesOnlyWhatTheTargetNeeds) {
  EXPECT_EQ(QuoteIdentifier(Target("snowflake"), "OrderID"), "OrderID");
  EXPECT_EQ(QuoteIdentifier(Target("snowflake"), "Order Details"), "\"Order Details\"");
  EXPECT_EQ(QuoteIdentifier(Target("snowflake"), "order"), "\"order\"");
  EXPECT_EQ(QuoteIdentifier(Target("bigquery"), "Order Details"), "`Order Details`");
  EXPECT_EQ(QuoteIdentifier(Target("postgres"), "a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(QuoteIdentifier(Target("postgres"), "OrderID", /*force_quotes=*/true), "\"OrderID\"");
}

TEST(NameAllocator, ReservedWordsCollisionsAndLengthAreResolvedInOrder) {
  NameAllocator names(Target("postgres"), validator::IdentifierKind::kColumn, /*keep_names=*/false);
  EXPECT_EQ(names.Allocate("OrderID").name, "order_id");
  AllocatedName second = names.Allocate("Order_ID");
  EXPECT_EQ(second.name, "order_id_2");
  EXPECT_THAT(second.reason, ::testing::HasSubstr("collides with 'OrderID'"));
  AllocatedName reserved = names.Allocate("Order");
  EXPECT_EQ(reserved.name, "order_");
  EXPECT_THAT(reserved.reason, ::testing::HasSubstr("reserved"));
  AllocatedName longer = names.Allocate(std::string(70, 'a'));
  EXPECT_EQ(longer.name, std::string(63, 'a'));  // PostgreSQL's NAMEDATALEN - 1
  AllocatedName longer2 = names.Allocate(std::string(70, 'a') + "b");
  EXPECT_EQ(longer2.name, std::string(61, 'a') + "_2");
}

TEST(NameAllocator, KeepNamesQuotesWhereNeededAndResolvesCaseCollisions) {
  NameAllocator names(Target("snowflake"), validator::IdentifierKind::kColumn, /*keep_names=*/true);
  AllocatedName a = names.Allocate("OrderID");
  EXPECT_EQ(a.name, "OrderID");
  EXPECT_FALSE(a.quoted);
  AllocatedName b = names.Allocate("Order Date");
  EXPECT_EQ(b.name, "Order Date");
  EXPECT_TRUE(b.quoted);
  AllocatedName c = names.Allocate("ORDERID");  // folds to the same name as OrderID
  EXPECT_EQ(c.name, "ORDERID_2");
}

}  // namespace
}  // namespace sqlmill::dbt::scaffold_internal

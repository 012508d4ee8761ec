// Tests for sqlmill.v1.Catalog → tsql::Catalog.
#include "services/sql_parser/service/catalog_from_proto.h"

#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace sqlmill {
namespace {

TEST(CatalogFromProtoTest, ConvertsObjectsSpansAndFiles) {
  v1::Catalog proto;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(R"pb(
    databases {
      name: "Sales"
      schemas {
        name: "dbo"
        tables {
          name: "Orders"
          span { file: "b.sql" offset: 10 length: 20 line: 2 column: 1 end_line: 4 end_column: 2 }
          columns {
            name: "OrderID" ordinal: 1 nullability: NULLABILITY_NOT_NULL
            data_type { name: "int" text: "int" }
            identity { seed: 1 increment: 1 }
            span { file: "b.sql" line: 3 column: 3 }
          }
          columns {
            name: "Status" ordinal: 2
            data_type { name: "char" length: 1 text: "char(1)" }
            default { kind: CONSTRAINT_KIND_DEFAULT expression: "('N')" }
          }
          primary_key { name: "PK_Orders" kind: CONSTRAINT_KIND_PRIMARY_KEY columns { name: "OrderID" }
                        clustering: CLUSTERING_NONCLUSTERED }
          foreign_keys { name: "FK_x" kind: CONSTRAINT_KIND_FOREIGN_KEY columns { name: "Status" }
                         referenced_table { schema: "dbo" name: "S" } referenced_columns: "Code"
                         on_delete: REFERENTIAL_ACTION_CASCADE span { file: "a.sql" line: 9 column: 5 } }
          indexes { name: "IX" kind: INDEX_KIND_NONCLUSTERED columns { name: "Status" descending: true }
                    filter: "Status = 'N'" }
          system_versioned: true
          history_table { schema: "dbo" name: "OrdersHistory" }
        }
        views { name: "V" references { name { name: "Orders" } } }
        routines { name: "P" kind: ROUTINE_KIND_PROCEDURE parameters { name: "@a" data_type { name: "int" } default: "0" } }
        types { name: "Phone" kind: TYPE_KIND_ALIAS base_type { name: "nvarchar" length: 20 } }
      }
    })pb", &proto));
  tsql::Catalog c = CatalogFromProto(proto);
  ASSERT_EQ(c.databases.size(), 1u);
  ASSERT_EQ(c.files.size(), 2u);
  EXPECT_EQ(c.files[0], "b.sql");
  EXPECT_EQ(c.files[1], "a.sql");
  const tsql::Table* t = c.FindTable("Sales", "dbo", "Orders");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->span.begin.line, 2);
  EXPECT_EQ(t->span.span.offset, 10u);
  EXPECT_EQ(t->span.end.column, 2);
  ASSERT_EQ(t->columns.size(), 2u);
  EXPECT_EQ(t->columns[0].nullability, tsql::Nullability::kNotNull);
  EXPECT_TRUE(t->columns[0].identity.has_value());
  EXPECT_EQ(t->columns[1].data_type->length, 1);
  ASSERT_TRUE(t->columns[1].default_constraint.has_value());
  EXPECT_EQ(t->columns[1].default_constraint->expression, "('N')");
  ASSERT_TRUE(t->primary_key.has_value());
  EXPECT_EQ(t->primary_key->clustering, tsql::Clustering::kNonclustered);
  ASSERT_EQ(t->foreign_keys.size(), 1u);
  EXPECT_EQ(t->foreign_keys[0].referenced_table.name, "S");
  EXPECT_EQ(t->foreign_keys[0].on_delete, tsql::ReferentialAction::kCascade);
  EXPECT_EQ(t->foreign_keys[0].span.file, 1u);
  EXPECT_TRUE(t->indexes[0].columns[0].descending);
  EXPECT_TRUE(t->system_versioned);
  EXPECT_EQ(t->history_table.name, "OrdersHistory");
  const tsql::Schema& s = c.databases[0].schemas[0];
  EXPECT_EQ(s.views[0].references[0].name.name, "Orders");
  EXPECT_EQ(s.routines[0].parameters[0].default_value, "0");
  EXPECT_EQ(s.types[0].kind, tsql::TypeKind::kAlias);
  EXPECT_EQ(s.types[0].base_type->length, 20);
}

TEST(CatalogFromProtoTest, OutOfRangeEnumsBecomeUnspecified) {
  v1::Catalog proto;
  auto* t = proto.add_databases()->add_schemas()->add_tables();
  t->set_name("T");
  t->mutable_primary_key()->set_kind(static_cast<v1::ConstraintKind>(99));
  tsql::Catalog c = CatalogFromProto(proto);
  EXPECT_EQ(c.databases[0].schemas[0].tables[0].primary_key->kind, tsql::ConstraintKind::kUnspecified);
}

}  // namespace
}  // namespace sqlmill

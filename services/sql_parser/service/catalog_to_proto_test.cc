// Tests for catalog_to_proto and parse_output_to_proto: spans carry file names and
// positions, fields map one to one, and catalog_from_proto inverts the conversion.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/sql_parser/service/catalog_from_proto.h"
#include "services/sql_parser/service/catalog_to_proto.h"
#include "services/sql_parser/service/parse_output_to_proto.h"

namespace sqlmill {
namespace {

TEST(CatalogToProtoTest, TablesColumnsConstraintsAndSpans) {
  const std::string script =
      "CREATE TABLE Sales.Orders (\n"
      "  ID int IDENTITY(1,2) NOT NULL CONSTRAINT PK_O PRIMARY KEY,\n"
      "  Cust int NULL REFERENCES Sales.Customers (ID) ON DELETE CASCADE,\n"
      "  Amt decimal(18,2) DEFAULT 0)\n"
      "GO\n"
      "CREATE INDEX IX_Cust ON Sales.Orders (Cust) INCLUDE (Amt)\n";
  tsql::ParseOptions options;
  options.include_statements = true;
  absl::StatusOr<tsql::ParseOutput> out = tsql::ParseScript({"orders.sql", script}, options);
  ASSERT_TRUE(out.ok());
  v1::ParseScriptResponse response;
  ParseOutputToProto(*out, &response);
  ASSERT_EQ(response.catalog().databases_size(), 1);
  const v1::Schema& schema = response.catalog().databases(0).schemas(0);
  EXPECT_EQ(schema.name(), "Sales");
  const v1::Table& t = schema.tables(0);
  EXPECT_EQ(t.span().file(), "orders.sql");
  EXPECT_EQ(t.span().line(), 1u);
  ASSERT_EQ(t.columns_size(), 3);
  EXPECT_EQ(t.columns(0).identity().increment(), 2);
  EXPECT_EQ(t.columns(0).nullability(), v1::NULLABILITY_NOT_NULL);
  EXPECT_EQ(t.columns(1).span().line(), 3u);
  EXPECT_EQ(t.columns(1).span().column(), 3u);
  EXPECT_EQ(t.columns(2).data_type().text(), "decimal(18,2)");
  EXPECT_EQ(t.columns(2).data_type().precision(), 18);
  EXPECT_EQ(t.columns(2).default_().expression(), "0");
  EXPECT_EQ(t.primary_key().name(), "PK_O");
  ASSERT_EQ(t.foreign_keys_size(), 1);
  EXPECT_EQ(t.foreign_keys(0).referenced_table().schema(), "Sales");
  EXPECT_EQ(t.foreign_keys(0).on_delete(), v1::REFERENTIAL_ACTION_CASCADE);
  ASSERT_EQ(t.indexes_size(), 1);
  EXPECT_EQ(t.indexes(0).kind(), v1::INDEX_KIND_NONCLUSTERED);
  EXPECT_EQ(t.indexes(0).included_columns(0), "Amt");
  ASSERT_EQ(response.statements_size(), 2);
  EXPECT_EQ(response.statements(1).batch(), 1u);
  EXPECT_EQ(response.stats().statements_applied(), 2u);
}

TEST(CatalogToProtoTest, CanonicalJsonIsStable) {
  absl::StatusOr<tsql::ParseOutput> out =
      tsql::ParseScript({"x.sql", "CREATE VIEW v AS SELECT a FROM dbo.t"}, {});
  ASSERT_TRUE(out.ok());
  v1::ParseScriptResponse a, b;
  ParseOutputToProto(*out, &a);
  ParseOutputToProto(*out, &b);
  std::string ja, jb;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(a, &ja).ok());
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(b, &jb).ok());
  EXPECT_EQ(ja, jb);
  EXPECT_THAT(ja, testing::HasSubstr("\"references\":[{\"name\":{\"schema\":\"dbo\",\"name\":\"t\"}"));
}

// The server's path frees the C++ tables as it converts them and gives the same answer; with
// a limit the tables pass, it stops early with the flag named.
TEST(CatalogToProtoTest, ReleasingConversionMatchesAndStopsAtTheLimit) {
  std::string script;
  for (int i = 0; i < 200; ++i) {
    script += "CREATE TABLE dbo.T" + std::to_string(i) + " (Id int NOT NULL PRIMARY KEY, N nvarchar(9));\n";
  }
  absl::StatusOr<tsql::ParseOutput> out = tsql::ParseScript({"t.sql", script}, {});
  ASSERT_TRUE(out.ok());
  v1::ParseScriptResponse expected;
  ParseOutputToProto(*out, &expected);
  tsql::ParseOutput copy = *out;
  v1::ParseScriptResponse released;
  ASSERT_TRUE(ParseOutputToProto(std::move(copy), &released, 0).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(expected, released));
  v1::ParseScriptResponse just_fits;
  EXPECT_TRUE(ParseOutputToProto(tsql::ParseOutput(*out), &just_fits,
                                 expected.ByteSizeLong() + 100).ok());
  v1::ParseScriptResponse limited;
  const absl::Status status = ParseOutputToProto(tsql::ParseOutput(*out), &limited, 2000);
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(status.message()), testing::HasSubstr("--max_message_bytes"));
  EXPECT_EQ(limited.ByteSizeLong(), 0u);
}

TEST(CatalogToProtoTest, OptionsFromProto) {
  v1::ParseOptions in;
  (*in.mutable_sqlcmd_variables())["Db"] = "X";
  in.set_detail(v1::DETAIL_LEVEL_STATEMENTS);
  in.set_quoted_identifier(false);
  Limits limits;
  limits.max_input_bytes = 7;
  const tsql::ParseOptions out = ParseOptionsFromProto(in, limits);
  EXPECT_EQ(out.sqlcmd_variables.at("Db"), "X");
  EXPECT_TRUE(out.include_statements);
  EXPECT_FALSE(out.quoted_identifier);
  EXPECT_EQ(out.default_schema, "dbo");
  EXPECT_EQ(out.limits.max_input_bytes, 7u);
}

// proto → model → proto gives the same message: every field the parser fills survives
// catalog_from_proto (which the validator uses for catalogs clients send back).
TEST(CatalogToProtoTest, CatalogFromProtoInvertsIt) {
  std::vector<std::pair<std::string, std::string>> files;  // owns the texts inputs view
  for (const auto& entry : std::filesystem::directory_iterator("examples/sqlserver/retail")) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    files.emplace_back(entry.path().filename().string(), text.str());
  }
  std::sort(files.begin(), files.end());
  files.emplace_back("extra.sql",
                     "CREATE TYPE dbo.Phone FROM nvarchar(20) NOT NULL\nGO\n"
                     "CREATE TABLE dbo.X (a dbo.Phone, b xml, c AS (1) PERSISTED, "
                     "d datetime2(3) GENERATED ALWAYS AS ROW START NOT NULL, "
                     "e datetime2(3) GENERATED ALWAYS AS ROW END NOT NULL, PERIOD FOR SYSTEM_TIME (d, e)) "
                     "WITH (SYSTEM_VERSIONING = ON (HISTORY_TABLE = dbo.XHistory))\nGO\n"
                     "CREATE SEQUENCE dbo.S AS bigint START WITH 5\nGO\nCREATE SYNONYM dbo.Y FOR dbo.X\n");
  std::vector<tsql::ScriptInput> inputs;
  for (const auto& [name, text] : files) inputs.push_back({name, text});
  ASSERT_GE(inputs.size(), 3u) << "run from the source root (examples/sqlserver/retail)";
  absl::StatusOr<tsql::ParseOutput> out = tsql::ParseFiles(inputs, {});
  ASSERT_TRUE(out.ok()) << out.status();
  v1::Catalog first;
  CatalogToProto(out->catalog, &first);
  ASSERT_GT(first.databases_size(), 0);
  v1::Catalog second;
  CatalogToProto(CatalogFromProto(first), &second);
  std::string diff;
  google::protobuf::util::MessageDifferencer differ;
  differ.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differ.Compare(first, second)) << diff;
}

}  // namespace
}  // namespace sqlmill

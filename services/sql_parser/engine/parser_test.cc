// Tests for the engine API: files, encodings, statements detail, stats, diagnostics.
#include "services/sql_parser/engine/parser.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/sql_parser/engine/catalog_dump.h"

namespace sqlmill::tsql {
namespace {

TEST(ParserTest, ParseFilesBuildsOneCatalogAndNamesFilesInDiagnostics) {
  const std::string a = "CREATE TABLE dbo.A (ID int PRIMARY KEY)";
  const std::string b = "ALTER TABLE dbo.A ADD Name nvarchar(10)\nGO\nCREATE TABLE (oops";
  ParseOptions options;
  absl::StatusOr<ParseOutput> out = ParseFiles({{"a.sql", a}, {"dir/b.sql", b}}, options);
  ASSERT_TRUE(out.ok()) << out.status();
  const Table* t = out->catalog.FindTable("", "dbo", "a");
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->columns.size(), 2u);
  EXPECT_EQ(t->columns[1].span.file, 1u);
  EXPECT_EQ(out->catalog.files[1], "dir/b.sql");
  ASSERT_EQ(out->diagnostics.size(), 1u);
  EXPECT_EQ(out->diagnostics[0].file, "dir/b.sql");
  EXPECT_EQ(out->diagnostics[0].location.line, 3);
  EXPECT_EQ(out->diagnostics[0].location.column, 14);
  EXPECT_THAT(out->diagnostics[0].excerpt, testing::HasSubstr("^"));
  EXPECT_EQ(out->stats.files, 2u);
  EXPECT_EQ(out->stats.errors, 1u);
  EXPECT_EQ(out->stats.statements, 3u);
  EXPECT_EQ(out->stats.statements_applied, 2u);
  EXPECT_TRUE(out->statements.empty());  // include_statements is off
}

TEST(ParserTest, Utf16InputGivesTheSameCatalogAsUtf8) {
  const std::string utf8 = "CREATE TABLE t (caf\xC3\xA9 int)\r\nGO\r\n";
  std::string utf16 = "\xFF\xFE";
  for (unsigned char c : std::string("CREATE TABLE t (caf")) {
    utf16.push_back(static_cast<char>(c));
    utf16.push_back('\0');
  }
  utf16 += std::string("\xE9\0", 2);
  for (unsigned char c : std::string(" int)\r\nGO\r\n")) {
    utf16.push_back(static_cast<char>(c));
    utf16.push_back('\0');
  }
  absl::StatusOr<ParseOutput> a = ParseScript({"x.sql", utf8}, {});
  absl::StatusOr<ParseOutput> b = ParseScript({"x.sql", utf16}, {});
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(DumpCatalog(a->catalog), DumpCatalog(b->catalog));
  EXPECT_THAT(DumpCatalog(b->catalog), testing::HasSubstr("column 1 caf\xC3\xA9 int"));
}

TEST(ParserTest, IsoTypeSynonymsGetSqlServersCanonicalNames) {
  absl::StatusOr<ParseOutput> out = ParseScript(
      {"x.sql", "CREATE TABLE t (a INTEGER, b dec(4,2), c character(3), d sys.int)"}, {});
  ASSERT_TRUE(out.ok()) << out.status();
  const Table* t = out->catalog.FindTable("", "dbo", "t");
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->columns.size(), 4u);
  EXPECT_EQ(t->columns[0].data_type->text, "int");
  EXPECT_EQ(t->columns[1].data_type->text, "decimal(4,2)");
  EXPECT_EQ(t->columns[1].data_type->precision, 4);
  EXPECT_EQ(t->columns[1].data_type->scale, 2);
  EXPECT_EQ(t->columns[2].data_type->text, "char(3)");
  EXPECT_EQ(t->columns[3].data_type->name, "int");
  EXPECT_FALSE(t->columns[3].data_type->is_user_defined);
}

TEST(ParserTest, UndecodableInputIsInvalidArgument) {
  absl::StatusOr<ParseOutput> out = ParseScript({"bad.sql", "SELECT '\xFF'"}, {});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ParserTest, DefaultSchemaAndDatabaseOptions) {
  ParseOptions options;
  options.default_schema = "app";
  options.default_database = "Main";
  absl::StatusOr<ParseOutput> out = ParseScript({"x.sql", "CREATE TABLE t (a int)"}, options);
  ASSERT_TRUE(out.ok());
  EXPECT_NE(out->catalog.FindTable("main", "APP", "T"), nullptr);
}

TEST(ParserTest, StatementsCarryBatchAndSpans) {
  ParseOptions options;
  options.include_statements = true;
  absl::StatusOr<ParseOutput> out =
      ParseScript({"x.sql", "PRINT 1\nGO\n  CREATE TABLE t (a int);\n"}, options);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->statements.size(), 2u);
  EXPECT_EQ(out->statements[1].kind, "CREATE TABLE");
  EXPECT_EQ(out->statements[1].batch, 1u);
  EXPECT_EQ(out->statements[1].span.begin.line, 3);
  EXPECT_EQ(out->statements[1].span.begin.column, 3);
  EXPECT_TRUE(out->statements[1].applied);
  EXPECT_EQ(out->stats.batches, 2u);
}

TEST(ParserTest, DiagnosticsAfterSubstitutionPointAtTheOriginalText) {
  ParseOptions options;
  options.sqlcmd_variables["s"] = "a_rather_long_schema_name";
  absl::StatusOr<ParseOutput> out =
      ParseScript({"x.sql", "CREATE TABLE $(s).t (a int,, b int)"}, options);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->diagnostics.size(), 1u);
  EXPECT_EQ(out->diagnostics[0].location.column, 28);  // the second comma in the file as written
}

}  // namespace
}  // namespace sqlmill::tsql

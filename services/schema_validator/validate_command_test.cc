// Tests for `sqlmill validate` / `sqlmill diff` as a library: inputs (catalog JSON, SQL),
// formats, thresholds and exit codes, and error messages.
#include "services/schema_validator/validate_command.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "google/protobuf/struct.pb.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sqlmill/v1/catalog.pb.h"

namespace sqlmill::validator {
namespace {

using ::testing::HasSubstr;

class CommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sqlmill_validate_cmd_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& content) {
    const auto path = dir_ / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }

  std::string CatalogJson(const std::string& name, bool with_notes) {
    v1::Catalog c;
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(R"pb(
      databases { schemas { name: "dbo"
        tables { name: "Orders" span { file: "orders.sql" line: 1 column: 1 }
          columns { name: "OrderID" data_type { name: "int" text: "int" } nullability: NULLABILITY_NOT_NULL }
          primary_key { name: "PK_Orders" kind: CONSTRAINT_KIND_PRIMARY_KEY columns { name: "OrderID" } } } } })pb", &c));
    if (with_notes) {
      auto* col = c.mutable_databases(0)->mutable_schemas(0)->mutable_tables(0)->add_columns();
      col->set_name("Notes");
      col->mutable_data_type()->set_name("ntext");
      col->mutable_data_type()->set_text("ntext");
      col->mutable_span()->set_file("orders.sql");
      col->mutable_span()->set_line(3);
      col->mutable_span()->set_column(3);
    }
    std::string json;
    EXPECT_TRUE(google::protobuf::util::MessageToJsonString(c, &json).ok());
    return Write(name, json);
  }

  int Run(bool diff, const std::vector<std::string>& args) {
    out_.str("");
    err_.str("");
    return diff ? RunDiffCommandWith(args, DefaultSqlLoader(), out_, err_)
                : RunValidateCommandWith(args, DefaultSqlLoader(), out_, err_);
  }

  std::filesystem::path dir_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(CommandTest, ValidatesACatalogJsonAsText) {
  const std::string catalog = CatalogJson("c.json", true);
  EXPECT_EQ(Run(false, {catalog}), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("orders.sql:3:3: warning: column 'Notes' of 'Orders' uses deprecated type ntext"));
  EXPECT_THAT(out_.str(), HasSubstr("PASSED (threshold: error)"));
  EXPECT_EQ(Run(false, {catalog, "--fail-on", "warning"}), 1);
  EXPECT_THAT(out_.str(), HasSubstr("FAILED (threshold: warning)"));
}

TEST_F(CommandTest, FormatsAndTargets) {
  const std::string catalog = CatalogJson("c.json", true);
  EXPECT_EQ(Run(false, {catalog, "--target", "snowflake", "--format", "sarif"}), 0);
  google::protobuf::Struct sarif;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &sarif).ok()) << out_.str();
  EXPECT_THAT(out_.str(), HasSubstr("target-type-loss"));
  EXPECT_EQ(Run(false, {catalog, "--format=json"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("\"findings\""));
  EXPECT_EQ(Run(false, {catalog, "--format", "junit", "--fail-on", "info"}), 1);
  EXPECT_THAT(out_.str(), HasSubstr("<testsuites"));
}

TEST_F(CommandTest, RulesFileErrorsNameTheFileAndLine) {
  const std::string catalog = CatalogJson("c.json", true);
  const std::string rules = Write("rules.yml", "rules:\n  deprecated-type: off\n  money-typ: on\n");
  EXPECT_EQ(Run(false, {catalog, "--rules", rules}), 2);
  EXPECT_THAT(err_.str(), HasSubstr(rules + ":3: unknown rule id 'money-typ' (did you mean 'money-type'?)"));
  const std::string bad_yaml = Write("bad.yml", "rules:\n  - [\n");
  EXPECT_EQ(Run(false, {catalog, "--rules", bad_yaml}), 2);
  EXPECT_THAT(err_.str(), HasSubstr(bad_yaml + ":3:"));
  const std::string ok = Write("ok.yml", "rules:\n  deprecated-type: error\n");
  EXPECT_EQ(Run(false, {catalog, "--rules", ok}), 1);
}

TEST_F(CommandTest, UsageErrors) {
  EXPECT_EQ(Run(false, {}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("usage: sqlmill validate"));
  EXPECT_EQ(Run(false, {"x.json", "--format", "xml"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--format: expected text, json, sarif or junit but found 'xml'"));
  EXPECT_EQ(Run(false, {"x.json", "--bogus", "1"}), 2);
  EXPECT_EQ(Run(false, {(dir_ / "missing.json").string()}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("cannot read"));
  EXPECT_EQ(Run(false, {CatalogJson("c.json", false), "--target", "oracle"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("unknown target 'oracle'"));
  EXPECT_EQ(Run(true, {"only-one.json"}), 2);
}

TEST_F(CommandTest, DiffOfTwoCatalogs) {
  const std::string old_catalog = CatalogJson("old.json", true);
  const std::string new_catalog = CatalogJson("new.json", false);
  EXPECT_EQ(Run(true, {old_catalog, new_catalog}), 1);
  EXPECT_THAT(out_.str(), HasSubstr("destructive\tdropped column dbo.Orders.Notes: drop column Notes ntext"));
  EXPECT_EQ(Run(true, {new_catalog, old_catalog}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("safe\tadded column dbo.Orders.Notes"));
}

#ifdef SQLMILL_VALIDATOR_HAS_PARSER
TEST_F(CommandTest, ValidatesSqlFilesAndFolders) {
  Write("db/tables/orders.sql",
        "CREATE TABLE dbo.Orders (\n  OrderID int NOT NULL,\n  Total money NULL\n);\nGO\n");
  Write("db/tables/audit.sql", "-- sqlmill:ignore pk-required\nCREATE TABLE dbo.Audit (Id int NOT NULL);\n");
  EXPECT_EQ(Run(false, {(dir_ / "db").string(), "--fail-on", "warning"}), 1) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("orders.sql:1:1: warning: table 'Orders' has no primary key [pk-required]"));
  EXPECT_THAT(out_.str(), ::testing::Not(HasSubstr("table 'Audit' has no primary key")));
  EXPECT_THAT(out_.str(), HasSubstr("1 suppressed"));
}

TEST_F(CommandTest, DiffOfTwoSqlFiles) {
  const std::string a = Write("a.sql", "CREATE TABLE t (a int NOT NULL, b varchar(100) NULL);\n");
  const std::string b = Write("b.sql", "CREATE TABLE t (a int NOT NULL, b varchar(50) NULL);\n");
  EXPECT_EQ(Run(true, {a, b}), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("backward-incompatible\tmodified column dbo.t.b: varchar(100) → varchar(50)"));
}
#else
TEST_F(CommandTest, SqlInputNeedsTheParser) {
  const std::string a = Write("a.sql", "CREATE TABLE t (a int);\n");
  EXPECT_EQ(Run(false, {a}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("the T-SQL parser is not linked"));
}
#endif

}  // namespace
}  // namespace sqlmill::validator

// Tests for the target profiles: the built-in YAML data, the facts the issue names, and
// errors in profile files.
#include "services/schema_validator/engine/target_profile.h"

#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/schema_validator/engine/sql_type.h"

namespace sqlmill::validator {
namespace {

const TargetProfile& Target(std::string_view name) {
  auto targets = BuiltinTargets();
  EXPECT_TRUE(targets.ok()) << targets.status();
  const TargetProfile* p = (*targets)->Find(name);
  EXPECT_NE(p, nullptr) << name;
  return *p;
}

TypeMapping Map(std::string_view target, std::string_view type) {
  return Target(target).MapType(NormalizeType(*ParseTypeText(type)));
}

TEST(TargetProfileTest, BuiltinTargetsLoad) {
  auto targets = BuiltinTargets();
  ASSERT_TRUE(targets.ok()) << targets.status();
  EXPECT_THAT((*targets)->names(), ::testing::ElementsAre("bigquery", "databricks", "postgres", "redshift", "snowflake", "sqlserver"));
  EXPECT_EQ((*targets)->Find("PostgreSQL"), nullptr);
  EXPECT_NE((*targets)->Find("Postgres"), nullptr);  // case-insensitive
}

TEST(TargetProfileTest, EveryTargetMapsEveryBuiltinType) {
  for (const std::string& target : (*BuiltinTargets())->names()) {
    for (const std::string& type : BuiltinTypeNames()) {
      EXPECT_TRUE(Target(target).HasTypeEntry(type)) << target << " has no entry for " << type;
    }
  }
}

TEST(TargetProfileTest, FactsFromTheIssue) {
  TypeMapping m = Map("postgres", "datetime2(7)");
  EXPECT_EQ(m.target_type, "timestamp(6)");
  EXPECT_EQ(m.loss, TypeLoss::kPrecision);
  EXPECT_EQ(Map("postgres", "datetime2(3)").loss, TypeLoss::kNone);
  EXPECT_EQ(Map("postgres", "datetimeoffset").loss, TypeLoss::kSemantics);
  EXPECT_EQ(Map("bigquery", "datetimeoffset").loss, TypeLoss::kSemantics);
  EXPECT_EQ(Map("snowflake", "datetimeoffset").loss, TypeLoss::kNone);
  EXPECT_EQ(Map("snowflake", "uniqueidentifier").loss, TypeLoss::kSemantics);
  EXPECT_EQ(Map("bigquery", "xml").target_type, "STRING");
  EXPECT_EQ(Map("bigquery", "decimal(38,2)").target_type, "BIGNUMERIC(38,2)");
  EXPECT_EQ(Map("bigquery", "decimal(18,2)").target_type, "NUMERIC(18,2)");
  EXPECT_EQ(Map("snowflake", "nvarchar(max)").loss, TypeLoss::kRange);
  EXPECT_EQ(Map("postgres", "sql_variant").loss, TypeLoss::kNoEquivalent);
  EXPECT_EQ(Map("postgres", "hierarchyid").loss, TypeLoss::kNoEquivalent);
  EXPECT_EQ(Map("postgres", "geography").loss, TypeLoss::kNoEquivalent);
  EXPECT_EQ(Map("postgres", "rowversion").loss, TypeLoss::kNoEquivalent);
  EXPECT_EQ(Map("redshift", "nvarchar(100)").target_type, "VARCHAR(400)");
  EXPECT_EQ(Map("redshift", "nvarchar(20000)").loss, TypeLoss::kRange);
  EXPECT_EQ(Map("sqlserver", "datetimeoffset(7)").target_type, "datetimeoffset(7)");
  tsql::DataType udt = *ParseTypeText("dbo.Phone");
  EXPECT_EQ(Target("postgres").MapType(udt).loss, TypeLoss::kNoEquivalent);
}

TEST(TargetProfileTest, DatabricksTypes) {
  // TINYINT is signed there: 0..255 needs SMALLINT.
  EXPECT_EQ(Map("databricks", "tinyint").target_type, "SMALLINT");
  EXPECT_EQ(Map("databricks", "tinyint").loss, TypeLoss::kNone);
  TypeMapping dt2 = Map("databricks", "datetime2(7)");
  EXPECT_EQ(dt2.target_type, "TIMESTAMP_NTZ");
  EXPECT_EQ(dt2.loss, TypeLoss::kPrecision);
  EXPECT_THAT(dt2.explanation, ::testing::HasSubstr("datetime2(7)"));
  EXPECT_EQ(Map("databricks", "datetime2(6)").loss, TypeLoss::kNone);
  EXPECT_EQ(Map("databricks", "datetime").target_type, "TIMESTAMP_NTZ");
  TypeMapping dto = Map("databricks", "datetimeoffset(3)");
  EXPECT_EQ(dto.target_type, "TIMESTAMP");
  EXPECT_EQ(dto.loss, TypeLoss::kSemantics);
  EXPECT_EQ(Map("databricks", "time(7)").target_type, "STRING");
  EXPECT_EQ(Map("databricks", "time(7)").loss, TypeLoss::kSemantics);
  EXPECT_EQ(Map("databricks", "uniqueidentifier").target_type, "STRING");
  EXPECT_EQ(Map("databricks", "uniqueidentifier").loss, TypeLoss::kSemantics);
  EXPECT_EQ(Map("databricks", "nvarchar(max)").target_type, "STRING");
  EXPECT_EQ(Map("databricks", "nvarchar(max)").loss, TypeLoss::kNone);
  EXPECT_EQ(Map("databricks", "varchar(50)").target_type, "STRING");
  EXPECT_EQ(Map("databricks", "decimal(38,10)").target_type, "DECIMAL(38,10)");
  EXPECT_EQ(Map("databricks", "decimal(38,10)").loss, TypeLoss::kNone);
  EXPECT_EQ(Map("databricks", "money").target_type, "DECIMAL(19,4)");
  EXPECT_EQ(Map("databricks", "real").target_type, "FLOAT");  // 4-byte
  EXPECT_EQ(Map("databricks", "float").target_type, "DOUBLE");
  EXPECT_EQ(Map("databricks", "float(24)").target_type, "FLOAT");
  EXPECT_EQ(Map("databricks", "xml").target_type, "STRING");
  EXPECT_EQ(Map("databricks", "xml").loss, TypeLoss::kSemantics);
  EXPECT_EQ(Map("databricks", "sql_variant").target_type, "VARIANT");
  EXPECT_EQ(Map("databricks", "geography").target_type, "GEOGRAPHY(4326)");
  EXPECT_EQ(Map("databricks", "hierarchyid").loss, TypeLoss::kNoEquivalent);
  EXPECT_EQ(Map("databricks", "rowversion").loss, TypeLoss::kNoEquivalent);
}

TEST(TargetProfileTest, DatabricksIdentifiersFeaturesAndFunctions) {
  const TargetProfile& db = Target("databricks");
  EXPECT_EQ(db.display_name(), "Databricks");
  EXPECT_FALSE(db.native_tsql());
  EXPECT_EQ(db.Fold("OrderID"), "orderid");
  EXPECT_EQ(db.CollisionKey("OrderID", IdentifierKind::kColumn), db.CollisionKey("orderid", IdentifierKind::kColumn));
  EXPECT_EQ(db.MaxIdentifierLength(IdentifierKind::kTable), 255);
  EXPECT_EQ(db.MaxIdentifierLength(IdentifierKind::kColumn), 255);
  EXPECT_FALSE(db.length_in_bytes());
  EXPECT_FALSE(db.truncates_silently());
  EXPECT_EQ(db.IdentifierLength("Größe"), 5);
  EXPECT_TRUE(db.IsReserved("partition"));
  EXPECT_TRUE(db.IsReserved("USER"));
  EXPECT_FALSE(db.IsReserved("OrderID"));
  EXPECT_TRUE(db.IsPlainIdentifier("order_2"));
  EXPECT_FALSE(db.IsPlainIdentifier("order_2$"));
  EXPECT_FALSE(db.IsPlainIdentifier("Größe"));
  EXPECT_EQ(db.Feature("trigger")->support, FeatureSupport::kNo);
  EXPECT_EQ(db.Feature("index")->support, FeatureSupport::kNo);
  EXPECT_EQ(db.Feature("primary-key")->support, FeatureSupport::kPartial);
  EXPECT_EQ(db.Feature("identity")->support, FeatureSupport::kPartial);
  EXPECT_EQ(db.Feature("synonym")->support, FeatureSupport::kNo);
  ASSERT_NE(db.Function("NEWID"), nullptr);
  EXPECT_EQ(db.Function("newid")->target, "uuid()");
  EXPECT_EQ(db.Function("getdate")->target, "localtimestamp()");
  EXPECT_TRUE(db.Function("host_name")->target.empty());
}

TEST(TargetProfileTest, Identifiers) {
  const TargetProfile& pg = Target("postgres");
  EXPECT_EQ(pg.MaxIdentifierLength(IdentifierKind::kTable), 63);
  EXPECT_TRUE(pg.length_in_bytes());
  EXPECT_TRUE(pg.truncates_silently());
  EXPECT_EQ(pg.Fold("OrderID"), "orderid");
  EXPECT_EQ(Target("snowflake").Fold("OrderID"), "ORDERID");
  EXPECT_EQ(Target("bigquery").MaxIdentifierLength(IdentifierKind::kColumn), 300);
  EXPECT_EQ(Target("redshift").MaxIdentifierLength(IdentifierKind::kColumn), 127);
  EXPECT_TRUE(pg.IsReserved("user"));
  EXPECT_FALSE(pg.IsReserved("timestamp"));
  EXPECT_TRUE(Target("redshift").IsReserved("TIMESTAMP"));
  EXPECT_TRUE(pg.IsPlainIdentifier("order_2$"));
  EXPECT_FALSE(Target("bigquery").IsPlainIdentifier("order_2$"));
  EXPECT_FALSE(pg.IsPlainIdentifier("Größe"));
  EXPECT_EQ(pg.IdentifierLength("Größe"), 7);
  EXPECT_EQ(Target("snowflake").IdentifierLength("Größe"), 5);
}

TEST(TargetProfileTest, FeaturesAndFunctions) {
  EXPECT_EQ(Target("postgres").Feature("filtered-index"), nullptr);  // supported
  ASSERT_NE(Target("snowflake").Feature("check-constraint"), nullptr);
  EXPECT_EQ(Target("snowflake").Feature("check-constraint")->support, FeatureSupport::kNo);
  EXPECT_EQ(Target("sqlserver").Feature("trigger"), nullptr);
  ASSERT_NE(Target("postgres").Function("NEWID"), nullptr);
  EXPECT_EQ(Target("postgres").Function("newid")->target, "gen_random_uuid()");
  EXPECT_TRUE(Target("sqlserver").native_tsql());
}

TEST(TargetProfileTest, ErrorsNameTheLine) {
  auto bad = TargetProfile::FromYaml("target: x\ntypes:\n  int: {target: INT, loss: lots}\n", "x.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), ::testing::HasSubstr("x.yaml:3:"));
  EXPECT_THAT(bad.status().message(), ::testing::HasSubstr("'lots'"));
  auto unknown_type = TargetProfile::FromYaml("target: x\ntypes:\n  integer4: {target: INT}\n", "x.yaml");
  EXPECT_THAT(unknown_type.status().message(), ::testing::HasSubstr("unknown SQL Server type 'integer4'"));
  auto unknown_feature = TargetProfile::FromYaml("target: x\nfeatures:\n  teleport: {support: no}\n", "x.yaml");
  EXPECT_THAT(unknown_feature.status().message(), ::testing::HasSubstr("x.yaml:3:3: unknown feature 'teleport'"));
  auto syntax = TargetProfile::FromYaml("target: x\ntypes: [\n", "x.yaml");
  EXPECT_THAT(syntax.status().message(), ::testing::HasSubstr("bad YAML"));
  EXPECT_FALSE(TargetProfile::FromYaml("display_name: X\n", "x.yaml").ok());  // no target name
}

TEST(TargetProfileTest, TargetsAreAddableAsData) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "sqlmill_validator_targets_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "duckdb.yaml") << "target: duckdb\ndisplay_name: DuckDB\nidentifiers: {max_length: 1000, case_folding: none}\n"
                                        "types:\n  int: {target: INTEGER}\n  hierarchyid: {loss: no-equivalent, explanation: none}\n";
  auto registry = LoadBuiltinTargets();
  ASSERT_TRUE(registry.ok());
  ASSERT_TRUE(registry->LoadDirectory(dir.string()).ok());
  const TargetProfile* duck = registry->Find("duckdb");
  ASSERT_NE(duck, nullptr);
  EXPECT_EQ(duck->MapType(*ParseTypeText("int")).target_type, "INTEGER");
  EXPECT_EQ(duck->MapType(*ParseTypeText("money")).loss, TypeLoss::kNoEquivalent);  // no entry
  EXPECT_FALSE(registry->LoadDirectory(dir.string()).ok());  // defined twice
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sqlmill::validator

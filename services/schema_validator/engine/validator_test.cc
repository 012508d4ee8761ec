// Tests for Validate as a whole: defaults, thresholds, ignore lists, inline suppressions,
// custom rules, targets, limits and cancellation.
#include "services/schema_validator/engine/validator.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/schema_validator/engine/testing/catalog_fixture.h"

namespace sqlmill::validator {
namespace {

using ::testing::HasSubstr;

tsql::Catalog Fixture(const std::string& yaml, const std::string& file = "schema.sql") {
  auto c = testing::ParseCatalogFixture(yaml, file);
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? *c : tsql::Catalog{};
}

std::vector<std::string> Ids(const ValidationReport& r) {
  std::vector<std::string> ids;
  for (const Finding& f : r.findings) ids.push_back(f.rule_id + " " + f.object_path);
  return ids;
}

const char kOrders[] = R"(tables:
  dbo.Orders:
    columns: [OrderID int not null, Total money]
  dbo.audit_log:
    columns: [Id int not null]
    pk: PK_audit(Id)
)";

TEST(ValidatorTest, DefaultRulesAndSummary) {
  ValidateOptions options;
  auto report = Validate(Fixture(kOrders), options);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(Ids(*report), ::testing::UnorderedElementsAre("pk-required dbo.Orders", "heap-table dbo.Orders",
                                                            "money-type dbo.Orders.Total"));
  EXPECT_EQ(report->summary.warnings, 2u);
  EXPECT_EQ(report->summary.infos, 1u);
  EXPECT_EQ(report->summary.by_rule.at("pk-required"), 1u);
  EXPECT_EQ(report->summary.objects_checked, 1u + 2u + 3u);  // schema, tables, columns
  EXPECT_TRUE(report->passed);  // no errors
  EXPECT_TRUE(report->target.empty());
  for (const RuleInfo& r : report->rules_run) EXPECT_FALSE(r.needs_target) << r.id;
}

TEST(ValidatorTest, ThresholdDecidesPassFail) {
  ValidateOptions options;
  options.fail_threshold = Severity::kWarning;
  auto report = Validate(Fixture(kOrders), options);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->passed);
  options.fail_threshold = Severity::kError;
  options.config = *ParseRuleConfigYaml("rules:\n  money-type: error\n", "r.yml");
  report = Validate(Fixture(kOrders), options);
  EXPECT_FALSE(report->passed);
  EXPECT_EQ(report->summary.errors, 1u);
}

TEST(ValidatorTest, IgnoreListsCountAsSuppressed) {
  ValidateOptions options;
  options.config = *ParseRuleConfigYaml(
      "ignore:\n  - {rule: heap-table, object: 'dbo.Ord*'}\n  - {rule: '*', object: '*.*.Total'}\n", "r.yml");
  auto report = Validate(Fixture(kOrders), options);
  ASSERT_TRUE(report.ok());
  EXPECT_THAT(Ids(*report), ::testing::ElementsAre("pk-required dbo.Orders"));
  EXPECT_EQ(report->summary.suppressed, 2u);
}

TEST(ValidatorTest, InlineSuppressionsNeedTheSource) {
  // The fixture's table key is on line 2: the comment sits on line 1 of the "SQL" text.
  ValidateOptions options;
  options.config.only = std::vector<std::string>{"pk-required", "heap-table"};
  options.sources["schema.sql"] = "-- sqlmill:ignore pk-required\nCREATE TABLE dbo.Orders (...)\n";
  auto report = Validate(Fixture(kOrders), options);
  ASSERT_TRUE(report.ok());
  EXPECT_THAT(Ids(*report), ::testing::ElementsAre("heap-table dbo.Orders"));
  EXPECT_EQ(report->summary.suppressed, 1u);
}

TEST(ValidatorTest, UnknownTargetIsInvalidArgument) {
  ValidateOptions options;
  options.target = "oracle";
  auto report = Validate(Fixture(kOrders), options);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(report.status().message(),
              HasSubstr("unknown target 'oracle' (expected one of bigquery, databricks, postgres, redshift, snowflake, sqlserver)"));
}

TEST(ValidatorTest, TargetRulesRunOnlyWithATarget) {
  ValidateOptions options;
  options.target = "snowflake";
  auto report = Validate(Fixture("tables:\n  dbo.T:\n    columns: [Id uniqueidentifier not null]\n    pk: PK_T(Id)\n"), options);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->target, "snowflake");
  EXPECT_THAT(Ids(*report), ::testing::Contains("target-type-loss dbo.T.Id"));
}

TEST(ValidatorTest, CustomRulesRequireAndForbid) {
  ValidateOptions options;
  options.config = *ParseRuleConfigYaml(R"(
only: []
custom_rules:
  - id: fact-load-date
    object_kind: table
    name_pattern: '^fact_'
    require: ['column:load_date', has_primary_key]
    severity: error
  - id: no-nvarchar-max
    object_kind: column
    forbid: ['type:nvarchar(max)']
    message: "{object} must not be {condition}"
  - id: ids-not-null
    object_kind: column
    name_pattern: 'Id$'
    require: [not_null]
)", "rules.yml");
  auto report = Validate(Fixture(R"(tables:
  dbo.fact_sales:
    columns: [SaleId int null, load_date date not null, Notes nvarchar(max)]
  dbo.fact_returns:
    columns: [ReturnId int not null]
    pk: PK_r(ReturnId)
  dbo.dim_date:
    columns: [DateId int not null]
)"), options);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(Ids(*report), ::testing::UnorderedElementsAre(
                                "fact-load-date dbo.fact_sales", "fact-load-date dbo.fact_returns",
                                "no-nvarchar-max dbo.fact_sales.Notes", "ids-not-null dbo.fact_sales.SaleId"));
  EXPECT_EQ(report->summary.errors, 2u);
  for (const Finding& f : report->findings) {
    if (f.rule_id == "no-nvarchar-max") {
      EXPECT_EQ(f.message, "dbo.fact_sales.Notes must not be type:nvarchar(max)");
    }
  }
  bool listed = false;
  for (const RuleInfo& r : report->rules_run) listed = listed || r.id == "fact-load-date";
  EXPECT_TRUE(listed);
}

TEST(ValidatorTest, CustomRuleSeverityConfigurableUnderRules) {
  ValidateOptions options;
  options.config = *ParseRuleConfigYaml(R"(
only: []
rules:
  named-pks: info
custom_rules:
  - {id: named-pks, object_kind: constraint, require: [named], severity: error}
)", "rules.yml");
  auto report = Validate(Fixture("tables:\n  dbo.T:\n    columns: [Id int not null]\n    pk: (Id)\n"), options);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->findings.size(), 1u);
  EXPECT_EQ(report->findings[0].severity, Severity::kInfo);
}

TEST(ValidatorTest, WorkBudgetIsALimit) {
  ValidateOptions options;
  options.limits.max_work_units = 5;
  auto report = Validate(Fixture(kOrders), options);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(ValidatorTest, CancellationStopsTheWalk) {
  std::string yaml = "tables:\n";
  for (int i = 0; i < 300; ++i) yaml += "  dbo.T" + std::to_string(i) + ":\n    columns: [a int, b int, c int]\n";
  tsql::Catalog catalog = Fixture(yaml);
  CancellationToken cancel;
  cancel.Cancel();
  ValidateOptions options;
  options.cancel = &cancel;
  auto report = Validate(catalog, options);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kCancelled);
  CancellationToken expired(CancellationToken::Clock::now() - std::chrono::seconds(1));
  options.cancel = &expired;
  EXPECT_EQ(Validate(catalog, options).status().code(), absl::StatusCode::kDeadlineExceeded);
}

TEST(ValidatorTest, FindingsAreSortedByPosition) {
  ValidateOptions options;
  auto report = Validate(Fixture(kOrders), options);
  ASSERT_TRUE(report.ok());
  for (size_t i = 1; i < report->findings.size(); ++i) {
    EXPECT_LE(report->findings[i - 1].location.span.offset, report->findings[i].location.span.offset);
  }
  EXPECT_EQ(report->findings[0].location.file, "schema.sql");
  EXPECT_EQ(report->findings[0].location.begin.line, 2);
}

// A catalog that trips most rules: missing keys, bad names, FKs to missing tables, duplicate
// indexes, lossy and unsupported types, features, alias types.
tsql::Catalog Busy(int tables) {
  std::string yaml = "types: {dbo.Phone: nvarchar(20)}\ntables:\n";
  for (int i = 0; i < tables; ++i) {
    const std::string n = std::to_string(i);
    yaml += "  dbo." + std::string(i % 4 == 0 ? "tbl_" : "T") + n + ":\n    columns: [Id int not null identity, "
            "Price float, Notes text, Phone dbo.Phone, Geo geography, At datetimeoffset, "
            "ParentId int, \"select varchar(10) collate Latin1_General_BIN\"]\n";
    if (i % 3 != 0) yaml += "    pk: PK_T" + n + "(Id)\n";
    yaml += "    fks: [\"FK_" + n + "(ParentId) -> dbo.T" + std::to_string(i % 5 == 0 ? i + 100000 : i / 2) + "(Id)\"]\n";
    yaml += "    indexes: [IX_" + n + "_a(ParentId), ix" + n + "_b(ParentId)]\n";
  }
  return Fixture(yaml);
}

ValidateOptions EveryRule(int threads) {
  ValidateOptions options;
  options.target = "postgres";
  options.threads = threads;
  auto config = ParseRuleConfigYaml(R"(rules:
  missing-description: {enabled: true, parameters: {kinds: "table, column"}}
  constraint-unnamed: on
  naming-pattern: {parameters: {table: '^[A-Z]\w*$', index: '^IX_\w+$'}}
custom_rules:
  - id: ids-are-int
    object_kind: column
    name_pattern: '^Id$'
    require: ['type:int']
)", "r.yml");
  EXPECT_TRUE(config.ok()) << config.status();
  if (config.ok()) options.config = *config;
  return options;
}

std::vector<std::string> Everything(const ValidationReport& r) {
  std::vector<std::string> out;
  for (const Finding& f : r.findings) {
    out.push_back(absl::StrCat(f.rule_id, "|", static_cast<int>(f.severity), "|", f.object_path, "|",
                               f.object_kind, "|", f.message, "|", f.suggestion, "|", f.location.file,
                               ":", f.location.begin.line, ":", f.location.begin.column));
  }
  return out;
}

TEST(ValidatorTest, ParallelLanesGiveTheSameReport) {
  const tsql::Catalog catalog = Busy(300);
  auto one = Validate(catalog, EveryRule(1));
  ASSERT_TRUE(one.ok()) << one.status();
  ASSERT_GT(one->findings.size(), 3000u);
  EXPECT_GE(one->summary.by_rule.size(), 12u);
  for (int threads : {2, 3, 7}) {
    auto many = Validate(catalog, EveryRule(threads));
    ASSERT_TRUE(many.ok()) << many.status();
    EXPECT_EQ(Everything(*many), Everything(*one)) << threads << " threads";
    EXPECT_EQ(many->summary.by_rule, one->summary.by_rule);
    EXPECT_EQ(many->summary.objects_checked, one->summary.objects_checked);
    EXPECT_EQ(many->rules_run.size(), one->rules_run.size());
  }
}

TEST(ValidatorTest, ParallelLanesKeepLimitsAndCancellation) {
  const tsql::Catalog catalog = Busy(300);
  ValidateOptions options = EveryRule(3);
  options.limits.max_work_units = 1000;
  EXPECT_EQ(Validate(catalog, options).status().code(), absl::StatusCode::kResourceExhausted);
  options.limits.max_work_units = 0;
  CancellationToken cancel;
  cancel.Cancel();
  options.cancel = &cancel;
  EXPECT_EQ(Validate(catalog, options).status().code(), absl::StatusCode::kCancelled);
}

}  // namespace
}  // namespace sqlmill::validator

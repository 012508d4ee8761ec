// Tests for the YAML rule configuration and the configuration errors the issue names:
// unknown rule id, bad regex, bad YAML — each a clear INVALID_ARGUMENT naming the line.
#include "services/schema_validator/engine/config.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/schema_validator/engine/validator.h"

namespace sqlmill::validator {
namespace {

using ::testing::HasSubstr;

absl::Status Prepare(const std::string& yaml) {
  auto config = ParseRuleConfigYaml(yaml, "rules.yml");
  if (!config.ok()) return config.status();
  return PrepareRules(*config, RuleRegistry::Builtin(), nullptr, RulePhase::kValidate).status();
}

TEST(ConfigTest, ParsesEveryForm) {
  auto config = ParseRuleConfigYaml(R"(
only: [pk-required, naming-pattern]
rules:
  pk-required: off
  heap-table: error
  naming-pattern:
    severity: info
    parameters:
      table: '^[A-Z]\w*$'
      column: [a, b]
ignore:
  - {rule: fk-missing-index, object: 'dbo.audit_*'}
  - 'staging.*'
custom_rules:
  - id: fact-load-date
    object_kind: table
    name_pattern: '^fact_'
    require: ['column:load_date']
    severity: error
)", "rules.yml");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->only->size(), 2u);
  EXPECT_EQ(config->rules["pk-required"].enabled, false);
  EXPECT_EQ(config->rules["heap-table"].severity, Severity::kError);
  EXPECT_EQ(config->rules["naming-pattern"].parameters["table"], "^[A-Z]\\w*$");
  EXPECT_EQ(config->rules["naming-pattern"].parameters["column"], "a,b");
  EXPECT_EQ(config->rules["naming-pattern"].line, 6);
  ASSERT_EQ(config->ignore.size(), 2u);
  EXPECT_EQ(config->ignore[1].rule_id, "*");
  EXPECT_EQ(config->ignore[1].object_pattern, "staging.*");
  ASSERT_EQ(config->custom_rules.size(), 1u);
  EXPECT_EQ(config->custom_rules[0].line, 15);
  EXPECT_TRUE(ParseRuleConfigYaml("", "rules.yml").ok());
}

TEST(ConfigTest, BadYamlNamesTheLine) {
  auto config = ParseRuleConfigYaml("rules:\n  pk-required: off\n  heap-table: [error\n", "rules.yml");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(config.status().message(), HasSubstr("rules.yml:4:"));
  EXPECT_THAT(config.status().message(), HasSubstr("bad YAML"));
}

TEST(ConfigTest, BadValuesNameTheLine) {
  EXPECT_THAT(ParseRuleConfigYaml("rules:\n  pk-required: sometimes\n", "r.yml").status().message(),
              HasSubstr("r.yml:2:16: expected on, off or a severity"));
  EXPECT_THAT(ParseRuleConfigYaml("rules:\n  pk-required: {severity: fatal}\n", "r.yml").status().message(),
              HasSubstr("r.yml:2:27: expected a severity"));
  EXPECT_THAT(ParseRuleConfigYaml("rulez: {}\n", "r.yml").status().message(),
              HasSubstr("r.yml:1:1: unknown top-level key 'rulez'"));
  EXPECT_THAT(ParseRuleConfigYaml("custom_rules:\n  - {id: x, object_kind: table}\n", "r.yml").status().message(),
              HasSubstr("r.yml:2:5: a custom rule needs at least one require or forbid"));
}

TEST(ConfigTest, UnknownRuleIdNamesTheLineAndSuggests) {
  absl::Status s = Prepare("rules:\n  pk-required: on\n  pk-requird: off\n");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("rules.yml:3: unknown rule id 'pk-requird' (did you mean 'pk-required'?)"));
  EXPECT_THAT(Prepare("only: [heap-tables]\n").message(), HasSubstr("rules.yml:1: unknown rule id 'heap-tables' in only"));
  EXPECT_THAT(Prepare("ignore:\n  - {rule: nope, object: x}\n").message(),
              HasSubstr("rules.yml:2: unknown rule id 'nope' in ignore"));
}

TEST(ConfigTest, UnknownParameterAndBadRegexNameTheLine) {
  EXPECT_THAT(Prepare("rules:\n  wide-table:\n    parameters:\n      max_cols: 3\n").message(),
              HasSubstr("rules.yml:4: rule 'wide-table' has no parameter 'max_cols' (expected one of max_columns)"));
  EXPECT_THAT(Prepare("rules:\n  naming-pattern:\n    parameters:\n      index: '(IX'\n").message(),
              HasSubstr("rules.yml:4: rule 'naming-pattern' parameter 'index': bad regular expression '(IX'"));
  EXPECT_THAT(Prepare("custom_rules:\n  - id: c1\n    object_kind: table\n    name_pattern: '[a-'\n    require: [has_primary_key]\n").message(),
              HasSubstr("rules.yml:2: custom rule 'c1': bad regular expression '[a-'"));
  EXPECT_THAT(Prepare("custom_rules:\n  - {id: c1, object_kind: table, require: [is_pretty]}\n").message(),
              HasSubstr("rules.yml:2: custom rule 'c1': unknown condition 'is_pretty' for table"));
  EXPECT_THAT(Prepare("custom_rules:\n  - {id: c1, object_kind: widget, require: [named]}\n").message(),
              HasSubstr("unknown object_kind 'widget'"));
  EXPECT_THAT(Prepare("custom_rules:\n  - {id: pk-required, object_kind: table, require: [has_primary_key]}\n").message(),
              HasSubstr("custom rule id 'pk-required' is already taken"));
  EXPECT_THAT(Prepare("custom_rules:\n  - {id: Bad_Id, object_kind: table, require: [has_primary_key]}\n").message(),
              HasSubstr("not kebab-case"));
}

TEST(ConfigTest, MergeOverlaysSettings) {
  RuleConfig base = *ParseRuleConfigYaml("rules:\n  wide-table: {severity: error, parameters: {max_columns: 10}}\n", "a");
  RuleConfig overlay = *ParseRuleConfigYaml("rules:\n  wide-table: {parameters: {max_columns: 20}}\nignore: [x]\n", "b");
  MergeRuleConfig(overlay, &base);
  EXPECT_EQ(base.rules["wide-table"].severity, Severity::kError);
  EXPECT_EQ(base.rules["wide-table"].parameters["max_columns"], "20");
  EXPECT_EQ(base.ignore.size(), 1u);
}

}  // namespace
}  // namespace sqlmill::validator

// The rule configuration: which rules run, at what severity, with which parameters; which
// objects are ignored; and custom rules declared as data. Built in memory (from the proto
// RuleConfig) or parsed from YAML:
//
//   only: [pk-required, fk-missing-index]   # optional: run just these (and custom rules)
//   rules:
//     pk-required: off                       # on | off | error | warning | info | hint
//     naming-pattern:
//       severity: error
//       parameters: {table: '^[A-Z][A-Za-z0-9]*$'}
//   ignore:
//     - {rule: fk-missing-index, object: 'dbo.audit_*'}
//   custom_rules:
//     - id: fact-tables-have-load-date
//       object_kind: table
//       name_pattern: '^fact_'
//       require: ['column:load_date']
//       severity: error
//
// Parsing checks the shape; rule ids, parameter names and patterns are checked against the
// registry when a run is prepared (validator.cc). Every error is INVALID_ARGUMENT naming
// file:line. Ownership: plain values. Thread-safety: as for any value type.
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_CONFIG_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_CONFIG_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/base/diagnostic.h"

namespace sqlmill::validator {

struct RuleSetting {
  std::optional<bool> enabled;
  std::optional<Severity> severity;
  std::map<std::string, std::string> parameters;
  std::map<std::string, int> parameter_lines;  // for error messages; 0 = unknown
  int line = 0;
};

struct IgnoreEntry {
  std::string rule_id;         // "*" for every rule
  std::string object_pattern;  // glob over the object path (glob.h)
  int line = 0;
};

struct CustomRuleSpec {
  std::string id;
  std::string description;
  std::optional<Severity> severity;  // default warning
  std::string object_kind;   // table, column, view, index, constraint, procedure, function,
                             // trigger, sequence
  std::string name_pattern;  // RE2 regex over the object name ("" = any)
  std::vector<std::string> require;
  std::vector<std::string> forbid;
  std::string message;  // may use {object} and {condition}
  int line = 0;
};

struct RuleConfig {
  std::string file = "<config>";  // the source named in error messages
  std::optional<std::vector<std::string>> only;
  int only_line = 0;
  std::map<std::string, RuleSetting> rules;
  std::vector<IgnoreEntry> ignore;
  std::vector<CustomRuleSpec> custom_rules;
};

// Parses a YAML rule configuration. An empty document is an empty configuration.
absl::StatusOr<RuleConfig> ParseRuleConfigYaml(std::string_view yaml, std::string_view file_name);

// Applies `overlay` on top of `base`: rule settings merge field by field (parameters key by
// key), ignore entries and custom rules are appended, `only` replaces.
void MergeRuleConfig(const RuleConfig& overlay, RuleConfig* base);

// Returns "file:line" (or just the file when line is 0) for messages.
std::string ConfigWhere(const RuleConfig& config, int line);

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_CONFIG_H_

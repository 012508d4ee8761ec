// User-defined rules declared as data (config.h CustomRuleSpec): match objects of one kind
// whose name matches a regex, then require or forbid conditions. Conditions by kind:
//
//   column      nullable not_null identity computed has_default in_primary_key sparse
//               has_description type:<name or text> length_gt:<n> name:<regex>
//   table       has_primary_key has_clustered_index has_foreign_key has_description
//               system_versioned memory_optimized column:<name> columns_gt:<n> name:<regex>
//   index       unique clustered has_filter columns_gt:<n> name:<regex>
//   constraint  named kind:<primary_key|unique|foreign_key|check|default> name:<regex>
//   view        schemabinding has_description name:<regex>
//   procedure, function   has_description name:<regex>
//   trigger, sequence     name:<regex>
//
// Unknown kinds or conditions and bad regexes are INVALID_ARGUMENT naming file:line.
// Patterns are RE2 regular expressions, searched (not anchored) unless written with ^...$.
//
// Thread-safety: a created rule belongs to one run.
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_CUSTOM_RULE_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_CUSTOM_RULE_H_

#include "absl/status/statusor.h"
#include "services/schema_validator/engine/config.h"
#include "services/schema_validator/engine/rule.h"

namespace sqlmill::validator {

// Checks the spec and returns a factory for it (category kCustom, enabled by default).
absl::StatusOr<RuleFactory> MakeCustomRule(const CustomRuleSpec& spec, const RuleConfig& config);

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_CUSTOM_RULE_H_

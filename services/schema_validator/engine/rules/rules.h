// The built-in rules: one factory function per rule, each defined in its own file
// (rules/<id with underscores>.cc) with a golden test (testdata/rules/<same>.test).
//
// Thread-safety: factories are stateless; see rule.h.
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_RULES_RULES_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_RULES_RULES_H_

#include <vector>

#include "services/schema_validator/engine/rule.h"

namespace sqlmill::validator {

// Integrity.
RuleFactory FkMissingTableRule();
RuleFactory FkMissingColumnRule();
RuleFactory FkColumnMismatchRule();
RuleFactory ConstraintMissingColumnRule();
RuleFactory IndexDuplicateRule();
RuleFactory IndexRedundantRule();
RuleFactory DuplicateObjectNameRule();
RuleFactory UnresolvedReferenceRule();
// Keys and design.
RuleFactory PkRequiredRule();
RuleFactory HeapTableRule();
RuleFactory FkMissingIndexRule();
RuleFactory PkNullableColumnRule();
RuleFactory IdentityNotInKeyRule();
RuleFactory WideTableRule();
RuleFactory RowSizeLimitRule();
RuleFactory DeprecatedTypeRule();
RuleFactory FloatForMoneyRule();
RuleFactory MoneyTypeRule();
RuleFactory MissingDescriptionRule();
RuleFactory ConstraintUnnamedRule();
// Naming.
RuleFactory NamingPatternRule();
RuleFactory TargetReservedWordRule();
RuleFactory TargetIdentifierLengthRule();
RuleFactory TargetCaseCollisionRule();
RuleFactory TargetIdentifierQuotingRule();
// Target compatibility.
RuleFactory TargetTypeLossRule();
RuleFactory TargetTypeUnsupportedRule();
RuleFactory TargetFeatureUnsupportedRule();
RuleFactory TargetDefaultFunctionRule();
// Changes between two catalogs (Diff).
RuleFactory ChangeDestructiveRule();
RuleFactory ChangeBackwardIncompatibleRule();
RuleFactory ChangeDataDependentRule();
RuleFactory ChangeConstraintRule();

// Returns every built-in rule factory.
std::vector<RuleFactory> BuiltinRuleFactories();

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_RULES_RULES_H_

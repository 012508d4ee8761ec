// The list of built-in rules (the registry is built from it once; see rule.cc).
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {

std::vector<RuleFactory> BuiltinRuleFactories() {
  return {
      FkMissingTableRule(),          FkMissingColumnRule(),        FkColumnMismatchRule(),
      ConstraintMissingColumnRule(), IndexDuplicateRule(),         IndexRedundantRule(),
      DuplicateObjectNameRule(),     UnresolvedReferenceRule(),    PkRequiredRule(),
      HeapTableRule(),               FkMissingIndexRule(),         PkNullableColumnRule(),
      IdentityNotInKeyRule(),        WideTableRule(),              RowSizeLimitRule(),
      DeprecatedTypeRule(),          FloatForMoneyRule(),          MoneyTypeRule(),
      MissingDescriptionRule(),      ConstraintUnnamedRule(),      NamingPatternRule(),
      TargetReservedWordRule(),      TargetIdentifierLengthRule(), TargetCaseCollisionRule(),
      TargetIdentifierQuotingRule(), TargetTypeLossRule(),         TargetTypeUnsupportedRule(),
      TargetFeatureUnsupportedRule(), TargetDefaultFunctionRule(), ChangeDestructiveRule(),
      ChangeBackwardIncompatibleRule(), ChangeDataDependentRule(), ChangeConstraintRule(),
  };
}

}  // namespace sqlmill::validator

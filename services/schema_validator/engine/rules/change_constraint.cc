// Rule change-constraint: a Diff change drops or alters a constraint, default or index.
// Stateless; see rule.h for thread-safety.
#include "services/schema_validator/engine/rules/change_rule.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {

RuleFactory ChangeConstraintRule() {
  RuleFactory f;
  f.info.id = "change-constraint";
  f.info.category = RuleCategory::kChange;
  f.info.summary = "A constraint, default or index changes";
  f.info.doc =
      "Diff only. Reports dropped constraints (Atlas CD101), added, changed or dropped "
      "defaults, non-unique indexes added, changed or dropped, and constraints added WITH "
      "NOCHECK: they change what the database guarantees or how it performs, without "
      "failing on existing data.";
  f.info.default_severity = Severity::kInfo;
  f.create = MakeChangeRule(ChangeClass::kConstraint,
                            "confirm the guarantee or index is no longer needed (query plans, integrity)");
  return f;
}

}  // namespace sqlmill::validator

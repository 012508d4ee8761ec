// Rule change-data-dependent: a Diff change may fail depending on the data present.
// Stateless; see rule.h for thread-safety.
#include "services/schema_validator/engine/rules/change_rule.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {

RuleFactory ChangeDataDependentRule() {
  RuleFactory f;
  f.info.id = "change-data-dependent";
  f.info.category = RuleCategory::kChange;
  f.info.summary = "A schema change may fail on existing data";
  f.info.doc =
      "Diff only. Reports changes whose success depends on the rows present (Atlas MF101-"
      "MF104): new PRIMARY KEY, UNIQUE constraints and unique indexes, an index made unique, "
      "new or changed FOREIGN KEY and CHECK constraints that check existing rows, NULL → NOT "
      "NULL, a NOT NULL column added without a default, collation changes, and type changes "
      "across families (e.g. varchar → int).";
  f.info.default_severity = Severity::kWarning;
  f.create = MakeChangeRule(ChangeClass::kDataDependent,
                            "check the existing data first (duplicates, NULLs, orphans, unconvertible values), "
                            "or add the constraint WITH NOCHECK and clean up");
  return f;
}

}  // namespace sqlmill::validator

// Rule change-destructive: a Diff change loses data (drop schema, table or column).
// Stateless; see rule.h for thread-safety.
#include "services/schema_validator/engine/rules/change_rule.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {

RuleFactory ChangeDestructiveRule() {
  RuleFactory f;
  f.info.id = "change-destructive";
  f.info.category = RuleCategory::kChange;
  f.info.summary = "A schema change drops data";
  f.info.doc =
      "Diff only. Reports changes that lose data: a dropped schema (with its tables), table "
      "or column (Atlas DS101-DS103). A table or column that reappears under another name "
      "with the same shape is reported as a rename instead.";
  f.info.default_severity = Severity::kError;
  f.create = MakeChangeRule(ChangeClass::kDestructive,
                            "back up or migrate the data first, or keep the object and deprecate it");
  return f;
}

}  // namespace sqlmill::validator

// Rule change-backward-incompatible: a Diff change breaks readers or writers of the old
// schema (rename, type narrowing, precision loss, dropped views/routines/parameters).
// Stateless; see rule.h for thread-safety.
#include "services/schema_validator/engine/rules/change_rule.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {

RuleFactory ChangeBackwardIncompatibleRule() {
  RuleFactory f;
  f.info.id = "change-backward-incompatible";
  f.info.category = RuleCategory::kChange;
  f.info.summary = "A schema change breaks existing readers or writers";
  f.info.doc =
      "Diff only. Reports renamed tables and columns (Atlas BC101/BC102), narrowing type "
      "changes and precision loss (shorter strings, Unicode to non-Unicode, fewer digits or "
      "fractional seconds, dropped offset), IDENTITY added or removed, changed computed "
      "columns, dropped views, routines, sequences, synonyms and types, and removed or "
      "newly required routine parameters.";
  f.info.default_severity = Severity::kWarning;
  f.create = MakeChangeRule(ChangeClass::kBackwardIncompatible,
                            "ship the change in two steps (expand, migrate readers/writers, contract), or "
                            "keep a compatibility view");
  return f;
}

}  // namespace sqlmill::validator

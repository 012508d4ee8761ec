// Names of the report enums.
#include "services/schema_validator/engine/report.h"

namespace sqlmill::validator {

const char* CategoryName(RuleCategory category) {
  switch (category) {
    case RuleCategory::kIntegrity:
      return "integrity";
    case RuleCategory::kDesign:
      return "design";
    case RuleCategory::kNaming:
      return "naming";
    case RuleCategory::kCompatibility:
      return "compatibility";
    case RuleCategory::kChange:
      return "change";
    case RuleCategory::kCustom:
      return "custom";
  }
  return "design";
}

const char* ChangeKindName(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kAdded:
      return "added";
    case ChangeKind::kDropped:
      return "dropped";
    case ChangeKind::kModified:
      return "modified";
    case ChangeKind::kRenamed:
      return "renamed";
  }
  return "modified";
}

const char* ChangeClassName(ChangeClass cls) {
  switch (cls) {
    case ChangeClass::kSafe:
      return "safe";
    case ChangeClass::kDestructive:
      return "destructive";
    case ChangeClass::kBackwardIncompatible:
      return "backward-incompatible";
    case ChangeClass::kDataDependent:
      return "data-dependent";
    case ChangeClass::kConstraint:
      return "constraint";
  }
  return "safe";
}

}  // namespace sqlmill::validator

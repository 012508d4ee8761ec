// Shared by the four change rules: a rule that reports every Diff change of one class.
// Internal to the rules; instances belong to one run (see rule.h).
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_RULES_CHANGE_RULE_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_RULES_CHANGE_RULE_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rule.h"

namespace sqlmill::validator {

class ChangeClassRule : public Rule {
 public:
  ChangeClassRule(ChangeClass cls, std::string suggestion)
      : cls_(cls), suggestion_(std::move(suggestion)) {}

  void CheckChange(const SchemaChange& change, RuleContext& ctx) override {
    if (change.classification != cls_) return;
    FindingTarget target{change.object_path, change.object_kind, nullptr,
                         change.new_span.known() ? &change.new_span : &change.old_span};
    ctx.Report(target,
               absl::StrCat(ChangeClassName(cls_), " change: ", change.object_kind, " '", change.object_path,
                            "' ", ChangeKindName(change.kind), ": ", change.detail),
               suggestion_);
  }

 private:
  ChangeClass cls_;
  std::string suggestion_;
};

inline RuleCreateFn MakeChangeRule(ChangeClass cls, std::string suggestion) {
  return [cls, suggestion](const RuleParams&) -> absl::StatusOr<std::unique_ptr<Rule>> {
    return std::unique_ptr<Rule>(std::make_unique<ChangeClassRule>(cls, suggestion));
  };
}

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_RULES_CHANGE_RULE_H_

// Rule target-reserved-word: a name is a reserved word on the target platform.
// Stateless; see rule.h for thread-safety.
#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/name_rule.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

class TargetReservedWord : public NameRule {
 protected:
  void CheckName(const NamedObject& n, RuleContext& ctx) override {
    switch (n.kind) {
      case NameKind::kSchema:
      case NameKind::kTable:
      case NameKind::kColumn:
      case NameKind::kView:
      case NameKind::kViewColumn:
        break;
      default:
        return;
    }
    const TargetProfile* p = ctx.target();
    if (!p->IsReserved(n.name)) return;
    FindingTarget target = n.target();
    const std::string open(1, p->quote_char());
    const std::string close(1, p->quote_char() == '[' ? ']' : p->quote_char());
    std::string message =
        absl::StrCat(target.kind, " name '", n.name, "' is a reserved word in ", p->display_name());
    ctx.Report(std::move(target), std::move(message),
               absl::StrCat("rename it, or quote it as ", open, p->Fold(n.name), close, " in every statement on ",
                            p->display_name()));
  }
};

}  // namespace

RuleFactory TargetReservedWordRule() {
  RuleFactory f;
  f.info.id = "target-reserved-word";
  f.info.category = RuleCategory::kNaming;
  f.info.summary = "A name is a reserved word on the target";
  f.info.doc =
      "Reports schema, table, view and column names that are reserved words of the target "
      "platform (from its documentation's reserved-keyword list). Such names must be quoted "
      "in every query on the target, and tools that generate SQL often forget.";
  f.info.default_severity = Severity::kWarning;
  f.info.needs_target = true;
  f.create = MakeSimpleRule<TargetReservedWord>();
  return f;
}

}  // namespace sqlmill::validator

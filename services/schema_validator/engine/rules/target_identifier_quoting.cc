// Rule target-identifier-quoting: a name needs quoting on the target (spaces, non-ASCII
// letters, punctuation, a leading digit).
// Stateless; see rule.h for thread-safety.
#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/name_rule.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

std::string Why(std::string_view name) {
  for (char c : name) {
    if (c == ' ') return "contains a space";
  }
  for (char c : name) {
    if (static_cast<unsigned char>(c) >= 128) return "contains non-ASCII characters";
  }
  if (!name.empty() && name[0] >= '0' && name[0] <= '9') return "starts with a digit";
  return "contains characters outside letters, digits and underscore";
}

class TargetIdentifierQuoting : public NameRule {
 protected:
  void CheckName(const NamedObject& n, RuleContext& ctx) override {
    if (n.kind != NameKind::kSchema && n.kind != NameKind::kTable && n.kind != NameKind::kColumn &&
        n.kind != NameKind::kView) {
      return;
    }
    const TargetProfile* p = ctx.target();
    const std::string& name = n.name;
    if (p->IsPlainIdentifier(name)) return;
    const bool folds = p->case_folding() == CaseFolding::kLower || p->case_folding() == CaseFolding::kUpper;
    FindingTarget target = n.target();
    std::string message = absl::StrCat(target.kind, " name '", name, "' ", Why(name),
                                       ": it must be quoted in every statement on ", p->display_name(),
                                       folds ? ", and quoting makes it case-sensitive there" : "");
    std::string plain;  // the name with anything but ASCII letters and digits as '_'
    for (char c : name) {
      if ((static_cast<unsigned char>(c) & 0xC0) == 0x80) continue;  // UTF-8 continuation
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      plain.push_back(ok ? c : '_');
    }
    if (!plain.empty() && plain[0] >= '0' && plain[0] <= '9') plain.insert(0, "_");
    ctx.Report(std::move(target), std::move(message),
               absl::StrCat("rename it to letters, digits and underscores (e.g. ", plain, ")"));
  }
};

}  // namespace

RuleFactory TargetIdentifierQuotingRule() {
  RuleFactory f;
  f.info.id = "target-identifier-quoting";
  f.info.category = RuleCategory::kNaming;
  f.info.summary = "A name needs quoting on the target";
  f.info.doc =
      "Reports schema, table, view and column names the target cannot take unquoted: spaces, "
      "non-ASCII letters, punctuation, a leading digit (the allowed characters come from the "
      "target profile). On PostgreSQL, Redshift and Snowflake a quoted name also keeps its "
      "case, so every query must spell it exactly.";
  f.info.default_severity = Severity::kInfo;
  f.info.needs_target = true;
  f.create = MakeSimpleRule<TargetIdentifierQuoting>();
  return f;
}

}  // namespace sqlmill::validator

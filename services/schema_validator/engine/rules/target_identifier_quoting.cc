// Rule target-identifier-quoting: a name needs quoting on the target (spaces, non-ASCII
// letters, punctuation, a leading digit).
// Stateless; see rule.h for thread-safety.
#include "absl/strings/str_cat.h"
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

class TargetIdentifierQuoting : public Rule {
 public:
  void CheckSchema(const SchemaScope& s, RuleContext& ctx) override {
    Check(s.schema.name, {ObjectPath(s.database.name, "", s.schema.name), "schema",
                          s.schema.span ? &*s.schema.span : nullptr}, ctx);
  }
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    Check(t.name, TableTarget(s, t), ctx);
    for (const auto& c : t.columns) Check(c.name, ColumnTarget(s, t, c), ctx);
  }
  void CheckView(const SchemaScope& s, const tsql::View& v, RuleContext& ctx) override {
    Check(v.name, {ObjectPath(s.database.name, s.schema.name, v.name), "view", &v.span}, ctx);
  }

 private:
  void Check(const std::string& name, const FindingTarget& target, RuleContext& ctx) {
    const TargetProfile* p = ctx.target();
    if (name.empty() || p->IsPlainIdentifier(name)) return;
    const bool folds = p->case_folding() == CaseFolding::kLower || p->case_folding() == CaseFolding::kUpper;
    ctx.Report(target,
               absl::StrCat(target.kind, " name '", name, "' ", Why(name), ": it must be quoted in every "
                            "statement on ", p->display_name(),
                            folds ? ", and quoting makes it case-sensitive there" : ""),
               "rename it to letters, digits and underscores (e.g. " + [&] {
                 std::string out;
                 for (char c : name) {
                   if ((static_cast<unsigned char>(c) & 0xC0) == 0x80) continue;  // UTF-8 continuation
                   const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                   out.push_back(ok ? c : '_');
                 }
                 if (!out.empty() && out[0] >= '0' && out[0] <= '9') out.insert(0, "_");
                 return out;
               }() + ")");
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

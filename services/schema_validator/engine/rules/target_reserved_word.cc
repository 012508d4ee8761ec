// Rule target-reserved-word: a name is a reserved word on the target platform.
// Stateless; see rule.h for thread-safety.
#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

class TargetReservedWord : public Rule {
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
    for (const auto& c : v.columns) {
      Check(c, {ObjectPath(s.database.name, s.schema.name, v.name, c), "column", &v.span}, ctx);
    }
  }

 private:
  void Check(const std::string& name, const FindingTarget& target, RuleContext& ctx) {
    const TargetProfile* p = ctx.target();
    if (name.empty() || !p->IsReserved(name)) return;
    ctx.Report(target,
               absl::StrCat(target.kind, " name '", name, "' is a reserved word in ", p->display_name()),
               absl::StrCat("rename it, or quote it as ", p->name() == "bigquery" ? "`" : "\"",
                            p->Fold(name), p->name() == "bigquery" ? "`" : "\"",
                            " in every statement on ", p->display_name()));
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

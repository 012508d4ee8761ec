// Rule pk-nullable-column: a PRIMARY KEY column is declared NULL.
// Stateless; see rule.h for thread-safety.
#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

class PkNullableColumn : public Rule {
 public:
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    if (!t.primary_key) return;
    for (const auto& k : t.primary_key->columns) {
      const tsql::Column* c = t.FindColumn(k.name);
      if (c == nullptr || c->nullability != tsql::Nullability::kNull) continue;
      ctx.Report(ColumnTarget(s, t, *c),
                 absl::StrCat("primary key column '", c->name, "' of '", t.name,
                              "' is declared NULL; expected NOT NULL"),
                 absl::StrCat("declare '", c->name, "' NOT NULL"));
    }
  }
};

}  // namespace

RuleFactory PkNullableColumnRule() {
  RuleFactory f;
  f.info.id = "pk-nullable-column";
  f.info.category = RuleCategory::kDesign;
  f.info.summary = "A primary key column is declared NULL";
  f.info.doc =
      "Reports PRIMARY KEY columns explicitly declared NULL. SQL Server rejects the key "
      "(error 8111) when the column is nullable; columns left unspecified are made NOT NULL "
      "by the key and are not reported.";
  f.info.default_severity = Severity::kError;
  f.create = MakeSimpleRule<PkNullableColumn>();
  return f;
}

}  // namespace sqlmill::validator

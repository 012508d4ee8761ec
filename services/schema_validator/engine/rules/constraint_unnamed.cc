// Rule constraint-unnamed: a constraint is left for SQL Server to name.
// Stateless; see rule.h for thread-safety.
#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

class ConstraintUnnamed : public Rule {
 public:
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    auto check = [&](const tsql::Constraint& c) {
      if (!c.name.empty()) return;
      ctx.Report(ConstraintTarget(s, t, c),
                 absl::StrCat(ConstraintKindName(c.kind), " ", ConstraintLabel(c), " on '", t.name,
                              "' has no name: SQL Server generates a different one in every database"),
                 "name it with CONSTRAINT <name> so scripts and schema diffs can refer to it");
    };
    if (t.primary_key) check(*t.primary_key);
    for (const auto& c : t.unique_constraints) check(c);
    for (const auto& c : t.foreign_keys) check(c);
    for (const auto& c : t.check_constraints) check(c);
    for (const auto& col : t.columns) {
      if (col.default_constraint) check(*col.default_constraint);
    }
  }
};

}  // namespace

RuleFactory ConstraintUnnamedRule() {
  RuleFactory f;
  f.info.id = "constraint-unnamed";
  f.info.category = RuleCategory::kDesign;
  f.info.summary = "A constraint has a system-generated name";
  f.info.doc =
      "Reports PRIMARY KEY, UNIQUE, FOREIGN KEY, CHECK and DEFAULT constraints declared "
      "without a name. SQL Server then names them like PK__Orders__C3905BAF, differently in "
      "every database, which breaks scripts that drop or alter them and pollutes schema "
      "diffs. Off by default.";
  f.info.default_severity = Severity::kInfo;
  f.info.enabled_by_default = false;
  f.create = MakeSimpleRule<ConstraintUnnamed>();
  return f;
}

}  // namespace sqlmill::validator

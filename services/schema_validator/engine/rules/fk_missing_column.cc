// Rule fk-missing-column: a FOREIGN KEY references columns the referenced table lacks.
// Stateless; see rule.h for thread-safety.
#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

class FkMissingColumn : public Rule {
 public:
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    for (const tsql::Constraint& fk : t.foreign_keys) {
      const tsql::Table* ref = ctx.index().ResolveTable(fk.referenced_table, s.database.name, s.schema.name);
      if (ref == nullptr) continue;  // fk-missing-table reports it
      for (const std::string& col : fk.referenced_columns) {
        if (ref->FindColumn(col) != nullptr) continue;
        ctx.Report(ConstraintTarget(s, t, fk),
                   absl::StrCat("foreign key ", ConstraintLabel(fk), " references column '", col,
                                "' of '", fk.referenced_table.ToString(),
                                "', which does not exist; expected a column of that table"),
                   "fix the referenced column name");
      }
    }
  }
};

}  // namespace

RuleFactory FkMissingColumnRule() {
  RuleFactory f;
  f.info.id = "fk-missing-column";
  f.info.category = RuleCategory::kIntegrity;
  f.info.summary = "A foreign key references a column that does not exist";
  f.info.doc =
      "Reports FOREIGN KEY constraints naming referenced columns that the referenced table "
      "does not have (error 1770 at deployment). Missing columns on the referencing side are "
      "reported by constraint-missing-column.";
  f.info.default_severity = Severity::kError;
  f.create = MakeSimpleRule<FkMissingColumn>();
  return f;
}

}  // namespace sqlmill::validator

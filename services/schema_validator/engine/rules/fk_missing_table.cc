// Rule fk-missing-table: a FOREIGN KEY references a table the catalog does not define.
// Stateless; see rule.h for thread-safety.
#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

class FkMissingTable : public Rule {
 public:
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    for (const tsql::Constraint& fk : t.foreign_keys) {
      if (fk.referenced_table.empty()) continue;
      if (ctx.index().IsExternal(fk.referenced_table, s.database.name)) continue;
      const IndexedObject* o = ctx.index().Resolve(fk.referenced_table, s.database.name, s.schema.name);
      if (o != nullptr && o->type == ObjectType::kTable) continue;
      ctx.Report(ConstraintTarget(s, t, fk),
                 absl::StrCat("foreign key ", ConstraintLabel(fk), " on '", t.name,
                              "' references table '", fk.referenced_table.ToString(), "', ",
                              o == nullptr ? "which does not exist" : "which is not a table",
                              "; expected an existing table"),
                 "create the referenced table before the foreign key, or fix the table name");
    }
  }
};

}  // namespace

RuleFactory FkMissingTableRule() {
  RuleFactory f;
  f.info.id = "fk-missing-table";
  f.info.category = RuleCategory::kIntegrity;
  f.info.summary = "A foreign key references a table that does not exist";
  f.info.doc =
      "Reports FOREIGN KEY constraints whose referenced table is not in the catalog (after "
      "resolving a missing schema to the referencing table's schema, then dbo). The "
      "deployment fails with error 1767. References to other databases not in the catalog "
      "are not checked.";
  f.info.default_severity = Severity::kError;
  f.create = MakeSimpleRule<FkMissingTable>();
  return f;
}

}  // namespace sqlmill::validator

// Rule constraint-missing-column: a constraint or index names a column its table lacks.
// Stateless; see rule.h for thread-safety.
#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

class ConstraintMissingColumn : public Rule {
 public:
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    auto check_constraint = [&](const tsql::Constraint& c) {
      for (const tsql::KeyColumn& k : c.columns) {
        if (t.FindColumn(k.name) != nullptr) continue;
        ctx.Report(ConstraintTarget(s, t, c),
                   absl::StrCat(ConstraintKindName(c.kind), " ", ConstraintLabel(c), " names column '",
                                k.name, "', which table '", t.name, "' does not have"),
                   "fix the column name, or add the column");
      }
    };
    if (t.primary_key) check_constraint(*t.primary_key);
    for (const auto& c : t.unique_constraints) check_constraint(c);
    for (const auto& c : t.foreign_keys) check_constraint(c);
    for (const tsql::Index& i : t.indexes) {
      auto report = [&](const std::string& col, const char* role) {
        ctx.Report(IndexTarget(s, t, i),
                   absl::StrCat("index ", i.name, " ", role, " column '", col, "', which table '",
                                t.name, "' does not have"),
                   "fix the column name, or add the column");
      };
      for (const tsql::KeyColumn& k : i.columns) {
        if (t.FindColumn(k.name) == nullptr) report(k.name, "has key");
      }
      for (const std::string& col : i.included_columns) {
        if (t.FindColumn(col) == nullptr) report(col, "includes");
      }
    }
    for (const std::string* period : {&t.period_start_column, &t.period_end_column}) {
      if (!period->empty() && t.FindColumn(*period) == nullptr) {
        ctx.Report(TableTarget(s, t),
                   absl::StrCat("PERIOD FOR SYSTEM_TIME names column '", *period, "', which table '",
                                t.name, "' does not have"),
                   "fix the period column name");
      }
    }
  }
};

}  // namespace

RuleFactory ConstraintMissingColumnRule() {
  RuleFactory f;
  f.info.id = "constraint-missing-column";
  f.info.category = RuleCategory::kIntegrity;
  f.info.summary = "A constraint or index names a column that does not exist";
  f.info.doc =
      "Reports PRIMARY KEY, UNIQUE and FOREIGN KEY constraints, index key and INCLUDE "
      "columns, and PERIOD FOR SYSTEM_TIME columns that name a column the table does not "
      "have (errors 1911/1919 at deployment).";
  f.info.default_severity = Severity::kError;
  f.create = MakeSimpleRule<ConstraintMissingColumn>();
  return f;
}

}  // namespace sqlmill::validator

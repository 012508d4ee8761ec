// Rule constraint-missing-column: a constraint or index names a column its table lacks.
// Stateless; see rule.h for thread-safety.
#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

// Returns true when the table has the column, counting the implicit pseudo-columns of SQL
// Graph tables ($node_id on node tables; $edge_id, $from_id, $to_id on edge tables), which
// indexes and constraints may name although no column definition declares them.
bool HasColumn(const tsql::Table& t, const std::string& name) {
  if (t.FindColumn(name) != nullptr) return true;
  if (name.empty() || name[0] != '$') return false;
  if (t.graph_kind == tsql::GraphKind::kNode) return tsql::EqualsIgnoreCase(name, "$node_id");
  if (t.graph_kind == tsql::GraphKind::kEdge) {
    return tsql::EqualsIgnoreCase(name, "$edge_id") || tsql::EqualsIgnoreCase(name, "$from_id") ||
           tsql::EqualsIgnoreCase(name, "$to_id");
  }
  return false;
}

class ConstraintMissingColumn : public Rule {
 public:
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    auto check_constraint = [&](const tsql::Constraint& c) {
      for (const tsql::KeyColumn& k : c.columns) {
        if (HasColumn(t, k.name)) continue;
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
        if (!HasColumn(t, k.name)) report(k.name, "has key");
      }
      for (const std::string& col : i.included_columns) {
        if (!HasColumn(t, col)) report(col, "includes");
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

// Rule fk-column-mismatch: a FOREIGN KEY's columns differ in number or type from the
// referenced key, or the referenced columns are not a primary key or unique key.
// Stateless; see rule.h for thread-safety.
#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

std::set<std::string> LowerSet(const std::vector<std::string>& names) {
  std::set<std::string> out;
  for (const auto& n : names) out.insert(tsql::ToLowerAscii(n));
  return out;
}

std::set<std::string> LowerSet(const std::vector<tsql::KeyColumn>& cols) {
  std::set<std::string> out;
  for (const auto& c : cols) out.insert(tsql::ToLowerAscii(c.name));
  return out;
}

// Returns the key columns the FK points at: the referenced columns, or the PK when omitted.
std::vector<std::string> ReferencedColumns(const tsql::Constraint& fk, const tsql::Table& ref) {
  if (!fk.referenced_columns.empty()) return fk.referenced_columns;
  std::vector<std::string> out;
  if (ref.primary_key) {
    for (const auto& k : ref.primary_key->columns) out.push_back(k.name);
  }
  return out;
}

bool IsKey(const tsql::Table& ref, const std::set<std::string>& cols) {
  if (ref.primary_key && LowerSet(ref.primary_key->columns) == cols) return true;
  for (const auto& u : ref.unique_constraints) {
    if (LowerSet(u.columns) == cols) return true;
  }
  for (const auto& i : ref.indexes) {
    if (i.unique && i.filter.empty() && LowerSet(i.columns) == cols) return true;
  }
  return false;
}

class FkColumnMismatch : public Rule {
 public:
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    for (const tsql::Constraint& fk : t.foreign_keys) {
      const tsql::Table* ref = ctx.index().ResolveTable(fk.referenced_table, s.database.name, s.schema.name);
      if (ref == nullptr) continue;
      const std::vector<std::string> ref_cols = ReferencedColumns(fk, *ref);
      const std::string label = ConstraintLabel(fk);
      if (ref_cols.empty()) {
        ctx.Report(ConstraintTarget(s, t, fk),
                   absl::StrCat("foreign key ", label, " names no referenced columns and '",
                                fk.referenced_table.ToString(), "' has no primary key"),
                   "name the referenced key columns");
        continue;
      }
      if (ref_cols.size() != fk.columns.size()) {
        ctx.Report(ConstraintTarget(s, t, fk),
                   absl::StrCat("foreign key ", label, " has ", fk.columns.size(),
                                " column(s) but the referenced key on '", fk.referenced_table.ToString(),
                                "' has ", ref_cols.size(), "; expected the same number"),
                   "list one referencing column per referenced key column");
        continue;
      }
      bool all_exist = true;
      for (size_t i = 0; i < ref_cols.size(); ++i) {
        const tsql::Column* a = t.FindColumn(fk.columns[i].name);
        const tsql::Column* b = ref->FindColumn(ref_cols[i]);
        if (a == nullptr || b == nullptr) {
          all_exist = false;
          continue;
        }
        if (!a->data_type || !b->data_type) continue;
        const tsql::DataType* ta = ctx.index().BaseType(t, *a);
        const tsql::DataType* tb = ctx.index().BaseType(*ref, *b);
        if (!ta || !tb) continue;
        if (ta->text != tb->text) {
          ctx.Report(ConstraintTarget(s, t, fk),
                     absl::StrCat("foreign key ", label, " column '", a->name, "' is ", ta->text,
                                  " but referenced column '", b->name, "' is ", tb->text,
                                  "; expected the same type"),
                     absl::StrCat("declare '", a->name, "' as ", tb->text));
        }
      }
      if (all_exist && !IsKey(*ref, LowerSet(ref_cols))) {
        ctx.Report(ConstraintTarget(s, t, fk),
                   absl::StrCat("foreign key ", label, " references columns of '",
                                fk.referenced_table.ToString(),
                                "' that are not its primary key or a unique key; expected a key"),
                   "reference the primary key, or add a UNIQUE constraint on the referenced columns");
      }
    }
  }
};

}  // namespace

RuleFactory FkColumnMismatchRule() {
  RuleFactory f;
  f.info.id = "fk-column-mismatch";
  f.info.category = RuleCategory::kIntegrity;
  f.info.summary = "Foreign key columns differ from the referenced key in number or type";
  f.info.doc =
      "Reports FOREIGN KEY constraints whose column count differs from the referenced key, "
      "whose column types differ from the referenced columns' (after resolving alias types), "
      "or whose referenced columns are not a PRIMARY KEY, UNIQUE constraint or unique index "
      "(SQL Server errors 1776/1778 at deployment).";
  f.info.default_severity = Severity::kError;
  f.create = MakeSimpleRule<FkColumnMismatch>();
  return f;
}

}  // namespace sqlmill::validator

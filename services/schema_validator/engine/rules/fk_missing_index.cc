// Rule fk-missing-index: a FOREIGN KEY's columns are not the leading columns of any index.
// Stateless; see rule.h for thread-safety.
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

// True when the first fk_cols.size() key columns are exactly the FK's columns (any order).
bool Supports(const std::vector<tsql::KeyColumn>& key, const std::set<std::string>& fk_cols) {
  if (key.size() < fk_cols.size()) return false;
  std::set<std::string> lead;
  for (size_t i = 0; i < fk_cols.size(); ++i) lead.insert(tsql::ToLowerAscii(key[i].name));
  return lead == fk_cols;
}

class FkMissingIndex : public Rule {
 public:
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    for (const tsql::Constraint& fk : t.foreign_keys) {
      if (fk.columns.empty()) continue;
      std::set<std::string> cols;
      for (const auto& c : fk.columns) cols.insert(tsql::ToLowerAscii(c.name));
      bool supported = t.primary_key && Supports(t.primary_key->columns, cols);
      for (const auto& u : t.unique_constraints) supported = supported || Supports(u.columns, cols);
      for (const auto& i : t.indexes) {
        supported = supported || (i.filter.empty() && Supports(i.columns, cols));
      }
      if (supported) continue;
      std::vector<std::string> names;
      for (const auto& c : fk.columns) names.push_back(c.name);
      ctx.Report(ConstraintTarget(s, t, fk),
                 absl::StrCat("foreign key ", ConstraintLabel(fk), " on '", t.name, "' (",
                              absl::StrJoin(names, ", "),
                              ") has no index with these leading columns"),
                 absl::StrCat("CREATE INDEX IX_", t.name, "_", absl::StrJoin(names, "_"), " ON ",
                              s.schema.name, ".", t.name, " (", absl::StrJoin(names, ", "), ")"));
    }
  }
};

}  // namespace

RuleFactory FkMissingIndexRule() {
  RuleFactory f;
  f.info.id = "fk-missing-index";
  f.info.category = RuleCategory::kDesign;
  f.info.summary = "A foreign key has no supporting index";
  f.info.doc =
      "Reports FOREIGN KEY constraints whose columns are not the leading key columns (in any "
      "order) of an unfiltered index, the PRIMARY KEY or a UNIQUE constraint of the table. "
      "Without one, deletes and key updates on the referenced table scan this table, and "
      "joins along the key cannot seek.";
  f.info.default_severity = Severity::kWarning;
  f.create = MakeSimpleRule<FkMissingIndex>();
  return f;
}

}  // namespace sqlmill::validator

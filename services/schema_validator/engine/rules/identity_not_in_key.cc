// Rule identity-not-in-key: an IDENTITY column is not part of a primary key, unique
// constraint or unique index.
// Stateless; see rule.h for thread-safety.
#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

bool InKey(const std::vector<tsql::KeyColumn>& cols, const std::string& name) {
  for (const auto& k : cols) {
    if (tsql::EqualsIgnoreCase(k.name, name)) return true;
  }
  return false;
}

class IdentityNotInKey : public Rule {
 public:
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    for (const tsql::Column& c : t.columns) {
      if (!c.identity) continue;
      bool keyed = t.primary_key && InKey(t.primary_key->columns, c.name);
      for (const auto& u : t.unique_constraints) keyed = keyed || InKey(u.columns, c.name);
      for (const auto& i : t.indexes) keyed = keyed || (i.unique && InKey(i.columns, c.name));
      if (keyed) continue;
      ctx.Report(ColumnTarget(s, t, c),
                 absl::StrCat("IDENTITY column '", c.name, "' of '", t.name,
                              "' is not in a primary key or unique key, so nothing stops duplicates "
                              "(IDENTITY_INSERT, reseeding)"),
                 absl::StrCat("make '", c.name, "' the primary key, or add a UNIQUE constraint on it"));
    }
  }
};

}  // namespace

RuleFactory IdentityNotInKeyRule() {
  RuleFactory f;
  f.info.id = "identity-not-in-key";
  f.info.category = RuleCategory::kDesign;
  f.info.summary = "An IDENTITY column is not part of a key";
  f.info.doc =
      "Reports IDENTITY columns that are not a column of the PRIMARY KEY, a UNIQUE constraint "
      "or a unique index. IDENTITY does not guarantee uniqueness: SET IDENTITY_INSERT and "
      "DBCC CHECKIDENT reseeds can repeat values.";
  f.info.default_severity = Severity::kWarning;
  f.create = MakeSimpleRule<IdentityNotInKey>();
  return f;
}

}  // namespace sqlmill::validator

// Rule index-redundant: a non-unique index whose key is a left prefix of another index's
// key (same filter), so the wider index serves its queries.
// Stateless; see rule.h for thread-safety.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/schema_validator/engine/rules/index_keys.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

bool IsStrictPrefix(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() || a.size() >= b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

class IndexRedundant : public Rule {
 public:
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    if (t.indexes.empty()) return;
    const std::vector<IndexKey> keys = RowstoreKeys(s, t);
    for (const IndexKey& a : keys) {
      if (a.unique || a.is_constraint) continue;  // a unique index enforces something
      for (const IndexKey& b : keys) {
        if (&a == &b || a.filter != b.filter || !IsStrictPrefix(a.columns, b.columns)) continue;
        ctx.Report(a.target,
                   absl::StrCat(a.label, " on '", t.name, "' (key ", absl::StrJoin(a.columns, ", "),
                                ") is a left prefix of ", b.label, " (key ",
                                absl::StrJoin(b.columns, ", "), ")"),
                   absl::StrCat("drop ", a.label, " unless a query needs its narrower key"));
        break;
      }
    }
  }
};

}  // namespace

RuleFactory IndexRedundantRule() {
  RuleFactory f;
  f.info.id = "index-redundant";
  f.info.category = RuleCategory::kIntegrity;
  f.info.summary = "A non-unique index's key is a prefix of another index's key";
  f.info.doc =
      "Reports a non-unique rowstore index whose key columns are a strict left prefix of "
      "another index or key constraint on the same table with the same filter: the wider "
      "index can serve the same seeks.";
  f.info.default_severity = Severity::kInfo;
  f.create = MakeSimpleRule<IndexRedundant>();
  return f;
}

}  // namespace sqlmill::validator

// Rule index-duplicate: two indexes (or an index and a PK/UNIQUE constraint) on a table
// have the same key columns, order, direction and filter.
// Stateless; see rule.h for thread-safety.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/schema_validator/engine/rules/index_keys.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

class IndexDuplicate : public Rule {
 public:
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    if (t.indexes.empty() && t.unique_constraints.empty()) return;
    const std::vector<IndexKey> keys = RowstoreKeys(s, t);
    for (size_t j = 1; j < keys.size(); ++j) {
      for (size_t i = 0; i < j; ++i) {
        if (keys[i].columns != keys[j].columns || keys[i].filter != keys[j].filter) continue;
        // Report the later one (an index rather than a constraint when they pair).
        const IndexKey& dup = keys[j].is_constraint && !keys[i].is_constraint ? keys[i] : keys[j];
        const IndexKey& orig = &dup == &keys[j] ? keys[i] : keys[j];
        ctx.Report(dup.target,
                   absl::StrCat(dup.label, " on '", t.name, "' duplicates ", orig.label, " (key ",
                                absl::StrJoin(dup.columns, ", "), "); expected each key once"),
                   absl::StrCat("drop ", dup.label));
        break;
      }
    }
  }
};

}  // namespace

RuleFactory IndexDuplicateRule() {
  RuleFactory f;
  f.info.id = "index-duplicate";
  f.info.category = RuleCategory::kIntegrity;
  f.info.summary = "Two indexes on a table have the same key";
  f.info.doc =
      "Reports an index whose key columns (in order, with direction) and filter equal those "
      "of another index, PRIMARY KEY or UNIQUE constraint of the same table. A duplicate "
      "index costs writes and storage and never serves a query the other cannot.";
  f.info.default_severity = Severity::kWarning;
  f.create = MakeSimpleRule<IndexDuplicate>();
  return f;
}

}  // namespace sqlmill::validator

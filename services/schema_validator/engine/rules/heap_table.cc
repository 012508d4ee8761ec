// Rule heap-table: a disk-based table has no clustered index (it is a heap).
// Stateless; see rule.h for thread-safety.
#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

class HeapTable : public Rule {
 public:
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    if (t.memory_optimized || IsExternalTable(t) || HasClusteredIndex(t)) return;
    std::string suggestion = t.primary_key
                                 ? std::string("make the primary key CLUSTERED, or add a clustered index")
                                 : std::string("add a clustered primary key or clustered index");
    ctx.Report(TableTarget(s, t),
               absl::StrCat("table '", t.name, "' is a heap: it has no clustered index",
                            t.primary_key ? " (its primary key is NONCLUSTERED)" : ""),
               std::move(suggestion));
  }
};

}  // namespace

RuleFactory HeapTableRule() {
  RuleFactory f;
  f.info.id = "heap-table";
  f.info.category = RuleCategory::kDesign;
  f.info.summary = "A table has no clustered index";
  f.info.doc =
      "Reports disk-based tables without a clustered index (a clustered PRIMARY KEY, UNIQUE "
      "constraint, clustered index or clustered columnstore, also as a table option). Heaps suffer forwarded records "
      "and do not reclaim space on delete; staging tables loaded in bulk may be exempted with "
      "an ignore entry. Memory-optimized and external tables are exempt, and Azure Synapse "
      "tables (WITH (DISTRIBUTION = ...), CTAS included) count as clustered columnstores "
      "unless declared HEAP.";
  f.info.default_severity = Severity::kWarning;
  f.create = MakeSimpleRule<HeapTable>();
  return f;
}

}  // namespace sqlmill::validator

// Rule pk-required: a table has no PRIMARY KEY.
// Holds a per-run set of history tables (built on first use); see rule.h for thread-safety.
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

class PkRequired : public Rule {
 public:
  explicit PkRequired(bool accept_unique) : accept_unique_(accept_unique) {}

  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    // External tables hold no data in the database and cannot have constraints.
    if (t.primary_key || IsExternalTable(t)) return;
    if (!history_built_) BuildHistorySet(ctx);
    // A system-versioned table's history table cannot have a primary key.
    if (history_.contains(ObjectPath(tsql::ToLowerAscii(s.database.name),
                                     tsql::ToLowerAscii(s.schema.name), tsql::ToLowerAscii(t.name)))) {
      return;
    }
    if (accept_unique_) {
      for (const auto& u : t.unique_constraints) {
        bool all_not_null = true;
        for (const auto& k : u.columns) {
          const tsql::Column* c = t.FindColumn(k.name);
          if (c == nullptr || IsNullable(*c)) all_not_null = false;
        }
        if (all_not_null) return;
      }
    }
    ctx.Report(TableTarget(s, t),
               absl::StrCat("table '", t.name, "' has no primary key"),
               "add a PRIMARY KEY on the column(s) that identify a row (or a surrogate IDENTITY key)");
  }

 private:
  void BuildHistorySet(RuleContext& ctx) {
    history_built_ = true;
    for (const auto& db : ctx.catalog().databases) {
      for (const auto& sc : db.schemas) {
        for (const auto& t : sc.tables) {
          if (t.history_table.empty()) continue;
          const std::string& hdb = t.history_table.database.empty() ? db.name : t.history_table.database;
          const std::string& hs = t.history_table.schema.empty() ? sc.name : t.history_table.schema;
          history_.insert(ObjectPath(tsql::ToLowerAscii(hdb), tsql::ToLowerAscii(hs),
                                     tsql::ToLowerAscii(t.history_table.name)));
        }
      }
    }
  }

  bool accept_unique_;
  bool history_built_ = false;
  absl::flat_hash_set<std::string> history_;
};

}  // namespace

RuleFactory PkRequiredRule() {
  RuleFactory f;
  f.info.id = "pk-required";
  f.info.category = RuleCategory::kDesign;
  f.info.summary = "A table has no primary key";
  f.info.doc =
      "Reports tables without a PRIMARY KEY. Without one, rows cannot be identified for "
      "updates, replication, CDC or incremental loads, and most warehouse loaders (MERGE) "
      "need a key. History tables of system-versioned tables and external tables (which "
      "cannot have constraints) are exempt.";
  f.info.default_severity = Severity::kWarning;
  f.info.parameters = {{"accept_unique",
                        "true to accept a UNIQUE constraint on NOT NULL columns instead", "false"}};
  f.create = [](const RuleParams& p) -> absl::StatusOr<std::unique_ptr<Rule>> {
    const std::string& v = p.Get("accept_unique");
    if (v != "true" && v != "false") {
      return absl::InvalidArgumentError(absl::StrCat(
          "rule 'pk-required' parameter 'accept_unique': expected true or false but found '", v, "'"));
    }
    return std::unique_ptr<Rule>(std::make_unique<PkRequired>(v == "true"));
  };
  return f;
}

}  // namespace sqlmill::validator

// Rule target-case-collision: two names that differ in SQL Server become the same name on
// the target once it folds case and truncates long names.
// Stateless; see rule.h for thread-safety.
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

class Namespace {
 public:
  Namespace(const TargetProfile& p, IdentifierKind kind, std::string scope)
      : p_(p), kind_(kind), scope_(std::move(scope)) {}

  void Add(const std::string& name, const FindingTarget& target, RuleContext& ctx) {
    if (name.empty()) return;
    auto [it, inserted] = seen_.try_emplace(p_.CollisionKey(name, kind_), name);
    if (inserted || it->second == name) return;  // the very same name: duplicate-object-name
    ctx.Report(target,
               absl::StrCat(target.kind, " '", name, "' and '", it->second, "' in ", scope_,
                            " are the same name on ", p_.display_name(), " ('", it->first,
                            "' after case folding and truncation)"),
               "rename one of them so they differ after case folding and truncation");
  }

 private:
  const TargetProfile& p_;
  IdentifierKind kind_;
  std::string scope_;
  absl::flat_hash_map<std::string, std::string> seen_;
};

class TargetCaseCollision : public Rule {
 public:
  void CheckSchema(const SchemaScope& s, RuleContext& ctx) override {
    const TargetProfile& p = *ctx.target();
    const std::string scope = absl::StrCat("schema '", s.schema.name, "'");
    Namespace relations(p, IdentifierKind::kTable, scope);
    for (const auto& t : s.schema.tables) relations.Add(t.name, TableTarget(s, t), ctx);
    for (const auto& v : s.schema.views) {
      relations.Add(v.name, {ObjectPath(s.database.name, s.schema.name, v.name), "view", &v.span}, ctx);
    }
    // Index names share the schema's namespace on targets that have indexes (PostgreSQL).
    if (p.Feature("index") == nullptr) {
      Namespace indexes(p, IdentifierKind::kOther, scope);
      for (const auto& t : s.schema.tables) {
        for (const auto& i : t.indexes) indexes.Add(i.name, IndexTarget(s, t, i), ctx);
      }
    }
  }
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    Namespace columns(*ctx.target(), IdentifierKind::kColumn, absl::StrCat("table '", t.name, "'"));
    for (const auto& c : t.columns) columns.Add(c.name, ColumnTarget(s, t, c), ctx);
  }
};

}  // namespace

RuleFactory TargetCaseCollisionRule() {
  RuleFactory f;
  f.info.id = "target-case-collision";
  f.info.category = RuleCategory::kNaming;
  f.info.summary = "Two names collide on the target after case folding or truncation";
  f.info.doc =
      "Reports tables and views of a schema, columns of a table, and (on targets with "
      "indexes) index names of a schema whose names differ in SQL Server (e.g. under a "
      "case-sensitive collation, or beyond the 63rd byte) but become the same name on the "
      "target once unquoted names are folded (PostgreSQL/Redshift to lower case, Snowflake to "
      "upper case, BigQuery compares columns case-insensitively) and over-long names are "
      "truncated (PostgreSQL).";
  f.info.default_severity = Severity::kError;
  f.info.needs_target = true;
  f.create = MakeSimpleRule<TargetCaseCollision>();
  return f;
}

}  // namespace sqlmill::validator

// Rule duplicate-object-name: two objects share a name where SQL Server requires unique
// names: schema-scoped objects (tables, views, routines, sequences, synonyms, triggers and
// named constraints share one namespace per schema), columns of a table, indexes of a table.
// Stateless; see rule.h for thread-safety.
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

class DuplicateObjectName : public Rule {
 public:
  void CheckSchema(const SchemaScope& s, RuleContext& ctx) override {
    absl::flat_hash_map<std::string, std::string> seen;  // lower name → kind of first
    auto add = [&](const std::string& name, const std::string& kind, const FindingTarget& target) {
      if (name.empty()) return;
      auto [it, inserted] = seen.try_emplace(tsql::ToLowerAscii(name), std::string(kind));
      if (inserted) return;
      ctx.Report(target,
                 absl::StrCat(kind, " '", name, "' has the same name as a ", it->second,
                              " in schema '", s.schema.name, "'; expected unique names per schema"),
                 "rename one of them");
    };
    const std::string& db = s.database.name;
    const std::string& sc = s.schema.name;
    for (const auto& t : s.schema.tables) add(t.name, "table", TableTarget(s, t));
    for (const auto& v : s.schema.views) add(v.name, "view", {ObjectPath(db, sc, v.name), "view", &v.span});
    for (const auto& r : s.schema.routines) {
      const char* kind = RoutineKindName(r);
      add(r.name, kind, {ObjectPath(db, sc, r.name), kind, &r.span});
    }
    for (const auto& q : s.schema.sequences) add(q.name, "sequence", {ObjectPath(db, sc, q.name), "sequence", &q.span});
    for (const auto& y : s.schema.synonyms) add(y.name, "synonym", {ObjectPath(db, sc, y.name), "synonym", &y.span});
    for (const auto& g : s.schema.triggers) add(g.name, "trigger", {ObjectPath(db, sc, g.name), "trigger", &g.span});
    for (const auto& t : s.schema.tables) {
      auto constraint = [&](const tsql::Constraint& c) {
        add(c.name, ConstraintKindName(c.kind), ConstraintTarget(s, t, c));
      };
      if (t.primary_key) constraint(*t.primary_key);
      for (const auto& c : t.unique_constraints) constraint(c);
      for (const auto& c : t.foreign_keys) constraint(c);
      for (const auto& c : t.check_constraints) constraint(c);
      for (const auto& c : t.columns) {
        if (c.default_constraint) constraint(*c.default_constraint);
      }
    }
  }

  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    absl::flat_hash_map<std::string, int> columns;
    for (const auto& c : t.columns) {
      if (!columns.try_emplace(tsql::ToLowerAscii(c.name), 1).second) {
        ctx.Report(ColumnTarget(s, t, c),
                   absl::StrCat("column '", c.name, "' appears more than once in table '", t.name, "'"),
                   "rename or remove the repeated column");
      }
    }
    absl::flat_hash_map<std::string, int> indexes;
    for (const auto& i : t.indexes) {
      if (!i.name.empty() && !indexes.try_emplace(tsql::ToLowerAscii(i.name), 1).second) {
        ctx.Report(IndexTarget(s, t, i),
                   absl::StrCat("index '", i.name, "' appears more than once on table '", t.name, "'"),
                   "rename one of the indexes");
      }
    }
  }
};

}  // namespace

RuleFactory DuplicateObjectNameRule() {
  RuleFactory f;
  f.info.id = "duplicate-object-name";
  f.info.category = RuleCategory::kIntegrity;
  f.info.summary = "Two objects share a name that must be unique";
  f.info.doc =
      "Reports objects whose names collide (case-insensitively) within a schema — tables, "
      "views, procedures, functions, sequences, synonyms, triggers and named constraints "
      "share one namespace (error 2714) — and repeated column or index names within a table.";
  f.info.default_severity = Severity::kError;
  f.create = MakeSimpleRule<DuplicateObjectName>();
  return f;
}

}  // namespace sqlmill::validator

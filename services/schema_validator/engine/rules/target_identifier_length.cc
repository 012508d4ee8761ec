// Rule target-identifier-length: a name is longer than the target allows.
// Stateless; see rule.h for thread-safety.
#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

class TargetIdentifierLength : public Rule {
 public:
  void CheckSchema(const SchemaScope& s, RuleContext& ctx) override {
    Check(s.schema.name, IdentifierKind::kOther,
          {ObjectPath(s.database.name, "", s.schema.name), "schema", s.schema.span ? &*s.schema.span : nullptr},
          ctx);
  }
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    Check(t.name, IdentifierKind::kTable, TableTarget(s, t), ctx);
    for (const auto& c : t.columns) Check(c.name, IdentifierKind::kColumn, ColumnTarget(s, t, c), ctx);
    auto constraint = [&](const tsql::Constraint& c) {
      if (!c.name.empty()) Check(c.name, IdentifierKind::kOther, ConstraintTarget(s, t, c), ctx);
    };
    if (t.primary_key) constraint(*t.primary_key);
    for (const auto& c : t.unique_constraints) constraint(c);
    for (const auto& c : t.foreign_keys) constraint(c);
    for (const auto& c : t.check_constraints) constraint(c);
    for (const auto& i : t.indexes) {
      if (!i.name.empty()) Check(i.name, IdentifierKind::kOther, IndexTarget(s, t, i), ctx);
    }
  }
  void CheckView(const SchemaScope& s, const tsql::View& v, RuleContext& ctx) override {
    Check(v.name, IdentifierKind::kTable, {ObjectPath(s.database.name, s.schema.name, v.name), "view", &v.span}, ctx);
  }
  void CheckRoutine(const SchemaScope& s, const tsql::Routine& r, RuleContext& ctx) override {
    const char* kind = RoutineKindName(r);
    Check(r.name, IdentifierKind::kOther, {ObjectPath(s.database.name, s.schema.name, r.name), kind, &r.span}, ctx);
  }

 private:
  void Check(const std::string& name, IdentifierKind kind, const FindingTarget& target, RuleContext& ctx) {
    const TargetProfile* p = ctx.target();
    const int64_t len = p->IdentifierLength(name);
    const int64_t max = p->MaxIdentifierLength(kind);
    if (len <= max) return;
    const char* unit = p->length_in_bytes() ? "bytes" : "characters";
    ctx.Report(target,
               absl::StrCat(target.kind, " name '", name, "' is ", len, " ", unit, "; ",
                            p->display_name(), " allows at most ", max, " ", unit,
                            p->truncates_silently() ? " and truncates longer names silently"
                                                    : " and rejects longer names"),
               absl::StrCat("shorten the name to at most ", max, " ", unit));
  }
};

}  // namespace

RuleFactory TargetIdentifierLengthRule() {
  RuleFactory f;
  f.info.id = "target-identifier-length";
  f.info.category = RuleCategory::kNaming;
  f.info.summary = "A name is longer than the target allows";
  f.info.doc =
      "Reports schema, table, column, view, routine, constraint and index names longer than "
      "the target's identifier limit (PostgreSQL 63 bytes, truncated silently; Redshift 127 "
      "bytes; Snowflake 255 characters; BigQuery 300 characters for columns, 1,024 for "
      "tables). SQL Server allows 128 characters.";
  f.info.default_severity = Severity::kWarning;
  f.info.needs_target = true;
  f.create = MakeSimpleRule<TargetIdentifierLength>();
  return f;
}

}  // namespace sqlmill::validator

// NameRule's walk over the names of each catalog object.
#include "services/schema_validator/engine/rules/name_rule.h"

namespace sqlmill::validator {

void NameRule::CheckSchema(const SchemaScope& s, RuleContext& ctx) {
  Name(s.schema.name, NameKind::kSchema, [&]() -> FindingTarget {
    return {ObjectPath(s.database.name, "", s.schema.name), "schema", s.schema.span ? &*s.schema.span : nullptr};
  }, ctx);
}

void NameRule::CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) {
  Name(t.name, NameKind::kTable, [&] { return TableTarget(s, t); }, ctx);
  for (const auto& c : t.columns) Name(c.name, NameKind::kColumn, [&] { return ColumnTarget(s, t, c); }, ctx);
  auto constraint = [&](NameKind kind, const tsql::Constraint& c) {
    Name(c.name, kind, [&] { return ConstraintTarget(s, t, c); }, ctx);
  };
  if (t.primary_key) constraint(NameKind::kPrimaryKey, *t.primary_key);
  for (const auto& c : t.foreign_keys) constraint(NameKind::kForeignKey, c);
  for (const auto& c : t.unique_constraints) constraint(NameKind::kUnique, c);
  for (const auto& c : t.check_constraints) constraint(NameKind::kCheck, c);
  for (const auto& col : t.columns) {
    if (col.default_constraint) constraint(NameKind::kDefault, *col.default_constraint);
  }
  for (const auto& i : t.indexes) Name(i.name, NameKind::kIndex, [&] { return IndexTarget(s, t, i); }, ctx);
}

void NameRule::CheckView(const SchemaScope& s, const tsql::View& v, RuleContext& ctx) {
  Name(v.name, NameKind::kView, [&]() -> FindingTarget {
    return {ObjectPath(s.database.name, s.schema.name, v.name), "view", &v.span};
  }, ctx);
  for (const auto& c : v.columns) {
    Name(c, NameKind::kViewColumn, [&]() -> FindingTarget {
      return {ObjectPath(s.database.name, s.schema.name, v.name, c), "column", &v.span};
    }, ctx);
  }
}

void NameRule::CheckRoutine(const SchemaScope& s, const tsql::Routine& r, RuleContext& ctx) {
  Name(r.name, NameKind::kRoutine, [&]() -> FindingTarget {
    return {ObjectPath(s.database.name, s.schema.name, r.name), RoutineKindName(r), &r.span};
  }, ctx, &r);
}

void NameRule::CheckTrigger(const SchemaScope& s, const tsql::Trigger& t, RuleContext& ctx) {
  Name(t.name, NameKind::kTrigger, [&]() -> FindingTarget {
    return {ObjectPath(s.database.name, s.schema.name, t.name), "trigger", &t.span};
  }, ctx);
}

void NameRule::CheckSequence(const SchemaScope& s, const tsql::Sequence& q, RuleContext& ctx) {
  Name(q.name, NameKind::kSequence, [&]() -> FindingTarget {
    return {ObjectPath(s.database.name, s.schema.name, q.name), "sequence", &q.span};
  }, ctx);
}

}  // namespace sqlmill::validator

// Catalog diff and Atlas-style change classification. Both catalogs are indexed once;
// matching is by lower-cased names, so the diff is linear in the number of objects.
#include "services/schema_validator/engine/diff.h"

#include <algorithm>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/status_macros.h"
#include "services/schema_validator/engine/catalog_index.h"
#include "services/schema_validator/engine/sql_type.h"
#include "services/schema_validator/engine/validator.h"

namespace sqlmill::validator {
namespace {

std::string Lower(std::string_view s) { return tsql::ToLowerAscii(s); }

// ---- Type change classification -------------------------------------------------------

struct ExactShape {
  int64_t integer_digits;
  int64_t scale;
};

std::optional<ExactShape> Exact(const tsql::DataType& t) {
  if (int d = IntegerDigits(t.name); d > 0) return ExactShape{d, 0};
  if (t.name == "bit") return ExactShape{1, 0};
  if (t.name == "decimal" || t.name == "numeric") return ExactShape{t.precision - t.scale, t.scale};
  if (t.name == "money") return ExactShape{15, 4};
  if (t.name == "smallmoney") return ExactShape{6, 4};
  return std::nullopt;
}

struct TemporalShape {
  bool date = false;
  bool time = false;
  bool offset = false;
  int scale = 0;
};

std::optional<TemporalShape> Temporal(const tsql::DataType& t) {
  if (t.name == "date") return TemporalShape{true, false, false, 0};
  if (t.name == "time") return TemporalShape{false, true, false, t.scale};
  if (t.name == "smalldatetime") return TemporalShape{true, true, false, 0};
  if (t.name == "datetime") return TemporalShape{true, true, false, 3};
  if (t.name == "datetime2") return TemporalShape{true, true, false, t.scale};
  if (t.name == "datetimeoffset") return TemporalShape{true, true, true, t.scale};
  return std::nullopt;
}

// Character/binary capacity; max counts as unbounded.
int64_t Capacity(const tsql::DataType& t) {
  if (t.is_max || t.name == "text" || t.name == "ntext" || t.name == "image") return INT64_MAX;
  return t.length;
}

}  // namespace

ChangeClass ClassifyTypeChange(const tsql::DataType& old_in, const tsql::DataType& new_in, std::string* why) {
  const tsql::DataType a = NormalizeType(old_in);
  const tsql::DataType b = NormalizeType(new_in);
  auto say = [&](std::string s) {
    if (why != nullptr) *why = std::move(s);
  };
  if (a.text == b.text) {
    say("same type");
    return ChangeClass::kSafe;
  }
  if (a.is_user_defined || b.is_user_defined) {
    say("a user-defined type changed");
    return ChangeClass::kDataDependent;
  }
  const TypeFamily fa = FamilyOf(a.name);
  const TypeFamily fb = FamilyOf(b.name);
  auto exact_a = Exact(a);
  auto exact_b = Exact(b);
  if (exact_a && exact_b) {
    if (exact_b->integer_digits >= exact_a->integer_digits && exact_b->scale >= exact_a->scale) {
      say("widening");
      return ChangeClass::kSafe;
    }
    say(exact_b->scale < exact_a->scale ? "fewer decimal places: precision loss"
                                        : "fewer integer digits: narrowing");
    return ChangeClass::kBackwardIncompatible;
  }
  if (exact_a && fb == TypeFamily::kApproxNumeric) {
    say("exact to approximate numeric: precision loss");
    return ChangeClass::kBackwardIncompatible;
  }
  if (fa == TypeFamily::kApproxNumeric && fb == TypeFamily::kApproxNumeric) {
    const int pa = a.name == "real" ? 24 : a.precision;
    const int pb = b.name == "real" ? 24 : b.precision;
    if (pb >= pa || (pa > 24) == (pb > 24)) {
      say("widening");
      return ChangeClass::kSafe;
    }
    say("double to single precision: precision loss");
    return ChangeClass::kBackwardIncompatible;
  }
  const bool str_a = fa == TypeFamily::kString || fa == TypeFamily::kUnicodeString;
  const bool str_b = fb == TypeFamily::kString || fb == TypeFamily::kUnicodeString;
  if (str_a && str_b) {
    if (fa == TypeFamily::kUnicodeString && fb == TypeFamily::kString) {
      say("Unicode to non-Unicode: characters outside the code page are lost");
      return ChangeClass::kBackwardIncompatible;
    }
    if (Capacity(b) < Capacity(a)) {
      say("shorter: narrowing");
      return ChangeClass::kBackwardIncompatible;
    }
    say("widening");
    return ChangeClass::kSafe;
  }
  if (fa == TypeFamily::kBinary && fb == TypeFamily::kBinary) {
    if (Capacity(b) < Capacity(a)) {
      say("shorter: narrowing");
      return ChangeClass::kBackwardIncompatible;
    }
    say("widening");
    return ChangeClass::kSafe;
  }
  auto ta = Temporal(a);
  auto tb = Temporal(b);
  if (ta && tb) {
    if (ta->offset && !tb->offset) {
      say("drops the time-zone offset");
      return ChangeClass::kBackwardIncompatible;
    }
    if (ta->date && !tb->date) {
      say("drops the date part");
      return ChangeClass::kBackwardIncompatible;
    }
    if (ta->time && !tb->time) {
      say("drops the time part");
      return ChangeClass::kBackwardIncompatible;
    }
    if (ta->time && tb->scale < ta->scale) {
      say("fewer fractional-second digits: precision loss");
      return ChangeClass::kBackwardIncompatible;
    }
    if (a.name == "datetime2" && b.name == "datetime") {
      say("datetime has a smaller range (from 1753) and 1/300 s accuracy: narrowing");
      return ChangeClass::kBackwardIncompatible;
    }
    say("widening");
    return ChangeClass::kSafe;
  }
  say("different type family: conversion may fail for some values");
  return ChangeClass::kDataDependent;
}

namespace {

struct Differ {
  const CatalogIndex& old_index;
  const CatalogIndex& new_index;
  std::vector<SchemaChange> changes;

  void Add(ChangeKind kind, ChangeClass cls, std::string object_kind, std::string path, std::string detail,
           const tsql::CatalogSpan* old_span, const tsql::CatalogSpan* new_span) {
    SchemaChange c;
    c.kind = kind;
    c.classification = cls;
    c.object_kind = std::move(object_kind);
    c.object_path = std::move(path);
    c.detail = std::move(detail);
    if (old_span != nullptr) c.old_span = old_index.Locate(*old_span);
    if (new_span != nullptr) c.new_span = new_index.Locate(*new_span);
    changes.push_back(std::move(c));
  }

  static std::string ColumnSignature(const tsql::Table& t) {
    std::string sig;
    for (const auto& c : t.columns) {
      absl::StrAppend(&sig, Lower(c.name), ":", c.data_type ? NormalizeType(*c.data_type).text : "?", ";");
    }
    return sig;
  }

  static std::string TypeText(const tsql::Column& c) {
    if (!c.data_type) return c.computed ? "computed" : "?";
    return NormalizeType(*c.data_type).text;
  }

  void Tables(const std::string& db, const tsql::Schema* old_schema, const tsql::Schema* new_schema) {
    const std::string& schema_name = new_schema != nullptr ? new_schema->name : old_schema->name;
    absl::flat_hash_map<std::string, const tsql::Table*> old_tables, new_tables;
    if (old_schema != nullptr) for (const auto& t : old_schema->tables) old_tables.try_emplace(Lower(t.name), &t);
    if (new_schema != nullptr) for (const auto& t : new_schema->tables) new_tables.try_emplace(Lower(t.name), &t);

    std::vector<const tsql::Table*> dropped, added;
    if (old_schema != nullptr) {
      for (const auto& t : old_schema->tables) {
        auto it = new_tables.find(Lower(t.name));
        if (it == new_tables.end()) dropped.push_back(&t);
        else Table(db, schema_name, t, *it->second);
      }
    }
    if (new_schema != nullptr) {
      for (const auto& t : new_schema->tables) {
        if (!old_tables.contains(Lower(t.name))) added.push_back(&t);
      }
    }
    // Renames: a dropped and an added table with the same columns.
    std::vector<bool> added_used(added.size(), false);
    for (const tsql::Table* d : dropped) {
      const std::string sig = ColumnSignature(*d);
      bool renamed = false;
      for (size_t i = 0; i < added.size() && !d->columns.empty(); ++i) {
        if (added_used[i] || ColumnSignature(*added[i]) != sig) continue;
        added_used[i] = true;
        renamed = true;
        Add(ChangeKind::kRenamed, ChangeClass::kBackwardIncompatible, "table", ObjectPath(db, schema_name, added[i]->name),
            absl::StrCat("renamed from ", d->name, " → ", added[i]->name), &d->span, &added[i]->span);
        break;
      }
      if (!renamed) {
        Add(ChangeKind::kDropped, ChangeClass::kDestructive, "table", ObjectPath(db, schema_name, d->name),
            absl::StrCat("drop table ", d->name, " (", d->columns.size(), " columns)"), &d->span, nullptr);
      }
    }
    for (size_t i = 0; i < added.size(); ++i) {
      if (added_used[i]) continue;
      Add(ChangeKind::kAdded, ChangeClass::kSafe, "table", ObjectPath(db, schema_name, added[i]->name),
          "new table", nullptr, &added[i]->span);
    }
  }

  void Table(const std::string& db, const std::string& schema, const tsql::Table& a, const tsql::Table& b) {
    const std::string table_path = ObjectPath(db, schema, b.name);
    // Columns.
    std::vector<const tsql::Column*> dropped, added;
    for (const auto& c : a.columns) {
      const tsql::Column* nc = b.FindColumn(c.name);
      if (nc == nullptr) dropped.push_back(&c);
      else Column(table_path, b, c, *nc);
    }
    for (const auto& c : b.columns) {
      if (a.FindColumn(c.name) == nullptr) added.push_back(&c);
    }
    std::vector<bool> added_used(added.size(), false);
    for (const tsql::Column* d : dropped) {
      bool renamed = false;
      for (size_t i = 0; i < added.size(); ++i) {
        if (added_used[i] || TypeText(*added[i]) != TypeText(*d) || added[i]->ordinal != d->ordinal ||
            d->ordinal == 0) {
          continue;
        }
        added_used[i] = true;
        renamed = true;
        Add(ChangeKind::kRenamed, ChangeClass::kBackwardIncompatible, "column",
            ObjectPath(db, schema, b.name, added[i]->name),
            absl::StrCat("renamed from ", d->name, " → ", added[i]->name), &d->span, &added[i]->span);
        break;
      }
      if (!renamed) {
        Add(ChangeKind::kDropped, ChangeClass::kDestructive, "column", ObjectPath(db, schema, b.name, d->name),
            absl::StrCat("drop column ", d->name, " ", TypeText(*d)), &d->span, nullptr);
      }
    }
    for (size_t i = 0; i < added.size(); ++i) {
      if (added_used[i]) continue;
      const tsql::Column& c = *added[i];
      const bool needs_value = !IsNullable(c) && !c.default_constraint && !c.identity && !c.computed &&
                               !(c.data_type && (c.data_type->name == "rowversion" || c.data_type->name == "timestamp"));
      Add(ChangeKind::kAdded, needs_value ? ChangeClass::kDataDependent : ChangeClass::kSafe, "column",
          ObjectPath(db, schema, b.name, c.name),
          needs_value ? absl::StrCat("add column ", c.name, " ", TypeText(c),
                                     " NOT NULL without a default: fails when the table has rows")
                      : absl::StrCat("add column ", c.name, " ", TypeText(c)),
          nullptr, &c.span);
    }
    Constraints(table_path, a, b);
    Indexes(table_path, a, b);
  }

  void Column(const std::string& table_path, const tsql::Table& table, const tsql::Column& a, const tsql::Column& b) {
    const std::string path = absl::StrCat(table_path, ".", b.name);
    if (a.data_type && b.data_type) {
      const std::string ta = NormalizeType(*a.data_type).text;
      const std::string tb = NormalizeType(*b.data_type).text;
      if (ta != tb) {
        std::string why;
        const ChangeClass cls = ClassifyTypeChange(*a.data_type, *b.data_type, &why);
        Add(ChangeKind::kModified, cls, "column", path, absl::StrCat(ta, " → ", tb, " (", why, ")"), &a.span, &b.span);
      }
    }
    if (IsNullable(a) && !IsNullable(b)) {
      Add(ChangeKind::kModified, ChangeClass::kDataDependent, "column", path,
          b.default_constraint ? "NULL → NOT NULL: fails if existing rows hold NULL (the new default does not fill them)"
                               : "NULL → NOT NULL without a default: fails if existing rows hold NULL",
          &a.span, &b.span);
    } else if (!IsNullable(a) && IsNullable(b)) {
      Add(ChangeKind::kModified, ChangeClass::kSafe, "column", path, "NOT NULL → NULL", &a.span, &b.span);
    }
    if (a.identity.has_value() != b.identity.has_value()) {
      Add(ChangeKind::kModified, ChangeClass::kBackwardIncompatible, "column", path,
          b.identity ? "becomes IDENTITY: writers that supply values break" : "no longer IDENTITY: writers must supply values",
          &a.span, &b.span);
    }
    if (Lower(a.collation) != Lower(b.collation)) {
      Add(ChangeKind::kModified, ChangeClass::kDataDependent, "column", path,
          absl::StrCat("collation ", a.collation.empty() ? "(default)" : a.collation, " → ",
                       b.collation.empty() ? "(default)" : b.collation,
                       ": comparisons and uniqueness may change"),
          &a.span, &b.span);
    }
    const std::string da = a.default_constraint ? a.default_constraint->expression : "";
    const std::string db = b.default_constraint ? b.default_constraint->expression : "";
    if (da != db) {
      Add(da.empty() ? ChangeKind::kAdded : db.empty() ? ChangeKind::kDropped : ChangeKind::kModified,
          ChangeClass::kConstraint, "default", path,
          absl::StrCat("default ", da.empty() ? "(none)" : da, " → ", db.empty() ? "(none)" : db), &a.span, &b.span);
    }
    if (a.computed.has_value() != b.computed.has_value() ||
        (a.computed && b.computed && a.computed->expression != b.computed->expression)) {
      Add(ChangeKind::kModified, ChangeClass::kBackwardIncompatible, "column", path,
          "computed-column definition changed", &a.span, &b.span);
    }
    (void)table;
  }

  static std::string Columns(const tsql::Constraint& c) {
    if (c.kind == tsql::ConstraintKind::kCheck) return c.expression;
    std::vector<std::string> v;
    for (const auto& k : c.columns) v.push_back(Lower(k.name));
    return absl::StrJoin(v, ",");
  }
  // Matching key for constraints: the name when given, else kind and columns.
  static std::string Key(const tsql::Constraint& c) {
    if (!c.name.empty()) return absl::StrCat("n:", Lower(c.name));
    return absl::StrCat("k:", static_cast<int>(c.kind), ":", Columns(c), ":", Lower(c.expression));
  }
  static std::string Shape(const tsql::Constraint& c) {
    return absl::StrCat(Columns(c), "|", Lower(c.referenced_table.ToString()), "|",
                        Lower(absl::StrJoin(c.referenced_columns, ",")), "|", c.expression, "|",
                        static_cast<int>(c.on_delete), static_cast<int>(c.on_update));
  }

  void Constraints(const std::string& table_path, const tsql::Table& a, const tsql::Table& b) {
    auto collect = [](const tsql::Table& t) {
      std::vector<const tsql::Constraint*> v;
      if (t.primary_key) v.push_back(&*t.primary_key);
      for (const auto& c : t.unique_constraints) v.push_back(&c);
      for (const auto& c : t.foreign_keys) v.push_back(&c);
      for (const auto& c : t.check_constraints) v.push_back(&c);
      return v;
    };
    const auto old_list = collect(a);
    const auto new_list = collect(b);
    absl::flat_hash_map<std::string, const tsql::Constraint*> old_by_key, new_by_key;
    for (const auto* c : old_list) old_by_key.try_emplace(Key(*c), c);
    for (const auto* c : new_list) new_by_key.try_emplace(Key(*c), c);
    // A primary key matches across a rename of the constraint.
    const tsql::Constraint* old_pk = a.primary_key ? &*a.primary_key : nullptr;
    const tsql::Constraint* new_pk = b.primary_key ? &*b.primary_key : nullptr;
    for (const auto* c : old_list) {
      const tsql::Constraint* n = nullptr;
      if (auto it = new_by_key.find(Key(*c)); it != new_by_key.end()) n = it->second;
      if (n == nullptr && c == old_pk) n = new_pk;
      const std::string path = absl::StrCat(table_path, ".", ConstraintLabel(n != nullptr ? *n : *c));
      const std::string kind(ConstraintKindName(c->kind));
      if (n == nullptr) {
        Add(ChangeKind::kDropped, ChangeClass::kConstraint, kind, path,
            absl::StrCat("drop ", kind, " ", ConstraintLabel(*c)), &c->span, nullptr);
      } else if (Shape(*c) != Shape(*n)) {
        const bool tightens = c->kind != tsql::ConstraintKind::kForeignKey || !n->not_trusted;
        Add(ChangeKind::kModified, tightens ? ChangeClass::kDataDependent : ChangeClass::kConstraint, kind, path,
            absl::StrCat(kind, " ", ConstraintLabel(*n), " changed (", Columns(*c), " → ", Columns(*n),
                         "): existing rows must satisfy the new definition"),
            &c->span, &n->span);
      }
    }
    for (const auto* n : new_list) {
      if (old_by_key.contains(Key(*n)) || (n == new_pk && old_pk != nullptr)) continue;
      const std::string kind(ConstraintKindName(n->kind));
      const bool checked = !n->not_trusted && !n->disabled;
      Add(ChangeKind::kAdded, checked ? ChangeClass::kDataDependent : ChangeClass::kConstraint, kind,
          absl::StrCat(table_path, ".", ConstraintLabel(*n)),
          checked ? absl::StrCat("add ", kind, " ", ConstraintLabel(*n), " (", Columns(*n),
                                 "): fails if existing rows violate it")
                  : absl::StrCat("add ", kind, " ", ConstraintLabel(*n), " WITH NOCHECK (existing rows not checked)"),
          nullptr, &n->span);
    }
  }

  static std::string IndexShape(const tsql::Index& i) {
    std::vector<std::string> cols;
    for (const auto& k : i.columns) cols.push_back(Lower(k.name) + (k.descending ? " desc" : ""));
    std::vector<std::string> inc;
    for (const auto& k : i.included_columns) inc.push_back(Lower(k));
    return absl::StrCat(static_cast<int>(i.kind), "|", i.unique, "|", absl::StrJoin(cols, ","), "|",
                        absl::StrJoin(inc, ","), "|", i.filter);
  }

  void Indexes(const std::string& table_path, const tsql::Table& a, const tsql::Table& b) {
    absl::flat_hash_map<std::string, const tsql::Index*> old_by_name, new_by_name;
    for (const auto& i : a.indexes) old_by_name.try_emplace(Lower(i.name), &i);
    for (const auto& i : b.indexes) new_by_name.try_emplace(Lower(i.name), &i);
    for (const auto& i : a.indexes) {
      auto it = new_by_name.find(Lower(i.name));
      const std::string path = absl::StrCat(table_path, ".", i.name);
      if (it == new_by_name.end()) {
        Add(ChangeKind::kDropped, ChangeClass::kConstraint, "index", path, absl::StrCat("drop index ", i.name),
            &i.span, nullptr);
      } else if (IndexShape(i) != IndexShape(*it->second)) {
        const bool becomes_unique = it->second->unique && !i.unique;
        Add(ChangeKind::kModified, becomes_unique ? ChangeClass::kDataDependent : ChangeClass::kConstraint, "index",
            path,
            becomes_unique ? absl::StrCat("index ", i.name, " becomes UNIQUE: fails if existing rows repeat the key")
                           : absl::StrCat("index ", i.name, " definition changed"),
            &i.span, &it->second->span);
      }
    }
    for (const auto& i : b.indexes) {
      if (old_by_name.contains(Lower(i.name))) continue;
      Add(ChangeKind::kAdded, i.unique ? ChangeClass::kDataDependent : ChangeClass::kConstraint, "index",
          absl::StrCat(table_path, ".", i.name),
          i.unique ? absl::StrCat("add unique index ", i.name, ": fails if existing rows repeat the key")
                   : absl::StrCat("add index ", i.name),
          nullptr, &i.span);
    }
  }

  template <typename T>
  void Simple(const std::string& db, const std::string& schema, const std::vector<T>* olds,
              const std::vector<T>* news, const std::string& kind,
              const std::function<void(const std::string&, const T&, const T&)>& modified) {
    absl::flat_hash_map<std::string, const T*> old_by, new_by;
    if (olds != nullptr) for (const auto& o : *olds) old_by.try_emplace(Lower(o.name), &o);
    if (news != nullptr) for (const auto& o : *news) new_by.try_emplace(Lower(o.name), &o);
    if (olds != nullptr) {
      for (const auto& o : *olds) {
        auto it = new_by.find(Lower(o.name));
        const std::string path = ObjectPath(db, schema, o.name);
        if (it == new_by.end()) {
          Add(ChangeKind::kDropped, ChangeClass::kBackwardIncompatible, kind, path,
              absl::StrCat("drop ", kind, " ", o.name, ": callers break"), &o.span, nullptr);
        } else if (modified) {
          modified(path, o, *it->second);
        }
      }
    }
    if (news != nullptr) {
      for (const auto& o : *news) {
        if (old_by.contains(Lower(o.name))) continue;
        Add(ChangeKind::kAdded, ChangeClass::kSafe, kind, ObjectPath(db, schema, o.name),
            absl::StrCat("new ", kind), nullptr, &o.span);
      }
    }
  }

  void Routine(const std::string& path, const tsql::Routine& a, const tsql::Routine& b) {
    const std::string kind = b.kind == tsql::RoutineKind::kProcedure ? "procedure" : "function";
    for (const auto& p : a.parameters) {
      auto it = std::find_if(b.parameters.begin(), b.parameters.end(),
                             [&](const tsql::Parameter& q) { return tsql::EqualsIgnoreCase(q.name, p.name); });
      if (it == b.parameters.end()) {
        Add(ChangeKind::kDropped, ChangeClass::kBackwardIncompatible, "parameter", absl::StrCat(path, ".", p.name),
            absl::StrCat("parameter ", p.name, " removed: callers passing it break"), &a.span, &b.span);
      } else if (NormalizeType(p.data_type).text != NormalizeType(it->data_type).text) {
        std::string why;
        ClassifyTypeChange(p.data_type, it->data_type, &why);
        Add(ChangeKind::kModified, ChangeClass::kBackwardIncompatible, "parameter", absl::StrCat(path, ".", p.name),
            absl::StrCat(NormalizeType(p.data_type).text, " → ", NormalizeType(it->data_type).text, " (", why, ")"),
            &a.span, &b.span);
      }
    }
    for (const auto& q : b.parameters) {
      auto it = std::find_if(a.parameters.begin(), a.parameters.end(),
                             [&](const tsql::Parameter& p) { return tsql::EqualsIgnoreCase(q.name, p.name); });
      if (it != a.parameters.end()) continue;
      const bool required = q.default_value.empty();
      Add(ChangeKind::kAdded, required ? ChangeClass::kBackwardIncompatible : ChangeClass::kSafe, "parameter",
          absl::StrCat(path, ".", q.name),
          required ? absl::StrCat("new parameter ", q.name, " without a default: existing calls break")
                   : absl::StrCat("new parameter ", q.name, " with a default"),
          &a.span, &b.span);
    }
    (void)kind;
  }

  void View(const std::string& path, const tsql::View& a, const tsql::View& b) {
    if (!a.columns.empty() && !b.columns.empty()) {
      for (const auto& c : a.columns) {
        if (std::none_of(b.columns.begin(), b.columns.end(),
                         [&](const std::string& n) { return tsql::EqualsIgnoreCase(n, c); })) {
          Add(ChangeKind::kDropped, ChangeClass::kBackwardIncompatible, "column", absl::StrCat(path, ".", c),
              absl::StrCat("view column ", c, " removed: readers break"), &a.span, &b.span);
        }
      }
    }
  }

  void Schema(const std::string& db, const tsql::Schema* a, const tsql::Schema* b) {
    const std::string& name = b != nullptr ? b->name : a->name;
    if (a == nullptr && b != nullptr && b->span) {
      Add(ChangeKind::kAdded, ChangeClass::kSafe, "schema", ObjectPath(db, "", name), "new schema", nullptr, &*b->span);
    }
    // dbo always exists; other schemas count as dropped when they held objects.
    if (b == nullptr && a != nullptr && !a->empty() && !tsql::EqualsIgnoreCase(name, "dbo")) {
      Add(ChangeKind::kDropped, ChangeClass::kDestructive, "schema", ObjectPath(db, "", name),
          absl::StrCat("drop schema ", name, " with ", a->tables.size(), " table(s)"),
          a->span ? &*a->span : nullptr, nullptr);
    }
    Tables(db, a, b);
    Simple<tsql::View>(db, name, a ? &a->views : nullptr, b ? &b->views : nullptr, "view",
                       [&](const std::string& p, const tsql::View& x, const tsql::View& y) { View(p, x, y); });
    Simple<tsql::Routine>(db, name, a ? &a->routines : nullptr, b ? &b->routines : nullptr, "routine",
                          [&](const std::string& p, const tsql::Routine& x, const tsql::Routine& y) { Routine(p, x, y); });
    Simple<tsql::Trigger>(db, name, a ? &a->triggers : nullptr, b ? &b->triggers : nullptr, "trigger", nullptr);
    Simple<tsql::Sequence>(db, name, a ? &a->sequences : nullptr, b ? &b->sequences : nullptr, "sequence", nullptr);
    Simple<tsql::Synonym>(db, name, a ? &a->synonyms : nullptr, b ? &b->synonyms : nullptr, "synonym", nullptr);
    Simple<tsql::UserDefinedType>(db, name, a ? &a->types : nullptr, b ? &b->types : nullptr, "type", nullptr);
  }

  void Run(const tsql::Catalog& a, const tsql::Catalog& b) {
    std::set<std::string> seen_dbs;
    auto each_db = [&](const tsql::Database* da, const tsql::Database* dbb) {
      const std::string& db = dbb != nullptr ? dbb->name : da->name;
      std::set<std::string> seen;
      if (da != nullptr) {
        for (const auto& s : da->schemas) {
          seen.insert(Lower(s.name));
          Schema(db, &s, dbb != nullptr ? dbb->FindSchema(s.name) : nullptr);
        }
      }
      if (dbb != nullptr) {
        for (const auto& s : dbb->schemas) {
          if (seen.count(Lower(s.name)) == 0) Schema(db, nullptr, &s);
        }
      }
    };
    for (const auto& d : a.databases) {
      seen_dbs.insert(Lower(d.name));
      each_db(&d, b.FindDatabase(d.name));
    }
    for (const auto& d : b.databases) {
      if (seen_dbs.count(Lower(d.name)) == 0) each_db(nullptr, &d);
    }
    std::stable_sort(changes.begin(), changes.end(), [](const SchemaChange& x, const SchemaChange& y) {
      return x.object_path < y.object_path;
    });
  }
};

}  // namespace

absl::StatusOr<DiffReport> Diff(const tsql::Catalog& old_catalog, const tsql::Catalog& new_catalog,
                                const DiffOptions& options) {
  const RuleRegistry& registry = options.rules != nullptr ? *options.rules : RuleRegistry::Builtin();
  SQLMILL_ASSIGN_OR_RETURN(PreparedRules prepared,
                           PrepareRules(options.config, registry, nullptr, RulePhase::kDiff));
  if (options.cancel != nullptr) SQLMILL_RETURN_IF_ERROR(options.cancel->Check());
  CatalogIndex old_index(old_catalog);
  CatalogIndex new_index(new_catalog);
  Differ differ{old_index, new_index, {}};
  differ.Run(old_catalog, new_catalog);

  DiffReport out;
  RuleContext ctx(new_index, nullptr);
  WorkBudget budget(options.limits.max_work_units, options.cancel);
  for (const SchemaChange& change : differ.changes) {
    SQLMILL_RETURN_IF_ERROR(budget.Charge(std::max<size_t>(1, prepared.rules.size())));
    for (PreparedRule& r : prepared.rules) {
      ctx.BeginRule(&r.info.id, r.info.default_severity, r.severity_configured);
      r.rule->CheckChange(change, ctx);
    }
  }
  out.changes = std::move(differ.changes);
  out.report.fail_threshold = options.fail_threshold;
  out.report.findings = std::move(ctx.findings());
  out.report.summary.objects_checked = static_cast<uint32_t>(out.changes.size());
  for (const PreparedRule& r : prepared.rules) out.report.rules_run.push_back(r.info);
  FinishReport(options.config, options.sources, &out.report);
  return out;
}

}  // namespace sqlmill::validator

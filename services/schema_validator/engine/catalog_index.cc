// Builds the lookup table once per validation so rules resolve names in O(1): the
// catalog's own lookups are linear scans, which would make reference checks quadratic on
// the 10,000-table catalogs the validator must handle in under a second.
#include "services/schema_validator/engine/catalog_index.h"

#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/strings.h"
#include "services/schema_validator/engine/sql_type.h"

namespace sqlmill::validator {

CatalogIndex::CatalogIndex(const tsql::Catalog& catalog) : catalog_(catalog) {
  for (const tsql::Database& db : catalog.databases) {
    for (const tsql::Schema& s : db.schemas) {
      for (const auto& t : s.tables) Add(ObjectType::kTable, db, s, t.name, &t);
      for (const auto& v : s.views) Add(ObjectType::kView, db, s, v.name, &v);
      for (const auto& r : s.routines) Add(ObjectType::kRoutine, db, s, r.name, &r);
      for (const auto& t : s.triggers) Add(ObjectType::kTrigger, db, s, t.name, &t);
      for (const auto& q : s.sequences) Add(ObjectType::kSequence, db, s, q.name, &q);
      for (const auto& y : s.synonyms) Add(ObjectType::kSynonym, db, s, y.name, &y);
      // Types live in their own namespace in SQL Server; keyed with a marker.
      for (const auto& u : s.types) Add(ObjectType::kType, db, s, absl::StrCat("\x02", u.name), &u);
    }
  }
  // With every type reachable through Find, resolve the table columns' base types once.
  size_t columns = 0;
  size_t tables = 0;
  for (const tsql::Database& db : catalog.databases) {
    for (const tsql::Schema& s : db.schemas) {
      tables += s.tables.size();
      for (const auto& t : s.tables) columns += t.columns.size();
    }
  }
  column_base_types_.reserve(columns);
  first_column_.reserve(tables);
  // Built-in types repeat across columns (int, nvarchar(50)...): normalize each distinct
  // one once and share the result, whatever text the catalog spelled it with.
  using BuiltinKey = std::tuple<absl::string_view, int64_t, bool, int32_t, int32_t, bool, bool, absl::string_view>;
  absl::flat_hash_map<BuiltinKey, const tsql::DataType*> builtins;
  for (const tsql::Database& db : catalog.databases) {
    for (const tsql::Schema& s : db.schemas) {
      for (const auto& t : s.tables) {
        first_column_.emplace(&t, static_cast<uint32_t>(column_base_types_.size()));
        for (const auto& c : t.columns) {
          const tsql::DataType* base = nullptr;
          if (c.data_type && c.data_type->is_user_defined) {
            base = ResolveBaseType(*c.data_type, db.name, s.name);
          } else if (c.data_type) {
            const tsql::DataType& type = *c.data_type;
            const BuiltinKey key{AsAbsl(type.name), type.length, type.is_max, type.precision, type.scale,
                                 type.has_precision, type.has_scale, AsAbsl(type.xml_schema_collection)};
            auto [it, inserted] = builtins.try_emplace(key, nullptr);
            if (inserted) it->second = ResolveBaseType(type, db.name, s.name);
            base = it->second;
          }
          column_base_types_.push_back(base);
        }
      }
    }
  }
}

std::string CatalogIndex::Key(std::string_view db, std::string_view schema,
                              std::string_view name) {
  std::string key;
  key.reserve(db.size() + schema.size() + name.size() + 2);
  key += tsql::ToLowerAscii(db);
  key.push_back('\x1f');
  key += tsql::ToLowerAscii(schema);
  key.push_back('\x1f');
  key += tsql::ToLowerAscii(name);
  return key;
}

void CatalogIndex::Add(ObjectType type, const tsql::Database& db, const tsql::Schema& schema,
                       std::string_view name, const void* object) {
  objects_.try_emplace(Key(db.name, schema.name, name), IndexedObject{type, &db, &schema, object});
}

const IndexedObject* CatalogIndex::Find(std::string_view db, std::string_view schema,
                                        std::string_view name) const {
  auto it = objects_.find(Key(db, schema, name));
  return it == objects_.end() ? nullptr : &it->second;
}

const tsql::Table* CatalogIndex::FindTable(std::string_view db, std::string_view schema,
                                           std::string_view name) const {
  const IndexedObject* o = Find(db, schema, name);
  return o != nullptr && o->type == ObjectType::kTable ? static_cast<const tsql::Table*>(o->object)
                                                       : nullptr;
}

const IndexedObject* CatalogIndex::Resolve(const tsql::ObjectName& ref, std::string_view db,
                                           std::string_view schema) const {
  const std::string_view rdb = ref.database.empty() ? db : std::string_view(ref.database);
  if (!ref.schema.empty()) return Find(rdb, ref.schema, ref.name);
  if (const IndexedObject* o = Find(rdb, schema, ref.name)) return o;
  return Find(rdb, "dbo", ref.name);
}

const tsql::Table* CatalogIndex::ResolveTable(const tsql::ObjectName& ref, std::string_view db,
                                              std::string_view schema) const {
  const IndexedObject* o = Resolve(ref, db, schema);
  return o != nullptr && o->type == ObjectType::kTable ? static_cast<const tsql::Table*>(o->object)
                                                       : nullptr;
}

bool CatalogIndex::IsExternal(const tsql::ObjectName& ref, std::string_view db) const {
  if (!ref.server.empty()) return true;
  if (!ref.database.empty() && !tsql::EqualsIgnoreCase(ref.database, db) &&
      catalog_.FindDatabase(ref.database) == nullptr) {
    return true;
  }
  if (tsql::EqualsIgnoreCase(ref.schema, "sys") ||
      tsql::EqualsIgnoreCase(ref.schema, "INFORMATION_SCHEMA")) {
    return true;
  }
  if (!ref.name.empty() && (ref.name[0] == '#' || ref.name[0] == '@')) return true;
  // Unqualified system views (sysobjects, ...) resolve through sys.
  if (ref.schema.empty() && ref.name.size() > 3 && tsql::EqualsIgnoreCase(ref.name.substr(0, 3), "sys")) {
    return true;
  }
  return false;
}

const tsql::DataType* CatalogIndex::BaseType(const tsql::Table& table, const tsql::Column& column) const {
  auto it = first_column_.find(&table);
  if (it == first_column_.end() || table.columns.empty()) return nullptr;
  const size_t i = static_cast<size_t>(&column - table.columns.data());
  if (i >= table.columns.size()) return nullptr;
  return column_base_types_[it->second + i];
}

const tsql::DataType* CatalogIndex::ResolveBaseType(const tsql::DataType& type, std::string_view db,
                                                    std::string_view schema) {
  std::optional<tsql::DataType> computed = ComputeBaseType(type, db, schema);
  if (!computed) return nullptr;
  normalized_.push_back(std::move(*computed));
  return &normalized_.back();
}

std::optional<tsql::DataType> CatalogIndex::ComputeBaseType(const tsql::DataType& type,
                                                            std::string_view db,
                                                            std::string_view schema) const {
  if (!type.is_user_defined) {
    if (!IsBuiltinType(type.name)) return std::nullopt;
    return NormalizeType(type);
  }
  const tsql::UserDefinedType* udt = FindUserType(type, db, schema);
  if (udt == nullptr) return std::nullopt;
  if (udt->kind != tsql::TypeKind::kAlias || !udt->base_type) return std::nullopt;
  if (udt->base_type->is_user_defined) return std::nullopt;  // aliases of aliases don't exist
  return NormalizeType(*udt->base_type);
}

const tsql::UserDefinedType* CatalogIndex::FindUserType(const tsql::DataType& type, std::string_view db,
                                                       std::string_view schema) const {
  if (!type.is_user_defined) return nullptr;
  const std::string key_name = absl::StrCat("\x02", type.name);
  const IndexedObject* o = type.schema.empty() ? Find(db, schema, key_name) : Find(db, type.schema, key_name);
  if (o == nullptr && type.schema.empty()) o = Find(db, "dbo", key_name);
  if (o == nullptr) return nullptr;
  return static_cast<const tsql::UserDefinedType*>(o->object);
}

LocatedSpan CatalogIndex::Locate(const tsql::CatalogSpan& span) const {
  LocatedSpan out;
  if (span.begin.line == 0) return out;
  if (span.file < catalog_.files.size()) out.file = catalog_.files[span.file];
  out.span = span.span;
  out.begin = span.begin;
  out.end = span.end;
  return out;
}

std::string ObjectPath(std::string_view db, std::string_view schema, std::string_view name,
                       std::string_view sub) {
  std::string out;
  out.reserve(db.size() + schema.size() + name.size() + sub.size() + 3);
  if (!db.empty()) {
    out += db;
    out += '.';
  }
  if (!schema.empty()) {
    out += schema;
    out += '.';
  }
  out += name;
  if (!sub.empty()) {
    out += '.';
    out += sub;
  }
  return out;
}

const char* ConstraintKindName(tsql::ConstraintKind kind) {
  switch (kind) {
    case tsql::ConstraintKind::kPrimaryKey:
      return "primary key";
    case tsql::ConstraintKind::kUnique:
      return "unique constraint";
    case tsql::ConstraintKind::kForeignKey:
      return "foreign key";
    case tsql::ConstraintKind::kCheck:
      return "check constraint";
    case tsql::ConstraintKind::kDefault:
      return "default constraint";
    case tsql::ConstraintKind::kEdge:
      return "edge constraint";
    case tsql::ConstraintKind::kUnspecified:
      break;
  }
  return "constraint";
}

std::string ConstraintLabel(const tsql::Constraint& c) {
  if (!c.name.empty()) return c.name;
  std::string prefix;
  switch (c.kind) {
    case tsql::ConstraintKind::kPrimaryKey: prefix = "PK"; break;
    case tsql::ConstraintKind::kUnique: prefix = "UQ"; break;
    case tsql::ConstraintKind::kForeignKey: prefix = "FK"; break;
    case tsql::ConstraintKind::kCheck: prefix = "CK"; break;
    case tsql::ConstraintKind::kDefault: prefix = "DF"; break;
    default: prefix = "C"; break;
  }
  if (c.kind == tsql::ConstraintKind::kCheck && c.columns.empty()) {
    std::string e = c.expression.size() > 40 ? c.expression.substr(0, 37) + "..." : c.expression;
    return absl::StrCat(prefix, "(", e, ")");
  }
  std::vector<std::string> cols;
  for (const auto& k : c.columns) cols.push_back(k.name);
  return absl::StrCat(prefix, "(", absl::StrJoin(cols, ","), ")");
}

const char* RoutineKindName(const tsql::Routine& routine) {
  switch (routine.kind) {
    case tsql::RoutineKind::kProcedure:
      return "procedure";
    case tsql::RoutineKind::kClr:
      return "CLR routine";
    default:
      return "function";
  }
}

bool IsNullable(const tsql::Column& column) {
  return column.nullability != tsql::Nullability::kNotNull;
}

bool HasClusteredIndex(const tsql::Table& table) {
  if (table.primary_key && table.primary_key->clustering != tsql::Clustering::kNonclustered &&
      table.primary_key->clustering != tsql::Clustering::kHash) {
    // A PRIMARY KEY is clustered unless it says otherwise or another clustered index exists.
    return true;
  }
  for (const auto& u : table.unique_constraints) {
    if (u.clustering == tsql::Clustering::kClustered) return true;
  }
  for (const auto& i : table.indexes) {
    if (i.kind == tsql::IndexKind::kClustered || i.kind == tsql::IndexKind::kClusteredColumnstore) {
      return true;
    }
  }
  bool distributed = false;
  bool heap = false;
  for (const auto& [key, value] : table.options) {
    const std::string upper = tsql::ToUpperAscii(key);
    if (upper == "CLUSTERED COLUMNSTORE INDEX" || upper.rfind("CLUSTERED COLUMNSTORE INDEX ", 0) == 0 ||
        upper.rfind("CLUSTERED INDEX", 0) == 0) {
      return true;
    }
    if (upper == "DISTRIBUTION") distributed = true;
    if (upper == "HEAP") heap = true;
  }
  return distributed && !heap;
}

bool IsExternalTable(const tsql::Table& table) { return table.options.count("EXTERNAL") > 0; }

bool IsCtasTable(const tsql::Table& table) { return table.options.count("AS SELECT") > 0; }

bool StartsWithColumns(const std::vector<tsql::KeyColumn>& columns,
                       const std::vector<std::string>& prefix) {
  if (prefix.empty() || columns.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (!tsql::EqualsIgnoreCase(columns[i].name, prefix[i])) return false;
  }
  return true;
}

}  // namespace sqlmill::validator

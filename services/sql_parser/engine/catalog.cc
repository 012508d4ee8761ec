// Catalog lookups and counts. Lookups are linear, case-insensitive scans: schemas hold tens
// to hundreds of objects in real scripts, where a scan beats building hash indexes.
#include "services/sql_parser/engine/catalog.h"

namespace sqlmill::tsql {

namespace {
inline char UpperAscii(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }
inline char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

template <typename T>
T* FindByName(std::vector<T>& items, std::string_view name) {
  for (T& item : items) {
    if (EqualsIgnoreCase(item.name, name)) return &item;
  }
  return nullptr;
}
}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (UpperAscii(a[i]) != UpperAscii(b[i])) return false;
  }
  return true;
}

std::string ToUpperAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = UpperAscii(c);
  return out;
}

std::string ToLowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = LowerAscii(c);
  return out;
}

std::string ObjectName::ToString() const {
  // Leading empty parts are dropped; inner empty parts stay, as in db..name.
  const std::string* parts[] = {&server, &database, &schema, &name};
  size_t first = 0;
  while (first < 3 && parts[first]->empty()) ++first;
  std::string out;
  for (size_t i = first; i < 4; ++i) {
    if (i > first) out.push_back('.');
    out += *parts[i];
  }
  return out;
}

Column* Table::FindColumn(std::string_view column_name) { return FindByName(columns, column_name); }

const Column* Table::FindColumn(std::string_view column_name) const {
  return const_cast<Table*>(this)->FindColumn(column_name);
}

Schema* Database::FindSchema(std::string_view schema_name) { return FindByName(schemas, schema_name); }

const Schema* Database::FindSchema(std::string_view schema_name) const {
  return const_cast<Database*>(this)->FindSchema(schema_name);
}

Schema& Database::GetOrAddSchema(std::string_view schema_name) {
  if (Schema* s = FindSchema(schema_name)) return *s;
  schemas.emplace_back();
  schemas.back().name = std::string(schema_name);
  return schemas.back();
}

Database* Catalog::FindDatabase(std::string_view database_name) {
  return FindByName(databases, database_name);
}

const Database* Catalog::FindDatabase(std::string_view database_name) const {
  return const_cast<Catalog*>(this)->FindDatabase(database_name);
}

Database& Catalog::GetOrAddDatabase(std::string_view database_name) {
  if (Database* d = FindDatabase(database_name)) return *d;
  databases.emplace_back();
  databases.back().name = std::string(database_name);
  return databases.back();
}

const Table* Catalog::FindTable(std::string_view database, std::string_view schema,
                                std::string_view name) const {
  const Database* d = FindDatabase(database);
  if (d == nullptr) return nullptr;
  const Schema* s = d->FindSchema(schema);
  if (s == nullptr) return nullptr;
  for (const Table& t : s->tables) {
    if (EqualsIgnoreCase(t.name, name)) return &t;
  }
  return nullptr;
}

CatalogCounts Catalog::Counts() const {
  CatalogCounts c;
  for (const Database& d : databases) {
    ++c.databases;
    for (const Schema& s : d.schemas) {
      ++c.schemas;
      for (const Table& t : s.tables) {
        ++c.tables;
        c.columns += static_cast<int>(t.columns.size());
        if (t.primary_key) ++c.primary_keys;
        c.unique_constraints += static_cast<int>(t.unique_constraints.size());
        c.foreign_keys += static_cast<int>(t.foreign_keys.size());
        c.check_constraints += static_cast<int>(t.check_constraints.size());
        for (const Column& col : t.columns) {
          if (col.default_constraint) ++c.default_constraints;
        }
        c.indexes += static_cast<int>(t.indexes.size());
      }
      for (const View& v : s.views) {
        ++c.views;
        c.indexes += static_cast<int>(v.indexes.size());
      }
      for (const Routine& r : s.routines) {
        if (r.kind == RoutineKind::kProcedure) {
          ++c.procedures;
        } else {
          ++c.functions;
        }
      }
      c.triggers += static_cast<int>(s.triggers.size());
      c.sequences += static_cast<int>(s.sequences.size());
      c.types += static_cast<int>(s.types.size());
      c.synonyms += static_cast<int>(s.synonyms.size());
    }
  }
  return c;
}

}  // namespace sqlmill::tsql

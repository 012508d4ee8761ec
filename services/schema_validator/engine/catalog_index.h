// Hash lookups over a catalog for the rules: objects by (database, schema, name), name
// resolution of partial references the way SQL Server resolves them in DDL (missing
// database → the referencing object's; missing schema → the referencing object's, then
// dbo), alias-type resolution, object paths and span location.
//
// Ownership: borrows the catalog, which must outlive the index. Thread-safety: immutable
// after construction; safe to share between threads.
//
//   CatalogIndex index(catalog);
//   const tsql::Table* t = index.ResolveTable(fk.referenced_table, db.name, schema.name);
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_CATALOG_INDEX_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_CATALOG_INDEX_H_

#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "services/schema_validator/engine/report.h"
#include "services/sql_parser/engine/catalog.h"

namespace sqlmill::validator {

enum class ObjectType { kTable, kView, kRoutine, kTrigger, kSequence, kType, kSynonym };

struct IndexedObject {
  ObjectType type = ObjectType::kTable;
  const tsql::Database* database = nullptr;
  const tsql::Schema* schema = nullptr;
  const void* object = nullptr;  // the tsql::Table, tsql::View, ... of `type`
};

class CatalogIndex {
 public:
  explicit CatalogIndex(const tsql::Catalog& catalog);

  const tsql::Catalog& catalog() const { return catalog_; }

  // Looks up a schema-scoped object (table, view, routine, sequence, synonym, type) by its
  // resolved name; the first one defined wins. Returns null when there is none.
  const IndexedObject* Find(std::string_view db, std::string_view schema,
                            std::string_view name) const;
  const tsql::Table* FindTable(std::string_view db, std::string_view schema,
                               std::string_view name) const;
  // Resolves a reference as written, relative to the referencing object's db and schema.
  const IndexedObject* Resolve(const tsql::ObjectName& ref, std::string_view db,
                               std::string_view schema) const;
  const tsql::Table* ResolveTable(const tsql::ObjectName& ref, std::string_view db,
                                  std::string_view schema) const;
  // Returns true when the reference points outside what the catalog can know: another
  // server, a database absent from the catalog, sys/INFORMATION_SCHEMA objects, temporary
  // tables and table variables.
  bool IsExternal(const tsql::ObjectName& ref, std::string_view db) const;
  // Returns the built-in base type of a column of a catalog table, following alias types;
  // null when the type is a table/CLR/unknown user type or the table is not in the catalog.
  // The result is normalized, owned by the index (valid for its lifetime) and shared by
  // columns of the same built-in type. `column` must be an element of `table.columns`.
  const tsql::DataType* BaseType(const tsql::Table& table, const tsql::Column& column) const;

  // The alias (or table/CLR) type a user-defined column type names, resolved as SQL Server
  // does (the type's schema, else the referencing object's, else dbo); null for built-in
  // types and unknown names.
  const tsql::UserDefinedType* FindUserType(const tsql::DataType& type, std::string_view db,
                                            std::string_view schema) const;

  // Converts a catalog span to file name and line:column.
  LocatedSpan Locate(const tsql::CatalogSpan& span) const;

 private:
  static std::string Key(std::string_view db, std::string_view schema, std::string_view name);
  std::optional<tsql::DataType> ComputeBaseType(const tsql::DataType& type, std::string_view db,
                                                std::string_view schema) const;
  void Add(ObjectType type, const tsql::Database& db, const tsql::Schema& schema,
           std::string_view name, const void* object);

  const tsql::Catalog& catalog_;
  absl::flat_hash_map<std::string, IndexedObject> objects_;
  // Resolves and normalizes `type` into a copy stored in normalized_; null when unknown.
  const tsql::DataType* ResolveBaseType(const tsql::DataType& type, std::string_view db,
                                        std::string_view schema);

  // Every type-related rule asks for each column, so the base types of all table columns
  // are resolved up front, table after table, into one array (read-only afterwards).
  std::vector<const tsql::DataType*> column_base_types_;
  absl::flat_hash_map<const tsql::Table*, uint32_t> first_column_;  // table → its first slot
  std::deque<tsql::DataType> normalized_;  // stable addresses for the array's values
};

// Returns "db.schema.name[.sub]" leaving out an empty database.
std::string ObjectPath(std::string_view db, std::string_view schema, std::string_view name,
                       std::string_view sub = "");
// Returns a constraint's name, or a stand-in like "PK(OrderID)" when SQL Server names it.
std::string ConstraintLabel(const tsql::Constraint& c);
// Returns "primary key", "unique constraint", "foreign key", "check constraint", ...
const char* ConstraintKindName(tsql::ConstraintKind kind);
// Returns "procedure", "function" or "CLR routine".
const char* RoutineKindName(const tsql::Routine& routine);
// Returns true when the column is NULL-able as declared (unspecified counts as nullable,
// SQL Server's default with ANSI_NULL_DFLT_ON).
bool IsNullable(const tsql::Column& column);
// Returns true when the table's clustered index is the PK, a UNIQUE constraint or an index,
// or when its options make it clustered: WITH (CLUSTERED COLUMNSTORE INDEX | CLUSTERED
// INDEX (...)), or an Azure Synapse table (DISTRIBUTION = ..., CTAS included) without HEAP,
// which Synapse stores as a clustered columnstore by default.
bool HasClusteredIndex(const tsql::Table& table);
// Returns true for CREATE EXTERNAL TABLE (data outside the database: no keys, no indexes).
bool IsExternalTable(const tsql::Table& table);
// Returns true for CREATE TABLE ... AS SELECT (columns come from the query).
bool IsCtasTable(const tsql::Table& table);
// Returns true when the key columns of `columns` start with `prefix` (names compared
// case-insensitively, order significant).
bool StartsWithColumns(const std::vector<tsql::KeyColumn>& columns,
                       const std::vector<std::string>& prefix);

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_CATALOG_INDEX_H_

// The schema catalog as plain C++: what a SQL Server script leaves behind once it has run.
//
// Mirrors proto/sqlmill/v1/catalog.proto field for field so that service/catalog_to_proto.cc
// is mechanical; the engine never sees protos. Names are kept as written, without brackets
// or quotes, and compared case-insensitively (EqualsIgnoreCase). Every object carries a
// CatalogSpan: the index of its file in Catalog::files, the byte span in that file's
// decoded text, and the 1-based line:column of both ends (resolved when the object is made).
//
// Ownership: a Catalog owns everything in it by value. Thread-safety: a plain value type;
// const access from many threads is safe, mutation is not.
//
//   const Table* t = catalog.FindTable({"", "Sales", "Orders"}, "dbo", "");
//   if (t != nullptr && t->primary_key) std::cout << t->primary_key->name;
#ifndef SQLMILL_SERVICES_SQL_PARSER_ENGINE_CATALOG_H_
#define SQLMILL_SERVICES_SQL_PARSER_ENGINE_CATALOG_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/boxed.h"
#include "common/base/source_span.h"

namespace sqlmill::tsql {

// Returns true when a and b are equal ignoring ASCII case (SQL Server's default collation
// is case-insensitive; non-ASCII letters are compared exactly).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
// Returns s with ASCII letters upper-cased.
std::string ToUpperAscii(std::string_view s);
std::string ToLowerAscii(std::string_view s);

// A span in one of the catalog's files, with its resolved line:column.
struct CatalogSpan {
  uint32_t file = 0;  // index into Catalog::files
  SourceSpan span;
  Location begin;
  Location end;
  bool operator==(const CatalogSpan&) const = default;
};

// A (possibly partial) reference to an object as written: [server].[db].[schema].[name].
struct ObjectName {
  std::string server;
  std::string database;
  std::string schema;
  std::string name;
  bool empty() const { return name.empty(); }
  // Returns "db.schema.name" with the empty leading parts left out.
  std::string ToString() const;
  bool operator==(const ObjectName&) const = default;
};

struct DataType {
  std::string name;  // lower-case for built-in types; as written for user types
  std::string schema;
  bool is_user_defined = false;
  int64_t length = 0;
  bool is_max = false;
  int32_t precision = 0;
  int32_t scale = 0;
  bool has_precision = false;
  bool has_scale = false;
  std::string text;  // canonical spelling: "nvarchar(max)", "decimal(18,2)"
  std::string xml_schema_collection;
};

enum class Nullability { kUnspecified, kNull, kNotNull };

struct Identity {
  int64_t seed = 1;
  int64_t increment = 1;
  bool not_for_replication = false;
};

struct ComputedColumn {
  std::string expression;
  bool persisted = false;
};

enum class GeneratedAlways {
  kUnspecified,
  kRowStart,
  kRowEnd,
  kTransactionIdStart,
  kTransactionIdEnd,
  kSequenceNumberStart,
  kSequenceNumberEnd,
};

enum class ConstraintKind { kUnspecified, kPrimaryKey, kUnique, kForeignKey, kCheck, kDefault, kEdge };
enum class Clustering { kUnspecified, kClustered, kNonclustered, kHash };
enum class ReferentialAction { kUnspecified, kNoAction, kCascade, kSetNull, kSetDefault };

struct KeyColumn {
  std::string name;
  bool descending = false;
};

struct Constraint {
  std::string name;
  ConstraintKind kind = ConstraintKind::kUnspecified;
  std::vector<KeyColumn> columns;
  Clustering clustering = Clustering::kUnspecified;
  ObjectName referenced_table;
  std::vector<std::string> referenced_columns;
  ReferentialAction on_delete = ReferentialAction::kUnspecified;
  ReferentialAction on_update = ReferentialAction::kUnspecified;
  bool not_for_replication = false;
  std::string expression;
  bool not_trusted = false;
  bool disabled = false;
  std::map<std::string, std::string> options;  // keys upper-case
  std::string data_space;
  CatalogSpan span;
  int32_t bucket_count = 0;
  std::string description;
};

struct Column {
  std::string name;
  int32_t ordinal = 0;
  std::optional<DataType> data_type;
  Nullability nullability = Nullability::kUnspecified;
  std::optional<Identity> identity;
  Boxed<ComputedColumn> computed;       // rare: boxed to keep Column small
  Boxed<Constraint> default_constraint;
  std::string collation;
  std::string description;
  bool rowguidcol = false;
  bool sparse = false;
  bool filestream = false;
  std::string masking_function;
  GeneratedAlways generated_always = GeneratedAlways::kUnspecified;
  bool hidden = false;
  bool column_set = false;
  CatalogSpan span;
  std::string encrypted_with;
};

enum class IndexKind {
  kUnspecified,
  kClustered,
  kNonclustered,
  kClusteredColumnstore,
  kNonclusteredColumnstore,
  kXml,
  kSpatial,
  kFulltext,
  kHash,
};

struct Index {
  std::string name;
  IndexKind kind = IndexKind::kUnspecified;
  bool unique = false;
  std::vector<KeyColumn> columns;
  std::vector<std::string> included_columns;
  std::string filter;
  std::map<std::string, std::string> options;
  std::string data_space;
  CatalogSpan span;
  bool primary_xml = false;
  std::string description;
};

enum class GraphKind { kUnspecified, kNode, kEdge };

struct Table {
  std::string name;
  std::vector<Column> columns;
  Boxed<Constraint> primary_key;
  std::vector<Constraint> unique_constraints;
  std::vector<Constraint> foreign_keys;
  std::vector<Constraint> check_constraints;
  std::vector<Index> indexes;
  std::string data_space;
  std::string textimage_on;
  std::string filestream_on;
  GraphKind graph_kind = GraphKind::kUnspecified;
  bool memory_optimized = false;
  std::string durability;
  std::string period_start_column;
  std::string period_end_column;
  bool system_versioned = false;
  ObjectName history_table;
  std::map<std::string, std::string> options;
  std::string description;
  CatalogSpan span;
  std::vector<CatalogSpan> modified_by;
  bool ledger = false;
  std::vector<Constraint> edge_constraints;

  Column* FindColumn(std::string_view column_name);
  const Column* FindColumn(std::string_view column_name) const;
};

struct ObjectReference {
  ObjectName name;
  CatalogSpan span;
};

struct View {
  std::string name;
  std::vector<std::string> columns;
  bool schemabinding = false;
  bool with_check_option = false;
  std::vector<ObjectReference> references;
  CatalogSpan body;
  std::string description;
  CatalogSpan span;
  std::vector<Index> indexes;
  std::map<std::string, std::string> options;
};

enum class RoutineKind { kUnspecified, kProcedure, kScalarFunction, kInlineTableFunction, kTableFunction, kClr };

struct Parameter {
  std::string name;
  DataType data_type;
  std::string default_value;
  bool output = false;
  bool readonly = false;
  bool varying = false;
};

struct Routine {
  std::string name;
  RoutineKind kind = RoutineKind::kUnspecified;
  std::vector<Parameter> parameters;
  std::optional<DataType> return_type;
  std::vector<Column> return_columns;
  std::string return_variable;
  std::map<std::string, std::string> options;
  std::vector<ObjectReference> references;
  CatalogSpan body;
  std::string description;
  CatalogSpan span;
  std::string external_name;
};

enum class TriggerTiming { kUnspecified, kAfter, kInsteadOf };

struct Trigger {
  std::string name;
  ObjectName parent;
  bool database_level = false;
  TriggerTiming timing = TriggerTiming::kUnspecified;
  std::vector<std::string> events;
  std::vector<ObjectReference> references;
  CatalogSpan body;
  CatalogSpan span;
  bool disabled = false;
  std::map<std::string, std::string> options;
};

struct Sequence {
  std::string name;
  std::optional<DataType> data_type;
  std::string start;
  std::string increment;
  std::string min_value;
  std::string max_value;
  bool cycle = false;
  std::string cache;
  CatalogSpan span;
};

enum class TypeKind { kUnspecified, kAlias, kTable, kClr };

struct UserDefinedType {
  std::string name;
  TypeKind kind = TypeKind::kUnspecified;
  std::optional<DataType> base_type;
  Nullability nullability = Nullability::kUnspecified;
  std::vector<Column> columns;
  std::vector<Constraint> constraints;
  std::vector<Index> indexes;
  bool memory_optimized = false;
  CatalogSpan span;
  std::string external_name;
};

struct Synonym {
  std::string name;
  ObjectName target;
  CatalogSpan span;
};

struct Schema {
  std::string name;
  std::string authorization;
  std::optional<CatalogSpan> span;  // the CREATE SCHEMA, if the script has one
  std::vector<Table> tables;
  std::vector<View> views;
  std::vector<Routine> routines;
  std::vector<Trigger> triggers;
  std::vector<Sequence> sequences;
  std::vector<UserDefinedType> types;
  std::vector<Synonym> synonyms;
  std::string description;

  bool empty() const {
    return tables.empty() && views.empty() && routines.empty() && triggers.empty() &&
           sequences.empty() && types.empty() && synonyms.empty() && !span.has_value();
  }
};

struct Database {
  std::string name;
  std::vector<Schema> schemas;
  std::optional<CatalogSpan> span;

  Schema* FindSchema(std::string_view schema_name);
  const Schema* FindSchema(std::string_view schema_name) const;
  // Returns the schema, appending an empty one (without a span) when it does not exist.
  Schema& GetOrAddSchema(std::string_view schema_name);
};

// Object counts over a whole catalog, for summaries, stats and tests.
struct CatalogCounts {
  int databases = 0;
  int schemas = 0;
  int tables = 0;
  int columns = 0;
  int primary_keys = 0;
  int unique_constraints = 0;
  int foreign_keys = 0;
  int check_constraints = 0;
  int default_constraints = 0;
  int indexes = 0;  // table and view indexes, not counting PK/UNIQUE constraints
  int views = 0;
  int procedures = 0;
  int functions = 0;
  int triggers = 0;
  int sequences = 0;
  int types = 0;
  int synonyms = 0;
};

struct Catalog {
  std::vector<std::string> files;  // names, indexed by CatalogSpan::file
  std::vector<Database> databases;

  Database* FindDatabase(std::string_view database_name);
  const Database* FindDatabase(std::string_view database_name) const;
  Database& GetOrAddDatabase(std::string_view database_name);

  // Finds a table by a name already resolved to database and schema.
  const Table* FindTable(std::string_view database, std::string_view schema,
                         std::string_view name) const;
  CatalogCounts Counts() const;
};

}  // namespace sqlmill::tsql

#endif  // SQLMILL_SERVICES_SQL_PARSER_ENGINE_CATALOG_H_

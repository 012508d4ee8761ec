// SQL Server data-type knowledge the validator needs independent of any target: parsing a
// type's text ("decimal(18,2)", "nvarchar(max)"), SQL Server's defaults for omitted
// lengths and scales, type families, deprecation, and on-page storage sizes for the
// 8,060-byte row limit.
//
// Owned by the schema validator. Stateless functions; thread-safe.
//
//   absl::StatusOr<tsql::DataType> t = ParseTypeText("datetime2");
//   tsql::DataType n = NormalizeType(*t);   // scale 7, text "datetime2(7)"
//   RowStorage s = StorageOf(n);            // fixed_bytes 8
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_SQL_TYPE_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_SQL_TYPE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/sql_parser/engine/catalog.h"

namespace sqlmill::validator {

enum class TypeFamily {
  kUnknown,
  kBoolean,         // bit
  kInteger,         // tinyint .. bigint
  kExactNumeric,    // decimal, numeric
  kMoney,           // money, smallmoney
  kApproxNumeric,   // float, real
  kDate,
  kTime,
  kDateTime,        // datetime, datetime2, smalldatetime
  kDateTimeOffset,
  kString,          // char, varchar, text
  kUnicodeString,   // nchar, nvarchar, ntext
  kBinary,          // binary, varbinary, image
  kGuid,
  kXml,
  kJson,
  kVariant,         // sql_variant
  kSpatial,         // geography, geometry
  kHierarchy,       // hierarchyid
  kRowVersion,      // rowversion, timestamp
  kCursor,
  kTable,
};

// Returns the family of a built-in type name (lower-case); kUnknown for user types.
TypeFamily FamilyOf(std::string_view type_name);
// Returns true for the type names SQL Server ships (after alias normalization).
bool IsBuiltinType(std::string_view type_name);
// Returns the built-in type names the validator knows, in a stable order.
const std::vector<std::string>& BuiltinTypeNames();
// Returns true for text, ntext, image and timestamp (deprecated by Microsoft).
bool IsDeprecatedType(std::string_view type_name);
// Returns true for types whose values may live off-row: (max) types, text/ntext/image, xml,
// geography/geometry, json.
bool IsLargeObject(const tsql::DataType& type);

// Parses a type as written in T-SQL: "int", "DECIMAL ( 18 , 2 )", "nvarchar(max)",
// "[dbo].[Phone]", "double precision", "xml(CONTENT dbo.Schema)". Built-in names are
// lower-cased; a schema-qualified or unknown name is a user-defined type. Returns
// INVALID_ARGUMENT naming the problem for malformed text.
absl::StatusOr<tsql::DataType> ParseTypeText(std::string_view text);

// Returns the type with SQL Server's defaults applied and aliases resolved: sysname →
// nvarchar(128), rowversion → timestamp's twin "rowversion", numeric kept, decimal/numeric
// without precision → (18,0), float without n → float(53), datetime2/time/datetimeoffset
// without scale → 7, (n)char/(var)char/(var)binary without length → 1; `text` rebuilt.
tsql::DataType NormalizeType(const tsql::DataType& type);

// Returns the canonical spelling of a (normalized) type: "decimal(18,2)", "nvarchar(max)".
std::string CanonicalTypeText(const tsql::DataType& type);

// How a column of a type counts against the 8,060-byte in-row limit.
struct RowStorage {
  int64_t fixed_bytes = 0;         // fixed-length data
  int64_t variable_max_bytes = 0;  // largest in-row size of a variable-length value
  bool variable = false;
  bool bit = false;                // bits share bytes, 8 per byte
  bool known = true;               // false for types whose size the validator can't tell
};

// Returns the storage of a normalized built-in type. LOB and (max) values count as their
// 24-byte in-row root pointer, which is what SQL Server checks the limit against.
RowStorage StorageOf(const tsql::DataType& type);

// Returns the number of decimal digits of an integer type (tinyint 3 .. bigint 19), 0 else.
int IntegerDigits(std::string_view type_name);

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_SQL_TYPE_H_

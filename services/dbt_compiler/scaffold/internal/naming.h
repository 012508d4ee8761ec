// Names for the scaffolded project: SQL Server identifiers turned into dbt-style snake_case
// names that are legal and unambiguous on a target warehouse, with every change explained.
//
// Thread-safety: SnakeCase and QuoteIdentifier are pure; a NameAllocator is one scope's
// state (a model's columns, the project's models) and is not shared between threads.
//
//   NameAllocator columns(profile, validator::IdentifierKind::kColumn, /*keep_names=*/false);
//   AllocatedName n = columns.Allocate("OrderID");   // n.name "order_id", n.reason ""
//   AllocatedName m = columns.Allocate("Order_ID");  // "order_id_2", "collides with ..."
#ifndef SQLMILL_SERVICES_DBT_COMPILER_SCAFFOLD_INTERNAL_NAMING_H_
#define SQLMILL_SERVICES_DBT_COMPILER_SCAFFOLD_INTERNAL_NAMING_H_

#include <map>
#include <string>
#include <string_view>

#include "services/schema_validator/engine/target_profile.h"

namespace sqlmill::dbt::scaffold_internal {

// "SalesOrderID" → "sales_order_id", "HTTPServer" → "http_server", "Order Details" →
// "order_details", "AddressLine1" → "address_line1", "Größe" → "grosse". ASCII letters,
// digits and underscores only (Latin-1 letters transliterated, other characters become
// separators); never empty ("_" stands in), never starting with a digit ("_" prefix).
std::string SnakeCase(std::string_view name);

// Writes an identifier for the target's SQL: as is when it is a plain, non-reserved
// identifier, else quoted with the target's quote character (backticks on BigQuery and
// Databricks, double quotes elsewhere), embedded quotes doubled (backslash-escaped for
// backticks).
std::string QuoteIdentifier(const validator::TargetProfile& profile, std::string_view name,
                            bool force_quotes = false);
bool NeedsQuotes(const validator::TargetProfile& profile, std::string_view name);
char QuoteChar(const validator::TargetProfile& profile);

struct AllocatedName {
  std::string name;    // the name to use (unquoted form)
  bool quoted = false; // true when SQL must quote it (keep_names with special characters)
  std::string reason;  // why it differs from the plain rename ("" when it does not)
};

// Hands out names within one scope: reserved words get a "_" suffix, over-long names are
// cut to the target's limit, and a name that collides on the target (same folded and
// truncated key) gets "_2", "_3", ... — in the order names are asked for, so the result
// is deterministic.
class NameAllocator {
 public:
  NameAllocator(const validator::TargetProfile& profile, validator::IdentifierKind kind, bool keep_names)
      : profile_(profile), kind_(kind), keep_names_(keep_names) {}

  // `original` is the SQL Server name; `base` the preferred new name (SnakeCase(original)
  // unless keep_names; pass "" for that default).
  AllocatedName Allocate(std::string_view original, std::string_view base = "");

 private:
  std::string Truncate(std::string_view name, size_t reserve) const;
  const validator::TargetProfile& profile_;
  validator::IdentifierKind kind_;
  bool keep_names_;
  std::map<std::string, std::string> taken_;  // collision key → the original that holds it
};

}  // namespace sqlmill::dbt::scaffold_internal

#endif  // SQLMILL_SERVICES_DBT_COMPILER_SCAFFOLD_INTERNAL_NAMING_H_

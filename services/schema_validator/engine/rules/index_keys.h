// Shared by index-duplicate and index-redundant: a table's rowstore keys (PRIMARY KEY,
// UNIQUE constraints and indexes) in one comparable form.
// Internal to the rules; stateless; thread-safe.
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_RULES_INDEX_KEYS_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_RULES_INDEX_KEYS_H_

#include <string>
#include <vector>

#include "services/schema_validator/engine/rule.h"

namespace sqlmill::validator {

struct IndexKey {
  std::string label;                 // "index IX_a", "primary key PK_t"
  std::vector<std::string> columns;  // lower-case, with " desc" for descending
  std::string filter;
  bool unique = false;
  bool is_constraint = false;
  FindingTarget target;
};

// Returns the rowstore keys of a table (columnstore, XML, spatial and full-text indexes are
// left out: they are not comparable by key columns).
std::vector<IndexKey> RowstoreKeys(const SchemaScope& s, const tsql::Table& t);

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_RULES_INDEX_KEYS_H_

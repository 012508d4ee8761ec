// The in-row size of a SQL Server table's rows, for the 8,060-byte row limit, computed from
// the column types as Microsoft documents the record layout: 4 bytes of header, the
// fixed-length data (bits packed 8 to a byte), 2 bytes of column count, the NULL bitmap
// (one bit per column), and — when there are variable-length columns — 2 bytes of count,
// 2 bytes of offset per variable column and their data. (max)/LOB columns count as their
// 24-byte in-row pointer; non-persisted computed columns take no space.
//
// Stateless; thread-safe.
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_ROW_SIZE_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_ROW_SIZE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "services/schema_validator/engine/catalog_index.h"

namespace sqlmill::validator {

struct RowSize {
  int64_t min_bytes = 0;  // header + fixed-length data + bitmap: every row takes this much
  int64_t max_bytes = 0;  // with every variable-length column at its maximum in-row size
  int stored_columns = 0;
  int variable_columns = 0;
  std::vector<std::string> unknown_columns;  // types whose size is unknown (CLR, unresolved)
};

RowSize ComputeRowSize(const tsql::Table& table, const CatalogIndex& index);

constexpr int64_t kMaxRowBytes = 8060;

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_ROW_SIZE_H_

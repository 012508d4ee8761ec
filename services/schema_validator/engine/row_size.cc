// Row size from the record layout described in row_size.h.
#include "services/schema_validator/engine/row_size.h"

#include "services/schema_validator/engine/sql_type.h"

namespace sqlmill::validator {

RowSize ComputeRowSize(const tsql::Table& table, const CatalogIndex& index) {
  RowSize out;
  int64_t fixed = 0;
  int64_t variable = 0;
  int bits = 0;
  for (const tsql::Column& c : table.columns) {
    if (c.computed && !c.computed->persisted) continue;
    if (!c.data_type) {
      out.unknown_columns.push_back(c.name);
      continue;
    }
    const tsql::DataType* t = index.BaseType(table, c);
    if (!t) {
      out.unknown_columns.push_back(c.name);
      continue;
    }
    const RowStorage s = StorageOf(*t);
    if (!s.known) {
      out.unknown_columns.push_back(c.name);
      continue;
    }
    ++out.stored_columns;
    if (s.bit) {
      ++bits;
    } else if (s.variable) {
      ++out.variable_columns;
      variable += s.variable_max_bytes;
    } else {
      fixed += s.fixed_bytes;
    }
  }
  const int64_t columns = out.stored_columns + static_cast<int64_t>(out.unknown_columns.size());
  const int64_t base = 4 + fixed + (bits + 7) / 8 + 2 + (columns + 7) / 8;
  out.min_bytes = base;
  out.max_bytes = base + (out.variable_columns > 0 ? 2 + 2 * out.variable_columns + variable : 0);
  return out;
}

}  // namespace sqlmill::validator

// Reads the allowed values out of a simple CHECK constraint, for dbt's accepted_values test:
// `col IN (lit, ...)`, or the OR chain SQL Server scripts it as (`[col]='a' OR [col]='b'`),
// in any nesting of parentheses. Anything else (NOT IN, LIKE, ranges, functions, two
// columns, mixed strings and numbers) is not simple and yields nothing.
//
// Thread-safety: pure function.
#ifndef SQLMILL_SERVICES_DBT_COMPILER_SCAFFOLD_INTERNAL_CHECK_VALUES_H_
#define SQLMILL_SERVICES_DBT_COMPILER_SCAFFOLD_INTERNAL_CHECK_VALUES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sqlmill::dbt::scaffold_internal {

struct CheckValues {
  std::string column;               // as written, brackets/quotes removed
  std::vector<std::string> values;  // string values unescaped; numbers as written
  bool strings = true;              // false: the values are numbers (quote: false)
};

std::optional<CheckValues> ParseCheckValues(std::string_view expression);

}  // namespace sqlmill::dbt::scaffold_internal

#endif  // SQLMILL_SERVICES_DBT_COMPILER_SCAFFOLD_INTERNAL_CHECK_VALUES_H_

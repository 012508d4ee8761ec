// JSON reading and writing for Values: the CLI's --context file, the differential harness
// driver, and the `tojson` filter. Output matches Python's json.dumps (", " and ": "
// separators, ensure_ascii escapes, floats as Python's repr, NaN/Infinity), optionally with
// sorted keys and indentation.
//
// Free functions; thread-safe.
//
//   SQLMILL_ASSIGN_OR_RETURN(Value ctx, ParseJson(R"({"n": [1, 2.5, "x"]})"));
//   SQLMILL_ASSIGN_OR_RETURN(std::string text, ToJson(ctx, {}));
#ifndef SQLMILL_SERVICES_DBT_COMPILER_JINJA_JSON_H_
#define SQLMILL_SERVICES_DBT_COMPILER_JINJA_JSON_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/dbt_compiler/jinja/value.h"

namespace sqlmill::jinja {

struct JsonWriteOptions {
  bool sort_keys = false;
  int indent = -1;  // < 0: one line
  bool ensure_ascii = true;
};

// Parses JSON text into a Value (objects become insertion-ordered dicts; integers without
// fraction or exponent become ints). INVALID_ARGUMENT with an offset on bad input.
absl::StatusOr<Value> ParseJson(std::string_view text);
// Serializes a Value. Undefined and non-data objects are errors; tuples are arrays.
absl::StatusOr<std::string> ToJson(const Value& value, const JsonWriteOptions& options);

}  // namespace sqlmill::jinja

#endif  // SQLMILL_SERVICES_DBT_COMPILER_JINJA_JSON_H_

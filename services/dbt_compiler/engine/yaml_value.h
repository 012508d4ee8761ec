// YAML text into jinja::Value trees, with the scalar typing PyYAML (which dbt uses) gives
// plain scalars: null/~, true/false/yes/no/on/off, ints (decimal, 0x, 0o), floats (.5, 1e3,
// .inf, .nan); quoted scalars stay strings. Mappings keep their key order.
//
// yaml-cpp's exceptions are caught here and returned as INVALID_ARGUMENT
// "file:line:column: message". Free functions; thread-safe.
//
//   SQLMILL_ASSIGN_OR_RETURN(jinja::Value doc, ParseYaml(text, "models/schema.yml"));
#ifndef SQLMILL_SERVICES_DBT_COMPILER_ENGINE_YAML_VALUE_H_
#define SQLMILL_SERVICES_DBT_COMPILER_ENGINE_YAML_VALUE_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/dbt_compiler/jinja/value.h"

namespace sqlmill::dbt {

// Parses one YAML document. An empty document is None.
absl::StatusOr<jinja::Value> ParseYaml(std::string_view text, std::string_view file);
// Serializes a value as block-style YAML (toyaml); sort_keys orders mapping keys.
std::string ToYaml(const jinja::Value& value, bool sort_keys = false);

// Small accessors for YAML-derived values (dicts with string keys).
const jinja::Value* Get(const jinja::Value& dict, std::string_view key);
// The string form of a scalar key, or "" when absent/None.
std::string GetString(const jinja::Value& dict, std::string_view key);
// Python's str() of a value, as dbt formats test arguments.
std::string PyStr(const jinja::Value& v);

}  // namespace sqlmill::dbt

#endif  // SQLMILL_SERVICES_DBT_COMPILER_ENGINE_YAML_VALUE_H_

// Small helpers over yaml-cpp for the validator's YAML inputs (rule configuration, target
// profiles, test fixtures): loading without exceptions and typed scalar reads whose errors
// are INVALID_ARGUMENT "file:line:column: what was found, what was expected".
//
// Internal to the schema validator engine. Stateless; thread-safe.
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_YAML_UTIL_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_YAML_UTIL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/base/diagnostic.h"
#include "yaml-cpp/yaml.h"

namespace sqlmill::validator {

// Parses a YAML document; a syntax error becomes INVALID_ARGUMENT naming file:line:column.
// An empty document yields a null node.
absl::StatusOr<YAML::Node> YamlLoad(std::string_view text, std::string_view file);

// Returns INVALID_ARGUMENT "file:line:col: message" at the node's position.
absl::Status YamlError(std::string_view file, const YAML::Node& node, std::string_view message);
// Returns the 1-based line of a node (0 when unknown).
int YamlLine(const YAML::Node& node);

absl::StatusOr<std::string> YamlScalar(std::string_view file, const YAML::Node& node);
absl::StatusOr<int64_t> YamlInt(std::string_view file, const YAML::Node& node);
absl::StatusOr<bool> YamlBool(std::string_view file, const YAML::Node& node);
// Reads "error", "warning", "info" or "hint".
absl::StatusOr<Severity> YamlSeverity(std::string_view file, const YAML::Node& node);
// Parses a severity name; nullopt when it is not one.
std::optional<Severity> SeverityFromName(std::string_view name);

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_YAML_UTIL_H_

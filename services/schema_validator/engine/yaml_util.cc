// yaml-cpp throws on syntax errors and bad conversions; every call into it that can throw
// is wrapped here so no exception leaves the engine.
#include "services/schema_validator/engine/yaml_util.h"

#include <charconv>

#include "absl/strings/str_cat.h"
#include "common/base/strings.h"

namespace sqlmill::validator {

absl::StatusOr<YAML::Node> YamlLoad(std::string_view text, std::string_view file) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(AsAbsl(file), ":", e.mark.line + 1, ":",
                                                   e.mark.column + 1, ": bad YAML: ", e.msg));
  }
}

int YamlLine(const YAML::Node& node) {
  const YAML::Mark m = node.Mark();
  return m.is_null() ? 0 : m.line + 1;
}

absl::Status YamlError(std::string_view file, const YAML::Node& node, std::string_view message) {
  const YAML::Mark m = node.Mark();
  if (m.is_null()) return absl::InvalidArgumentError(absl::StrCat(AsAbsl(file), ": ", AsAbsl(message)));
  return absl::InvalidArgumentError(
      absl::StrCat(AsAbsl(file), ":", m.line + 1, ":", m.column + 1, ": ", AsAbsl(message)));
}

absl::StatusOr<std::string> YamlScalar(std::string_view file, const YAML::Node& node) {
  if (!node.IsScalar()) {
    return YamlError(file, node, node.IsNull() ? "expected a value but found nothing"
                                               : "expected a scalar value but found a list or mapping");
  }
  return node.Scalar();
}

absl::StatusOr<int64_t> YamlInt(std::string_view file, const YAML::Node& node) {
  auto s = YamlScalar(file, node);
  if (!s.ok()) return s.status();
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(s->data(), s->data() + s->size(), value);
  if (ec != std::errc() || ptr != s->data() + s->size()) {
    return YamlError(file, node, absl::StrCat("expected an integer but found '", *s, "'"));
  }
  return value;
}

absl::StatusOr<bool> YamlBool(std::string_view file, const YAML::Node& node) {
  auto s = YamlScalar(file, node);
  if (!s.ok()) return s.status();
  if (*s == "true" || *s == "yes" || *s == "on") return true;
  if (*s == "false" || *s == "no" || *s == "off") return false;
  return YamlError(file, node, absl::StrCat("expected true or false but found '", *s, "'"));
}

std::optional<Severity> SeverityFromName(std::string_view name) {
  if (name == "error") return Severity::kError;
  if (name == "warning") return Severity::kWarning;
  if (name == "info") return Severity::kInfo;
  if (name == "hint") return Severity::kHint;
  return std::nullopt;
}

absl::StatusOr<Severity> YamlSeverity(std::string_view file, const YAML::Node& node) {
  auto s = YamlScalar(file, node);
  if (!s.ok()) return s.status();
  std::optional<Severity> sev = SeverityFromName(*s);
  if (!sev) {
    return YamlError(file, node,
                     absl::StrCat("expected a severity (error, warning, info, hint) but found '", *s, "'"));
  }
  return *sev;
}

}  // namespace sqlmill::validator

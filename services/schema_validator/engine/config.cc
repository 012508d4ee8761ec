// YAML → RuleConfig. yaml-cpp exceptions are contained by yaml_util.
#include "services/schema_validator/engine/config.h"

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "services/schema_validator/engine/yaml_util.h"

namespace sqlmill::validator {
namespace {

absl::StatusOr<std::vector<std::string>> StringList(std::string_view file, const YAML::Node& node) {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
    return out;
  }
  if (!node.IsSequence()) return YamlError(file, node, "expected a list of strings");
  for (const auto& item : node) {
    SQLMILL_ASSIGN_OR_RETURN(std::string s, YamlScalar(file, item));
    out.push_back(std::move(s));
  }
  return out;
}

absl::Status ParseRuleSetting(std::string_view file, const YAML::Node& node, RuleSetting* s) {
  s->line = YamlLine(node);
  if (node.IsScalar()) {
    const std::string& v = node.Scalar();
    if (std::optional<Severity> sev = SeverityFromName(v)) {
      s->severity = *sev;
      s->enabled = true;
      return absl::OkStatus();
    }
    auto b = YamlBool(file, node);
    if (!b.ok()) {
      return YamlError(file, node,
                       absl::StrCat("expected on, off or a severity (error, warning, info, hint) "
                                    "but found '", v, "'"));
    }
    s->enabled = *b;
    return absl::OkStatus();
  }
  if (!node.IsMap()) return YamlError(file, node, "expected on/off, a severity, or a mapping");
  for (const auto& kv : node) {
    SQLMILL_ASSIGN_OR_RETURN(std::string key, YamlScalar(file, kv.first));
    if (key == "enabled") {
      SQLMILL_ASSIGN_OR_RETURN(bool b, YamlBool(file, kv.second));
      s->enabled = b;
    } else if (key == "severity") {
      SQLMILL_ASSIGN_OR_RETURN(Severity sev, YamlSeverity(file, kv.second));
      s->severity = sev;
    } else if (key == "parameters" || key == "params") {
      if (!kv.second.IsMap()) return YamlError(file, kv.second, "expected a mapping of parameters");
      for (const auto& p : kv.second) {
        SQLMILL_ASSIGN_OR_RETURN(std::string name, YamlScalar(file, p.first));
        std::string value;
        if (p.second.IsSequence()) {
          SQLMILL_ASSIGN_OR_RETURN(std::vector<std::string> items, StringList(file, p.second));
          for (size_t i = 0; i < items.size(); ++i) absl::StrAppend(&value, i ? "," : "", items[i]);
        } else {
          SQLMILL_ASSIGN_OR_RETURN(value, YamlScalar(file, p.second));
        }
        s->parameters[name] = value;
        s->parameter_lines[name] = YamlLine(p.first);
      }
    } else {
      return YamlError(file, kv.first,
                       absl::StrCat("unknown key '", key, "' (expected enabled, severity, parameters)"));
    }
  }
  return absl::OkStatus();
}

absl::Status ParseCustomRule(std::string_view file, const YAML::Node& node, CustomRuleSpec* r) {
  r->line = YamlLine(node);
  if (!node.IsMap()) return YamlError(file, node, "expected a mapping describing a custom rule");
  for (const auto& kv : node) {
    SQLMILL_ASSIGN_OR_RETURN(std::string key, YamlScalar(file, kv.first));
    const YAML::Node& v = kv.second;
    if (key == "id") {
      SQLMILL_ASSIGN_OR_RETURN(r->id, YamlScalar(file, v));
    } else if (key == "description") {
      SQLMILL_ASSIGN_OR_RETURN(r->description, YamlScalar(file, v));
    } else if (key == "severity") {
      SQLMILL_ASSIGN_OR_RETURN(Severity sev, YamlSeverity(file, v));
      r->severity = sev;
    } else if (key == "object_kind" || key == "kind") {
      SQLMILL_ASSIGN_OR_RETURN(r->object_kind, YamlScalar(file, v));
    } else if (key == "name_pattern" || key == "name") {
      SQLMILL_ASSIGN_OR_RETURN(r->name_pattern, YamlScalar(file, v));
    } else if (key == "require") {
      SQLMILL_ASSIGN_OR_RETURN(r->require, StringList(file, v));
    } else if (key == "forbid") {
      SQLMILL_ASSIGN_OR_RETURN(r->forbid, StringList(file, v));
    } else if (key == "message") {
      SQLMILL_ASSIGN_OR_RETURN(r->message, YamlScalar(file, v));
    } else {
      return YamlError(file, kv.first,
                       absl::StrCat("unknown key '", key, "' in a custom rule (expected id, "
                                    "description, severity, object_kind, name_pattern, require, "
                                    "forbid, message)"));
    }
  }
  if (r->id.empty()) return YamlError(file, node, "a custom rule needs an id");
  if (r->object_kind.empty()) return YamlError(file, node, "a custom rule needs an object_kind");
  if (r->require.empty() && r->forbid.empty()) {
    return YamlError(file, node, "a custom rule needs at least one require or forbid condition");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RuleConfig> ParseRuleConfigYaml(std::string_view yaml, std::string_view file) {
  RuleConfig config;
  config.file = std::string(file);
  SQLMILL_ASSIGN_OR_RETURN(YAML::Node root, YamlLoad(yaml, file));
  if (root.IsNull()) return config;
  if (!root.IsMap()) return YamlError(file, root, "expected a mapping at the top level");
  for (const auto& kv : root) {
    SQLMILL_ASSIGN_OR_RETURN(std::string key, YamlScalar(file, kv.first));
    const YAML::Node& v = kv.second;
    if (key == "only") {
      SQLMILL_ASSIGN_OR_RETURN(std::vector<std::string> ids, StringList(file, v));
      config.only = std::move(ids);
      config.only_line = YamlLine(kv.first);
    } else if (key == "rules") {
      if (v.IsNull()) continue;
      if (!v.IsMap()) return YamlError(file, v, "expected a mapping of rule ids");
      for (const auto& r : v) {
        SQLMILL_ASSIGN_OR_RETURN(std::string id, YamlScalar(file, r.first));
        RuleSetting& s = config.rules[id];
        SQLMILL_RETURN_IF_ERROR(ParseRuleSetting(file, r.second, &s));
        s.line = YamlLine(r.first);
      }
    } else if (key == "ignore") {
      if (v.IsNull()) continue;
      if (!v.IsSequence()) return YamlError(file, v, "expected a list of {rule, object} entries");
      for (const auto& e : v) {
        IgnoreEntry entry;
        entry.line = YamlLine(e);
        if (e.IsScalar()) {  // a bare pattern ignores every rule
          entry.rule_id = "*";
          entry.object_pattern = e.Scalar();
        } else if (e.IsMap()) {
          for (const auto& f : e) {
            SQLMILL_ASSIGN_OR_RETURN(std::string k, YamlScalar(file, f.first));
            SQLMILL_ASSIGN_OR_RETURN(std::string s, YamlScalar(file, f.second));
            if (k == "rule" || k == "rule_id") entry.rule_id = s;
            else if (k == "object" || k == "object_pattern") entry.object_pattern = s;
            else return YamlError(file, f.first, absl::StrCat("unknown key '", k, "' (expected rule, object)"));
          }
        } else {
          return YamlError(file, e, "expected {rule: ID, object: PATTERN}");
        }
        if (entry.rule_id.empty()) entry.rule_id = "*";
        if (entry.object_pattern.empty()) entry.object_pattern = "**";
        config.ignore.push_back(std::move(entry));
      }
    } else if (key == "custom_rules") {
      if (v.IsNull()) continue;
      if (!v.IsSequence()) return YamlError(file, v, "expected a list of custom rules");
      for (const auto& c : v) {
        CustomRuleSpec spec;
        SQLMILL_RETURN_IF_ERROR(ParseCustomRule(file, c, &spec));
        config.custom_rules.push_back(std::move(spec));
      }
    } else {
      return YamlError(file, kv.first,
                       absl::StrCat("unknown top-level key '", key,
                                    "' (expected only, rules, ignore, custom_rules)"));
    }
  }
  return config;
}

void MergeRuleConfig(const RuleConfig& overlay, RuleConfig* base) {
  if (overlay.only) {
    base->only = overlay.only;
    base->only_line = overlay.only_line;
  }
  for (const auto& [id, s] : overlay.rules) {
    RuleSetting& b = base->rules[id];
    if (s.enabled) b.enabled = s.enabled;
    if (s.severity) b.severity = s.severity;
    for (const auto& [k, v] : s.parameters) b.parameters[k] = v;
    for (const auto& [k, v] : s.parameter_lines) b.parameter_lines[k] = v;
    if (s.line > 0) b.line = s.line;
  }
  base->ignore.insert(base->ignore.end(), overlay.ignore.begin(), overlay.ignore.end());
  base->custom_rules.insert(base->custom_rules.end(), overlay.custom_rules.begin(),
                            overlay.custom_rules.end());
}

std::string ConfigWhere(const RuleConfig& config, int line) {
  return line > 0 ? absl::StrCat(config.file, ":", line) : config.file;
}

}  // namespace sqlmill::validator

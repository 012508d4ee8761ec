// YAML ↔ jinja::Value. yaml-cpp exceptions stop here (turned into statuses). Thread-safe.
#include "services/dbt_compiler/engine/yaml_value.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/base/strings.h"
#include "yaml-cpp/yaml.h"

namespace sqlmill::dbt {
namespace {

using jinja::Value;

bool ParseIntScalar(std::string s, int64_t* out) {
  s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
  if (s.empty()) return false;
  size_t i = 0;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    i = 1;
  }
  if (i >= s.size()) return false;
  int base = 10;
  if (s.size() > i + 1 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
    base = 16;
    i += 2;
  } else if (s.size() > i + 1 && s[i] == '0' && (s[i + 1] == 'o' || s[i + 1] == 'O')) {
    base = 8;
    i += 2;
  } else if (s.size() > i + 1 && s[i] == '0') {
    base = 8;  // YAML 1.1 octal (PyYAML): 012
  }
  if (i >= s.size()) return false;
  for (size_t j = i; j < s.size(); ++j) {
    const char c = s[j];
    const bool ok = base == 16 ? std::isxdigit(static_cast<unsigned char>(c)) != 0
                               : (c >= '0' && c < static_cast<char>('0' + base));
    if (!ok) return false;
  }
  errno = 0;
  const long long v = std::strtoll(s.c_str() + i, nullptr, base);
  if (errno == ERANGE) return false;
  *out = neg ? -v : v;
  return true;
}

bool ParseFloatScalar(const std::string& raw, double* out) {
  std::string s = raw;
  s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
  const std::string lower = absl::AsciiStrToLower(s);
  if (lower == ".inf" || lower == "+.inf") {
    *out = std::numeric_limits<double>::infinity();
    return true;
  }
  if (lower == "-.inf") {
    *out = -std::numeric_limits<double>::infinity();
    return true;
  }
  if (lower == ".nan") {
    *out = std::nan("");
    return true;
  }
  // PyYAML's float: [-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+][0-9]+)? (a dot is required) or
  // exponent forms; accept digits with a dot or an exponent.
  bool digit = false, dot = false, exp = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digit = true;
    } else if (c == '.') {
      if (dot || exp) return false;
      dot = true;
    } else if ((c == 'e' || c == 'E') && digit && !exp) {
      exp = true;
      if (i + 1 < s.size() && (s[i + 1] == '+' || s[i + 1] == '-')) ++i;
      if (i + 1 >= s.size()) return false;
    } else if ((c == '+' || c == '-') && i == 0) {
    } else {
      return false;
    }
  }
  if (!digit || (!dot && !exp)) return false;
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return end != nullptr && *end == '\0';
}

Value ScalarValue(const YAML::Node& node) {
  const std::string& s = node.Scalar();
  if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str") return Value::String(s);
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return Value::None();
  if (s == "true" || s == "True" || s == "TRUE" || s == "yes" || s == "Yes" || s == "YES" ||
      s == "on" || s == "On" || s == "ON") {
    return Value::Bool(true);
  }
  if (s == "false" || s == "False" || s == "FALSE" || s == "no" || s == "No" || s == "NO" ||
      s == "off" || s == "Off" || s == "OFF") {
    return Value::Bool(false);
  }
  int64_t i;
  if (ParseIntScalar(s, &i)) return Value::Int(i);
  double d;
  if (ParseFloatScalar(s, &d)) return Value::Float(d);
  return Value::String(s);
}

Value Convert(const YAML::Node& node, int depth) {
  if (depth > 200) return Value::None();
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return Value::None();
    case YAML::NodeType::Scalar:
      return ScalarValue(node);
    case YAML::NodeType::Sequence: {
      std::vector<Value> items;
      items.reserve(node.size());
      for (const auto& child : node) items.push_back(Convert(child, depth + 1));
      return Value::List(std::move(items));
    }
    case YAML::NodeType::Map: {
      Value dict = Value::Dict();
      // Merge keys (`<<: *defaults`, or a list of them) as PyYAML's safe_load applies them:
      // the merged mappings' keys come first (of a list, the later mappings' first, the
      // earlier ones winning), then the mapping's own keys override them.
      for (const auto& kv : node) {
        if (!kv.first.IsScalar() || kv.first.Scalar() != "<<" || kv.first.Tag() == "!") continue;
        std::vector<YAML::Node> merged;
        if (kv.second.IsMap()) merged.push_back(kv.second);
        if (kv.second.IsSequence()) {
          for (const auto& m : kv.second) {
            if (m.IsMap()) merged.insert(merged.begin(), m);
          }
        }
        for (const YAML::Node& m : merged) {
          Value part = Convert(m, depth + 1);
          for (const auto& [k, v] : part.dict()->entries()) dict.dict()->Set(k, v);
        }
      }
      for (const auto& kv : node) {
        if (kv.first.IsScalar() && kv.first.Scalar() == "<<" && kv.first.Tag() != "!" &&
            (kv.second.IsMap() || kv.second.IsSequence())) {
          continue;
        }
        if (kv.first.IsSequence() || kv.first.IsMap()) {
          // PyYAML's safe_load refuses these too ("found unhashable key").
          throw YAML::Exception(kv.first.Mark(), "found unhashable key: a mapping key must be a scalar");
        }
        Value key = Convert(kv.first, depth + 1);
        if (key.is_none()) key = Value::String("null");
        dict.dict()->Set(std::move(key), Convert(kv.second, depth + 1));
      }
      return dict;
    }
  }
  return Value::None();
}

bool NeedsQuotes(const std::string& s) {
  if (s.empty()) return true;
  Value probe;
  YAML::Node n(s);
  // A plain scalar that would read back as something other than this string needs quotes.
  static const char* kSpecial = ":#{}[],&*!|>'\"%@`";
  if (s.find_first_of(kSpecial) != std::string::npos) return true;
  if (std::isspace(static_cast<unsigned char>(s.front())) ||
      std::isspace(static_cast<unsigned char>(s.back())) || s.front() == '-' || s.front() == '?') {
    return true;
  }
  int64_t i;
  double d;
  const std::string lower = absl::AsciiStrToLower(s);
  if (ParseIntScalar(s, &i) || ParseFloatScalar(s, &d)) return true;
  for (const char* w : {"null", "~", "true", "false", "yes", "no", "on", "off"}) {
    if (lower == w) return true;
  }
  return s.find('\n') != std::string::npos;
}

void EmitScalar(const Value& v, std::string* out) {
  switch (v.kind()) {
    case jinja::ValueKind::kNone:
    case jinja::ValueKind::kUndefined:
      out->append("null");
      return;
    case jinja::ValueKind::kBool:
      out->append(v.as_bool() ? "true" : "false");
      return;
    case jinja::ValueKind::kString: {
      const std::string& s = v.as_string();
      // Line breaks and other control characters only survive in double quotes (a
      // single-quoted scalar folds line breaks into spaces), as PyYAML writes them.
      const bool control =
          std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
      if (!control && !NeedsQuotes(s)) {
        out->append(s);
        return;
      }
      if (control) {
        static const char kHex[] = "0123456789abcdef";
        out->push_back('"');
        for (char c : s) {
          const unsigned char u = static_cast<unsigned char>(c);
          if (c == '"' || c == '\\') {
            out->push_back('\\');
            out->push_back(c);
          } else if (c == '\n') {
            out->append("\\n");
          } else if (c == '\t') {
            out->append("\\t");
          } else if (u < 0x20 || u == 0x7f) {
            out->append("\\x");
            out->push_back(kHex[u >> 4]);
            out->push_back(kHex[u & 15]);
          } else {
            out->push_back(c);
          }
        }
        out->push_back('"');
        return;
      }
      out->push_back('\'');
      for (char c : s) {
        if (c == '\'') out->push_back('\'');
        out->push_back(c);
      }
      out->push_back('\'');
      return;
    }
    case jinja::ValueKind::kFloat: {
      // YAML spells the special floats .inf, -.inf and .nan (PyYAML writes them so).
      const double d = v.as_double();
      if (std::isnan(d)) {
        out->append(".nan");
      } else if (std::isinf(d)) {
        out->append(d > 0 ? ".inf" : "-.inf");
      } else {
        out->append(v.Str());
      }
      return;
    }
    default:
      out->append(v.Str());
  }
}

void EmitYaml(const Value& v, int indent, bool sort_keys, std::string* out) {
  const std::string pad(indent, ' ');
  if (v.is_dict()) {
    if (v.dict()->size() == 0) {
      out->append("{}\n");
      return;
    }
    std::vector<std::pair<Value, Value>> entries = v.dict()->entries();
    if (sort_keys) {
      std::sort(entries.begin(), entries.end(),
                [](const auto& a, const auto& b) { return a.first.Str() < b.first.Str(); });
    }
    bool first = true;
    for (const auto& [k, val] : entries) {
      if (!first || indent > 0) out->append(pad);
      first = false;
      EmitScalar(k, out);
      out->push_back(':');
      if ((val.is_dict() && val.dict()->size() > 0) || (val.is_sequence() && !val.items().empty())) {
        out->push_back('\n');
        EmitYaml(val, val.is_dict() ? indent + 2 : indent, sort_keys, out);
      } else {
        out->push_back(' ');
        if (val.is_dict()) {
          out->append("{}\n");
        } else if (val.is_sequence()) {
          out->append("[]\n");
        } else {
          EmitScalar(val, out);
          out->push_back('\n');
        }
      }
    }
    return;
  }
  if (v.is_sequence()) {
    if (v.items().empty()) {
      out->append("[]\n");
      return;
    }
    for (const auto& item : v.items()) {
      out->append(pad);
      out->append("- ");
      if (item.is_dict() && item.dict()->size() > 0) {
        std::string nested;
        EmitYaml(item, indent + 2, sort_keys, &nested);
        // The mapping's first key follows "- " directly, the others line up under it.
        const size_t first_pad = std::min(nested.find_first_not_of(' '), static_cast<size_t>(indent + 2));
        out->append(nested, first_pad, std::string::npos);
      } else if (item.is_sequence() && !item.items().empty()) {
        out->push_back('\n');
        EmitYaml(item, indent + 2, sort_keys, out);
      } else {
        EmitScalar(item, out);
        out->push_back('\n');
      }
    }
    return;
  }
  EmitScalar(v, out);
  out->push_back('\n');
}

}  // namespace

absl::StatusOr<Value> ParseYaml(std::string_view text, std::string_view file) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    return Convert(root, 0);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(AsAbsl(file), ":", e.mark.line + 1, ":",
                                                   e.mark.column + 1, ": invalid YAML: ", e.msg));
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(AsAbsl(file), ": invalid YAML: ", e.what()));
  }
}

std::string ToYaml(const Value& value, bool sort_keys) {
  std::string out;
  EmitYaml(value, 0, sort_keys, &out);
  return out;
}

const Value* Get(const Value& dict, std::string_view key) {
  if (!dict.is_dict()) return nullptr;
  return dict.dict()->FindStr(key);
}

std::string GetString(const Value& dict, std::string_view key) {
  const Value* v = Get(dict, key);
  if (v == nullptr || v->is_none() || v->is_undefined()) return "";
  return v->Str();
}

std::string PyStr(const Value& v) {
  if (v.is_none()) return "None";
  return v.Str();
}

}  // namespace sqlmill::dbt

// YAML ↔ jinja::Value. yaml-cpp exceptions stop here (turned into statuses). Thread-safe.
#include "services/dbt_compiler/engine/yaml_value.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/source_span.h"
#include "common/base/strings.h"
#include "common/base/utf8.h"
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

// yaml-cpp turns the escapes \N and \_ into the single bytes 0x85 and 0xA0 instead of the
// UTF-8 of U+0085 and U+00A0. The text it read was valid UTF-8, so a byte that does not fit
// came from one of those escapes.
const std::string& RepairEscapes(const std::string& s, std::string* storage) {
  size_t bad = FindInvalidUtf8(s);
  if (bad == std::string_view::npos) return s;
  storage->assign(s, 0, bad);
  while (bad != std::string_view::npos) {
    const auto byte = static_cast<unsigned char>(s[bad]);
    if (byte >= 0x80 && byte <= 0xBF) {
      storage->push_back('\xC2');
      storage->push_back(s[bad]);
    } else {
      storage->append("\xEF\xBF\xBD");  // U+FFFD; not expected from valid input
    }
    const std::string_view rest = std::string_view(s).substr(bad + 1);
    const size_t next = FindInvalidUtf8(rest);
    storage->append(rest.substr(0, next));
    bad = next == std::string_view::npos ? next : bad + 1 + next;
  }
  return *storage;
}

Value ScalarValue(const YAML::Node& node) {
  std::string repaired;
  const std::string& s = RepairEscapes(node.Scalar(), &repaired);
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

// The code point of the (valid) UTF-8 sequence at `i`.
uint32_t DecodeAt(std::string_view text, size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) return c;
  const size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  uint32_t cp = c & (0x7F >> len);
  for (size_t k = 1; k < len && i + k < text.size(); ++k) cp = (cp << 6) | (text[i + k] & 0x3F);
  return cp;
}

// The offset of the first character PyYAML refuses in a stream (its Reader's NON_PRINTABLE:
// everything but tab, LF, CR, U+0020..U+007E, U+0085, U+00A0..U+D7FF, U+E000..U+FFFD and
// the planes above), or npos. `text` is valid UTF-8. yaml-cpp would instead take NULs at
// the start for a UTF-32 or UTF-16 stream.
size_t FindNonPrintable(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F) continue;
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (c < 0x80) return i;
    if (c == 0xC2) {  // U+0080..U+00BF: only NEL and U+00A0 on are printable
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next < 0xA0 && next != 0x85) return i;
    } else if (c == 0xEF && (text.substr(i + 1, 2) == "\xBF\xBE" || text.substr(i + 1, 2) == "\xBF\xBF")) {
      return i;
    }
  }
  return std::string_view::npos;
}

// The length of the character at `i` when a double-quoted scalar must write it as an escape
// (C0 and C1 controls, DEL, the YAML 1.1 line breaks NEL, LS and PS that PyYAML reads as
// line breaks, and the non-characters U+FFFE/U+FFFF), else 0. `s` is valid UTF-8.
size_t EscapeLength(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x20 || c == 0x7F) return 1;
  if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0) return 2;
  if (c == 0xE2 && s.substr(i + 1, 2) == "\x80\xA8") return 3;
  if (c == 0xE2 && s.substr(i + 1, 2) == "\x80\xA9") return 3;
  if (c == 0xEF && (s.substr(i + 1, 2) == "\xBF\xBE" || s.substr(i + 1, 2) == "\xBF\xBF")) return 3;
  return 0;
}

void AppendEscape(uint32_t cp, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  switch (cp) {
    case '\n': out->append("\\n"); return;
    case '\t': out->append("\\t"); return;
    case 0x85: out->append("\\N"); return;
    case 0x2028: out->append("\\L"); return;
    case 0x2029: out->append("\\P"); return;
    default: break;
  }
  if (cp <= 0xFF) {
    out->append("\\x");
  } else {
    out->append("\\u");
    out->push_back(kHex[(cp >> 12) & 15]);
    out->push_back(kHex[(cp >> 8) & 15]);
  }
  out->push_back(kHex[(cp >> 4) & 15]);
  out->push_back(kHex[cp & 15]);
}

bool NeedsQuotes(const std::string& s) {
  if (s.empty()) return true;
  // A leading BOM would be read as a byte order mark, not as part of the string.
  if (absl::StartsWith(s, "\xEF\xBB\xBF")) return true;
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
      bool control = false;
      for (size_t i = 0; i < s.size() && !control; ++i) control = EscapeLength(s, i) > 0;
      if (!control && !NeedsQuotes(s)) {
        out->append(s);
        return;
      }
      if (control) {
        out->push_back('"');
        for (size_t i = 0; i < s.size();) {
          const size_t n = EscapeLength(s, i);
          if (n == 0) {
            if (s[i] == '"' || s[i] == '\\') out->push_back('\\');
            out->push_back(s[i++]);
            continue;
          }
          AppendEscape(DecodeAt(s, i), out);
          i += n;
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
  // dbt decodes every file as UTF-8 before YAML sees it, and PyYAML skips a leading BOM.
  // Checking here also keeps yaml-cpp from sniffing other bytes as a UTF-16/32 mark.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (const size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
    const Location at = LineIndex(text).LocationOf(static_cast<uint32_t>(bad));
    return absl::InvalidArgumentError(absl::StrCat(AsAbsl(file), ":", at.line, ":", at.column,
                                                   ": not valid UTF-8 (byte 0x",
                                                   absl::Hex(static_cast<unsigned char>(text[bad]), absl::kZeroPad2),
                                                   "); dbt reads project files as UTF-8"));
  }
  if (const size_t bad = FindNonPrintable(text); bad != std::string_view::npos) {
    const Location at = LineIndex(text).LocationOf(static_cast<uint32_t>(bad));
    return absl::InvalidArgumentError(absl::StrCat(AsAbsl(file), ":", at.line, ":", at.column,
                                                   ": unacceptable character #x",
                                                   absl::Hex(DecodeAt(text, bad), absl::kZeroPad4),
                                                   ": special characters are not allowed"));
  }
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

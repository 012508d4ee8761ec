// Implementation of json.h. Thread-safe (no shared state).
#include "services/dbt_compiler/jinja/json.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "services/dbt_compiler/jinja/internal/value_ops.h"

namespace sqlmill::jinja {
namespace {

class JsonParser {
 public:
  explicit JsonParser(std::string_view s) : s_(s) {}

  absl::StatusOr<Value> Run() {
    Value v;
    if (!ParseValue(&v, 0)) return Error();
    SkipWs();
    if (pos_ != s_.size()) {
      error_ = "extra data after JSON value";
      return Error();
    }
    return v;
  }

 private:
  absl::Status Error() const {
    return absl::InvalidArgumentError(absl::StrCat("invalid JSON at offset ", pos_, ": ", error_));
  }
  void SkipWs() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  bool Fail(std::string msg) {
    error_ = std::move(msg);
    return false;
  }
  bool Literal(std::string_view word) {
    if (s_.compare(pos_, word.size(), word) != 0) return Fail("unexpected token");
    pos_ += word.size();
    return true;
  }
  bool ParseValue(Value* out, int depth) {
    if (depth > 500) return Fail("nesting too deep");
    SkipWs();
    if (pos_ >= s_.size()) return Fail("unexpected end of input");
    char c = s_[pos_];
    if (c == '{') {
      ++pos_;
      *out = Value::Dict();
      SkipWs();
      if (pos_ < s_.size() && s_[pos_] == '}') {
        ++pos_;
        return true;
      }
      while (true) {
        SkipWs();
        std::string key;
        if (pos_ >= s_.size() || s_[pos_] != '"') return Fail("expected a string key");
        if (!ParseString(&key)) return false;
        SkipWs();
        if (pos_ >= s_.size() || s_[pos_] != ':') return Fail("expected ':'");
        ++pos_;
        Value v;
        if (!ParseValue(&v, depth + 1)) return false;
        out->dict()->SetStr(key, std::move(v));
        SkipWs();
        if (pos_ < s_.size() && s_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < s_.size() && s_[pos_] == '}') {
          ++pos_;
          return true;
        }
        return Fail("expected ',' or '}'");
      }
    }
    if (c == '[') {
      ++pos_;
      std::vector<Value> items;
      SkipWs();
      if (pos_ < s_.size() && s_[pos_] == ']') {
        ++pos_;
        *out = Value::List();
        return true;
      }
      while (true) {
        Value v;
        if (!ParseValue(&v, depth + 1)) return false;
        items.push_back(std::move(v));
        SkipWs();
        if (pos_ < s_.size() && s_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < s_.size() && s_[pos_] == ']') {
          ++pos_;
          *out = Value::List(std::move(items));
          return true;
        }
        return Fail("expected ',' or ']'");
      }
    }
    if (c == '"') {
      std::string str;
      if (!ParseString(&str)) return false;
      *out = Value::String(std::move(str));
      return true;
    }
    if (c == 't') {
      *out = Value::Bool(true);
      return Literal("true");
    }
    if (c == 'f') {
      *out = Value::Bool(false);
      return Literal("false");
    }
    if (c == 'n') {
      *out = Value::None();
      return Literal("null");
    }
    if (c == 'N') {
      *out = Value::Float(NAN);
      return Literal("NaN");
    }
    if (c == 'I') {
      *out = Value::Float(INFINITY);
      return Literal("Infinity");
    }
    if (c == '-' && s_.compare(pos_, 9, "-Infinity") == 0) {
      pos_ += 9;
      *out = Value::Float(-INFINITY);
      return true;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      size_t start = pos_;
      bool is_float = false;
      if (s_[pos_] == '-') ++pos_;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      if (pos_ < s_.size() && s_[pos_] == '.') {
        is_float = true;
        ++pos_;
        while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      }
      if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
        is_float = true;
        ++pos_;
        if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
        while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      }
      std::string num(s_.substr(start, pos_ - start));
      if (!is_float) {
        errno = 0;
        long long v = std::strtoll(num.c_str(), nullptr, 10);
        if (errno == ERANGE) {
          *out = Value::Float(std::strtod(num.c_str(), nullptr));
        } else {
          *out = Value::Int(v);
        }
      } else {
        *out = Value::Float(std::strtod(num.c_str(), nullptr));
      }
      return true;
    }
    return Fail("unexpected character");
  }
  bool Hex4(uint32_t* out) {
    if (pos_ + 4 > s_.size()) return Fail("truncated \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_ + i];
      int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                                               : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
      if (d < 0) return Fail("bad \\u escape");
      v = v * 16 + d;
    }
    pos_ += 4;
    *out = v;
    return true;
  }
  bool ParseString(std::string* out) {
    ++pos_;  // '"'
    while (pos_ < s_.size()) {
      char c = s_[pos_++];
      if (c == '"') return true;
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (pos_ >= s_.size()) break;
      char e = s_[pos_++];
      switch (e) {
        case '"': out->push_back('"'); break;
        case '\\': out->push_back('\\'); break;
        case '/': out->push_back('/'); break;
        case 'b': out->push_back('\b'); break;
        case 'f': out->push_back('\f'); break;
        case 'n': out->push_back('\n'); break;
        case 'r': out->push_back('\r'); break;
        case 't': out->push_back('\t'); break;
        case 'u': {
          uint32_t cp;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xd800 && cp < 0xdc00 && s_.compare(pos_, 2, "\\u") == 0) {
            pos_ += 2;
            uint32_t lo;
            if (!Hex4(&lo)) return false;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          }
          internal::AppendUtf8(cp, out);
          break;
        }
        default:
          return Fail("bad escape");
      }
    }
    return Fail("unterminated string");
  }

  std::string_view s_;
  size_t pos_ = 0;
  std::string error_;
};

void WriteString(std::string_view s, bool ensure_ascii, std::string* out) {
  out->push_back('"');
  auto cps = internal::DecodeUtf8(s);
  for (uint32_t c : cps) {
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      case '\b': *out += "\\b"; break;
      case '\f': *out += "\\f"; break;
      default: {
        char buf[16];
        if (c < 0x20 || (ensure_ascii && c >= 0x7f)) {
          if (c >= 0x10000) {
            uint32_t v = c - 0x10000;
            std::snprintf(buf, sizeof(buf), "\\u%04x\\u%04x", 0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
          } else {
            std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          }
          *out += buf;
        } else {
          internal::AppendUtf8(c, out);
        }
      }
    }
  }
  out->push_back('"');
}

absl::Status Write(const Value& v, const JsonWriteOptions& o, int level, std::string* out) {
  if (level > 500) return absl::InvalidArgumentError("JSON nesting too deep");
  auto newline = [&](int lvl) {
    if (o.indent < 0) return;
    out->push_back('\n');
    out->append(static_cast<size_t>(o.indent) * lvl, ' ');
  };
  const char* item_sep = o.indent < 0 ? ", " : ",";
  switch (v.kind()) {
    case ValueKind::kNone:
      *out += "null";
      return absl::OkStatus();
    case ValueKind::kBool:
      *out += v.as_bool() ? "true" : "false";
      return absl::OkStatus();
    case ValueKind::kInt:
      *out += std::to_string(v.as_int());
      return absl::OkStatus();
    case ValueKind::kFloat: {
      double d = v.as_double();
      if (std::isnan(d)) *out += "NaN";
      else if (std::isinf(d)) *out += d > 0 ? "Infinity" : "-Infinity";
      else *out += FormatFloat(d);
      return absl::OkStatus();
    }
    case ValueKind::kString:
      WriteString(v.as_string(), o.ensure_ascii, out);
      return absl::OkStatus();
    case ValueKind::kList:
    case ValueKind::kTuple: {
      if (v.items().empty()) {
        *out += "[]";
        return absl::OkStatus();
      }
      out->push_back('[');
      for (size_t i = 0; i < v.items().size(); ++i) {
        if (i) *out += item_sep;
        newline(level + 1);
        if (auto s = Write(v.items()[i], o, level + 1, out); !s.ok()) return s;
      }
      newline(level);
      out->push_back(']');
      return absl::OkStatus();
    }
    case ValueKind::kDict: {
      if (v.dict()->size() == 0) {
        *out += "{}";
        return absl::OkStatus();
      }
      std::vector<std::pair<Value, Value>> entries = v.dict()->entries();
      if (o.sort_keys) {
        absl::Status err;
        std::stable_sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) {
          auto lt = LessThan(a.first, b.first);
          if (!lt.ok()) {
            err = lt.status();
            return false;
          }
          return *lt;
        });
        if (!err.ok()) return err;
      }
      out->push_back('{');
      bool first = true;
      for (const auto& [k, x] : entries) {
        if (!first) *out += item_sep;
        first = false;
        newline(level + 1);
        if (k.is_string()) {
          WriteString(k.as_string(), o.ensure_ascii, out);
        } else if (k.is_int() || k.is_float() || k.is_bool() || k.is_none()) {
          std::string key = k.is_none() ? "null" : k.is_bool() ? (k.as_bool() ? "true" : "false") : k.Repr();
          WriteString(key, o.ensure_ascii, out);
        } else {
          return absl::InvalidArgumentError(absl::StrCat("keys must be str, int, float, bool or None, not ",
                                                         std::string(k.TypeName())));
        }
        *out += ": ";
        if (auto s = Write(x, o, level + 1, out); !s.ok()) return s;
      }
      newline(level);
      out->push_back('}');
      return absl::OkStatus();
    }
    default:
      return absl::InvalidArgumentError(absl::StrCat("Object of type ", std::string(v.TypeName()),
                                                     " is not JSON serializable"));
  }
}

}  // namespace

absl::StatusOr<Value> ParseJson(std::string_view text) { return JsonParser(text).Run(); }

absl::StatusOr<std::string> ToJson(const Value& value, const JsonWriteOptions& options) {
  std::string out;
  if (auto s = Write(value, options, 0, &out); !s.ok()) return s;
  return out;
}

}  // namespace sqlmill::jinja

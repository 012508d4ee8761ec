// Implementation of value_ops.h: Python arithmetic, containment, iteration, access,
// slicing, UTF-8 helpers and string formatting. Thread-safe (no shared state).
#include "services/dbt_compiler/jinja/internal/value_ops.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace sqlmill::jinja::internal {

absl::Status TypeError(std::string message) {
  return absl::InvalidArgumentError(std::move(message));
}

absl::Status UndefinedError(const Value& v) { return absl::InvalidArgumentError(v.undefined_hint()); }

namespace {

std::string TN(const Value& v) { return std::string(v.TypeName()); }

absl::Status Unsupported(std::string_view op, const Value& a, const Value& b) {
  return TypeError(absl::StrCat("unsupported operand type(s) for ", std::string(op), ": '", TN(a),
                                "' and '", TN(b), "'"));
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

int64_t FloorMod(int64_t a, int64_t b) {
  int64_t m = a % b;
  if (m != 0 && ((m < 0) != (b < 0))) m += b;
  return m;
}

double PyFmod(double a, double b) {
  double m = std::fmod(a, b);
  if (m != 0) {
    if ((b < 0) != (m < 0)) m += b;
  } else {
    m = std::copysign(0.0, b);
  }
  return m;
}

Value Repeat(const Value& seq, int64_t n) {
  if (seq.is_string()) {
    std::string out;
    if (n > 0) {
      out.reserve(seq.as_string().size() * n);
      for (int64_t i = 0; i < n; ++i) out += seq.as_string();
    }
    return Value::String(std::move(out));
  }
  std::vector<Value> out;
  for (int64_t i = 0; i < n; ++i) out.insert(out.end(), seq.items().begin(), seq.items().end());
  return seq.is_tuple() ? Value::Tuple(std::move(out)) : Value::List(std::move(out));
}

constexpr int64_t kMaxRepeatBytes = 64 << 20;

}  // namespace

absl::StatusOr<Value> BinaryOp(BinOp op, const Value& a, const Value& b) {
  if (op == BinOp::kConcat) {
    std::string out;
    a.AppendStr(&out);
    b.AppendStr(&out);
    return Value::String(std::move(out));
  }
  if (a.is_undefined()) return UndefinedError(a);
  if (b.is_undefined()) return UndefinedError(b);
  const bool nums = a.is_number() && b.is_number();
  const bool ints = nums && !a.is_float() && !b.is_float();
  switch (op) {
    case BinOp::kAdd:
      if (ints) {
        int64_t r;
        if (__builtin_add_overflow(a.as_int(), b.as_int(), &r)) return TypeError("integer overflow");
        return Value::Int(r);
      }
      if (nums) return Value::Float(a.as_double() + b.as_double());
      if (a.is_string() && b.is_string()) return Value::String(a.as_string() + b.as_string());
      if ((a.is_list() && b.is_list()) || (a.is_tuple() && b.is_tuple())) {
        std::vector<Value> out = a.items();
        out.insert(out.end(), b.items().begin(), b.items().end());
        return a.is_list() ? Value::List(std::move(out)) : Value::Tuple(std::move(out));
      }
      if (a.is_string()) {
        return TypeError(absl::StrCat("can only concatenate str (not \"", TN(b), "\") to str"));
      }
      return Unsupported("+", a, b);
    case BinOp::kSub:
      if (ints) {
        int64_t r;
        if (__builtin_sub_overflow(a.as_int(), b.as_int(), &r)) return TypeError("integer overflow");
        return Value::Int(r);
      }
      if (nums) return Value::Float(a.as_double() - b.as_double());
      return Unsupported("-", a, b);
    case BinOp::kMul:
      if (ints) {
        int64_t r;
        if (__builtin_mul_overflow(a.as_int(), b.as_int(), &r)) return TypeError("integer overflow");
        return Value::Int(r);
      }
      if (nums) return Value::Float(a.as_double() * b.as_double());
      if ((a.is_string() || a.is_sequence()) && (b.is_int() || b.is_bool())) {
        const Value& seq = a;
        int64_t n = b.as_int();
        int64_t unit = seq.is_string() ? seq.as_string().size() : seq.items().size() * 16;
        if (n > 0 && unit * n > kMaxRepeatBytes) return absl::ResourceExhaustedError("repetition too large");
        return Repeat(seq, n);
      }
      if ((b.is_string() || b.is_sequence()) && (a.is_int() || a.is_bool())) {
        return BinaryOp(op, b, a);
      }
      return Unsupported("*", a, b);
    case BinOp::kDiv:
      if (nums) {
        if (b.as_double() == 0) return TypeError("division by zero");
        return Value::Float(a.as_double() / b.as_double());
      }
      return Unsupported("/", a, b);
    case BinOp::kFloorDiv:
      if (ints) {
        if (b.as_int() == 0) return TypeError("integer division or modulo by zero");
        return Value::Int(FloorDiv(a.as_int(), b.as_int()));
      }
      if (nums) {
        if (b.as_double() == 0) return TypeError("float floor division by zero");
        return Value::Float(std::floor(a.as_double() / b.as_double()));
      }
      return Unsupported("//", a, b);
    case BinOp::kMod:
      if (a.is_string()) {
        auto r = PercentFormat(a.as_string(), b);
        if (!r.ok()) return r.status();
        return Value::String(std::move(*r));
      }
      if (ints) {
        if (b.as_int() == 0) return TypeError("integer division or modulo by zero");
        return Value::Int(FloorMod(a.as_int(), b.as_int()));
      }
      if (nums) {
        if (b.as_double() == 0) return TypeError("float modulo");
        return Value::Float(PyFmod(a.as_double(), b.as_double()));
      }
      return Unsupported("%", a, b);
    case BinOp::kPow:
      if (ints && b.as_int() >= 0) {
        int64_t base = a.as_int(), e = b.as_int(), r = 1;
        while (e > 0) {
          if (e & 1) {
            if (__builtin_mul_overflow(r, base, &r)) return TypeError("integer overflow");
          }
          e >>= 1;
          if (e > 0 && __builtin_mul_overflow(base, base, &base)) return TypeError("integer overflow");
        }
        return Value::Int(r);
      }
      if (nums) {
        if (a.as_double() == 0 && b.as_double() < 0) {
          return TypeError("0.0 cannot be raised to a negative power");
        }
        return Value::Float(std::pow(a.as_double(), b.as_double()));
      }
      return Unsupported("** or pow()", a, b);
    case BinOp::kConcat:
      break;
  }
  return TypeError("bad operator");
}

absl::StatusOr<bool> Contains(const Value& container, const Value& item) {
  switch (container.kind()) {
    case ValueKind::kString:
      if (!item.is_string()) {
        return TypeError(absl::StrCat("'in <string>' requires string as left operand, not ",
                                      TN(item)));
      }
      return container.as_string().find(item.as_string()) != std::string::npos;
    case ValueKind::kList:
    case ValueKind::kTuple:
      for (const auto& x : container.items()) {
        if (Equals(x, item)) return true;
      }
      return false;
    case ValueKind::kDict:
      return container.dict()->Find(item) != nullptr;
    case ValueKind::kUndefined:
      return false;
    case ValueKind::kObject: {
      std::vector<Value> items;
      if (container.object()->Iterate(&items)) {
        for (const auto& x : items) {
          if (Equals(x, item)) return true;
        }
        return false;
      }
      break;
    }
    default:
      break;
  }
  return TypeError(absl::StrCat("argument of type '", TN(container), "' is not iterable"));
}

absl::Status IterateValue(const Value& v, bool strict, std::vector<Value>* out) {
  out->clear();
  switch (v.kind()) {
    case ValueKind::kList:
    case ValueKind::kTuple:
      *out = v.items();
      return absl::OkStatus();
    case ValueKind::kDict:
      out->reserve(v.dict()->size());
      for (const auto& [k, x] : v.dict()->entries()) out->push_back(k);
      return absl::OkStatus();
    case ValueKind::kString: {
      const std::string& s = v.as_string();
      if (IsAscii(s)) {
        out->reserve(s.size());
        for (char c : s) out->push_back(Value::String(std::string(1, c)));
      } else {
        for (uint32_t cp : DecodeUtf8(s)) {
          std::string one;
          AppendUtf8(cp, &one);
          out->push_back(Value::String(std::move(one)));
        }
      }
      return absl::OkStatus();
    }
    case ValueKind::kUndefined:
      if (strict) return UndefinedError(v);
      return absl::OkStatus();
    case ValueKind::kObject:
      if (v.object()->Iterate(out)) return absl::OkStatus();
      break;
    default:
      break;
  }
  return TypeError(absl::StrCat("'", TN(v), "' object is not iterable"));
}

Value GetAttr(const Value& obj, std::string_view name) {
  switch (obj.kind()) {
    case ValueKind::kDict: {
      if (HasBuiltinMethod(obj, name)) break;
      const Value* v = obj.dict()->FindStr(name);
      if (v != nullptr) return *v;
      break;
    }
    case ValueKind::kObject:
      return obj.object()->GetAttr(name);
    case ValueKind::kUndefined:
      return obj;
    default:
      break;
  }
  if (HasBuiltinMethod(obj, name)) {
    // A bound method value: calling it calls the builtin method.
    Value self = obj;
    std::string method(name);
    return MakeFunction(method, [self, method](const CallArgs& args,
                                               CallContext& ctx) -> absl::StatusOr<Value> {
      bool found = false;
      return CallBuiltinMethod(self, method, args, ctx, &found);
    });
  }
  return Value::Undefined(absl::StrCat("'", TN(obj), " object' has no attribute '",
                                       std::string(name), "'"));
}

Value GetItem(const Value& obj, const Value& key) {
  switch (obj.kind()) {
    case ValueKind::kList:
    case ValueKind::kTuple:
      if (key.is_int() || key.is_bool()) {
        int64_t i = key.as_int();
        int64_t n = static_cast<int64_t>(obj.items().size());
        if (i < 0) i += n;
        if (i >= 0 && i < n) return obj.items()[i];
        return Value::Undefined(absl::StrCat("'", TN(obj), " object' has no element ", key.Repr()));
      }
      break;
    case ValueKind::kString:
      if (key.is_int() || key.is_bool()) {
        const std::string& s = obj.as_string();
        int64_t i = key.as_int();
        if (IsAscii(s)) {
          int64_t n = s.size();
          if (i < 0) i += n;
          if (i >= 0 && i < n) return Value::String(std::string(1, s[i]));
        } else {
          auto cps = DecodeUtf8(s);
          int64_t n = cps.size();
          if (i < 0) i += n;
          if (i >= 0 && i < n) {
            std::string one;
            AppendUtf8(cps[i], &one);
            return Value::String(std::move(one));
          }
        }
        return Value::Undefined(absl::StrCat("'str object' has no element ", key.Repr()));
      }
      break;
    case ValueKind::kDict: {
      const Value* v = obj.dict()->Find(key);
      if (v != nullptr) return *v;
      if (key.is_string() && HasBuiltinMethod(obj, key.as_string())) {
        return GetAttr(obj, key.as_string());
      }
      return Value::Undefined(absl::StrCat("'dict object' has no attribute ", key.Repr()));
    }
    case ValueKind::kObject:
      return obj.object()->GetItem(key);
    case ValueKind::kUndefined:
      return obj;
    default:
      break;
  }
  if (key.is_string()) return GetAttr(obj, key.as_string());
  return Value::Undefined(absl::StrCat("'", TN(obj), " object' has no element ", key.Repr()));
}

namespace {

absl::Status SliceIndex(const Value& v, bool* present, int64_t* out) {
  *present = false;
  if (v.is_undefined() || v.is_none()) return absl::OkStatus();
  if (!(v.is_int() || v.is_bool())) {
    return TypeError("slice indices must be integers or None or have an __index__ method");
  }
  *present = true;
  *out = v.as_int();
  return absl::OkStatus();
}

// Computes Python slice indices for a sequence of length n.
absl::Status SliceIndices(const Value& start, const Value& stop, const Value& step, int64_t n,
                          std::vector<int64_t>* idx) {
  bool has_start, has_stop, has_step;
  int64_t a = 0, b = 0, s = 1;
  if (auto st = SliceIndex(start, &has_start, &a); !st.ok()) return st;
  if (auto st = SliceIndex(stop, &has_stop, &b); !st.ok()) return st;
  if (auto st = SliceIndex(step, &has_step, &s); !st.ok()) return st;
  if (!has_step) s = 1;
  if (s == 0) return TypeError("slice step cannot be zero");
  if (s > 0) {
    if (!has_start) a = 0;
    else if (a < 0) a = std::max<int64_t>(a + n, 0);
    else a = std::min(a, n);
    if (!has_stop) b = n;
    else if (b < 0) b = std::max<int64_t>(b + n, 0);
    else b = std::min(b, n);
    for (int64_t i = a; i < b; i += s) idx->push_back(i);
  } else {
    if (!has_start) a = n - 1;
    else if (a < 0) a = std::max<int64_t>(a + n, -1);
    else a = std::min(a, n - 1);
    if (!has_stop) b = -1;
    else if (b < 0) b = std::max<int64_t>(b + n, -1);
    else b = std::min(b, n - 1);
    for (int64_t i = a; i > b; i += s) idx->push_back(i);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Value> Slice(const Value& obj, const Value& start, const Value& stop,
                            const Value& step) {
  std::vector<int64_t> idx;
  if (obj.is_sequence()) {
    const auto& items = obj.items();
    if (auto st = SliceIndices(start, stop, step, items.size(), &idx); !st.ok()) return st;
    std::vector<Value> out;
    out.reserve(idx.size());
    for (int64_t i : idx) out.push_back(items[i]);
    return obj.is_tuple() ? Value::Tuple(std::move(out)) : Value::List(std::move(out));
  }
  if (obj.is_string()) {
    const std::string& s = obj.as_string();
    std::string out;
    if (IsAscii(s)) {
      if (auto st = SliceIndices(start, stop, step, s.size(), &idx); !st.ok()) return st;
      out.reserve(idx.size());
      for (int64_t i : idx) out.push_back(s[i]);
    } else {
      auto cps = DecodeUtf8(s);
      if (auto st = SliceIndices(start, stop, step, cps.size(), &idx); !st.ok()) return st;
      for (int64_t i : idx) AppendUtf8(cps[i], &out);
    }
    return Value::String(std::move(out));
  }
  if (obj.is_undefined()) return UndefinedError(obj);
  return TypeError(absl::StrCat("'", TN(obj), "' object is not subscriptable"));
}

absl::StatusOr<int64_t> Length(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kString:
      return Utf8Length(v.as_string());
    case ValueKind::kList:
    case ValueKind::kTuple:
      return static_cast<int64_t>(v.items().size());
    case ValueKind::kDict:
      return static_cast<int64_t>(v.dict()->size());
    case ValueKind::kUndefined:
      return 0;
    case ValueKind::kObject: {
      std::vector<Value> items;
      if (v.object()->Iterate(&items)) return static_cast<int64_t>(items.size());
      break;
    }
    default:
      break;
  }
  return TypeError(absl::StrCat("object of type '", TN(v), "' has no len()"));
}

// ---- UTF-8 ----

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::vector<uint32_t> DecodeUtf8(std::string_view s) {
  std::vector<uint32_t> out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = s[i];
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len <= 1 || i + len > s.size()) {
      out.push_back(c);
      ++i;
      continue;
    }
    uint32_t cp = c & (0x7f >> len);
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    out.push_back(cp);
    i += len;
  }
  return out;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

std::string EncodeUtf8(const std::vector<uint32_t>& cps) {
  std::string out;
  out.reserve(cps.size());
  for (uint32_t cp : cps) AppendUtf8(cp, &out);
  return out;
}

int64_t Utf8Length(std::string_view s) {
  int64_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++n;
  }
  return n;
}

namespace {

// Simple case mapping: ASCII, Latin-1, Latin Extended-A pairs, Greek and Cyrillic
// (COMPATIBILITY.md: full Unicode special casing is not implemented).
uint32_t UpperCp(uint32_t c) {
  if (c >= 'a' && c <= 'z') return c - 32;
  if (c < 0x80) return c;
  if ((c >= 0xe0 && c <= 0xfe && c != 0xf7)) return c - 32;
  if (c == 0xff) return 0x178;
  if (c >= 0x100 && c <= 0x17f && (c & 1) && c != 0x131 && c != 0x138 && c != 0x149) return c - 1;
  if (c >= 0x3b1 && c <= 0x3c9 && c != 0x3c2) return c - 32;
  if (c >= 0x430 && c <= 0x44f) return c - 32;
  if (c >= 0x450 && c <= 0x45f) return c - 80;
  return c;
}

uint32_t LowerCp(uint32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c < 0x80) return c;
  if ((c >= 0xc0 && c <= 0xde && c != 0xd7)) return c + 32;
  if (c == 0x178) return 0xff;
  if (c >= 0x100 && c <= 0x17f && !(c & 1) && c != 0x130 && c != 0x138) return c + 1;
  if (c >= 0x391 && c <= 0x3a9 && c != 0x3a2) return c + 32;
  if (c >= 0x410 && c <= 0x42f) return c + 32;
  if (c >= 0x400 && c <= 0x40f) return c + 80;
  return c;
}

}  // namespace

std::string ToUpper(std::string_view s) {
  if (IsAscii(s)) {
    std::string out(s);
    for (char& c : out) {
      if (c >= 'a' && c <= 'z') c -= 32;
    }
    return out;
  }
  auto cps = DecodeUtf8(s);
  std::string out;
  for (uint32_t c : cps) {
    if (c == 0xdf) {
      out += "SS";
      continue;
    }
    AppendUtf8(UpperCp(c), &out);
  }
  return out;
}

std::string ToLower(std::string_view s) {
  if (IsAscii(s)) {
    std::string out(s);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c += 32;
    }
    return out;
  }
  auto cps = DecodeUtf8(s);
  for (uint32_t& c : cps) c = LowerCp(c);
  return EncodeUtf8(cps);
}

bool IsPySpace(uint32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f) || c == 0x85 ||
         c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
         c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

bool ParsePyInt(std::string_view s, int base, int64_t* out) {
  size_t b = 0, e = s.size();
  while (b < e && IsPySpace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && IsPySpace(static_cast<unsigned char>(s[e - 1]))) --e;
  s = s.substr(b, e - b);
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (base == 16 && s.size() > 2 && s[0] == '0' && (s[1] | 0x20) == 'x') s.remove_prefix(2);
  if (base == 8 && s.size() > 2 && s[0] == '0' && (s[1] | 0x20) == 'o') s.remove_prefix(2);
  if (base == 2 && s.size() > 2 && s[0] == '0' && (s[1] | 0x20) == 'b') s.remove_prefix(2);
  if (s.empty() || s.front() == '_' || s.back() == '_') return false;
  std::string digits;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_') {
      if (s[i + 1] == '_') return false;
      continue;
    }
    digits.push_back(s[i]);
  }
  int64_t v = 0;
  auto res = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
  if (res.ec != std::errc() || res.ptr != digits.data() + digits.size()) return false;
  *out = neg ? -v : v;
  return true;
}

bool ParsePyFloat(std::string_view s, double* out) {
  size_t b = 0, e = s.size();
  while (b < e && IsPySpace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && IsPySpace(static_cast<unsigned char>(s[e - 1]))) --e;
  std::string t;
  for (size_t i = b; i < e; ++i) {
    if (s[i] != '_') t.push_back(s[i]);
  }
  if (t.empty()) return false;
  std::string lower = ToLower(t);
  std::string_view body = lower;
  bool neg = false;
  if (body[0] == '+' || body[0] == '-') {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == "inf" || body == "infinity") {
    *out = neg ? -INFINITY : INFINITY;
    return true;
  }
  if (body == "nan") {
    *out = NAN;
    return true;
  }
  for (char c : body) {
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == '+' ||
          c == '-')) {
      return false;
    }
  }
  char* end = nullptr;
  double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size()) return false;
  *out = v;
  return true;
}

absl::Status BindArgs(std::string_view what, const CallArgs& args,
                      std::initializer_list<std::string_view> names, std::vector<Value>* out) {
  out->assign(names.size(), Value());
  if (args.args.size() > names.size()) {
    return TypeError(absl::StrCat(std::string(what), "() takes at most ", names.size(),
                                  " arguments (", args.args.size(), " given)"));
  }
  for (size_t i = 0; i < args.args.size(); ++i) (*out)[i] = args.args[i];
  for (const auto& [k, v] : args.kwargs) {
    size_t i = 0;
    bool found = false;
    for (auto n : names) {
      if (n == k) {
        found = true;
        break;
      }
      ++i;
    }
    if (!found) {
      return TypeError(absl::StrCat(std::string(what), "() got an unexpected keyword argument '",
                                    k, "'"));
    }
    (*out)[i] = v;
  }
  return absl::OkStatus();
}

absl::Status SortValues(std::vector<Value>* values, bool reverse,
                        const std::function<absl::StatusOr<Value>(const Value&)>& key) {
  std::vector<std::pair<Value, size_t>> keyed;
  keyed.reserve(values->size());
  for (size_t i = 0; i < values->size(); ++i) {
    if (key) {
      auto k = key((*values)[i]);
      if (!k.ok()) return k.status();
      keyed.emplace_back(std::move(*k), i);
    } else {
      keyed.emplace_back((*values)[i], i);
    }
  }
  absl::Status error;
  std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& x, const auto& y) {
    if (!error.ok()) return false;
    auto lt = reverse ? LessThan(y.first, x.first) : LessThan(x.first, y.first);
    if (!lt.ok()) {
      error = lt.status();
      return false;
    }
    return *lt;
  });
  if (!error.ok()) return error;
  std::vector<Value> out;
  out.reserve(keyed.size());
  for (auto& [k, i] : keyed) out.push_back(std::move((*values)[i]));
  *values = std::move(out);
  return absl::OkStatus();
}

// ---- formatting ----

namespace {

struct Spec {
  char fill = ' ';
  char align = 0;  // < > ^ =
  char sign = '-';
  bool alt = false;
  bool zero = false;
  int width = -1;
  bool comma = false;
  int precision = -1;
  char type = 0;
};

std::string Pad(std::string body, const Spec& spec, char default_align) {
  int64_t len = Utf8Length(body);
  if (spec.width < 0 || len >= spec.width) return body;
  size_t pad = spec.width - len;
  char align = spec.align ? spec.align : default_align;
  std::string fill(1, spec.fill);
  auto rep = [&](size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s += fill;
    return s;
  };
  if (align == '<') return body + rep(pad);
  if (align == '>') return rep(pad) + body;
  if (align == '^') return rep(pad / 2) + body + rep(pad - pad / 2);
  // '=': pad after the sign.
  if (!body.empty() && (body[0] == '-' || body[0] == '+' || body[0] == ' ')) {
    return body.substr(0, 1) + rep(pad) + body.substr(1);
  }
  return rep(pad) + body;
}

std::string GroupThousands(const std::string& digits) {
  std::string out;
  int n = static_cast<int>(digits.size());
  for (int i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

// Formats a number per a format spec (types d, f, F, e, E, g, G, %, x, X, o, b, n, s, none).
absl::StatusOr<std::string> FormatNumber(const Value& v, const Spec& spec) {
  char type = spec.type;
  std::string body;
  bool negative = false;
  if (type == 0 && !v.is_float()) type = 'd';
  if (type == 'd' || type == 'x' || type == 'X' || type == 'o' || type == 'b' || type == 'n' ||
      type == 'c') {
    if (v.is_float()) {
      return TypeError(absl::StrCat("Unknown format code '", std::string(1, type),
                                    "' for object of type 'float'"));
    }
    int64_t i = v.as_int();
    negative = i < 0;
    uint64_t u = negative ? 0 - static_cast<uint64_t>(i) : static_cast<uint64_t>(i);
    int base = (type == 'x' || type == 'X') ? 16 : type == 'o' ? 8 : type == 'b' ? 2 : 10;
    char buf[80];
    auto res = std::to_chars(buf, buf + sizeof(buf), u, base);
    body.assign(buf, res.ptr);
    if (type == 'X') body = ToUpper(body);
    if (spec.comma) body = GroupThousands(body);
    if (spec.alt && base != 10) {
      body = (base == 16 ? (type == 'X' ? "0X" : "0x") : base == 8 ? "0o" : "0b") + body;
    }
  } else {
    double d = v.as_double();
    negative = std::signbit(d) && !std::isnan(d);
    double a = std::fabs(d);
    int prec = spec.precision < 0 ? 6 : spec.precision;
    char buf[512];
    if (type == 0) {
      if (spec.precision < 0) {
        body = FormatFloat(a);
      } else {
        std::snprintf(buf, sizeof(buf), "%.*g", std::max(prec, 1), a);
        body = buf;
        if (body.find_first_of(".e") == std::string::npos && std::isfinite(a)) body += ".0";
      }
    } else if (type == '%') {
      std::snprintf(buf, sizeof(buf), "%.*f", prec, a * 100);
      body = std::string(buf) + "%";
    } else if (type == 'f' || type == 'F' || type == 'e' || type == 'E' || type == 'g' ||
               type == 'G') {
      char f[8] = {'%', '.', '*', type, 0};
      if (spec.alt) {
        f[1] = '#';
        f[2] = '.';
        f[3] = '*';
        f[4] = type;
        f[5] = 0;
      }
      std::snprintf(buf, sizeof(buf), f, prec, a);
      body = buf;
      if (!std::isfinite(a)) body = std::isnan(a) ? "nan" : "inf";
      if ((type == 'F' || type == 'E' || type == 'G') && !std::isfinite(a)) body = ToUpper(body);
    } else {
      return TypeError(absl::StrCat("Unknown format code '", std::string(1, type),
                                    "' for object of type '", std::string(v.TypeName()), "'"));
    }
    if (spec.comma) {
      size_t dot = body.find_first_of(".e%");
      std::string ip = body.substr(0, dot);
      body = GroupThousands(ip) + (dot == std::string::npos ? "" : body.substr(dot));
    }
  }
  std::string sign = negative ? "-" : spec.sign == '+' ? "+" : spec.sign == ' ' ? " " : "";
  if (spec.zero && spec.align == 0 && spec.width > 0) {
    Spec z = spec;
    z.fill = '0';
    z.align = '=';
    return Pad(sign + body, z, '>');
  }
  return Pad(sign + body, spec, '>');
}

bool ParseSpec(std::string_view s, Spec* spec) {
  size_t i = 0;
  auto is_align = [](char c) { return c == '<' || c == '>' || c == '^' || c == '='; };
  if (s.size() >= 2 && is_align(s[1])) {
    spec->fill = s[0];
    spec->align = s[1];
    i = 2;
  } else if (!s.empty() && is_align(s[0])) {
    spec->align = s[0];
    i = 1;
  }
  if (i < s.size() && (s[i] == '+' || s[i] == '-' || s[i] == ' ')) spec->sign = s[i++];
  if (i < s.size() && s[i] == '#') {
    spec->alt = true;
    ++i;
  }
  if (i < s.size() && s[i] == '0') {
    spec->zero = true;
    ++i;
  }
  int w = -1;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
    w = (w < 0 ? 0 : w * 10) + (s[i++] - '0');
  }
  spec->width = w;
  if (i < s.size() && (s[i] == ',' || s[i] == '_')) {
    spec->comma = true;
    ++i;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    int p = 0;
    if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) p = p * 10 + (s[i++] - '0');
    spec->precision = p;
  }
  if (i < s.size()) spec->type = s[i++];
  return i == s.size();
}

absl::StatusOr<std::string> FormatWithSpec(const Value& v, std::string_view spec_text) {
  Spec spec;
  if (!ParseSpec(spec_text, &spec)) return TypeError("Invalid format specifier");
  if (v.is_number() && !(v.is_bool() && spec.type == 0) && spec.type != 's') {
    return FormatNumber(v, spec);
  }
  if (spec.type != 0 && spec.type != 's') {
    return TypeError(absl::StrCat("Unknown format code '", std::string(1, spec.type),
                                  "' for object of type '", std::string(v.TypeName()), "'"));
  }
  std::string s = v.Str();
  if (spec.precision >= 0) {
    auto cps = DecodeUtf8(s);
    if (static_cast<int>(cps.size()) > spec.precision) cps.resize(spec.precision);
    s = EncodeUtf8(cps);
  }
  return Pad(s, spec, '<');
}

}  // namespace

absl::StatusOr<std::string> PercentFormat(std::string_view fmt, const Value& args) {
  std::vector<Value> list;
  const Value* mapping = nullptr;
  if (args.is_tuple()) {
    list = args.items();
  } else if (args.is_dict()) {
    mapping = &args;
    list.push_back(args);
  } else {
    list.push_back(args);
  }
  size_t next = 0;
  bool used_mapping = false;
  std::string out;
  for (size_t i = 0; i < fmt.size(); ++i) {
    char c = fmt[i];
    if (c != '%') {
      out.push_back(c);
      continue;
    }
    if (++i >= fmt.size()) return TypeError("incomplete format");
    if (fmt[i] == '%') {
      out.push_back('%');
      continue;
    }
    const Value* arg = nullptr;
    Value keyed;
    if (fmt[i] == '(') {
      size_t close = fmt.find(')', i);
      if (close == std::string_view::npos) return TypeError("incomplete format key");
      if (mapping == nullptr) return TypeError("format requires a mapping");
      std::string key(fmt.substr(i + 1, close - i - 1));
      const Value* v = mapping->dict()->FindStr(key);
      if (v == nullptr) return TypeError(absl::StrCat("KeyError: '", key, "'"));
      keyed = *v;
      arg = &keyed;
      used_mapping = true;
      i = close + 1;
    }
    Spec spec;
    spec.align = '>';
    while (i < fmt.size() && std::strchr("-+ #0", fmt[i]) != nullptr) {
      char f = fmt[i++];
      if (f == '-') spec.align = '<';
      else if (f == '+') spec.sign = '+';
      else if (f == ' ') { if (spec.sign != '+') spec.sign = ' '; }
      else if (f == '#') spec.alt = true;
      else if (f == '0') spec.zero = true;
    }
    auto take = [&]() -> const Value* {
      if (next < list.size()) return &list[next++];
      return nullptr;
    };
    if (i < fmt.size() && fmt[i] == '*') {
      const Value* w = take();
      if (w == nullptr || !w->is_int()) return TypeError("* wants int");
      spec.width = static_cast<int>(w->as_int());
      ++i;
    } else {
      int w = -1;
      while (i < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[i]))) {
        w = (w < 0 ? 0 : w * 10) + (fmt[i++] - '0');
      }
      spec.width = w;
    }
    if (i < fmt.size() && fmt[i] == '.') {
      ++i;
      int p = 0;
      while (i < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[i]))) p = p * 10 + (fmt[i++] - '0');
      spec.precision = p;
    }
    while (i < fmt.size() && (fmt[i] == 'l' || fmt[i] == 'h' || fmt[i] == 'L')) ++i;
    if (i >= fmt.size()) return TypeError("incomplete format");
    char conv = fmt[i];
    if (arg == nullptr) {
      if (mapping != nullptr && !used_mapping && next == 0 && list.size() == 1) {
        arg = take();
      } else {
        arg = take();
      }
      if (arg == nullptr) return TypeError("not enough arguments for format string");
    }
    if (spec.zero && spec.align == '>') {
      spec.align = 0;
    } else {
      spec.zero = false;
    }
    switch (conv) {
      case 's':
      case 'r':
      case 'a': {
        std::string s = conv == 's' ? arg->Str() : arg->Repr();
        if (spec.precision >= 0) {
          auto cps = DecodeUtf8(s);
          if (static_cast<int>(cps.size()) > spec.precision) cps.resize(spec.precision);
          s = EncodeUtf8(cps);
        }
        Spec p = spec;
        p.zero = false;
        if (p.align == 0) p.align = '>';
        out += Pad(s, p, '>');
        break;
      }
      case 'd':
      case 'i':
      case 'u':
      case 'x':
      case 'X':
      case 'o': {
        if (!arg->is_number()) {
          return TypeError(absl::StrCat("%", std::string(1, conv),
                                        " format: a real number is required, not ",
                                        std::string(arg->TypeName())));
        }
        Value iv = arg->is_float() ? Value::Int(static_cast<int64_t>(arg->as_double())) : *arg;
        Spec p = spec;
        p.type = (conv == 'i' || conv == 'u') ? 'd' : conv;
        if (p.precision >= 0) p.precision = -1;
        auto r = FormatNumber(Value::Int(iv.as_int()), p);
        if (!r.ok()) return r.status();
        out += *r;
        break;
      }
      case 'f':
      case 'F':
      case 'e':
      case 'E':
      case 'g':
      case 'G': {
        if (!arg->is_number()) {
          return TypeError(absl::StrCat("must be real number, not ", std::string(arg->TypeName())));
        }
        Spec p = spec;
        p.type = conv;
        auto r = FormatNumber(Value::Float(arg->as_double()), p);
        if (!r.ok()) return r.status();
        out += *r;
        break;
      }
      case 'c': {
        if (arg->is_string()) {
          out += arg->as_string();
        } else if (arg->is_int()) {
          AppendUtf8(static_cast<uint32_t>(arg->as_int()), &out);
        }
        break;
      }
      default:
        return TypeError(absl::StrCat("unsupported format character '", std::string(1, conv), "'"));
    }
  }
  if (mapping == nullptr && next < list.size()) {
    return TypeError("not all arguments converted during string formatting");
  }
  return out;
}

absl::StatusOr<std::string> StrFormat(std::string_view fmt, const CallArgs& args) {
  std::string out;
  size_t auto_index = 0;
  for (size_t i = 0; i < fmt.size(); ++i) {
    char c = fmt[i];
    if (c == '}') {
      if (i + 1 < fmt.size() && fmt[i + 1] == '}') {
        out.push_back('}');
        ++i;
        continue;
      }
      return TypeError("Single '}' encountered in format string");
    }
    if (c != '{') {
      out.push_back(c);
      continue;
    }
    if (i + 1 < fmt.size() && fmt[i + 1] == '{') {
      out.push_back('{');
      ++i;
      continue;
    }
    size_t close = fmt.find('}', i);
    if (close == std::string_view::npos) return TypeError("Single '{' encountered in format string");
    std::string_view field = fmt.substr(i + 1, close - i - 1);
    i = close;
    std::string_view spec;
    char conversion = 0;
    size_t colon = field.find(':');
    if (colon != std::string_view::npos) {
      spec = field.substr(colon + 1);
      field = field.substr(0, colon);
    }
    size_t bang = field.find('!');
    if (bang != std::string_view::npos) {
      if (bang + 1 < field.size()) conversion = field[bang + 1];
      field = field.substr(0, bang);
    }
    // field: name or index, then .attr / [key] parts.
    size_t part_end = field.find_first_of(".[");
    std::string_view head = field.substr(0, part_end);
    Value v;
    if (head.empty()) {
      if (auto_index >= args.args.size()) {
        return TypeError(absl::StrCat("Replacement index ", auto_index,
                                      " out of range for positional args tuple"));
      }
      v = args.args[auto_index++];
    } else if (std::isdigit(static_cast<unsigned char>(head[0]))) {
      size_t idx = std::stoul(std::string(head));
      if (idx >= args.args.size()) {
        return TypeError(absl::StrCat("Replacement index ", idx,
                                      " out of range for positional args tuple"));
      }
      v = args.args[idx];
    } else {
      const Value* kw = args.Kwarg(head);
      if (kw == nullptr) return TypeError(absl::StrCat("KeyError: '", std::string(head), "'"));
      v = *kw;
    }
    while (part_end != std::string_view::npos && part_end < field.size()) {
      if (field[part_end] == '.') {
        size_t next = field.find_first_of(".[", part_end + 1);
        std::string_view attr = field.substr(part_end + 1, next == std::string_view::npos
                                                               ? std::string_view::npos
                                                               : next - part_end - 1);
        if (v.is_dict() && !HasBuiltinMethod(v, attr)) {
          return TypeError(absl::StrCat("'dict' object has no attribute '", std::string(attr), "'"));
        }
        v = GetAttr(v, attr);
        part_end = next;
      } else {
        size_t rb = field.find(']', part_end);
        if (rb == std::string_view::npos) return TypeError("Missing ']' in format string");
        std::string key(field.substr(part_end + 1, rb - part_end - 1));
        int64_t n;
        v = ParsePyInt(key, 10, &n) ? GetItem(v, Value::Int(n)) : GetItem(v, Value::String(key));
        part_end = rb + 1;
      }
    }
    if (conversion == 'r') v = Value::String(v.Repr());
    if (conversion == 's') v = Value::String(v.Str());
    auto r = FormatWithSpec(v, spec);
    if (!r.ok()) return r.status();
    out += *r;
  }
  return out;
}

}  // namespace sqlmill::jinja::internal

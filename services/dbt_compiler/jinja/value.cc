// Implementation of the value model: construction, Python printing, equality, ordering and
// the insertion-ordered dict. Thread-safety: see value.h.
#include "services/dbt_compiler/jinja/value.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace sqlmill::jinja {

Value Value::String(std::string s) {
  Value v(ValueKind::kString);
  v.ptr_ = std::make_shared<std::string>(std::move(s));
  return v;
}

Value Value::List(std::vector<Value> items) {
  Value v(ValueKind::kList);
  auto data = std::make_shared<ListData>();
  data->items = std::move(items);
  v.ptr_ = std::move(data);
  return v;
}

Value Value::Tuple(std::vector<Value> items) {
  Value v = List(std::move(items));
  v.kind_ = ValueKind::kTuple;
  return v;
}

Value Value::Dict() {
  Value v(ValueKind::kDict);
  v.ptr_ = std::make_shared<DictData>();
  return v;
}

Value Value::FromObject(std::shared_ptr<Object> object) {
  Value v(ValueKind::kObject);
  v.ptr_ = std::move(object);
  return v;
}

Value Value::Undefined(std::string hint) {
  Value v(ValueKind::kUndefined);
  if (!hint.empty()) v.ptr_ = std::make_shared<std::string>(std::move(hint));
  return v;
}

std::string Value::undefined_hint() const {
  if (kind_ == ValueKind::kUndefined && ptr_) return *static_cast<const std::string*>(ptr_.get());
  return "undefined value";
}

bool Value::is_callable() const {
  return kind_ == ValueKind::kObject && object()->IsCallable();
}

bool Value::SameAs(const Value& other) const {
  if (kind_ != other.kind_) return false;
  switch (kind_) {
    case ValueKind::kUndefined:
    case ValueKind::kNone:
      return true;
    case ValueKind::kBool:
      return b_ == other.b_;
    case ValueKind::kInt:
      return i_ == other.i_;
    case ValueKind::kFloat:
      return f_ == other.f_;
    case ValueKind::kString:
      return as_string() == other.as_string();
    default:
      return ptr_ == other.ptr_;
  }
}

bool Value::Truthy() const {
  switch (kind_) {
    case ValueKind::kUndefined:
    case ValueKind::kNone:
      return false;
    case ValueKind::kBool:
      return b_;
    case ValueKind::kInt:
      return i_ != 0;
    case ValueKind::kFloat:
      return f_ != 0.0;
    case ValueKind::kString:
      return !as_string().empty();
    case ValueKind::kList:
    case ValueKind::kTuple:
      return !items().empty();
    case ValueKind::kDict:
      return dict()->size() != 0;
    case ValueKind::kObject:
      return object()->Truthy();
  }
  return false;
}

std::string FormatFloat(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  // Shortest round-trip digits in scientific form, then laid out as Python's repr does:
  // positional for 1e-4 <= |x| < 1e16, otherwise d.ddde+XX.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  bool negative = false;
  size_t pos = 0;
  if (sci[0] == '-') {
    negative = true;
    pos = 1;
  }
  size_t e = sci.find('e');
  std::string mantissa = sci.substr(pos, e - pos);
  int exponent = std::atoi(sci.c_str() + e + 1);
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits.push_back(c);
  }
  std::string out = negative ? "-" : "";
  if (exponent >= -5 + 1 && exponent < 16) {
    int ndigits = static_cast<int>(digits.size());
    if (exponent >= 0) {
      if (ndigits <= exponent + 1) {
        out += digits;
        out.append(exponent + 1 - ndigits, '0');
        out += ".0";
      } else {
        out += digits.substr(0, exponent + 1);
        out += '.';
        out += digits.substr(exponent + 1);
      }
    } else {
      out += "0.";
      out.append(-exponent - 1, '0');
      out += digits;
    }
    return out;
  }
  out += digits.substr(0, 1);
  if (digits.size() > 1) {
    out += '.';
    out += digits.substr(1);
  }
  out += 'e';
  out += exponent < 0 ? '-' : '+';
  int ax = std::abs(exponent);
  if (ax < 10) out += '0';
  out += std::to_string(ax);
  return out;
}

namespace {

// Decodes one UTF-8 code point at s[i]; advances i. Invalid bytes decode as themselves.
uint32_t DecodeUtf8(std::string_view s, size_t* i) {
  unsigned char c = s[*i];
  if (c < 0x80) {
    ++*i;
    return c;
  }
  int len = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
  if (len == 1 || *i + len > s.size()) {
    ++*i;
    return c;
  }
  uint32_t cp = c & (0x7f >> len);
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3f);
  *i += len;
  return cp;
}

void AppendStringRepr(std::string_view s, std::string* out) {
  bool has_single = s.find('\'') != std::string_view::npos;
  bool has_double = s.find('"') != std::string_view::npos;
  char quote = (has_single && !has_double) ? '"' : '\'';
  out->push_back(quote);
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    uint32_t cp = DecodeUtf8(s, &i);
    if (cp == static_cast<uint32_t>(quote) || cp == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(cp));
    } else if (cp == '\n') {
      out->append("\\n");
    } else if (cp == '\r') {
      out->append("\\r");
    } else if (cp == '\t') {
      out->append("\\t");
    } else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0xa0) || cp == 0xad) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", cp);
      out->append(buf);
    } else if (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202f) ||
               (cp >= 0x205f && cp <= 0x2064) || cp == 0x3000 || cp == 0xfeff ||
               (cp >= 0xd800 && cp <= 0xdfff)) {
      char buf[12];
      std::snprintf(buf, sizeof(buf), "\\u%04x", cp);
      out->append(buf);
    } else {
      out->append(s.substr(start, i - start));
    }
  }
  out->push_back(quote);
}

}  // namespace

void Value::AppendStr(std::string* out) const {
  switch (kind_) {
    case ValueKind::kUndefined:
      return;
    case ValueKind::kString:
      out->append(as_string());
      return;
    case ValueKind::kObject:
      out->append(object()->Str());
      return;
    default:
      AppendRepr(out);
  }
}

std::string Value::Str() const {
  if (kind_ == ValueKind::kString) return as_string();
  std::string out;
  AppendStr(&out);
  return out;
}

void Value::AppendRepr(std::string* out) const {
  switch (kind_) {
    case ValueKind::kUndefined:
      return;
    case ValueKind::kNone:
      out->append("None");
      return;
    case ValueKind::kBool:
      out->append(b_ ? "True" : "False");
      return;
    case ValueKind::kInt: {
      char buf[24];
      auto res = std::to_chars(buf, buf + sizeof(buf), i_);
      out->append(buf, res.ptr);
      return;
    }
    case ValueKind::kFloat:
      out->append(FormatFloat(f_));
      return;
    case ValueKind::kString:
      AppendStringRepr(as_string(), out);
      return;
    case ValueKind::kList:
    case ValueKind::kTuple: {
      const bool tuple = kind_ == ValueKind::kTuple;
      out->push_back(tuple ? '(' : '[');
      const auto& xs = items();
      for (size_t i = 0; i < xs.size(); ++i) {
        if (i) out->append(", ");
        xs[i].AppendRepr(out);
      }
      if (tuple && xs.size() == 1) out->push_back(',');
      out->push_back(tuple ? ')' : ']');
      return;
    }
    case ValueKind::kDict: {
      out->push_back('{');
      bool first = true;
      for (const auto& [k, v] : dict()->entries()) {
        if (!first) out->append(", ");
        first = false;
        k.AppendRepr(out);
        out->append(": ");
        v.AppendRepr(out);
      }
      out->push_back('}');
      return;
    }
    case ValueKind::kObject:
      out->append(object()->Repr());
      return;
  }
}

std::string Value::Repr() const {
  std::string out;
  AppendRepr(&out);
  return out;
}

std::string_view Value::TypeName() const {
  switch (kind_) {
    case ValueKind::kUndefined:
      return "Undefined";
    case ValueKind::kNone:
      return "NoneType";
    case ValueKind::kBool:
      return "bool";
    case ValueKind::kInt:
      return "int";
    case ValueKind::kFloat:
      return "float";
    case ValueKind::kString:
      return "str";
    case ValueKind::kList:
      return "list";
    case ValueKind::kTuple:
      return "tuple";
    case ValueKind::kDict:
      return "dict";
    case ValueKind::kObject:
      return object()->TypeName();
  }
  return "object";
}

bool Equals(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_float() || b.is_float()) return a.as_double() == b.as_double();
    return a.as_int() == b.as_int();
  }
  if (a.kind() != b.kind()) {
    return false;
  }
  switch (a.kind()) {
    case ValueKind::kUndefined:
    case ValueKind::kNone:
      return true;
    case ValueKind::kString:
      return a.as_string() == b.as_string();
    case ValueKind::kList:
    case ValueKind::kTuple: {
      const auto& x = a.items();
      const auto& y = b.items();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!Equals(x[i], y[i])) return false;
      }
      return true;
    }
    case ValueKind::kDict: {
      if (a.dict()->size() != b.dict()->size()) return false;
      for (const auto& [k, v] : a.dict()->entries()) {
        const Value* other = b.dict()->Find(k);
        if (other == nullptr || !Equals(v, *other)) return false;
      }
      return true;
    }
    case ValueKind::kObject:
      return a.SameAs(b) || a.object()->Equals(*b.object());
    default:
      return a.SameAs(b);
  }
}

absl::StatusOr<bool> LessThan(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_float() || b.is_float()) return a.as_double() < b.as_double();
    return a.as_int() < b.as_int();
  }
  if (a.is_string() && b.is_string()) return a.as_string() < b.as_string();
  if ((a.is_list() && b.is_list()) || (a.is_tuple() && b.is_tuple())) {
    const auto& x = a.items();
    const auto& y = b.items();
    for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
      if (Equals(x[i], y[i])) continue;
      return LessThan(x[i], y[i]);
    }
    return x.size() < y.size();
  }
  return absl::InvalidArgumentError(absl::StrCat("'<' not supported between instances of '",
                                                 std::string(a.TypeName()), "' and '",
                                                 std::string(b.TypeName()), "'"));
}

size_t HashValue(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kBool:
    case ValueKind::kInt:
      return std::hash<int64_t>()(v.as_int());
    case ValueKind::kFloat: {
      double d = v.as_double();
      if (std::floor(d) == d && std::fabs(d) < 9.2e18) {
        return std::hash<int64_t>()(static_cast<int64_t>(d));
      }
      return std::hash<double>()(d);
    }
    case ValueKind::kString:
      return std::hash<std::string_view>()(v.as_string());
    case ValueKind::kTuple:
    case ValueKind::kList: {
      size_t h = 0x345678;
      for (const auto& x : v.items()) h = h * 1000003 ^ HashValue(x);
      return h;
    }
    case ValueKind::kNone:
      return 0x9e3779b9;
    case ValueKind::kObject:
      return v.object()->Hash();
    default:
      return 7;
  }
}

int DictData::FindIndex(const Value& key) const {
  if (key.is_string()) return FindIndexStr(key.as_string());
  if (!index_.empty()) {
    auto it = index_.find(HashValue(key));
    if (it == index_.end()) return -1;
    for (int i : it->second) {
      if (Equals(entries_[i].first, key)) return i;
    }
    return -1;
  }
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (Equals(entries_[i].first, key)) return static_cast<int>(i);
  }
  return -1;
}

int DictData::FindIndexStr(std::string_view key) const {
  if (!index_.empty()) {
    auto it = index_.find(std::hash<std::string_view>()(key));
    if (it == index_.end()) return -1;
    for (int i : it->second) {
      const Value& k = entries_[i].first;
      if (k.is_string() && k.as_string() == key) return i;
    }
    return -1;
  }
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Value& k = entries_[i].first;
    if (k.is_string() && k.as_string() == key) return static_cast<int>(i);
  }
  return -1;
}

const Value* DictData::Find(const Value& key) const {
  int i = FindIndex(key);
  return i < 0 ? nullptr : &entries_[i].second;
}

const Value* DictData::FindStr(std::string_view key) const {
  int i = FindIndexStr(key);
  return i < 0 ? nullptr : &entries_[i].second;
}

Value* DictData::FindMutable(const Value& key) {
  int i = FindIndex(key);
  return i < 0 ? nullptr : &entries_[i].second;
}

void DictData::Set(Value key, Value value) {
  int i = FindIndex(key);
  if (i >= 0) {
    entries_[i].second = std::move(value);
    return;
  }
  entries_.emplace_back(std::move(key), std::move(value));
  if (!index_.empty()) {
    index_[HashValue(entries_.back().first)].push_back(static_cast<int>(entries_.size() - 1));
  } else if (entries_.size() > kIndexThreshold) {
    Reindex();
  }
}

bool DictData::Erase(const Value& key) {
  int i = FindIndex(key);
  if (i < 0) return false;
  entries_.erase(entries_.begin() + i);
  Reindex();
  return true;
}

void DictData::Clear() {
  entries_.clear();
  index_.clear();
}

void DictData::Reindex() {
  index_.clear();
  if (entries_.size() <= kIndexThreshold) return;
  for (size_t i = 0; i < entries_.size(); ++i) {
    index_[HashValue(entries_[i].first)].push_back(static_cast<int>(i));
  }
}

const Value* CallArgs::Kwarg(std::string_view name) const {
  for (const auto& [k, v] : kwargs) {
    if (k == name) return &v;
  }
  return nullptr;
}

Value Object::GetAttr(std::string_view name) const {
  return Value::Undefined(absl::StrCat("'", std::string(TypeName()), " object' has no attribute '",
                                       std::string(name), "'"));
}

absl::Status Object::SetAttr(std::string_view name, Value value) {
  (void)value;
  return absl::InvalidArgumentError(absl::StrCat("cannot set attribute '", std::string(name),
                                                 "' of a ", std::string(TypeName()), " object"));
}

Value Object::GetItem(const Value& key) const {
  if (key.is_string()) return GetAttr(key.as_string());
  return Value::Undefined(
      absl::StrCat("'", std::string(TypeName()), " object' has no attribute ", key.Repr()));
}

absl::StatusOr<Value> Object::Call(const CallArgs& args, CallContext& ctx) {
  (void)args;
  (void)ctx;
  return absl::InvalidArgumentError(
      absl::StrCat("'", std::string(TypeName()), "' object is not callable"));
}

std::string Object::Str() const { return absl::StrCat("<", std::string(TypeName()), " object>"); }

namespace {

class NativeFunctionObject : public Object {
 public:
  NativeFunctionObject(std::string name, NativeFunction fn)
      : name_(std::move(name)), fn_(std::move(fn)) {}
  std::string_view TypeName() const override { return "function"; }
  bool IsCallable() const override { return true; }
  absl::StatusOr<Value> Call(const CallArgs& args, CallContext& ctx) override {
    return fn_(args, ctx);
  }
  Value GetAttr(std::string_view name) const override {
    if (name == "__name__") return Value::String(name_);
    return Object::GetAttr(name);
  }
  std::string Str() const override { return absl::StrCat("<function ", name_, ">"); }

 private:
  std::string name_;
  NativeFunction fn_;
};

}  // namespace

Value MakeFunction(std::string name, NativeFunction fn) {
  return Value::FromObject(std::make_shared<NativeFunctionObject>(std::move(name), std::move(fn)));
}

}  // namespace sqlmill::jinja

// Jinja2's built-in filters (abs … xmlattr), registered into an EnvState. Each is a
// NativeFilter; those that apply tests or other filters (select, map, …) reach the
// evaluator through the CallContext. Stateless; thread-safe.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "services/dbt_compiler/jinja/internal/env_state.h"
#include "services/dbt_compiler/jinja/internal/evaluator.h"
#include "services/dbt_compiler/jinja/internal/value_ops.h"
#include "services/dbt_compiler/jinja/json.h"

namespace sqlmill::jinja::internal {
namespace {

using Args = std::vector<Value>;

Evaluator& Ev(CallContext& ctx) { return static_cast<Evaluator&>(ctx); }

bool Given(const Value& v) { return !v.is_undefined(); }

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&#34;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// Resolves a dotted attribute path ("a.b.0") as Jinja2's make_attrgetter does.
Value GetAttrPath(const Value& v, const Value& attribute) {
  if (attribute.is_int()) return GetItem(v, attribute);
  std::string path = attribute.Str();
  Value cur = v;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    int64_t idx;
    if (!part.empty() && std::all_of(part.begin(), part.end(), ::isdigit) &&
        ParsePyInt(part, 10, &idx)) {
      cur = GetItem(cur, Value::Int(idx));
    } else {
      cur = GetItem(cur, Value::String(part));
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return cur;
}

Value Fold(const Value& v, bool case_sensitive) {
  if (!case_sensitive && v.is_string()) return Value::String(ToLower(v.as_string()));
  return v;
}

absl::StatusOr<std::vector<Value>> Items(const Value& v, CallContext& ctx) {
  std::vector<Value> out;
  SQLMILL_RETURN_IF_ERROR(IterateValue(v, Ev(ctx).strict(), &out));
  return out;
}

absl::StatusOr<Value> FilterAbs(const Value& v, const CallArgs&, CallContext&) {
  if (v.is_int() || v.is_bool()) return Value::Int(std::llabs(v.as_int()));
  if (v.is_float()) return Value::Float(std::fabs(v.as_double()));
  return TypeError(absl::StrCat("bad operand type for abs(): '", std::string(v.TypeName()), "'"));
}

absl::StatusOr<Value> FilterAttr(const Value& v, const CallArgs& a, CallContext&) {
  Args b;
  SQLMILL_RETURN_IF_ERROR(BindArgs("attr", a, {"name"}, &b));
  if (v.is_undefined()) return UndefinedError(v);
  std::string name = b[0].Str();
  if (v.is_dict() && !HasBuiltinMethod(v, name)) {
    return Value::Undefined(absl::StrCat("'dict object' has no attribute '", name, "'"));
  }
  return GetAttr(v, name);
}

absl::StatusOr<Value> FilterBatch(const Value& v, const CallArgs& a, CallContext& ctx) {
  Args b;
  SQLMILL_RETURN_IF_ERROR(BindArgs("batch", a, {"linecount", "fill_with"}, &b));
  SQLMILL_ASSIGN_OR_RETURN(auto items, Items(v, ctx));
  int64_t n = b[0].as_int();
  if (n <= 0) return TypeError("batch size must be positive");
  std::vector<Value> out;
  std::vector<Value> cur;
  for (auto& x : items) {
    if (static_cast<int64_t>(cur.size()) == n) {
      out.push_back(Value::List(std::move(cur)));
      cur.clear();
    }
    cur.push_back(x);
  }
  if (!cur.empty()) {
    if (Given(b[1]) && !b[1].is_none()) {
      while (static_cast<int64_t>(cur.size()) < n) cur.push_back(b[1]);
    }
    out.push_back(Value::List(std::move(cur)));
  }
  return Value::List(std::move(out));
}

absl::StatusOr<Value> CallStrMethod(const Value& v, std::string_view method, const CallArgs& a,
                                    CallContext& ctx) {
  bool found;
  Value s = v.is_string() ? v : Value::String(v.Str());
  return CallBuiltinMethod(s, method, a, ctx, &found);
}

absl::StatusOr<Value> FilterCenter(const Value& v, const CallArgs& a, CallContext& ctx) {
  Args b;
  SQLMILL_RETURN_IF_ERROR(BindArgs("center", a, {"width"}, &b));
  CallArgs m;
  m.args.push_back(Given(b[0]) ? b[0] : Value::Int(80));
  return CallStrMethod(v, "center", m, ctx);
}

absl::StatusOr<Value> FilterDefault(const Value& v, const CallArgs& a, CallContext&) {
  Args b;
  SQLMILL_RETURN_IF_ERROR(BindArgs("default", a, {"default_value", "boolean"}, &b));
  Value def = Given(b[0]) ? b[0] : Value::String("");
  if (v.is_undefined() || (b[1].Truthy() && !v.Truthy())) return def;
  return v;
}

absl::StatusOr<Value> FilterDictsort(const Value& v, const CallArgs& a, CallContext&) {
  Args b;
  SQLMILL_RETURN_IF_ERROR(BindArgs("dictsort", a, {"case_sensitive", "by", "reverse"}, &b));
  if (!v.is_dict()) return TypeError("dictsort filter requires a dict");
  bool cs = b[0].Truthy();
  int pos = 0;
  if (Given(b[1])) {
    std::string by = b[1].Str();
    if (by == "value") {
      pos = 1;
    } else if (by != "key") {
      return TypeError("You can only sort by either \"key\" or \"value\"");
    }
  }
  std::vector<Value> pairs;
  for (const auto& [k, x] : v.dict()->entries()) pairs.push_back(Value::Tuple({k, x}));
  SQLMILL_RETURN_IF_ERROR(SortValues(&pairs, b[2].Truthy(), [&](const Value& p) -> absl::StatusOr<Value> {
    return Fold(p.items()[pos], cs);
  }));
  return Value::List(std::move(pairs));
}

absl::StatusOr<Value> FilterEscape(const Value& v, const CallArgs&, CallContext&) {
  return Value::String(HtmlEscape(v.Str()));
}

absl::StatusOr<Value> FilterFilesizeformat(const Value& v, const CallArgs& a, CallContext&) {
  Args b;
  SQLMILL_RETURN_IF_ERROR(BindArgs("filesizeformat", a, {"binary"}, &b));
  double bytes;
  if (v.is_number()) {
    bytes = v.as_double();
  } else if (!ParsePyFloat(v.Str(), &bytes)) {
    return TypeError("could not convert string to float");
  }
  bool binary = b[0].Truthy();
  double base = binary ? 1024 : 1000;
  static const char* kDec[] = {"kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
  static const char* kBin[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
  if (bytes == 1) return Value::String("1 Byte");
  if (bytes < base) {
    return Value::String(absl::StrCat(static_cast<int64_t>(bytes), " Bytes"));
  }
  double unit = base;
  for (int i = 0; i < 8; ++i) {
    unit = std::pow(base, i + 2);
    if (bytes < unit || i == 7) {
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%.1f %s", base * bytes / unit, binary ? kBin[i] : kDec[i]);
      return Value::String(buf);
    }
  }
  return Value::String("");
}

absl::StatusOr<Value> FilterFirst(const Value& v, const CallArgs&, CallContext& ctx) {
  SQLMILL_ASSIGN_OR_RETURN(auto items, Items(v, ctx));
  if (items.empty()) return Value::Undefined("No first item, sequence was empty.");
  return items.front();
}

absl::StatusOr<Value> FilterLast(const Value& v, const CallArgs&, CallContext& ctx) {
  SQLMILL_ASSIGN_OR_RETURN(auto items, Items(v, ctx));
  if (items.empty()) return Value::Undefined("No last item, sequence was empty.");
  return items.back();
}

absl::StatusOr<Value> FilterFloat(const Value& v, const CallArgs& a, CallContext&) {
  Args b;
  SQLMILL_RETURN_IF_ERROR(BindArgs("float", a, {"default"}, &b));
  Value def = Given(b[0]) ? b[0] : Value::Float(0.0);
  if (v.is_number()) return Value::Float(v.as_double());
  if (v.is_string()) {
    double d;
    if (ParsePyFloat(v.as_string(), &d)) return Value::Float(d);
  }
  return def;
}

absl::StatusOr<Value> FilterFormat(const Value& v, const CallArgs& a, CallContext&) {
  if (!a.args.empty() && !a.kwargs.empty()) {
    return TypeError("can't handle positional and keyword arguments at the same time");
  }
  Value args;
  if (!a.kwargs.empty()) {
    args = Value::Dict();
    for (const auto& [k, x] : a.kwargs) args.dict()->SetStr(k, x);
  } else {
    args = Value::Tuple(a.args);
  }
  SQLMILL_ASSIGN_OR_RETURN(std::string out, PercentFormat(v.Str(), args));
  return Value::String(std::move(out));
}

// _GroupTuple(grouper, list): a tuple with named fields.
class GroupTuple : public Object {
 public:
  GroupTuple(Value grouper, Value list) : grouper_(std::move(grouper)), list_(std::move(list)) {}
  std::string_view TypeName() const override { return "_GroupTuple"; }
  Value GetAttr(std::string_view name) const override {
    if (name == "grouper") return grouper_;
    if (name == "list") return list_;
    return Object::GetAttr(name);
  }
  Value GetItem(const Value& key) const override {
    if (key.is_int()) {
      int64_t i = key.as_int();
      if (i == 0 || i == -2) return grouper_;
      if (i == 1 || i == -1) return list_;
    }
    return Object::GetItem(key);
  }
  bool Iterate(std::vector<Value>* out) const override {
    *out = {grouper_, list_};
    return true;
  }
  std::string Str() const override {
    return absl::StrCat("_GroupTuple(grouper=", grouper_.Repr(), ", list=", list_.Repr(), ")");
  }

 private:
  Value grouper_, list_;
};

absl::StatusOr<Value> FilterGroupby(const Value& v, const CallArgs& a, CallContext& ctx) {
  Args b;
  SQLMILL_RETURN_IF_ERROR(BindArgs("groupby", a, {"attribute", "default", "case_sensitive"}, &b));
  SQLMILL_ASSIGN_OR_RETURN(auto items, Items(v, ctx));
  bool cs = b[2].Truthy();
  auto key = [&](const Value& x) -> Value {
    Value k = GetAttrPath(x, b[0]);
    if (k.is_undefined() && Given(b[1])) k = b[1];
    return k;
  };
  SQLMILL_RETURN_IF_ERROR(SortValues(&items, false, [&](const Value& x) -> absl::StatusOr<Value> {
    return Fold(key(x), cs);
  }));
  std::vector<Value> out;
  size_t i = 0;
  while (i < items.size()) {
    Value k = key(items[i]);
    Value folded = Fold(k, cs);
    std::vector<Value> group;
    while (i < items.size() && Equals(Fold(key(items[i]), cs), folded)) group.push_back(items[i++]);
    out.push_back(Value::FromObject(std::make_shared<GroupTuple>(k, Value::List(std::move(group)))));
  }
  return Value::List(std::move(out));
}

absl::StatusOr<Value> FilterIndent(const Value& v, const CallArgs& a, CallContext&) {
  Args b;
  SQLMILL_RETURN_IF_ERROR(BindArgs("indent", a, {"width", "first", "blank"}, &b));
  std::string indention;
  if (!Given(b[0])) {
    indention = "    ";
  } else if (b[0].is_string()) {
    indention = b[0].as_string();
  } else {
    indention = std::string(std::max<int64_t>(0, b[0].as_int()), ' ');
  }
  std::string s = v.Str();
  std::string nl = "\n";
  s += nl;  // this quirk mirrors Jinja2, which appends then removes a newline
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') {
      lines.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  std::string rest;
  std::string first_line = lines.empty() ? "" : lines[0];
  bool blank = b[2].Truthy();
  std::string out;
  for (size_t i = 1; i < lines.size(); ++i) {
    out += "\n";
    if (blank || !lines[i].empty()) {
      // Jinja2 strips nothing; a line of only whitespace counts as non-blank.
      out += indention;
    }
    out += lines[i];
  }
  std::string result = first_line + out;
  if (b[1].Truthy()) result = indention + result;
  // Remove the newline appended above (it became a trailing "\n" + maybe indent).
  std::string suffix = blank ? "\n" + indention : "\n";
  if (result.size() >= suffix.size() &&
      result.compare(result.size() - suffix.size(), suffix.size(), suffix) == 0) {
    result.resize(result.size() - suffix.size());
  }
  return Value::String(std::move(result));
}

absl::StatusOr<Value> FilterInt(const Value& v, const CallArgs& a, CallContext&) {
  Args b;
  SQLMILL_RETURN_IF_ERROR(BindArgs("int", a, {"default", "base"}, &b));
  Value def = Given(b[0]) ? b[0] : Value::Int(0);
  int base = Given(b[1]) ? static_cast<int>(b[1].as_int()) : 10;
  if (v.is_int() || v.is_bool()) return Value::Int(v.as_int());
  if (v.is_float()) {
    double d = v.as_double();
    if (!std::isfinite(d)) return def;
    return Value::Int(static_cast<int64_t>(d));
  }
  if (v.is_string()) {
    int64_t i;
    if (ParsePyInt(v.as_string(), base, &i)) return Value::Int(i);
    double d;
    if (ParsePyFloat(v.as_string(), &d) && std::isfinite(d)) return Value::Int(static_cast<int64_t>(d));
  }
  return def;
}

absl::StatusOr<Value> FilterItems(const Value& v, const CallArgs&, CallContext&) {
  if (v.is_undefined()) return Value::List();
  if (!v.is_dict()) return TypeError("Can only get item pairs from a mapping.");
  std::vector<Value> out;
  for (const auto& [k, x] : v.dict()->entries()) out.push_back(Value::Tuple({k, x}));
  return Value::List(std::move(out));
}

absl::StatusOr<Value> FilterJoin(const Value& v, const CallArgs& a, CallContext& ctx) {
  Args b;
  SQLMILL_RETURN_IF_ERROR(BindArgs("join", a, {"d", "attribute"}, &b));
  SQLMILL_ASSIGN_OR_RETURN(auto items, Items(v, ctx));
  std::string sep = Given(b[0]) ? b[0].Str() : "";
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    Value x = Given(b[1]) ? GetAttrPath(items[i], b[1]) : items[i];
    if (x.is_undefined() && Ev(ctx).strict()) return UndefinedError(x);
    x.AppendStr(&out);
  }
  return Value::String(std::move(out));
}

absl::StatusOr<Value> FilterLength(const Value& v, const CallArgs&, CallContext& ctx) {
  if (v.is_undefined() && Ev(ctx).strict()) return UndefinedError(v);
  SQLMILL_ASSIGN_OR_RETURN(int64_t n, Length(v));
  return Value::Int(n);
}

absl::StatusOr<Value> FilterList(const Value& v, const CallArgs&, CallContext& ctx) {
  SQLMILL_ASSIGN_OR_RETURN(auto items, Items(v, ctx));
  return Value::List(std::move(items));
}

absl::StatusOr<Value> FilterLower(const Value& v, const CallArgs&, CallContext&) {
  return Value::String(ToLower(v.Str()));
}

absl::StatusOr<Value> FilterUpper(const Value& v, const CallArgs&, CallContext&) {
  return Value::String(ToUpper(v.Str()));
}

// Shared by map/select/reject/selectattr/rejectattr: what to apply to each item.
absl::StatusOr<Value> FilterMap(const Value& v, const CallArgs& a, CallContext& ctx) {
  SQLMILL_ASSIGN_OR_RETURN(auto items, Items(v, ctx));
  std::vector<Value> out;
  if (a.args.empty()) {
    const Value* attribute = a.Kwarg("attribute");
    if (attribute == nullptr) return TypeError("map requires a filter argument");
    const Value* def = a.Kwarg("default");
    for (const auto& x : items) {
      Value r = GetAttrPath(x, *attribute);
      if (r.is_undefined() && def != nullptr) r = *def;
      out.push_back(r);
    }
    return Value::List(std::move(out));
  }
  std::string name = a.args[0].Str();
  CallArgs rest;
  rest.args.assign(a.args.begin() + 1, a.args.end());
  rest.kwargs = a.kwargs;
  for (const auto& x : items) {
    SQLMILL_ASSIGN_OR_RETURN(Value r, Ev(ctx).ApplyFilter(name, x, rest));
    out.push_back(std::move(r));
  }
  return Value::List(std::move(out));
}

absl::StatusOr<Value> SelectImpl(const Value& v, const CallArgs& a, CallContext& ctx, bool attr,
                                 bool keep_when) {
  SQLMILL_ASSIGN_OR_RETURN(auto items, Items(v, ctx));
  size_t off = 0;
  Value attribute;
  if (attr) {
    if (a.args.empty()) return TypeError("missing parameter for attribute name");
    attribute = a.args[0];
    off = 1;
  }
  std::string test;
  CallArgs rest;
  if (a.args.size() > off) {
    test = a.args[off].Str();
    rest.args.assign(a.args.begin() + off + 1, a.args.end());
    rest.kwargs = a.kwargs;
  }
  std::vector<Value> out;
  for (const auto& x : items) {
    Value item = attr ? GetAttrPath(x, attribute) : x;
    bool r;
    if (test.empty()) {
      r = item.Truthy();
    } else {
      SQLMILL_ASSIGN_OR_RETURN(r, Ev(ctx).ApplyTest(test, item, rest));
    }
    if (r == keep_when) out.push_back(x);
  }
  return Value::List(std::move(out));
}

absl::StatusOr<Value> MinMax(const Value& v, const CallArgs& a, CallContext& ctx, bool want_max) {
  Args b;
  SQLMILL_RETURN_IF_ERROR(BindArgs(want_max ? "max" : "min", a, {"case_sensitive", "attribute"}, &b));
  SQLMILL_ASSIGN_OR_RETURN(auto items, Items(v, ctx));
  if (items.empty()) {
    return Value::Undefined(absl::StrCat("No aggregated item, sequence was empty."));
  }
  bool cs = b[0].Truthy();
  Value best = items[0];
  auto key = [&](const Value& x) { return Fold(Given(b[1]) ? GetAttrPath(x, b[1]) : x, cs); };
  Value best_key = key(best);
  for (size_t i = 1; i < items.size(); ++i) {
    Value k = key(items[i]);
    SQLMILL_ASSIGN_OR_RETURN(bool lt, want_max ? LessThan(best_key, k) : LessThan(k, best_key));
    if (lt) {
      best = items[i];
      best_key = k;
    }
  }
  return best;
}

absl::StatusOr<Value> FilterReplace(const Value& v, const CallArgs& a, CallContext& ctx) {
  Args b;
  SQLMILL_RETURN_IF_ERROR(BindArgs("replace", a, {"old", "new", "count"}, &b));
  CallArgs m;
  m.args.push_back(Value::String(b[0].Str()));
  m.args.push_back(Value::String(b[1].Str()));
  if (Given(b[2]) && !b[2].is_none()) m.args.push_back(b[2]);
  return CallStrMethod(v, "replace", m, ctx);
}

absl::StatusOr<Value> FilterReverse(const Value& v, const CallArgs&, CallContext& ctx) {
  if (v.is_string()) {
    auto cps = DecodeUtf8(v.as_string());
    std::reverse(cps.begin(), cps.end());
    return Value::String(EncodeUtf8(cps));
  }
  SQLMILL_ASSIGN_OR_RETURN(auto items, Items(v, ctx));
  std::reverse(items.begin(), items.end());
  return Value::List(std::move(items));
}

double PyRound(double x, int64_t digits) {
  // Python's round(): correctly rounded, ties to even, via the shortest repr of x*10^d.
  if (!std::isfinite(x)) return x;
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", static_cast<int>(std::max<int64_t>(digits, 0)), x);
  double r = std::strtod(buf, nullptr);
  if (digits < 0) {
    double p = std::pow(10.0, static_cast<double>(-digits));
    r = std::nearbyint(x / p) * p;
  }
  return r;
}

absl::StatusOr<Value> FilterRound(const Value& v, const CallArgs& a, CallContext&) {
  Args b;
  SQLMILL_RETURN_IF_ERROR(BindArgs("round", a, {"precision", "method"}, &b));
  int64_t precision = Given(b[0]) ? b[0].as_int() : 0;
  std::string method = Given(b[1]) ? b[1].Str() : "common";
  if (!v.is_number()) return TypeError("type str doesn't define __round__ method");
  double x = v.as_double();
  if (method == "common") {
    if (v.is_int() || v.is_bool()) {
      if (precision >= 0) return Value::Int(v.as_int());
      return Value::Int(static_cast<int64_t>(PyRound(x, precision)));
    }
    return Value::Float(PyRound(x, precision));
  }
  double p = std::pow(10.0, static_cast<double>(precision));
  if (method == "ceil") return Value::Float(std::ceil(x * p) / p);
  if (method == "floor") return Value::Float(std::floor(x * p) / p);
  return TypeError("method must be common, ceil or floor");
}

absl::StatusOr<Value> FilterSlice(const Value& v, const CallArgs& a, CallContext& ctx) {
  Args b;
  SQLMILL_RETURN_IF_ERROR(BindArgs("slice", a, {"slices", "fill_with"}, &b));
  SQLMILL_ASSIGN_OR_RETURN(auto items, Items(v, ctx));
  int64_t slices = b[0].as_int();
  if (slices <= 0) return TypeError("slices must be positive");
  int64_t n = items.size();
  int64_t per = n / slices, extra = n % slices, offset = 0;
  std::vector<Value> out;
  for (int64_t i = 0; i < slices; ++i) {
    int64_t start = offset + i * per;
    if (i < extra) ++offset;
    int64_t end = offset + (i + 1) * per;
    std::vector<Value> part(items.begin() + start, items.begin() + end);
    if (Given(b[1]) && i >= extra && extra > 0) part.push_back(b[1]);
    out.push_back(Value::List(std::move(part)));
  }
  return Value::List(std::move(out));
}

absl::StatusOr<Value> FilterSort(const Value& v, const CallArgs& a, CallContext& ctx) {
  Args b;
  SQLMILL_RETURN_IF_ERROR(BindArgs("sort", a, {"reverse", "case_sensitive", "attribute"}, &b));
  SQLMILL_ASSIGN_OR_RETURN(auto items, Items(v, ctx));
  bool cs = b[1].Truthy();
  std::vector<Value> attrs;
  if (Given(b[2]) && b[2].is_string() && b[2].as_string().find(',') != std::string::npos) {
    std::string s = b[2].as_string();
    size_t start = 0;
    while (true) {
      size_t c = s.find(',', start);
      std::string part = s.substr(start, c == std::string::npos ? std::string::npos : c - start);
      attrs.push_back(Value::String(std::string(StripAscii(part))));
      if (c == std::string::npos) break;
      start = c + 1;
    }
  } else if (Given(b[2]) && !b[2].is_none()) {
    attrs.push_back(b[2]);
  }
  SQLMILL_RETURN_IF_ERROR(SortValues(&items, b[0].Truthy(), [&](const Value& x) -> absl::StatusOr<Value> {
    if (attrs.empty()) return Fold(x, cs);
    if (attrs.size() == 1) return Fold(GetAttrPath(x, attrs[0]), cs);
    std::vector<Value> key;
    for (const auto& at : attrs) key.push_back(Fold(GetAttrPath(x, at), cs));
    return Value::List(std::move(key));
  }));
  return Value::List(std::move(items));
}

absl::StatusOr<Value> FilterString(const Value& v, const CallArgs&, CallContext&) {
  return Value::String(v.Str());
}

absl::StatusOr<Value> FilterStriptags(const Value& v, const CallArgs&, CallContext&) {
  std::string s = v.Str();
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<') {
      size_t e = s.find('>', i);
      if (e != std::string::npos) {
        i = e;
        out.push_back(' ');
        continue;
      }
    }
    out.push_back(s[i]);
  }
  // Collapse whitespace as Jinja2 does (" ".join(text.split())).
  std::string collapsed;
  bool space = false;
  for (char c : out) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = !collapsed.empty();
    } else {
      if (space) collapsed.push_back(' ');
      space = false;
      collapsed.push_back(c);
    }
  }
  return Value::String(collapsed);
}

absl::StatusOr<Value> FilterSum(const Value& v, const CallArgs& a, CallContext& ctx) {
  Args b;
  SQLMILL_RETURN_IF_ERROR(BindArgs("sum", a, {"attribute", "start"}, &b));
  SQLMILL_ASSIGN_OR_RETURN(auto items, Items(v, ctx));
  Value total = Given(b[1]) ? b[1] : Value::Int(0);
  for (const auto& x : items) {
    Value item = Given(b[0]) ? GetAttrPath(x, b[0]) : x;
    SQLMILL_ASSIGN_OR_RETURN(total, BinaryOp(BinOp::kAdd, total, item));
  }
  return total;
}

absl::StatusOr<Value> FilterTitle(const Value& v, const CallArgs&, CallContext&) {
  // Words begin after whitespace, '-', '(', '{', '[' or '<' (Jinja2's word-beginning rule).
  std::string s = v.Str();
  std::string out;
  bool at_start = true;
  auto cps = DecodeUtf8(s);
  for (uint32_t c : cps) {
    std::string one;
    AppendUtf8(c, &one);
    bool sep = IsPySpace(c) || c == '-' || c == '(' || c == '{' || c == '[' || c == '<';
    if (sep) {
      out += one;
      at_start = true;
      continue;
    }
    out += at_start ? ToUpper(one) : ToLower(one);
    at_start = false;
  }
  return Value::String(std::move(out));
}

absl::StatusOr<Value> FilterTojson(const Value& v, const CallArgs& a, CallContext&) {
  Args b;
  SQLMILL_RETURN_IF_ERROR(BindArgs("tojson", a, {"indent"}, &b));
  JsonWriteOptions opts;
  opts.sort_keys = true;
  opts.indent = Given(b[0]) && !b[0].is_none() ? static_cast<int>(b[0].as_int()) : -1;
  SQLMILL_ASSIGN_OR_RETURN(std::string json, ToJson(v, opts));
  std::string out;
  for (char c : json) {
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      case '\'':
        out += "\\u0027";
        break;
      default:
        out.push_back(c);
    }
  }
  return Value::String(std::move(out));
}

absl::StatusOr<Value> FilterTrim(const Value& v, const CallArgs& a, CallContext& ctx) {
  Args b;
  SQLMILL_RETURN_IF_ERROR(BindArgs("trim", a, {"chars"}, &b));
  CallArgs m;
  if (Given(b[0])) m.args.push_back(b[0]);
  return CallStrMethod(v, "strip", m, ctx);
}

absl::StatusOr<Value> FilterTruncate(const Value& v, const CallArgs& a, CallContext&) {
  Args b;
  SQLMILL_RETURN_IF_ERROR(BindArgs("truncate", a, {"length", "killwords", "end", "leeway"}, &b));
  int64_t length = Given(b[0]) ? b[0].as_int() : 255;
  bool killwords = b[1].Truthy();
  std::string end = Given(b[2]) ? b[2].Str() : "...";
  int64_t leeway = Given(b[3]) && !b[3].is_none() ? b[3].as_int() : 5;
  if (v.is_number() || v.is_none()) {
    return TypeError(absl::StrCat("object of type '", std::string(v.TypeName()), "' has no len()"));
  }
  auto cps = DecodeUtf8(v.Str());
  int64_t end_len = Utf8Length(end);
  if (length < end_len) return TypeError("expected length >= len(end)");
  if (leeway < 0) return TypeError("expected leeway >= 0");
  if (static_cast<int64_t>(cps.size()) <= length + leeway) return Value::String(v.Str());
  std::vector<uint32_t> head(cps.begin(), cps.begin() + (length - end_len));
  if (killwords) return Value::String(EncodeUtf8(head) + end);
  // Drop the last (partial) word: rsplit(' ', 1)[0].
  auto it = std::find(head.rbegin(), head.rend(), static_cast<uint32_t>(' '));
  if (it != head.rend()) head.resize(head.rend() - it - 1);
  return Value::String(EncodeUtf8(head) + end);
}

absl::StatusOr<Value> FilterUnique(const Value& v, const CallArgs& a, CallContext& ctx) {
  Args b;
  SQLMILL_RETURN_IF_ERROR(BindArgs("unique", a, {"case_sensitive", "attribute"}, &b));
  SQLMILL_ASSIGN_OR_RETURN(auto items, Items(v, ctx));
  bool cs = b[0].Truthy();
  std::vector<Value> seen, out;
  for (const auto& x : items) {
    Value k = Fold(Given(b[1]) ? GetAttrPath(x, b[1]) : x, cs);
    bool dup = false;
    for (const auto& s : seen) {
      if (Equals(s, k)) {
        dup = true;
        break;
      }
    }
    if (!dup) {
      seen.push_back(k);
      out.push_back(x);
    }
  }
  return Value::List(std::move(out));
}

std::string UrlQuote(std::string_view s, bool for_qs) {
  static const char* kSafe = "-_.~/";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || (std::strchr(kSafe, c) && c != 0 && !(for_qs && c == '/'))) {
      out.push_back(static_cast<char>(c));
    } else if (for_qs && c == ' ') {
      out += "+";
    } else {
      char buf[4];
      std::snprintf(buf, sizeof(buf), "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

absl::StatusOr<Value> FilterUrlencode(const Value& v, const CallArgs&, CallContext&) {
  if (v.is_string()) return Value::String(UrlQuote(v.as_string(), false));
  std::vector<std::pair<Value, Value>> pairs;
  if (v.is_dict()) {
    pairs = v.dict()->entries();
  } else if (v.is_sequence()) {
    for (const auto& p : v.items()) {
      if (p.is_sequence() && p.items().size() == 2) pairs.emplace_back(p.items()[0], p.items()[1]);
    }
  } else {
    return Value::String(UrlQuote(v.Str(), false));
  }
  std::string out;
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i) out += "&";
    out += UrlQuote(pairs[i].first.Str(), true) + "=" + UrlQuote(pairs[i].second.Str(), true);
  }
  return Value::String(out);
}

absl::StatusOr<Value> FilterWordcount(const Value& v, const CallArgs&, CallContext&) {
  // Counts runs of word characters (\w+).
  std::string s = v.Str();
  int64_t n = 0;
  bool in = false;
  for (unsigned char c : s) {
    bool w = std::isalnum(c) || c == '_' || c >= 0x80;
    if (w && !in) ++n;
    in = w;
  }
  return Value::Int(n);
}

absl::StatusOr<Value> FilterWordwrap(const Value& v, const CallArgs& a, CallContext&) {
  Args b;
  SQLMILL_RETURN_IF_ERROR(BindArgs("wordwrap", a, {"width", "break_long_words", "wrapstring",
                                                   "break_on_hyphens"}, &b));
  int64_t width = Given(b[0]) ? b[0].as_int() : 79;
  bool break_long = !Given(b[1]) || b[1].Truthy();
  std::string wrap = Given(b[2]) && !b[2].is_none() ? b[2].Str() : "\n";
  std::string s = v.Str();
  // Wrap each paragraph line separately, greedy on whitespace-separated words.
  std::vector<std::string> out_lines;
  size_t start = 0;
  std::vector<std::string> src_lines;
  while (true) {
    size_t nl = s.find('\n', start);
    src_lines.push_back(s.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  std::string result;
  for (size_t li = 0; li < src_lines.size(); ++li) {
    std::vector<std::string> words;
    std::string cur;
    for (char c : src_lines[li]) {
      if (c == ' ' || c == '\t') {
        if (!cur.empty()) words.push_back(cur);
        cur.clear();
      } else {
        cur.push_back(c);
      }
    }
    if (!cur.empty()) words.push_back(cur);
    std::vector<std::string> lines;
    std::string line;
    for (auto w : words) {
      while (break_long && Utf8Length(w) > width) {
        if (!line.empty()) {
          lines.push_back(line);
          line.clear();
        }
        auto cps = DecodeUtf8(w);
        lines.push_back(EncodeUtf8(std::vector<uint32_t>(cps.begin(), cps.begin() + width)));
        w = EncodeUtf8(std::vector<uint32_t>(cps.begin() + width, cps.end()));
      }
      if (w.empty()) continue;
      if (line.empty()) {
        line = w;
      } else if (Utf8Length(line) + 1 + Utf8Length(w) <= width) {
        line += " " + w;
      } else {
        lines.push_back(line);
        line = w;
      }
    }
    if (!line.empty()) lines.push_back(line);
    if (li) result += wrap;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i) result += wrap;
      result += lines[i];
    }
  }
  return Value::String(result);
}

absl::StatusOr<Value> FilterXmlattr(const Value& v, const CallArgs& a, CallContext&) {
  Args b;
  SQLMILL_RETURN_IF_ERROR(BindArgs("xmlattr", a, {"autospace"}, &b));
  if (!v.is_dict()) return TypeError("xmlattr requires a dict");
  std::string out;
  for (const auto& [k, x] : v.dict()->entries()) {
    if (x.is_none() || x.is_undefined()) continue;
    std::string key = k.Str();
    for (char c : key) {
      if (c == ' ' || c == '/' || c == '>' || c == '=') {
        return TypeError(absl::StrCat("Invalid character in attribute name: ", k.Repr()));
      }
    }
    if (!out.empty()) out += " ";
    out += HtmlEscape(key) + "=\"" + HtmlEscape(x.Str()) + "\"";
  }
  if (!out.empty() && (!Given(b[0]) || b[0].Truthy())) out = " " + out;
  return Value::String(out);
}

absl::StatusOr<Value> FilterPprint(const Value& v, const CallArgs&, CallContext&) {
  return Value::String(v.Repr());
}

absl::StatusOr<Value> FilterCapitalize(const Value& v, const CallArgs& a, CallContext& ctx) {
  return CallStrMethod(v, "capitalize", a, ctx);
}

absl::StatusOr<Value> FilterSafe(const Value& v, const CallArgs&, CallContext&) {
  return v.is_string() ? v : Value::String(v.Str());
}

absl::StatusOr<Value> FilterRandom(const Value& v, const CallArgs&, CallContext& ctx) {
  // Deterministic stand-in (COMPATIBILITY.md): the first item.
  SQLMILL_ASSIGN_OR_RETURN(auto items, Items(v, ctx));
  if (items.empty()) return Value::Undefined("No random item, sequence was empty.");
  return items.front();
}

}  // namespace

std::string_view StripAscii(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n' || s[e - 1] == '\r')) --e;
  return s.substr(b, e - b);
}

void RegisterBuiltinFilters(EnvState* env) {
  auto add = [env](std::string name, NativeFilter fn) {
    env->filters[name] = FilterEntry{name, std::move(fn)};
  };
  add("abs", FilterAbs);
  add("attr", FilterAttr);
  add("batch", FilterBatch);
  add("capitalize", FilterCapitalize);
  add("center", FilterCenter);
  add("count", FilterLength);
  add("d", FilterDefault);
  add("default", FilterDefault);
  add("dictsort", FilterDictsort);
  add("e", FilterEscape);
  add("escape", FilterEscape);
  add("forceescape", FilterEscape);
  add("filesizeformat", FilterFilesizeformat);
  add("first", FilterFirst);
  add("float", FilterFloat);
  add("format", FilterFormat);
  add("groupby", FilterGroupby);
  add("indent", FilterIndent);
  add("int", FilterInt);
  add("items", FilterItems);
  add("join", FilterJoin);
  add("last", FilterLast);
  add("length", FilterLength);
  add("list", FilterList);
  add("lower", FilterLower);
  add("map", FilterMap);
  add("max", [](const Value& v, const CallArgs& a, CallContext& c) { return MinMax(v, a, c, true); });
  add("min", [](const Value& v, const CallArgs& a, CallContext& c) { return MinMax(v, a, c, false); });
  add("pprint", FilterPprint);
  add("random", FilterRandom);
  add("reject", [](const Value& v, const CallArgs& a, CallContext& c) {
    return SelectImpl(v, a, c, false, false);
  });
  add("rejectattr", [](const Value& v, const CallArgs& a, CallContext& c) {
    return SelectImpl(v, a, c, true, false);
  });
  add("replace", FilterReplace);
  add("reverse", FilterReverse);
  add("round", FilterRound);
  add("safe", FilterSafe);
  add("select", [](const Value& v, const CallArgs& a, CallContext& c) {
    return SelectImpl(v, a, c, false, true);
  });
  add("selectattr", [](const Value& v, const CallArgs& a, CallContext& c) {
    return SelectImpl(v, a, c, true, true);
  });
  add("slice", FilterSlice);
  add("sort", FilterSort);
  add("string", FilterString);
  add("striptags", FilterStriptags);
  add("sum", FilterSum);
  add("title", FilterTitle);
  add("tojson", FilterTojson);
  add("trim", FilterTrim);
  add("truncate", FilterTruncate);
  add("unique", FilterUnique);
  add("upper", FilterUpper);
  add("urlencode", FilterUrlencode);
  add("wordcount", FilterWordcount);
  add("wordwrap", FilterWordwrap);
  add("xmlattr", FilterXmlattr);
}

}  // namespace sqlmill::jinja::internal

// The Python methods templates call on str, list and dict values ('a,b'.split(','),
// xs.append(1), d.items(), ...), with Python's semantics. Thread-safe for distinct values.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "services/dbt_compiler/jinja/internal/value_ops.h"

namespace sqlmill::jinja::internal {
namespace {

bool IsWs(char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f); }

absl::Status ArgCount(std::string_view name, const CallArgs& args, size_t min, size_t max) {
  if (args.args.size() < min || args.args.size() > max) {
    return TypeError(absl::StrCat(std::string(name), "() takes ",
                                  min == max ? absl::StrCat("exactly ", min)
                                             : absl::StrCat("from ", min, " to ", max),
                                  " arguments (", args.args.size(), " given)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> StrArg(std::string_view method, const Value& v) {
  if (!v.is_string()) {
    return TypeError(absl::StrCat(std::string(method), "() argument must be str, not ",
                                  std::string(v.TypeName())));
  }
  return v.as_string();
}

std::string StripChars(std::string_view s, const Value* chars, bool left, bool right) {
  size_t b = 0, e = s.size();
  if (chars == nullptr || chars->is_none()) {
    if (left) {
      while (b < e && IsWs(s[b])) ++b;
    }
    if (right) {
      while (e > b && IsWs(s[e - 1])) --e;
    }
    return std::string(s.substr(b, e - b));
  }
  const std::string& set = chars->as_string();
  if (IsAscii(set)) {
    if (left) {
      while (b < e && set.find(s[b]) != std::string::npos) ++b;
    }
    if (right) {
      while (e > b && set.find(s[e - 1]) != std::string::npos) --e;
    }
    return std::string(s.substr(b, e - b));
  }
  auto cps = DecodeUtf8(s);
  auto setcps = DecodeUtf8(set);
  size_t cb = 0, ce = cps.size();
  auto in = [&](uint32_t c) { return std::find(setcps.begin(), setcps.end(), c) != setcps.end(); };
  if (left) {
    while (cb < ce && in(cps[cb])) ++cb;
  }
  if (right) {
    while (ce > cb && in(cps[ce - 1])) --ce;
  }
  return EncodeUtf8(std::vector<uint32_t>(cps.begin() + cb, cps.begin() + ce));
}

std::vector<Value> SplitWs(std::string_view s, int64_t maxsplit, bool from_right) {
  std::vector<std::string> parts;
  if (!from_right) {
    size_t i = 0;
    while (i < s.size()) {
      while (i < s.size() && IsWs(s[i])) ++i;
      if (i >= s.size()) break;
      if (maxsplit >= 0 && static_cast<int64_t>(parts.size()) == maxsplit) {
        size_t e = s.size();
        while (e > i && IsWs(s[e - 1])) --e;
        parts.emplace_back(s.substr(i, e - i));
        break;
      }
      size_t j = i;
      while (j < s.size() && !IsWs(s[j])) ++j;
      parts.emplace_back(s.substr(i, j - i));
      i = j;
    }
  } else {
    size_t e = s.size();
    while (e > 0) {
      while (e > 0 && IsWs(s[e - 1])) --e;
      if (e == 0) break;
      if (maxsplit >= 0 && static_cast<int64_t>(parts.size()) == maxsplit) {
        size_t b = 0;
        while (b < e && IsWs(s[b])) ++b;
        parts.emplace_back(s.substr(b, e - b));
        break;
      }
      size_t b = e;
      while (b > 0 && !IsWs(s[b - 1])) --b;
      parts.emplace_back(s.substr(b, e - b));
      e = b;
    }
    std::reverse(parts.begin(), parts.end());
  }
  std::vector<Value> out;
  for (auto& p : parts) out.push_back(Value::String(std::move(p)));
  return out;
}

std::vector<Value> SplitSep(std::string_view s, std::string_view sep, int64_t maxsplit,
                            bool from_right) {
  std::vector<std::string> parts;
  if (!from_right) {
    size_t start = 0;
    while (true) {
      if (maxsplit >= 0 && static_cast<int64_t>(parts.size()) == maxsplit) break;
      size_t p = s.find(sep, start);
      if (p == std::string_view::npos) break;
      parts.emplace_back(s.substr(start, p - start));
      start = p + sep.size();
    }
    parts.emplace_back(s.substr(start));
  } else {
    size_t end = s.size();
    while (true) {
      if (maxsplit >= 0 && static_cast<int64_t>(parts.size()) == maxsplit) break;
      if (end < sep.size()) break;
      size_t p = s.rfind(sep, end - sep.size());
      if (p == std::string_view::npos) break;
      parts.emplace_back(s.substr(p + sep.size(), end - p - sep.size()));
      end = p;
    }
    parts.emplace_back(s.substr(0, end));
    std::reverse(parts.begin(), parts.end());
  }
  std::vector<Value> out;
  for (auto& p : parts) out.push_back(Value::String(std::move(p)));
  return out;
}

bool IsCasedLower(uint32_t c) { return (c >= 'a' && c <= 'z') || (c >= 0xdf && c <= 0xff && c != 0xf7); }
bool IsCasedUpper(uint32_t c) { return (c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7); }
bool IsAlphaCp(uint32_t c) { return IsCasedLower(c) || IsCasedUpper(c) || c > 0xff; }
bool IsDigitCp(uint32_t c) { return c >= '0' && c <= '9'; }

template <typename Pred>
Value AllChars(const std::string& s, Pred pred) {
  if (s.empty()) return Value::Bool(false);
  for (uint32_t c : DecodeUtf8(s)) {
    if (!pred(c)) return Value::Bool(false);
  }
  return Value::Bool(true);
}

std::string PyTitle(std::string_view s) {
  auto cps = DecodeUtf8(s);
  bool prev_cased = false;
  std::string out;
  for (uint32_t c : cps) {
    std::string one;
    AppendUtf8(c, &one);
    bool cased = IsCasedLower(c) || IsCasedUpper(c) || (c > 0xff && ToLower(one) != ToUpper(one));
    out += prev_cased ? ToLower(one) : ToUpper(one);
    prev_cased = cased;
  }
  return out;
}

absl::StatusOr<int64_t> IndexArg(const Value& v) {
  if (v.is_none() || v.is_undefined()) return INT64_MIN;
  if (!v.is_int() && !v.is_bool()) return TypeError("slice indices must be integers or None");
  return v.as_int();
}

absl::StatusOr<Value> StrMethod(const Value& self, std::string_view name, const CallArgs& args,
                                bool* found) {
  const std::string& s = self.as_string();
  *found = true;
  const size_t n = args.args.size();
  auto arg = [&](size_t i) -> const Value* { return i < n ? &args.args[i] : nullptr; };
  if (name == "upper") return Value::String(ToUpper(s));
  if (name == "lower" || name == "casefold") return Value::String(ToLower(s));
  if (name == "strip" || name == "lstrip" || name == "rstrip") {
    SQLMILL_RETURN_IF_ERROR(ArgCount(name, args, 0, 1));
    const Value* chars = arg(0);
    if (chars && !chars->is_none() && !chars->is_string()) {
      return TypeError(absl::StrCat(std::string(name), " arg must be None or str"));
    }
    return Value::String(StripChars(s, chars, name != "rstrip", name != "lstrip"));
  }
  if (name == "split" || name == "rsplit") {
    std::vector<Value> bound;
    SQLMILL_RETURN_IF_ERROR(BindArgs(name, args, {"sep", "maxsplit"}, &bound));
    int64_t maxsplit = -1;
    if (!bound[1].is_undefined()) maxsplit = bound[1].as_int();
    if (bound[0].is_undefined() || bound[0].is_none()) {
      return Value::List(SplitWs(s, maxsplit, name == "rsplit"));
    }
    SQLMILL_ASSIGN_OR_RETURN(std::string sep, StrArg(name, bound[0]));
    if (sep.empty()) return TypeError("empty separator");
    return Value::List(SplitSep(s, sep, maxsplit, name == "rsplit"));
  }
  if (name == "splitlines") {
    std::vector<Value> out;
    size_t start = 0;
    bool keep = n > 0 && args.args[0].Truthy();
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '\n' || s[i] == '\r') {
        size_t end = i;
        if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
        out.push_back(Value::String(s.substr(start, (keep ? i + 1 : end) - start)));
        start = i + 1;
      }
    }
    if (start < s.size()) out.push_back(Value::String(s.substr(start)));
    return Value::List(std::move(out));
  }
  if (name == "replace") {
    SQLMILL_RETURN_IF_ERROR(ArgCount(name, args, 2, 3));
    SQLMILL_ASSIGN_OR_RETURN(std::string old, StrArg(name, args.args[0]));
    SQLMILL_ASSIGN_OR_RETURN(std::string repl, StrArg(name, args.args[1]));
    int64_t count = n > 2 ? args.args[2].as_int() : -1;
    std::string out;
    if (old.empty()) {
      // Python inserts the replacement between every character (and at both ends).
      auto cps = DecodeUtf8(s);
      int64_t done = 0;
      for (size_t i = 0; i <= cps.size(); ++i) {
        if (count < 0 || done < count) {
          out += repl;
          ++done;
        }
        if (i < cps.size()) AppendUtf8(cps[i], &out);
      }
      return Value::String(std::move(out));
    }
    size_t pos = 0;
    int64_t done = 0;
    while (count < 0 || done < count) {
      size_t p = s.find(old, pos);
      if (p == std::string::npos) break;
      out.append(s, pos, p - pos);
      out += repl;
      pos = p + old.size();
      ++done;
    }
    out.append(s, pos, std::string::npos);
    return Value::String(std::move(out));
  }
  if (name == "startswith" || name == "endswith") {
    SQLMILL_RETURN_IF_ERROR(ArgCount(name, args, 1, 3));
    std::string_view view = s;
    Value sliced;
    if (n > 1) {
      SQLMILL_ASSIGN_OR_RETURN(sliced, Slice(self, args.args[1], n > 2 ? args.args[2] : Value(),
                                             Value()));
      view = sliced.as_string();
    }
    std::vector<Value> options;
    if (args.args[0].is_tuple()) {
      options = args.args[0].items();
    } else {
      options.push_back(args.args[0]);
    }
    for (const auto& o : options) {
      if (!o.is_string()) {
        return TypeError(absl::StrCat(std::string(name),
                                      " first arg must be str or a tuple of str, not ",
                                      std::string(o.TypeName())));
      }
      const std::string& p = o.as_string();
      bool hit = name == "startswith"
                     ? view.size() >= p.size() && view.compare(0, p.size(), p) == 0
                     : view.size() >= p.size() &&
                           view.compare(view.size() - p.size(), p.size(), p) == 0;
      if (hit) return Value::Bool(true);
    }
    return Value::Bool(false);
  }
  if (name == "format") {
    SQLMILL_ASSIGN_OR_RETURN(std::string out, StrFormat(s, args));
    return Value::String(std::move(out));
  }
  if (name == "join") {
    SQLMILL_RETURN_IF_ERROR(ArgCount(name, args, 1, 1));
    std::vector<Value> items;
    SQLMILL_RETURN_IF_ERROR(IterateValue(args.args[0], false, &items));
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) {
      if (!items[i].is_string()) {
        return TypeError(absl::StrCat("sequence item ", i, ": expected str instance, ",
                                      std::string(items[i].TypeName()), " found"));
      }
      if (i) out += s;
      out += items[i].as_string();
    }
    return Value::String(std::move(out));
  }
  if (name == "title") return Value::String(PyTitle(s));
  if (name == "capitalize") {
    auto cps = DecodeUtf8(s);
    std::string out;
    for (size_t i = 0; i < cps.size(); ++i) {
      std::string one;
      AppendUtf8(cps[i], &one);
      out += i == 0 ? ToUpper(one) : ToLower(one);
    }
    return Value::String(std::move(out));
  }
  if (name == "swapcase") {
    std::string out;
    for (uint32_t c : DecodeUtf8(s)) {
      std::string one;
      AppendUtf8(c, &one);
      out += IsCasedUpper(c) ? ToLower(one) : ToUpper(one);
    }
    return Value::String(std::move(out));
  }
  if (name == "find" || name == "rfind" || name == "index" || name == "rindex" ||
      name == "count") {
    SQLMILL_RETURN_IF_ERROR(ArgCount(name, args, 1, 3));
    SQLMILL_ASSIGN_OR_RETURN(std::string sub, StrArg(name, args.args[0]));
    auto cps = DecodeUtf8(s);
    int64_t len = cps.size();
    int64_t start = 0, end = len;
    if (n > 1) {
      SQLMILL_ASSIGN_OR_RETURN(int64_t a, IndexArg(args.args[1]));
      if (a != INT64_MIN) start = a < 0 ? std::max<int64_t>(a + len, 0) : std::min(a, len);
    }
    if (n > 2) {
      SQLMILL_ASSIGN_OR_RETURN(int64_t b, IndexArg(args.args[2]));
      if (b != INT64_MIN) end = b < 0 ? std::max<int64_t>(b + len, 0) : std::min(b, len);
    }
    auto subcps = DecodeUtf8(sub);
    int64_t m = subcps.size();
    auto match_at = [&](int64_t i) {
      return std::equal(subcps.begin(), subcps.end(), cps.begin() + i);
    };
    if (name == "count") {
      int64_t c = 0;
      if (m == 0) return Value::Int(start <= end ? end - start + 1 : 0);
      for (int64_t i = start; i + m <= end;) {
        if (match_at(i)) {
          ++c;
          i += m;
        } else {
          ++i;
        }
      }
      return Value::Int(c);
    }
    int64_t found_at = -1;
    if (name == "find" || name == "index") {
      for (int64_t i = start; i + m <= end; ++i) {
        if (match_at(i)) {
          found_at = i;
          break;
        }
      }
    } else {
      for (int64_t i = end - m; i >= start; --i) {
        if (match_at(i)) {
          found_at = i;
          break;
        }
      }
    }
    if (found_at < 0 && (name == "index" || name == "rindex")) {
      return TypeError("substring not found");
    }
    return Value::Int(found_at);
  }
  if (name == "isdigit" || name == "isnumeric" || name == "isdecimal") {
    return AllChars(s, IsDigitCp);
  }
  if (name == "isalpha") return AllChars(s, IsAlphaCp);
  if (name == "isalnum") return AllChars(s, [](uint32_t c) { return IsAlphaCp(c) || IsDigitCp(c); });
  if (name == "isspace") return AllChars(s, IsPySpace);
  if (name == "islower" || name == "isupper") {
    bool any_cased = false;
    for (uint32_t c : DecodeUtf8(s)) {
      if (IsCasedLower(c)) {
        any_cased = true;
        if (name == "isupper") return Value::Bool(false);
      } else if (IsCasedUpper(c)) {
        any_cased = true;
        if (name == "islower") return Value::Bool(false);
      }
    }
    return Value::Bool(any_cased);
  }
  if (name == "istitle") {
    return Value::Bool(!s.empty() && PyTitle(s) == s && ToLower(s) != s);
  }
  if (name == "isidentifier") {
    bool ok = !s.empty() && !IsDigitCp(static_cast<unsigned char>(s[0]));
    for (char c : s) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    return Value::Bool(ok);
  }
  if (name == "zfill") {
    SQLMILL_RETURN_IF_ERROR(ArgCount(name, args, 1, 1));
    int64_t width = args.args[0].as_int();
    int64_t len = Utf8Length(s);
    if (len >= width) return self;
    std::string sign;
    std::string body = s;
    if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
      sign = body.substr(0, 1);
      body = body.substr(1);
    }
    return Value::String(sign + std::string(width - len, '0') + body);
  }
  if (name == "center" || name == "ljust" || name == "rjust") {
    SQLMILL_RETURN_IF_ERROR(ArgCount(name, args, 1, 2));
    int64_t width = args.args[0].as_int();
    std::string fill = n > 1 ? args.args[1].Str() : " ";
    int64_t len = Utf8Length(s);
    if (len >= width) return self;
    int64_t pad = width - len;
    int64_t left = name == "ljust" ? 0 : name == "rjust" ? pad : pad / 2 + (pad & width & 1);
    std::string out;
    for (int64_t i = 0; i < left; ++i) out += fill;
    out += s;
    for (int64_t i = 0; i < pad - left; ++i) out += fill;
    return Value::String(std::move(out));
  }
  if (name == "partition" || name == "rpartition") {
    SQLMILL_RETURN_IF_ERROR(ArgCount(name, args, 1, 1));
    SQLMILL_ASSIGN_OR_RETURN(std::string sep, StrArg(name, args.args[0]));
    if (sep.empty()) return TypeError("empty separator");
    size_t p = name == "partition" ? s.find(sep) : s.rfind(sep);
    if (p == std::string::npos) {
      if (name == "partition") {
        return Value::Tuple({self, Value::String(""), Value::String("")});
      }
      return Value::Tuple({Value::String(""), Value::String(""), self});
    }
    return Value::Tuple({Value::String(s.substr(0, p)), Value::String(sep),
                         Value::String(s.substr(p + sep.size()))});
  }
  if (name == "removeprefix" || name == "removesuffix") {
    SQLMILL_RETURN_IF_ERROR(ArgCount(name, args, 1, 1));
    SQLMILL_ASSIGN_OR_RETURN(std::string a, StrArg(name, args.args[0]));
    if (name == "removeprefix" && s.compare(0, a.size(), a) == 0) {
      return Value::String(s.substr(a.size()));
    }
    if (name == "removesuffix" && !a.empty() && s.size() >= a.size() &&
        s.compare(s.size() - a.size(), a.size(), a) == 0) {
      return Value::String(s.substr(0, s.size() - a.size()));
    }
    return self;
  }
  if (name == "__len__") return Value::Int(Utf8Length(s));
  *found = false;
  return Value();
}

absl::StatusOr<Value> ListMethod(const Value& self, std::string_view name, const CallArgs& args,
                                 CallContext& ctx, bool* found) {
  *found = true;
  const bool tuple = self.is_tuple();
  auto& items = self.list()->items;
  const size_t n = args.args.size();
  if (name == "index" || name == "count") {
    SQLMILL_RETURN_IF_ERROR(ArgCount(name, args, 1, 1));
    int64_t c = 0;
    for (size_t i = 0; i < items.size(); ++i) {
      if (Equals(items[i], args.args[0])) {
        if (name == "index") return Value::Int(static_cast<int64_t>(i));
        ++c;
      }
    }
    if (name == "index") return TypeError(absl::StrCat(args.args[0].Repr(), " is not in list"));
    return Value::Int(c);
  }
  if (tuple) {
    *found = false;
    return Value();
  }
  if (name == "append") {
    SQLMILL_RETURN_IF_ERROR(ArgCount(name, args, 1, 1));
    items.push_back(args.args[0]);
    return Value::None();
  }
  if (name == "extend") {
    SQLMILL_RETURN_IF_ERROR(ArgCount(name, args, 1, 1));
    std::vector<Value> more;
    SQLMILL_RETURN_IF_ERROR(IterateValue(args.args[0], false, &more));
    items.insert(items.end(), more.begin(), more.end());
    return Value::None();
  }
  if (name == "insert") {
    SQLMILL_RETURN_IF_ERROR(ArgCount(name, args, 2, 2));
    int64_t i = args.args[0].as_int();
    int64_t len = items.size();
    if (i < 0) i = std::max<int64_t>(i + len, 0);
    if (i > len) i = len;
    items.insert(items.begin() + i, args.args[1]);
    return Value::None();
  }
  if (name == "pop") {
    SQLMILL_RETURN_IF_ERROR(ArgCount(name, args, 0, 1));
    if (items.empty()) return TypeError("pop from empty list");
    int64_t len = items.size();
    int64_t i = n > 0 ? args.args[0].as_int() : len - 1;
    if (i < 0) i += len;
    if (i < 0 || i >= len) return TypeError("pop index out of range");
    Value v = items[i];
    items.erase(items.begin() + i);
    return v;
  }
  if (name == "remove") {
    SQLMILL_RETURN_IF_ERROR(ArgCount(name, args, 1, 1));
    for (size_t i = 0; i < items.size(); ++i) {
      if (Equals(items[i], args.args[0])) {
        items.erase(items.begin() + i);
        return Value::None();
      }
    }
    return TypeError("list.remove(x): x not in list");
  }
  if (name == "reverse") {
    std::reverse(items.begin(), items.end());
    return Value::None();
  }
  if (name == "sort") {
    std::vector<Value> bound;
    CallArgs kw;
    kw.kwargs = args.kwargs;
    if (n > 0) return TypeError("sort() takes no positional arguments");
    SQLMILL_RETURN_IF_ERROR(BindArgs("sort", kw, {"key", "reverse"}, &bound));
    std::function<absl::StatusOr<Value>(const Value&)> key;
    if (!bound[0].is_undefined() && !bound[0].is_none()) {
      Value fn = bound[0];
      key = [fn, &ctx](const Value& v) {
        CallArgs a;
        a.args.push_back(v);
        return ctx.CallValue(fn, a);
      };
    }
    std::vector<Value> copy = items;
    SQLMILL_RETURN_IF_ERROR(SortValues(&copy, bound[1].Truthy(), key));
    items = std::move(copy);
    return Value::None();
  }
  if (name == "copy") return Value::List(items);
  if (name == "clear") {
    items.clear();
    return Value::None();
  }
  *found = false;
  return Value();
}

absl::StatusOr<Value> DictMethod(const Value& self, std::string_view name, const CallArgs& args,
                                 bool* found) {
  *found = true;
  DictData* d = self.dict();
  const size_t n = args.args.size();
  if (name == "items") {
    std::vector<Value> out;
    out.reserve(d->size());
    for (const auto& [k, v] : d->entries()) out.push_back(Value::Tuple({k, v}));
    return Value::List(std::move(out));
  }
  if (name == "keys" || name == "values") {
    std::vector<Value> out;
    out.reserve(d->size());
    for (const auto& [k, v] : d->entries()) out.push_back(name == "keys" ? k : v);
    return Value::List(std::move(out));
  }
  if (name == "get") {
    SQLMILL_RETURN_IF_ERROR(ArgCount(name, args, 1, 2));
    const Value* v = d->Find(args.args[0]);
    if (v != nullptr) return *v;
    return n > 1 ? args.args[1] : Value::None();
  }
  if (name == "update") {
    SQLMILL_RETURN_IF_ERROR(ArgCount(name, args, 0, 1));
    if (n == 1) {
      const Value& other = args.args[0];
      if (other.is_dict()) {
        // Copy first: d.update(d) must not iterate a changing vector.
        auto entries = other.dict()->entries();
        for (auto& [k, v] : entries) d->Set(k, v);
      } else {
        std::vector<Value> pairs;
        SQLMILL_RETURN_IF_ERROR(IterateValue(other, false, &pairs));
        for (const auto& p : pairs) {
          if (!p.is_sequence() || p.items().size() != 2) {
            return TypeError("dictionary update sequence element has wrong length");
          }
          d->Set(p.items()[0], p.items()[1]);
        }
      }
    }
    for (const auto& [k, v] : args.kwargs) d->SetStr(k, v);
    return Value::None();
  }
  if (name == "pop") {
    SQLMILL_RETURN_IF_ERROR(ArgCount(name, args, 1, 2));
    const Value* v = d->Find(args.args[0]);
    if (v == nullptr) {
      if (n > 1) return args.args[1];
      return TypeError(absl::StrCat("KeyError: ", args.args[0].Repr()));
    }
    Value out = *v;
    d->Erase(args.args[0]);
    return out;
  }
  if (name == "setdefault") {
    SQLMILL_RETURN_IF_ERROR(ArgCount(name, args, 1, 2));
    const Value* v = d->Find(args.args[0]);
    if (v != nullptr) return *v;
    Value def = n > 1 ? args.args[1] : Value::None();
    d->Set(args.args[0], def);
    return def;
  }
  if (name == "copy") {
    Value out = Value::Dict();
    for (const auto& [k, v] : d->entries()) out.dict()->Set(k, v);
    return out;
  }
  if (name == "clear") {
    d->Clear();
    return Value::None();
  }
  if (name == "popitem") {
    if (d->size() == 0) return TypeError("popitem(): dictionary is empty");
    auto last = d->entries().back();
    d->Erase(last.first);
    return Value::Tuple({last.first, last.second});
  }
  *found = false;
  return Value();
}

}  // namespace

bool HasBuiltinMethod(const Value& self, std::string_view name) {
  static constexpr std::string_view kStr[] = {
      "upper", "lower", "casefold", "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines",
      "replace", "startswith", "endswith", "format", "join", "title", "capitalize", "swapcase",
      "find", "rfind", "index", "rindex", "count", "isdigit", "isnumeric", "isdecimal", "isalpha",
      "isalnum", "isspace", "islower", "isupper", "istitle", "isidentifier", "zfill", "center",
      "ljust", "rjust", "partition", "rpartition", "removeprefix", "removesuffix"};
  static constexpr std::string_view kList[] = {"append", "extend", "insert", "pop", "remove",
                                               "reverse", "sort", "copy", "clear", "index",
                                               "count"};
  static constexpr std::string_view kDict[] = {"items", "keys", "values", "get", "update", "pop",
                                               "setdefault", "copy", "clear", "popitem"};
  switch (self.kind()) {
    case ValueKind::kString:
      return std::find(std::begin(kStr), std::end(kStr), name) != std::end(kStr);
    case ValueKind::kList:
      return std::find(std::begin(kList), std::end(kList), name) != std::end(kList);
    case ValueKind::kTuple:
      return name == "index" || name == "count";
    case ValueKind::kDict:
      return std::find(std::begin(kDict), std::end(kDict), name) != std::end(kDict);
    default:
      return false;
  }
}

absl::StatusOr<Value> CallBuiltinMethod(const Value& self, std::string_view name,
                                        const CallArgs& args, CallContext& ctx, bool* found) {
  *found = false;
  switch (self.kind()) {
    case ValueKind::kString:
      return StrMethod(self, name, args, found);
    case ValueKind::kList:
    case ValueKind::kTuple:
      return ListMethod(self, name, args, ctx, found);
    case ValueKind::kDict:
      return DictMethod(self, name, args, found);
    default:
      return Value();
  }
}

}  // namespace sqlmill::jinja::internal

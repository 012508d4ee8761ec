// dbt's Jinja context: ref, source, config, var, env_var, this, target, is_incremental,
// adapter (dispatch, quote, get_relation, get_columns_in_relation), api, return, log,
// exceptions, modules (datetime, re), tojson/fromjson/toyaml/fromyaml, zip, set, local_md5,
// execute, graph, builtins, run_started_at, invocation_id, statement/run_query/load_result.
//
// The functions are registered once per MacroEnvironment, which sessions with equal
// settings share (parse_cache.h); they act on the thread's current session (SessionRef),
// and what changes per node (`this`, `model`, `execute`, the config being captured) is read
// from the thread's RenderState, so a macro from any package sees the node being rendered.
// Thread-safety: see session.h.
#include <cmath>
#include <ctime>
#include <regex>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "services/dbt_compiler/engine/internal/hash.h"
#include "services/dbt_compiler/engine/internal/session.h"
#include "services/dbt_compiler/engine/set_value.h"
#include "services/dbt_compiler/engine/yaml_value.h"
#include "services/dbt_compiler/jinja/json.h"

namespace sqlmill::dbt {
namespace {

using jinja::CallArgs;
using jinja::CallContext;
using jinja::Object;
using jinja::Value;

thread_local RenderState* tls_render = nullptr;
thread_local Session* tls_session = nullptr;

Value Fn(std::string name, jinja::NativeFunction fn) { return jinja::MakeFunction(std::move(name), std::move(fn)); }

// Returns positional argument i, else keyword `name`, else null.
const Value* Arg(const CallArgs& args, size_t i, std::string_view name) {
  if (i < args.args.size()) return &args.args[i];
  return args.Kwarg(name);
}

std::string ArgStr(const CallArgs& args, size_t i, std::string_view name) {
  const Value* v = Arg(args, i, name);
  return (v == nullptr || v->is_none() || v->is_undefined()) ? "" : v->Str();
}

absl::Status CompilationError(std::string message) {
  return absl::InvalidArgumentError(std::move(message));
}

constexpr std::string_view kWarehousePrefix = "needs a warehouse query: ";

absl::Status NeedsWarehouse(std::string what) {
  RenderState* st = CurrentRender();
  if (st != nullptr) st->warehouse_need = what;
  return absl::FailedPreconditionError(absl::StrCat(AsAbsl(kWarehousePrefix), what));
}


// Forwards to a per-render value: `this`, `model`, `execute`, `graph`, and the session's
// `selected_resources`.
class ProxyObject : public Object {
 public:
  enum class Kind { kThis, kModel, kExecute, kGraph, kSelected };
  ProxyObject(SessionRef session, Kind kind) : session_(session), kind_(kind) {}

  Value Target() const {
    RenderState* st = CurrentRender();
    switch (kind_) {
      case Kind::kThis:
        if (st == nullptr || st->node == nullptr) return Value::None();
        return session_->RelationFor(*st->node);
      case Kind::kModel:
        if (st == nullptr || st->node == nullptr) return Value::Dict();
        if (st->model_dict.is_undefined()) st->model_dict = session_->NodeDict(*st->node);
        return st->model_dict;
      case Kind::kExecute:
        return Value::Bool(st != nullptr && st->execute);
      case Kind::kGraph:
        return (st != nullptr && st->execute) ? session_->graph_value() : EmptyGraph();
      case Kind::kSelected: {
        std::vector<Value> ids;
        for (const auto& id : session_->selected_ids()) ids.push_back(Value::String(id));
        return Value::List(std::move(ids));
      }
    }
    return Value::None();
  }
  static Value EmptyGraph() {
    Value g = Value::Dict();
    for (const char* k : {"nodes", "sources", "exposures", "metrics", "groups", "semantic_models",
                          "saved_queries"}) {
      g.dict()->SetStr(k, Value::Dict());
    }
    return g;
  }
  std::string_view TypeName() const override {
    return kind_ == Kind::kExecute ? "bool" : kind_ == Kind::kSelected ? "list" : "object";
  }
  Value GetAttr(std::string_view name) const override {
    Value t = Target();
    if (t.is_object()) return t.object()->GetAttr(name);
    if (t.is_dict()) {
      if (name == "get") {
        return Fn("get", [t](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
          if (args.args.empty()) return Value::None();
          const Value* v = t.dict()->Find(args.args[0]);
          if (v != nullptr) return *v;
          return args.args.size() > 1 ? args.args[1] : Value::None();
        });
      }
      if (name == "items" || name == "keys" || name == "values") {
        std::string which(name);
        return Fn(which, [t, which](const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
          std::vector<Value> out;
          for (const auto& [k, v] : t.dict()->entries()) {
            if (which == "items") out.push_back(Value::Tuple({k, v}));
            if (which == "keys") out.push_back(k);
            if (which == "values") out.push_back(v);
          }
          return Value::List(std::move(out));
        });
      }
      if (const Value* v = t.dict()->FindStr(name)) return *v;
    }
    return Value::Undefined(absl::StrCat("'", std::string(name), "' is undefined"));
  }
  Value GetItem(const Value& key) const override {
    Value t = Target();
    if (t.is_list() && key.is_int()) {
      int64_t i = key.as_int();
      const auto& items = t.items();
      if (i < 0) i += static_cast<int64_t>(items.size());
      return i >= 0 && i < static_cast<int64_t>(items.size()) ? items[i] : Value::Undefined();
    }
    if (t.is_dict()) {
      const Value* v = t.dict()->Find(key);
      return v ? *v : Value::Undefined();
    }
    if (t.is_object()) return t.object()->GetItem(key);
    return Value::Undefined();
  }
  bool Iterate(std::vector<Value>* out) const override {
    Value t = Target();
    if (t.is_list()) {
      for (const auto& x : t.items()) out->push_back(x);
      return true;
    }
    if (!t.is_dict()) return false;
    for (const auto& [k, v] : t.dict()->entries()) out->push_back(k);
    return true;
  }
  std::string Str() const override { return Target().Str(); }
  std::string Repr() const override { return Target().Repr(); }
  bool Truthy() const override { return Target().Truthy(); }

 private:
  SessionRef session_;
  Kind kind_;
};

Value LookupConfig(SessionRef session, std::string_view name, bool* found) {
  RenderState* st = CurrentRender();
  *found = false;
  if (st == nullptr || st->node == nullptr) return Value::None();
  if (!st->execute) {
    if (const Value* v = st->config_calls.dict()->FindStr(name)) {
      *found = true;
      return *v;
    }
  }
  if (const Value* v = st->node->config.dict()->FindStr(name)) {
    *found = !v->is_none();
    return *v;
  }
  (void)session;
  return Value::None();
}

// `config`: config(...) at parse time records the node's config; config.get/require read it.
class ConfigObject : public Object {
 public:
  explicit ConfigObject(SessionRef session) : session_(session) {}
  std::string_view TypeName() const override { return "Config"; }
  bool IsCallable() const override { return true; }
  absl::StatusOr<Value> Call(const CallArgs& args, CallContext&) override {
    RenderState* st = CurrentRender();
    if (st == nullptr || st->execute) return Value::String("");
    auto merge = [&](const std::string& key, const Value& v) {
      Value* slot = st->config_calls.dict()->FindMutable(Value::String(key));
      const bool additive = key == "tags" || key == "pre-hook" || key == "post-hook" ||
                            key == "pre_hook" || key == "post_hook";
      if (slot != nullptr && additive) {
        std::vector<Value> items = slot->is_sequence() ? slot->items() : std::vector<Value>{*slot};
        if (v.is_sequence()) {
          for (const auto& x : v.items()) items.push_back(x);
        } else {
          items.push_back(v);
        }
        *slot = Value::List(std::move(items));
      } else {
        st->config_calls.dict()->SetStr(key, v);
      }
    };
    for (const auto& a : args.args) {
      if (a.is_dict()) {
        for (const auto& [k, v] : a.dict()->entries()) merge(k.Str(), v);
      }
    }
    for (const auto& [k, v] : args.kwargs) merge(k, v);
    return Value::String("");
  }
  Value GetAttr(std::string_view name) const override {
    SessionRef session = session_;
    if (name == "get" || name == "meta_get") {
      const bool meta = name == "meta_get";
      return Fn(std::string(name), [session, meta](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
        const std::string key = ArgStr(args, 0, "name");
        const Value* def = Arg(args, 1, "default");
        bool found = false;
        Value v;
        if (meta) {
          Value m = LookupConfig(session, "meta", &found);
          found = false;
          if (m.is_dict()) {
            if (const Value* x = m.dict()->FindStr(key)) {
              v = *x;
              found = true;
            }
          }
        } else {
          v = LookupConfig(session, key, &found);
        }
        if (!found) return def ? *def : Value::None();
        return v;
      });
    }
    if (name == "require" || name == "meta_require") {
      return Fn(std::string(name), [session](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
        const std::string key = ArgStr(args, 0, "name");
        bool found = false;
        Value v = LookupConfig(session, key, &found);
        if (!found) {
          RenderState* st = CurrentRender();
          if (st != nullptr && !st->execute) return Value::String("");
          return CompilationError(absl::StrCat("Required config '", key, "' was not set"));
        }
        return v;
      });
    }
    if (name == "set") {
      return Fn("set", [](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
        RenderState* st = CurrentRender();
        if (st != nullptr && !st->execute && args.args.size() >= 2) {
          st->config_calls.dict()->SetStr(args.args[0].Str(), args.args[1]);
        }
        return Value::String("");
      });
    }
    if (name == "persist_relation_docs" || name == "persist_column_docs") {
      return Fn(std::string(name), [](const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
        return Value::Bool(false);
      });
    }
    if (name == "model") return Value::None();
    return Object::GetAttr(name);
  }
  std::string Str() const override { return "<config>"; }

 private:
  SessionRef session_;
};

// A fetched result table, shaped like the agate.Table dbt returns.
class TableObject : public Object {
 public:
  TableObject(std::vector<std::string> names, std::vector<Value> rows)
      : names_(std::move(names)), rows_(std::move(rows)) {}
  std::string_view TypeName() const override { return "Table"; }
  Value GetAttr(std::string_view name) const override {
    if (name == "rows") return Value::List(rows_);
    if (name == "column_names") {
      std::vector<Value> n;
      for (const auto& s : names_) n.push_back(Value::String(s));
      return Value::Tuple(std::move(n));
    }
    if (name == "columns") {
      Value cols = Value::List();
      for (size_t i = 0; i < names_.size(); ++i) cols.list()->items.push_back(Column(i));
      return cols;
    }
    if (name == "print_table" || name == "print_json") {
      return Fn(std::string(name), [](const CallArgs&, CallContext&) -> absl::StatusOr<Value> { return Value::String(""); });
    }
    return Object::GetAttr(name);
  }
  Value GetItem(const Value& key) const override {
    if (key.is_int()) {
      int64_t i = key.as_int();
      if (i < 0) i += rows_.size();
      if (i >= 0 && i < static_cast<int64_t>(rows_.size())) return rows_[i];
    }
    return Value::Undefined("row index out of range");
  }
  bool Iterate(std::vector<Value>* out) const override {
    *out = rows_;
    return true;
  }
  std::string Str() const override { return "<agate.Table>"; }

 private:
  Value Column(size_t i) const {
    std::vector<Value> values;
    for (const auto& row : rows_) {
      if (row.is_sequence() && i < row.items().size()) values.push_back(row.items()[i]);
    }
    Value vals = Value::Tuple(values);
    Value col = Value::Dict();
    col.dict()->SetStr("name", Value::String(names_[i]));
    col.dict()->SetStr("values", Fn("values", [vals](const CallArgs&, CallContext&) -> absl::StatusOr<Value> { return vals; }));
    col.dict()->SetStr("values_distinct", Fn("values_distinct", [vals](const CallArgs&, CallContext&) -> absl::StatusOr<Value> { return vals; }));
    return col;
  }
  std::vector<std::string> names_;
  std::vector<Value> rows_;
};

absl::StatusOr<Value> ResultValue(const QueryResult& q) {
  std::vector<Value> rows;
  if (!q.rows_json.empty()) {
    SQLMILL_ASSIGN_OR_RETURN(Value parsed, jinja::ParseJson(q.rows_json));
    if (parsed.is_sequence()) {
      for (const auto& r : parsed.items()) {
        rows.push_back(r.is_sequence() ? Value::Tuple(r.items()) : Value::Tuple({r}));
      }
    }
  }
  Value table = Value::FromObject(std::make_shared<TableObject>(q.column_names, rows));
  Value result = Value::Dict();
  Value response = Value::Dict();
  response.dict()->SetStr("code", Value::String("SELECT"));
  response.dict()->SetStr("rows_affected", Value::Int(static_cast<int64_t>(rows.size())));
  result.dict()->SetStr("response", response);
  result.dict()->SetStr("table", table);
  result.dict()->SetStr("data", Value::List(rows));
  return result;
}

// --- modules.datetime (only what dbt packages use; "now" is run_started_at) ---

struct DateTime {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, micro = 0;
  bool has_tz = false;
  bool date_only = false;
};

bool ParseIsoDateTime(std::string_view s, DateTime* out) {
  int y, mo, d, h = 0, mi = 0, sec = 0;
  std::string str(s);
  if (std::sscanf(str.c_str(), "%d-%d-%d", &y, &mo, &d) != 3) return false;
  out->year = y;
  out->month = mo;
  out->day = d;
  if (str.size() > 10 && (str[10] == 'T' || str[10] == ' ')) {
    std::sscanf(str.c_str() + 11, "%d:%d:%d", &h, &mi, &sec);
    size_t dot = str.find('.', 11);
    if (dot != std::string::npos) {
      std::string frac;
      for (size_t i = dot + 1; i < str.size() && std::isdigit(static_cast<unsigned char>(str[i])); ++i) frac.push_back(str[i]);
      while (frac.size() < 6) frac.push_back('0');
      out->micro = std::atoi(frac.substr(0, 6).c_str());
    }
    out->has_tz = str.find('+', 11) != std::string::npos || str.back() == 'Z' ||
                  str.find('-', 11) != std::string::npos;
  }
  out->hour = h;
  out->minute = mi;
  out->second = sec;
  return true;
}

std::string Strftime(const DateTime& dt, std::string_view fmt) {
  std::string out;
  for (size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] != '%' || i + 1 >= fmt.size()) {
      out.push_back(fmt[i]);
      continue;
    }
    char c = fmt[++i];
    char buf[32];
    switch (c) {
      case 'Y': std::snprintf(buf, sizeof(buf), "%04d", dt.year); break;
      case 'y': std::snprintf(buf, sizeof(buf), "%02d", dt.year % 100); break;
      case 'm': std::snprintf(buf, sizeof(buf), "%02d", dt.month); break;
      case 'd': std::snprintf(buf, sizeof(buf), "%02d", dt.day); break;
      case 'H': std::snprintf(buf, sizeof(buf), "%02d", dt.hour); break;
      case 'M': std::snprintf(buf, sizeof(buf), "%02d", dt.minute); break;
      case 'S': std::snprintf(buf, sizeof(buf), "%02d", dt.second); break;
      case 'f': std::snprintf(buf, sizeof(buf), "%06d", dt.micro); break;
      case 'z': std::snprintf(buf, sizeof(buf), "%s", dt.has_tz ? "+0000" : ""); break;
      case 'Z': std::snprintf(buf, sizeof(buf), "%s", dt.has_tz ? "UTC" : ""); break;
      case '%': std::snprintf(buf, sizeof(buf), "%%"); break;
      default: std::snprintf(buf, sizeof(buf), "%%%c", c); break;
    }
    out.append(buf);
  }
  return out;
}

class DateTimeObject : public Object {
 public:
  explicit DateTimeObject(DateTime dt) : dt_(dt) {}
  static Value Make(DateTime dt) { return Value::FromObject(std::make_shared<DateTimeObject>(dt)); }
  std::string_view TypeName() const override { return dt_.date_only ? "date" : "datetime"; }
  Value GetAttr(std::string_view name) const override {
    DateTime dt = dt_;
    if (name == "year") return Value::Int(dt.year);
    if (name == "month") return Value::Int(dt.month);
    if (name == "day") return Value::Int(dt.day);
    if (name == "hour") return Value::Int(dt.hour);
    if (name == "minute") return Value::Int(dt.minute);
    if (name == "second") return Value::Int(dt.second);
    if (name == "microsecond") return Value::Int(dt.micro);
    if (name == "strftime") {
      return Fn("strftime", [dt](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
        return Value::String(Strftime(dt, ArgStr(args, 0, "format")));
      });
    }
    if (name == "isoformat") {
      return Fn("isoformat", [dt](const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
        return Value::String(DateTimeObject(dt).Iso('T'));
      });
    }
    if (name == "date") {
      return Fn("date", [dt](const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
        DateTime d = dt;
        d.date_only = true;
        return Make(d);
      });
    }
    if (name == "astimezone" || name == "replace") {
      return Fn(std::string(name), [dt](const CallArgs&, CallContext&) -> absl::StatusOr<Value> { return Make(dt); });
    }
    if (name == "timestamp") {
      return Fn("timestamp", [dt](const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
        std::tm tm{};
        tm.tm_year = dt.year - 1900;
        tm.tm_mon = dt.month - 1;
        tm.tm_mday = dt.day;
        tm.tm_hour = dt.hour;
        tm.tm_min = dt.minute;
        tm.tm_sec = dt.second;
        return Value::Float(static_cast<double>(timegm(&tm)) + dt.micro / 1e6);
      });
    }
    return Object::GetAttr(name);
  }
  std::string Iso(char sep) const {
    char buf[64];
    if (dt_.date_only) {
      std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", dt_.year, dt_.month, dt_.day);
      return buf;
    }
    std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d%c%02d:%02d:%02d", dt_.year, dt_.month, dt_.day, sep,
                  dt_.hour, dt_.minute, dt_.second);
    std::string out = buf;
    if (dt_.micro != 0) {
      std::snprintf(buf, sizeof(buf), ".%06d", dt_.micro);
      out += buf;
    }
    if (dt_.has_tz) out += "+00:00";
    return out;
  }
  std::string Str() const override { return Iso(' '); }

 private:
  DateTime dt_;
};

class DictObject : public Object {
 public:
  DictObject(std::string type, absl::flat_hash_map<std::string, Value> attrs)
      : type_(std::move(type)), attrs_(std::move(attrs)) {}
  std::string_view TypeName() const override { return type_; }
  Value GetAttr(std::string_view name) const override {
    auto it = attrs_.find(AsAbsl(name));
    if (it != attrs_.end()) return it->second;
    return Object::GetAttr(name);
  }
  std::string Str() const override { return absl::StrCat("<module '", type_, "'>"); }

 private:
  std::string type_;
  absl::flat_hash_map<std::string, Value> attrs_;
};

Value MakeObject(std::string type, absl::flat_hash_map<std::string, Value> attrs) {
  return Value::FromObject(std::make_shared<DictObject>(std::move(type), std::move(attrs)));
}

// --- modules.re on std::regex (ECMAScript, close to Python's syntax for common patterns) ---

std::string PyToEcma(std::string pattern) {
  // Python's named groups (?P<name>...) → ECMAScript (?<name>...) is unsupported in
  // std::regex; drop the names. \A and \Z become ^ and $.
  pattern = std::regex_replace(pattern, std::regex(R"(\(\?P<[A-Za-z_][A-Za-z0-9_]*>)"), "(");
  absl::StrReplaceAll({{"\\A", "^"}, {"\\Z", "$"}}, &pattern);
  return pattern;
}

absl::StatusOr<std::regex> MakeRegex(const std::string& pattern, int64_t flags) {
  auto f = std::regex::ECMAScript;
  if (flags & 2) f |= std::regex::icase;
  try {
    return std::regex(PyToEcma(pattern), f);
  } catch (const std::regex_error& e) {
    return CompilationError(absl::StrCat("invalid regular expression '", pattern, "': ", e.what()));
  }
}

Value MatchValue(const std::smatch& m, const std::string& subject) {
  std::vector<Value> groups;
  for (size_t i = 0; i < m.size(); ++i) {
    groups.push_back(m[i].matched ? Value::String(m[i].str()) : Value::None());
  }
  const int64_t start = m.position(0), end = m.position(0) + m.length(0);
  (void)subject;
  absl::flat_hash_map<std::string, Value> attrs;
  attrs["group"] = Fn("group", [groups](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
    if (args.args.empty()) return groups[0];
    if (args.args.size() == 1) {
      int64_t i = args.args[0].as_int();
      if (i < 0 || i >= static_cast<int64_t>(groups.size())) return CompilationError("no such group");
      return groups[i];
    }
    std::vector<Value> out;
    for (const auto& a : args.args) out.push_back(groups[a.as_int()]);
    return Value::Tuple(std::move(out));
  });
  attrs["groups"] = Fn("groups", [groups](const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
    return Value::Tuple(std::vector<Value>(groups.begin() + 1, groups.end()));
  });
  attrs["start"] = Fn("start", [start](const CallArgs&, CallContext&) -> absl::StatusOr<Value> { return Value::Int(start); });
  attrs["end"] = Fn("end", [end](const CallArgs&, CallContext&) -> absl::StatusOr<Value> { return Value::Int(end); });
  attrs["span"] = Fn("span", [start, end](const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
    return Value::Tuple({Value::Int(start), Value::Int(end)});
  });
  return MakeObject("re.Match", std::move(attrs));
}

std::string PyReplacement(const std::string& repl) {
  // Python's \1 / \g<1> → ECMAScript $1.
  std::string out;
  for (size_t i = 0; i < repl.size(); ++i) {
    if (repl[i] == '\\' && i + 1 < repl.size() && std::isdigit(static_cast<unsigned char>(repl[i + 1]))) {
      out.push_back('$');
      out.push_back(repl[++i]);
    } else if (repl[i] == '$') {
      out += "$$";
    } else {
      out.push_back(repl[i]);
    }
  }
  return out;
}

absl::StatusOr<Value> ReCall(std::string_view op, const std::string& pattern, int64_t flags,
                             const CallArgs& args, size_t first) {
  SQLMILL_ASSIGN_OR_RETURN(std::regex re, MakeRegex(pattern, flags));
  auto arg = [&](size_t i, std::string_view name) { return ArgStr(args, first + i, name); };
  if (op == "match" || op == "search" || op == "fullmatch") {
    std::string s = arg(0, "string");
    std::smatch m;
    bool ok = op == "search" ? std::regex_search(s, m, re)
              : op == "fullmatch" ? std::regex_match(s, m, re)
                                  : std::regex_search(s, m, re, std::regex_constants::match_continuous);
    if (!ok) return Value::None();
    return MatchValue(m, s);
  }
  if (op == "sub") {
    std::string repl = arg(0, "repl");
    std::string s = arg(1, "string");
    return Value::String(std::regex_replace(s, re, PyReplacement(repl)));
  }
  if (op == "findall") {
    std::string s = arg(0, "string");
    std::vector<Value> out;
    for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it) {
      const std::smatch& m = *it;
      if (m.size() == 1) {
        out.push_back(Value::String(m.str(0)));
      } else if (m.size() == 2) {
        out.push_back(Value::String(m.str(1)));
      } else {
        std::vector<Value> g;
        for (size_t i = 1; i < m.size(); ++i) g.push_back(Value::String(m.str(i)));
        out.push_back(Value::Tuple(std::move(g)));
      }
    }
    return Value::List(std::move(out));
  }
  if (op == "split") {
    std::string s = arg(0, "string");
    std::vector<Value> out;
    std::sregex_token_iterator it(s.begin(), s.end(), re, -1), end;
    for (; it != end; ++it) out.push_back(Value::String(it->str()));
    return Value::List(std::move(out));
  }
  return CompilationError(absl::StrCat("re.", AsAbsl(op), " is not supported"));
}

Value MakeReModule() {
  absl::flat_hash_map<std::string, Value> attrs;
  for (std::string op : {"match", "search", "fullmatch", "sub", "findall", "split"}) {
    attrs[op] = Fn(op, [op](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
      const Value* flags = args.Kwarg("flags");
      size_t nargs = op == "sub" ? 3 : 2;
      int64_t f = flags ? flags->as_int() : (args.args.size() > nargs ? args.args[nargs].as_int() : 0);
      return ReCall(op, ArgStr(args, 0, "pattern"), f, args, 1);
    });
  }
  attrs["compile"] = Fn("compile", [](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
    std::string pattern = ArgStr(args, 0, "pattern");
    const Value* fl = Arg(args, 1, "flags");
    int64_t flags = fl ? fl->as_int() : 0;
    SQLMILL_RETURN_IF_ERROR(MakeRegex(pattern, flags).status());
    absl::flat_hash_map<std::string, Value> m;
    for (std::string op : {"match", "search", "fullmatch", "sub", "findall", "split"}) {
      m[op] = Fn(op, [op, pattern, flags](const CallArgs& a, CallContext&) -> absl::StatusOr<Value> {
        return ReCall(op, pattern, flags, a, 0);
      });
    }
    m["pattern"] = Value::String(pattern);
    return MakeObject("re.Pattern", std::move(m));
  });
  attrs["escape"] = Fn("escape", [](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
    std::string out;
    for (char c : ArgStr(args, 0, "pattern")) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') out.push_back('\\');
      out.push_back(c);
    }
    return Value::String(out);
  });
  attrs["IGNORECASE"] = Value::Int(2);
  attrs["I"] = Value::Int(2);
  attrs["MULTILINE"] = Value::Int(8);
  attrs["M"] = Value::Int(8);
  attrs["DOTALL"] = Value::Int(16);
  attrs["S"] = Value::Int(16);
  attrs["VERBOSE"] = Value::Int(64);
  attrs["X"] = Value::Int(64);
  return MakeObject("re", std::move(attrs));
}

Value MakeDatetimeModule(DateTime now) {
  absl::flat_hash_map<std::string, Value> dt_cls;
  dt_cls["now"] = Fn("now", [now](const CallArgs&, CallContext&) -> absl::StatusOr<Value> { return DateTimeObject::Make(now); });
  Value now_fn = dt_cls["now"];  // copy first: inserting may rehash
  dt_cls["utcnow"] = now_fn;
  dt_cls["strptime"] = Fn("strptime", [](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
    DateTime d;
    if (!ParseIsoDateTime(ArgStr(args, 0, "date_string"), &d)) {
      return CompilationError(absl::StrCat("time data '", ArgStr(args, 0, "date_string"),
                                           "' could not be parsed (only ISO dates are supported)"));
    }
    return DateTimeObject::Make(d);
  });
  Value strptime_fn = dt_cls["strptime"];
  dt_cls["fromisoformat"] = strptime_fn;
  absl::flat_hash_map<std::string, Value> date_cls;
  date_cls["today"] = Fn("today", [now](const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
    DateTime d = now;
    d.date_only = true;
    return DateTimeObject::Make(d);
  });
  date_cls["fromisoformat"] = Fn("fromisoformat", [](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
    DateTime d;
    ParseIsoDateTime(ArgStr(args, 0, "date_string"), &d);
    d.date_only = true;
    return DateTimeObject::Make(d);
  });
  absl::flat_hash_map<std::string, Value> mod;
  mod["datetime"] = MakeObject("datetime", std::move(dt_cls));
  mod["date"] = MakeObject("date", std::move(date_cls));
  absl::flat_hash_map<std::string, Value> tz;
  tz["utc"] = Value::String("UTC");
  mod["timezone"] = MakeObject("timezone", std::move(tz));
  return MakeObject("datetime", std::move(mod));
}


}  // namespace

std::string NormalizeSql(std::string_view sql) {
  std::string out;
  bool space = false;
  for (char c : sql) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

ScopedRenderState::ScopedRenderState(RenderState* state) : saved_(tls_render) { tls_render = state; }
ScopedSession::ScopedSession(Session* session) : saved_(tls_session) { tls_session = session; }
ScopedSession::~ScopedSession() { tls_session = saved_; }
Session* CurrentSession() { return tls_session; }
ScopedRenderState::~ScopedRenderState() { tls_render = saved_; }
RenderState* CurrentRender() { return tls_render; }

bool IsWarehouseError(const absl::Status& status) {
  return status.code() == absl::StatusCode::kFailedPrecondition &&
         absl::StrContains(status.message(), AsAbsl(kWarehousePrefix));
}

void Session::RegisterContext() {
  jinja::Environment& env = *menv_->env;
  const SessionRef self;
  const AdapterSpec* spec = adapter_;

  Value ref_fn = Fn("ref", [self](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
    RenderState* st = CurrentRender();
    RefCall ref;
    if (args.args.size() >= 2) {
      ref.package = args.args[0].Str();
      ref.name = args.args[1].Str();
    } else if (!args.args.empty()) {
      ref.name = args.args[0].Str();
    }
    const Value* ver = args.Kwarg("version");
    if (ver == nullptr) ver = args.Kwarg("v");
    if (ver != nullptr && !ver->is_none()) ref.version = ver->Str();
    if (ref.name.empty()) return CompilationError("ref() takes a model name");
    if (st == nullptr || st->node == nullptr) return CompilationError("ref() called outside a node");
    std::string error;
    const Node* target = self->ResolveRef(ref, st->node, &error);
    if (!st->execute) {
      if (std::find(st->refs.begin(), st->refs.end(), ref) == st->refs.end() || self->dbt_legacy()) {
        st->refs.push_back(ref);
      }
      return target != nullptr ? self->RelationFor(*target) : self->RelationFor(*st->node);
    }
    if (target == nullptr) return CompilationError(error);
    if (std::find(st->node->depends_on_nodes.begin(), st->node->depends_on_nodes.end(),
                  target->unique_id) == st->node->depends_on_nodes.end()) {
      st->extra_deps.push_back(target->unique_id);
    }
    if (target->config.dict()->FindStr("materialized") != nullptr &&
        target->config.dict()->FindStr("materialized")->Str() == "ephemeral" &&
        target->type == ResourceType::kModel) {
      if (std::find(st->ephemeral_refs.begin(), st->ephemeral_refs.end(), target->unique_id) ==
          st->ephemeral_refs.end()) {
        st->ephemeral_refs.push_back(target->unique_id);
      }
    }
    return self->RelationFor(*target);
  });
  env.AddGlobal("ref", ref_fn);

  Value source_fn = Fn("source", [self](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
    RenderState* st = CurrentRender();
    const std::string src = ArgStr(args, 0, "source_name");
    const std::string tbl = ArgStr(args, 1, "table_name");
    if (st == nullptr || st->node == nullptr) return CompilationError("source() called outside a node");
    const SourceTable* s = self->ResolveSource(src, tbl);
    if (!st->execute) {
      std::vector<std::string> key{src, tbl};
      if (std::find(st->sources.begin(), st->sources.end(), key) == st->sources.end()) {
        st->sources.push_back(key);
      }
      if (s == nullptr) return self->RelationFor(*st->node);
      return self->RelationForSource(*s);
    }
    if (s == nullptr) {
      std::string type = ResourceTypeName(st->node->type);
      type[0] = absl::ascii_toupper(static_cast<unsigned char>(type[0]));  // dbt's "Model '...'"
      return CompilationError(absl::StrCat(type, " '", st->node->unique_id,
                                           "' (", st->node->original_file_path,
                                           ") depends on a source named '", src, ".", tbl,
                                           "' which was not found"));
    }
    return self->RelationForSource(*s);
  });
  env.AddGlobal("source", source_fn);

  Value config_obj = Value::FromObject(std::make_shared<ConfigObject>(self));
  env.AddGlobal("config", config_obj);
  env.AddGlobal("this", Value::FromObject(std::make_shared<ProxyObject>(self, ProxyObject::Kind::kThis)));
  env.AddGlobal("model", Value::FromObject(std::make_shared<ProxyObject>(self, ProxyObject::Kind::kModel)));
  env.AddGlobal("execute", Value::FromObject(std::make_shared<ProxyObject>(self, ProxyObject::Kind::kExecute)));
  env.AddGlobal("graph", Value::FromObject(std::make_shared<ProxyObject>(self, ProxyObject::Kind::kGraph)));
  env.AddGlobal("selected_resources",
                Value::FromObject(std::make_shared<ProxyObject>(self, ProxyObject::Kind::kSelected)));

  env.AddFunction("var", [self](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
    RenderState* st = CurrentRender();
    const std::string name = ArgStr(args, 0, "name");
    const Value* def = Arg(args, 1, "default");
    return self->Var(name, def, st ? st->package : nullptr);
  });
  env.AddFunction("env_var", [self](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
    const std::string name = ArgStr(args, 0, "var");
    auto it = self->options().env.find(name);
    if (it != self->options().env.end()) return Value::String(it->second);
    if (const Value* def = Arg(args, 1, "default")) return def->is_none() ? *def : Value::String(def->Str());
    return CompilationError(absl::StrCat("Env var required but not provided: '", name, "'"));
  });
  env.AddFunction("is_incremental", [self](const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
    RenderState* st = CurrentRender();
    if (st == nullptr || st->node == nullptr || !st->execute) return Value::Bool(false);
    const Node& n = *st->node;
    const Value* mat = n.config.dict()->FindStr("materialized");
    if (mat == nullptr || mat->Str() != "incremental") return Value::Bool(false);
    bool full_refresh = self->options().full_refresh;
    if (const Value* fr = n.config.dict()->FindStr("full_refresh"); fr && !fr->is_none()) {
      full_refresh = fr->Truthy();
    }
    if (full_refresh) return Value::Bool(false);
    return Value::Bool(self->RelationExists(n.database, n.schema, n.alias));
  });
  env.AddFunction("should_full_refresh", [self](const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
    RenderState* st = CurrentRender();
    bool full_refresh = self->options().full_refresh;
    if (st && st->node) {
      if (const Value* fr = st->node->config.dict()->FindStr("full_refresh"); fr && !fr->is_none()) {
        full_refresh = fr->Truthy();
      }
    }
    return Value::Bool(full_refresh);
  });
  env.AddFunction("should_store_failures", [](const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
    RenderState* st = CurrentRender();
    if (st && st->node) {
      if (const Value* v = st->node->config.dict()->FindStr("store_failures"); v && !v->is_none()) {
        return Value::Bool(v->Truthy());
      }
    }
    return Value::Bool(false);
  });
  env.AddFunction("return", [](const CallArgs& args, CallContext& ctx) -> absl::StatusOr<Value> {
    return ctx.ReturnFromMacro(args.args.empty() ? Value::None() : args.args[0]);
  });
  auto noop = [](const CallArgs&, CallContext&) -> absl::StatusOr<Value> { return Value::String(""); };
  env.AddFunction("log", noop);
  env.AddFunction("print", noop);
  // doc('name') / doc('package', 'name'): a docs block's contents (descriptions use it).
  env.AddFunction("doc", [self](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
    std::string pkg, name;
    if (args.args.size() >= 2) {
      pkg = args.args[0].Str();
      name = args.args[1].Str();
    } else {
      name = ArgStr(args, 0, "name");
    }
    RenderState* st = CurrentRender();
    const DocBlock* d = self->FindDoc(pkg, name, st && st->package ? st->package->name : "");
    if (d == nullptr) {
      return CompilationError(absl::StrCat("depends on doc '", pkg.empty() ? name : absl::StrCat(pkg, ".", name),
                                           "' which was not found"));
    }
    return Value::String(d->block_contents);
  });
  env.AddFunction("store_result", noop);
  env.AddFunction("store_raw_result", noop);
  env.AddFunction("write", noop);

  // exceptions
  {
    absl::flat_hash_map<std::string, Value> ex;
    ex["raise_compiler_error"] = Fn("raise_compiler_error", [](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
      return CompilationError(ArgStr(args, 0, "msg"));
    });
    for (const char* n : {"raise_not_implemented", "raise_database_error", "raise_dependency_error",
                          "raise_fail_fast_error", "raise_contract_error", "column_type_missing",
                          "missing_materialization", "relation_wrong_type", "raise_ambiguous_alias",
                          "raise_ambiguous_catalog_match", "raise_cache_inconsistent",
                          "raise_duplicate_resource_name", "raise_invalid_property_yml_version"}) {
      std::string name = n;
      ex[name] = Fn(name, [name](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
        return CompilationError(absl::StrCat(name, ": ", args.args.empty() ? "" : args.args[0].Str()));
      });
    }
    ex["warn"] = Fn("warn", [](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
      RenderState* st = CurrentRender();
      if (st != nullptr && st->execute) {
        Diagnostic d;
        d.severity = Severity::kWarning;
        d.code = "dbt-warning";
        d.message = ArgStr(args, 0, "msg");
        if (st->node) d.file = st->node->original_file_path;
        st->warnings.push_back(std::move(d));
      }
      return Value::String("");
    });
    env.AddGlobal("exceptions", MakeObject("exceptions", std::move(ex)));
  }

  // modules
  DateTime started;
  ParseIsoDateTime(options_.run_started_at, &started);
  started.has_tz = true;
  {
    absl::flat_hash_map<std::string, Value> mods;
    mods["datetime"] = MakeDatetimeModule(started);
    mods["re"] = MakeReModule();
    absl::flat_hash_map<std::string, Value> pytz;
    pytz["timezone"] = Fn("timezone", [](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
      return Value::String(ArgStr(args, 0, "zone"));
    });
    pytz["utc"] = Value::String("UTC");
    mods["pytz"] = MakeObject("pytz", std::move(pytz));
    env.AddGlobal("modules", MakeObject("modules", std::move(mods)));
  }
  env.AddGlobal("run_started_at", DateTimeObject::Make(started));
  env.AddGlobal("invocation_id", Value::String(options_.invocation_id));
  env.AddGlobal("dbt_version", Value::String(legacy_ ? "1.4.5" : "1.9.8"));
  env.AddGlobal("project_name", Value::String(project_.root().name));
  env.AddGlobal("target", target_);
  env.AddGlobal("database", Value::String(options_.target.database));
  env.AddGlobal("schema", Value::String(options_.target.schema));
  {
    Value flags = Value::Dict();
    flags.dict()->SetStr("FULL_REFRESH", Value::Bool(options_.full_refresh));
    flags.dict()->SetStr("STORE_FAILURES", Value::Bool(false));
    flags.dict()->SetStr("WHICH", Value::String("compile"));
    flags.dict()->SetStr("EMPTY", Value::Bool(false));
    flags.dict()->SetStr("WARN_ERROR", Value::Bool(false));
    flags.dict()->SetStr("USE_COLORS", Value::Bool(false));
    env.AddGlobal("flags", flags);
  }
  env.AddFunction("tojson", [](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
    jinja::JsonWriteOptions o;
    if (const Value* sk = Arg(args, 1, "sort_keys")) o.sort_keys = sk->Truthy();
    auto text = jinja::ToJson(args.args.empty() ? Value::None() : args.args[0], o);
    if (!text.ok()) return Value::None();
    return Value::String(*text);
  });
  env.AddFunction("fromjson", [](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
    auto v = jinja::ParseJson(ArgStr(args, 0, "string"));
    if (!v.ok()) {
      const Value* def = Arg(args, 1, "default");
      return def ? *def : Value::None();
    }
    return *v;
  });
  env.AddFunction("toyaml", [](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
    const Value* sk = Arg(args, 1, "sort_keys");
    return Value::String(ToYaml(args.args.empty() ? Value::None() : args.args[0], sk && sk->Truthy()));
  });
  env.AddFunction("fromyaml", [](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
    auto v = ParseYaml(ArgStr(args, 0, "value"), "<fromyaml>");
    if (!v.ok()) {
      const Value* def = Arg(args, 1, "default");
      return def ? *def : Value::None();
    }
    return *v;
  });
  auto zip_fn = [](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
    std::vector<Value> lists;
    size_t n = SIZE_MAX;
    for (const auto& a : args.args) {
      absl::StatusOr<std::vector<Value>> items = IterableItems(a);  // not iterable: empty
      lists.push_back(Value::List(items.ok() ? std::move(*items) : std::vector<Value>{}));
      n = std::min(n, lists.back().items().size());
    }
    if (lists.empty()) n = 0;
    std::vector<Value> out;
    for (size_t i = 0; i < n; ++i) {
      std::vector<Value> t;
      for (const auto& l : lists) t.push_back(l.items()[i]);
      out.push_back(Value::Tuple(std::move(t)));
    }
    return Value::List(std::move(out));
  };
  env.AddFunction("zip", zip_fn);
  env.AddFunction("zip_strict", zip_fn);
  // dbt's set(default=None) returns None for a non-iterable argument; set_strict raises.
  env.AddFunction("set", [](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
    auto s = MakeSet(args.args.empty() ? Value() : args.args[0]);
    if (s.ok()) return s;
    const Value* dflt = args.Kwarg("default");
    return args.args.size() > 1 ? args.args[1] : dflt != nullptr ? *dflt : Value::None();
  });
  env.AddFunction("set_strict", [](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
    return MakeSet(args.args.empty() ? Value() : args.args[0]);
  });
  env.AddFunction("local_md5", [](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
    return Value::String(Md5Hex(ArgStr(args, 0, "value")));
  });
  env.AddFunction("render", [self](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
    SQLMILL_ASSIGN_OR_RETURN(auto tpl, self->env().Compile(ArgStr(args, 0, "string"), "<render>"));
    SQLMILL_ASSIGN_OR_RETURN(jinja::RenderOutput out, self->env().Render(*tpl, Value::Dict()));
    return Value::String(out.text);
  });
  {
    Value builtins = Value::Dict();
    builtins.dict()->SetStr("ref", ref_fn);
    builtins.dict()->SetStr("source", source_fn);
    builtins.dict()->SetStr("config", config_obj);
    env.AddGlobal("builtins", builtins);
  }

  // statement / load_result / run_query
  env.AddFunction("statement", [self](const CallArgs& args, CallContext& ctx) -> absl::StatusOr<Value> {
    RenderState* st = CurrentRender();
    const Value* caller = args.Kwarg("caller");
    if (st == nullptr || !st->execute || caller == nullptr) return Value::String("");
    SQLMILL_ASSIGN_OR_RETURN(Value sql_v, ctx.CallValue(*caller, CallArgs{}));
    const std::string name = ArgStr(args, 0, "name");
    const std::string sql = sql_v.Str();
    const QueryResult* q = self->FindQuery(name, sql);
    if (q == nullptr) {
      std::string shown = NormalizeSql(sql);
      if (shown.size() > 160) shown = shown.substr(0, 157) + "...";
      return NeedsWarehouse(absl::StrCat("statement '", name, "' runs `", shown,
                                         "` and no result for it was supplied"));
    }
    SQLMILL_ASSIGN_OR_RETURN(Value result, ResultValue(*q));
    if (!name.empty()) st->statement_results[name] = result;
    return Value::String("");
  });
  env.AddFunction("load_result", [](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
    RenderState* st = CurrentRender();
    if (st == nullptr) return Value::None();
    auto it = st->statement_results.find(ArgStr(args, 0, "name"));
    if (it == st->statement_results.end()) return Value::None();
    return it->second;
  });
  env.AddFunction("run_query", [self](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
    RenderState* st = CurrentRender();
    if (st == nullptr || !st->execute) return Value::None();
    const std::string sql = ArgStr(args, 0, "sql");
    const QueryResult* q = self->FindQuery("", sql);
    if (q == nullptr) {
      std::string shown = NormalizeSql(sql);
      if (shown.size() > 160) shown = shown.substr(0, 157) + "...";
      return NeedsWarehouse(absl::StrCat("run_query(`", shown, "`) and no result for it was supplied"));
    }
    SQLMILL_ASSIGN_OR_RETURN(Value result, ResultValue(*q));
    return *result.dict()->FindStr("table");
  });

  // api and adapter
  Value relation_factory = MakeRelationFactory(spec, project_.root().quoting);
  Value column_factory = MakeColumnFactory(spec);
  {
    Value api = Value::Dict();
    api.dict()->SetStr("Relation", relation_factory);
    api.dict()->SetStr("Column", column_factory);
    env.AddGlobal("api", api);
  }
  {
    absl::flat_hash_map<std::string, Value> ad;
    ad["Relation"] = relation_factory;
    ad["Column"] = column_factory;
    ad["dispatch"] = Fn("dispatch", [self](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
      const std::string name = ArgStr(args, 0, "macro_name");
      const std::string ns = ArgStr(args, 1, "macro_namespace");
      return self->Dispatch(name, ns);
    });
    ad["quote"] = Fn("quote", [spec](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
      return Value::String(QuoteIdentifier(*spec, ArgStr(args, 0, "identifier")));
    });
    ad["quote_as_configured"] = Fn("quote_as_configured", [self, spec](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
      const std::string id = ArgStr(args, 0, "identifier");
      const std::string key = ArgStr(args, 1, "quote_key");
      RelationParts p;
      ApplyQuoting(*spec, self->project().root().quoting, &p);
      bool q = key == "database" ? p.quote_database : key == "schema" ? p.quote_schema : p.quote_identifier;
      return Value::String(q ? QuoteIdentifier(*spec, id) : id);
    });
    ad["quote_seed_column"] = Fn("quote_seed_column", [spec](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
      const Value* q = Arg(args, 1, "quote_config");
      const bool quote = q == nullptr || q->is_none() ? spec->type != "snowflake" : q->Truthy();
      const std::string col = ArgStr(args, 0, "column");
      return Value::String(quote ? QuoteIdentifier(*spec, col) : col);
    });
    ad["type"] = Fn("type", [spec](const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
      return Value::String(spec->type);
    });
    auto relation_parts = [](const CallArgs& args, std::string* db, std::string* schema, std::string* id) {
      const Value* rel = Arg(args, 0, "relation");
      if (rel != nullptr && rel->is_object()) {
        if (auto* r = dynamic_cast<RelationObject*>(rel->object())) {
          *db = r->parts().database;
          *schema = r->parts().schema;
          *id = r->parts().identifier;
          return true;
        }
        *db = rel->object()->GetAttr("database").Str();
        *schema = rel->object()->GetAttr("schema").Str();
        *id = rel->object()->GetAttr("identifier").Str();
        return true;
      }
      *db = ArgStr(args, 0, "database");
      *schema = ArgStr(args, 1, "schema");
      *id = ArgStr(args, 2, "identifier");
      return true;
    };
    auto get_relation = [self, spec, relation_parts](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
      RenderState* st = CurrentRender();
      if (st == nullptr || !st->execute) return Value::None();
      std::string db, schema, id;
      relation_parts(args, &db, &schema, &id);
      const bool described = self->options().relations_exist || !self->options().existing_relations.empty();
      if (!described) {
        return NeedsWarehouse(absl::StrCat("adapter.get_relation(", db, ".", schema, ".", id,
                                           ") and the request says nothing about existing relations"));
      }
      if (!self->RelationExists(db, schema, id)) return Value::None();
      RelationParts p;
      ApplyQuoting(*spec, self->project().root().quoting, &p);
      p.database = db;
      p.schema = schema;
      p.identifier = id;
      p.type = "table";
      if (const Node* n = self->FindNodeByRelation(db, schema, id)) {
        const Value* mat = n->config.dict()->FindStr("materialized");
        if (mat && mat->Str() == "view") p.type = "view";
      }
      return RelationObject::Make(spec, std::move(p));
    };
    ad["get_relation"] = Fn("get_relation", get_relation);
    env.AddGlobal("load_relation", Fn("load_relation", get_relation));
    ad["load_relation"] = Fn("load_relation", get_relation);
    ad["load_cached_relation"] = Fn("load_cached_relation", get_relation);
    ad["get_columns_in_relation"] = Fn("get_columns_in_relation", [self, spec, relation_parts](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
      RenderState* st = CurrentRender();
      if (st == nullptr || !st->execute) return Value::List();
      std::string db, schema, id;
      relation_parts(args, &db, &schema, &id);
      std::vector<Value> cols;
      if (const ExistingRelation* r = self->FindExisting(db, schema, id); r && !r->column_names.empty()) {
        for (size_t i = 0; i < r->column_names.size(); ++i) {
          ColumnInfo c{r->column_names[i], i < r->column_types.size() ? r->column_types[i] : "text"};
          cols.push_back(Value::FromObject(std::make_shared<ColumnObject>(spec, std::move(c))));
        }
        return Value::List(std::move(cols));
      }
      const Node* seed = self->FindNodeByRelation(db, schema, id);
      if (seed != nullptr && seed->type == ResourceType::kSeed) {
        auto it = self->options().files->find(seed->file_key);
        if (it != self->options().files->end()) {
          std::string header = it->second.substr(0, it->second.find('\n'));
          if (!header.empty() && header.back() == '\r') header.pop_back();
          for (auto name : absl::StrSplit(header, ',')) {
            std::string n(absl::StripAsciiWhitespace(name));
            if (n.size() >= 2 && n.front() == '"' && n.back() == '"') n = n.substr(1, n.size() - 2);
            cols.push_back(Value::FromObject(std::make_shared<ColumnObject>(spec, ColumnInfo{n, "text"})));
          }
          return Value::List(std::move(cols));
        }
      }
      return NeedsWarehouse(absl::StrCat("adapter.get_columns_in_relation(", db, ".", schema, ".", id,
                                         ") and no columns for it were supplied"));
    });
    for (const char* n : {"list_relations_without_caching", "check_schema_exists", "get_missing_columns",
                          "list_schemas", "get_relations_by_pattern", "execute"}) {
      std::string name = n;
      ad[name] = Fn(name, [name](const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
        RenderState* st = CurrentRender();
        if (st == nullptr || !st->execute) return Value::List();
        return NeedsWarehouse(absl::StrCat("adapter.", name, "()"));
      });
    }
    for (const char* n : {"drop_relation", "rename_relation", "commit", "expand_target_column_types",
                          "create_schema", "drop_schema", "truncate_relation", "cache_added",
                          "cache_dropped", "cache_renamed", "begin", "add_query"}) {
      ad[n] = Fn(n, [](const CallArgs&, CallContext&) -> absl::StatusOr<Value> { return Value::None(); });
    }
    ad["already_exists"] = Fn("already_exists", [self](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
      return Value::Bool(self->RelationExists("", ArgStr(args, 0, "schema"), ArgStr(args, 1, "name")));
    });
    env.AddGlobal("adapter", MakeObject("adapter", std::move(ad)));
  }
}

}  // namespace sqlmill::dbt

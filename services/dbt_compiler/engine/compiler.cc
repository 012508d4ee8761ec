// The compile pipeline: Setup (load, environment, macros) → parse renders (execute=false:
// config() and ref/source capture) → configs in dbt's precedence → relation names → DAG
// and cycle check → selection → compile renders (execute=true) with ephemeral CTE
// injection. Render phases run on a pool of worker threads, one RenderState each.
// Thread-safety: see compiler.h and internal/session.h.
#include "services/dbt_compiler/engine/compiler.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <limits>
#include <queue>
#include <regex>
#include <set>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "services/dbt_compiler/engine/internal/cte.h"
#include "services/dbt_compiler/engine/internal/hash.h"
#include "services/dbt_compiler/engine/internal/session.h"
#include "services/dbt_compiler/engine/loader.h"
#include "services/dbt_compiler/engine/selector.h"
#include "services/dbt_compiler/engine/yaml_value.h"
#include "services/dbt_compiler/jinja/json.h"

namespace sqlmill::dbt {

bool IsWarehouseError(const absl::Status& status);

namespace {

using jinja::CallArgs;
using jinja::CallContext;
using jinja::Value;

// A package-local macro reference: resolved when called, so a package's macro files can
// see each other regardless of load order.
class MacroRefObject : public jinja::Object {
 public:
  MacroRefObject(const MacroEnvironment* menv, std::string pkg, std::string name)
      : menv_(menv), pkg_(std::move(pkg)), name_(std::move(name)) {}
  std::string_view TypeName() const override { return "Macro"; }
  bool IsCallable() const override { return true; }
  absl::StatusOr<Value> Call(const CallArgs& args, CallContext& ctx) override {
    Value target = menv_->PackageMacro(pkg_, name_);
    if (target.is_undefined()) return absl::InvalidArgumentError(absl::StrCat("'", name_, "' is undefined"));
    return ctx.CallValue(target, args);
  }
  Value GetAttr(std::string_view name) const override {
    Value target = menv_->PackageMacro(pkg_, name_);
    return target.is_object() ? target.object()->GetAttr(name) : Value::Undefined();
  }
  std::string Str() const override { return absl::StrCat("<Macro '", name_, "'>"); }

 private:
  const MacroEnvironment* menv_;  // the owner of this object
  std::string pkg_, name_;
};

// `dbt_utils`, `dbt`, `<root project>`: a package's macros by attribute.
class NamespaceObject : public jinja::Object {
 public:
  NamespaceObject(const MacroEnvironment* menv, std::string pkg) : menv_(menv), pkg_(std::move(pkg)) {}
  std::string_view TypeName() const override { return "MacroNamespace"; }
  Value GetAttr(std::string_view name) const override {
    Value v = menv_->PackageMacro(pkg_, name);
    if (v.is_undefined()) {
      return Value::Undefined(absl::StrCat("'", pkg_, "' has no macro named '", std::string(name), "'"));
    }
    return v;
  }
  std::string Str() const override { return absl::StrCat("<MacroNamespace '", pkg_, "'>"); }

 private:
  const MacroEnvironment* menv_;  // the owner of this object
  std::string pkg_;
};

constexpr char kPrivateAlias[] = "sqlmill_private_alias";

struct MacroSpan {
  std::string name;
  size_t begin = 0, end = 0;
};

// Finds the macros a file defines (macro, test and materialization blocks) and their text.
std::vector<MacroSpan> ScanMacros(const std::string& text, const std::string& adapter) {
  static const std::regex kOpen(
      R"(\{%-?\s*(macro|test|materialization)\s+([A-Za-z_][A-Za-z0-9_]*))");
  std::vector<MacroSpan> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kOpen); it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    MacroSpan s;
    const std::string kind = m[1].str();
    s.name = m[2].str();
    if (kind == "test") s.name = "test_" + s.name;
    if (kind == "materialization") {
      static const std::regex kAdapter(R"(adapter\s*=\s*['"]([A-Za-z0-9_]+)['"])");
      std::smatch am;
      const size_t tag_end = text.find("%}", m.position(0));
      const std::string rest = text.substr(m.position(0), tag_end == std::string::npos ? std::string::npos : tag_end - m.position(0));
      std::string which = "default";
      if (std::regex_search(rest, am, kAdapter)) which = am[1].str();
      s.name = absl::StrCat("materialization_", s.name, "_", which);
    }
    s.begin = m.position(0);
    const std::string end_tag = "end" + kind;
    size_t close = text.find(end_tag, s.begin);
    if (close != std::string::npos) close = text.find("%}", close);
    s.end = close == std::string::npos ? text.size() : close + 2;
    out.push_back(std::move(s));
  }
  (void)adapter;
  return out;
}

bool VersionBefore(const std::string& version, int major, int minor) {
  std::vector<std::string> parts = absl::StrSplit(version, '.');
  int ma = 0, mi = 0;
  if (!parts.empty()) (void)absl::SimpleAtoi(parts[0], &ma);
  if (parts.size() > 1) (void)absl::SimpleAtoi(parts[1], &mi);
  return ma < major || (ma == major && mi < minor);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return absl::EqualsIgnoreCase(AsAbsl(a), AsAbsl(b));
}

// Config keys whose dict values are configs, not sub-directories.
bool IsDictConfig(std::string_view key) {
  static constexpr std::string_view kKeys[] = {
      "meta", "quoting", "persist_docs", "docs", "grants", "contract", "column_types",
      "partition_by", "snapshot_meta_column_names", "labels", "tblproperties", "options"};
  for (auto k : kKeys) {
    if (k == key) return true;
  }
  return false;
}

std::string NormalizeConfigKey(std::string key) {
  if (key == "pre_hook") return "pre-hook";
  if (key == "post_hook") return "post-hook";
  return key;
}

bool IsAdditive(std::string_view key) { return key == "tags" || key == "pre-hook" || key == "post-hook"; }

Value AsList(const Value& v) {
  if (v.is_sequence()) return Value::List(v.items());
  if (v.is_none() || v.is_undefined()) return Value::List();
  return Value::List({v});
}

// Merges one config key into `config` with dbt's rules: tags and hooks append, dict
// configs merge, the rest override.
void MergeConfig(Value& config, const std::string& raw_key, const Value& v) {
  const std::string key = NormalizeConfigKey(raw_key);
  Value* slot = config.dict()->FindMutable(Value::String(key));
  if (IsAdditive(key)) {
    std::vector<Value> items = slot ? AsList(*slot).items() : std::vector<Value>{};
    const Value added = AsList(v);
    for (const auto& x : added.items()) {
      if (key == "tags") {
        bool dup = false;
        for (const auto& y : items) dup = dup || jinja::Equals(x, y);
        if (dup) continue;
      }
      items.push_back(x);
    }
    config.dict()->SetStr(key, Value::List(std::move(items)));
    return;
  }
  if (slot != nullptr && slot->is_dict() && v.is_dict() && IsDictConfig(key)) {
    Value merged = Value::Dict();
    for (const auto& [k, x] : slot->dict()->entries()) merged.dict()->Set(k, x);
    for (const auto& [k, x] : v.dict()->entries()) merged.dict()->Set(k, x);
    config.dict()->SetStr(key, merged);
    return;
  }
  config.dict()->SetStr(key, v);
}

Value DefaultConfig(ResourceType type) {
  Value c = Value::Dict();
  auto set = [&](const char* k, Value v) { c.dict()->SetStr(k, std::move(v)); };
  if (type == ResourceType::kTest) {
    set("enabled", Value::Bool(true));
    set("alias", Value::None());
    set("schema", Value::String("dbt_test__audit"));
    set("database", Value::None());
    set("tags", Value::List());
    set("meta", Value::Dict());
    set("group", Value::None());
    set("materialized", Value::String("test"));
    set("severity", Value::String("ERROR"));
    set("store_failures", Value::None());
    set("store_failures_as", Value::None());
    set("where", Value::None());
    set("limit", Value::None());
    set("fail_calc", Value::String("count(*)"));
    set("warn_if", Value::String("!= 0"));
    set("error_if", Value::String("!= 0"));
    return c;
  }
  set("enabled", Value::Bool(true));
  set("alias", Value::None());
  set("schema", Value::None());
  set("database", Value::None());
  set("tags", Value::List());
  set("meta", Value::Dict());
  set("group", Value::None());
  set("materialized", Value::String(type == ResourceType::kSeed       ? "seed"
                                    : type == ResourceType::kSnapshot ? "snapshot"
                                                                      : "view"));
  set("incremental_strategy", Value::None());
  set("batch_size", Value::None());
  set("lookback", Value::Int(1));
  set("begin", Value::None());
  set("persist_docs", Value::Dict());
  set("post-hook", Value::List());
  set("pre-hook", Value::List());
  set("quoting", Value::Dict());
  set("column_types", Value::Dict());
  set("full_refresh", Value::None());
  set("unique_key", Value::None());
  set("on_schema_change", Value::String("ignore"));
  set("on_configuration_change", Value::String("apply"));
  set("grants", Value::Dict());
  set("packages", Value::List());
  Value docs = Value::Dict();
  docs.dict()->SetStr("show", Value::Bool(true));
  docs.dict()->SetStr("node_color", Value::None());
  set("docs", docs);
  Value contract = Value::Dict();
  contract.dict()->SetStr("enforced", Value::Bool(false));
  contract.dict()->SetStr("alias_types", Value::Bool(true));
  set("contract", contract);
  set("event_time", Value::None());
  set("concurrent_batches", Value::None());
  if (type == ResourceType::kModel) set("access", Value::String("protected"));
  if (type == ResourceType::kSeed) {
    set("delimiter", Value::String(","));
    set("quote_columns", Value::None());
  }
  if (type == ResourceType::kSnapshot) {
    set("strategy", Value::None());
    set("target_schema", Value::None());
    set("target_database", Value::None());
    set("updated_at", Value::None());
    set("check_cols", Value::None());
    Value cols = Value::Dict();
    for (const char* k : {"dbt_valid_to", "dbt_valid_from", "dbt_scd_id", "dbt_updated_at", "dbt_is_deleted"}) {
      cols.dict()->SetStr(k, Value::None());
    }
    set("snapshot_meta_column_names", cols);
    set("dbt_valid_to_current", Value::None());
  }
  return c;
}

std::string StatusMessage(const absl::Status& s) { return std::string(s.message()); }

// Reads a Python string literal at text[*pos] (after whitespace); advances past it.
bool ReadStringLiteral(std::string_view text, size_t* pos, std::string* out) {
  size_t i = *pos;
  while (i < text.size() && absl::ascii_isspace(static_cast<unsigned char>(text[i]))) ++i;
  if (i >= text.size() || (text[i] != '\'' && text[i] != '"')) return false;
  const char quote = text[i++];
  out->clear();
  for (; i < text.size() && text[i] != quote; ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) ++i;
    out->push_back(text[i]);
  }
  if (i >= text.size()) return false;
  *pos = i + 1;
  return true;
}

// Returns the index just past the ')' closing the '(' at text[open] (string literals
// skipped), or `end` when it is not closed before `end`.
size_t PastClosingParen(std::string_view text, size_t open, size_t end) {
  int depth = 0;
  for (size_t i = open; i < end; ++i) {
    const char c = text[i];
    if (c == '\'' || c == '"') {
      for (++i; i < end && text[i] != c; ++i) {
        if (text[i] == '\\') ++i;
      }
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      return i + 1;
    }
  }
  return end;
}

// Finds the call `fn(args...)` in the Jinja blocks of `text`, its leading arguments being
// the string literals `args` in order (ref('x'), ref('pkg', 'x'), source('s', 't')), and
// returns its span from the name to the closing parenthesis (or the last argument). When no
// call has those literal arguments, the first call whose first argument is not a literal
// (ref(var('m'))) is taken, since its value cannot be known without rendering.
std::optional<SourceSpan> FindCallSpan(std::string_view text, std::string_view fn,
                                       const std::vector<std::string>& args) {
  std::optional<SourceSpan> dynamic;
  size_t pos = 0;
  while (true) {
    const size_t open = text.find('{', pos);
    if (open == std::string_view::npos || open + 1 >= text.size()) break;
    const char kind = text[open + 1];
    if (kind != '{' && kind != '%' && kind != '#') {
      pos = open + 1;
      continue;
    }
    const std::string_view close = kind == '{' ? "}}" : kind == '%' ? "%}" : "#}";
    size_t end = text.find(close, open + 2);
    if (end == std::string_view::npos) end = text.size();
    if (kind != '#') {
      for (size_t at = text.find(fn, open + 2); at != std::string_view::npos && at < end; at = text.find(fn, at + 1)) {
        const char before = text[at - 1];
        if (absl::ascii_isalnum(static_cast<unsigned char>(before)) || before == '_') continue;
        size_t i = at + fn.size();
        while (i < end && absl::ascii_isspace(static_cast<unsigned char>(text[i]))) ++i;
        if (i >= end || text[i] != '(') continue;
        const size_t call_end = PastClosingParen(text, i, end);
        ++i;
        bool match = true;
        std::string literal;
        for (size_t a = 0; a < args.size() && match; ++a) {
          if (a > 0) {
            while (i < end && absl::ascii_isspace(static_cast<unsigned char>(text[i]))) ++i;
            match = i < end && text[i] == ',';
            ++i;
          }
          const bool is_literal = match && ReadStringLiteral(text.substr(0, end), &i, &literal);
          if (!is_literal && a == 0 && !dynamic) {
            dynamic = SourceSpan{static_cast<uint32_t>(at), static_cast<uint32_t>(call_end - at)};
          }
          match = is_literal && literal == args[a];
        }
        if (!match) continue;
        return SourceSpan{static_cast<uint32_t>(at), static_cast<uint32_t>(call_end - at)};
      }
    }
    pos = end + close.size();
  }
  return dynamic;
}

// Capitalizes the resource type as dbt's messages do ("Model 'model.x.y' ...").
std::string TitleType(ResourceType type) {
  std::string t = ResourceTypeName(type);
  if (!t.empty()) t[0] = absl::ascii_toupper(static_cast<unsigned char>(t[0]));
  return t;
}

// Appends a typed, length-prefixed encoding of `v` to `out` (equal encodings mean equal
// values, kind included: a tuple is not a list, 1 is not 1.0 nor "1"). Returns false for
// host objects (macros, relations, functions), whose state the encoding cannot capture.
bool AppendCanonical(const Value& v, std::string* out) {
  switch (v.kind()) {
    case jinja::ValueKind::kUndefined: {
      const std::string hint = v.undefined_hint();
      absl::StrAppend(out, "U", hint.size(), ":", hint);
      return true;
    }
    case jinja::ValueKind::kNone:
      out->append("N");
      return true;
    case jinja::ValueKind::kBool:
      out->append(v.as_bool() ? "T" : "F");
      return true;
    case jinja::ValueKind::kInt:
      absl::StrAppend(out, "I", v.as_int(), ";");
      return true;
    case jinja::ValueKind::kFloat: {
      const double d = v.as_double();
      uint64_t bits = 0;
      std::memcpy(&bits, &d, sizeof(bits));
      absl::StrAppend(out, "D", bits, ";");
      return true;
    }
    case jinja::ValueKind::kString:
      absl::StrAppend(out, "S", v.as_string().size(), ":", v.as_string());
      return true;
    case jinja::ValueKind::kList:
    case jinja::ValueKind::kTuple:
      absl::StrAppend(out, v.is_list() ? "L" : "P", v.items().size(), "[");
      for (const auto& x : v.items()) {
        if (!AppendCanonical(x, out)) return false;
      }
      out->append("]");
      return true;
    case jinja::ValueKind::kDict:
      absl::StrAppend(out, "M", v.dict()->entries().size(), "{");
      for (const auto& [k, x] : v.dict()->entries()) {
        if (!AppendCanonical(k, out) || !AppendCanonical(x, out)) return false;
      }
      out->append("}");
      return true;
    case jinja::ValueKind::kObject:
      return false;
  }
  return false;
}

// Copies the containers of `v` (lists, tuples, dicts) so that a cached value and the copy a
// compile works on share no mutable state. Leaves are immutable.
Value DeepCopy(const Value& v) {
  if (v.is_sequence()) {
    std::vector<Value> items;
    items.reserve(v.items().size());
    for (const auto& x : v.items()) items.push_back(DeepCopy(x));
    return v.is_list() ? Value::List(std::move(items)) : Value::Tuple(std::move(items));
  }
  if (v.is_dict()) {
    Value d = Value::Dict();
    for (const auto& [k, x] : v.dict()->entries()) d.dict()->Set(DeepCopy(k), DeepCopy(x));
    return d;
  }
  return v;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Session: setup

MacroEnvironment::~MacroEnvironment() {
  if (env == nullptr) return;
  for (const auto& name : global_names) env->AddGlobal(name, Value::None());
  modules.clear();
  by_package.clear();
  package_contexts.clear();
}

Value MacroEnvironment::PackageMacro(std::string_view pkg, std::string_view name) const {
  auto it = by_package.find(AsAbsl(pkg));
  if (it == by_package.end()) return Value::Undefined();
  auto m = it->second.find(AsAbsl(name));
  return m == it->second.end() ? Value::Undefined() : m->second;
}

const MacroDef* MacroEnvironment::FindMacroDef(std::string_view pkg, std::string_view name) const {
  auto it = macro_defs.find(absl::StrCat(AsAbsl(pkg), ".", AsAbsl(name)));
  return it == macro_defs.end() ? nullptr : it->second;
}

Session::Session(CompileOptions options) : options_(std::move(options)) {
  cache_ = options_.parse_cache != nullptr ? options_.parse_cache : std::make_shared<ParseCache>();
}

Session::~Session() = default;

std::string Session::EnvironmentKey() const {
  // Everything RegisterContext and LoadMacros read: request settings, every project file's
  // settings (names, quoting, paths) and the macro files. Fields are length-prefixed.
  std::string k = "sqlmill-dbt-env-1";
  auto add = [&](std::string_view part) { absl::StrAppend(&k, "\n", part.size(), ":", AsAbsl(part)); };
  add(adapter_->type);
  add(options_.target.name);
  add(options_.target.database);
  add(options_.target.schema);
  add(absl::StrCat(options_.target.threads));
  for (const auto& [a, b] : options_.target.extra) {
    add(a);
    add(b);
  }
  add(options_.vars);
  for (const auto& [a, b] : options_.env) {
    add(a);
    add(b);
  }
  add(options_.full_refresh ? "full_refresh" : "");
  add(options_.invocation_id);
  add(options_.run_started_at);
  add(options_.dbt_version);
  for (const auto& [path, text] : *options_.files) {
    if (path == "dbt_project.yml" || absl::EndsWith(path, "/dbt_project.yml")) {
      add(path);
      add(Sha256Hex(text));
    }
  }
  for (const auto& pkg : project_.packages) {
    add(pkg.name);
    add(pkg.root);
  }
  for (const auto& f : project_.macro_files) {
    add(f.package_name);
    add(f.file_key);
    add(f.original_file_path);
    add(Sha256Hex(f.source));
  }
  return Sha256Hex(k);
}

absl::Status Session::SetVars(const std::string& vars) {
  cli_vars_ = Value::Dict();
  if (absl::StripAsciiWhitespace(vars).empty()) return absl::OkStatus();
  auto parsed = jinja::ParseJson(vars);
  if (!parsed.ok()) parsed = ParseYaml(vars, "--vars");
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--vars is neither JSON nor YAML: ", parsed.status().message()));
  }
  if (!parsed->is_dict()) return absl::InvalidArgumentError("--vars must be a mapping of names to values");
  cli_vars_ = *parsed;
  return absl::OkStatus();
}

absl::Status Session::Setup(DiagnosticSink* sink) {
  adapter_ = FindAdapter(options_.target.adapter_type);
  if (adapter_ == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("unknown adapter type '", options_.target.adapter_type,
                                                   "'; expected one of: ", SupportedAdapters()));
  }
  if (options_.files == nullptr) return absl::InvalidArgumentError("no project files given");
  legacy_ = VersionBefore(options_.dbt_version, 1, 5);
  SQLMILL_RETURN_IF_ERROR(SetVars(options_.vars));
  SQLMILL_ASSIGN_OR_RETURN(project_, LoadProject(*options_.files, sink));
  for (auto& f : BuiltinMacroFiles()) project_.macro_files.push_back(std::move(f));
  ScopedSession scoped_session(this);

  target_ = Value::Dict();
  auto set = [&](const std::string& k, Value v) { target_.dict()->SetStr(k, std::move(v)); };
  set("name", Value::String(options_.target.name));
  set("type", Value::String(adapter_->type));
  set("database", Value::String(options_.target.database));
  set("schema", Value::String(options_.target.schema));
  set("threads", Value::Int(options_.target.threads));
  set("profile_name", Value::String(project_.root().name));
  set("target_name", Value::String(options_.target.name));
  if (adapter_->type == "postgres" || adapter_->type == "redshift") set("dbname", Value::String(options_.target.database));
  if (adapter_->type == "bigquery") {
    set("project", Value::String(options_.target.database));
    set("dataset", Value::String(options_.target.schema));
  }
  for (const auto& [k, v] : options_.target.extra) set(k, Value::String(v));

  const std::string key = EnvironmentKey();
  environment_key_ = key;
  menv_ = cache_->FindEnvironment(key);
  environment_reused_ = menv_ != nullptr;
  if (menv_ == nullptr) {
    DiagnosticSink build_sink;
    SQLMILL_RETURN_IF_ERROR(BuildEnvironment(&build_sink));
    menv_->diagnostics = build_sink.TakeDiagnostics();
    menv_ = cache_->StoreEnvironment(key, menv_);
  }
  for (const auto& d : menv_->diagnostics) sink->Add(Diagnostic(d));
  project_.macros = menv_->macros;
  return absl::OkStatus();
}

absl::Status Session::BuildEnvironment(DiagnosticSink* sink) {
  menv_ = std::make_shared<MacroEnvironment>();
  menv_->generation = cache_->NextGeneration();
  menv_->env = std::make_unique<jinja::Environment>();
  jinja::Environment* env = menv_->env.get();
  env->AddBlockTag({"test", [](std::string_view name, const auto&) -> absl::StatusOr<std::string> {
                       return absl::StrCat("test_", AsAbsl(name));
                     }});
  env->AddBlockTag({"materialization",
                     [](std::string_view name, const std::vector<std::pair<std::string, Value>>& opts)
                         -> absl::StatusOr<std::string> {
                       std::string which = "default";
                       for (const auto& [k, v] : opts) {
                         if (k == "adapter") which = v.Str();
                       }
                       return absl::StrCat("materialization_", AsAbsl(name), "_", which);
                     }});
  env->AddBlockTag({"snapshot", [](std::string_view name, const auto&) -> absl::StatusOr<std::string> {
                       return absl::StrCat("__snapshot_", AsAbsl(name));
                     }});
  env->AddBlockTag({"docs", [](std::string_view name, const auto&) -> absl::StatusOr<std::string> {
                       return absl::StrCat("__docs_", AsAbsl(name));
                     }});
  // dbt's own filters.
  env->AddFilter("as_text", [](const Value& v, const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
    return Value::String(v.Str());
  });
  env->AddFilter("as_native", [](const Value& v, const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
    return v.is_string() ? jinja::ParseNative(v.as_string()) : v;
  });
  env->AddFilter("as_number", [](const Value& v, const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
    return v.is_string() ? jinja::ParseNative(v.as_string()) : v;
  });
  env->AddFilter("as_bool", [](const Value& v, const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
    return v.is_string() ? Value::Bool(jinja::ParseNativeBool(v.as_string())) : Value::Bool(v.Truthy());
  });
  // dbt's Relation is a mapping (dbt_utils._is_relation checks `obj is mapping`).
  env->AddTest("mapping", [](const Value& v, const CallArgs&, CallContext&) -> absl::StatusOr<bool> {
    return v.is_dict() || (v.is_object() && dynamic_cast<RelationObject*>(v.object()) != nullptr);
  });
  RegisterContext();
  return LoadMacros(sink);
}

absl::Status Session::LoadMacros(DiagnosticSink* sink) {
  MacroEnvironment& m = *menv_;
  jinja::Environment& env = *m.env;
  const std::string root = project_.root().name;
  // Pass 1: names and definitions.
  std::vector<std::vector<MacroSpan>> spans(project_.macro_files.size());
  for (size_t i = 0; i < project_.macro_files.size(); ++i) {
    const MacroFile& f = project_.macro_files[i];
    spans[i] = ScanMacros(f.source, adapter_->type);
    for (const auto& s : spans[i]) {
      MacroDef def;
      def.name = s.name;
      def.package_name = f.package_name;
      def.unique_id = absl::StrCat("macro.", f.package_name, ".", s.name);
      def.original_file_path = f.original_file_path;
      def.macro_sql = f.source.substr(s.begin, s.end - s.begin);
      def.file_key = f.file_key;
      m.macros.push_back(std::move(def));
    }
  }
  for (const auto& def : m.macros) m.macro_defs[absl::StrCat(def.package_name, ".", def.name)] = &def;
  // Local namespaces for installed packages.
  for (const auto& def : m.macros) {
    if (def.package_name == root || def.package_name == "dbt") continue;
    Value& ctx = m.package_contexts[def.package_name];
    if (ctx.is_undefined()) ctx = Value::Dict();
    ctx.dict()->SetStr(def.name, Value::FromObject(std::make_shared<MacroRefObject>(&m, def.package_name, def.name)));
  }
  // Pass 2: compile and run each file as a module.
  for (size_t i = 0; i < project_.macro_files.size(); ++i) {
    const MacroFile& f = project_.macro_files[i];
    // Jinja modules do not export names starting with '_'; dbt's namespaces do, so each
    // private macro is re-exported under a public alias appended after the file's text
    // (line numbers of the original text are unchanged).
    std::string source = f.source;
    for (const auto& s : spans[i]) {
      if (absl::StartsWith(s.name, "_")) {
        absl::StrAppend(&source, "{% set ", kPrivateAlias, s.name, " = ", s.name, " %}");
      }
    }
    m.macro_files_parsed++;
    auto tpl = env.Compile(source, f.file_key);
    if (!tpl.ok()) {
      AddRenderError(tpl.status(), nullptr, sink, false);
      continue;
    }
    auto it = m.package_contexts.find(f.package_name);
    Value ctx = it == m.package_contexts.end() ? Value::Dict() : it->second;
    auto module = env.MakeModule(**tpl, ctx);
    if (!module.ok()) {
      AddRenderError(module.status(), nullptr, sink, false);
      continue;
    }
    m.modules.push_back(*module);
    for (const auto& s : spans[i]) {
      Value v = module->object()->GetAttr(absl::StartsWith(s.name, "_") ? absl::StrCat(kPrivateAlias, s.name) : s.name);
      if (!v.is_undefined()) m.by_package[f.package_name][s.name] = v;
    }
  }
  // The global namespace: dbt's macros, overridden by the root project's.
  for (const char* pkg : {"dbt", ""}) {
    const std::string p = *pkg ? pkg : root;
    auto it = m.by_package.find(p);
    if (it == m.by_package.end()) continue;
    for (const auto& [name, v] : it->second) {
      env.AddGlobal(name, v);
      m.global_names.push_back(name);
    }
  }
  for (const auto& pkg : project_.packages) {
    env.AddGlobal(pkg.name, Value::FromObject(std::make_shared<NamespaceObject>(&m, pkg.name)));
    m.global_names.push_back(pkg.name);
  }
  env.AddGlobal("dbt", Value::FromObject(std::make_shared<NamespaceObject>(&m, "dbt")));
  m.global_names.push_back("dbt");
  return absl::OkStatus();
}

Value Session::PackageMacro(std::string_view pkg, std::string_view name) const {
  return menv_->PackageMacro(pkg, name);
}

Value Session::LookupMacro(std::string_view pkg, std::string_view name) const {
  const std::string& root = project_.root().name;
  if (!pkg.empty() && pkg != root && pkg != "dbt") {
    Value v = PackageMacro(pkg, name);
    if (!v.is_undefined()) return v;
  }
  Value v = PackageMacro(root, name);
  if (!v.is_undefined()) return v;
  return PackageMacro("dbt", name);
}

const MacroDef* Session::FindMacroDef(std::string_view pkg, std::string_view name) const {
  return menv_->FindMacroDef(pkg, name);
}

bool Session::HasPackage(std::string_view name) const {
  return name == "dbt" || project_.FindPackage(name) != nullptr;
}

absl::StatusOr<Value> Session::Dispatch(std::string_view macro_name, std::string_view ns) const {
  std::vector<std::string> search;
  const std::string& root = project_.root().name;
  if (ns.empty()) {
    search.push_back("");
  } else {
    const Value& dispatch = project_.root().dispatch;
    for (const auto& entry : dispatch.items()) {
      if (GetString(entry, "macro_namespace") == ns) {
        if (const Value* order = Get(entry, "search_order"); order && order->is_sequence()) {
          for (const auto& p : order->items()) search.push_back(p.Str());
        }
      }
    }
    if (search.empty()) {
      if (ns != "dbt" && project_.FindPackage(ns) != nullptr && ns != root) search.push_back(root);
      search.push_back(std::string(ns));
    }
  }
  std::vector<std::string> tried;
  for (const auto& pkg : search) {
    for (const auto& prefix : adapter_->dispatch_chain) {
      const std::string candidate = absl::StrCat(prefix, "__", AsAbsl(macro_name));
      Value v = pkg.empty() ? LookupMacro(root, candidate) : PackageMacro(pkg, candidate);
      if (!v.is_undefined()) return v;
      tried.push_back(absl::StrCat("'", pkg.empty() ? root : pkg, ".", candidate, "'"));
    }
  }
  return absl::InvalidArgumentError(absl::StrCat("In dispatch: No macro named '", AsAbsl(macro_name),
                                                 "' found within namespace: '", AsAbsl(ns), "'\n    Searched for: ",
                                                 absl::StrJoin(tried, ", ")));
}

bool Session::HasVar(std::string_view name, const Package* pkg) const {
  return Var(name, nullptr, pkg).ok();
}

absl::StatusOr<Value> Session::Var(std::string_view name, const Value* default_value, const Package* pkg) const {
  if (const Value* v = cli_vars_.dict()->FindStr(name)) return *v;
  const Package& root = project_.root();
  if (pkg == nullptr) pkg = &root;
  auto scoped = [&](const Package& holder, const std::string& scope) -> const Value* {
    const Value* block = holder.vars.dict()->FindStr(scope);
    if (block != nullptr && block->is_dict()) return block->dict()->FindStr(name);
    return nullptr;
  };
  auto global = [&](const Package& holder) -> const Value* {
    const Value* v = holder.vars.dict()->FindStr(name);
    if (v == nullptr) return nullptr;
    if (v->is_dict() && project_.FindPackage(name) != nullptr) return nullptr;
    return v;
  };
  if (const Value* v = scoped(root, pkg->name)) return *v;
  if (const Value* v = global(root)) return *v;
  if (pkg != &root) {
    if (const Value* v = scoped(*pkg, pkg->name)) return *v;
    if (const Value* v = global(*pkg)) return *v;
  }
  if (default_value != nullptr) return *default_value;
  RenderState* st = CurrentRender();
  return absl::InvalidArgumentError(absl::StrCat("Required var '", AsAbsl(name), "' not found in config:\nVars supplied to ",
                                                 st && st->node ? st->node->name : "<project>", " = ",
                                                 cli_vars_.Repr()));
}

const Package* Session::PackageOf(const Node& node) const { return project_.FindPackage(node.package_name); }

Node* Session::FindNodeById(std::string_view id) const {
  auto it = node_by_id_.find(AsAbsl(id));
  return it == node_by_id_.end() ? nullptr : it->second;
}

const Node* Session::ResolveRef(const RefCall& ref, const Node* from, std::string* error) const {
  auto it = nodes_by_name_.find(ref.name);
  std::vector<Node*> candidates;
  if (it != nodes_by_name_.end()) {
    for (Node* n : it->second) {
      if (!ref.package.empty() && n->package_name != ref.package) continue;
      if (!ref.version.empty() && n->version.has_value() && *n->version != ref.version) continue;
      candidates.push_back(n);
    }
  }
  const std::string& root = project_.root().name;
  if (candidates.size() > 1) {
    for (const std::string& pkg : {root, from ? from->package_name : root}) {
      for (Node* n : candidates) {
        if (n->package_name == pkg) return n;
      }
    }
    std::vector<std::string> ids;
    for (Node* n : candidates) ids.push_back(n->unique_id);
    *error = absl::StrCat("dbt found more than one node named '", ref.name, "' (", absl::StrJoin(ids, ", "),
                          "); use ref('<package>', '", ref.name, "') to pick one");
    return nullptr;
  }
  if (candidates.size() == 1) return candidates[0];
  // dbt names the version and package after the model name (dbt 1.6+ wording).
  const std::string version = ref.version.empty() ? "" : absl::StrCat("with version '", ref.version, "' ");
  const std::string package = ref.package.empty() ? "" : absl::StrCat("in package or project '", ref.package, "' ");
  *error = absl::StrCat(from ? TitleType(from->type) : "Node", " '", from ? from->unique_id : "", "' (",
                        from ? from->original_file_path : "", ") depends on a node named '", ref.name, "' ",
                        version, package, "which was not found");
  return nullptr;
}

const SourceTable* Session::ResolveSource(std::string_view source, std::string_view table) const {
  auto it = source_by_name_.find(absl::StrCat(AsAbsl(source), ".", AsAbsl(table)));
  return it == source_by_name_.end() ? nullptr : it->second;
}

const DocBlock* Session::FindDoc(std::string_view package, std::string_view name,
                                 std::string_view calling_package) const {
  auto find = [&](std::string_view pkg) -> const DocBlock* {
    for (const auto& d : project_.docs) {
      if (d.name == name && d.package_name == pkg) return &d;
    }
    return nullptr;
  };
  if (!package.empty()) return find(package);
  for (std::string_view pkg : {calling_package, std::string_view(project_.root().name)}) {
    if (const DocBlock* d = find(pkg)) return d;
  }
  const DocBlock* any = nullptr;
  for (const auto& d : project_.docs) {
    if (d.name == name && (any == nullptr || d.package_name < any->package_name)) any = &d;
  }
  return any;
}

void Session::RenderDescriptions(DiagnosticSink* sink) {
  // `owner` is the unique_id dbt names in its error; `file` the YAML file that holds the text.
  auto render = [&](const std::string& text, const std::string& owner, const std::string& file, Node* node,
                    const Package* pkg) -> std::string {
    if (text.find("{{") == std::string::npos && text.find("{%") == std::string::npos) return text;
    RenderState st;
    st.node = node;
    st.package = pkg;
    ScopedRenderState scope(&st);
    auto tpl = CachedCompile(file, text, "");
    absl::StatusOr<jinja::RenderOutput> out =
        tpl.ok() ? env().Render(**tpl, Value::Dict()) : absl::StatusOr<jinja::RenderOutput>(tpl.status());
    if (out.ok()) return out->text;
    Diagnostic d;
    d.code = "unknown-doc";
    d.file = file;
    std::string message = StatusMessage(out.status());
    if (auto info = jinja::GetErrorInfo(out.status())) message = info->message;
    if (!absl::StrContains(message, "depends on doc")) d.code = "jinja-error";
    d.message = absl::StrCat("Documentation for '", owner, "' ", message);
    // Point at the doc() call in the YAML file: "depends on doc 'pkg.name'" names it.
    const size_t q = message.find('\'');
    const size_t q2 = q == std::string::npos ? q : message.find('\'', q + 1);
    auto yaml = options_.files->find(absl::StrCat(pkg ? pkg->root : "", file));
    if (d.code == "unknown-doc" && q2 != std::string::npos && yaml != options_.files->end()) {
      const std::string spec = message.substr(q + 1, q2 - q - 1);
      const size_t dot = spec.find('.');
      const std::vector<std::string> args = dot == std::string::npos
                                                ? std::vector<std::string>{spec}
                                                : std::vector<std::string>{spec.substr(0, dot), spec.substr(dot + 1)};
      if (auto span = FindCallSpan(yaml->second, "doc", args)) {
        LineIndex index(yaml->second);
        d.span = *span;
        d.location = index.LocationOf(span->offset);
        d.end_location = index.LocationOf(span->end());
        d.excerpt = RenderExcerpt(index, *span);
      }
    }
    sink->Add(std::move(d));
    if (node != nullptr) node->parsed_ok = false;  // dbt stops at this error; we fail the node only
    return text;
  };
  auto render_columns = [&](Value& columns, const std::string& owner, const std::string& file, Node* node,
                            const Package* pkg) {
    if (!columns.is_dict()) return;
    for (auto& [name, col] : columns.dict()->entries()) {
      if (!col.is_dict()) continue;
      const Value* desc = col.dict()->FindStr("description");
      if (desc == nullptr || !desc->is_string()) continue;
      const std::string rendered = render(desc->as_string(), owner, file, node, pkg);
      const_cast<Value&>(col).dict()->SetStr("description", Value::String(rendered));
    }
  };
  for (auto& np : project_.nodes) {
    Node* n = np.get();
    const std::string file = n->patch_path.empty() ? n->original_file_path
                                                   : n->patch_path.substr(n->patch_path.find("://") + 3);
    n->description = render(n->description, n->unique_id, file, n, PackageOf(*n));
    render_columns(n->columns, n->unique_id, file, n, PackageOf(*n));
  }
  for (auto& s : project_.sources) {
    const Package* pkg = project_.FindPackage(s.package_name);
    s.description = render(s.description, s.unique_id, s.original_file_path, nullptr, pkg);
    s.source_description = render(s.source_description, s.unique_id, s.original_file_path, nullptr, pkg);
    render_columns(s.columns, s.unique_id, s.original_file_path, nullptr, pkg);
  }
}

std::string Session::EphemeralCteName(const Node& node) const {
  // dbt 1.9 names the CTE after the model's identifier (alias); earlier 1.x after its name;
  // before 0.19 the prefix was upper-case.
  const std::string& v = options_.dbt_version;
  const char* prefix = VersionBefore(v, 0, 19) ? "__dbt__CTE__" : "__dbt__cte__";
  const std::string& ident = VersionBefore(v, 1, 9) || node.alias.empty() ? node.name : node.alias;
  return absl::StrCat(prefix, ident);
}

Value Session::RelationFor(const Node& node) const {
  RelationParts p;
  const Value* mat = node.config.dict()->FindStr("materialized");
  if (node.type == ResourceType::kModel && mat != nullptr && mat->Str() == "ephemeral") {
    p.identifier = EphemeralCteName(node);
    p.include_database = p.include_schema = false;
    p.quote_identifier = false;
    p.type = "cte";
    return RelationObject::Make(adapter_, std::move(p));
  }
  Value quoting = Value::Dict();
  for (const Value* q : {&project_.root().quoting, node.config.dict()->FindStr("quoting")}) {
    if (q && q->is_dict()) {
      for (const auto& [k, v] : q->dict()->entries()) quoting.dict()->Set(k, v);
    }
  }
  ApplyQuoting(*adapter_, quoting, &p);
  p.database = node.database;
  p.schema = node.schema;
  p.identifier = node.alias;
  if (mat != nullptr) {
    const std::string m = mat->Str();
    p.type = (m == "view") ? "view" : (m == "table" || m == "incremental" || m == "seed" || m == "snapshot") ? "table" : "";
  }
  return RelationObject::Make(adapter_, std::move(p));
}

Value Session::RelationForSource(const SourceTable& s) const {
  RelationParts p;
  Value quoting = Value::Dict();
  for (const Value* q : {&project_.root().quoting, &s.quoting}) {
    if (q->is_dict()) {
      for (const auto& [k, v] : q->dict()->entries()) quoting.dict()->Set(k, v);
    }
  }
  ApplyQuoting(*adapter_, quoting, &p);
  p.database = s.database;
  p.schema = s.schema;
  p.identifier = s.identifier;
  p.type = "table";
  return RelationObject::Make(adapter_, std::move(p));
}

const ExistingRelation* Session::FindExisting(std::string_view db, std::string_view schema,
                                              std::string_view id) const {
  for (const auto& r : options_.existing_relations) {
    if (!EqualsIgnoreCase(r.identifier, id)) continue;
    if (!schema.empty() && !r.schema.empty() && !EqualsIgnoreCase(r.schema, schema)) continue;
    if (!db.empty() && !r.database.empty() && !EqualsIgnoreCase(r.database, db)) continue;
    return &r;
  }
  return nullptr;
}

bool Session::RelationExists(std::string_view db, std::string_view schema, std::string_view id) const {
  return options_.relations_exist || FindExisting(db, schema, id) != nullptr;
}

const Node* Session::FindNodeByRelation(std::string_view db, std::string_view schema, std::string_view id) const {
  for (const auto& n : project_.nodes) {
    if (!n->parsed_ok) continue;
    if (EqualsIgnoreCase(n->alias, id) && EqualsIgnoreCase(n->schema, schema) &&
        (db.empty() || EqualsIgnoreCase(n->database, db))) {
      return n.get();
    }
  }
  return nullptr;
}

const QueryResult* Session::FindQuery(std::string_view name, std::string_view sql) const {
  const std::string wanted = NormalizeSql(sql);
  for (const auto& q : options_.query_results) {
    if (!name.empty() && q.statement_name == name && q.sql.empty()) return &q;
    if (!q.sql.empty() && NormalizeSql(q.sql) == wanted) return &q;
  }
  for (const auto& q : options_.query_results) {
    if (!name.empty() && q.statement_name == name) return &q;
  }
  return nullptr;
}

// Keep in step with ParseResultKey, which encodes every node field read here.
Value Session::NodeDict(const Node& n) const {
  Value d = Value::Dict();
  auto set = [&](const char* k, Value v) { d.dict()->SetStr(k, std::move(v)); };
  set("unique_id", Value::String(n.unique_id));
  set("name", Value::String(n.name));
  set("resource_type", Value::String(std::string(ResourceTypeName(n.type))));
  set("package_name", Value::String(n.package_name));
  set("path", Value::String(n.path));
  set("original_file_path", Value::String(n.original_file_path));
  std::vector<Value> fqn;
  for (const auto& f : n.fqn) fqn.push_back(Value::String(f));
  set("fqn", Value::List(std::move(fqn)));
  set("database", Value::String(n.database));
  set("schema", Value::String(n.schema));
  set("alias", Value::String(n.alias));
  set("identifier", Value::String(n.alias));
  set("relation_name", n.relation_name ? Value::String(*n.relation_name) : Value::None());
  set("config", n.config);
  const Value* tags = n.config.dict()->FindStr("tags");
  set("tags", tags ? *tags : Value::List());
  set("description", Value::String(n.description));
  set("columns", n.columns);
  set("meta", n.meta);
  set("raw_code", Value::String(n.raw_code));
  set("raw_sql", Value::String(n.raw_code));
  set("language", Value::String(n.language));
  set("version", n.version ? Value::String(*n.version) : Value::None());
  std::vector<Value> deps;
  for (const auto& x : n.depends_on_nodes) deps.push_back(Value::String(x));
  Value depends = Value::Dict();
  depends.dict()->SetStr("nodes", Value::List(std::move(deps)));
  std::vector<Value> macros;
  for (const auto& x : n.depends_on_macros) macros.push_back(Value::String(x));
  depends.dict()->SetStr("macros", Value::List(std::move(macros)));
  set("depends_on", depends);
  std::vector<Value> refs;
  for (const auto& r : n.refs) {
    Value rv = Value::Dict();
    rv.dict()->SetStr("name", Value::String(r.name));
    rv.dict()->SetStr("package", r.package.empty() ? Value::None() : Value::String(r.package));
    rv.dict()->SetStr("version", r.version.empty() ? Value::None() : Value::String(r.version));
    refs.push_back(rv);
  }
  set("refs", Value::List(std::move(refs)));
  std::vector<Value> sources;
  for (const auto& s : n.sources) sources.push_back(Value::List({Value::String(s[0]), Value::String(s[1])}));
  set("sources", Value::List(std::move(sources)));
  if (n.test) {
    set("test_metadata", TestMetadata(*n.test));
    set("column_name", n.test->column_name.empty() ? Value::None() : Value::String(n.test->column_name));
    set("file_key_name", Value::String(n.test->file_key_name));
    set("attached_node", n.test->attached_node.empty() ? Value::None() : Value::String(n.test->attached_node));
  }
  return d;
}

// ---------------------------------------------------------------------------------------
// Rendering

void Session::AddRenderError(const absl::Status& status, Node* node, DiagnosticSink* sink, bool parse) {
  Diagnostic d;
  d.code = IsWarehouseError(status) ? "needs-warehouse-query"
           : status.code() == absl::StatusCode::kResourceExhausted ? "limit-exceeded"
                                                                    : "jinja-error";
  std::string message = StatusMessage(status);
  if (auto info = jinja::GetErrorInfo(status)) {
    message = info->message;
    d.location = info->location;
    d.context = info->call_stack;
    d.file = info->template_name;
  }
  if (node != nullptr) {
    if (d.file.empty() || d.file == node->file_key) d.file = node->original_file_path;
    if (node->package_name != project_.root().name && !absl::StartsWith(d.file, "dbt_packages/")) {
      d.file = absl::StrCat(node->package_name, "://", d.file);
    }
    d.message = absl::StrCat(d.code == "needs-warehouse-query" ? "" : "Compilation Error in ",
                             d.code == "needs-warehouse-query" ? "" : absl::StrCat(ResourceTypeName(node->type), " ", node->name, " (", node->original_file_path, ")\n  "),
                             d.code == "needs-warehouse-query" ? absl::StrCat(ResourceTypeName(node->type), " ", node->name, " ", message) : message);
    (void)parse;
  } else {
    d.message = message;
  }
  sink->Add(std::move(d));
}

absl::StatusOr<std::shared_ptr<const jinja::Template>> Session::CachedCompile(std::string_view name,
                                                                              std::string_view source,
                                                                              std::string_view content_hash) {
  bool hit = false;
  auto tpl = cache_->GetOrCompile(env(), menv_->generation, name, source, content_hash, &hit);
  if (hit) {
    cache_hits_.fetch_add(1);
  } else {
    templates_parsed_.fetch_add(1);
  }
  return tpl;
}

// The SHA-256 of node.raw_code when the loader already computed it: a model's, analysis's
// or singular test's checksum is of its whole (normalized) file, which is its raw_code. A
// snapshot's checksum covers its file, which may hold several snapshot blocks, and generic
// tests have none: "" (hash the text).
namespace {
std::string_view KnownContentHash(const Node& node) {
  const bool whole_file = node.type == ResourceType::kModel || node.type == ResourceType::kAnalysis ||
                          (node.type == ResourceType::kTest && !node.test);
  return whole_file ? std::string_view(node.checksum) : std::string_view();
}

}  // namespace

absl::StatusOr<std::shared_ptr<const jinja::Template>> Session::TemplateFor(const Node& node) {
  return CachedCompile(node.file_key, node.raw_code, KnownContentHash(node));
}

namespace {

// Renders one generic-test kwarg as dbt does: strings that look like ref()/source()/var()
// calls are wrapped in {{ }}; strings with Jinja are rendered natively.
absl::StatusOr<Value> RenderTestArg(jinja::Environment& env, const Value& v, bool is_column_name) {
  if (v.is_dict()) {
    Value out = Value::Dict();
    for (const auto& [k, x] : v.dict()->entries()) {
      SQLMILL_ASSIGN_OR_RETURN(Value r, RenderTestArg(env, x, false));
      out.dict()->Set(k, r);
    }
    return out;
  }
  if (v.is_list()) {
    std::vector<Value> out;
    for (const auto& x : v.items()) {
      SQLMILL_ASSIGN_OR_RETURN(Value r, RenderTestArg(env, x, false));
      out.push_back(r);
    }
    return Value::List(std::move(out));
  }
  if (!v.is_string() || is_column_name) return v;
  std::string s = v.as_string();
  static const std::regex kFunc(R"(^\s*(env_var|ref|var|source|doc)\s*\(.+\)\s*$)");
  if (std::regex_match(s, kFunc)) s = absl::StrCat("{{ ", s, " }}");
  if (s.find('{') == std::string::npos) return Value::String(s);
  static const std::regex kSingle(R"(^\s*\{\{([\s\S]*)\}\}\s*$)");
  std::smatch m;
  if (std::regex_match(s, m, kSingle) && m[1].str().find("}}") == std::string::npos) {
    SQLMILL_ASSIGN_OR_RETURN(auto tpl, env.Compile(absl::StrCat("{{ return(", m[1].str(), ") }}"), "<test argument>"));
    SQLMILL_ASSIGN_OR_RETURN(jinja::RenderOutput out, env.Render(*tpl, Value::Dict()));
    if (out.returned.has_value()) return *out.returned;
    return Value::String(out.text);
  }
  SQLMILL_ASSIGN_OR_RETURN(auto tpl, env.Compile(s, "<test argument>"));
  SQLMILL_ASSIGN_OR_RETURN(Value native, env.RenderNative(*tpl, Value::Dict()));
  return native;
}

}  // namespace

void Session::RenderNode(Node* node, bool execute, DiagnosticSink* sink, absl::Status* failure) {
  if (node->type == ResourceType::kSeed) return;
  RenderState st;
  st.node = node;
  st.package = PackageOf(*node);
  st.execute = execute;
  ScopedRenderState scope(&st);
  jinja::RenderOptions ro;
  ro.limits = options_.limits;
  ro.cancel = options_.cancel;
  auto fail = [&](const absl::Status& s) {
    // Only the node being rendered is written; other threads read configs and names.
    if (execute) {
      node->compiled = false;
    } else {
      node->parsed_ok = false;
    }
    AddRenderError(s, node, sink, !execute);
    for (auto& w : st.warnings) sink->Add(std::move(w));
    if (failure != nullptr) *failure = s;
  };
  Value context = Value::Dict();
  if (node->test) {
    Value kwargs = Value::Dict();
    for (const auto& [k, v] : node->test->kwargs.dict()->entries()) {
      auto r = RenderTestArg(env(), v, k.Str() == "column_name");
      if (!r.ok()) {
        fail(r.status());
        return;
      }
      kwargs.dict()->Set(k, *r);
    }
    context.dict()->SetStr("_dbt_generic_test_kwargs", kwargs);
  }
  if (auto it = menv_->package_contexts.find(node->package_name); it != menv_->package_contexts.end()) {
    for (const auto& [k, v] : it->second.dict()->entries()) context.dict()->Set(k, v);
  }
  auto tpl = TemplateFor(*node);
  if (!tpl.ok()) {
    fail(tpl.status());
    return;
  }
  auto out = env().Render(**tpl, context, ro);
  if (!out.ok()) {
    fail(out.status());
    return;
  }
  for (auto& w : st.warnings) sink->Add(std::move(w));
  if (!execute) {
    node->refs = std::move(st.refs);
    node->sources = std::move(st.sources);
    node->unrendered_config = [&] {
      Value u = node->unrendered_config;  // YAML layer; keep, then the file's config() calls
      Value merged = Value::Dict();
      if (u.is_dict()) {
        for (const auto& [k, v] : u.dict()->entries()) merged.dict()->Set(k, v);
      }
      return merged;
    }();
    // node->config is re-resolved (with these calls) after the parallel parse phase, since
    // other threads read it meanwhile.
    for (const auto& [k, v] : st.config_calls.dict()->entries()) MergeConfig(node->unrendered_config, k.Str(), v);
    return;
  }
  node->compiled_code = std::move(out->text);
  node->ephemeral_deps = std::move(st.ephemeral_refs);
  for (const auto& extra : st.extra_deps) {
    if (std::find(node->depends_on_nodes.begin(), node->depends_on_nodes.end(), extra) ==
        node->depends_on_nodes.end()) {
      node->depends_on_nodes.push_back(extra);
    }
  }
  node->compiled = true;
}

// ---------------------------------------------------------------------------------------
// Parse results across compiles
//
// A parse render (execute=false) reads, besides the environment (EnvironmentKey): the node
// itself (`model`, `this`, config.get, the test's kwargs, its text), through ref() every
// refable node's name, package, version, enabled flag and relation (provisional database,
// schema, alias, materialization, quoting), through source() every enabled source's
// relation, through doc() the docs blocks, and through adapter.already_exists the request's
// existing relations. `graph` is empty and `selected_resources` unset during the parse
// phase; run_query, statement, get_relation and get_columns_in_relation return constants.
// The key covers all of it, so a hit means the render would record exactly the same.

void Session::PrepareParseKeys() {
  std::string k = "sqlmill-dbt-parse-world-1";
  bool ok = true;
  auto add = [&](std::string_view part) { absl::StrAppend(&k, "\n", part.size(), ":", AsAbsl(part)); };
  auto add_value = [&](const Value* v) {
    std::string c;
    if (v == nullptr) {
      c = "<absent>";
    } else {
      ok = ok && AppendCanonical(*v, &c);
    }
    add(c);
  };
  add(environment_key_);
  add(project_.root().name);
  for (const auto& np : project_.nodes) {
    const Node& n = *np;
    if (n.type != ResourceType::kModel && n.type != ResourceType::kSeed && n.type != ResourceType::kSnapshot) continue;
    add(ResourceTypeName(n.type));
    add(n.unique_id);
    add(n.name);
    add(n.package_name);
    add(n.version ? absl::StrCat("v", *n.version) : "-");
    add_value(n.config.dict()->FindStr("enabled"));
    add_value(n.config.dict()->FindStr("materialized"));
    add_value(n.config.dict()->FindStr("quoting"));
    add(n.database);
    add(n.schema);
    add(n.alias);
    add(n.relation_name.value_or("<none>"));
  }
  for (const auto& s : project_.sources) {
    add(s.unique_id);
    add(s.source_name);
    add(s.name);
    add(s.enabled ? "enabled" : "disabled");
    add(s.database);
    add(s.schema);
    add(s.identifier);
    add(s.relation_name);
    add_value(&s.quoting);
  }
  for (const auto& d : project_.docs) {
    add(d.unique_id);
    add(d.package_name);
    add(d.name);
    add(d.block_contents);
  }
  add(options_.relations_exist ? "relations_exist" : "");
  for (const auto& r : options_.existing_relations) {
    add(r.database);
    add(r.schema);
    add(r.identifier);
    add(absl::StrJoin(r.column_names, "\x1f"));
    add(absl::StrJoin(r.column_types, "\x1f"));
  }
  for (const auto& q : options_.query_results) {
    add(q.sql);
    add(q.statement_name);
    add(absl::StrJoin(q.column_names, "\x1f"));
    add(q.rows_json);
  }
  add(absl::StrCat(options_.limits.max_input_bytes, ",", options_.limits.max_nesting_depth, ",",
                   options_.limits.max_work_units, ",", options_.limits.max_template_steps, ",",
                   options_.limits.max_output_bytes));
  parse_world_key_ = ok ? Sha256Hex(k) : "";
  // The YAML files nodes come from or are patched by, hashed once each (many tests share
  // one). A model's, analysis's or singular test's file is its raw_code, whose hash is its
  // checksum.
  file_hashes_.clear();
  for (const auto& [path, text] : *options_.files) {
    if (absl::EndsWith(path, ".yml") || absl::EndsWith(path, ".yaml")) file_hashes_[path] = Sha256Hex(text);
  }
}

std::string Session::ParseResultKey(const Node& n) const {
  std::string k = "sqlmill-dbt-parse-node-1";
  auto add = [&](std::string_view part) { absl::StrAppend(&k, "\n", part.size(), ":", AsAbsl(part)); };
  auto file_hash = [&](const std::string& key) -> std::string {
    auto it = file_hashes_.find(key);
    if (it != file_hashes_.end()) return it->second;
    auto f = options_.files->find(key);
    return f == options_.files->end() ? "<no file>" : Sha256Hex(f->second);
  };
  add(parse_world_key_);
  add(ResourceTypeName(n.type));
  add(n.unique_id);
  add(n.name);
  add(n.package_name);
  add(n.path);
  add(n.original_file_path);
  add(n.file_key);
  const std::string_view whole_file_hash = KnownContentHash(n);  // the file is raw_code
  add(whole_file_hash.empty() ? file_hash(n.file_key) : std::string(whole_file_hash));
  add(n.patch_path);
  if (const size_t sep = n.patch_path.find("://"); sep != std::string::npos) {
    const Package* pkg = PackageOf(n);
    add(file_hash(absl::StrCat(pkg ? pkg->root : "", n.patch_path.substr(sep + 3))));
  }
  add(n.language);
  add(n.version ? absl::StrCat("v", *n.version) : "-");
  add(n.checksum);
  add(whole_file_hash.empty() ? Sha256Hex(n.raw_code) : std::string(whole_file_hash));
  add(n.snapshot_macro);
  add(n.parsed_ok ? "ok" : "failed");
  // Every node field NodeDict (`model`) shows, encoded directly rather than through the
  // dict (building it costs more than many parse renders); the text is in by its hash
  // above. ParseResultCacheTest.KeyCoversEveryModelField fails when NodeDict gains a key
  // this list does not name.
  for (const auto& f : n.fqn) add(f);
  add(absl::StrCat(n.fqn.size()));
  add(n.database);
  add(n.schema);
  add(n.alias);
  add(n.relation_name.value_or("<none>"));
  add(n.description);
  for (const auto& d : n.depends_on_nodes) add(d);
  add(absl::StrCat(n.depends_on_nodes.size()));
  for (const auto& d : n.depends_on_macros) add(d);
  add(absl::StrCat(n.depends_on_macros.size()));
  for (const auto& r : n.refs) {
    add(r.name);
    add(r.package);
    add(r.version);
  }
  add(absl::StrCat(n.refs.size()));
  for (const auto& src : n.sources) {
    for (const auto& part : src) add(part);
    add(absl::StrCat(src.size()));
  }
  add(absl::StrCat(n.sources.size()));
  std::string c;
  // The config as `model.config` and config.get show it, the YAML layer it is merged with.
  if (!AppendCanonical(n.config, &c) || !AppendCanonical(n.columns, &c) || !AppendCanonical(n.meta, &c) ||
      !AppendCanonical(n.unrendered_config, &c)) {
    return "";
  }
  if (n.test) {
    if (!AppendCanonical(n.test->kwargs, &c)) return "";
    add(n.test->test_name);
    add(n.test->namespace_name);
    add(n.test->column_name);
    add(n.test->file_key_name);
    add(n.test->attached_node);
  }
  add(c);
  // The encoding itself is the key (no digest: equal keys are equal inputs, and hashing
  // ~2 KB per node would cost a good part of the render it replaces).
  return k;
}

void Session::ParseNode(Node* node, DiagnosticSink* sink) {
  if (node->type == ResourceType::kSeed) return;  // seeds are not rendered
  const std::string key =
      parse_world_key_.empty() || !cache_->keeps_parse_results() ? "" : ParseResultKey(*node);
  if (!key.empty()) {
    if (std::shared_ptr<const ParseResult> r = cache_->FindParseResult(key)) {
      node->refs = r->refs;
      node->sources = r->sources;
      node->unrendered_config = DeepCopy(r->unrendered_config);
      if (r->failed) node->parsed_ok = false;
      for (const auto& d : r->diagnostics) sink->Add(Diagnostic(d));
      parse_results_reused_.fetch_add(1);
      return;
    }
  }
  parse_renders_.fetch_add(1);
  DiagnosticSink local(std::numeric_limits<size_t>::max());
  absl::Status failure;
  RenderNode(node, false, &local, &failure);
  const bool interrupted = failure.code() == absl::StatusCode::kCancelled ||
                           failure.code() == absl::StatusCode::kDeadlineExceeded ||
                           (options_.cancel != nullptr && !options_.cancel->Check().ok());
  if (!key.empty() && !interrupted) {
    auto r = std::make_shared<ParseResult>();
    r->failed = !failure.ok();
    r->refs = node->refs;
    r->sources = node->sources;
    std::string scratch;
    if (AppendCanonical(node->unrendered_config, &scratch)) {  // no host objects in it
      r->unrendered_config = DeepCopy(node->unrendered_config);
      r->diagnostics = local.diagnostics();
      cache_->StoreParseResult(key, std::move(r));
    }
  }
  sink->Merge(std::move(local));
}

std::string Session::CallNameMacro(std::string_view macro, const Value& custom, Node* node,
                                   const std::string& fallback, DiagnosticSink* sink) {
  Value fn = LookupMacro(project_.root().name, macro);
  if (fn.is_undefined()) return fallback;
  RenderState st;
  st.node = node;
  st.package = PackageOf(*node);
  ScopedRenderState scope(&st);
  static const char kCall[] = "{{ __dbt_name_macro(__dbt_custom, __dbt_node) }}";
  auto tpl = CachedCompile("<relation name>", kCall, "");
  if (!tpl.ok()) return fallback;
  Value ctx = Value::Dict();
  ctx.dict()->SetStr("__dbt_name_macro", fn);
  ctx.dict()->SetStr("__dbt_custom", custom);
  ctx.dict()->SetStr("__dbt_node", NodeDict(*node));
  auto out = env().Render(**tpl, ctx);
  if (!out.ok()) {
    node->parsed_ok = false;
    AddRenderError(out.status(), node, sink, true);
    return fallback;
  }
  return std::string(absl::StripAsciiWhitespace(out->text));
}

void Session::ParallelFor(const std::vector<Node*>& nodes, const std::function<void(Node*, DiagnosticSink*)>& fn,
                          DiagnosticSink* sink) {
  // The server's pool, or threads of this compile's own (the CLI). One sink per node,
  // merged in node order: the same diagnostics, in the same order, as a sequential run.
  const ParallelRunner runner =
      options_.parallel
          ? options_.parallel
          : ThreadRunner(options_.parallelism > 0 ? options_.parallelism : UsableCores());
  std::vector<DiagnosticSink> sinks(nodes.size());
  RunParallel(runner, nodes.size(), [&](size_t i) {
    if (options_.cancel && !options_.cancel->Check().ok()) return;
    ScopedSession scoped_session(this);
    fn(nodes[i], &sinks[i]);
  });
  for (auto& s : sinks) sink->Merge(std::move(s));
}

// ---------------------------------------------------------------------------------------
// Phases

void Session::ResolveConfigs(DiagnosticSink* sink) {
  const Package& root = project_.root();
  for (auto& np : project_.nodes) {
    Node* n = np.get();
    Value config = DefaultConfig(n->type);
    const Package* pkg = PackageOf(*n);
    auto block_of = [&](const Package& p) -> const Value& {
      switch (n->type) {
        case ResourceType::kSeed: return p.seeds;
        case ResourceType::kSnapshot: return p.snapshots;
        case ResourceType::kTest: return p.tests;
        case ResourceType::kAnalysis:
        case ResourceType::kModel: return p.models;
      }
      return p.models;
    };
    auto apply_level = [&](const Value& level) {
      if (!level.is_dict()) return;
      for (const auto& [k, v] : level.dict()->entries()) {
        std::string key = k.Str();
        if (absl::StartsWith(key, "+")) {
          MergeConfig(config, key.substr(1), v);
        } else if (!v.is_dict() || IsDictConfig(key)) {
          MergeConfig(config, key, v);
        }
      }
    };
    auto apply_tree = [&](const Value& block) {
      apply_level(block);
      const Value* level = &block;
      for (size_t i = 0; i < n->fqn.size(); ++i) {
        const Value* next = level->is_dict() ? level->dict()->FindStr(n->fqn[i]) : nullptr;
        if (next == nullptr || !next->is_dict()) break;
        apply_level(*next);
        level = next;
      }
    };
    if (pkg != nullptr && pkg != &root) apply_tree(block_of(*pkg));
    apply_tree(block_of(root));
    // Project config values may hold Jinja ("{{ var('x', false) }}").
    for (auto& [k, v] : config.dict()->entries()) {
      if (v.is_string() && (v.as_string().find("{{") != std::string::npos ||
                            v.as_string().find("{%") != std::string::npos)) {
        RenderState st;
        st.node = n;
        st.package = pkg;
        ScopedRenderState scope(&st);
        auto tpl = CachedCompile("dbt_project.yml", v.as_string(), "");
        if (tpl.ok()) {
          auto r = env().RenderNative(**tpl, Value::Dict());
          if (r.ok()) {
            const_cast<Value&>(v) = *r;
          } else {
            AddRenderError(r.status(), n, sink, true);
          }
        }
      }
    }
    if (n->unrendered_config.is_dict()) {
      for (const auto& [k, v] : n->unrendered_config.dict()->entries()) MergeConfig(config, k.Str(), v);
    }
    n->config = config;
  }
}

void Session::NameRelations(DiagnosticSink* sink) {
  const std::string& root = project_.root().name;
  const bool custom_schema = !PackageMacro(root, "generate_schema_name").is_undefined();
  const bool custom_alias = !PackageMacro(root, "generate_alias_name").is_undefined();
  const bool custom_db = !PackageMacro(root, "generate_database_name").is_undefined();
  for (auto& np : project_.nodes) {
    Node* n = np.get();
    if (!n->config.dict()->FindStr("enabled")->Truthy()) continue;
    auto cfg = [&](const char* k) -> Value {
      const Value* v = n->config.dict()->FindStr(k);
      return (v == nullptr || v->is_undefined()) ? Value::None() : *v;
    };
    const Value db_cfg = cfg("database"), schema_cfg = cfg("schema"), alias_cfg = cfg("alias");
    std::string db = db_cfg.is_none() ? options_.target.database : std::string(absl::StripAsciiWhitespace(db_cfg.Str()));
    if (custom_db) db = CallNameMacro("generate_database_name", db_cfg, n, db, sink);
    n->database = db;
    std::string schema = schema_cfg.is_none()
                             ? options_.target.schema
                             : absl::StrCat(options_.target.schema, "_", absl::StripAsciiWhitespace(schema_cfg.Str()));
    if (custom_schema) schema = CallNameMacro("generate_schema_name", schema_cfg, n, schema, sink);
    n->schema = schema;
    std::string alias = alias_cfg.Truthy() ? std::string(absl::StripAsciiWhitespace(alias_cfg.Str())) : n->name;
    if (custom_alias) alias = CallNameMacro("generate_alias_name", alias_cfg, n, alias, sink);
    n->alias = alias;
    if (n->type == ResourceType::kSnapshot) {
      if (Value ts = cfg("target_schema"); !ts.is_none()) n->schema = ts.Str();
      if (Value td = cfg("target_database"); !td.is_none()) n->database = td.Str();
    }
    const std::string mat = cfg("materialized").Str();
    const bool has_relation =
        (n->type == ResourceType::kModel && mat != "ephemeral") || n->type == ResourceType::kSeed ||
        n->type == ResourceType::kSnapshot || (n->type == ResourceType::kTest && cfg("store_failures").Truthy());
    if (has_relation) {
      n->relation_name = RelationFor(*n).Str();
    } else {
      n->relation_name.reset();
    }
  }
}

void Session::LinkGraph(DiagnosticSink* sink) {
  for (auto& np : project_.nodes) {
    Node* n = np.get();
    if (!n->parsed_ok) continue;
    std::vector<std::string> deps;
    auto add = [&](const std::string& id) {
      if (std::find(deps.begin(), deps.end(), id) == deps.end()) deps.push_back(id);
    };
    for (const auto& s : n->sources) {
      const SourceTable* src = ResolveSource(s[0], s[1]);
      if (src == nullptr) {
        n->parsed_ok = false;
        Diagnostic d;
        d.code = "unknown-source";
        d.file = n->original_file_path;
        d.message = absl::StrCat(TitleType(n->type), " '", n->unique_id, "' (", n->original_file_path,
                                 ") depends on a source named '", s[0], ".", s[1], "' which was not found");
        LocateCall(*n, "source", {s[0], s[1]}, &d);
        sink->Add(std::move(d));
        continue;
      }
      add(src->unique_id);
    }
    std::vector<std::string> ref_ids;
    for (const auto& r : n->refs) {
      std::string error;
      const Node* t = ResolveRef(r, n, &error);
      if (t == nullptr) {
        n->parsed_ok = false;
        Diagnostic d;
        d.code = absl::StrContains(error, "more than one") ? "ambiguous-ref" : "unknown-ref";
        d.file = n->original_file_path;
        d.message = error;
        LocateCall(*n, "ref", r.package.empty() ? std::vector<std::string>{r.name} : std::vector<std::string>{r.package, r.name}, &d);
        sink->Add(std::move(d));
        continue;
      }
      ref_ids.push_back(t->unique_id);
    }
    if (legacy_) {
      // dbt < 1.5 recorded each ref twice (parse and static-parse passes).
      std::vector<std::string> out = deps;
      for (int pass = 0; pass < 2; ++pass) {
        for (const auto& id : ref_ids) out.push_back(id);
      }
      n->depends_on_nodes = out;
    } else {
      for (const auto& id : ref_ids) add(id);
      n->depends_on_nodes = deps;
    }
    DependsOnMacros(n);
  }
  // Topological order (Kahn), ties by unique_id; nodes left over are in cycles.
  absl::flat_hash_map<std::string, int> indegree;
  absl::flat_hash_map<std::string, std::vector<std::string>> children;
  std::vector<std::string> ids;
  for (auto& np : project_.nodes) {
    if (!np->parsed_ok) continue;
    ids.push_back(np->unique_id);
    indegree[np->unique_id];
  }
  for (auto& np : project_.nodes) {
    if (!np->parsed_ok) continue;
    std::set<std::string> seen;
    for (const auto& p : np->depends_on_nodes) {
      if (!indegree.contains(p) || !seen.insert(p).second) continue;
      indegree[np->unique_id]++;
      children[p].push_back(np->unique_id);
    }
    parent_map_[np->unique_id] = np->depends_on_nodes;
  }
  std::priority_queue<std::string, std::vector<std::string>, std::greater<>> ready;
  for (const auto& id : ids) {
    if (indegree[id] == 0) ready.push(id);
  }
  dag_order_.clear();
  while (!ready.empty()) {
    std::string id = ready.top();
    ready.pop();
    dag_order_.push_back(id);
    for (const auto& c : children[id]) {
      if (--indegree[c] == 0) ready.push(c);
    }
  }
  if (dag_order_.size() < ids.size()) {
    // Report each cycle once: walk parents from a remaining node until one repeats.
    absl::flat_hash_set<std::string> reported;
    for (const auto& id : ids) {
      if (indegree[id] == 0 || reported.contains(id)) continue;
      std::vector<std::string> path{id};
      absl::flat_hash_map<std::string, size_t> pos{{id, 0}};
      std::string cur = id;
      while (true) {
        Node* n = FindNodeById(cur);
        std::string next;
        for (const auto& p : n->depends_on_nodes) {
          if (indegree.contains(p) && indegree[p] > 0) {
            next = p;
            break;
          }
        }
        if (next.empty()) break;
        if (pos.contains(next)) {
          std::vector<std::string> cycle(path.begin() + pos[next], path.end());
          std::reverse(cycle.begin(), cycle.end());
          cycle.insert(cycle.begin(), next);
          bool fresh = true;
          for (const auto& c : cycle) fresh = fresh && !reported.contains(c);
          if (fresh) {
            for (const auto& c : cycle) reported.insert(c);
            // Parent → child order reads as the data flows: a --> b --> a.
            std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end() - 1), cycle.end() - 1);
            cycle.back() = cycle.front();
            Diagnostic d;
            d.code = "dependency-cycle";
            d.file = FindNodeById(cycle.front())->original_file_path;
            d.message = absl::StrCat("Found a cycle: ", absl::StrJoin(cycle, " --> "));
            sink->Add(std::move(d));
          }
          break;
        }
        pos[next] = path.size();
        path.push_back(next);
        cur = next;
      }
    }
    for (auto& np : project_.nodes) {
      if (np->parsed_ok && indegree.contains(np->unique_id) && indegree[np->unique_id] > 0) {
        np->parsed_ok = false;
      }
    }
  }
}

void Session::LocateCall(const Node& node, std::string_view fn, const std::vector<std::string>& args,
                         Diagnostic* d) const {
  auto it = options_.files->find(node.file_key);
  if (it == options_.files->end() || node.test) return;
  const std::optional<SourceSpan> span = FindCallSpan(it->second, fn, args);
  if (!span) return;
  LineIndex index(it->second);
  d->span = *span;
  d->location = index.LocationOf(span->offset);
  d->end_location = index.LocationOf(span->end());
  d->excerpt = RenderExcerpt(index, *span);
}

void Session::DependsOnMacros(Node* n) const {
  n->depends_on_macros.clear();
  auto add = [&](const std::string& id) {
    if (std::find(n->depends_on_macros.begin(), n->depends_on_macros.end(), id) == n->depends_on_macros.end()) {
      n->depends_on_macros.push_back(id);
    }
  };
  if (n->test) {
    const std::string pkg = n->test->namespace_name.empty() ? "" : n->test->namespace_name;
    const std::string macro = absl::StrCat("test_", n->test->test_name);
    const MacroDef* def = nullptr;
    if (!pkg.empty()) {
      def = FindMacroDef(pkg, macro);
    } else {
      def = FindMacroDef(project_.root().name, macro);
      if (def == nullptr) def = FindMacroDef("dbt", macro);
    }
    if (def != nullptr) add(def->unique_id);
    const bool builtin_simple = def != nullptr && def->package_name == "dbt" &&
                                (n->test->test_name == "unique" || n->test->test_name == "not_null");
    if (!builtin_simple) add("macro.dbt.get_where_subquery");
    return;
  }
  static const absl::flat_hash_set<std::string> kNative = {"is_incremental", "run_query", "statement",
                                                           "should_full_refresh", "should_store_failures"};
  // The calls a text makes depend on the text alone: scanned once per content (the regex
  // scan costs more than the lookups), through the parse cache.
  const std::string_view known = KnownContentHash(*n);
  auto calls = cache_->GetOrScanCalls(known.empty() ? Sha256Hex(n->raw_code) : std::string(known), [&] {
    static const std::regex kBlock(R"(\{\{([\s\S]*?)\}\}|\{%([\s\S]*?)%\})");
    static const std::regex kCall(R"((?:^|[^\w.])([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?\s*\()");
    ParseCache::CallList out;
    const std::string& code = n->raw_code;
    for (auto it = std::sregex_iterator(code.begin(), code.end(), kBlock); it != std::sregex_iterator(); ++it) {
      const std::string inner = (*it)[1].matched ? (*it)[1].str() : (*it)[2].str();
      for (auto c = std::sregex_iterator(inner.begin(), inner.end(), kCall); c != std::sregex_iterator(); ++c) {
        out.emplace_back((*c)[1].str(), (*c)[2].matched ? (*c)[2].str() : "");
      }
    }
    return out;
  });
  for (const auto& [first, second] : *calls) {
    if (!second.empty()) {
      const MacroDef* def = FindMacroDef(first, second);
      if (def != nullptr) add(def->unique_id);
      continue;
    }
    if (kNative.contains(first)) {
      add(absl::StrCat("macro.dbt.", first));
      continue;
    }
    const MacroDef* def = nullptr;
    if (n->package_name != project_.root().name) def = FindMacroDef(n->package_name, first);
    if (def == nullptr) def = FindMacroDef(project_.root().name, first);
    if (def == nullptr) def = FindMacroDef("dbt", first);
    if (def != nullptr) add(def->unique_id);
  }
}

void Session::Select(DiagnosticSink* sink) {
  std::vector<const Node*> nodes;
  for (auto& np : project_.nodes) {
    if (np->parsed_ok) nodes.push_back(np.get());
  }
  SelectorGraph graph;
  for (const Node* n : nodes) graph.parents[n->unique_id] = n->depends_on_nodes;
  auto selected = SelectNodes(nodes, graph, options_.select, options_.exclude);
  if (!selected.ok()) {
    sink->Error("invalid-selector", std::string(selected.status().message()), "", SourceSpan{});
    return;
  }
  selected_ids_.clear();
  for (auto& np : project_.nodes) {
    np->selected = selected->contains(np->unique_id);
    if (np->selected) selected_ids_.push_back(np->unique_id);
  }
  // `selected_resources` reads selected_ids_ through the current session (context.cc).
}

void Session::BuildGraphValue() {
  Value g = Value::Dict();
  Value nodes = Value::Dict();
  for (auto& np : project_.nodes) {
    if (np->parsed_ok) nodes.dict()->SetStr(np->unique_id, NodeDict(*np));
  }
  Value sources = Value::Dict();
  for (const auto& s : project_.sources) {
    Value d = Value::Dict();
    d.dict()->SetStr("unique_id", Value::String(s.unique_id));
    d.dict()->SetStr("name", Value::String(s.name));
    d.dict()->SetStr("source_name", Value::String(s.source_name));
    d.dict()->SetStr("resource_type", Value::String("source"));
    d.dict()->SetStr("package_name", Value::String(s.package_name));
    d.dict()->SetStr("database", Value::String(s.database));
    d.dict()->SetStr("schema", Value::String(s.schema));
    d.dict()->SetStr("identifier", Value::String(s.identifier));
    d.dict()->SetStr("relation_name", Value::String(s.relation_name));
    d.dict()->SetStr("meta", s.meta);
    d.dict()->SetStr("tags", s.tags);
    d.dict()->SetStr("columns", s.columns);
    d.dict()->SetStr("loaded_at_field", s.loaded_at_field.empty() ? Value::None() : Value::String(s.loaded_at_field));
    sources.dict()->SetStr(s.unique_id, d);
  }
  g.dict()->SetStr("nodes", nodes);
  g.dict()->SetStr("sources", sources);
  for (const char* k : {"exposures", "metrics", "groups", "semantic_models", "saved_queries"}) {
    g.dict()->SetStr(k, Value::Dict());
  }
  graph_ = g;
}

void Session::CompileNodeWithEphemerals(Node* node, DiagnosticSink* sink) {
  RenderNode(node, true, sink);
  if (!node->compiled) return;
  // Collect the ephemeral CTEs, dependencies first, each once.
  std::vector<std::string> order;
  std::function<bool(const std::string&, int)> visit = [&](const std::string& id, int depth) -> bool {
    if (depth > 100) return false;
    Node* e = FindNodeById(id);
    if (e == nullptr || !e->compiled) return false;
    for (const auto& dep : e->ephemeral_deps) {
      if (!visit(dep, depth + 1)) return false;
    }
    if (std::find(order.begin(), order.end(), id) == order.end()) order.push_back(id);
    return true;
  };
  for (const auto& id : node->ephemeral_deps) {
    if (!visit(id, 0)) {
      node->compiled = false;
      Diagnostic d;
      d.code = "ephemeral-failed";
      d.file = node->original_file_path;
      d.message = absl::StrCat(ResourceTypeName(node->type), " ", node->name, " uses ephemeral model '", id,
                               "', which failed to compile");
      sink->Add(std::move(d));
      return;
    }
  }
  if (order.empty()) return;
  std::vector<std::string> ctes;
  for (const auto& id : order) {
    Node* e = FindNodeById(id);
    ctes.push_back(absl::StrCat(" ", EphemeralCteName(*e), " as (\n", e->compiled_code, "\n)"));
  }
  node->compiled_code = InjectCtes(node->compiled_code, ctes);
}

void Session::CompileSelected(DiagnosticSink* sink) {
  // Ephemeral models first (in DAG order), since others inline them.
  std::vector<Node*> ephemerals, rest;
  for (const auto& id : dag_order_) {
    Node* n = FindNodeById(id);
    if (n == nullptr || !n->parsed_ok) continue;
    const Value* mat = n->config.dict()->FindStr("materialized");
    const bool ephemeral = n->type == ResourceType::kModel && mat && mat->Str() == "ephemeral";
    if (ephemeral) {
      ephemerals.push_back(n);
    } else if (n->selected && n->type != ResourceType::kSeed) {
      rest.push_back(n);
    }
  }
  for (Node* e : ephemerals) RenderNode(e, true, sink);
  ParallelFor(rest, [this](Node* n, DiagnosticSink* s) { CompileNodeWithEphemerals(n, s); }, sink);
  // Ephemeral nodes' own compiled code also carries their dependencies' CTEs.
  for (Node* e : ephemerals) {
    if (!e->compiled || e->ephemeral_deps.empty()) continue;
    CompileNodeWithEphemerals(e, sink);
  }
}

absl::Status Session::Run(DiagnosticSink* sink) {
  ScopedSession scoped_session(this);
  const std::string& root = project_.root().name;
  // Index nodes; configs from the project and YAML first (parse renders may read them).
  ResolveConfigs(sink);
  RenderDescriptions(sink);
  for (auto& np : project_.nodes) node_by_id_[np->unique_id] = np.get();
  for (auto& s : project_.sources) {
    if (s.database.empty()) s.database = options_.target.database;
  }
  for (auto& s : project_.sources) {
    s.relation_name = RelationForSource(s).Str();
    if (s.enabled) source_by_name_[absl::StrCat(s.source_name, ".", s.name)] = &s;
  }
  auto index_refable = [&] {
    nodes_by_name_.clear();
    for (auto& np : project_.nodes) {
      const Value* enabled = np->config.dict()->FindStr("enabled");
      if (enabled && !enabled->Truthy()) continue;
      if (np->type == ResourceType::kModel || np->type == ResourceType::kSeed ||
          np->type == ResourceType::kSnapshot) {
        nodes_by_name_[np->name].push_back(np.get());
      }
    }
  };
  index_refable();
  // Provisional relation names so parse-time ref() returns something sensible.
  NameRelations(sink);
  // Parse phase.
  std::vector<Node*> all;
  for (auto& np : project_.nodes) all.push_back(np.get());
  PrepareParseKeys();
  ParallelFor(all, [this](Node* n, DiagnosticSink* s) { ParseNode(n, s); }, sink);
  if (options_.cancel) SQLMILL_RETURN_IF_ERROR(options_.cancel->Check());
  // Re-resolve configs with the config() calls the parse captured.
  ResolveConfigs(sink);
  // Disabled nodes drop out (with their tests).
  absl::flat_hash_set<std::string> disabled;
  for (auto& np : project_.nodes) {
    if (!np->config.dict()->FindStr("enabled")->Truthy()) disabled.insert(np->unique_id);
  }
  std::vector<std::unique_ptr<Node>> kept;
  for (auto& np : project_.nodes) {
    if (disabled.contains(np->unique_id)) continue;
    if (np->test && !np->test->attached_node.empty() && disabled.contains(np->test->attached_node)) continue;
    kept.push_back(std::move(np));
  }
  project_.nodes = std::move(kept);
  node_by_id_.clear();
  for (auto& np : project_.nodes) node_by_id_[np->unique_id] = np.get();
  index_refable();
  // Duplicate names across resource types within a package (model vs seed).
  {
    absl::flat_hash_map<std::string, const Node*> seen;
    for (auto& np : project_.nodes) {
      if (np->type == ResourceType::kTest || np->type == ResourceType::kAnalysis) continue;
      auto [it, inserted] = seen.emplace(absl::StrCat(np->package_name, ".", np->name), np.get());
      if (!inserted) {
        Diagnostic d;
        d.code = "duplicate-node";
        d.file = np->original_file_path;
        d.message = absl::StrCat("dbt found two resources with the name \"", np->name, "\": ",
                                 it->second->original_file_path, " and ", np->original_file_path);
        sink->Add(std::move(d));
        np->parsed_ok = false;
      }
    }
  }
  NameRelations(sink);
  LinkGraph(sink);
  BuildGraphValue();
  Select(sink);
  if (options_.cancel) SQLMILL_RETURN_IF_ERROR(options_.cancel->Check());
  if (options_.compile_nodes) CompileSelected(sink);
  if (options_.cancel) SQLMILL_RETURN_IF_ERROR(options_.cancel->Check());
  for (auto& np : project_.nodes) np->compiled_path = CompiledPath(*np, root);
  return absl::OkStatus();
}

void Session::CompileMissingEphemerals(const Node& node, DiagnosticSink* sink, int depth) {
  if (depth > 100) return;  // a cycle; LinkGraph reported it
  for (const auto& id : node.ephemeral_deps) {
    Node* e = FindNodeById(id);
    if (e == nullptr || e->compiled || !e->parsed_ok) continue;
    RenderNode(e, true, sink);  // its own ephemeral_deps are known once it rendered
    CompileMissingEphemerals(*e, sink, depth + 1);
  }
}

absl::Status Session::RecompileNode(Node* node, DiagnosticSink* sink) {
  ScopedSession scoped_session(this);
  if (!options_.compile_nodes) {
    // Nothing was compiled up front: the node's ephemeral models first. The node's own
    // ephemeral_deps are known only once it rendered, so render (its diagnostics come again
    // from the real render below), fill in, render again.
    DiagnosticSink first_pass;
    RenderNode(node, true, &first_pass);
    CompileMissingEphemerals(*node, sink);
  }
  CompileNodeWithEphemerals(node, sink);
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------
// Public API

std::string CompiledPath(const Node& node, std::string_view root_project) {
  (void)root_project;
  if (node.test) {
    return absl::StrCat("target/compiled/", node.package_name, "/", node.original_file_path, "/", node.path);
  }
  if (node.type == ResourceType::kSnapshot &&
      (absl::EndsWith(node.original_file_path, ".yml") || absl::EndsWith(node.original_file_path, ".yaml"))) {
    // A YAML-defined snapshot: one file per snapshot below its YAML file, as for generic tests.
    return absl::StrCat("target/compiled/", node.package_name, "/", node.original_file_path, "/", node.name, ".sql");
  }
  return absl::StrCat("target/compiled/", node.package_name, "/", node.original_file_path);
}

CompiledProject::CompiledProject(std::unique_ptr<Session> session) : session_(std::move(session)) {}
CompiledProject::~CompiledProject() = default;
const Project& CompiledProject::project() const { return session_->project(); }
const CompileOptions& CompiledProject::options() const { return session_->options(); }
std::string CompiledProject::project_name() const { return session_->project().root().name; }
std::string CompiledProject::adapter_type() const { return session_->adapter().type; }
const std::vector<std::string>& CompiledProject::dag_order() const { return session_->dag_order(); }

std::vector<const Node*> CompiledProject::nodes_in_order() const {
  std::vector<const Node*> out;
  absl::flat_hash_set<std::string> seen;
  for (const auto& id : session_->dag_order()) {
    if (const Node* n = session_->FindNodeById(id)) {
      out.push_back(n);
      seen.insert(id);
    }
  }
  for (const auto& np : session_->project().nodes) {
    if (!seen.contains(np->unique_id)) out.push_back(np.get());
  }
  return out;
}

const Node* CompiledProject::FindNode(std::string_view id_or_name) const {
  if (const Node* n = session_->FindNodeById(id_or_name)) return n;
  for (const auto& np : session_->project().nodes) {
    if (np->name == id_or_name && np->package_name == project_name()) return np.get();
  }
  for (const auto& np : session_->project().nodes) {
    if (np->name == id_or_name) return np.get();
  }
  return nullptr;
}

std::vector<std::string> CompiledProject::parents(const std::string& unique_id) const {
  auto it = session_->parent_map().find(unique_id);
  return it == session_->parent_map().end() ? std::vector<std::string>{} : it->second;
}

absl::StatusOr<Node> CompiledProject::CompileOneNode(std::string_view node_name, const std::string& vars,
                                                     std::vector<Diagnostic>* diagnostics,
                                                     const CancellationToken* cancel) {
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  session_->set_cancel(cancel);
  struct Reset {
    Session* s;
    ~Reset() { s->set_cancel(nullptr); }
  } reset{session_.get()};
  const Node* found = FindNode(node_name);
  if (found == nullptr) return absl::NotFoundError(absl::StrCat("no node named '", AsAbsl(node_name), "' in the project"));
  Node* node = session_->FindNodeById(found->unique_id);
  DiagnosticSink sink;
  if (!vars.empty()) SQLMILL_RETURN_IF_ERROR(session_->SetVars(vars));
  if (node->parsed_ok) SQLMILL_RETURN_IF_ERROR(session_->RecompileNode(node, &sink));
  Node copy;
  copy.type = node->type;
  copy.unique_id = node->unique_id;
  copy.name = node->name;
  copy.package_name = node->package_name;
  copy.path = node->path;
  copy.original_file_path = node->original_file_path;
  copy.database = node->database;
  copy.schema = node->schema;
  copy.alias = node->alias;
  copy.relation_name = node->relation_name;
  copy.config = node->config;
  copy.compiled_code = node->compiled_code;
  copy.compiled = node->compiled;
  copy.compiled_path = node->compiled_path;
  copy.depends_on_nodes = node->depends_on_nodes;
  if (!vars.empty()) (void)session_->SetVars(session_->options().vars);
  *diagnostics = sink.TakeDiagnostics();
  return copy;
}

absl::StatusOr<CompileOutput> Compile(const CompileOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  auto session = std::make_unique<Session>(options);
  DiagnosticSink sink;
  SQLMILL_RETURN_IF_ERROR(session->Setup(&sink));
  SQLMILL_RETURN_IF_ERROR(session->Run(&sink));
  CompileOutput out;
  out.stats.macros = static_cast<uint32_t>(session->project().macros.size());
  for (const auto& np : session->project().nodes) {
    out.stats.nodes++;
    if (np->type == ResourceType::kSeed) continue;
    if (np->compiled) {
      out.stats.nodes_compiled++;
    } else if (!np->parsed_ok || np->selected) {
      out.stats.nodes_failed++;
    }
  }
  out.stats.cache_hits = session->cache_hits();
  out.stats.templates_parsed = session->templates_parsed();
  out.stats.macro_files_parsed = session->macro_files_parsed();
  out.stats.environment_reused = session->environment_reused();
  out.stats.parse_renders = session->parse_renders();
  out.stats.parse_results_reused = session->parse_results_reused();
  // Resolve line excerpts for diagnostics in project files.
  const FileMap& files = *options.files;
  std::vector<Diagnostic> diags = sink.TakeDiagnostics();
  for (auto& d : diags) {
    if (d.location.line <= 0 || !d.excerpt.empty()) continue;
    auto it = files.find(d.file);
    if (it == files.end()) continue;
    LineIndex index(it->second);
    if (d.location.line <= index.line_count()) {
      const std::string_view line = index.LineText(d.location.line);
      d.excerpt = absl::StrCat(absl::StrFormat("%5d | ", d.location.line), AsAbsl(line));
    }
  }
  out.diagnostics = std::move(diags);
  session->set_cancel(nullptr);  // the caller's token does not outlive this call
  out.project = std::make_shared<CompiledProject>(std::move(session));
  out.stats.compile_micros = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
  return out;
}

}  // namespace sqlmill::dbt

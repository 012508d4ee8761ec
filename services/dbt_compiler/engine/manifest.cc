// manifest.json in dbt's v12 schema, for the fields consumers read: metadata, nodes,
// sources, macros, parent_map, child_map (and empty docs/exposures/metrics/... maps).
// Stateless; thread-safe.
#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "services/dbt_compiler/engine/compiler.h"
#include "services/dbt_compiler/engine/internal/hash.h"
#include "services/dbt_compiler/engine/internal/session.h"
#include "services/dbt_compiler/engine/loader.h"
#include "services/dbt_compiler/jinja/json.h"

namespace sqlmill::dbt {
namespace {

using jinja::Value;

Value Str(const std::string& s) { return Value::String(s); }
Value StrOrNone(const std::optional<std::string>& s) { return s ? Value::String(*s) : Value::None(); }
Value StrList(const std::vector<std::string>& v) {
  std::vector<Value> out;
  for (const auto& s : v) out.push_back(Value::String(s));
  return Value::List(std::move(out));
}

// The run's start time (CompileOptions::run_started_at, ISO 8601 with an optional offset) as
// dbt writes it: created_at as epoch seconds, generated_at as "%Y-%m-%dT%H:%M:%S.%fZ" in UTC.
// Output stays deterministic: it depends on the request only.
struct RunTime {
  double epoch_seconds = 0;
  std::string generated_at = "1970-01-01T00:00:00.000000Z";
};

// Days since 1970-01-01 of a proleptic Gregorian date (era arithmetic: 400-year cycles).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int* y, int* m, int* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = static_cast<int>(yoe + era * 400 + (*m <= 2));
}

RunTime ParseRunTime(const std::string& text) {
  RunTime rt;
  int y = 1970, mo = 1, d = 1, h = 0, mi = 0, sec = 0, consumed = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%d%n", &y, &mo, &d, &consumed) != 3) return rt;
  size_t i = static_cast<size_t>(consumed);
  if (i < text.size() && (text[i] == 'T' || text[i] == ' ')) {
    int n = 0;
    if (std::sscanf(text.c_str() + i + 1, "%d:%d:%d%n", &h, &mi, &sec, &n) == 3) i += 1 + n;
  }
  int64_t micro = 0;
  if (i < text.size() && text[i] == '.') {
    int digits = 0;
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
      if (digits < 6) micro = micro * 10 + (text[i] - '0');
    }
    for (; digits < 6; ++digits) micro *= 10;
  }
  int64_t offset = 0;  // seconds east of UTC
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    int oh = 0, om = 0;
    const char* p = text.c_str() + i + 1;
    if (std::sscanf(p, "%2d:%2d", &oh, &om) == 2 || std::sscanf(p, "%2d%2d", &oh, &om) >= 1) {
      offset = (text[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    }
  }
  const int64_t seconds = DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset;
  rt.epoch_seconds = static_cast<double>(seconds) + static_cast<double>(micro) / 1e6;
  int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  const int64_t rem = seconds - days * 86400;
  int uy, um, ud;
  CivilFromDays(days, &uy, &um, &ud);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", uy, um, ud, static_cast<int>(rem / 3600),
                static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60), static_cast<long>(micro));
  rt.generated_at = buf;
  return rt;
}

Value Docs() {
  Value d = Value::Dict();
  d.dict()->SetStr("show", Value::Bool(true));
  d.dict()->SetStr("node_color", Value::None());
  return d;
}

Value NodeJson(const Node& n, const std::string& root, double created_at) {
  Value d = Value::Dict();
  auto set = [&](const char* k, Value v) { d.dict()->SetStr(k, std::move(v)); };
  set("database", Str(n.database));
  set("schema", Str(n.schema));
  set("name", Str(n.name));
  set("resource_type", Str(std::string(ResourceTypeName(n.type))));
  set("package_name", Str(n.package_name));
  set("path", Str(n.path));
  set("original_file_path", Str(n.original_file_path));
  set("unique_id", Str(n.unique_id));
  set("fqn", StrList(n.fqn));
  set("alias", Str(n.alias));
  Value checksum = Value::Dict();
  checksum.dict()->SetStr("name", Str(n.test ? "none" : "sha256"));
  checksum.dict()->SetStr("checksum", Str(n.test ? "" : n.checksum));
  set("checksum", checksum);
  set("config", n.config);
  const Value* tags = n.config.dict()->FindStr("tags");
  set("tags", tags ? *tags : Value::List());
  set("description", Str(n.description));
  set("columns", n.columns);
  set("meta", n.meta);
  set("group", Value::None());
  set("docs", Docs());
  set("patch_path", n.patch_path.empty() ? Value::None() : Str(n.patch_path));
  set("build_path", Value::None());
  set("unrendered_config", n.unrendered_config);
  set("created_at", Value::Float(created_at));
  set("relation_name", StrOrNone(n.relation_name));
  set("raw_code", Str(n.raw_code));
  set("language", Str(n.language));
  std::vector<Value> refs;
  for (const auto& r : n.refs) {
    Value rv = Value::Dict();
    rv.dict()->SetStr("name", Str(r.name));
    rv.dict()->SetStr("package", r.package.empty() ? Value::None() : Str(r.package));
    rv.dict()->SetStr("version", r.version.empty() ? Value::None() : Str(r.version));
    refs.push_back(rv);
  }
  set("refs", Value::List(std::move(refs)));
  std::vector<Value> sources;
  for (const auto& s : n.sources) sources.push_back(StrList(s));
  set("sources", Value::List(std::move(sources)));
  set("metrics", Value::List());
  Value depends = Value::Dict();
  depends.dict()->SetStr("macros", StrList(n.depends_on_macros));
  depends.dict()->SetStr("nodes", StrList(n.depends_on_nodes));
  set("depends_on", depends);
  set("compiled_path", n.compiled ? Str(n.compiled_path) : Value::None());
  set("compiled", Value::Bool(n.compiled));
  if (n.compiled) {
    set("compiled_code", Str(n.compiled_code));
    set("extra_ctes_injected", Value::Bool(true));
    std::vector<Value> ctes;
    for (const auto& id : n.ephemeral_deps) {
      Value c = Value::Dict();
      c.dict()->SetStr("id", Str(id));
      c.dict()->SetStr("sql", Value::None());
      ctes.push_back(c);
    }
    set("extra_ctes", Value::List(std::move(ctes)));
  }
  Value contract = Value::Dict();
  contract.dict()->SetStr("enforced", Value::Bool(false));
  contract.dict()->SetStr("alias_types", Value::Bool(true));
  contract.dict()->SetStr("checksum", Value::None());
  set("contract", contract);
  if (n.type == ResourceType::kModel) {
    set("access", Str("protected"));
    set("constraints", Value::List());
    set("version", StrOrNone(n.version));
    set("latest_version", Value::None());
    set("deprecation_date", Value::None());
    set("primary_key", Value::List());
    set("time_spine", Value::None());
  }
  if (n.type == ResourceType::kSeed) set("root_path", Value::None());
  if (n.test) {
    set("column_name", n.test->column_name.empty() ? Value::None() : Str(n.test->column_name));
    set("file_key_name", Str(n.test->file_key_name));
    set("attached_node", n.test->attached_node.empty() ? Value::None() : Str(n.test->attached_node));
    set("test_metadata", TestMetadata(*n.test));
  }
  (void)root;
  return d;
}

Value SourceJson(const SourceTable& s, double created_at) {
  Value d = Value::Dict();
  auto set = [&](const char* k, Value v) { d.dict()->SetStr(k, std::move(v)); };
  set("database", Str(s.database));
  set("schema", Str(s.schema));
  set("name", Str(s.name));
  set("resource_type", Str("source"));
  set("package_name", Str(s.package_name));
  set("path", Str(s.path));
  set("original_file_path", Str(s.original_file_path));
  set("unique_id", Str(s.unique_id));
  set("fqn", StrList(s.fqn));
  set("source_name", Str(s.source_name));
  set("source_description", Str(s.source_description));
  set("loader", Str(s.loader));
  set("identifier", Str(s.identifier));
  Value quoting = Value::Dict();
  for (const char* k : {"database", "schema", "identifier", "column"}) {
    const Value* q = s.quoting.dict()->FindStr(k);
    quoting.dict()->SetStr(k, q ? *q : Value::None());
  }
  set("quoting", quoting);
  set("loaded_at_field", s.loaded_at_field.empty() ? Value::None() : Str(s.loaded_at_field));
  set("external", s.external.is_undefined() ? Value::None() : s.external);
  set("description", Str(s.description));
  set("columns", s.columns);
  set("meta", s.meta);
  set("source_meta", s.source_meta);
  set("tags", s.tags);
  Value config = Value::Dict();
  config.dict()->SetStr("enabled", Value::Bool(s.enabled));
  set("config", config);
  set("patch_path", Value::None());
  set("unrendered_config", Value::Dict());
  set("relation_name", Str(s.relation_name));
  set("created_at", Value::Float(created_at));
  return d;
}

}  // namespace

std::string WriteManifest(const CompiledProject& cp, const CompileOptions& options) {
  const Project& project = cp.project();
  const std::string root = cp.project_name();
  Value m = Value::Dict();
  Value md = Value::Dict();
  md.dict()->SetStr("dbt_schema_version", Str("https://schemas.getdbt.com/dbt/manifest/v12.json"));
  md.dict()->SetStr("dbt_version", Str("1.9.8"));
  const RunTime run = ParseRunTime(options.run_started_at);
  md.dict()->SetStr("generated_at", Str(run.generated_at));
  md.dict()->SetStr("invocation_id", Str(options.invocation_id));
  md.dict()->SetStr("env", Value::Dict());
  md.dict()->SetStr("project_name", Str(root));
  md.dict()->SetStr("project_id", Str(Md5Hex(root)));  // dbt: md5 of the project name
  md.dict()->SetStr("user_id", Value::None());
  md.dict()->SetStr("send_anonymous_usage_stats", Value::Bool(false));
  md.dict()->SetStr("adapter_type", Str(cp.adapter_type()));
  m.dict()->SetStr("metadata", md);
  Value nodes = Value::Dict();
  std::vector<const Node*> sorted;
  for (const auto& np : project.nodes) {
    if (np->parsed_ok || np->type == ResourceType::kSeed) sorted.push_back(np.get());
  }
  for (const Node* n : sorted) nodes.dict()->SetStr(n->unique_id, NodeJson(*n, root, run.epoch_seconds));
  m.dict()->SetStr("nodes", nodes);
  Value sources = Value::Dict();
  for (const auto& s : project.sources) {
    if (s.enabled) sources.dict()->SetStr(s.unique_id, SourceJson(s, run.epoch_seconds));
  }
  m.dict()->SetStr("sources", sources);
  Value macros = Value::Dict();
  for (const auto& def : project.macros) {
    Value d = Value::Dict();
    d.dict()->SetStr("name", Str(def.name));
    d.dict()->SetStr("resource_type", Str("macro"));
    d.dict()->SetStr("package_name", Str(def.package_name));
    d.dict()->SetStr("path", Str(def.original_file_path));
    d.dict()->SetStr("original_file_path", Str(def.original_file_path));
    d.dict()->SetStr("unique_id", Str(def.unique_id));
    d.dict()->SetStr("macro_sql", Str(def.macro_sql));
    Value dep = Value::Dict();
    dep.dict()->SetStr("macros", Value::List());
    d.dict()->SetStr("depends_on", dep);
    d.dict()->SetStr("description", Str(""));
    d.dict()->SetStr("meta", Value::Dict());
    d.dict()->SetStr("docs", Docs());
    d.dict()->SetStr("patch_path", Value::None());
    d.dict()->SetStr("arguments", Value::List());
    d.dict()->SetStr("created_at", Value::Float(run.epoch_seconds));
    d.dict()->SetStr("supported_languages", Value::None());
    macros.dict()->SetStr(def.unique_id, d);
  }
  m.dict()->SetStr("macros", macros);
  Value docs = Value::Dict();
  for (const auto& doc : project.docs) {
    Value d = Value::Dict();
    d.dict()->SetStr("name", Str(doc.name));
    d.dict()->SetStr("resource_type", Str("doc"));
    d.dict()->SetStr("package_name", Str(doc.package_name));
    d.dict()->SetStr("path", Str(doc.path));
    d.dict()->SetStr("original_file_path", Str(doc.original_file_path));
    d.dict()->SetStr("unique_id", Str(doc.unique_id));
    d.dict()->SetStr("block_contents", Str(doc.block_contents));
    docs.dict()->SetStr(doc.unique_id, d);
  }
  m.dict()->SetStr("docs", docs);
  for (const char* k : {"exposures", "metrics", "groups", "selectors", "disabled"}) {
    m.dict()->SetStr(k, Value::Dict());
  }
  Value parent_map = Value::Dict();
  Value child_map = Value::Dict();
  auto children_of = [&](const std::string& id) {
    std::vector<std::string> out;
    for (const Node* n : sorted) {
      if (std::find(n->depends_on_nodes.begin(), n->depends_on_nodes.end(), id) != n->depends_on_nodes.end()) {
        out.push_back(n->unique_id);
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  for (const Node* n : sorted) {
    parent_map.dict()->SetStr(n->unique_id, StrList(n->depends_on_nodes));
    child_map.dict()->SetStr(n->unique_id, StrList(children_of(n->unique_id)));
  }
  for (const auto& s : project.sources) {
    if (!s.enabled) continue;
    parent_map.dict()->SetStr(s.unique_id, Value::List());
    child_map.dict()->SetStr(s.unique_id, StrList(children_of(s.unique_id)));
  }
  m.dict()->SetStr("parent_map", parent_map);
  m.dict()->SetStr("child_map", child_map);
  m.dict()->SetStr("group_map", Value::Dict());
  m.dict()->SetStr("saved_queries", Value::Dict());
  m.dict()->SetStr("semantic_models", Value::Dict());
  m.dict()->SetStr("unit_tests", Value::Dict());
  jinja::JsonWriteOptions o;
  o.ensure_ascii = false;
  auto text = jinja::ToJson(m, o);
  if (!text.ok()) {
    std::string where;
    for (const auto& [k, v] : nodes.dict()->entries()) {
      for (const auto& [fk, fv] : v.dict()->entries()) {
        if (!jinja::ToJson(fv, o).ok() && where.empty()) where = absl::StrCat(k.Str(), ".", fk.Str());
      }
    }
    return absl::StrCat("{\"error\": \"", text.status().message(), " at ", where, "\"}");
  }
  return *text;
}

}  // namespace sqlmill::dbt

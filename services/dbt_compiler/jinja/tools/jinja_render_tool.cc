// jinja_render_tool: the C++ side of the differential harness (tests/jinja_differential).
// Reads a JSON file of cases, renders each with the engine, writes all results as JSON.
//
//   jinja_render_tool cases.json results.json
//
// Case: {"name", "template", "context": {...}, "templates": {name: source},
//        "options": {"trim_blocks", "lstrip_blocks", "strict", "keep_trailing_newline",
//                    "dbt": bool}}
// Result: {"name", "ok": bool, "output" | "error"}
//
// With options.dbt, simple stand-ins for dbt's context (ref, source, config, var, target,
// adapter.dispatch, return, …) are installed; tests/jinja_differential/run.py defines the
// same on the Python side. Single-threaded; owns nothing beyond main().
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/dbt_compiler/jinja/environment.h"
#include "services/dbt_compiler/jinja/json.h"
#include "services/dbt_compiler/jinja/tools/dbt_standins.h"

namespace sqlmill::jinja {
namespace {

bool Flag(const Value& options, std::string_view key) {
  if (!options.is_dict()) return false;
  const Value* v = options.dict()->FindStr(key);
  return v != nullptr && v->Truthy();
}

Value RunCase(const Value& c) {
  Value result = Value::Dict();
  const Value* name = c.dict()->FindStr("name");
  result.dict()->SetStr("name", name ? *name : Value::String(""));
  const Value* opts_ptr = c.dict()->FindStr("options");
  Value opts = opts_ptr ? *opts_ptr : Value::Dict();
  EnvironmentOptions eo;
  eo.trim_blocks = Flag(opts, "trim_blocks");
  eo.lstrip_blocks = Flag(opts, "lstrip_blocks");
  eo.keep_trailing_newline = Flag(opts, "keep_trailing_newline");
  eo.undefined = Flag(opts, "strict") ? UndefinedMode::kStrict : UndefinedMode::kDefault;
  Environment env(eo);
  if (Flag(opts, "dbt")) InstallDbtStandins(&env);
  auto loader = std::make_shared<MapLoader>();
  if (const Value* t = c.dict()->FindStr("templates"); t && t->is_dict()) {
    for (const auto& [k, v] : t->dict()->entries()) loader->Add(k.Str(), v.Str());
  }
  env.SetLoader(loader);
  const Value* tpl_src = c.dict()->FindStr("template");
  const Value* ctx = c.dict()->FindStr("context");
  RenderOptions ro;
  ro.limits.max_work_units = 50'000'000;
  auto fail = [&](const absl::Status& s) {
    result.dict()->SetStr("ok", Value::Bool(false));
    result.dict()->SetStr("error", Value::String(std::string(s.message())));
    return result;
  };
  auto tpl = env.Compile(tpl_src ? tpl_src->Str() : "", "<case>");
  if (!tpl.ok()) return fail(tpl.status());
  auto out = env.Render(**tpl, ctx ? *ctx : Value::Dict(), ro);
  if (!out.ok()) return fail(out.status());
  result.dict()->SetStr("ok", Value::Bool(true));
  // A top-level return() ends the render; the harness compares the text as empty, as the
  // Python side (which unwinds with an exception) produces nothing.
  result.dict()->SetStr("output", Value::String(out->returned ? "" : out->text));
  return result;
}

int Main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: jinja_render_tool cases.json results.json\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  auto cases = ParseJson(ss.str());
  if (!cases.ok()) {
    std::cerr << cases.status() << "\n";
    return 1;
  }
  const Value* list = cases->is_dict() ? cases->dict()->FindStr("cases") : nullptr;
  if (list == nullptr || !list->is_list()) {
    std::cerr << "expected {\"cases\": [...]}\n";
    return 1;
  }
  std::vector<Value> results;
  for (const auto& c : list->items()) results.push_back(RunCase(c));
  Value root = Value::Dict();
  root.dict()->SetStr("results", Value::List(std::move(results)));
  JsonWriteOptions wo;
  wo.ensure_ascii = false;
  auto text = ToJson(root, wo);
  if (!text.ok()) {
    std::cerr << text.status() << "\n";
    return 1;
  }
  std::ofstream out(argv[2], std::ios::binary);
  out << *text;
  return out ? 0 : 1;
}

}  // namespace
}  // namespace sqlmill::jinja

int main(int argc, char** argv) { return sqlmill::jinja::Main(argc, argv); }

// libFuzzer target: compiles and renders arbitrary input with tight limits (fuel, depth,
// output size), so any crash, hang or sanitizer report is an engine bug. Built only with
// clang (see CMakeLists.txt). Crashes found become cases in testdata/*.test.
//
//   jinja_fuzzer -max_len=4096 corpus_dir/
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "services/dbt_compiler/jinja/environment.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sqlmill::jinja;
  static Environment* env = [] {
    auto* e = new Environment();
    auto loader = std::make_shared<MapLoader>();
    loader->Add("a", "{% macro m(x) %}[{{ x }}]{% endmacro %}{% block b %}B{% endblock %}");
    e->SetLoader(loader);
    return e;
  }();
  std::string_view src(reinterpret_cast<const char*>(data), size);
  auto tpl = env->Compile(src, "fuzz");
  if (!tpl.ok()) return 0;
  RenderOptions ro;
  ro.limits.max_work_units = 100'000;
  ro.limits.max_nesting_depth = 40;
  ro.limits.max_output_bytes = 1 << 20;
  auto out = env->Render(**tpl, Value::Dict(), ro);
  (void)out;
  return 0;
}

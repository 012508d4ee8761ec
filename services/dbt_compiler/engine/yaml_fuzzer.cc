// libFuzzer target: parses arbitrary text as a dbt YAML file (dbt_project.yml, schema files,
// --vars), the way the loader reads request files, then writes the value back as YAML and
// parses that again — a crash, hang or sanitizer report, or a round trip that fails, is a bug
// in yaml_value.cc. Built only with clang; seeded from engine/testdata/fuzz_yaml/ and the
// example project's YAML (scripts/run_fuzzers.sh).
//
//   yaml_fuzzer -max_len=8192 engine/testdata/fuzz_yaml/
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "services/dbt_compiler/engine/yaml_value.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<sqlmill::jinja::Value> value = sqlmill::dbt::ParseYaml(text, "fuzz.yml");
  if (!value.ok()) return 0;
  const std::string again = sqlmill::dbt::ToYaml(*value);
  absl::StatusOr<sqlmill::jinja::Value> reparsed = sqlmill::dbt::ParseYaml(again, "again.yml");
  if (!reparsed.ok()) {  // what we write we can read
    std::fprintf(stderr, "round trip failed: %s\n--- written ---\n%s\n", std::string(reparsed.status().message()).c_str(),
                 again.c_str());
    std::abort();
  }
  if (reparsed->Repr() != value->Repr()) {  // and it reads back as the same value
    std::fprintf(stderr, "round trip changed the value:\n%s\n%s\n--- written ---\n%s\n", value->Repr().c_str(),
                 reparsed->Repr().c_str(), again.c_str());
    std::abort();
  }
  return 0;
}

// libFuzzer target over the whole engine: bytes in as a script (any encoding), limits set,
// statements and the text dump exercised. Built only with clang (see CMakeLists.txt).
//
// Build and short run (what `make fuzz` does, seeded with the golden files):
//   scripts/run_fuzzers.sh 60
// By hand, with the dictionary and the kept regression inputs as seeds:
//   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DSQLMILL_BUILD_BENCHMARKS=OFF
//   ninja -C build-fuzz parser_fuzzer
//   build-fuzz/services/sql_parser/parser_fuzzer -max_total_time=60 -max_len=8192 \
//     -dict=services/sql_parser/testdata/fuzz.dict services/sql_parser/testdata/fuzz_regressions
// Long run: the same with -max_total_time=3600 -jobs=2 and a scratch corpus directory
// seeded with ../shared/corpus/mssql. Every crash found is minimised (-minimize_crash=1)
// and copied into testdata/fuzz_regressions/, which fuzz_regression_test.cc replays in
// every build.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "services/sql_parser/engine/catalog_dump.h"
#include "services/sql_parser/engine/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sqlmill::tsql::ParseOptions options;
  options.include_statements = true;
  options.limits.max_input_bytes = 1 << 20;
  options.limits.max_nesting_depth = 100;
  options.limits.max_work_units = 1 << 20;
  options.max_diagnostics = 100;
  options.sqlcmd_variables["DatabaseName"] = "Fuzz";
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<sqlmill::tsql::ParseOutput> out = sqlmill::tsql::ParseScript({"fuzz.sql", bytes}, options);
  if (out.ok()) (void)sqlmill::tsql::DumpParseOutput(*out);
  return 0;
}

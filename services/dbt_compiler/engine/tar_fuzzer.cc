// libFuzzer target: reads arbitrary bytes as a project tar archive (plain or gzip), the
// request bytes CompileProject's tar_archive carries, with a small size bound — so a crash,
// hang, sanitizer report or a limit not honoured is a bug in tar.cc. Built only with clang;
// scripts/run_fuzzers.sh seeds it from engine/testdata/fuzz_tar/ (crashes found become
// cases there and in tar_test.cc).
//
//   tar_fuzzer -max_len=65536 engine/testdata/fuzz_tar/
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "services/dbt_compiler/engine/tar.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr uint64_t kMax = 1 << 20;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<sqlmill::dbt::FileMap> files = sqlmill::dbt::ReadTar(bytes, kMax);
  if (files.ok()) {
    uint64_t total = 0;
    for (const auto& [path, content] : *files) {
      total += content.size();
      // Paths are relative and never climb out of the project.
      if (path.empty() || path[0] == '/' ) std::abort();
    }
    if (total > kMax) std::abort();  // the bound holds for what is returned
  }
  return 0;
}

// Replays every input in testdata/fuzz_regressions/ (crashes the fuzzer found, and edge
// cases written by hand) through the engine with the fuzzer's limits: each must come back
// as a value (any status), never crash, and the dump must be producible.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "services/sql_parser/engine/catalog_dump.h"
#include "services/sql_parser/engine/parser.h"

namespace sqlmill::tsql {
namespace {

TEST(FuzzRegressionTest, EveryKeptInputParses) {
  const std::filesystem::path dir = "services/sql_parser/testdata/fuzz_regressions";
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string bytes = buffer.str();
    ParseOptions options;
    options.include_statements = true;
    options.limits.max_input_bytes = 1 << 20;
    options.limits.max_nesting_depth = 100;
    options.limits.max_work_units = 1 << 20;
    options.max_diagnostics = 100;
    absl::StatusOr<ParseOutput> out = ParseScript({"fuzz.sql", bytes}, options);
    if (out.ok()) {
      EXPECT_FALSE(DumpParseOutput(*out).empty() && !out->statements.empty()) << entry.path();
    }
    ++n;
  }
  EXPECT_GT(n, 0);
}

}  // namespace
}  // namespace sqlmill::tsql

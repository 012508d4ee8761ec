// Golden `.test` files (STYLE.md): cases separated by `==` lines, each a `#` intent line,
// the input, a `--` line and the expected output. One runner for the validator's rule and
// diff goldens; UPDATE_GOLDENS=1 rewrites the expected parts from the actual output (review
// the diff like code).
//
// Test-only support. Not thread-safe (writes files under UPDATE_GOLDENS).
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_TESTING_GOLDEN_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_TESTING_GOLDEN_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace sqlmill::validator::testing {

struct GoldenCase {
  std::string intent;    // the `#` line, without "# "
  std::string input;     // between the intent and `--`
  std::string expected;  // after `--`
  int line = 0;          // 1-based line of the intent in the file
};

std::vector<GoldenCase> ParseGolden(const std::string& text);
std::string FormatGolden(const std::vector<GoldenCase>& cases);

struct GoldenResult {
  int cases = 0;
  std::vector<std::string> failures;  // one message per mismatching case
};

// Runs every case of the file through `run` (input → actual output), compares with the
// expected output, and with UPDATE_GOLDENS=1 set rewrites the file instead of failing.
absl::StatusOr<GoldenResult> RunGoldenFile(const std::string& path,
                                           const std::function<std::string(const GoldenCase&)>& run);

absl::StatusOr<std::string> ReadFile(const std::string& path);

}  // namespace sqlmill::validator::testing

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_TESTING_GOLDEN_H_

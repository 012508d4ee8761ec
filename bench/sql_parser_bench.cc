// sql_parser throughput and peak heap: parses the given scripts (one ParseFiles request,
// single-threaded) N times and prints one JSON line. bench/sql_parser_bench.py runs it
// beside Debian's python3-sqlglot on the same input and prints the comparison; this
// program never passes or fails.
//
//   sql_parser_bench [--iterations N] FILE...
//
// Peak heap is the most this thread held through operator new/delete during one extra parse
// (common/base/allocation_counter.h, which every sqlmill binary links).

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "common/base/allocation_counter.h"
#include "services/sql_parser/engine/parser.h"

int main(int argc, char** argv) {
  using Clock = std::chrono::steady_clock;
  int iterations = 10;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--iterations" && i + 1 < argc) {
      iterations = std::max(1, std::atoi(argv[++i]));
    } else {
      paths.push_back(a);
    }
  }
  std::vector<std::string> contents;
  contents.reserve(paths.size());
  std::vector<sqlmill::tsql::ScriptInput> inputs;
  uint64_t bytes = 0;
  for (const std::string& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    contents.push_back(ss.str());
    bytes += contents.back().size();
    inputs.push_back({p, contents.back()});
  }
  sqlmill::tsql::ParseOptions options;
  // Warm-up (builds the keyword table and the ANTLR DFA cache, as a long-running server has).
  absl::StatusOr<sqlmill::tsql::ParseOutput> out = sqlmill::tsql::ParseFiles(inputs, options);
  if (!out.ok()) {
    std::cerr << out.status() << "\n";
    return 1;
  }
  const uint64_t statements = out->stats.statements;
  const uint64_t errors = out->stats.errors;
  const uint64_t ll = out->stats.ll_fallbacks;
  out = absl::StatusOr<sqlmill::tsql::ParseOutput>();
  std::vector<int64_t> times;
  for (int i = 0; i < iterations; ++i) {
    const auto start = Clock::now();
    absl::StatusOr<sqlmill::tsql::ParseOutput> r = sqlmill::tsql::ParseFiles(inputs, options);
    times.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  // Peak heap of one parse, output included.
  const int64_t before = sqlmill::ThreadAllocatedBytes();
  sqlmill::ResetThreadPeakAllocatedBytes();
  {
    absl::StatusOr<sqlmill::tsql::ParseOutput> r = sqlmill::tsql::ParseFiles(inputs, options);
  }
  const int64_t peak = sqlmill::ThreadPeakAllocatedBytes() - before;
  std::cout << "{\"files\": " << paths.size() << ", \"bytes\": " << bytes
            << ", \"statements\": " << statements << ", \"errors\": " << errors
            << ", \"ll_fallbacks\": " << ll << ", \"best_ns\": " << times.front()
            << ", \"median_ns\": " << times[times.size() / 2] << ", \"peak_heap_bytes\": " << peak
            << "}\n";
  return 0;
}

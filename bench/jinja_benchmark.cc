// Jinja engine throughput: parse (compile) and render of real dbt templates. Prints one
// JSON line with nanoseconds per pass over all files; bench/jinja_bench.py runs it beside
// Jinja2 on the same files and prints the ratios (this program never passes or fails).
//
//   jinja_benchmark [--iterations N] FILE...
//
// Each file is rendered with the dbt stand-ins of the differential harness (dbt strips
// each file first, as here). Single-threaded.
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "services/dbt_compiler/jinja/environment.h"
#include "services/dbt_compiler/jinja/tools/dbt_standins.h"

namespace {

std::string Strip(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sqlmill::jinja;
  using Clock = std::chrono::steady_clock;
  int iterations = 20;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--iterations" && i + 1 < argc) {
      iterations = std::atoi(argv[++i]);
    } else {
      files.push_back(a);
    }
  }
  Environment env;
  InstallDbtStandins(&env);
  std::vector<std::pair<std::string, std::string>> sources;
  uint64_t bytes = 0;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    sources.emplace_back(f, Strip(ss.str()));
    bytes += sources.back().second.size();
  }
  std::vector<std::shared_ptr<const Template>> compiled;
  for (const auto& [name, src] : sources) {
    auto t = env.Compile(src, name);
    if (!t.ok()) {
      std::cerr << t.status() << "\n";
      return 1;
    }
    compiled.push_back(*t);
  }
  int render_errors = 0;
  auto parse_start = Clock::now();
  for (int it = 0; it < iterations; ++it) {
    for (const auto& [name, src] : sources) {
      auto t = env.Compile(src, name);
      if (!t.ok()) return 1;
    }
  }
  double parse_ns = std::chrono::duration<double, std::nano>(Clock::now() - parse_start).count() / iterations;
  Value ctx = Value::Dict();
  size_t out_bytes = 0;
  auto render_start = Clock::now();
  for (int it = 0; it < iterations; ++it) {
    for (const auto& t : compiled) {
      auto out = env.Render(*t, ctx);
      if (!out.ok()) {
        ++render_errors;
      } else {
        out_bytes += out->text.size();
      }
    }
  }
  double render_ns = std::chrono::duration<double, std::nano>(Clock::now() - render_start).count() / iterations;
  std::cout << absl::StrCat("{\"files\": ", files.size(), ", \"bytes\": ", bytes,
                            ", \"parse_ns_per_pass\": ", parse_ns,
                            ", \"render_ns_per_pass\": ", render_ns,
                            ", \"render_errors\": ", render_errors / iterations,
                            ", \"output_bytes\": ", out_bytes / iterations, "}")
            << "\n";
  return 0;
}

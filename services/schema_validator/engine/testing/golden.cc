// Golden file parsing and the compare-or-update loop.
#include "services/schema_validator/engine/testing/golden.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace sqlmill::validator::testing {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<GoldenCase> ParseGolden(const std::string& text) {
  std::vector<GoldenCase> cases;
  std::istringstream in(text);
  std::string line;
  GoldenCase cur;
  enum { kStart, kInput, kExpected } state = kStart;
  int n = 0;
  auto flush = [&] {
    if (state != kStart) {
      while (!cur.expected.empty() && cur.expected.back() == '\n' &&
             cur.expected.size() >= 2 && cur.expected[cur.expected.size() - 2] == '\n') {
        cur.expected.pop_back();
      }
      cases.push_back(cur);
    }
    cur = GoldenCase();
    state = kStart;
  };
  while (std::getline(in, line)) {
    ++n;
    if (line == "==") {
      flush();
      continue;
    }
    if (state == kStart) {
      if (line.empty()) continue;
      cur.line = n;
      cur.intent = line.rfind("# ", 0) == 0 ? line.substr(2) : line;
      state = kInput;
    } else if (state == kInput) {
      if (line == "--") {
        state = kExpected;
      } else {
        cur.input += line + "\n";
      }
    } else {
      cur.expected += line + "\n";
    }
  }
  flush();
  return cases;
}

std::string FormatGolden(const std::vector<GoldenCase>& cases) {
  std::string out;
  for (size_t i = 0; i < cases.size(); ++i) {
    if (i > 0) out += "==\n";
    absl::StrAppend(&out, "# ", cases[i].intent, "\n", cases[i].input, "--\n", cases[i].expected);
    if (!cases[i].expected.empty() && cases[i].expected.back() != '\n') out += "\n";
  }
  return out;
}

absl::StatusOr<GoldenResult> RunGoldenFile(const std::string& path,
                                           const std::function<std::string(const GoldenCase&)>& run) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  std::vector<GoldenCase> cases = ParseGolden(*text);
  GoldenResult result;
  const char* update = std::getenv("UPDATE_GOLDENS");
  const bool updating = update != nullptr && std::string(update) == "1";
  for (GoldenCase& c : cases) {
    ++result.cases;
    std::string actual = run(c);
    if (!actual.empty() && actual.back() != '\n') actual += "\n";
    if (actual != c.expected) {
      if (updating) {
        c.expected = actual;
      } else {
        result.failures.push_back(absl::StrCat(path, ":", c.line, ": ", c.intent, "\n--- expected\n", c.expected,
                                               "--- actual\n", actual));
      }
    }
  }
  if (updating) {
    std::ofstream out(path, std::ios::binary);
    out << FormatGolden(cases);
  }
  return result;
}

}  // namespace sqlmill::validator::testing

// Golden tests: every testdata/*.test file is a list of cases
//
//   # intent [flags]        flags: trim_blocks lstrip_blocks strict keep_trailing_newline
//   template text
//   --
//   expected output, or "ERROR " + the full error message (location, excerpt, stack)
//   ==
//
// UPDATE_GOLDENS=1 rewrites the files with the current results (review the diff like code).
// Invariants checked on every case: the result is deterministic, and the same template
// with CRLF line endings gives the same result.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "services/dbt_compiler/jinja/environment.h"

namespace sqlmill::jinja {
namespace {

constexpr char kDir[] = "services/dbt_compiler/jinja/testdata";

struct Case {
  std::string header;
  std::string input;
  std::string expected;
};

std::vector<Case> ParseFile(const std::string& text) {
  std::vector<Case> cases;
  std::string body = text;
  if (!body.empty() && body.back() == '\n') body.pop_back();
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find("\n==\n", start);
    std::string chunk = body.substr(start, end == std::string::npos ? std::string::npos : end - start);
    Case c;
    size_t nl = chunk.find('\n');
    c.header = chunk.substr(0, nl);
    std::string rest = nl == std::string::npos ? "" : chunk.substr(nl + 1);
    size_t sep = rest.find("\n--\n");
    if (rest.size() >= 3 && rest.compare(rest.size() - 3, 3, "\n--") == 0 &&
        rest.find("\n--\n") == std::string::npos) {
      c.input = rest.substr(0, rest.size() - 3);
    } else if (rest == "--") {
      c.input = "";
    } else if (rest.rfind("--\n", 0) == 0) {
      c.input = "";
      c.expected = rest.substr(3);
    } else if (sep == std::string::npos) {
      c.input = rest;
    } else {
      c.input = rest.substr(0, sep);
      c.expected = rest.substr(sep + 4);
    }
    cases.push_back(std::move(c));
    if (end == std::string::npos) break;
    start = end + 4;
  }
  return cases;
}

std::string RenderCase(const Case& c, const std::string& input) {
  EnvironmentOptions options;
  options.trim_blocks = c.header.find("trim_blocks") != std::string::npos;
  options.lstrip_blocks = c.header.find("lstrip_blocks") != std::string::npos;
  options.keep_trailing_newline = c.header.find("keep_trailing_newline") != std::string::npos;
  if (c.header.find("strict") != std::string::npos) options.undefined = UndefinedMode::kStrict;
  Environment env(options);
  auto loader = std::make_shared<MapLoader>();
  loader->Add("macros.sql",
              "{% macro inner(x) %}{{ x.missing.attr }}{% endmacro %}\n"
              "{% macro outer(x) %}[{{ inner(x) }}]{% endmacro %}");
  loader->Add("base.sql", "<{% block body %}base{% endblock %}>");
  env.SetLoader(loader);
  env.AddFunction("return", [](const CallArgs& a, CallContext& ctx) -> absl::StatusOr<Value> {
    return ctx.ReturnFromMacro(a.args.empty() ? Value::None() : a.args[0]);
  });
  auto tpl = env.Compile(input, "input.sql");
  if (!tpl.ok()) return "ERROR " + std::string(tpl.status().message());
  RenderOptions ro;
  ro.limits.max_work_units = 1'000'000;
  ro.limits.max_nesting_depth = 50;
  auto out = env.Render(**tpl, Value::Dict(), ro);
  if (!out.ok()) return "ERROR " + std::string(out.status().message());
  return out->text;
}

std::string ToCrlf(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '\n') out += '\r';
    out += ch;
  }
  return out;
}

TEST(JinjaGolden, AllFiles) {
  const bool update = std::getenv("UPDATE_GOLDENS") != nullptr;
  int files = 0, cases_seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kDir)) {
    if (entry.path().extension() != ".test") continue;
    ++files;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::vector<Case> cases = ParseFile(ss.str());
    std::string rewritten;
    for (size_t i = 0; i < cases.size(); ++i) {
      Case& c = cases[i];
      ++cases_seen;
      SCOPED_TRACE(entry.path().filename().string() + ": " + c.header);
      ASSERT_EQ(c.header.rfind("#", 0), 0u) << "each case starts with a '#' intent line";
      std::string actual = RenderCase(c, c.input);
      EXPECT_EQ(actual, RenderCase(c, c.input)) << "non-deterministic";
      EXPECT_EQ(actual, RenderCase(c, ToCrlf(c.input))) << "CRLF input differs";
      if (update) {
        c.expected = actual;
      } else {
        EXPECT_EQ(actual, c.expected);
      }
      if (i) rewritten += "\n==\n";
      rewritten += c.header + "\n" + c.input + "\n--\n" + c.expected;
    }
    if (update) {
      std::ofstream out(entry.path(), std::ios::binary);
      out << rewritten << "\n";
    }
  }
  EXPECT_GT(files, 0);
  EXPECT_GT(cases_seen, 20);
}

}  // namespace
}  // namespace sqlmill::jinja

// Golden tests for the dbt context and errors: each case in testdata/*.test is a small
// project (files introduced by `>>> path`), optional `@@ key=value` options (adapter,
// database, schema, vars, select, relations_exist, dbt_version, env.NAME), then `--`,
// then the expected compiled code of every compiled node (`### unique_id`) and every
// diagnostic (`!!! code: file[:line[:column]]: message`), in DAG order. Cases are separated
// by `==`, and start with a `#` line saying what they check. UPDATE_GOLDENS=1 rewrites the
// expectations.
//
// Invariants checked on every case: the output is deterministic (two compiles agree) and
// CRLF input gives the same output.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "services/dbt_compiler/engine/compiler.h"
#include "services/dbt_compiler/engine/testing/project_files.h"

namespace sqlmill::dbt {
namespace {

namespace fs = std::filesystem;

struct Case {
  std::string intent;
  std::string input;  // everything before `--`
  std::string expected;
};

std::vector<Case> ParseCases(const std::string& text) {
  std::vector<Case> cases;
  std::vector<std::string> chunks = absl::StrSplit(text, "\n==\n");
  for (size_t ci = 0; ci < chunks.size(); ++ci) {
    // The separator's leading newline belongs to the case before it.
    std::string c = chunks[ci] + (ci + 1 < chunks.size() ? "\n" : "");
    if (absl::StripAsciiWhitespace(c).empty()) continue;
    Case out;
    size_t nl = c.find('\n');
    out.intent = c.substr(0, nl);
    std::string rest = nl == std::string::npos ? "" : c.substr(nl + 1);
    if (rest.empty() || rest.back() != '\n') rest.push_back('\n');
    size_t sep = rest.find("\n--\n");
    if (sep == std::string::npos) {
      out.input = rest;
    } else {
      out.input = rest.substr(0, sep + 1);
      out.expected = rest.substr(sep + 4);
    }
    cases.push_back(std::move(out));
  }
  return cases;
}

std::string RunCase(const std::string& input, bool crlf) {
  auto files = std::make_shared<FileMap>();
  CompileOptions options;
  options.target.database = "db";
  options.target.schema = "analytics";
  options.parallelism = 2;
  std::string current;
  for (absl::string_view line_sv : absl::StrSplit(input, '\n')) {
    std::string line(line_sv);
    if (absl::StartsWith(line, ">>> ")) {
      current = line.substr(4);
      (*files)[current];
      continue;
    }
    if (absl::StartsWith(line, "@@ ")) {
      const std::string kv = line.substr(3);
      const size_t eq = kv.find('=');
      const std::string k = kv.substr(0, eq), v = kv.substr(eq + 1);
      if (k == "adapter") options.target.adapter_type = v;
      if (k == "database") options.target.database = v;
      if (k == "schema") options.target.schema = v;
      if (k == "target_name") options.target.name = v;
      if (k == "vars") options.vars = v;
      if (k == "select") options.select.push_back(v);
      if (k == "exclude") options.exclude.push_back(v);
      if (k == "relations_exist") options.relations_exist = v == "true";
      if (k == "full_refresh") options.full_refresh = v == "true";
      if (k == "dbt_version") options.dbt_version = v;
      if (absl::StartsWith(k, "env.")) options.env[k.substr(4)] = v;
      if (k == "query") {
        // query=<statement name>|<column,column>|<rows json>
        std::vector<std::string> parts = absl::StrSplit(v, absl::MaxSplits('|', 2));
        QueryResult q;
        q.statement_name = parts[0];
        if (parts.size() > 1) q.column_names = absl::StrSplit(parts[1], ',');
        if (parts.size() > 2) q.rows_json = parts[2];
        options.query_results.push_back(q);
      }
      continue;
    }
    if (current.empty()) continue;
    std::string& body = (*files)[current];
    absl::StrAppend(&body, line, crlf ? "\r\n" : "\n");
  }
  options.files = files;
  auto out = Compile(options);
  if (!out.ok()) return absl::StrCat("!!! status: ", out.status().ToString(), "\n");
  std::string result;
  for (const Node* n : out->project->nodes_in_order()) {
    if (!n->compiled) continue;
    absl::StrAppend(&result, "### ", n->unique_id, "\n", n->compiled_code, "\n");
  }
  for (const auto& d : out->diagnostics) {
    absl::StrAppend(&result, "!!! ", d.code, ": ", d.file, d.location.line > 0 ? absl::StrCat(":", d.location.line) : "",
                    d.location.column > 0 ? absl::StrCat(":", d.location.column) : "", ": ", d.message, "\n");
    for (const auto& c : d.context) absl::StrAppend(&result, "      ", c, "\n");
  }
  return result;
}

TEST(GoldenTest, AllCases) {
  const fs::path dir = "services/dbt_compiler/testdata";
  ASSERT_TRUE(fs::exists(dir)) << "run from the source root";
  const bool update = std::getenv("UPDATE_GOLDENS") != nullptr;
  int cases_run = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".test") continue;
    const std::string text = testing::ReadFileOrEmpty(entry.path());
    std::vector<Case> cases = ParseCases(text);
    std::string rewritten;
    for (const Case& c : cases) {
      ++cases_run;
      const std::string actual = RunCase(c.input, false);
      EXPECT_EQ(actual, RunCase(c.input, false)) << entry.path() << ": not deterministic: " << c.intent;
      EXPECT_EQ(actual, RunCase(c.input, true)) << entry.path() << ": CRLF input differs: " << c.intent;
      if (!update) {
        EXPECT_EQ(actual, c.expected) << entry.path() << ": " << c.intent;
      }
      if (!rewritten.empty()) rewritten += "==\n";
      // (each case's text ends with a newline, so "==" starts its own line)
      absl::StrAppend(&rewritten, c.intent, "\n", c.input, "--\n", actual);
    }
    if (update) std::ofstream(entry.path(), std::ios::binary) << rewritten;
  }
  EXPECT_GT(cases_run, 0);
}

}  // namespace
}  // namespace sqlmill::dbt

// Golden tests: every services/sql_parser/testdata/*.test file, case by case.
//
// Format (STYLE.md): a case is a `#` line saying the intent, optional `#!` option lines
// (`#! var NAME=VALUE`, `#! quoted_identifier off`), the input SQL, a line `--`, and the
// expected dump (DumpParseOutput with the statement list); `==` lines separate cases.
// UPDATE_GOLDENS=1 rewrites the expected parts; review the diff like code.
//
// Invariants checked on every case: spans lie inside the input and nest (object spans
// contain their column/constraint/index spans), output is deterministic, and the input
// with \r\n line ends gives the same dump.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/sql_parser/engine/catalog_dump.h"
#include "services/sql_parser/engine/parser.h"

namespace sqlmill::tsql {
namespace {

constexpr char kTestdata[] = "services/sql_parser/testdata";

struct Case {
  std::string header;    // '#' and '#!' lines, verbatim
  std::string input;
  std::string expected;
};

std::vector<Case> ReadCases(const std::string& content) {
  std::vector<Case> cases;
  std::istringstream in(content);
  std::string line;
  Case current;
  enum { kHeader, kInput, kExpected } state = kHeader;
  auto flush = [&] {
    if (!current.header.empty() || !current.input.empty()) cases.push_back(current);
    current = Case();
    state = kHeader;
  };
  while (std::getline(in, line)) {
    if (line == "==") {
      flush();
      continue;
    }
    switch (state) {
      case kHeader:
        if (!line.empty() && line[0] == '#') {
          current.header += line + "\n";
          break;
        }
        state = kInput;
        [[fallthrough]];
      case kInput:
        if (line == "--") {
          state = kExpected;
        } else {
          current.input += line + "\n";
        }
        break;
      case kExpected:
        current.expected += line + "\n";
        break;
    }
  }
  flush();
  return cases;
}

ParseOptions OptionsFor(const Case& c) {
  ParseOptions options;
  options.include_statements = true;
  std::istringstream in(c.header);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("#! var ", 0) == 0) {
      const std::string kv = line.substr(7);
      const size_t eq = kv.find('=');
      options.sqlcmd_variables[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
    } else if (line == "#! quoted_identifier off") {
      options.quoted_identifier = false;
    } else if (line.rfind("#! default_database ", 0) == 0) {
      options.default_database = line.substr(20);
    }
  }
  return options;
}

std::string RunCase(const std::string& input, const ParseOptions& options) {
  absl::StatusOr<ParseOutput> out = ParseScript({"test.sql", input}, options);
  if (!out.ok()) return "status " + out.status().ToString() + "\n";
  return DumpParseOutput(*out);
}

// Checks that every span is inside the input and that children nest in their objects.
void CheckSpans(const ParseOutput& out, size_t input_size, const std::string& where) {
  auto inside = [&](const CatalogSpan& s, const char* what) {
    EXPECT_LE(s.span.end(), input_size) << where << ": " << what << " span past the input";
  };
  auto nests = [&](const CatalogSpan& outer, const CatalogSpan& inner, const char* what) {
    EXPECT_TRUE(outer.span.Contains(inner.span))
        << where << ": " << what << " span [" << inner.span.offset << "," << inner.span.end()
        << ") not inside [" << outer.span.offset << "," << outer.span.end() << ")";
  };
  for (const StatementInfo& s : out.statements) inside(s.span, "statement");
  for (const Diagnostic& d : out.diagnostics) {
    EXPECT_LE(d.span.end(), input_size) << where << ": diagnostic span past the input";
  }
  for (const Database& db : out.catalog.databases) {
    for (const Schema& schema : db.schemas) {
      for (const Table& t : schema.tables) {
        inside(t.span, "table");
        // Parts added by a later ALTER TABLE live in that statement.
        auto nests_in_table = [&](const CatalogSpan& inner, const char* what) {
          bool ok = t.span.span.Contains(inner.span);
          for (const CatalogSpan& m : t.modified_by) ok = ok || m.span.Contains(inner.span);
          EXPECT_TRUE(ok) << where << ": " << what << " span not inside its table or an ALTER of it";
        };
        for (const Column& c : t.columns) {
          nests_in_table(c.span, "column");
          if (c.default_constraint) nests_in_table(c.default_constraint->span, "default");
        }
        if (t.primary_key) nests_in_table(t.primary_key->span, "primary key");
        for (const Constraint& c : t.check_constraints) nests_in_table(c.span, "check");
        // Constraints/indexes added by a later ALTER live in that statement, not the CREATE.
        for (const Constraint& c : t.foreign_keys) inside(c.span, "foreign key");
        for (const Index& i : t.indexes) inside(i.span, "index");
      }
      for (const View& v : schema.views) {
        inside(v.span, "view");
        if (v.body.span.length > 0) nests(v.span, v.body, "view body");
        for (const ObjectReference& r : v.references) nests(v.body, r.span, "reference");
      }
      for (const Routine& r : schema.routines) {
        inside(r.span, "routine");
        if (r.body.span.length > 0) nests(r.span, r.body, "routine body");
        for (const ObjectReference& ref : r.references) nests(r.body, ref.span, "reference");
        for (const Column& c : r.return_columns) nests(r.span, c.span, "return column");
      }
      for (const UserDefinedType& t : schema.types) {
        inside(t.span, "type");
        for (const Column& c : t.columns) nests(t.span, c.span, "type column");
      }
    }
  }
}

std::string ToCrlf(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

TEST(GoldenTest, AllFiles) {
  const bool update = std::getenv("UPDATE_GOLDENS") != nullptr;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(kTestdata)) {
    if (entry.path().extension() == ".test") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty()) << "no .test files under " << kTestdata;
  int total = 0;
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::vector<Case> cases = ReadCases(buffer.str());
    std::string rewritten;
    for (size_t i = 0; i < cases.size(); ++i) {
      Case& c = cases[i];
      const std::string where = path.filename().string() + " case " + std::to_string(i + 1) + " " +
                                c.header.substr(0, c.header.find('\n'));
      const ParseOptions options = OptionsFor(c);
      const std::string actual = RunCase(c.input, options);
      ++total;
      if (update) {
        c.expected = actual;
      } else {
        EXPECT_EQ(actual, c.expected) << where;
      }
      // Invariants.
      EXPECT_EQ(RunCase(c.input, options), actual) << where << ": output is not deterministic";
      // Text kept as written (a string literal spanning lines) keeps its \r; the rest of the
      // dump (positions, names, structure) must not change.
      std::string crlf = RunCase(ToCrlf(c.input), options);
      std::erase(crlf, '\r');
      EXPECT_EQ(crlf, actual) << where << ": CRLF input differs";
      absl::StatusOr<ParseOutput> out = ParseScript({"test.sql", c.input}, options);
      if (out.ok()) CheckSpans(*out, c.input.size(), where);
      if (i > 0) rewritten += "==\n";
      rewritten += c.header + c.input + "--\n" + c.expected;
    }
    if (update) {
      std::ofstream out(path, std::ios::binary);
      out << rewritten;
    }
  }
  EXPECT_GT(total, 0);
}

}  // namespace
}  // namespace sqlmill::tsql

// Golden tests: one file per built-in rule (testdata/rules/<rule_id>.test, dashes as
// underscores) with passing and failing schemas, and the diff classification goldens
// (testdata/diff/*.test). Inputs are catalog fixtures (testing/catalog_fixture.h) plus the
// optional keys `target`/`targets`, `config` (a rule configuration mapping) and `sources`
// (file name → SQL text, for inline suppressions). Invariants checked on every case:
// output is deterministic, finding positions lie inside the input, and CRLF input gives
// the same output. UPDATE_GOLDENS=1 rewrites the expected outputs.
#include <algorithm>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "services/schema_validator/engine/diff.h"
#include "services/schema_validator/engine/testing/catalog_fixture.h"
#include "services/schema_validator/engine/testing/golden.h"
#include "services/schema_validator/engine/validator.h"
#include "services/schema_validator/engine/yaml_util.h"

namespace sqlmill::validator {
namespace {

const char kRulesDir[] = "services/schema_validator/engine/testdata/rules";
const char kDiffDir[] = "services/schema_validator/engine/testdata/diff";

std::string FileFor(const std::string& rule_id) {
  std::string name = rule_id;
  std::replace(name.begin(), name.end(), '-', '_');
  return absl::StrCat(kRulesDir, "/", name, ".test");
}

std::string FormatFinding(const Finding& f) {
  std::string where = f.location.known() ? absl::StrCat(f.location.begin.line, ":", f.location.begin.column) : "-:-";
  return absl::StrCat(where, " ", AsAbsl(SeverityName(f.severity)), " ", f.rule_id, " ", f.object_path, " (",
                      f.object_kind, "): ", f.message, "\n    fix: ", f.suggestion, "\n");
}

// Splits the test-only keys off a case's YAML; the rest is the catalog fixture.
struct CaseInput {
  YAML::Node fixture;
  std::vector<std::string> targets;
  RuleConfig config;
  std::map<std::string, std::string> sources;
};

absl::StatusOr<CaseInput> ReadCase(const std::string& input, const std::string& file, bool diff) {
  SQLMILL_ASSIGN_OR_RETURN(YAML::Node root, YamlLoad(input, file));
  CaseInput out;
  out.fixture = root;  // not cloned: clones lose the positions spans are made from
  if (root["target"]) out.targets.push_back(root["target"].Scalar());
  if (root["targets"]) {
    for (const auto& t : root["targets"]) out.targets.push_back(t.Scalar());
  }
  if (root["config"]) {
    YAML::Emitter e;
    e << root["config"];
    SQLMILL_ASSIGN_OR_RETURN(out.config, ParseRuleConfigYaml(e.c_str(), "config"));
  }
  if (root["sources"]) {
    for (const auto& kv : root["sources"]) out.sources[kv.first.Scalar()] = kv.second.Scalar();
  }
  (void)diff;
  return out;
}

std::string RunRuleCase(const std::string& rule_id, const std::string& input, int* findings_out) {
  auto c = ReadCase(input, "case.yaml", false);
  if (!c.ok()) return absl::StrCat("ERROR: ", c.status().message());
  auto catalog = testing::CatalogFromFixtureNode(c->fixture, "case.yaml");
  if (!catalog.ok()) return absl::StrCat("ERROR: ", catalog.status().message());
  std::vector<std::string> targets = c->targets;
  if (targets.empty()) targets.push_back("");
  std::string out;
  int findings = 0;
  for (const std::string& target : targets) {
    ValidateOptions options;
    options.target = target;
    options.config = c->config;
    if (!options.config.only) options.config.only = std::vector<std::string>{rule_id};
    options.sources = c->sources;
    auto report = Validate(*catalog, options);
    const std::string prefix = targets.size() > 1 ? absl::StrCat("[", target, "] ") : "";
    if (!report.ok()) {
      absl::StrAppend(&out, prefix, "ERROR: ", report.status().message(), "\n");
      continue;
    }
    if (report->findings.empty()) absl::StrAppend(&out, prefix, "(no findings)\n");
    for (const Finding& f : report->findings) absl::StrAppend(&out, prefix, FormatFinding(f));
    if (report->summary.suppressed > 0) absl::StrAppend(&out, prefix, "(suppressed: ", report->summary.suppressed, ")\n");
    findings += static_cast<int>(report->findings.size());
  }
  if (findings_out != nullptr) *findings_out = findings;
  return out;
}

std::string RunDiffCase(const std::string& input) {
  auto c = ReadCase(input, "case.yaml", true);
  if (!c.ok()) return absl::StrCat("ERROR: ", c.status().message());
  auto old_catalog = testing::CatalogFromFixtureNode(c->fixture["old"], "old.yaml");
  if (!old_catalog.ok()) return absl::StrCat("ERROR: ", old_catalog.status().message());
  auto new_catalog = testing::CatalogFromFixtureNode(c->fixture["new"], "new.yaml");
  if (!new_catalog.ok()) return absl::StrCat("ERROR: ", new_catalog.status().message());
  DiffOptions options;
  options.config = c->config;
  auto diff = Diff(*old_catalog, *new_catalog, options);
  if (!diff.ok()) return absl::StrCat("ERROR: ", diff.status().message());
  std::string out;
  for (const SchemaChange& ch : diff->changes) {
    absl::StrAppend(&out, ChangeClassName(ch.classification), " ", ChangeKindName(ch.kind), " ", ch.object_kind, " ",
                    ch.object_path, ": ", ch.detail, "\n");
  }
  if (diff->changes.empty()) out += "(no changes)\n";
  absl::StrAppend(&out, "findings: ", diff->report.summary.errors, " error(s), ", diff->report.summary.warnings,
                  " warning(s), ", diff->report.summary.infos, " info(s); passed: ",
                  diff->report.passed ? "yes" : "no",
                  diff->report.summary.suppressed > 0 ? absl::StrCat("; suppressed: ", diff->report.summary.suppressed) : "",
                  "\n");
  return out;
}

// Checks that every "L:C" position in the output lies within the input's lines.
void ExpectPositionsInside(const std::string& output, const std::string& input, const std::string& where) {
  const int lines = static_cast<int>(std::count(input.begin(), input.end(), '\n')) + 1;
  size_t pos = 0;
  while (pos < output.size()) {
    size_t eol = output.find('\n', pos);
    if (eol == std::string::npos) eol = output.size();
    std::string line = output.substr(pos, eol - pos);
    if (!line.empty() && line[0] == '[') line = line.substr(line.find("] ") + 2);
    int l = 0;
    if (sscanf(line.c_str(), "%d:", &l) == 1) {
      EXPECT_GE(l, 1) << where;
      EXPECT_LE(l, lines) << where << ": position outside the input: " << line;
    }
    pos = eol + 1;
  }
}

class RuleGoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RuleGoldenTest, MatchesGolden) {
  const std::string rule_id = GetParam();
  const std::string path = FileFor(rule_id);
  ASSERT_TRUE(std::filesystem::exists(path)) << "rule " << rule_id << " has no golden file " << path;
  bool has_pass = false;
  bool has_fail = false;
  auto result = testing::RunGoldenFile(path, [&](const testing::GoldenCase& c) {
    int findings = 0;
    std::string out = RunRuleCase(rule_id, c.input, &findings);
    (findings > 0 ? has_fail : has_pass) = true;
    const std::string where = absl::StrCat(path, ":", c.line);
    EXPECT_EQ(out, RunRuleCase(rule_id, c.input, nullptr)) << where << ": output is not deterministic";
    EXPECT_EQ(out, RunRuleCase(rule_id, absl::StrReplaceAll(c.input, {{"\n", "\r\n"}}), nullptr))
        << where << ": CRLF input changes the output";
    ExpectPositionsInside(out, c.input, where);
    return out;
  });
  ASSERT_TRUE(result.ok()) << result.status();
  for (const std::string& f : result->failures) ADD_FAILURE() << f;
  EXPECT_TRUE(has_pass) << path << " needs a passing case (no findings)";
  EXPECT_TRUE(has_fail) << path << " needs a failing case (with findings)";
}

std::vector<std::string> BuiltinIds() {
  std::vector<std::string> ids;
  for (const RuleFactory* f : RuleRegistry::Builtin().rules()) {
    if (f->info.category != RuleCategory::kChange) ids.push_back(f->info.id);
  }
  return ids;
}

INSTANTIATE_TEST_SUITE_P(Rules, RuleGoldenTest, ::testing::ValuesIn(BuiltinIds()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(DiffGoldenTest, MatchesGoldens) {
  int files = 0;
  std::vector<std::string> paths;
  for (const auto& e : std::filesystem::directory_iterator(kDiffDir)) {
    if (e.path().extension() == ".test") paths.push_back(e.path().string());
  }
  std::sort(paths.begin(), paths.end());
  for (const std::string& path : paths) {
    ++files;
    auto result = testing::RunGoldenFile(path, [&](const testing::GoldenCase& c) {
      std::string out = RunDiffCase(c.input);
      EXPECT_EQ(out, RunDiffCase(c.input)) << path << ":" << c.line << ": not deterministic";
      return out;
    });
    ASSERT_TRUE(result.ok()) << result.status();
    for (const std::string& f : result->failures) ADD_FAILURE() << f;
  }
  EXPECT_GT(files, 0);
}

}  // namespace
}  // namespace sqlmill::validator

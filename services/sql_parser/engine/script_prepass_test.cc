// Tests for the sqlcmd pre-pass: GO detection, directives, $(var) and the offset map.
#include "services/sql_parser/engine/script_prepass.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sqlmill::tsql {
namespace {

std::vector<std::string> BatchTexts(const PreparedScript& p) {
  std::vector<std::string> out;
  for (const Batch& b : p.batches) out.push_back(p.text.substr(b.begin, b.end - b.begin));
  return out;
}

PreparedScript Prepare(std::string_view text, DiagnosticSink* sink, PrepassOptions options = {}) {
  absl::StatusOr<PreparedScript> p = PrepareScript(text, options, "x.sql", sink, nullptr);
  EXPECT_TRUE(p.ok());
  return *std::move(p);
}

TEST(ScriptPrepassTest, SplitsOnGoLinesOnly) {
  DiagnosticSink sink;
  const PreparedScript p = Prepare("a\nGO\nb\n  go  -- done\nc\nGOTO x\nGO 3\nd", &sink);
  EXPECT_THAT(BatchTexts(p), testing::ElementsAre("a\n", "b\n", "c\nGOTO x\n", "d"));
  EXPECT_EQ(p.batches[2].repeat, 3);
  EXPECT_EQ(p.text.size(), std::string_view("a\nGO\nb\n  go  -- done\nc\nGOTO x\nGO 3\nd").size());
}

TEST(ScriptPrepassTest, GoInsideCommentsAndStringsIsText) {
  DiagnosticSink sink;
  const PreparedScript p =
      Prepare("/* x /* nested\nGO\n*/ still\nGO\n*/\nSELECT 'a\nGO\n'\nSELECT [b\nGO\n]\n-- GO\nGO\n", &sink);
  ASSERT_EQ(p.batches.size(), 2u);
  EXPECT_THAT(BatchTexts(p)[1], testing::IsEmpty());
}

TEST(ScriptPrepassTest, SetvarAndRequestVariables) {
  DiagnosticSink sink;
  PrepassOptions options;
  options.variables["db"] = "FromRequest";
  options.variables["Schema"] = "Overridden";
  const PreparedScript p = Prepare(
      ":setvar schema \"My Schema\"\nUSE $(DB); SELECT '$(Schema)' -- $(nope)\n", &sink, options);
  EXPECT_THAT(p.text, testing::HasSubstr("USE FromRequest; SELECT 'My Schema' -- $(nope)"));
  EXPECT_EQ(sink.warning_count(), 0u);  // $(nope) is in a comment
}

TEST(ScriptPrepassTest, UndefinedVariableWarnsAtItsPlace) {
  DiagnosticSink sink;
  const PreparedScript p = Prepare("SELECT 1\nUSE [$(Missing)]\n", &sink);
  ASSERT_EQ(sink.diagnostics().size(), 1u);
  const Diagnostic& d = sink.diagnostics()[0];
  EXPECT_EQ(d.code, "sqlcmd-undefined-variable");
  EXPECT_EQ(d.span.offset, 14u);
  EXPECT_EQ(d.span.length, 10u);
  EXPECT_THAT(p.text, testing::HasSubstr("$(Missing)"));
}

TEST(ScriptPrepassTest, DirectivesAreReportedAndBlanked) {
  DiagnosticSink sink;
  const PreparedScript p = Prepare(":on error exit\n :r other.sql\n!!dir\nSELECT 1\n", &sink);
  EXPECT_EQ(sink.diagnostics().size(), 3u);
  EXPECT_EQ(sink.diagnostics()[1].code, "sqlcmd-include");
  EXPECT_EQ(p.text.find(':'), std::string::npos);
  EXPECT_THAT(p.text, testing::HasSubstr("SELECT 1"));
}

TEST(ScriptPrepassTest, OffsetMapPointsBackIntoTheFile) {
  DiagnosticSink sink;
  PrepassOptions options;
  options.variables["v"] = "a_much_longer_value";
  const std::string_view original = "X $(v) Y $(v) Z";
  const PreparedScript p = Prepare(original, &sink, options);
  EXPECT_EQ(p.text, "X a_much_longer_value Y a_much_longer_value Z");
  const uint32_t y = static_cast<uint32_t>(p.text.find('Y'));
  EXPECT_EQ(p.offsets.ToOriginal(y), original.find('Y'));
  const uint32_t z = static_cast<uint32_t>(p.text.find('Z'));
  EXPECT_EQ(p.offsets.ToOriginal(z), original.find('Z'));
  // Inside a value: clamped into the $(v) it replaced.
  EXPECT_EQ(p.offsets.ToOriginal(5), 5u);
  EXPECT_EQ(p.offsets.ToOriginal(15), 2u + 4u);
}

TEST(ScriptPrepassTest, CancellationStopsTheScan) {
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "SELECT 1\n";
  CancellationToken cancel;
  cancel.Cancel();
  DiagnosticSink sink;
  absl::StatusOr<PreparedScript> p = PrepareScript(big, {}, "x.sql", &sink, &cancel);
  EXPECT_EQ(p.status().code(), absl::StatusCode::kCancelled);
}

}  // namespace
}  // namespace sqlmill::tsql

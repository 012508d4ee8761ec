// Tests for diagnostics: excerpts, formatting, the bounded sink.
#include "common/base/diagnostic.h"

#include "gtest/gtest.h"

namespace sqlmill {
namespace {

TEST(RenderExcerpt, CaretUnderTheSpan) {
  std::string text = "CREATE TABLE t (\n  a int GO\n)";
  LineIndex index(text);
  uint32_t go = static_cast<uint32_t>(text.find("GO"));
  EXPECT_EQ(RenderExcerpt(index, SourceSpan{go, 2}),
            " 2 |   a int GO\n   |         ^~");
}

TEST(RenderExcerpt, KeepsTabsAndCountsCodePoints) {
  std::string text = "\t\xC3\xA9 x";
  LineIndex index(text);
  EXPECT_EQ(RenderExcerpt(index, SourceSpan{4, 1}), " 1 | \t\xC3\xA9 x\n   | \t  ^");
}

// A script on one line of megabytes shows a window around the caret, not the whole line.
TEST(RenderExcerpt, LongLineShowsAWindowAroundTheCaret) {
  std::string text = std::string(100000, 'a') + " BAD " + std::string(100000, 'b');
  LineIndex index(text);
  const std::string excerpt = RenderExcerpt(index, SourceSpan{100001, 3});
  EXPECT_EQ(excerpt, " 1 | ..." + std::string(59, 'a') + " BAD " + std::string(96, 'b') + "...\n" +
                         "   | " + std::string(3 + 60, ' ') + "^~~");
}

TEST(FormatDiagnostic, FileLineColumnSeverityCode) {
  std::string text = "a\nbc d";
  DiagnosticSink sink;
  sink.Error("parse-error", "expected ')' but found 'd'", "x.sql", SourceSpan{5, 1});
  sink.Resolve("x.sql", LineIndex(text));
  ASSERT_EQ(sink.diagnostics().size(), 1u);
  EXPECT_EQ(sink.diagnostics()[0].location, (Location{2, 4}));
  EXPECT_EQ(FormatDiagnostic(sink.diagnostics()[0]),
            "x.sql:2:4: error: expected ')' but found 'd' [parse-error]\n 2 | bc d\n   |    ^");
}

TEST(DiagnosticSink, ResolveOnlyTouchesItsFile) {
  DiagnosticSink sink;
  sink.Warning("w", "m", "a.sql", SourceSpan{0, 1});
  sink.Warning("w", "m", "b.sql", SourceSpan{0, 1});
  sink.Resolve("a.sql", LineIndex("x"));
  EXPECT_EQ(sink.diagnostics()[0].location.line, 1);
  EXPECT_EQ(sink.diagnostics()[1].location.line, 0);
  EXPECT_EQ(sink.warning_count(), 2u);
  EXPECT_FALSE(sink.has_errors());
}

TEST(DiagnosticSink, BoundsStorageButCountsEverything) {
  DiagnosticSink sink(2);
  for (int i = 0; i < 5; ++i) sink.Error("e", "m", "", SourceSpan{});
  EXPECT_EQ(sink.diagnostics().size(), 2u);
  EXPECT_EQ(sink.error_count(), 5u);
  EXPECT_EQ(sink.dropped(), 3u);
}

TEST(DiagnosticSink, Merge) {
  DiagnosticSink a, b;
  a.Error("e", "1", "", {});
  b.Info("i", "2", "", {});
  a.Merge(std::move(b));
  ASSERT_EQ(a.diagnostics().size(), 2u);
  EXPECT_EQ(a.diagnostics()[1].message, "2");
}

}  // namespace
}  // namespace sqlmill

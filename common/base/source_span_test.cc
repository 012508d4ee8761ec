// Tests for SourceSpan and LineIndex.
#include "common/base/source_span.h"

#include "gtest/gtest.h"

namespace sqlmill {
namespace {

TEST(LineIndex, MapsOffsetsToOneBasedLineAndColumn) {
  LineIndex index("ab\ncd\n\nx");
  EXPECT_EQ(index.LocationOf(0), (Location{1, 1}));
  EXPECT_EQ(index.LocationOf(1), (Location{1, 2}));
  EXPECT_EQ(index.LocationOf(2), (Location{1, 3}));  // the '\n' itself
  EXPECT_EQ(index.LocationOf(3), (Location{2, 1}));
  EXPECT_EQ(index.LocationOf(6), (Location{3, 1}));
  EXPECT_EQ(index.LocationOf(7), (Location{4, 1}));
  EXPECT_EQ(index.LocationOf(100), (Location{4, 2}));  // clamped to the end
  EXPECT_EQ(index.line_count(), 4);
}

TEST(LineIndex, CrlfGivesSameLinesAsLf) {
  LineIndex lf("a\nbb\nc");
  LineIndex crlf("a\r\nbb\r\nc");
  EXPECT_EQ(lf.LocationOf(3), (Location{2, 2}));
  EXPECT_EQ(crlf.LocationOf(4), (Location{2, 2}));
  EXPECT_EQ(crlf.LineText(2), "bb");
  EXPECT_EQ(lf.LineText(2), "bb");
  EXPECT_EQ(crlf.LineText(3), "c");
  EXPECT_EQ(crlf.LineText(9), "");
}

TEST(LineIndex, ColumnsCountCodePoints) {
  // "é" is two bytes in UTF-8; the 'x' after it is column 3.
  LineIndex index("\xC3\xA9" "ax");
  EXPECT_EQ(index.LocationOf(3), (Location{1, 3}));
}

TEST(SourceSpan, CoverAndContains) {
  SourceSpan a{2, 3}, b{10, 1};
  SourceSpan c = SourceSpan::Cover(a, b);
  EXPECT_EQ(c, (SourceSpan{2, 9}));
  EXPECT_TRUE(c.Contains(a));
  EXPECT_TRUE(c.Contains(b));
  EXPECT_FALSE(a.Contains(c));
}

}  // namespace
}  // namespace sqlmill

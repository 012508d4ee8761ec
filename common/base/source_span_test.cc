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

// Every offset of a text with long lines and multi-byte characters across block edges maps
// to the same line:column as counting code-point starts from the line start.
TEST(LineIndex, LongLinesAndMultiByteTextMatchACountFromTheLineStart) {
  std::string text;
  for (int i = 0; i < 3000; ++i) {
    text += (i % 7 == 0) ? "\xC3\xA9" : (i % 11 == 0) ? "\xE2\x82\xAC" : "a";
    if (i % 997 == 0) text += "\n";
  }
  std::string long_line;  // one line of ~9 KB with multi-byte characters
  for (int i = 0; i < 6000; ++i) long_line += (i % 5 == 0) ? "\xE2\x82\xAC" : "b";
  for (const std::string& t : {text, std::string(5000, 'x') + "\ny", "x\n" + long_line + "\nz"}) {
    LineIndex index(t);
    int line = 1, column = 1;
    for (uint32_t offset = 0; offset <= t.size(); ++offset) {
      ASSERT_EQ(index.LocationOf(offset), (Location{line, column})) << "offset " << offset;
      if (offset == t.size()) break;
      if (t[offset] == '\n') {
        ++line;
        column = 1;
      } else if ((static_cast<unsigned char>(t[offset]) & 0xC0) != 0x80) {
        ++column;  // a byte that starts a code point
      }
    }
  }
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

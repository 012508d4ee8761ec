#include "common/base/utf8.h"

#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace sqlmill {
namespace {

constexpr size_t kValid = std::string_view::npos;

TEST(Utf8Test, AsciiAndWellFormedMultiByteSequencesAreValid) {
  EXPECT_EQ(FindInvalidUtf8(""), kValid);
  EXPECT_EQ(FindInvalidUtf8("plain ascii text longer than eight bytes \xE2\x82\xAC"), kValid);
  EXPECT_EQ(FindInvalidUtf8("caf\xC3\xA9 \xF0\x9F\x98\x80 \xEF\xBB\xBF"), kValid);
  EXPECT_EQ(FindInvalidUtf8("\xF4\x8F\xBF\xBF"), kValid);  // U+10FFFF, the last code point
}

TEST(Utf8Test, ReturnsTheOffsetOfTheFirstBadSequence) {
  EXPECT_EQ(FindInvalidUtf8("SELECT '\xE9t\xE9'"), 8u);              // Latin-1 é
  EXPECT_EQ(FindInvalidUtf8("\n \xFE\xFF\xFF\xFF   s"), 2u);          // bytes UTF-8 never uses
  EXPECT_EQ(FindInvalidUtf8("0123456789abcdef\x80"), 16u);           // after the ASCII fast path
  EXPECT_EQ(FindInvalidUtf8("ok \xE2\x82"), 3u);                      // truncated at the end
  EXPECT_EQ(FindInvalidUtf8("ok \xE2\x82z"), 3u);                     // continuation missing
}

TEST(Utf8Test, OverlongSurrogateAndOutOfRangeFormsAreRejected) {
  EXPECT_EQ(FindInvalidUtf8("\xC0\xAF"), 0u);          // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("\xE0\x80\xAF"), 0u);      // overlong, three bytes
  EXPECT_EQ(FindInvalidUtf8("\xED\xA0\x80"), 0u);      // U+D800, a surrogate
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // past U+10FFFF
}

}  // namespace
}  // namespace sqlmill

// Tests for DecodeScript: BOMs, UTF-16 both ways, invalid input.
#include "services/sql_parser/engine/decode.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sqlmill::tsql {
namespace {

std::string Utf16(std::u16string_view s, bool big_endian) {
  std::string out = big_endian ? std::string("\xFE\xFF", 2) : std::string("\xFF\xFE", 2);
  for (char16_t c : s) {
    const char hi = static_cast<char>(c >> 8);
    const char lo = static_cast<char>(c & 0xFF);
    if (big_endian) {
      out.push_back(hi);
      out.push_back(lo);
    } else {
      out.push_back(lo);
      out.push_back(hi);
    }
  }
  return out;
}

TEST(DecodeTest, PlainUtf8PassesThrough) {
  absl::StatusOr<DecodedText> d = DecodeScript("CREATE TABLE t (a int)", "x.sql");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->text, "CREATE TABLE t (a int)");
  EXPECT_EQ(d->encoding, TextEncoding::kUtf8);
}

TEST(DecodeTest, Utf8BomIsRemoved) {
  absl::StatusOr<DecodedText> d = DecodeScript("\xEF\xBB\xBFGO\n", "x.sql");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->text, "GO\n");
  EXPECT_EQ(d->encoding, TextEncoding::kUtf8Bom);
}

TEST(DecodeTest, Utf16LittleAndBigEndianWithSurrogates) {
  const std::u16string text = u"N'\u00e9\U0001F600'";
  for (bool be : {false, true}) {
    absl::StatusOr<DecodedText> d = DecodeScript(Utf16(text, be), "x.sql");
    ASSERT_TRUE(d.ok()) << d.status();
    EXPECT_EQ(d->text, "N'\xC3\xA9\xF0\x9F\x98\x80'");
    EXPECT_EQ(d->encoding, be ? TextEncoding::kUtf16Be : TextEncoding::kUtf16Le);
  }
}

TEST(DecodeTest, InvalidUtf8IsInvalidArgumentWithOffset) {
  absl::StatusOr<DecodedText> d = DecodeScript("SELECT '\xE9t\xE9'", "latin1.sql");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(d.status().message()), testing::HasSubstr("latin1.sql"));
  EXPECT_THAT(std::string(d.status().message()), testing::HasSubstr("byte 8"));
}

TEST(DecodeTest, BrokenUtf16IsInvalidArgument) {
  EXPECT_FALSE(DecodeScript(std::string("\xFF\xFE" "a", 3), "odd.sql").ok());
  const std::u16string lone = u"a";
  std::string s = Utf16(lone, false);
  s += std::string("\x00\xD8", 2);  // an unpaired high surrogate
  EXPECT_EQ(DecodeScript(s, "x.sql").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sqlmill::tsql

// Tests for JSON log formatting.
#include "common/logging/json_log.h"

#include <sstream>

#include "gtest/gtest.h"

namespace sqlmill {
namespace {

TEST(JsonLog, FormatsFieldsOfEveryType) {
  EXPECT_EQ(JsonLogger::FormatLine("T", LogLevel::kInfo, "rpc",
                                   {{"method", "/a.B/C"}, {"bytes", int64_t{42}},
                                    {"ms", 1.5}, {"ok", true}}),
            R"({"ts":"T","level":"info","msg":"rpc","method":"/a.B/C","bytes":42,"ms":1.5,"ok":true})");
}

TEST(JsonLog, EscapesStringsAndRepairsBadUtf8) {
  std::string out;
  AppendJsonString("a\"b\\c\nd\x01\xC3\xA9\xFF", &out);
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\u0001\xC3\xA9\\ufffd\"");
}

TEST(JsonLog, WritesOneLinePerCallAndFiltersLevel) {
  std::ostringstream sink;
  JsonLogger log(&sink, LogLevel::kInfo);
  log.Debug("hidden");
  log.Info("shown", {{"k", "v"}});
  const std::string text = sink.str();
  EXPECT_EQ(text.find("hidden"), std::string::npos);
  EXPECT_NE(text.find("\"msg\":\"shown\",\"k\":\"v\"}"), std::string::npos);
  EXPECT_EQ(text.back(), '\n');
}

}  // namespace
}  // namespace sqlmill

// Tests for JSON log formatting.
#include "common/logging/json_log.h"

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

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

TEST(JsonLog, BatchedLinesKeepTheirOrderAndAreNeverLost) {
  std::ostringstream out;
  {
    JsonLogger log(&out);
    log.Batched(LogLevel::kInfo, "rpc", {{"n", 1}});
    log.Batched(LogLevel::kDebug, "rpc", {{"n", 99}});  // below the level: dropped
    log.Batched(LogLevel::kInfo, "rpc", {{"n", 2}});
    log.Info("event", {{"n", 3}});  // an immediate line writes what is pending first
    log.Batched(LogLevel::kInfo, "rpc", {{"n", 4}});
  }  // destroyed: the last batched line is written
  const std::string text = out.str();
  const size_t one = text.find("\"n\":1}"), two = text.find("\"n\":2}"),
               three = text.find("\"n\":3}"), four = text.find("\"n\":4}");
  ASSERT_NE(four, std::string::npos) << text;
  EXPECT_LT(one, two);
  EXPECT_LT(two, three);
  EXPECT_LT(three, four);
  EXPECT_EQ(text.find("\"n\":99}"), std::string::npos);
}

TEST(JsonLog, TheWriterThreadWritesBatchedLinesSoon) {
  const std::string path = ::testing::TempDir() + "/json_log_batched.log";
  std::ofstream file(path);
  JsonLogger log(&file);
  log.Batched(LogLevel::kInfo, "rpc", {{"method", "/a.B/C"}});
  std::string seen;
  for (int i = 0; i < 200 && seen.empty(); ++i) {  // up to 2 s; the writer wakes every 50 ms
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::ifstream in(path);
    std::getline(in, seen);
  }
  EXPECT_NE(seen.find("\"method\":\"/a.B/C\""), std::string::npos) << seen;
}

}  // namespace
}  // namespace sqlmill

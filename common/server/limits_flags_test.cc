// Tests for the limit flags.
#include "common/server/limits_flags.h"

#include "common/base/worker_pool.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sqlmill {
namespace {

TEST(ParseLimitsFlags, ConsumesKnownFlags) {
  std::vector<std::string> args = {"--max_input_bytes=1024", "x", "--max_nesting_depth", "50",
                                   "--max_work_units=0"};
  Limits limits;
  limits.max_work_units = 7;
  ASSERT_TRUE(ParseLimitsFlags(&args, &limits).ok());
  EXPECT_EQ(limits.max_input_bytes, 1024u);
  EXPECT_EQ(limits.max_nesting_depth, 50);
  EXPECT_EQ(limits.max_work_units, 0u);
  EXPECT_THAT(args, ::testing::ElementsAre("x"));
}

TEST(ParseLimitsFlags, MaxTemplateStepsIsFiniteByDefaultAndZeroMeansNone) {
  EXPECT_EQ(Limits().max_template_steps, 20'000'000u);
  std::vector<std::string> args = {"--max_template_steps=0", "--max_template_steps", "5"};
  Limits limits;
  ASSERT_TRUE(ParseLimitsFlags(&args, &limits).ok());
  EXPECT_EQ(limits.max_template_steps, 5u);
  EXPECT_TRUE(args.empty());
}

TEST(ParseLimitsFlags, MaxCallMemoryBytesIsParsedAndZeroMeansNone) {
  std::vector<std::string> args = {"--max_call_memory_bytes=0"};
  Limits limits;
  limits.max_call_memory_bytes = 7;
  ASSERT_TRUE(ParseLimitsFlags(&args, &limits).ok());
  EXPECT_EQ(limits.max_call_memory_bytes, 0u);
  args = {"--max_call_memory_bytes", "1073741824"};
  ASSERT_TRUE(ParseLimitsFlags(&args, &limits).ok());
  EXPECT_EQ(limits.max_call_memory_bytes, 1073741824u);
}

// (memory - 256 MiB) / workers, between 64 MiB and 768 MiB; unknown memory gives the cap.
TEST(DefaultCallMemoryBytes, SharesWhatIsLeftAmongTheWorkers) {
  constexpr uint64_t MiB = 1 << 20;
  EXPECT_EQ(DefaultCallMemoryBytes(1792 * MiB, 2), 768 * MiB);   // the k8s Deployment
  EXPECT_EQ(DefaultCallMemoryBytes(24576 * MiB, 2), 768 * MiB);  // capped
  EXPECT_EQ(DefaultCallMemoryBytes(4096 * MiB, 8), 480 * MiB);
  EXPECT_EQ(DefaultCallMemoryBytes(256 * MiB, 4), 64 * MiB);      // floor
  EXPECT_EQ(DefaultCallMemoryBytes(0, 2), 768 * MiB);
  EXPECT_GT(UsableMemoryBytes(), 0u);
}

TEST(ParseLimitsFlags, MaxCallSecondsDefaultsToFiveMinutesAndZeroMeansNone) {
  EXPECT_EQ(Limits().max_call_seconds, 300u);
  std::vector<std::string> args = {"--max_call_seconds=0"};
  Limits limits;
  ASSERT_TRUE(ParseLimitsFlags(&args, &limits).ok());
  EXPECT_EQ(limits.max_call_seconds, 0u);
  args = {"--max_call_seconds", "30"};
  ASSERT_TRUE(ParseLimitsFlags(&args, &limits).ok());
  EXPECT_EQ(limits.max_call_seconds, 30u);
  args = {"--max_call_seconds=soon"};
  EXPECT_EQ(ParseLimitsFlags(&args, &limits).code(), absl::StatusCode::kInvalidArgument);
}

TEST(ParseLimitsFlags, RejectsBadValues) {
  Limits limits;
  std::vector<std::string> args = {"--max_input_bytes=0"};
  EXPECT_THAT(std::string(ParseLimitsFlags(&args, &limits).message()),
              ::testing::HasSubstr("positive integer but found '0'"));
  args = {"--max_nesting_depth=-3"};
  EXPECT_FALSE(ParseLimitsFlags(&args, &limits).ok());
}

}  // namespace
}  // namespace sqlmill

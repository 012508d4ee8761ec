// Tests for each limit and for cancellation.
#include "common/base/limits.h"

#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sqlmill {
namespace {

using ::testing::HasSubstr;

TEST(Limits, InputSize) {
  EXPECT_TRUE(CheckInputSize("script", 10, 10).ok());
  absl::Status s = CheckInputSize("script orders.sql", 11, 10);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(s.message()), HasSubstr("script orders.sql is 11 bytes"));
  EXPECT_THAT(std::string(s.message()), HasSubstr("limit of 10 bytes"));
  EXPECT_TRUE(CheckInputSize("x", 1 << 30, 0).ok());  // 0 = unlimited
}

TEST(Limits, Depth) {
  EXPECT_TRUE(CheckDepth("parentheses", 5, 5).ok());
  EXPECT_EQ(CheckDepth("parentheses", 6, 5).code(), absl::StatusCode::kResourceExhausted);
}

TEST(WorkBudget, ExhaustsExactlyPastTheBudget) {
  WorkBudget budget(10, nullptr);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(budget.Charge().ok()) << i;
  absl::Status s = budget.Charge();
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(s.message()), HasSubstr("10 units"));
}

TEST(WorkBudget, UnlimitedStillPollsCancellation) {
  CancellationToken token;
  WorkBudget budget(0, &token);
  for (uint64_t i = 0; i < 3 * WorkBudget::kPollEvery; ++i) ASSERT_TRUE(budget.Charge().ok());
  token.Cancel();
  absl::Status s;
  for (uint64_t i = 0; i <= WorkBudget::kPollEvery && s.ok(); ++i) s = budget.Charge();
  EXPECT_EQ(s.code(), absl::StatusCode::kCancelled);
}

TEST(CancellationToken, Deadline) {
  CancellationToken token(CancellationToken::Clock::now() - std::chrono::milliseconds(1));
  EXPECT_EQ(token.Check().code(), absl::StatusCode::kDeadlineExceeded);
  CancellationToken later(CancellationToken::Clock::now() + std::chrono::hours(1));
  EXPECT_TRUE(later.Check().ok());
}

TEST(CancellationToken, AServerTimeLimitIsResourceExhaustedWithItsMessage) {
  CancellationToken token;
  token.set_time_limit(CancellationToken::Clock::now() - std::chrono::milliseconds(1),
                       "ran past --max_call_seconds");
  EXPECT_EQ(token.Check().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(token.Check().message(), "ran past --max_call_seconds");
  // The client's own deadline, when it passed too, is what the caller learns.
  token.set_deadline(CancellationToken::Clock::now() - std::chrono::milliseconds(1));
  EXPECT_EQ(token.Check().code(), absl::StatusCode::kDeadlineExceeded);
}

TEST(CancellationToken, ProbeAndCrossThreadCancel) {
  bool gone = false;
  CancellationToken token;
  token.set_probe([&] { return gone; });
  EXPECT_TRUE(token.Check().ok());
  gone = true;
  EXPECT_EQ(token.Check().code(), absl::StatusCode::kCancelled);

  CancellationToken other;
  std::thread t([&] { other.Cancel(); });
  t.join();
  EXPECT_EQ(other.Check().code(), absl::StatusCode::kCancelled);
}

}  // namespace
}  // namespace sqlmill

namespace sqlmill {
namespace {

TEST(CancellationToken, DeadlineWinsOverAProbeThatAlsoFired) {
  CancellationToken token(CancellationToken::Clock::now() - std::chrono::milliseconds(1));
  token.set_probe([] { return true; });  // gRPC marks a call cancelled once its deadline passes
  EXPECT_EQ(token.Check().code(), absl::StatusCode::kDeadlineExceeded);
}

}  // namespace
}  // namespace sqlmill

// Tests for RequestMemoryTrim: a request is served soon, and a burst is coalesced.
#include "common/base/memory_trim.h"

#include <chrono>
#include <thread>

#include "gtest/gtest.h"

namespace sqlmill {
namespace {

using namespace std::chrono_literals;

bool WaitForTrims(uint64_t count) {
  for (int i = 0; i < 300 && MemoryTrimsDone() < count; ++i) std::this_thread::sleep_for(10ms);
  return MemoryTrimsDone() >= count;
}

TEST(MemoryTrim, ARequestIsServedAndABurstIsCoalesced) {
  const uint64_t before = MemoryTrimsDone();
  RequestMemoryTrim();
  ASSERT_TRUE(WaitForTrims(before + 1));
  // While the trimmer rests, many requests make one more trim, not many.
  for (int i = 0; i < 100; ++i) RequestMemoryTrim();
  ASSERT_TRUE(WaitForTrims(before + 2)) << "the last request of a burst is served";
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(MemoryTrimsDone(), before + 2);
}

}  // namespace
}  // namespace sqlmill

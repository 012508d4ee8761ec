// Tests for the per-thread allocation counter and the memory budget it backs.
#include "common/base/allocation_counter.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/base/limits.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sqlmill {
namespace {

TEST(AllocationCounter, CountsWhatThisThreadHoldsAndGivesItBackOnFree) {
  const int64_t start = ThreadAllocatedBytes();
  auto block = std::make_unique<char[]>(1 << 20);
  EXPECT_GE(ThreadAllocatedBytes() - start, 1 << 20);
  std::vector<std::string> strings(1000, std::string(100, 'x'));
  EXPECT_GE(ThreadAllocatedBytes() - start, (1 << 20) + 100 * 1000);
  block.reset();
  strings.clear();
  strings.shrink_to_fit();
  EXPECT_EQ(ThreadAllocatedBytes(), start);
}

TEST(AllocationCounter, OtherThreadsDoNotCountHere) {
  const int64_t start = ThreadAllocatedBytes();
  std::unique_ptr<char[]> kept;
  std::thread([&kept] { kept = std::make_unique<char[]>(1 << 20); }).join();
  EXPECT_LT(ThreadAllocatedBytes() - start, 1 << 16);
}

TEST(AllocationCounter, OverAlignedAllocationsAreCounted) {
  struct alignas(256) Wide {
    char bytes[512];
  };
  const int64_t start = ThreadAllocatedBytes();
  auto wide = std::make_unique<Wide>();
  EXPECT_EQ(reinterpret_cast<uintptr_t>(wide.get()) % 256, 0u);
  EXPECT_GE(ThreadAllocatedBytes() - start, 512);
  wide.reset();
  EXPECT_EQ(ThreadAllocatedBytes(), start);
}

TEST(MemoryBudget, CheckFailsOnceTheThreadHoldsMoreThanTheBudget) {
  CancellationToken cancel;
  cancel.set_memory_limit(4 << 20);
  EXPECT_TRUE(cancel.Check().ok());
  auto block = std::make_unique<char[]>(8 << 20);
  const absl::Status status = cancel.Check();
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(status.message()), testing::HasSubstr("--max_call_memory_bytes"));
  // A helper thread of the same call does not measure this thread's memory.
  absl::Status from_helper;
  std::thread([&] { from_helper = cancel.Check(); }).join();
  EXPECT_TRUE(from_helper.ok());
  block.reset();
  EXPECT_TRUE(cancel.Check().ok());
}

TEST(MemoryBudget, EstimateOverTheBudgetNamesTheFlag) {
  EXPECT_TRUE(CheckMemoryEstimate("script x.sql", 1000, 40, 0).ok());
  EXPECT_TRUE(CheckMemoryEstimate("script x.sql", 1000, 40, 40000).ok());
  const absl::Status status = CheckMemoryEstimate("script x.sql", 50 << 20, 40, 1 << 30);
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(status.message()),
              testing::AllOf(testing::HasSubstr("script x.sql"), testing::HasSubstr("2000 MiB"),
                             testing::HasSubstr("1024 MiB (--max_call_memory_bytes)")));
}

}  // namespace
}  // namespace sqlmill

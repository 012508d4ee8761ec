// Limits on what one request may cost, and the cancellation hook engines poll.
//
// Every engine takes a Limits value in its options and a CancellationToken; it checks the
// input size up front, the nesting depth as it descends, and charges its work to a
// WorkBudget that polls the token every few thousand units so a client's deadline or
// cancel stops long work promptly. Each limit hit is a RESOURCE_EXHAUSTED status naming
// the limit and its value; a cancel or deadline is CANCELLED / DEADLINE_EXCEEDED.
//
// Thread-safety: Limits is a plain value. CancellationToken may be cancelled from any thread
// while workers poll it. WorkBudget belongs to one worker thread.
//
//   WorkBudget budget(options.limits.max_work_units, &cancel);
//   for (...) { SQLMILL_RETURN_IF_ERROR(budget.Charge(1)); ... }
#ifndef SQLMILL_COMMON_BASE_LIMITS_H_
#define SQLMILL_COMMON_BASE_LIMITS_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

#include "absl/status/status.h"

namespace sqlmill {

struct Limits {
  uint64_t max_input_bytes = 64ull << 20;  // one script, template or project file
  int max_nesting_depth = 200;            // parentheses, blocks, template recursion
  uint64_t max_work_units = 0;            // engine-defined units (tokens, VM steps); 0 = none
  // Steps (statements, expressions, loop iterations) one template render may take; 0 = none.
  // The default is 100 times what the largest corpus dbt project (dbt-utils' integration
  // tests, 191,105 steps over all of its renders) takes in all, so no real project meets it
  // while an endless loop stops within seconds.
  uint64_t max_template_steps = 20'000'000;
  uint64_t max_output_bytes = 256ull << 20;
  // The longest a call may run on the server, whatever deadline the client set (or none);
  // 0 = no limit. Past it the work stops with RESOURCE_EXHAUSTED naming --max_call_seconds.
  uint64_t max_call_seconds = 300;
  // The most memory one call may hold on its worker thread (--max_call_memory_bytes);
  // engines also refuse up front an input their measured bytes-per-input-byte says cannot
  // fit. 0 = no budget (in-process use).
  uint64_t max_call_memory_bytes = 0;
  // The largest response a server may send (its --max_message_bytes); a bigger one is
  // refused with RESOURCE_EXHAUSTED naming the flag. 0 = not checked (in-process use).
  uint64_t max_response_bytes = 0;
};

// Returns RESOURCE_EXHAUSTED "<what> is N bytes, over the limit of M bytes" when size > max.
absl::Status CheckInputSize(std::string_view what, uint64_t size, uint64_t max);
// Returns RESOURCE_EXHAUSTED when depth > max, naming the construct.
absl::Status CheckDepth(std::string_view what, int depth, int max);
// Returns RESOURCE_EXHAUSTED, naming --max_call_memory_bytes, when input_bytes ×
// bytes_per_input_byte (what the engine measured such input to need) exceeds the budget;
// OK when the budget is 0.
absl::Status CheckMemoryEstimate(std::string_view what, uint64_t input_bytes,
                                 uint64_t bytes_per_input_byte, uint64_t budget);

// A cooperative stop signal: a deadline, an explicit Cancel(), and optionally an external
// probe (the gRPC adapter passes ServerContext::IsCancelled).
class CancellationToken {
 public:
  using Clock = std::chrono::steady_clock;

  CancellationToken() = default;
  explicit CancellationToken(Clock::time_point deadline) : deadline_(deadline) {}
  CancellationToken(const CancellationToken&) = delete;
  CancellationToken& operator=(const CancellationToken&) = delete;

  void set_deadline(Clock::time_point deadline) { deadline_ = deadline; }
  // A server-side limit on the work's time (not the client's deadline): Check() returns
  // RESOURCE_EXHAUSTED with `message` once it passes. `message` must outlive the token.
  void set_time_limit(Clock::time_point limit, std::string_view message) {
    time_limit_ = limit;
    time_limit_message_ = message;
  }
  // A memory budget for the work running on the calling thread: Check() on this thread
  // returns RESOURCE_EXHAUSTED naming --max_call_memory_bytes once the thread holds more
  // than `bytes` beyond what it held here (allocation_counter.h). Checks on other threads
  // (helpers of a parallel section) do not count memory. 0 = none.
  void set_memory_limit(uint64_t bytes);
  // The probe returns true when the caller has gone away; called from the polling thread.
  void set_probe(std::function<bool()> probe) { probe_ = std::move(probe); }
  void Cancel() { cancelled_.store(true, std::memory_order_relaxed); }

  // Returns OK, CANCELLED or DEADLINE_EXCEEDED. Cheap enough to call every few ms.
  absl::Status Check() const;

 private:
  std::atomic<bool> cancelled_{false};
  Clock::time_point deadline_ = Clock::time_point::max();
  Clock::time_point time_limit_ = Clock::time_point::max();
  std::string_view time_limit_message_;
  uint64_t memory_limit_ = 0;
  int64_t memory_start_ = 0;
  std::thread::id memory_thread_;
  std::function<bool()> probe_;
};

// Counts work units against a budget and polls a CancellationToken every kPollEvery units.
class WorkBudget {
 public:
  static constexpr uint64_t kPollEvery = 4096;

  // max_units 0 means unlimited; cancel may be null. `flag` names the limit in the error.
  WorkBudget(uint64_t max_units, const CancellationToken* cancel,
             std::string_view flag = "--max_work_units")
      : max_(max_units), cancel_(cancel), flag_(flag), next_poll_(NextPoll(0)) {}

  // Adds `units`; returns RESOURCE_EXHAUSTED past the budget, or the token's status.
  absl::Status Charge(uint64_t units = 1) {
    used_ += units;
    if (used_ >= next_poll_) return Poll();
    return absl::OkStatus();
  }
  uint64_t used() const { return used_; }

 private:
  absl::Status Poll();
  // Polls every kPollEvery units, and exactly when the budget would be passed.
  uint64_t NextPoll(uint64_t used) const {
    const uint64_t next = used + kPollEvery;
    return (max_ != 0 && max_ + 1 < next) ? max_ + 1 : next;
  }

  uint64_t max_;
  const CancellationToken* cancel_;
  std::string_view flag_;  // a literal
  uint64_t used_ = 0;
  uint64_t next_poll_;
};

}  // namespace sqlmill

#endif  // SQLMILL_COMMON_BASE_LIMITS_H_

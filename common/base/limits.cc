// Limit checks, cancellation and the work budget.
#include "common/base/limits.h"

#include "absl/strings/str_cat.h"
#include "common/base/allocation_counter.h"
#include "common/base/strings.h"

namespace sqlmill {

absl::Status CheckInputSize(std::string_view what, uint64_t size, uint64_t max) {
  if (max != 0 && size > max) {
    return absl::ResourceExhaustedError(absl::StrCat(AsAbsl(what), " is ", size,
                                                     " bytes, over the limit of ", max,
                                                     " bytes"));
  }
  return absl::OkStatus();
}

absl::Status CheckDepth(std::string_view what, int depth, int max) {
  if (max > 0 && depth > max) {
    return absl::ResourceExhaustedError(
        absl::StrCat(AsAbsl(what), " nest ", depth, " deep, over the limit of ", max));
  }
  return absl::OkStatus();
}

absl::Status CheckMemoryEstimate(std::string_view what, uint64_t input_bytes,
                                 uint64_t bytes_per_input_byte, uint64_t budget) {
  const uint64_t needed = input_bytes * bytes_per_input_byte;
  if (budget == 0 || needed <= budget) return absl::OkStatus();
  return absl::ResourceExhaustedError(absl::StrCat(
      AsAbsl(what), " is ", input_bytes, " bytes; such input needs up to about ",
      bytes_per_input_byte, " bytes of memory per byte (", needed / (1 << 20),
      " MiB), over the server's per-call memory budget of ", budget / (1 << 20),
      " MiB (--max_call_memory_bytes): split the input or raise the flag together with the "
      "server's memory limit"));
}

void CancellationToken::set_memory_limit(uint64_t bytes) {
  memory_limit_ = bytes;
  memory_start_ = ThreadAllocatedBytes();
  memory_thread_ = std::this_thread::get_id();
}

absl::Status CancellationToken::Check() const {
  // The deadline first: when it passes, gRPC also marks the call cancelled, and the
  // caller should learn that it was the deadline.
  if (deadline_ != Clock::time_point::max() && Clock::now() >= deadline_) {
    return absl::DeadlineExceededError("the request's deadline passed before the work finished");
  }
  if (time_limit_ != Clock::time_point::max() && Clock::now() >= time_limit_) {
    return absl::ResourceExhaustedError(
        absl::string_view(time_limit_message_.data(), time_limit_message_.size()));
  }
  if (memory_limit_ != 0) {
    const int64_t held = ThreadAllocatedBytes() - memory_start_;
    if (held > static_cast<int64_t>(memory_limit_) &&
        std::this_thread::get_id() == memory_thread_) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "the call held ", held / (1 << 20), " MiB of memory, over the server's per-call "
          "budget of ", memory_limit_ / (1 << 20), " MiB (--max_call_memory_bytes), and was "
          "stopped: split the input or raise the flag together with the server's memory limit"));
    }
  }
  if (cancelled_.load(std::memory_order_relaxed) || (probe_ && probe_())) {
    return absl::CancelledError("the request was cancelled");
  }
  return absl::OkStatus();
}

absl::Status WorkBudget::Poll() {
  next_poll_ = NextPoll(used_);
  if (max_ != 0 && used_ > max_) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the work budget of ", max_, " units (", AsAbsl(flag_),
                     ") was used up; raise it if the input is meant to take this much work"));
  }
  if (cancel_ != nullptr) return cancel_->Check();
  return absl::OkStatus();
}

}  // namespace sqlmill

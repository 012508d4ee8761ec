// Limit checks, cancellation and the work budget.
#include "common/base/limits.h"

#include "absl/strings/str_cat.h"
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

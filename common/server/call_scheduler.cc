// CallScheduler: admission (shed when full), the queue-side checks a worker makes before it
// runs a call, and the pool metrics.
#include "common/server/call_scheduler.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "common/base/memory_trim.h"

namespace sqlmill {
namespace {

const prometheus::Histogram::BucketBoundaries& WaitBuckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1,    0.25,    0.5,    1,     2.5,    5,     10,   30};
  return *buckets;
}

// Calls that ran at least this long ask for freed memory to go back to the OS.
constexpr std::chrono::milliseconds kTrimAfter{200};

double Millis(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// Ties a CancellationToken to a call: the client's deadline and its cancellation.
void BindToCall(grpc::ServerContextBase* context, CancellationToken* cancel) {
  const auto deadline = context->deadline();
  if (deadline != std::chrono::system_clock::time_point::max()) {
    const auto remaining = deadline - std::chrono::system_clock::now();
    cancel->set_deadline(CancellationToken::Clock::now() +
                         std::chrono::duration_cast<CancellationToken::Clock::duration>(remaining));
  }
  cancel->set_probe([context] { return context->IsCancelled(); });
}

}  // namespace

void CallScheduler::Bind(grpc::ServerContextBase* context, CancellationToken* cancel) const {
  BindToCall(context, cancel);
  // Bind runs on the thread that does the call's work: the memory it holds from here on is
  // the call's.
  if (max_call_memory_bytes_ > 0) cancel->set_memory_limit(max_call_memory_bytes_);
  if (max_call_seconds_ > 0) {
    cancel->set_time_limit(
        CancellationToken::Clock::now() + std::chrono::seconds(max_call_seconds_),
        time_limit_message_);
  }
}

CallScheduler::CallScheduler(WorkerPool* pool, prometheus::Registry* registry,
                             const Limits& limits)
    : pool_(pool),
      registry_(registry),
      max_call_seconds_(limits.max_call_seconds),
      max_call_memory_bytes_(limits.max_call_memory_bytes),
      max_response_bytes_(limits.max_response_bytes),
      time_limit_message_(absl::StrCat(
          "the call ran for ", limits.max_call_seconds, " s, the server's limit on one call ",
          "(--max_call_seconds), and was stopped")) {
  if (registry_ == nullptr) return;
  wait_family_ = &prometheus::BuildHistogram()
                      .Name("sqlmill_call_queue_wait_seconds")
                      .Help("Time calls waited in the queue for a worker, by method.")
                      .Register(*registry_);
  shed_family_ = &prometheus::BuildCounter()
                      .Name("sqlmill_calls_shed_total")
                      .Help("Calls answered RESOURCE_EXHAUSTED because the queue was full.")
                      .Register(*registry_);
  expired_family_ = &prometheus::BuildCounter()
                         .Name("sqlmill_calls_expired_total")
                         .Help("Calls that ended in the queue without running: their deadline "
                               "passed (reason=deadline) or the client cancelled them "
                               "(reason=cancelled).")
                         .Register(*registry_);
  threads_ = &prometheus::BuildGauge()
                  .Name("sqlmill_worker_threads")
                  .Help("Worker threads in the pool that runs calls (--workers).")
                  .Register(*registry_)
                  .Add({});
  busy_ = &prometheus::BuildGauge()
               .Name("sqlmill_worker_busy_threads")
               .Help("Worker threads running a call now.")
               .Register(*registry_)
               .Add({});
  queue_length_ = &prometheus::BuildGauge()
                       .Name("sqlmill_call_queue_length")
                       .Help("Calls waiting for a worker now.")
                       .Register(*registry_)
                       .Add({});
  queue_capacity_ = &prometheus::BuildGauge()
                         .Name("sqlmill_call_queue_capacity")
                         .Help("Calls that may wait for a worker before new ones are shed "
                               "(--max_queued_calls).")
                         .Register(*registry_)
                         .Add({});
  threads_->Set(pool_->workers());
  queue_capacity_->Set(pool_->max_queued());
}

const CallScheduler::Method* CallScheduler::RegisterMethod(std::string_view service,
                                                           std::string_view method) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string key = std::string(service) + "/" + std::string(method);
  auto [it, added] = methods_.try_emplace(key);
  Method& m = it->second;
  if (!added) return &m;
  m.service = std::string(service);
  m.name = std::string(method);
  return &m;
}

const CallScheduler::Method& CallScheduler::Series(const Method* m) {
  std::call_once(m->created, [&] {
    if (registry_ == nullptr) return;
    const prometheus::Labels labels{{"grpc_service", m->service}, {"grpc_method", m->name}};
    m->wait_seconds = &wait_family_->Add(labels, WaitBuckets());
    m->shed = &shed_family_->Add(labels);
    auto expired = [&](const char* reason) {
      prometheus::Labels with_reason = labels;
      with_reason["reason"] = reason;
      return &expired_family_->Add(with_reason);
    };
    m->expired_deadline = expired("deadline");
    m->expired_cancelled = expired("cancelled");
  });
  return *m;
}

void CallScheduler::UpdateGauges() {
  if (queue_length_ == nullptr) return;
  queue_length_->Set(static_cast<double>(pool_->queued()));
  busy_->Set(pool_->busy());
}

void CallScheduler::Submit(grpc::CallbackServerContext* context, const Method* method,
                           std::function<grpc::Status()> work,
                           std::function<void(const grpc::Status&)> finish, bool small) {
  Series(method);
  auto task = [this, context, method, work = std::move(work),
               finish](WorkerPool::Clock::duration waited) {
    UpdateGauges();
    if (method->wait_seconds != nullptr) {
      method->wait_seconds->Observe(std::chrono::duration<double>(waited).count());
    }
    // The deadline first: when it passes gRPC also marks the call cancelled.
    if (context->deadline() <= std::chrono::system_clock::now()) {
      if (method->expired_deadline != nullptr) method->expired_deadline->Increment();
      finish(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                          absl::StrCat("the call's deadline passed while it waited ",
                                       static_cast<int64_t>(Millis(waited)),
                                       " ms for a worker; it was not run")));
      return;
    }
    if (context->IsCancelled()) {
      if (method->expired_cancelled != nullptr) method->expired_cancelled->Increment();
      finish(grpc::Status(grpc::StatusCode::CANCELLED,
                          "the client cancelled the call while it waited for a worker; it was "
                          "not run"));
      return;
    }
    const auto started = std::chrono::steady_clock::now();
    grpc::Status status = work();
    // A call that ran and hit a limit (input size, nesting, memory, answer size) fails the
    // same way on any replica: a negative pushback tells retrying clients not to try again
    // (gRPC's retry policy reads it so), unlike the shed above, which names a wait.
    if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      context->AddTrailingMetadata("grpc-retry-pushback-ms", "-1");
    }
    finish(status);
    UpdateGauges();
    // A long call is a big one: give what it freed back to the OS (glibc keeps freed
    // memory in its arenas otherwise, and a pod's RSS would stay at its largest call).
    if (std::chrono::steady_clock::now() - started >= kTrimAfter) RequestMemoryTrim();
  };
  if (small && pool_->TryRunInline(task)) return;
  if (pool_->TrySubmit(std::move(task))) {
    UpdateGauges();
    return;
  }
  if (method->shed != nullptr) method->shed->Increment();
  // At least 10 ms, at most 10 s: a hint, not a promise.
  const int64_t pushback_ms = std::clamp<int64_t>(
      static_cast<int64_t>(Millis(pool_->EstimatedWait())), 10, 10000);
  context->AddTrailingMetadata("grpc-retry-pushback-ms", std::to_string(pushback_ms));
  finish(grpc::Status(
      grpc::StatusCode::RESOURCE_EXHAUSTED,
      absl::StrCat("server busy: ", pool_->workers(), " workers are running calls and ",
                   pool_->max_queued(), " more are queued (the limit, --max_queued_calls); retry in ",
                   pushback_ms, " ms")));
}

grpc::Status CallScheduler::CheckResponseSize(const google::protobuf::MessageLite& response) const {
  if (max_response_bytes_ == 0) return grpc::Status::OK;
  const size_t bytes = response.ByteSizeLong();
  if (bytes <= max_response_bytes_) return grpc::Status::OK;
  return grpc::Status(
      grpc::StatusCode::RESOURCE_EXHAUSTED,
      absl::StrCat("the response is ", bytes, " bytes, over the server's limit of ",
                   max_response_bytes_, " (--max_message_bytes): raise it on the server and ",
                   "the client's receive limit, or ask for less in one call"));
}

grpc::ServerUnaryReactor* CallScheduler::Unary(grpc::CallbackServerContext* context,
                                               const Method* method,
                                               const google::protobuf::MessageLite* response,
                                               std::function<grpc::Status()> work,
                                               bool small) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  Submit(
      context, method,
      [this, response, work = std::move(work)] {
        grpc::Status status = work();
        if (status.ok() && response != nullptr) status = CheckResponseSize(*response);
        return status;
      },
      [reactor](const grpc::Status& status) { reactor->Finish(status); }, small);
  return reactor;
}

CallScheduler* OwnedScheduler::Resolve(CallScheduler* given, const Limits& limits) {
  if (given != nullptr) return given;
  if (scheduler_ == nullptr) {
    pool_ = std::make_unique<WorkerPool>(WorkerPoolOptions{});
    scheduler_ = std::make_unique<CallScheduler>(pool_.get(), nullptr, limits);
  }
  return scheduler_.get();
}

}  // namespace sqlmill

// CallScheduler: runs the work of gRPC callback-API calls on the server's WorkerPool.
//
// A service's handler returns at once to gRPC's thread: it hands the call's work to
// Unary() (or Submit() from a stream reactor) and the work runs on a pool worker. A call
// beyond the queue's capacity is shed at once with RESOURCE_EXHAUSTED, a message naming
// --max_queued_calls and a `grpc-retry-pushback-ms` trailer (the estimated wait), so
// gRPC clients with a retry policy back off by exactly that much. When a worker takes a
// call whose deadline passed or whose client went away while it waited, the call ends
// DEADLINE_EXCEEDED / CANCELLED without running.
//
// Metrics (registered on the server's registry, labels only from registered methods):
//   sqlmill_worker_threads                 gauge: workers in the pool
//   sqlmill_worker_busy_threads            gauge: workers running a call
//   sqlmill_call_queue_length              gauge: calls waiting for a worker
//   sqlmill_call_queue_capacity            gauge: --max_queued_calls
//   sqlmill_call_queue_wait_seconds{grpc_service,grpc_method}     histogram: time queued
//   sqlmill_calls_shed_total{grpc_service,grpc_method}            counter: queue full
//   sqlmill_calls_expired_total{grpc_service,grpc_method,reason}  counter: ended in the
//       queue without running, reason "deadline" or "cancelled"
//
// Thread-safety: RegisterMethod is called while services are built; the rest from any
// thread. The pool and registry must outlive the scheduler, and the scheduler the server.
//
//   CallScheduler scheduler(&pool, registry.get());
//   const CallScheduler::Method* m = scheduler.RegisterMethod("sqlmill.v1.X", "Do");
//   grpc::ServerUnaryReactor* Do(grpc::CallbackServerContext* c, const Req* q, Resp* r) {
//     return scheduler.Unary(c, m, r, [=] { return DoWork(c, q, r); });
//   }
#ifndef SQLMILL_COMMON_SERVER_CALL_SCHEDULER_H_
#define SQLMILL_COMMON_SERVER_CALL_SCHEDULER_H_

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/container/node_hash_map.h"
#include "common/base/limits.h"
#include "common/base/worker_pool.h"
#include "google/protobuf/message_lite.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "grpcpp/support/status.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace sqlmill {

class CallScheduler {
 public:
  // Per-method metric handles, resolved once.
  // Per-method metric handles, created on the method's first call.
  struct Method {
    std::string service;
    std::string name;
    mutable std::once_flag created;
    mutable prometheus::Histogram* wait_seconds = nullptr;
    mutable prometheus::Counter* shed = nullptr;
    mutable prometheus::Counter* expired_deadline = nullptr;
    mutable prometheus::Counter* expired_cancelled = nullptr;
  };

  // `registry` may be null (no metrics: unit tests of a service). From `limits`:
  // max_call_seconds bounds how long any call's work may run (--max_call_seconds) and
  // max_response_bytes how big a unary response may be (--max_message_bytes).
  CallScheduler(WorkerPool* pool, prometheus::Registry* registry, const Limits& limits = {});

  const Method* RegisterMethod(std::string_view service, std::string_view method);

  // Queues `work` for a unary call and returns the reactor gRPC waits on; the reactor is
  // finished with work()'s status (or the shed/expired status).
  // `response` is checked against max_response_bytes when work() succeeds. `small`: the
  // work is known to be short (a small input to a linear-time engine); it may then run at
  // once on the calling gRPC thread when a worker is free and nothing is queued, which
  // saves two thread hand-offs.
  grpc::ServerUnaryReactor* Unary(grpc::CallbackServerContext* context, const Method* method,
                                  const google::protobuf::MessageLite* response,
                                  std::function<grpc::Status()> work, bool small = false);

  // RESOURCE_EXHAUSTED naming --max_message_bytes when `response` is over the limit.
  grpc::Status CheckResponseSize(const google::protobuf::MessageLite& response) const;

  // Queues `work` for any call; `finish` gets its status on the worker (or the shed status
  // on the calling thread, before Submit returns).
  void Submit(grpc::CallbackServerContext* context, const Method* method,
              std::function<grpc::Status()> work, std::function<void(const grpc::Status&)> finish,
              bool small = false);

  // Ties `cancel` to the call (the client's deadline and its cancellation) and to the
  // server's limits on a call's time and memory. Call it on the thread that does the work:
  // the memory budget counts what that thread holds from then on.
  void Bind(grpc::ServerContextBase* context, CancellationToken* cancel) const;

  WorkerPool& pool() { return *pool_; }

 private:
  void UpdateGauges();
  const Method& Series(const Method* method);  // creates the method's series once

  WorkerPool* pool_;
  prometheus::Registry* registry_;
  uint64_t max_call_seconds_;
  uint64_t max_call_memory_bytes_;
  uint64_t max_response_bytes_;
  std::string time_limit_message_;
  prometheus::Family<prometheus::Histogram>* wait_family_ = nullptr;
  prometheus::Family<prometheus::Counter>* shed_family_ = nullptr;
  prometheus::Family<prometheus::Counter>* expired_family_ = nullptr;
  prometheus::Gauge* threads_ = nullptr;
  prometheus::Gauge* busy_ = nullptr;
  prometheus::Gauge* queue_length_ = nullptr;
  prometheus::Gauge* queue_capacity_ = nullptr;
  std::mutex mu_;  // guards methods_ (registration only)
  absl::node_hash_map<std::string, Method> methods_;
};

// What a service is built with in a server: the request limits and the scheduler. A
// service made without a scheduler (tests) makes its own pool and scheduler.
struct ServingEnv {
  Limits limits;
  CallScheduler* scheduler = nullptr;
};

// A scheduler a service falls back on when it is given none: its own small pool.
class OwnedScheduler {
 public:
  // Returns `given`, or a scheduler over a pool of its own that this object keeps.
  CallScheduler* Resolve(CallScheduler* given, const Limits& limits);

 private:
  // The pool goes first (it runs what is still queued, which uses the scheduler).
  std::unique_ptr<CallScheduler> scheduler_;
  std::unique_ptr<WorkerPool> pool_;
};

}  // namespace sqlmill

#endif  // SQLMILL_COMMON_SERVER_CALL_SCHEDULER_H_

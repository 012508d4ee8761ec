// A fixed pool of long-lived worker threads with a bounded queue of calls, and the
// fork-join helper engines use for parallel work inside one call.
//
// The server runs every CPU-bound RPC on one WorkerPool sized to the cores: a call is
// queued with TrySubmit (false when the queue is full: the caller sheds it), a worker runs
// it and tells it how long it waited. Workers live as long as the pool, so per-thread state
// (the parser's prediction caches) is built once per worker, not once per call.
//
// ParallelFor(n, fn) runs fn(0..n-1) on the calling thread, with idle workers helping; a
// helper leaves as soon as a call is waiting, so one call's parallel section never starves
// the calls queued behind it (under load each call runs on its own worker, one core each;
// when the pool is idle one call gets every core). It may be called from inside a task or
// from any other thread, and nests (a nested section simply runs on fewer helpers).
//
// Thread-safety: every method may be called from any thread. The destructor runs the
// calls still queued, then joins the workers; nothing may be submitted after it starts.
//
//   WorkerPool pool({.workers = 0, .max_queued = 512});
//   if (!pool.TrySubmit([](WorkerPool::Clock::duration waited) { ... })) { /* shed */ }
//   pool.ParallelFor(nodes.size(), [&](size_t i) { Render(nodes[i]); });
#ifndef SQLMILL_COMMON_BASE_WORKER_POOL_H_
#define SQLMILL_COMMON_BASE_WORKER_POOL_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace sqlmill {

// Runs fn(0..n-1), possibly in parallel, and returns when every call has returned. What an
// engine takes in its options to spread work without owning threads; empty = sequential.
using ParallelRunner = std::function<void(size_t n, const std::function<void(size_t)>& fn)>;

// Runs fn(0..n-1) through `runner`, or one after the other when it is empty.
void RunParallel(const ParallelRunner& runner, size_t n, const std::function<void(size_t)>& fn);

// A runner for code without a pool (the CLI): fn(0..n-1) on the calling thread and up to
// threads - 1 threads started for the call, items claimed in order. threads <= 1: inline.
ParallelRunner ThreadRunner(int threads);

// The number of cores this process may use: its sched affinity, capped by the container's
// CPU limit (cgroup v2 cpu.max or v1 cfs quota) when it has one; at least 1.
int UsableCores();

// The memory this process may use: the container's limit (cgroup v2 memory.max or v1
// memory.limit_in_bytes) when it has one below the machine's, else MemTotal; 0 if unknown.
uint64_t UsableMemoryBytes();

// Whole CPUs in a CFS quota ("200000", "100000" → 2; "150000", "100000" → 2, rounded up);
// 0 when there is no quota ("max", "-1") or the text is not a number.
int CoresFromCpuQuota(std::string_view quota, std::string_view period);

struct WorkerPoolOptions {
  int workers = 0;       // 0 = one per usable core
  int max_queued = 512;  // calls waiting for a worker; TrySubmit fails beyond this
  std::string thread_name = "sqlmill-worker";  // shown by top -H, perf, gdb (≤ 15 chars)
};

class WorkerPool {
 public:
  using Clock = std::chrono::steady_clock;
  // A call's work; `queued` is how long it waited for a worker.
  using Task = std::function<void(Clock::duration queued)>;

  explicit WorkerPool(WorkerPoolOptions options = {});
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; returns false, without running it, when max_queued calls already wait.
  bool TrySubmit(Task task);

  // Runs `task` on the calling thread, at once, when a worker is free and no call waits
  // (it then counts as a busy worker); returns false, without running it, otherwise.
  bool TryRunInline(const Task& task);

  // See the file comment.
  void ParallelFor(size_t n, const std::function<void(size_t)>& fn);

  // A ParallelRunner bound to this pool (the pool must outlive its uses).
  ParallelRunner runner() {
    return [this](size_t n, const std::function<void(size_t)>& fn) { ParallelFor(n, fn); };
  }

  int workers() const { return static_cast<int>(threads_.size()); }
  int max_queued() const { return max_queued_; }
  // Calls waiting for a worker now.
  size_t queued() const { return queued_.load(std::memory_order_relaxed); }
  // Workers running a call now.
  int busy() const { return busy_.load(std::memory_order_relaxed); }
  // A recent average of how long one call ran (exponentially weighted).
  Clock::duration recent_task_time() const {
    return Clock::duration(recent_task_ticks_.load(std::memory_order_relaxed));
  }
  // An estimate of how long a call queued now would wait: the queue ahead of it spread
  // over the workers, times the recent call time. The shedding hint for clients.
  Clock::duration EstimatedWait() const;

 private:
  struct Call {
    Task task;
    Clock::time_point enqueued;
  };
  struct Job;  // one ParallelFor section

  void WorkerLoop();
  void RunCall(Call call);

  const int max_queued_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Call> calls_;                 // guarded by mu_
  std::deque<std::shared_ptr<Job>> help_;  // guarded by mu_: sections wanting helpers
  bool stopping_ = false;                  // guarded by mu_
  int idle_ = 0;                           // guarded by mu_: workers waiting on wake_
  std::atomic<size_t> queued_{0};          // calls_.size(), readable without the lock
  std::atomic<int> busy_{0};
  std::atomic<int64_t> recent_task_ticks_{0};
  std::vector<std::thread> threads_;
};

}  // namespace sqlmill

#endif  // SQLMILL_COMMON_BASE_WORKER_POOL_H_

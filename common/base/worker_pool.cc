// WorkerPool: one mutex, one condition variable, a deque of calls and a deque of parallel
// sections that want helpers. Calls come first: an idle worker takes a queued call before it
// helps a section, and a helper stops helping when a call is waiting.
#include "common/base/worker_pool.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <string>
#include <string_view>

namespace sqlmill {

void RunParallel(const ParallelRunner& runner, size_t n, const std::function<void(size_t)>& fn) {
  if (n == 0) return;
  if (runner && n > 1) {
    runner(n, fn);
    return;
  }
  for (size_t i = 0; i < n; ++i) fn(i);
}

ParallelRunner ThreadRunner(int threads) {
  return [threads](size_t n, const std::function<void(size_t)>& fn) {
    const size_t extra = std::min<size_t>(n, static_cast<size_t>(std::max(1, threads))) - 1;
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) fn(i);
    };
    std::vector<std::thread> helpers;
    helpers.reserve(extra);
    for (size_t t = 0; t < extra; ++t) helpers.emplace_back(work);
    work();
    for (std::thread& h : helpers) h.join();
  };
}

int CoresFromCpuQuota(std::string_view quota, std::string_view period) {
  auto number = [](std::string_view text, int64_t* out) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
    int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size()) return false;
    *out = value;
    return true;
  };
  int64_t q = 0, p = 0;
  if (!number(quota, &q) || !number(period, &p) || q <= 0 || p <= 0) return 0;
  return static_cast<int>(std::max<int64_t>(1, (q + p - 1) / p));
}

namespace {

std::string ReadSmallFile(const char* path) {
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  return text;
}

// The container's CPU limit (cgroup v2 cpu.max "QUOTA PERIOD", or v1 cfs quota/period),
// or 0 when there is none.
int CgroupCpuLimit() {
  const std::string v2 = ReadSmallFile("/sys/fs/cgroup/cpu.max");
  if (!v2.empty()) {
    const size_t space = v2.find(' ');
    if (space == std::string::npos) return 0;
    return CoresFromCpuQuota(std::string_view(v2).substr(0, space),
                             std::string_view(v2).substr(space + 1));
  }
  return CoresFromCpuQuota(ReadSmallFile("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"),
                           ReadSmallFile("/sys/fs/cgroup/cpu/cpu.cfs_period_us"));
}

uint64_t ReadNumber(const char* path) {
  const std::string text = ReadSmallFile(path);
  uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() ? value : 0;  // "max" (no limit) or unreadable: 0
}

// MemTotal from /proc/meminfo, in bytes (0 when unreadable).
uint64_t MemTotalBytes() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  uint64_t kib = 0;
  while (in >> key >> kib) {
    if (key == "MemTotal:") return kib * 1024;
    in.ignore(1 << 10, '\n');
  }
  return 0;
}

}  // namespace

uint64_t UsableMemoryBytes() {
  const uint64_t total = MemTotalBytes();
  // cgroup v2 memory.max, or v1 memory.limit_in_bytes (a huge number when unlimited).
  uint64_t limit = ReadNumber("/sys/fs/cgroup/memory.max");
  if (limit == 0) limit = ReadNumber("/sys/fs/cgroup/memory/memory.limit_in_bytes");
  if (limit == 0 || (total != 0 && limit > total)) return total;
  return limit;
}

int UsableCores() {
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0) {
    cores = CPU_COUNT(&set);
  }
  // A container limited to fewer CPUs than it can see (Kubernetes limits.cpu) gets that many.
  const int limit = CgroupCpuLimit();
  return limit > 0 ? std::min(cores, limit) : cores;
}

// One ParallelFor section. Items are claimed with an atomic counter, so the caller and any
// number of helpers share them without a lock; `fn` is only read while an item is claimed,
// and the caller does not return before every claimed item has finished.
struct WorkerPool::Job {
  Job(size_t n, const std::function<void(size_t)>* fn) : n(n), fn(fn) {}

  // Runs items until none are left, or (for a helper) until `stop()` says a call waits.
  template <typename Stop>
  void Work(Stop stop) {
    size_t did = 0;
    while (!stop()) {
      const size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= n) break;
      (*fn)(i);
      ++did;
    }
    if (did > 0 && done.fetch_add(did, std::memory_order_acq_rel) + did == n) {
      std::lock_guard<std::mutex> lock(mu);
      finished.notify_all();
    }
  }

  const size_t n;
  const std::function<void(size_t)>* fn;
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  std::mutex mu;
  std::condition_variable finished;
};

WorkerPool::WorkerPool(WorkerPoolOptions options)
    : max_queued_(std::max(0, options.max_queued)) {
  const int workers = options.workers > 0 ? options.workers : UsableCores();
  threads_.reserve(workers);
  // Workers never take process signals (SIGTERM must reach the thread that waits for it,
  // not kill the process from a worker): they start with every signal blocked, inherited
  // from this thread's mask for the moment they are created.
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &previous);
  for (int i = 0; i < workers; ++i) {
    threads_.emplace_back([this] { WorkerLoop(); });
    pthread_setname_np(threads_.back().native_handle(), options.thread_name.substr(0, 15).c_str());
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();
}

bool WorkerPool::TrySubmit(Task task) {
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (calls_.size() >= static_cast<size_t>(max_queued_)) return false;
    calls_.push_back(Call{std::move(task), Clock::now()});
    queued_.store(calls_.size(), std::memory_order_relaxed);
    wake = idle_ > 0;
  }
  if (wake) wake_.notify_one();
  return true;
}

bool WorkerPool::TryRunInline(const Task& task) {
  const int workers = static_cast<int>(threads_.size());
  int busy = busy_.load(std::memory_order_relaxed);
  do {
    if (busy >= workers || queued_.load(std::memory_order_relaxed) > 0) return false;
  } while (!busy_.compare_exchange_weak(busy, busy + 1, std::memory_order_relaxed));
  task(Clock::duration::zero());
  busy_.fetch_sub(1, std::memory_order_relaxed);
  return true;
}

WorkerPool::Clock::duration WorkerPool::EstimatedWait() const {
  const size_t ahead = queued() + static_cast<size_t>(busy());
  const size_t workers = std::max<size_t>(1, threads_.size());
  return recent_task_time() * static_cast<int64_t>((ahead + workers - 1) / workers);
}

void WorkerPool::RunCall(Call call) {
  busy_.fetch_add(1, std::memory_order_relaxed);
  const Clock::time_point start = Clock::now();
  call.task(start - call.enqueued);
  const int64_t ran = (Clock::now() - start).count();
  // EWMA with weight 1/8; a lost update between workers only delays the average.
  const int64_t old = recent_task_ticks_.load(std::memory_order_relaxed);
  recent_task_ticks_.store(old == 0 ? ran : old + (ran - old) / 8, std::memory_order_relaxed);
  busy_.fetch_sub(1, std::memory_order_relaxed);
}

void WorkerPool::WorkerLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (!calls_.empty()) {
      Call call = std::move(calls_.front());
      calls_.pop_front();
      queued_.store(calls_.size(), std::memory_order_relaxed);
      lock.unlock();
      RunCall(std::move(call));
      lock.lock();
      continue;
    }
    if (!help_.empty()) {
      std::shared_ptr<Job> job = std::move(help_.front());
      help_.pop_front();
      lock.unlock();
      job->Work([this] { return queued_.load(std::memory_order_relaxed) > 0; });
      job.reset();
      lock.lock();
      continue;
    }
    if (stopping_) return;
    ++idle_;
    wake_.wait(lock);
    --idle_;
  }
}

void WorkerPool::ParallelFor(size_t n, const std::function<void(size_t)>& fn) {
  if (n == 0) return;
  if (n == 1 || threads_.empty()) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  auto job = std::make_shared<Job>(n, &fn);
  size_t offered = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Every worker may help (one that is busy now may be free before the items run out);
    // entries nobody took are dropped below. None while calls wait: they come first.
    offered = calls_.empty() ? std::min<size_t>(n - 1, threads_.size()) : 0;
    for (size_t i = 0; i < offered; ++i) help_.push_back(job);
  }
  if (offered > 0) wake_.notify_all();
  job->Work([] { return false; });
  {
    std::unique_lock<std::mutex> lock(job->mu);
    job->finished.wait(lock, [&] { return job->done.load(std::memory_order_acquire) == n; });
  }
  if (offered > 0) {
    // Entries no worker picked up refer to a finished section: drop them.
    std::lock_guard<std::mutex> lock(mu_);
    help_.erase(std::remove(help_.begin(), help_.end(), job), help_.end());
  }
}

}  // namespace sqlmill

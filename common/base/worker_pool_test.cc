// Tests for WorkerPool: queueing, shedding at capacity, wait times, ParallelFor coverage and
// nesting, and the destructor running what is still queued.
#include "common/base/worker_pool.h"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sqlmill {
namespace {

using namespace std::chrono_literals;

// Blocks workers until released.
class Gate {
 public:
  void Wait() { released_.wait(); }
  void Release() { promise_.set_value(); }

 private:
  std::promise<void> promise_;
  std::shared_future<void> released_ = promise_.get_future().share();
};

TEST(WorkerPool, RunsEveryCallOnALongLivedWorker) {
  WorkerPool pool({.workers = 2, .max_queued = 100});
  EXPECT_EQ(pool.workers(), 2);
  std::atomic<int> ran{0};
  std::mutex mu;
  std::set<std::thread::id> threads;
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(pool.TrySubmit([&](WorkerPool::Clock::duration) {
      std::lock_guard<std::mutex> lock(mu);
      threads.insert(std::this_thread::get_id());
      ++ran;
    }));
  }
  while (ran.load() < 50) std::this_thread::sleep_for(1ms);
  EXPECT_LE(threads.size(), 2u);  // no thread per call
  EXPECT_EQ(threads.count(std::this_thread::get_id()), 0u);
}

TEST(WorkerPool, RunsInlineOnlyWhenAWorkerIsFreeAndNothingWaits) {
  WorkerPool pool({.workers = 1, .max_queued = 3});
  std::thread::id ran_on;
  EXPECT_TRUE(pool.TryRunInline([&](WorkerPool::Clock::duration waited) {
    ran_on = std::this_thread::get_id();
    EXPECT_EQ(waited.count(), 0);
    EXPECT_EQ(pool.busy(), 1) << "an inline call counts as a busy worker";
  }));
  EXPECT_EQ(ran_on, std::this_thread::get_id());
  EXPECT_EQ(pool.busy(), 0);

  Gate gate;
  std::atomic<bool> started{false};
  ASSERT_TRUE(pool.TrySubmit([&](WorkerPool::Clock::duration) {
    started = true;
    gate.Wait();
  }));
  while (!started.load()) std::this_thread::sleep_for(1ms);
  bool ran = false;
  EXPECT_FALSE(pool.TryRunInline([&](WorkerPool::Clock::duration) { ran = true; }))
      << "the only worker is busy";
  ASSERT_TRUE(pool.TrySubmit([](WorkerPool::Clock::duration) {}));
  gate.Release();
  EXPECT_FALSE(ran);
}

TEST(WorkerPool, ShedsOnlyWhenTheQueueIsFullAndRecovers) {
  WorkerPool pool({.workers = 1, .max_queued = 3});
  Gate gate;
  std::atomic<int> ran{0};
  std::atomic<bool> started{false};
  ASSERT_TRUE(pool.TrySubmit([&](WorkerPool::Clock::duration) {
    started = true;
    gate.Wait();
    ++ran;
  }));
  while (!started.load()) std::this_thread::sleep_for(1ms);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(pool.TrySubmit([&](WorkerPool::Clock::duration) { ++ran; })) << i;
  }
  EXPECT_EQ(pool.queued(), 3u);
  EXPECT_EQ(pool.busy(), 1);
  bool shed_ran = false;
  EXPECT_FALSE(pool.TrySubmit([&](WorkerPool::Clock::duration) { shed_ran = true; }));
  gate.Release();
  while (ran.load() < 4) std::this_thread::sleep_for(1ms);
  EXPECT_FALSE(shed_ran);
  EXPECT_TRUE(pool.TrySubmit([&](WorkerPool::Clock::duration) { ++ran; }));
  while (ran.load() < 5) std::this_thread::sleep_for(1ms);
}

TEST(WorkerPool, TellsACallHowLongItWaited) {
  WorkerPool pool({.workers = 1, .max_queued = 10});
  Gate gate;
  std::promise<WorkerPool::Clock::duration> waited;
  ASSERT_TRUE(pool.TrySubmit([&](WorkerPool::Clock::duration) { gate.Wait(); }));
  ASSERT_TRUE(pool.TrySubmit([&](WorkerPool::Clock::duration w) { waited.set_value(w); }));
  std::this_thread::sleep_for(30ms);
  gate.Release();
  EXPECT_GE(waited.get_future().get(), 25ms);
}

TEST(WorkerPool, ParallelForRunsEachIndexOnceFromInsideAndOutsideThePool) {
  WorkerPool pool({.workers = 3, .max_queued = 10});
  for (size_t n : {0u, 1u, 2u, 7u, 1000u}) {
    std::vector<std::atomic<int>> hits(n);
    pool.ParallelFor(n, [&](size_t i) { ++hits[i]; });
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(hits[i].load(), 1) << n << " " << i;
  }
  // From a call on a worker, nested one level.
  std::promise<int> total;
  ASSERT_TRUE(pool.TrySubmit([&](WorkerPool::Clock::duration) {
    std::atomic<int> sum{0};
    pool.ParallelFor(20, [&](size_t) {
      pool.ParallelFor(5, [&](size_t) { ++sum; });
    });
    total.set_value(sum.load());
  }));
  EXPECT_EQ(total.get_future().get(), 100);
}

TEST(WorkerPool, ParallelForUsesIdleWorkers) {
  WorkerPool pool({.workers = 2, .max_queued = 10});
  std::mutex mu;
  std::set<std::thread::id> threads;
  // Items long enough that an idle worker wakes up and joins before they run out.
  pool.ParallelFor(40, [&](size_t) {
    std::this_thread::sleep_for(2ms);
    std::lock_guard<std::mutex> lock(mu);
    threads.insert(std::this_thread::get_id());
  });
  EXPECT_GE(threads.size(), 2u);
}

// A big parallel section (a compile's nodes) must not starve calls that arrive meanwhile:
// a helping worker leaves after its current item when a call is queued.
TEST(WorkerPool, AQueuedCallIsNotStarvedByAParallelSection) {
  WorkerPool pool({.workers = 2, .max_queued = 10});
  std::atomic<bool> section_running{false};
  std::atomic<bool> call_ran_during_section{false};
  std::thread section([&] {
    pool.ParallelFor(300, [&](size_t) {
      section_running = true;
      std::this_thread::sleep_for(2ms);
    });
    section_running = false;
  });
  while (!section_running.load()) std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(20ms);  // both workers are helping by now
  std::promise<void> ran;
  ASSERT_TRUE(pool.TrySubmit([&](WorkerPool::Clock::duration) {
    call_ran_during_section = section_running.load();
    ran.set_value();
  }));
  ran.get_future().wait();
  section.join();
  EXPECT_TRUE(call_ran_during_section.load())
      << "the call waited for the whole parallel section";
}

TEST(WorkerPool, DestructorRunsWhatIsStillQueued) {
  std::atomic<int> ran{0};
  {
    WorkerPool pool({.workers = 1, .max_queued = 100});
    for (int i = 0; i < 20; ++i) {
      ASSERT_TRUE(pool.TrySubmit([&](WorkerPool::Clock::duration) {
        std::this_thread::sleep_for(1ms);
        ++ran;
      }));
    }
  }
  EXPECT_EQ(ran.load(), 20);
}

// A process signal such as SIGTERM must go to the thread that waits for it (the server's
// main thread), never to a worker, where its default action would kill the process.
TEST(WorkerPool, WorkersBlockProcessSignals) {
  WorkerPool pool({.workers = 2, .max_queued = 10});
  for (int i = 0; i < 2; ++i) {
    std::promise<bool> blocked;
    ASSERT_TRUE(pool.TrySubmit([&](WorkerPool::Clock::duration) {
      sigset_t mask;
      pthread_sigmask(SIG_SETMASK, nullptr, &mask);
      blocked.set_value(sigismember(&mask, SIGTERM) == 1 && sigismember(&mask, SIGINT) == 1);
    }));
    EXPECT_TRUE(blocked.get_future().get());
  }
  sigset_t mine;
  pthread_sigmask(SIG_SETMASK, nullptr, &mine);
  EXPECT_EQ(sigismember(&mine, SIGTERM), 0) << "the creating thread's mask is restored";
}

TEST(UsableCores, ACpuQuotaCapsTheCores) {
  EXPECT_EQ(CoresFromCpuQuota("200000", "100000"), 2);
  EXPECT_EQ(CoresFromCpuQuota("150000", "100000"), 2);  // 1.5 CPUs: two workers
  EXPECT_EQ(CoresFromCpuQuota("50000", "100000\n"), 1);
  EXPECT_EQ(CoresFromCpuQuota("max", "100000"), 0);     // cgroup v2: no limit
  EXPECT_EQ(CoresFromCpuQuota("-1", "100000"), 0);      // cgroup v1: no limit
  EXPECT_EQ(CoresFromCpuQuota("", ""), 0);
  EXPECT_GE(UsableCores(), 1);
}

TEST(ThreadRunner, RunsEachIndexOnceOnAtMostThatManyThreads) {
  for (int threads : {1, 3}) {
    std::vector<std::atomic<int>> seen(50);
    std::mutex mu;
    std::set<std::thread::id> ids;
    RunParallel(ThreadRunner(threads), seen.size(), [&](size_t i) {
      ++seen[i];
      std::this_thread::sleep_for(1ms);
      std::lock_guard<std::mutex> lock(mu);
      ids.insert(std::this_thread::get_id());
    });
    for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i].load(), 1) << i;
    EXPECT_LE(ids.size(), static_cast<size_t>(threads));
    if (threads == 1) EXPECT_EQ(*ids.begin(), std::this_thread::get_id());
  }
}

TEST(RunParallel, RunsSequentiallyWithoutARunner) {
  std::vector<int> order;
  RunParallel(nullptr, 4, [&](size_t i) { order.push_back(static_cast<int>(i)); });
  EXPECT_THAT(order, testing::ElementsAre(0, 1, 2, 3));
  EXPECT_GE(UsableCores(), 1);
}

}  // namespace
}  // namespace sqlmill

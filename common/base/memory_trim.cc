// One detached trimmer thread: waits for a request, trims, and trims again 1, 2, 4 and 8 s
// later (what the finished call freed meanwhile).
#include "common/base/memory_trim.h"

#include <malloc.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace sqlmill {
namespace {

struct Trimmer {
  std::mutex mu;
  std::condition_variable wake;
  bool requested = false;  // guarded by mu
  bool started = false;    // guarded by mu
  std::atomic<uint64_t> done{0};

  void Loop() {
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mu);
        wake.wait(lock, [this] { return requested; });
        requested = false;
      }
      malloc_trim(0);
      done.fetch_add(1, std::memory_order_relaxed);
      // A call asks for the trim when its work is done, but gRPC frees its request and
      // answer only once the answer is sent, which takes seconds for a big one: trim again
      // 1, 2, 4 and 8 s later (not counted in MemoryTrimsDone). At least a second passes
      // between trims; a new request waits for the end of the current rest.
      for (const int seconds : {1, 1, 2, 4}) {
        std::this_thread::sleep_for(std::chrono::seconds(seconds));
        {
          std::lock_guard<std::mutex> lock(mu);
          if (requested) break;
        }
        malloc_trim(0);
      }
    }
  }
};

Trimmer& TheTrimmer() {
  static Trimmer* trimmer = new Trimmer();  // never destroyed: its thread runs to exit
  return *trimmer;
}

}  // namespace

void RequestMemoryTrim() {
  Trimmer& t = TheTrimmer();
  std::lock_guard<std::mutex> lock(t.mu);
  t.requested = true;
  if (!t.started) {
    t.started = true;
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    std::thread([&t] { t.Loop(); }).detach();
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  }
  t.wake.notify_one();
}

uint64_t MemoryTrimsDone() { return TheTrimmer().done.load(std::memory_order_relaxed); }

}  // namespace sqlmill

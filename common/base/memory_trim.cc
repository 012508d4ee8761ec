// One detached trimmer thread: waits for a request, trims, rests a second and trims again
// (what the finished call freed meanwhile).
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
      std::this_thread::sleep_for(std::chrono::seconds(1));
      // Once more after the rest: a call asks for the trim when its work is done, but its
      // request and answer are freed only after gRPC has sent the answer. (Not counted in
      // MemoryTrimsDone, which counts requests served.)
      malloc_trim(0);
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

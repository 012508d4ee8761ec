// Bytes allocated through operator new on the calling thread, for per-call memory budgets.
//
// allocation_counter.cc replaces the global operator new and delete (the replaceable
// allocation functions of the standard) with versions that call malloc/free and add or
// subtract malloc_usable_size() from a thread-local counter. A call that runs on one thread
// measures what it holds as the counter's growth since it started:
//
//   const int64_t start = ThreadAllocatedBytes();
//   ... work ...
//   if (ThreadAllocatedBytes() - start > budget) { stop }
//
// Memory freed on another thread than the one that allocated it lowers that other thread's
// counter, so only differences on one thread over one piece of work mean anything. Memory
// from malloc() directly (gRPC core's buffers) is not counted. Thread-safety: lock-free; the
// counter is the calling thread's own.
#ifndef SQLMILL_COMMON_BASE_ALLOCATION_COUNTER_H_
#define SQLMILL_COMMON_BASE_ALLOCATION_COUNTER_H_

#include <cstdint>

namespace sqlmill {

// Net bytes allocated (allocated minus freed) through operator new on this thread so far.
int64_t ThreadAllocatedBytes();
// The highest ThreadAllocatedBytes() has been since the last reset (or the thread's start).
int64_t ThreadPeakAllocatedBytes();
void ResetThreadPeakAllocatedBytes();

}  // namespace sqlmill

#endif  // SQLMILL_COMMON_BASE_ALLOCATION_COUNTER_H_

// RequestMemoryTrim: asks for glibc's free memory to be returned to the OS (malloc_trim)
// soon, off the caller's thread and at most once a second.
//
// A server calls it after a big call: without it glibc keeps the freed memory in its
// arenas and the process stays at the RSS of its largest call. Trimming walks every arena,
// so it is done by one background thread (started on the first request, with every signal
// blocked), at most once per second; a request made while it waits is served by the next
// trim, so the last big call of a burst is always followed by one within about a second.
// Each served request trims again 1, 2, 4 and 8 s later: the call that asked has usually
// not freed its request and answer yet (gRPC frees them after sending).
//
// Thread-safe.
#ifndef SQLMILL_COMMON_BASE_MEMORY_TRIM_H_
#define SQLMILL_COMMON_BASE_MEMORY_TRIM_H_

#include <cstdint>

namespace sqlmill {

void RequestMemoryTrim();

// How many requests have been served by a trim (for tests).
uint64_t MemoryTrimsDone();

}  // namespace sqlmill

#endif  // SQLMILL_COMMON_BASE_MEMORY_TRIM_H_

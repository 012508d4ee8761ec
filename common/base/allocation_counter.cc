// The replaceable global allocation functions, counting usable bytes per thread.
//
// Every form of operator new/delete is replaced so that each pointer is freed by the same
// allocator that made it (malloc/free; aligned_alloc for over-aligned types). Usable sizes
// are counted on both sides, so sized and unsized deletes agree.
#include "common/base/allocation_counter.h"

#include <malloc.h>

#include <cstdlib>
#include <new>

namespace sqlmill {
namespace {

// Trivially initialised, so it is usable from the first allocation of any thread.
thread_local int64_t allocated_bytes = 0;
thread_local int64_t peak_bytes = 0;

inline void Add(void* p) {
  allocated_bytes += static_cast<int64_t>(malloc_usable_size(p));
  if (allocated_bytes > peak_bytes) peak_bytes = allocated_bytes;
}

inline void* Allocate(std::size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p != nullptr) Add(p);
  return p;
}

inline void* AllocateAligned(std::size_t size, std::size_t alignment) {
  if (alignment < sizeof(void*)) alignment = sizeof(void*);
  void* p = nullptr;
  if (posix_memalign(&p, alignment, size == 0 ? 1 : size) != 0) return nullptr;
  Add(p);
  return p;
}

inline void Free(void* p) {
  if (p == nullptr) return;
  allocated_bytes -= static_cast<int64_t>(malloc_usable_size(p));
  std::free(p);
}

[[noreturn]] void OutOfMemory() { throw std::bad_alloc(); }

// operator new must call the installed new_handler until it succeeds or there is none.
void* AllocateOrThrow(std::size_t size) {
  for (;;) {
    if (void* p = Allocate(size)) return p;
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) OutOfMemory();
    handler();
  }
}

void* AllocateAlignedOrThrow(std::size_t size, std::size_t alignment) {
  for (;;) {
    if (void* p = AllocateAligned(size, alignment)) return p;
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) OutOfMemory();
    handler();
  }
}

}  // namespace

int64_t ThreadAllocatedBytes() { return allocated_bytes; }
int64_t ThreadPeakAllocatedBytes() { return peak_bytes; }
void ResetThreadPeakAllocatedBytes() { peak_bytes = allocated_bytes; }

}  // namespace sqlmill

using sqlmill::AllocateAlignedOrThrow;
using sqlmill::AllocateOrThrow;
using sqlmill::Free;

void* operator new(std::size_t size) { return AllocateOrThrow(size); }
void* operator new[](std::size_t size) { return AllocateOrThrow(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return AllocateOrThrow(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return AllocateOrThrow(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new(std::size_t size, std::align_val_t alignment) {
  return AllocateAlignedOrThrow(size, static_cast<std::size_t>(alignment));
}
void* operator new[](std::size_t size, std::align_val_t alignment) {
  return AllocateAlignedOrThrow(size, static_cast<std::size_t>(alignment));
}
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  try {
    return AllocateAlignedOrThrow(size, static_cast<std::size_t>(alignment));
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  try {
    return AllocateAlignedOrThrow(size, static_cast<std::size_t>(alignment));
  } catch (...) {
    return nullptr;
  }
}

void operator delete(void* p) noexcept { Free(p); }
void operator delete[](void* p) noexcept { Free(p); }
void operator delete(void* p, std::size_t) noexcept { Free(p); }
void operator delete[](void* p, std::size_t) noexcept { Free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { Free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { Free(p); }
void operator delete(void* p, std::align_val_t) noexcept { Free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { Free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { Free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { Free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { Free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { Free(p); }

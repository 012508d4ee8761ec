// LineIndex: one pass over the text records line starts; lookups binary-search them.
#include "common/base/source_span.h"

#include <algorithm>
#include <cstring>

namespace sqlmill {

SourceSpan SourceSpan::Cover(const SourceSpan& a, const SourceSpan& b) {
  const uint32_t start = std::min(a.offset, b.offset);
  const uint32_t end = std::max(a.end(), b.end());
  return SourceSpan{start, end - start};
}

LineIndex::LineIndex(std::string_view text) : text_(text) {
  line_starts_.push_back(0);
  const char* data = text.data();
  const size_t size = text.size();
  size_t pos = 0;
  while (pos < size) {
    const void* nl = std::memchr(data + pos, '\n', size - pos);
    if (nl == nullptr) break;
    pos = static_cast<size_t>(static_cast<const char*>(nl) - data) + 1;
    line_starts_.push_back(static_cast<uint32_t>(pos));
  }
  const auto is_continuation = [&](size_t i) {
    return (static_cast<unsigned char>(data[i]) & 0xC0) == 0x80;
  };
  // The block counts serve only lookups far into a long line (LocationOf): skip them when
  // no line is that long, or when the text has no multi-byte characters.
  size_t longest = size - line_starts_.back();
  for (size_t l = 1; l < line_starts_.size(); ++l) {
    longest = std::max<size_t>(longest, line_starts_[l] - line_starts_[l - 1]);
  }
  if (longest <= 2 * kBlock) return;
  size_t first_continuation = 0;
  while (first_continuation < size && !is_continuation(first_continuation)) ++first_continuation;
  if (first_continuation == size) return;  // all ASCII (or no multi-byte sequences)
  continuations_before_block_.reserve(size / kBlock + 1);
  uint32_t count = 0;
  for (size_t block = 0; block * kBlock < size; ++block) {
    continuations_before_block_.push_back(count);
    const size_t end = std::min(size, (block + 1) * kBlock);
    size_t i = block * kBlock;
    // Eight bytes at a time: a continuation byte has bit 7 set and bit 6 clear.
    constexpr uint64_t kHigh = 0x8080808080808080ull;
    for (; i + 8 <= end; i += 8) {
      uint64_t word;
      std::memcpy(&word, data + i, 8);
      // One bit per continuation byte, moved to the byte's low bit and summed by a multiply
      // (no popcount instruction in the baseline x86-64 target).
      const uint64_t ones = (word & kHigh & ~(word << 1)) >> 7;
      count += static_cast<uint32_t>((ones * 0x0101010101010101ull) >> 56);
    }
    for (; i < end; ++i) count += is_continuation(i) ? 1 : 0;
  }
}

uint32_t LineIndex::ContinuationsBefore(uint32_t offset) const {
  if (continuations_before_block_.empty()) return 0;
  // (offset == size on a block boundary is past the last block: count from the last one.)
  const size_t block = std::min<size_t>(offset / kBlock, continuations_before_block_.size() - 1);
  uint32_t count = continuations_before_block_[block];
  for (size_t i = block * kBlock; i < offset; ++i) {
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) == 0x80) ++count;
  }
  return count;
}

Location LineIndex::LocationOf(uint32_t offset) const {
  if (offset > text_.size()) offset = static_cast<uint32_t>(text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const size_t line = static_cast<size_t>(it - line_starts_.begin());  // 1-based
  const uint32_t start = line_starts_[line - 1];
  // Code points from the line start: bytes minus UTF-8 continuation bytes. Near the line
  // start (most lookups) count them directly; far into a long line use the block counts,
  // so a lookup never scans more than about two blocks.
  uint32_t continuations = 0;
  if (offset - start > 2 * kBlock) {
    continuations = ContinuationsBefore(offset) - ContinuationsBefore(start);
  } else {
    for (uint32_t i = start; i < offset; ++i) {
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) == 0x80) ++continuations;
    }
  }
  const uint32_t code_points = (offset - start) - continuations;
  return Location{static_cast<int>(line), static_cast<int>(code_points) + 1};
}

std::string_view LineIndex::LineText(int line) const {
  if (line < 1 || line > line_count()) return {};
  const uint32_t start = line_starts_[line - 1];
  uint32_t end = line < line_count() ? line_starts_[line] : static_cast<uint32_t>(text_.size());
  if (end > start && text_[end - 1] == '\n') --end;
  if (end > start && text_[end - 1] == '\r') --end;
  return text_.substr(start, end - start);
}

}  // namespace sqlmill

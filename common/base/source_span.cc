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
}

Location LineIndex::LocationOf(uint32_t offset) const {
  if (offset > text_.size()) offset = static_cast<uint32_t>(text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const size_t line = static_cast<size_t>(it - line_starts_.begin());  // 1-based
  const uint32_t start = line_starts_[line - 1];
  int column = 1;
  for (uint32_t i = start; i < offset; ++i) {
    // Count code points: skip UTF-8 continuation bytes.
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
  }
  return Location{static_cast<int>(line), column};
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

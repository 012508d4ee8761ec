// Byte-offset spans into a source text, and the index that turns offsets into 1-based
// line:column positions.
//
// Engines carry byte offsets internally and convert to line:column once, at the boundary
// (STYLE.md). Columns count Unicode code points (UTF-8 decoded), so a column matches what an
// editor shows; a tab counts as one column. Lines end at '\n'; a '\r' before it belongs to
// the line ending, so CRLF and LF inputs give the same line numbers.
//
// LineIndex is immutable after construction and safe to share between threads. It does not
// own the text: the text must outlive it.
//
//   LineIndex index(text);
//   Location loc = index.LocationOf(span.offset);   // {line, column}, both 1-based
//   std::string_view line = index.LineText(loc.line);
#ifndef SQLMILL_COMMON_BASE_SOURCE_SPAN_H_
#define SQLMILL_COMMON_BASE_SOURCE_SPAN_H_

#include <cstdint>
#include <string_view>
#include <vector>

namespace sqlmill {

// A half-open byte range [offset, offset + length) in one source text.
struct SourceSpan {
  uint32_t offset = 0;
  uint32_t length = 0;

  uint32_t end() const { return offset + length; }
  bool Contains(const SourceSpan& other) const {
    return other.offset >= offset && other.end() <= end();
  }
  // Returns the smallest span covering both.
  static SourceSpan Cover(const SourceSpan& a, const SourceSpan& b);
  bool operator==(const SourceSpan&) const = default;
};

// A 1-based line and column (column in code points).
struct Location {
  int line = 0;
  int column = 0;
  bool operator==(const Location&) const = default;
};

class LineIndex {
 public:
  explicit LineIndex(std::string_view text);

  // Returns the 1-based line:column of a byte offset. Offsets past the end map to the end.
  Location LocationOf(uint32_t offset) const;
  // Returns the text of a 1-based line without its line ending ('\n' or "\r\n").
  std::string_view LineText(int line) const;
  int line_count() const { return static_cast<int>(line_starts_.size()); }
  std::string_view text() const { return text_; }

 private:
  static constexpr uint32_t kBlock = 1024;
  // UTF-8 continuation bytes in text_[0, offset): the column of an offset is its distance
  // from the line start minus these, so a lookup costs at most one block's scan even on a
  // line of megabytes (a scan from the line start made long one-line scripts quadratic).
  uint32_t ContinuationsBefore(uint32_t offset) const;

  std::string_view text_;
  std::vector<uint32_t> line_starts_;  // byte offset of each line's first byte
  // continuations_before_block_[k]: continuation bytes before offset k * kBlock; empty when
  // the text is all ASCII or has no line longer than 2 * kBlock.
  std::vector<uint32_t> continuations_before_block_;
};

}  // namespace sqlmill

#endif  // SQLMILL_COMMON_BASE_SOURCE_SPAN_H_

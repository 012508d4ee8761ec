// UTF-8 validation. Well-formed means RFC 3629: no overlong forms, no surrogates
// (U+D800..U+DFFF), nothing past U+10FFFF, no truncated sequences. Stateless; thread-safe.
//
//   if (size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) { ... byte `bad` ... }
#ifndef SQLMILL_COMMON_BASE_UTF8_H_
#define SQLMILL_COMMON_BASE_UTF8_H_

#include <cstddef>
#include <string_view>

namespace sqlmill {

// Returns the byte offset of the first invalid UTF-8 sequence, or npos when `text` is valid.
size_t FindInvalidUtf8(std::string_view text);

}  // namespace sqlmill

#endif  // SQLMILL_COMMON_BASE_UTF8_H_

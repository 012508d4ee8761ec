// BOM sniffing, UTF-8 validation and UTF-16 → UTF-8 transcoding.
#include "services/sql_parser/engine/decode.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "common/base/strings.h"

namespace sqlmill::tsql {

namespace {

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

absl::StatusOr<std::string> FromUtf16(std::string_view bytes, bool big_endian,
                                      std::string_view file) {
  if (bytes.size() % 2 != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        AsAbsl(file), ": UTF-16 text has an odd number of bytes (", bytes.size(), ")"));
  }
  std::string out;
  out.reserve(bytes.size() / 2 + bytes.size() / 8);
  auto unit = [&](size_t i) -> uint32_t {
    const auto b0 = static_cast<unsigned char>(bytes[i]);
    const auto b1 = static_cast<unsigned char>(bytes[i + 1]);
    return big_endian ? (b0 << 8 | b1) : (b1 << 8 | b0);
  };
  for (size_t i = 0; i < bytes.size(); i += 2) {
    uint32_t u = unit(i);
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (i + 2 >= bytes.size() || unit(i + 2) < 0xDC00 || unit(i + 2) > 0xDFFF) {
        return absl::InvalidArgumentError(absl::StrCat(
            AsAbsl(file), ": unpaired UTF-16 surrogate at byte ", i + 2));  // +2: the BOM
      }
      u = 0x10000 + ((u - 0xD800) << 10) + (unit(i + 2) - 0xDC00);
      i += 2;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      return absl::InvalidArgumentError(
          absl::StrCat(AsAbsl(file), ": unpaired UTF-16 surrogate at byte ", i + 2));
    }
    AppendUtf8(u, &out);
  }
  return out;
}

}  // namespace

size_t FindInvalidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    // Fast path over ASCII, eight bytes at a time.
    while (i + 8 <= n) {
      uint64_t word;
      __builtin_memcpy(&word, s + i, 8);
      if (word & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF.
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

absl::StatusOr<DecodedText> DecodeScript(std::string_view bytes, std::string_view file) {
  DecodedText out;
  if (bytes.size() >= 2 && bytes[0] == '\xFF' && bytes[1] == '\xFE') {
    out.encoding = TextEncoding::kUtf16Le;
    absl::StatusOr<std::string> text = FromUtf16(bytes.substr(2), /*big_endian=*/false, file);
    if (!text.ok()) return text.status();
    out.text = std::move(*text);
    return out;
  }
  if (bytes.size() >= 2 && bytes[0] == '\xFE' && bytes[1] == '\xFF') {
    out.encoding = TextEncoding::kUtf16Be;
    absl::StatusOr<std::string> text = FromUtf16(bytes.substr(2), /*big_endian=*/true, file);
    if (!text.ok()) return text.status();
    out.text = std::move(*text);
    return out;
  }
  size_t start = 0;
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    out.encoding = TextEncoding::kUtf8Bom;
    start = 3;
  }
  const std::string_view body = bytes.substr(start);
  const size_t bad = FindInvalidUtf8(body);
  if (bad != std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        AsAbsl(file), ": not valid UTF-8 at byte ", bad + start,
        " (expected UTF-8 with or without BOM, or UTF-16 with BOM)"));
  }
  out.text.assign(body);
  return out;
}

}  // namespace sqlmill::tsql

// BOM sniffing, UTF-8 validation (common/base/utf8.h) and UTF-16 → UTF-8 transcoding.
#include "services/sql_parser/engine/decode.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "common/base/strings.h"
#include "common/base/utf8.h"

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

// Decoding of script bytes to UTF-8: UTF-8 with or without BOM, UTF-16LE/BE with BOM.
//
// Offsets everywhere else in the engine are bytes of the decoded UTF-8 text (BOM removed),
// which is also what SourceSpan in common.proto promises. Stateless; thread-safe.
//
//   SQLMILL_ASSIGN_OR_RETURN(DecodedText decoded, DecodeScript(bytes, "orders.sql"));
//   // decoded.text is UTF-8 without BOM
#ifndef SQLMILL_SERVICES_SQL_PARSER_ENGINE_DECODE_H_
#define SQLMILL_SERVICES_SQL_PARSER_ENGINE_DECODE_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace sqlmill::tsql {

enum class TextEncoding { kUtf8, kUtf8Bom, kUtf16Le, kUtf16Be };

struct DecodedText {
  std::string text;
  TextEncoding encoding = TextEncoding::kUtf8;
};

// Returns the text as UTF-8 without BOM. Input without a BOM must be valid UTF-8;
// otherwise (or for UTF-16 with unpaired surrogates or an odd byte count) returns
// INVALID_ARGUMENT naming `file` and the byte offset of the first bad sequence.
absl::StatusOr<DecodedText> DecodeScript(std::string_view bytes, std::string_view file);

}  // namespace sqlmill::tsql

#endif  // SQLMILL_SERVICES_SQL_PARSER_ENGINE_DECODE_H_

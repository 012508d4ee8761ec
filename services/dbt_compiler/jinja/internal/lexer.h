// The Jinja lexer: turns template source into a flat token vector (data, tag delimiters and
// expression tokens), applying whitespace control (`-`, `+`, trim_blocks, lstrip_blocks),
// `raw` blocks and comments. Tokens carry byte spans into the source; string and data
// tokens carry their decoded text.
//
// Stateless function; thread-safe. Tokens point into the source text (string_view), which
// must outlive them.
#ifndef SQLMILL_SERVICES_DBT_COMPILER_JINJA_INTERNAL_LEXER_H_
#define SQLMILL_SERVICES_DBT_COMPILER_JINJA_INTERNAL_LEXER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/base/source_span.h"

namespace sqlmill::jinja::internal {

enum class TokenKind : uint8_t {
  kData,           // template text (value = text after whitespace control)
  kVariableBegin,  // {{
  kVariableEnd,    // }}
  kBlockBegin,     // {%
  kBlockEnd,       // %}
  kName,
  kString,  // value = decoded string
  kInt,
  kFloat,
  kOperator,  // text = the operator
  kEof,
};

struct Token {
  TokenKind kind;
  SourceSpan span;
  std::string_view text;  // the raw source text of the token
  std::string value;      // decoded data/string
  int64_t int_value = 0;
  double float_value = 0;
};

struct LexOptions {
  bool trim_blocks = false;
  bool lstrip_blocks = false;
};

// A syntax problem found by the lexer or parser, with its span in the source.
struct SyntaxError {
  std::string message;
  SourceSpan span;
};

// Tokenizes `source`. On failure fills `error` and returns false.
bool Lex(std::string_view source, const LexOptions& options, std::vector<Token>* tokens,
         SyntaxError* error);

// Human-readable description of a token for messages: "'}}'", "name 'foo'", "end of template".
std::string DescribeToken(const Token& token);

}  // namespace sqlmill::jinja::internal

#endif  // SQLMILL_SERVICES_DBT_COMPILER_JINJA_INTERNAL_LEXER_H_

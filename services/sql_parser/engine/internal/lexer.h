// The fast hand-written T-SQL lexer. It produces the token types of grammar/TSqlLexer.g4
// (gen::TSqlLexer::K_CREATE, ID, STRING, ...) as compact {type, offset, length} records over
// the batch text, skipping white space and comments.
//
// Why not the generated lexer: it converts the input to UTF-32, allocates one object per
// token and cannot switch QUOTED_IDENTIFIER per batch; this one is a single pass over the
// bytes with a keyword table built from the generated vocabulary, so the two cannot drift
// apart silently (lexer_test.cc compares them over the corpus).
//
// Thread-safety: Lex() is reentrant; the keyword table is built once, thread-safely.
#ifndef SQLMILL_SERVICES_SQL_PARSER_ENGINE_INTERNAL_LEXER_H_
#define SQLMILL_SERVICES_SQL_PARSER_ENGINE_INTERNAL_LEXER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "common/base/limits.h"
#include "common/base/source_span.h"

namespace sqlmill::tsql::internal {

// EOF as the ANTLR runtime spells it.
inline constexpr int kEofType = -1;

struct Token {
  int type = kEofType;
  uint32_t offset = 0;  // in the text given to Lex()
  uint32_t length = 0;
  uint32_t end() const { return offset + length; }
  SourceSpan span() const { return SourceSpan{offset, length}; }
};

struct LexError {
  SourceSpan span;
  std::string message;
};

struct LexOptions {
  bool quoted_identifier = true;  // "x" is an identifier (ON) or a string (OFF)
};

// Appends the tokens of text[begin, end) to *tokens (offsets relative to `text`) and any
// unterminated string/comment/identifier to *errors. Charges one work unit per token; a
// non-OK status comes only from the budget (limit or cancellation).
absl::Status Lex(std::string_view text, uint32_t begin, uint32_t end, const LexOptions& options,
                 WorkBudget* budget, std::vector<Token>* tokens, std::vector<LexError>* errors);

// Returns the keyword token type for a word (any letter case), or 0 when it is not one.
int KeywordType(std::string_view word);
// Returns the symbolic name of a token type ("K_CREATE", "ID", "EOF").
std::string_view TokenTypeName(int type);
// Returns a short description for messages: "keyword CREATE", "identifier", "','".
std::string DescribeTokenType(int type);

}  // namespace sqlmill::tsql::internal

#endif  // SQLMILL_SERVICES_SQL_PARSER_ENGINE_INTERNAL_LEXER_H_

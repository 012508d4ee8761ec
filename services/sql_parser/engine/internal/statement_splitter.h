// Splits the tokens of one GO batch into statements, with or without semicolons, and says
// what each one is.
//
// T-SQL statements need no terminator, so a statement ends where the next one starts: at a
// statement keyword (CREATE, INSERT, SET, EXEC, ...) at parenthesis depth 0 that cannot
// continue the current statement (`INSERT ... SELECT`, `UPDATE ... SET`, `ON DELETE SET
// NULL`, `UNION SELECT`, `GRANT SELECT, INSERT`, `ALTER TABLE t DROP ...`, `WITH (...)`
// options are continuations), at `;`, or at END/ELSE of an enclosing block. CREATE/ALTER of
// a procedure, function, trigger or view runs to the end of the batch, as SQL Server
// requires. Batch-level control flow (IF/ELSE/WHILE/BEGIN...END/TRY...CATCH) is flattened:
// its condition is listed as an "IF"/"WHILE" statement and the statements inside are split
// like any other, so `IF OBJECT_ID(...) IS NOT NULL DROP TABLE t` still drops the table.
//
// Thread-safety: stateless functions.
#ifndef SQLMILL_SERVICES_SQL_PARSER_ENGINE_INTERNAL_STATEMENT_SPLITTER_H_
#define SQLMILL_SERVICES_SQL_PARSER_ENGINE_INTERNAL_STATEMENT_SPLITTER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "services/sql_parser/engine/internal/lexer.h"

namespace sqlmill::tsql::internal {

enum class StatementAction {
  kParse,           // DDL for the grammar: tokens [begin, header_end)
  kUse,             // USE db
  kCreateDatabase,  // CREATE DATABASE name
  kSetOption,       // SET ... (QUOTED_IDENTIFIER changes the next batches)
  kSkip,            // recognised, listed, not part of the catalog
  kError,           // not a statement we recognise: one diagnostic
};

struct SplitStatement {
  uint32_t begin = 0;       // token indices [begin, end)
  uint32_t end = 0;
  uint32_t header_end = 0;  // for kParse: the grammar sees [begin, header_end)
  bool has_body = false;    // view/routine/trigger: the body is [header_end, end)
  bool guarded = false;     // inside batch-level IF/ELSE/WHILE
  bool not_first_in_batch = false;  // CREATE VIEW/PROC/... after other statements
  StatementAction action = StatementAction::kSkip;
  std::string kind;         // "CREATE TABLE", "INSERT", "IF", ...
  std::string error;        // for kError: what was found and what was expected
};

// Splits tokens (of `text`) into statements. Returns RESOURCE_EXHAUSTED when parentheses
// nest deeper than max_depth (0 = no limit).
absl::Status SplitStatements(std::string_view text, const std::vector<Token>& tokens,
                             int max_depth, std::vector<SplitStatement>* out);

// Returns the token's text with brackets/quotes removed and doubled closers unescaped.
std::string IdentifierText(std::string_view text, const Token& token);
// Returns true for ID, BRACKET_ID and QUOTED_ID tokens.
bool IsIdentifierToken(int type);

}  // namespace sqlmill::tsql::internal

#endif  // SQLMILL_SERVICES_SQL_PARSER_ENGINE_INTERNAL_STATEMENT_SPLITTER_H_

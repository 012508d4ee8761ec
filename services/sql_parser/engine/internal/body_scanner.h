// A token-level scan of a view, routine or trigger body for the objects it references:
// names after FROM, JOIN, APPLY, INTO, UPDATE, DELETE, MERGE, USING, EXEC, TRUNCATE TABLE
// and NEXT VALUE FOR. Common table expressions, cursors, table aliases, variables, #temp
// tables and built-in rowset functions (OPENJSON, STRING_SPLIT, ...) are left out. It is a
// scan, not a parse: good enough to draw dependencies, and never an error.
//
// Thread-safety: stateless.
#ifndef SQLMILL_SERVICES_SQL_PARSER_ENGINE_INTERNAL_BODY_SCANNER_H_
#define SQLMILL_SERVICES_SQL_PARSER_ENGINE_INTERNAL_BODY_SCANNER_H_

#include <string_view>
#include <vector>

#include "services/sql_parser/engine/catalog.h"
#include "services/sql_parser/engine/internal/lexer.h"

namespace sqlmill::tsql::internal {

struct BodyReference {
  ObjectName name;
  uint32_t first_token = 0;  // the name's tokens [first_token, last_token]
  uint32_t last_token = 0;
};

// Returns the distinct references (first mention of each, in order) in tokens[begin, end).
std::vector<BodyReference> ScanReferences(std::string_view text, const std::vector<Token>& tokens,
                                          uint32_t begin, uint32_t end);

}  // namespace sqlmill::tsql::internal

#endif  // SQLMILL_SERVICES_SQL_PARSER_ENGINE_INTERNAL_BODY_SCANNER_H_

// A stable, readable text dump of a ParseOutput: the catalog, the statement list and the
// diagnostics with their excerpts. Golden tests compare it; `sqlmill parse --summary`
// prints a shorter form. The dump shows spans as line:column ranges (never offsets of
// pointers or hash order), so it is deterministic and reviewable in a diff.
//
// Thread-safety: stateless functions.
#ifndef SQLMILL_SERVICES_SQL_PARSER_ENGINE_CATALOG_DUMP_H_
#define SQLMILL_SERVICES_SQL_PARSER_ENGINE_CATALOG_DUMP_H_

#include <string>

#include "services/sql_parser/engine/parser.h"

namespace sqlmill::tsql {

// Returns the full dump (catalog, statements, diagnostics).
std::string DumpParseOutput(const ParseOutput& output);
// Returns only the catalog part.
std::string DumpCatalog(const Catalog& catalog);
// Returns "3 tables, 12 columns, 2 primary keys, ..." (kinds with a zero count left out).
std::string SummarizeCounts(const CatalogCounts& counts);

}  // namespace sqlmill::tsql

#endif  // SQLMILL_SERVICES_SQL_PARSER_ENGINE_CATALOG_DUMP_H_

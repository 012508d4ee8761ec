// The sql_parser engine's public API: SQL Server (T-SQL) scripts into a schema catalog.
//
// A script is decoded (UTF-8 ± BOM, UTF-16 with BOM), run through the sqlcmd pre-pass (GO
// batches, :setvar, $(var)), lexed per batch, split into statements and each DDL statement
// parsed by the ANTLR grammar and applied to the catalog in order (the catalog is the
// script's final state). Other statements are listed and skipped. A statement that does not
// parse yields one error Diagnostic and parsing resumes at the next statement.
//
// A non-OK status is for request-level failure only: RESOURCE_EXHAUSTED (input size,
// nesting depth, work budget), CANCELLED / DEADLINE_EXCEEDED (the token), INVALID_ARGUMENT
// (undecodable bytes). Content findings come back in ParseOutput::diagnostics, already
// resolved to line:column with excerpts.
//
// Thread-safety: ParseScript/ParseFiles are reentrant and may run on many threads at once:
// each call has its own parser and each thread its own prediction cache (see
// internal/antlr_runner.h); nothing mutable is shared.
//
//   ParseOptions options;
//   options.sqlcmd_variables["DatabaseName"] = "Sales";
//   absl::StatusOr<ParseOutput> out = ParseScript({"orders.sql", bytes}, options, &cancel);
//   if (out.ok()) for (const Diagnostic& d : out->diagnostics) std::cerr << FormatDiagnostic(d);
#ifndef SQLMILL_SERVICES_SQL_PARSER_ENGINE_PARSER_H_
#define SQLMILL_SERVICES_SQL_PARSER_ENGINE_PARSER_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/base/diagnostic.h"
#include "common/base/limits.h"
#include "services/sql_parser/engine/catalog.h"

namespace sqlmill::tsql {

// One named script; content is raw bytes (any supported encoding). Not owned.
struct ScriptInput {
  std::string name;
  std::string_view content;
};

struct ParseOptions {
  // sqlcmd variables for $(name); :setvar in the script overrides them.
  std::map<std::string, std::string> sqlcmd_variables;
  bool include_statements = false;  // fill ParseOutput::statements
  std::string default_schema = "dbo";
  std::string default_database;
  bool quoted_identifier = true;    // initial QUOTED_IDENTIFIER (SSMS and sqlcmd -I)
  // max_input_bytes per file, max_nesting_depth, max_work_units (tokens), and
  // max_call_memory_bytes: scripts that kParseBytesPerInputByte says cannot fit are refused
  // before any work (the cancellation token enforces the budget while parsing).
  Limits limits;
  size_t max_diagnostics = 10000;
};

// The memory a parse and its answer take per byte of script, at most, for DDL of the densest
// common shape (one-line CREATE TABLEs of a few columns: measured 29.4–32.2 bytes above idle
// per byte of script by the server, request to response; bench/RESULTS.md "Peak memory
// against script size"). Wider, longer statements take less (SSMS-scripted tables: 12); a
// script on one line of thousands of columns takes more and is stopped by the budget while
// it parses.
inline constexpr uint64_t kParseBytesPerInputByte = 34;

struct StatementInfo {
  std::string kind;  // "CREATE TABLE", "INSERT", "EXEC", "SET", "IF", ...
  CatalogSpan span;
  uint32_t batch = 0;  // 0-based GO batch within its file
  ObjectName target;
  bool applied = false;
  bool error = false;
};

struct ParseStats {
  uint64_t input_bytes = 0;
  uint32_t files = 0;
  uint32_t batches = 0;
  uint32_t statements = 0;
  uint32_t statements_applied = 0;
  uint32_t errors = 0;
  uint32_t warnings = 0;
  uint64_t parse_micros = 0;
  uint32_t ll_fallbacks = 0;
  uint64_t tokens = 0;
};

struct ParseOutput {
  Catalog catalog;
  std::vector<Diagnostic> diagnostics;
  std::vector<StatementInfo> statements;
  ParseStats stats;
};

// Parses one script. `cancel` may be null.
absl::StatusOr<ParseOutput> ParseScript(const ScriptInput& input, const ParseOptions& options,
                                        const CancellationToken* cancel = nullptr);

// Parses many named scripts, in the given order, into one catalog (a database-project
// folder). Each file starts with the default database and QUOTED_IDENTIFIER setting, as
// when sqlcmd runs the files one by one; diagnostics name their file.
absl::StatusOr<ParseOutput> ParseFiles(const std::vector<ScriptInput>& inputs,
                                       const ParseOptions& options,
                                       const CancellationToken* cancel = nullptr);

}  // namespace sqlmill::tsql

#endif  // SQLMILL_SERVICES_SQL_PARSER_ENGINE_PARSER_H_

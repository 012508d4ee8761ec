// The validator's bridge to the parser engine (see sql_input.h).
#include "services/schema_validator/engine/sql_input.h"

#include "common/base/status_macros.h"
#include "services/sql_parser/engine/decode.h"
#include "services/sql_parser/engine/parser.h"

namespace sqlmill::validator {

absl::StatusOr<SqlSchema> ParseSqlSchema(const std::vector<SqlFile>& files, const SqlInputOptions& options,
                                         const CancellationToken* cancel) {
  tsql::ParseOptions parse_options;
  parse_options.sqlcmd_variables = options.sqlcmd_variables;
  parse_options.default_schema = options.default_schema;
  parse_options.default_database = options.default_database;
  parse_options.quoted_identifier = options.quoted_identifier;
  parse_options.limits = options.limits;
  std::vector<tsql::ScriptInput> inputs;
  inputs.reserve(files.size());
  for (const SqlFile& f : files) inputs.push_back({f.name, f.content});
  SQLMILL_ASSIGN_OR_RETURN(tsql::ParseOutput parsed, tsql::ParseFiles(inputs, parse_options, cancel));
  SqlSchema out;
  out.catalog = std::move(parsed.catalog);
  out.diagnostics = std::move(parsed.diagnostics);
  // Spans are offsets into the decoded text; suppressions are read from the same text.
  for (const SqlFile& f : files) {
    auto decoded = tsql::DecodeScript(f.content, f.name);
    if (decoded.ok()) out.sources[f.name] = std::move(decoded->text);
  }
  return out;
}

}  // namespace sqlmill::validator

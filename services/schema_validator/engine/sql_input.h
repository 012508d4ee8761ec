// Raw T-SQL as validator input: runs the sql_parser engine in-process on named files and
// returns the catalog together with the decoded source texts (for inline suppressions)
// and the parser's diagnostics. Findings then point at the source file, line and column.
//
// ParseSqlSchema is defined in sql_input.cc, built into its own target
// (schema_validator_sql_input) because it is the validator's only dependency on the
// parser engine beyond the catalog model; callers that must build without the parser take
// a SqlSchemaLoader instead.
//
// Thread-safety: reentrant (the parser engine is).
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_SQL_INPUT_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_SQL_INPUT_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/base/diagnostic.h"
#include "common/base/limits.h"
#include "services/sql_parser/engine/catalog.h"

namespace sqlmill::validator {

struct SqlFile {
  std::string name;
  std::string content;  // raw bytes: UTF-8 ± BOM or UTF-16 with BOM
};

struct SqlInputOptions {
  std::map<std::string, std::string> sqlcmd_variables;
  std::string default_schema = "dbo";
  std::string default_database;
  bool quoted_identifier = true;
  Limits limits;
};

struct SqlSchema {
  tsql::Catalog catalog;
  std::map<std::string, std::string> sources;  // decoded text by file name
  std::vector<Diagnostic> diagnostics;         // parse errors and warnings, resolved
};

// Parses the files in order into one catalog (as sql_parser's ParseFiles does).
absl::StatusOr<SqlSchema> ParseSqlSchema(const std::vector<SqlFile>& files, const SqlInputOptions& options,
                                         const CancellationToken* cancel);

using SqlSchemaLoader = std::function<absl::StatusOr<SqlSchema>(
    const std::vector<SqlFile>&, const SqlInputOptions&, const CancellationToken*)>;

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_SQL_INPUT_H_

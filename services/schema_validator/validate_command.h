// `sqlmill validate` and `sqlmill diff` as a library (the lead wires them into the sqlmill
// binary). Usable as a CI gate: the exit code is 1 when findings reach the threshold.
//
//   sqlmill validate PATH... [--target snowflake] [--rules rules.yml]
//                    [--format text|json|sarif|junit] [--fail-on error|warning|info]
//                    [--var NAME=VALUE]... [--default-schema dbo]
//   sqlmill diff OLD NEW [--rules rules.yml] [--format ...] [--fail-on ...]
//
// PATH is a .sql file, a folder (its *.sql files, recursively, in name order) or a .json
// file holding a sqlmill.v1.Catalog (or a ParseFilesResponse/ParseScriptResponse) in
// protobuf's canonical JSON. SQL input needs the parser engine (linked when the build has
// it); catalog JSON always works. Exit codes: 0 passed, 1 failed the threshold, 2 bad
// usage or unreadable input (the message goes to `err`).
//
// Thread-safety: each call is independent.
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_VALIDATE_COMMAND_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_VALIDATE_COMMAND_H_

#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/schema_validator/engine/sql_input.h"
#include "sqlmill/v1/schema_validator.pb.h"

namespace sqlmill::validator {

int RunValidateCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int RunDiffCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// The same with an explicit SQL loader (null: SQL paths are rejected).
int RunValidateCommandWith(const std::vector<std::string>& args, const SqlSchemaLoader& loader, std::ostream& out,
                           std::ostream& err);
int RunDiffCommandWith(const std::vector<std::string>& args, const SqlSchemaLoader& loader, std::ostream& out,
                       std::ostream& err);

// Returns the SQL loader this build has (ParseSqlSchema when the parser is linked, else null).
SqlSchemaLoader DefaultSqlLoader();

// How the commands reach a validator: the same requests, answered in-process or by a
// server over gRPC (tools/validate_remote.cc passes a stub). A non-OK status is reported
// with exit code 2.
struct ValidatorCalls {
  std::function<absl::StatusOr<v1::ValidateResponse>(const v1::ValidateRequest&)> validate;
  std::function<absl::StatusOr<v1::DiffResponse>(const v1::DiffRequest&)> diff;
};
int RunValidateCommandVia(const std::vector<std::string>& args, const ValidatorCalls& calls, std::ostream& out,
                          std::ostream& err);
int RunDiffCommandVia(const std::vector<std::string>& args, const ValidatorCalls& calls, std::ostream& out,
                      std::ostream& err);
// Turns command-line paths into a SchemaInput: one catalog JSON file, or SQL files and
// folders (their *.sql files, recursively, in name order) with sqlcmd variables and the
// default schema. Shared with `sqlmill migrate`.
absl::StatusOr<v1::SchemaInput> SchemaInputFromPaths(const std::vector<std::string>& paths,
                                                     const std::map<std::string, std::string>& vars,
                                                     const std::string& default_schema);
// Reads a --fail-on value (error, warning, info, hint); INVALID_ARGUMENT naming the flag
// otherwise. Shared by validate, diff, migrate and batch.
absl::StatusOr<v1::Severity> FailOnThreshold(const std::string& name);
// Reads a rules YAML file into `rules` (checked here, so errors name the file); "" = none.
absl::Status LoadRulesFile(const std::string& path, v1::RuleConfig* rules);

// The usage lines of the two commands.
const char* ValidateUsage();
const char* DiffUsage();

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_VALIDATE_COMMAND_H_

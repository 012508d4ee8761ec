// `sqlmill parse PATH... [--json|--summary] [--statements] [--var name=value]...`, in process.
//
// PATHs are .sql files or folders (searched recursively for *.sql, in sorted order, as a
// database project is laid out). All files are parsed into one catalog, as ParseFiles
// does. The output is the ParseFilesResponse in Protobuf's canonical JSON mapping (--json)
// or a readable summary (the default): object counts, then each diagnostic as
// file:line:col with its excerpt. Exit status: 0 without error diagnostics, 1 with, 2 for a
// usage error, an unreadable path or a request-level failure (limit, undecodable file).
//
// The summary and exit-code helpers work on the response message, so a `--server` mode
// can print a server's answer the same way. Thread-safety: reentrant.
//
//   return RunParseCommand({"db/", "--var", "DatabaseName=Shop"}, std::cout, std::cerr);
#ifndef SQLMILL_SERVICES_SQL_PARSER_PARSE_COMMAND_H_
#define SQLMILL_SERVICES_SQL_PARSER_PARSE_COMMAND_H_

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "sqlmill/v1/sql_parser.pb.h"

namespace sqlmill {

// Runs the command; `args` are the words after `parse`. Returns the exit status.
int RunParseCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

struct ParseCommandArgs {
  std::vector<std::string> paths;
  bool json = false;
  bool statements = false;  // --statements: include the statement list
  std::map<std::string, std::string> variables;
};

// Parses the command line; INVALID_ARGUMENT with a usage message when it is wrong.
absl::StatusOr<ParseCommandArgs> ParseParseCommandArgs(const std::vector<std::string>& args);
// Reads the PATHs into a request (files in sorted order, names as paths).
absl::StatusOr<v1::ParseFilesRequest> BuildParseFilesRequest(const ParseCommandArgs& args);
// Prints counts and diagnostics.
void PrintParseSummary(const v1::ParseFilesResponse& response, std::ostream& out);
// Prints the canonical JSON mapping of the response.
absl::Status PrintParseJson(const v1::ParseFilesResponse& response, std::ostream& out);
// Returns 1 when the response has error diagnostics, else 0.
int ParseExitCode(const v1::ParseFilesResponse& response);

}  // namespace sqlmill

#endif  // SQLMILL_SERVICES_SQL_PARSER_PARSE_COMMAND_H_

// Conversion of the parser engine's results (engine/parser.h) to the sqlmill.v1 messages of
// sql_parser.proto, and of request options to engine options. Mechanical, field for field.
// Stateless; thread-safe.
//
//   v1::ParseScriptResponse response;
//   ParseOutputToProto(output, &response);
#ifndef SQLMILL_SERVICES_SQL_PARSER_SERVICE_PARSE_OUTPUT_TO_PROTO_H_
#define SQLMILL_SERVICES_SQL_PARSER_SERVICE_PARSE_OUTPUT_TO_PROTO_H_

#include "absl/status/status.h"
#include "common/base/limits.h"
#include "services/sql_parser/engine/parser.h"
#include "sqlmill/v1/sql_parser.pb.h"

namespace sqlmill {

// Fills catalog, diagnostics, statements (those the output has) and stats.
void ParseOutputToProto(const tsql::ParseOutput& output, v1::ParseScriptResponse* out);
void ParseOutputToProto(const tsql::ParseOutput& output, v1::ParseFilesResponse* out);
// The same, freeing the C++ catalog's tables as they are converted (the server's path), and
// stopping with RESOURCE_EXHAUSTED naming --max_message_bytes as soon as the tables alone
// take more than max_bytes (0 = no limit), before the rest is built and serialized.
absl::Status ParseOutputToProto(tsql::ParseOutput&& output, v1::ParseScriptResponse* out,
                                uint64_t max_bytes);
absl::Status ParseOutputToProto(tsql::ParseOutput&& output, v1::ParseFilesResponse* out,
                                uint64_t max_bytes);

// Returns engine options for a request's options, with the service's limits.
tsql::ParseOptions ParseOptionsFromProto(const v1::ParseOptions& options, const Limits& limits);

}  // namespace sqlmill

#endif  // SQLMILL_SERVICES_SQL_PARSER_SERVICE_PARSE_OUTPUT_TO_PROTO_H_

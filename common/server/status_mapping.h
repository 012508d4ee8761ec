// Conversions between absl::Status and grpc::Status, and from common/base diagnostics to
// their sqlmill.v1 proto messages. Used by every service adapter. Stateless; thread-safe.
#ifndef SQLMILL_COMMON_SERVER_STATUS_MAPPING_H_
#define SQLMILL_COMMON_SERVER_STATUS_MAPPING_H_

#include <vector>

#include "absl/status/status.h"
#include "common/base/diagnostic.h"
#include "grpcpp/support/status.h"
#include "sqlmill/v1/common.pb.h"

namespace sqlmill {

// Maps the absl code one-to-one onto the gRPC code and keeps the message.
grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

v1::Severity SeverityToProto(Severity severity);
Severity SeverityFromProto(v1::Severity severity);

// Fills a SourceSpan message; `location`/`end` may be {0,0} when unknown.
void SpanToProto(std::string_view file, SourceSpan span, Location location, Location end,
                 v1::SourceSpan* out);
// Converts a diagnostic (already Resolve()d, so it has line:column and an excerpt).
void DiagnosticToProto(const Diagnostic& diagnostic, v1::Diagnostic* out);

}  // namespace sqlmill

#endif  // SQLMILL_COMMON_SERVER_STATUS_MAPPING_H_

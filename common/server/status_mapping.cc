// absl ↔ gRPC status mapping and diagnostic conversion.
#include "common/server/status_mapping.h"

#include <string>

namespace sqlmill {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // absl::StatusCode and grpc::StatusCode share their numbering (both follow google.rpc.Code).
  return grpc::Status(static_cast<grpc::StatusCode>(static_cast<int>(status.code())),
                      std::string(status.message()));
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(static_cast<int>(status.error_code())),
                      status.error_message());
}

v1::Severity SeverityToProto(Severity severity) {
  switch (severity) {
    case Severity::kError: return v1::SEVERITY_ERROR;
    case Severity::kWarning: return v1::SEVERITY_WARNING;
    case Severity::kInfo: return v1::SEVERITY_INFO;
    case Severity::kHint: return v1::SEVERITY_HINT;
  }
  return v1::SEVERITY_ERROR;
}

Severity SeverityFromProto(v1::Severity severity) {
  switch (severity) {
    case v1::SEVERITY_WARNING: return Severity::kWarning;
    case v1::SEVERITY_INFO: return Severity::kInfo;
    case v1::SEVERITY_HINT: return Severity::kHint;
    default: return Severity::kError;
  }
}

void SpanToProto(std::string_view file, SourceSpan span, Location location, Location end,
                 v1::SourceSpan* out) {
  // Unset rather than empty: an empty string set on an arena still allocates.
  if (!file.empty()) out->set_file(std::string(file));
  out->set_offset(span.offset);
  out->set_length(span.length);
  out->set_line(static_cast<uint32_t>(location.line));
  out->set_column(static_cast<uint32_t>(location.column));
  out->set_end_line(static_cast<uint32_t>(end.line));
  out->set_end_column(static_cast<uint32_t>(end.column));
}

void DiagnosticToProto(const Diagnostic& diagnostic, v1::Diagnostic* out) {
  out->set_severity(SeverityToProto(diagnostic.severity));
  out->set_code(diagnostic.code);
  out->set_message(diagnostic.message);
  SpanToProto(diagnostic.file, diagnostic.span, diagnostic.location, diagnostic.end_location,
              out->mutable_span());
  if (!diagnostic.excerpt.empty()) out->set_excerpt(diagnostic.excerpt);
  for (const std::string& c : diagnostic.context) out->add_context(c);
}

}  // namespace sqlmill

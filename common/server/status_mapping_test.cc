// Tests for status mapping and diagnostic conversion.
#include "common/server/status_mapping.h"

#include "gtest/gtest.h"

namespace sqlmill {
namespace {

TEST(StatusMapping, CodesAndMessagesRoundTrip) {
  grpc::Status g = ToGrpcStatus(absl::ResourceExhaustedError("too big"));
  EXPECT_EQ(g.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(g.error_message(), "too big");
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_EQ(FromGrpcStatus(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "late")).code(),
            absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(ToGrpcStatus(absl::UnimplementedError("x")).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

TEST(StatusMapping, DiagnosticToProto) {
  std::string text = "ab\ncd";
  DiagnosticSink sink;
  sink.Error("parse-error", "expected X", "f.sql", SourceSpan{3, 2});
  sink.Resolve("f.sql", LineIndex(text));
  Diagnostic d = sink.diagnostics()[0];
  d.context.push_back("in macro 'm'");
  v1::Diagnostic p;
  DiagnosticToProto(d, &p);
  EXPECT_EQ(p.severity(), v1::SEVERITY_ERROR);
  EXPECT_EQ(p.code(), "parse-error");
  EXPECT_EQ(p.span().file(), "f.sql");
  EXPECT_EQ(p.span().line(), 2u);
  EXPECT_EQ(p.span().column(), 1u);
  EXPECT_EQ(p.span().end_column(), 3u);
  EXPECT_EQ(p.span().offset(), 3u);
  EXPECT_EQ(p.span().length(), 2u);
  EXPECT_EQ(p.excerpt(), " 2 | cd\n   | ^~");
  ASSERT_EQ(p.context_size(), 1);
  EXPECT_EQ(SeverityFromProto(SeverityToProto(Severity::kWarning)), Severity::kWarning);
}

}  // namespace
}  // namespace sqlmill

// Tests that the gRPC and process metrics come out in the text exposition format.
#include <memory>

#include "common/metrics/exposition.h"
#include "common/metrics/grpc_metrics.h"
#include "common/metrics/process_collector.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sqlmill {
namespace {

using ::testing::HasSubstr;

TEST(GrpcServerMetrics, ExposesStandardNames) {
  auto registry = std::make_shared<prometheus::Registry>();
  GrpcServerMetrics metrics(*registry);
  metrics.RegisterMethod("sqlmill.v1.SqlParserService", "ParseScript", "unary");
  const GrpcServerMetrics::Method& l = metrics.Find("/sqlmill.v1.SqlParserService/ParseScript");
  metrics.Started(l);
  metrics.MessageReceived(l, 100);
  metrics.MessageSent(l, 250);
  metrics.Handled(l, 0, "OK", 0.003);
  metrics.Started(l);
  metrics.Handled(l, 3, "INVALID_ARGUMENT", 0.2);
  const std::string text = RenderPrometheusText({registry});
  EXPECT_THAT(text, HasSubstr("# TYPE grpc_server_started_total counter"));
  EXPECT_THAT(text, HasSubstr(
      "grpc_server_started_total{grpc_method=\"ParseScript\",grpc_service=\"sqlmill.v1."
      "SqlParserService\",grpc_type=\"unary\"} 2"));
  EXPECT_THAT(text, HasSubstr("grpc_server_handled_total{grpc_code=\"OK\""));
  EXPECT_THAT(text, HasSubstr("grpc_server_handled_total{grpc_code=\"INVALID_ARGUMENT\""));
  EXPECT_THAT(text, HasSubstr("# TYPE grpc_server_handling_seconds histogram"));
  EXPECT_THAT(text, HasSubstr("grpc_server_handling_seconds_count{"));
  EXPECT_THAT(text, HasSubstr("le=\"0.005\"} 1"));
  EXPECT_THAT(text, HasSubstr("sqlmill_rpc_request_bytes_total{grpc_method=\"ParseScript\","
                              "grpc_service=\"sqlmill.v1.SqlParserService\"} 100"));
}

TEST(GrpcServerMetrics, UnregisteredPathsShareOneUnknownSeries) {
  auto registry = std::make_shared<prometheus::Registry>();
  GrpcServerMetrics metrics(*registry);
  metrics.RegisterMethod("sqlmill.v1.SqlParserService", "ParseScript", "unary");
  for (int i = 0; i < 100; ++i) {
    const GrpcServerMetrics::Method& m =
        metrics.Find("/made.up.Service" + std::to_string(i) + "/SELECT * FROM secrets");
    metrics.Started(m);
    metrics.Handled(m, 12, "UNIMPLEMENTED", 0.0001);
  }
  const std::string text = RenderPrometheusText({registry});
  EXPECT_THAT(text, HasSubstr("grpc_server_started_total{grpc_method=\"unknown\","
                              "grpc_service=\"unknown\",grpc_type=\"unknown\"} 100"));
  EXPECT_THAT(text, HasSubstr("grpc_server_handled_total{grpc_code=\"UNIMPLEMENTED\","
                              "grpc_method=\"unknown\""));
  EXPECT_EQ(text.find("made.up"), std::string::npos);
  EXPECT_EQ(text.find("secrets"), std::string::npos);
}

TEST(ProcessCollector, ReportsMemoryAndCpu) {
  auto process = std::make_shared<ProcessCollector>();
  const std::string text = RenderPrometheusText({process});
  EXPECT_THAT(text, HasSubstr("# TYPE process_cpu_seconds_total counter"));
  EXPECT_THAT(text, HasSubstr("process_resident_memory_bytes "));
  EXPECT_THAT(text, HasSubstr("process_open_fds "));
  EXPECT_THAT(text, HasSubstr("process_start_time_seconds "));
  EXPECT_EQ(text.find("process_resident_memory_bytes 0\n"), std::string::npos);
}

}  // namespace
}  // namespace sqlmill

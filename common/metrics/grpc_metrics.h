// The standard gRPC server metrics (the names go-grpc-prometheus and grpc-ecosystem use, so
// existing dashboards work):
//   grpc_server_started_total{grpc_service,grpc_method,grpc_type}
//   grpc_server_handled_total{grpc_service,grpc_method,grpc_type,grpc_code}
//   grpc_server_handling_seconds{grpc_service,grpc_method,grpc_type}  (histogram)
//   grpc_server_msg_received_total / grpc_server_msg_sent_total
// plus sqlmill's byte counters:
//   sqlmill_rpc_request_bytes_total / sqlmill_rpc_response_bytes_total{grpc_service,grpc_method}
//
// The registry is injected (no global singletons). Thread-safe: prometheus-cpp families and
// metrics are safe for concurrent use; label lookups take the family's lock.
#ifndef SQLMILL_COMMON_METRICS_GRPC_METRICS_H_
#define SQLMILL_COMMON_METRICS_GRPC_METRICS_H_

#include <string>
#include <string_view>

#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace sqlmill {

struct RpcLabels {
  std::string service;  // "sqlmill.v1.SqlParserService"
  std::string method;   // "ParseScript"
  std::string type;     // unary, client_stream, server_stream, bidi_stream
};

// Splits "/pkg.Service/Method" into service and method.
RpcLabels RpcLabelsFromPath(std::string_view path, std::string_view type);

class GrpcServerMetrics {
 public:
  explicit GrpcServerMetrics(prometheus::Registry& registry);

  void Started(const RpcLabels& labels);
  void Handled(const RpcLabels& labels, std::string_view code, double seconds);
  void MessageReceived(const RpcLabels& labels, uint64_t bytes);
  void MessageSent(const RpcLabels& labels, uint64_t bytes);

 private:
  prometheus::Family<prometheus::Counter>& started_;
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& handling_seconds_;
  prometheus::Family<prometheus::Counter>& msg_received_;
  prometheus::Family<prometheus::Counter>& msg_sent_;
  prometheus::Family<prometheus::Counter>& request_bytes_;
  prometheus::Family<prometheus::Counter>& response_bytes_;
};

}  // namespace sqlmill

#endif  // SQLMILL_COMMON_METRICS_GRPC_METRICS_H_

// Registers and updates the gRPC server metric families.
#include "common/metrics/grpc_metrics.h"

namespace sqlmill {
namespace {

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  return *buckets;
}

}  // namespace

RpcLabels RpcLabelsFromPath(std::string_view path, std::string_view type) {
  RpcLabels labels;
  labels.type = std::string(type);
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  const size_t slash = path.find('/');
  if (slash == std::string_view::npos) {
    labels.service = std::string(path);
  } else {
    labels.service = std::string(path.substr(0, slash));
    labels.method = std::string(path.substr(slash + 1));
  }
  return labels;
}

GrpcServerMetrics::GrpcServerMetrics(prometheus::Registry& registry)
    : started_(prometheus::BuildCounter()
                   .Name("grpc_server_started_total")
                   .Help("Total number of RPCs started on the server.")
                   .Register(registry)),
      handled_(prometheus::BuildCounter()
                   .Name("grpc_server_handled_total")
                   .Help("Total number of RPCs completed on the server, regardless of success "
                         "or failure.")
                   .Register(registry)),
      handling_seconds_(prometheus::BuildHistogram()
                            .Name("grpc_server_handling_seconds")
                            .Help("Histogram of response latency (seconds) of gRPC that had "
                                  "been application-level handled by the server.")
                            .Register(registry)),
      msg_received_(prometheus::BuildCounter()
                        .Name("grpc_server_msg_received_total")
                        .Help("Total number of RPC stream messages received on the server.")
                        .Register(registry)),
      msg_sent_(prometheus::BuildCounter()
                    .Name("grpc_server_msg_sent_total")
                    .Help("Total number of gRPC stream messages sent by the server.")
                    .Register(registry)),
      request_bytes_(prometheus::BuildCounter()
                         .Name("sqlmill_rpc_request_bytes_total")
                         .Help("Total bytes of request messages received, by method.")
                         .Register(registry)),
      response_bytes_(prometheus::BuildCounter()
                          .Name("sqlmill_rpc_response_bytes_total")
                          .Help("Total bytes of response messages sent, by method.")
                          .Register(registry)) {}

void GrpcServerMetrics::Started(const RpcLabels& l) {
  started_.Add({{"grpc_service", l.service}, {"grpc_method", l.method}, {"grpc_type", l.type}})
      .Increment();
}

void GrpcServerMetrics::Handled(const RpcLabels& l, std::string_view code, double seconds) {
  handled_
      .Add({{"grpc_service", l.service},
            {"grpc_method", l.method},
            {"grpc_type", l.type},
            {"grpc_code", std::string(code)}})
      .Increment();
  handling_seconds_
      .Add({{"grpc_service", l.service}, {"grpc_method", l.method}, {"grpc_type", l.type}},
           LatencyBuckets())
      .Observe(seconds);
}

void GrpcServerMetrics::MessageReceived(const RpcLabels& l, uint64_t bytes) {
  msg_received_.Add({{"grpc_service", l.service}, {"grpc_method", l.method}, {"grpc_type", l.type}})
      .Increment();
  request_bytes_.Add({{"grpc_service", l.service}, {"grpc_method", l.method}})
      .Increment(static_cast<double>(bytes));
}

void GrpcServerMetrics::MessageSent(const RpcLabels& l, uint64_t bytes) {
  msg_sent_.Add({{"grpc_service", l.service}, {"grpc_method", l.method}, {"grpc_type", l.type}})
      .Increment();
  response_bytes_.Add({{"grpc_service", l.service}, {"grpc_method", l.method}})
      .Increment(static_cast<double>(bytes));
}

}  // namespace sqlmill

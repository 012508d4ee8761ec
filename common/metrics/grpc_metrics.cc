// Registers and updates the gRPC server metric families.
#include "common/metrics/grpc_metrics.h"

#include "absl/strings/string_view.h"

namespace sqlmill {
namespace {

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  return *buckets;
}

}  // namespace

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
                          .Register(registry)),
      unknown_(MakeMethod(RpcLabels{"unknown", "unknown", "unknown"})) {}

std::unique_ptr<GrpcServerMetrics::Method> GrpcServerMetrics::MakeMethod(RpcLabels l) {
  auto m = std::make_unique<Method>();
  m->path = l.type == "unknown" ? "unknown" : "/" + l.service + "/" + l.method;
  m->unary = l.type == "unary";
  m->raw_messages = l.service == "grpc.health.v1.Health";
  m->labels = std::move(l);
  return m;
}

const GrpcServerMetrics::Method& GrpcServerMetrics::Series(const Method& m) const {
  std::call_once(m.created, [&] {
    const RpcLabels& l = m.labels;
    const prometheus::Labels three = {
        {"grpc_service", l.service}, {"grpc_method", l.method}, {"grpc_type", l.type}};
    const prometheus::Labels two = {{"grpc_service", l.service}, {"grpc_method", l.method}};
    m.started = &started_.Add(three);
    m.handling_seconds = &handling_seconds_.Add(three, LatencyBuckets());
    m.msg_received = &msg_received_.Add(three);
    m.msg_sent = &msg_sent_.Add(three);
    m.request_bytes = &request_bytes_.Add(two);
    m.response_bytes = &response_bytes_.Add(two);
  });
  return m;
}

void GrpcServerMetrics::RegisterMethod(std::string_view service, std::string_view method,
                                       std::string_view type, std::string_view request_type) {
  std::string path = "/" + std::string(service) + "/" + std::string(method);
  if (methods_.contains(absl::string_view(path.data(), path.size()))) return;
  std::unique_ptr<Method> m =
      MakeMethod(RpcLabels{std::string(service), std::string(method), std::string(type)});
  m->request_type = std::string(request_type);
  methods_.emplace(std::move(path), std::move(m));
}

const GrpcServerMetrics::Method& GrpcServerMetrics::Find(std::string_view path) const {
  // Debian's Abseil has its own string_view type.
  auto it = methods_.find(absl::string_view(path.data(), path.size()));
  return it != methods_.end() ? *it->second : *unknown_;
}

void GrpcServerMetrics::Started(const Method& m) const { Series(m).started->Increment(); }

void GrpcServerMetrics::Handled(const Method& m, int code, std::string_view code_name,
                                double seconds) const {
  if (code < 0 || code >= kGrpcCodeCount) {
    code = 2;  // UNKNOWN
    code_name = "UNKNOWN";
  }
  std::atomic<prometheus::Counter*>& slot = m.handled[code];
  prometheus::Counter* counter = slot.load(std::memory_order_acquire);
  if (counter == nullptr) {
    // Family::Add returns the same series for the same labels, so a race here is harmless.
    counter = &handled_.Add({{"grpc_service", m.labels.service},
                             {"grpc_method", m.labels.method},
                             {"grpc_type", m.labels.type},
                             {"grpc_code", std::string(code_name)}});
    slot.store(counter, std::memory_order_release);
  }
  counter->Increment();
  Series(m).handling_seconds->Observe(seconds);
}

void GrpcServerMetrics::MessageReceived(const Method& m, uint64_t bytes) const {
  Series(m).msg_received->Increment();
  m.request_bytes->Increment(static_cast<double>(bytes));
}

void GrpcServerMetrics::MessageSent(const Method& m, uint64_t bytes) const {
  Series(m).msg_sent->Increment();
  m.response_bytes->Increment(static_cast<double>(bytes));
}

}  // namespace sqlmill

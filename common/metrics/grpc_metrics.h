// The standard gRPC server metrics (the names go-grpc-prometheus and grpc-ecosystem use, so
// existing dashboards work):
//   grpc_server_started_total{grpc_service,grpc_method,grpc_type}
//   grpc_server_handled_total{grpc_service,grpc_method,grpc_type,grpc_code}
//   grpc_server_handling_seconds{grpc_service,grpc_method,grpc_type}  (histogram)
//   grpc_server_msg_received_total / grpc_server_msg_sent_total
// plus sqlmill's byte counters:
//   sqlmill_rpc_request_bytes_total / sqlmill_rpc_response_bytes_total{grpc_service,grpc_method}
//
// Label values come only from the methods the server registers (RegisterMethod, before
// the server starts): a call to any other path is counted under grpc_service="unknown",
// grpc_method="unknown", grpc_type="unknown", so clients cannot create series. Each
// method's series are resolved once; a call then touches only atomic counters (no label
// maps, no family lock), except the first call with a given status code.
//
// The registry is injected (no global singletons). Thread-safe after registration.
#ifndef SQLMILL_COMMON_METRICS_GRPC_METRICS_H_
#define SQLMILL_COMMON_METRICS_GRPC_METRICS_H_

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
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

// The number of gRPC status codes (OK = 0 … UNAUTHENTICATED = 16).
inline constexpr int kGrpcCodeCount = 17;

class GrpcServerMetrics {
 public:
  // One method's series, resolved once.
  struct Method {
    RpcLabels labels;
    std::string path;  // "/service/method", or "unknown"
    std::string request_type;  // the request message's full name, when known
    bool unary = false;         // a request arrives with the call
    bool raw_messages = false;  // gRPC's health service: messages are ByteBuffers
    // The series, created on the method's first call (a server with many methods and
    // few callers keeps a small /metrics).
    mutable std::once_flag created;
    mutable prometheus::Counter* started = nullptr;
    mutable prometheus::Histogram* handling_seconds = nullptr;
    mutable prometheus::Counter* msg_received = nullptr;
    mutable prometheus::Counter* msg_sent = nullptr;
    mutable prometheus::Counter* request_bytes = nullptr;
    mutable prometheus::Counter* response_bytes = nullptr;
    // grpc_server_handled_total by code, created on the code's first use.
    mutable std::array<std::atomic<prometheus::Counter*>, kGrpcCodeCount> handled{};
  };

  explicit GrpcServerMetrics(prometheus::Registry& registry);

  // Registers "/service/method" of the given type; call before the server starts.
  void RegisterMethod(std::string_view service, std::string_view method, std::string_view type,
                      std::string_view request_type = "");

  // The registered method for a path, or the shared "unknown" one.
  const Method& Find(std::string_view path) const;

  void Started(const Method& m) const;
  // `code` is the numeric gRPC status code, `code_name` its canonical name.
  void Handled(const Method& m, int code, std::string_view code_name, double seconds) const;
  void MessageReceived(const Method& m, uint64_t bytes) const;
  void MessageSent(const Method& m, uint64_t bytes) const;

 private:
  std::unique_ptr<Method> MakeMethod(RpcLabels labels);
  const Method& Series(const Method& m) const;  // creates m's series once

  prometheus::Family<prometheus::Counter>& started_;
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& handling_seconds_;
  prometheus::Family<prometheus::Counter>& msg_received_;
  prometheus::Family<prometheus::Counter>& msg_sent_;
  prometheus::Family<prometheus::Counter>& request_bytes_;
  prometheus::Family<prometheus::Counter>& response_bytes_;
  absl::flat_hash_map<std::string, std::unique_ptr<Method>> methods_;  // by "/svc/method"
  std::unique_ptr<Method> unknown_;
};

}  // namespace sqlmill

#endif  // SQLMILL_COMMON_METRICS_GRPC_METRICS_H_

// A server interceptor that records the standard gRPC metrics and writes one structured
// log line per RPC (method, code, duration, request/response bytes, peer) — never the
// message contents. Installed by ServerRuntime on every server.
//
// The factory is shared by all calls and holds pointers to the metrics and logger, which
// must outlive the server. Each call gets its own interceptor object (gRPC's model), so
// per-call state needs no lock.
#ifndef SQLMILL_COMMON_SERVER_RPC_INTERCEPTOR_H_
#define SQLMILL_COMMON_SERVER_RPC_INTERCEPTOR_H_

#include <string_view>

#include "common/logging/json_log.h"
#include "common/metrics/grpc_metrics.h"
#include "grpcpp/support/server_interceptor.h"
#include "grpcpp/support/status.h"

namespace sqlmill {

// Returns the canonical upper-case name of a gRPC status code ("OK", "RESOURCE_EXHAUSTED").
std::string_view GrpcCodeName(grpc::StatusCode code);

class RpcInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `logger` may be null to disable per-RPC logs.
  RpcInterceptorFactory(GrpcServerMetrics* metrics, JsonLogger* logger)
      : metrics_(metrics), logger_(logger) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  GrpcServerMetrics* metrics_;
  JsonLogger* logger_;
};

}  // namespace sqlmill

#endif  // SQLMILL_COMMON_SERVER_RPC_INTERCEPTOR_H_

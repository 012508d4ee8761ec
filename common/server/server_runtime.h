// The one gRPC server runtime every sqlmill binary uses.
//
// Start() validates the options and builds the server: the given services, grpc.health.v1
// with a status per service, server reflection, keepalive and max connection age, the max
// message size, a bounded worker pool, optional TLS/mTLS, the metrics + logging
// interceptor, and the admin HTTP endpoint (/metrics, /healthz, /readyz). Then every
// service is SERVING.
//
// Shutdown() is the SIGTERM sequence: health NOT_SERVING and /readyz 503, a drain period
// while calls are still accepted, then grpc::Server::Shutdown(deadline) so in-flight calls
// finish (those still running at the deadline are cancelled).
//
// RunServer() is Start + wait for SIGTERM/SIGINT + Shutdown, for main().
//
//   ServerOptions options;                       // from ParseServerFlags in main()
//   SqlParserServiceImpl parser(...);
//   return RunServer(options, {{"sqlmill.v1.SqlParserService", &parser}}).ok() ? 0 : 1;
//
// Thread-safety: Shutdown() may be called from any thread, once; the services are called
// from gRPC's worker threads and must be thread-safe themselves.
#ifndef SQLMILL_COMMON_SERVER_SERVER_RUNTIME_H_
#define SQLMILL_COMMON_SERVER_SERVER_RUNTIME_H_

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/server/server_options.h"
#include "grpcpp/impl/codegen/service_type.h"
#include "prometheus/registry.h"

namespace grpc {
class Server;
}

namespace sqlmill {

class AdminHttpServer;
class GrpcServerMetrics;
class JsonLogger;
class RpcInterceptorFactory;

struct ServiceRegistration {
  std::string name;        // full service name, e.g. "sqlmill.v1.SqlParserService"
  grpc::Service* service;  // not owned; must outlive the runtime
};

class ServerRuntime {
 public:
  // `log_out` receives the JSON log lines (stderr in binaries); null silences them.
  // `registry` is where services may add their own engine metrics; it is served on /metrics.
  static absl::StatusOr<std::unique_ptr<ServerRuntime>> Start(
      const ServerOptions& options, std::vector<ServiceRegistration> services,
      std::shared_ptr<prometheus::Registry> registry, std::ostream* log_out);
  ~ServerRuntime();

  int port() const { return port_; }
  int admin_port() const;
  JsonLogger& logger() { return *logger_; }

  // Runs the shutdown sequence and returns when the server has stopped.
  void Shutdown();

 private:
  ServerRuntime() = default;

  ServerOptions options_;
  std::vector<ServiceRegistration> services_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<JsonLogger> logger_;
  std::unique_ptr<GrpcServerMetrics> metrics_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<AdminHttpServer> admin_;
  int port_ = 0;
  bool shut_down_ = false;
};

// Starts the server, prints where it listens on stdout, blocks until SIGTERM or SIGINT,
// then shuts down gracefully. Returns the start-up error, if any.
absl::Status RunServer(const ServerOptions& options, std::vector<ServiceRegistration> services,
                       std::shared_ptr<prometheus::Registry> registry = nullptr);

}  // namespace sqlmill

#endif  // SQLMILL_COMMON_SERVER_SERVER_RUNTIME_H_

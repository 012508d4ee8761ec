// The admin HTTP endpoint every sqlmill binary serves beside gRPC (on --admin_port):
//   GET /metrics  Prometheus text exposition of the injected collectables
//   GET /healthz  200 "ok" while the process runs (liveness)
//   GET /readyz   200 "ready" while serving, 503 "draining" once shutdown began (readiness)
// Built on civetweb (libcivetweb-dev). Thread-safe: civetweb calls the handlers from its
// own worker threads; readiness is an atomic.
#ifndef SQLMILL_COMMON_SERVER_ADMIN_HTTP_H_
#define SQLMILL_COMMON_SERVER_ADMIN_HTTP_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "prometheus/collectable.h"

class CivetServer;
class CivetHandler;

namespace sqlmill {

class AdminHttpServer {
 public:
  // Starts listening on host:port (port 0 picks a free one). Returns UNAVAILABLE when the
  // port cannot be bound.
  static absl::StatusOr<std::unique_ptr<AdminHttpServer>> Start(
      const std::string& host, int port,
      std::vector<std::shared_ptr<prometheus::Collectable>> collectables);
  ~AdminHttpServer();

  int port() const { return port_; }
  void set_ready(bool ready) { ready_.store(ready); }
  bool ready() const { return ready_.load(); }

 private:
  AdminHttpServer() = default;

  std::vector<std::shared_ptr<prometheus::Collectable>> collectables_;
  std::atomic<bool> ready_{false};
  int port_ = 0;
  std::vector<std::unique_ptr<CivetHandler>> handlers_;
  std::unique_ptr<CivetServer> server_;
};

}  // namespace sqlmill

#endif  // SQLMILL_COMMON_SERVER_ADMIN_HTTP_H_

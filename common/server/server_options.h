// Options for the gRPC server runtime shared by every sqlmill binary, and the flag parser
// that fills them (called from main() only).
//
//   std::vector<std::string> args(argv + 1, argv + argc);
//   ServerOptions options;
//   absl::Status s = ParseServerFlags(&args, &options);  // consumes what it knows
#ifndef SQLMILL_COMMON_SERVER_SERVER_OPTIONS_H_
#define SQLMILL_COMMON_SERVER_SERVER_OPTIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/logging/json_log.h"

namespace sqlmill {

struct TlsOptions {
  std::string cert_file;  // PEM server certificate chain
  std::string key_file;   // PEM private key
  std::string ca_file;    // PEM roots that client certificates are checked against
  bool require_client_cert = false;  // mutual TLS
  bool enabled() const { return !cert_file.empty() || !key_file.empty(); }
};

struct ServerOptions {
  std::string host = "0.0.0.0";
  int port = 50051;        // 0 picks a free port (printed at start-up)
  int admin_port = 9090;   // HTTP /metrics /healthz /readyz; -1 disables; 0 picks
  std::string admin_host;  // empty = same as host
  int64_t max_message_bytes = 64ll << 20;
  int workers = 0;            // threads that run calls; 0 = one per usable core
  int max_queued_calls = 512;  // calls waiting for a worker before new ones are shed
  int keepalive_time_seconds = 60;
  int keepalive_timeout_seconds = 20;
  // Connections are closed (gracefully) after this age so that clients behind a Kubernetes
  // Service re-resolve and spread over new pods.
  int max_connection_age_seconds = 300;
  int max_connection_age_grace_seconds = 30;
  // On SIGTERM: report NOT_SERVING, keep serving for drain seconds (so load balancers see
  // it), then stop accepting and give in-flight calls up to grace seconds to finish.
  double shutdown_drain_seconds = 0;
  double shutdown_grace_seconds = 25;
  TlsOptions tls;
  bool log_rpcs = true;
  LogLevel log_level = LogLevel::kInfo;
  std::string server_name = "sqlmill";
};

// Returns INVALID_ARGUMENT naming the first bad option.
absl::Status ValidateServerOptions(const ServerOptions& options);

// Consumes the server flags it recognises from `args` (`--name=value` or `--name value`)
// and leaves the rest in order. Returns INVALID_ARGUMENT for a malformed value.
absl::Status ParseServerFlags(std::vector<std::string>* args, ServerOptions* options);

// Returns the flag help text for --help.
std::string ServerFlagsHelp();

}  // namespace sqlmill

#endif  // SQLMILL_COMMON_SERVER_SERVER_OPTIONS_H_

// Client-side plumbing for CLI subcommands that talk to a running server (--server
// host:port): channel creation with optional TLS/mTLS from flags, and deadlines.
// Stateless helpers; thread-safe.
#ifndef SQLMILL_TOOLS_REMOTE_H_
#define SQLMILL_TOOLS_REMOTE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace sqlmill {

struct RemoteOptions {
  std::string server;         // host:port; empty = run in-process
  std::string tls_ca_file;    // PEM roots to verify the server; enables TLS
  std::string tls_cert_file;  // client certificate for mTLS
  std::string tls_key_file;
  double timeout_seconds = 300;
  int64_t max_message_bytes = 64ll << 20;
};

// Consumes --server, --tls_ca_file, --tls_cert_file, --tls_key_file, --timeout_seconds from
// args; leaves the rest.
absl::Status ParseRemoteFlags(std::vector<std::string>* args, RemoteOptions* options);
std::string RemoteFlagsHelp();

// Returns a channel to options.server (TLS when a CA file is given).
absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(const RemoteOptions& options);

// Sets the deadline from options on a fresh context.
std::unique_ptr<grpc::ClientContext> MakeContext(const RemoteOptions& options);

}  // namespace sqlmill

#endif  // SQLMILL_TOOLS_REMOTE_H_

// Channel creation and remote flags for the CLI.
#include "tools/remote.h"

#include <chrono>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace sqlmill {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read '", path, "'"));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

absl::Status ParseRemoteFlags(std::vector<std::string>* args, RemoteOptions* options) {
  std::vector<std::string> rest;
  for (size_t i = 0; i < args->size(); ++i) {
    const std::string& arg = (*args)[i];
    std::string name, value;
    bool matched = false;
    for (const char* flag :
         {"server", "tls_ca_file", "tls_cert_file", "tls_key_file", "timeout_seconds"}) {
      const std::string dashed = absl::StrCat("--", flag);
      if (arg == dashed) {
        if (i + 1 >= args->size()) {
          return absl::InvalidArgumentError(absl::StrCat("flag ", dashed, " needs a value"));
        }
        name = flag;
        value = (*args)[++i];
        matched = true;
      } else if (arg.rfind(dashed + "=", 0) == 0) {
        name = flag;
        value = arg.substr(dashed.size() + 1);
        matched = true;
      }
      if (matched) break;
    }
    if (!matched) {
      rest.push_back(arg);
      continue;
    }
    if (name == "server") {
      options->server = value;
    } else if (name == "tls_ca_file") {
      options->tls_ca_file = value;
    } else if (name == "tls_cert_file") {
      options->tls_cert_file = value;
    } else if (name == "tls_key_file") {
      options->tls_key_file = value;
    } else {
      char* end = nullptr;
      options->timeout_seconds = std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0' || options->timeout_seconds <= 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "flag --timeout_seconds: expected a positive number but found '", value, "'"));
      }
    }
  }
  *args = std::move(rest);
  return absl::OkStatus();
}

std::string RemoteFlagsHelp() {
  return "Remote flags (run against a server instead of in-process):\n"
         "  --server=HOST:PORT        call a running sqlmill server\n"
         "  --tls_ca_file=PEM         verify the server with these roots (enables TLS)\n"
         "  --tls_cert_file=PEM       client certificate (mutual TLS)\n"
         "  --tls_key_file=PEM        client key (mutual TLS)\n"
         "  --timeout_seconds=N       deadline per call (default 300)\n";
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(const RemoteOptions& options) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(static_cast<int>(options.max_message_bytes));
  args.SetMaxSendMessageSize(static_cast<int>(options.max_message_bytes));
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (options.tls_ca_file.empty()) {
    if (!options.tls_cert_file.empty() || !options.tls_key_file.empty()) {
      return absl::InvalidArgumentError("--tls_cert_file/--tls_key_file need --tls_ca_file");
    }
    credentials = grpc::InsecureChannelCredentials();
  } else {
    grpc::SslCredentialsOptions ssl;
    auto ca = ReadPem(options.tls_ca_file);
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *ca;
    if (!options.tls_cert_file.empty()) {
      auto cert = ReadPem(options.tls_cert_file);
      if (!cert.ok()) return cert.status();
      auto key = ReadPem(options.tls_key_file);
      if (!key.ok()) return key.status();
      ssl.pem_cert_chain = *cert;
      ssl.pem_private_key = *key;
    }
    credentials = grpc::SslCredentials(ssl);
  }
  return grpc::CreateCustomChannel(options.server, credentials, args);
}

std::unique_ptr<grpc::ClientContext> MakeContext(const RemoteOptions& options) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::duration_cast<std::chrono::system_clock::duration>(
                            std::chrono::duration<double>(options.timeout_seconds)));
  return context;
}

}  // namespace sqlmill

// ServerRuntime: builds the gRPC server with everything the options ask for, and runs the
// SIGTERM sequence.
#include "common/server/server_runtime.h"

#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/logging/json_log.h"
#include "common/metrics/grpc_metrics.h"
#include "common/metrics/process_collector.h"
#include "common/server/admin_http.h"
#include "common/server/rpc_interceptor.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"

namespace sqlmill {
namespace {

// The methods the server answers, for the metric labels: each registered service's
// methods from its generated descriptor, gRPC's health service and server reflection.
void RegisterMethodMetrics(const std::vector<ServiceRegistration>& services,
                           GrpcServerMetrics* metrics) {
  const google::protobuf::DescriptorPool* pool =
      google::protobuf::DescriptorPool::generated_pool();
  for (const ServiceRegistration& s : services) {
    const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(s.name);
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor* m = service->method(i);
      const char* type = m->client_streaming()
                             ? (m->server_streaming() ? "bidi_stream" : "client_stream")
                             : (m->server_streaming() ? "server_stream" : "unary");
      metrics->RegisterMethod(s.name, m->name(), type, m->input_type()->full_name());
    }
  }
  metrics->RegisterMethod("grpc.health.v1.Health", "Check", "unary",
                          "grpc.health.v1.HealthCheckRequest");
  metrics->RegisterMethod("grpc.health.v1.Health", "Watch", "server_stream");
  metrics->RegisterMethod("grpc.reflection.v1alpha.ServerReflection", "ServerReflectionInfo",
                          "bidi_stream");
}

absl::StatusOr<std::string> ReadFile(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read ", what, " '", path, "'"));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeCredentials(const TlsOptions& tls) {
  if (!tls.enabled()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions ssl(
      tls.require_client_cert ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                              : GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  auto cert = ReadFile(tls.cert_file, "TLS certificate");
  if (!cert.ok()) return cert.status();
  auto key = ReadFile(tls.key_file, "TLS key");
  if (!key.ok()) return key.status();
  ssl.pem_key_cert_pairs.push_back({*key, *cert});
  if (!tls.ca_file.empty()) {
    auto ca = ReadFile(tls.ca_file, "TLS CA");
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *ca;
  }
  return grpc::SslServerCredentials(ssl);
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServerRuntime>> ServerRuntime::Start(
    const ServerOptions& options, std::vector<ServiceRegistration> services,
    std::shared_ptr<prometheus::Registry> registry, std::ostream* log_out) {
  absl::Status valid = ValidateServerOptions(options);
  if (!valid.ok()) return valid;
  auto credentials = MakeCredentials(options.tls);
  if (!credentials.ok()) return credentials.status();

  // Debian builds Abseil without NDEBUG, which leaves absl::Mutex's deadlock detection on:
  // every lock of every gRPC mutex then updates a global lock graph under a global lock
  // (GraphCycles in the profile of concurrent calls). Our locks are not Abseil's; gRPC's
  // are correct by construction and tested upstream.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  std::unique_ptr<ServerRuntime> rt(new ServerRuntime());
  rt->options_ = options;
  rt->services_ = std::move(services);
  rt->registry_ = registry ? std::move(registry) : std::make_shared<prometheus::Registry>();
  rt->logger_ = std::make_unique<JsonLogger>(log_out, options.log_level);
  rt->metrics_ = std::make_unique<GrpcServerMetrics>(*rt->registry_);
  RegisterMethodMetrics(rt->services_, rt->metrics_.get());

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  const std::string address = absl::StrCat(options.host, ":", options.port);
  builder.AddListeningPort(address, *credentials, &rt->port_);
  for (const ServiceRegistration& s : rt->services_) builder.RegisterService(s.service);

  const int max_message = static_cast<int>(options.max_message_bytes);
  builder.SetMaxReceiveMessageSize(max_message);
  builder.SetMaxSendMessageSize(max_message);

  // Calls are not capped by threads: the services are callback-API services whose work
  // runs on the worker pool (CallScheduler), which queues and sheds. gRPC's own threads
  // only move bytes.

  // gRPC enables SO_REUSEPORT by default, which lets a second server silently share (and
  // split) a port that is already in use; refuse instead, so the error is seen at start-up.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, options.keepalive_time_seconds * 1000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                             options.keepalive_timeout_seconds * 1000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  // Accept client keepalive pings as often as every 10 s (clients behind idle-killing
  // load balancers ping often); more frequent pings are answered with GOAWAY.
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                             options.max_connection_age_seconds * 1000);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                             options.max_connection_age_grace_seconds * 1000);

  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
  factories.push_back(std::make_unique<RpcInterceptorFactory>(
      rt->metrics_.get(), options.log_rpcs ? rt->logger_.get() : nullptr));
  builder.experimental().SetInterceptorCreators(std::move(factories));

  rt->server_ = builder.BuildAndStart();
  if (rt->server_ == nullptr || rt->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen for gRPC on ", address,
                                               " (is the port in use or the address invalid?)"));
  }

  if (options.admin_port >= 0) {
    auto admin = AdminHttpServer::Start(
        options.admin_host.empty() ? options.host : options.admin_host, options.admin_port,
        {rt->registry_, std::make_shared<ProcessCollector>()});
    if (!admin.ok()) {
      rt->server_->Shutdown();
      return admin.status();
    }
    rt->admin_ = std::move(*admin);
  }

  grpc::HealthCheckServiceInterface* health = rt->server_->GetHealthCheckService();
  health->SetServingStatus("", true);
  for (const ServiceRegistration& s : rt->services_) health->SetServingStatus(s.name, true);
  if (rt->admin_) rt->admin_->set_ready(true);

  std::vector<std::string> names;
  for (const ServiceRegistration& s : rt->services_) names.push_back(s.name);
  std::string joined;
  for (const std::string& n : names) absl::StrAppend(&joined, joined.empty() ? "" : ",", n);
  rt->logger_->Info("serving", {{"port", rt->port_},
                                {"admin_port", rt->admin_port()},
                                {"services", joined},
                                {"tls", options.tls.enabled()}});
  return rt;
}

int ServerRuntime::admin_port() const { return admin_ ? admin_->port() : -1; }

void ServerRuntime::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  const auto started = std::chrono::steady_clock::now();
  logger_->Info("shutdown", {{"phase", "not_serving"},
                             {"drain_seconds", options_.shutdown_drain_seconds},
                             {"grace_seconds", options_.shutdown_grace_seconds}});
  grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
  health->SetServingStatus("", false);
  for (const ServiceRegistration& s : services_) health->SetServingStatus(s.name, false);
  if (admin_) admin_->set_ready(false);

  if (options_.shutdown_drain_seconds > 0) {
    std::this_thread::sleep_for(std::chrono::duration<double>(options_.shutdown_drain_seconds));
  }
  const auto deadline =
      std::chrono::system_clock::now() +
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::duration<double>(options_.shutdown_grace_seconds));
  server_->Shutdown(deadline);
  server_->Wait();
  admin_.reset();
  logger_->Info("stopped", {{"shutdown_seconds",
                             std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                           started)
                                 .count()}});
}

ServerRuntime::~ServerRuntime() {
  if (server_ != nullptr && !shut_down_) {
    options_.shutdown_drain_seconds = 0;
    Shutdown();
  }
}

absl::Status RunServer(const ServerOptions& options, std::vector<ServiceRegistration> services,
                       std::shared_ptr<prometheus::Registry> registry) {
  // Block the stop signals in this thread before gRPC starts its threads (they inherit the
  // mask), so that only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto runtime = ServerRuntime::Start(options, std::move(services), std::move(registry),
                                      &std::cerr);
  if (!runtime.ok()) return runtime.status();
  const std::string shown_host = options.host == "0.0.0.0" ? "127.0.0.1" : options.host;
  std::cout << options.server_name << " listening on " << shown_host << ":" << (*runtime)->port()
            << " (gRPC" << (options.tls.enabled() ? ", TLS" : "") << ")";
  if ((*runtime)->admin_port() >= 0) {
    std::cout << ", admin http://" << shown_host << ":" << (*runtime)->admin_port()
              << "/metrics /healthz /readyz";
  }
  std::cout << std::endl;

  int received = 0;
  sigwait(&signals, &received);
  (*runtime)->logger().Info("signal", {{"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"}});
  (*runtime)->Shutdown();
  return absl::OkStatus();
}

}  // namespace sqlmill

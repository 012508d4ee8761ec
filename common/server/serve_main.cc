// ServeMain: the shared main() of the server binaries.
#include "common/server/serve_main.h"

#include "common/base/worker_pool.h"
#include "common/server/limits_flags.h"
#include "common/server/server_runtime.h"

namespace sqlmill {

int ServeMain(std::string_view binary_name, std::vector<std::string> args,
              const ServiceFactory& make_services, std::ostream& out, std::ostream& err) {
  const std::string name(binary_name);
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      out << "usage: " << name << " [flags]\n\n" << ServerFlagsHelp() << LimitsFlagsHelp();
      return 0;
    }
  }
  ServerOptions server;
  server.server_name = name;
  Limits limits;
  constexpr uint64_t kUnset = ~uint64_t{0};
  limits.max_call_memory_bytes = kUnset;
  absl::Status s = ParseServerFlags(&args, &server);
  if (s.ok()) s = ParseLimitsFlags(&args, &limits);
  if (s.ok() && !args.empty()) {
    s = absl::InvalidArgumentError("unknown argument '" + args[0] + "' (see --help)");
  }
  if (!s.ok()) {
    err << name << ": " << s.message() << "\n";
    return 2;
  }
  auto registry = std::make_shared<prometheus::Registry>();
  WorkerPool pool(WorkerPoolOptions{server.workers, server.max_queued_calls});
  limits.max_response_bytes = static_cast<uint64_t>(server.max_message_bytes);
  if (limits.max_call_memory_bytes == kUnset) {
    limits.max_call_memory_bytes = DefaultCallMemoryBytes(UsableMemoryBytes(), pool.workers());
  }
  CallScheduler scheduler(&pool, registry.get(), limits);
  std::vector<NamedService> services = make_services(ServingEnv{limits, &scheduler});
  std::vector<ServiceRegistration> registrations;
  for (NamedService& service : services) {
    registrations.push_back(ServiceRegistration{service.name, service.service.get()});
  }
  s = RunServer(server, std::move(registrations), registry);
  if (!s.ok()) {
    err << name << ": " << s.message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace sqlmill

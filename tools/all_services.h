// The services the all-in-one server hosts, built from one options struct.
//
// Only services whose engines exist are registered; a service is never registered to
// answer with a placeholder. Owned here; thread-safety is each service's own.
#ifndef SQLMILL_TOOLS_ALL_SERVICES_H_
#define SQLMILL_TOOLS_ALL_SERVICES_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/server/server_runtime.h"
#include "grpcpp/impl/codegen/service_type.h"

namespace sqlmill {

struct AllServicesOptions {
  uint64_t max_input_bytes = 64ull << 20;  // largest script / template / project file
};

// Consumes the service flags it knows (--max_input_bytes) from args.
absl::Status ParseServiceFlags(std::vector<std::string>* args, AllServicesOptions* options);
std::string ServiceFlagsHelp();

class ServiceSet {
 public:
  explicit ServiceSet(const AllServicesOptions& options);
  const std::vector<ServiceRegistration>& registrations() const { return registrations_; }

 private:
  std::vector<std::unique_ptr<grpc::Service>> owned_;
  std::vector<ServiceRegistration> registrations_;
};

}  // namespace sqlmill

#endif  // SQLMILL_TOOLS_ALL_SERVICES_H_

// The services the all-in-one server hosts, built from the request limits.
//
// Only services whose engines are part of this build are registered (SQLMILL_HAVE_*); a
// service is never registered to answer with a placeholder. Owns the service objects;
// thread-safety is each service's own.
#ifndef SQLMILL_TOOLS_ALL_SERVICES_H_
#define SQLMILL_TOOLS_ALL_SERVICES_H_

#include <memory>
#include <vector>

#include "common/base/limits.h"
#include "common/server/server_runtime.h"
#include "grpcpp/impl/codegen/service_type.h"

namespace sqlmill {

class ServiceSet {
 public:
  explicit ServiceSet(const Limits& limits);
  const std::vector<ServiceRegistration>& registrations() const { return registrations_; }

 private:
  void Add(std::unique_ptr<grpc::Service> service, const char* name);

  std::vector<std::unique_ptr<grpc::Service>> owned_;
  std::vector<ServiceRegistration> registrations_;
};

}  // namespace sqlmill

#endif  // SQLMILL_TOOLS_ALL_SERVICES_H_

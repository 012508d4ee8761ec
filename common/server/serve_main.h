// The body of every server binary's main(): flags → options → services → RunServer.
//
// Parses the server flags (server_options.h) and the limit flags (limits_flags.h), rejects
// anything else with a clear message (exit 2), builds the services through the factory,
// and runs until SIGTERM/SIGINT (exit 0; start-up failure: exit 1). --help prints the flags.
//
// The worker pool (--workers, --max_queued_calls) and its CallScheduler are made here, before
// the services (which register their methods on it) and destroyed after the server stops.
//
//   int main(int argc, char** argv) {
//     return sqlmill::ServeMain("sql-parser-server", {argv + 1, argv + argc},
//         [](const sqlmill::ServingEnv& env) { ... return services; }, std::cout, std::cerr);
//   }
#ifndef SQLMILL_COMMON_SERVER_SERVE_MAIN_H_
#define SQLMILL_COMMON_SERVER_SERVE_MAIN_H_

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/limits.h"
#include "common/server/call_scheduler.h"
#include "grpcpp/impl/codegen/service_type.h"

namespace sqlmill {

struct NamedService {
  std::string name;  // full service name, e.g. "sqlmill.v1.SqlParserService"
  std::unique_ptr<grpc::Service> service;
};

using ServiceFactory = std::function<std::vector<NamedService>(const ServingEnv& env)>;

// Returns the process exit code.
int ServeMain(std::string_view binary_name, std::vector<std::string> args,
              const ServiceFactory& make_services, std::ostream& out, std::ostream& err);

}  // namespace sqlmill

#endif  // SQLMILL_COMMON_SERVER_SERVE_MAIN_H_

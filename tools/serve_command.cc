// Flags → options → RunServer for the all-in-one server.
#include "tools/serve_command.h"

#include "common/server/limits_flags.h"
#include "common/server/server_runtime.h"
#include "tools/all_services.h"

namespace sqlmill {

int RunServeCommand(std::vector<std::string> args, std::ostream& out, std::ostream& err) {
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      out << "usage: sqlmill serve [flags]\n\nHosts every sqlmill service on one gRPC port.\n\n"
          << ServerFlagsHelp() << LimitsFlagsHelp();
      return 0;
    }
  }
  ServerOptions server_options;
  server_options.server_name = "sqlmill-server";
  Limits limits;
  absl::Status s = ParseServerFlags(&args, &server_options);
  if (s.ok()) s = ParseLimitsFlags(&args, &limits);
  if (s.ok() && !args.empty()) {
    s = absl::InvalidArgumentError("unknown argument '" + args[0] + "' (see --help)");
  }
  if (!s.ok()) {
    err << "sqlmill serve: " << s.message() << "\n";
    return 2;
  }
  ServiceSet services(limits);
  s = RunServer(server_options, services.registrations());
  if (!s.ok()) {
    err << "sqlmill serve: " << s.message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace sqlmill

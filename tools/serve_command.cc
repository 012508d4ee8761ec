// `sqlmill serve` and sqlmill-server: ServeMain over every service of this build.
#include "tools/serve_command.h"

#include "common/server/serve_main.h"
#include "tools/all_services.h"

namespace sqlmill {

int RunServeCommand(std::vector<std::string> args, std::ostream& out, std::ostream& err) {
  return ServeMain("sqlmill-server", std::move(args), MakeAllServices, out, err);
}

}  // namespace sqlmill

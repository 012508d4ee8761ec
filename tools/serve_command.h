// `sqlmill serve` and the sqlmill-server binary: the all-in-one server hosting every
// implemented service on one port. Flags: ServerFlagsHelp() + ServiceFlagsHelp().
#ifndef SQLMILL_TOOLS_SERVE_COMMAND_H_
#define SQLMILL_TOOLS_SERVE_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace sqlmill {

// Runs the server until SIGTERM/SIGINT. Returns the process exit code.
int RunServeCommand(std::vector<std::string> args, std::ostream& out, std::ostream& err);

}  // namespace sqlmill

#endif  // SQLMILL_TOOLS_SERVE_COMMAND_H_

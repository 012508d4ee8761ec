// `sqlmill validate` and `sqlmill diff` with --server host:port: the same requests sent to
// a running server's SchemaValidatorService (SQL files travel as text and are parsed there).
// Without --server they run in-process.
#ifndef SQLMILL_TOOLS_VALIDATE_REMOTE_H_
#define SQLMILL_TOOLS_VALIDATE_REMOTE_H_

#include <ostream>
#include <string>
#include <vector>

namespace sqlmill {

int RunValidateCli(std::vector<std::string> args, std::ostream& out, std::ostream& err);
int RunDiffCli(std::vector<std::string> args, std::ostream& out, std::ostream& err);

}  // namespace sqlmill

#endif  // SQLMILL_TOOLS_VALIDATE_REMOTE_H_

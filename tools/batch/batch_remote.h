// `sqlmill batch` for the CLI: in-process, or with --server host:port every call goes to a
// running server (TLS flags as for the other commands).
#ifndef SQLMILL_TOOLS_BATCH_BATCH_REMOTE_H_
#define SQLMILL_TOOLS_BATCH_BATCH_REMOTE_H_

#include <ostream>
#include <string>
#include <vector>

namespace sqlmill {

int RunBatchCli(std::vector<std::string> args, std::ostream& out, std::ostream& err);

}  // namespace sqlmill

#endif  // SQLMILL_TOOLS_BATCH_BATCH_REMOTE_H_

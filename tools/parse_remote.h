// `sqlmill parse`: in-process by default (services/sql_parser/parse_command.h), or against a
// running server with --server host:port (same request, same printing, same exit codes).
#ifndef SQLMILL_TOOLS_PARSE_REMOTE_H_
#define SQLMILL_TOOLS_PARSE_REMOTE_H_

#include <ostream>
#include <string>
#include <vector>

namespace sqlmill {

int RunParseCli(std::vector<std::string> args, std::ostream& out, std::ostream& err);

}  // namespace sqlmill

#endif  // SQLMILL_TOOLS_PARSE_REMOTE_H_

// `sqlmill migrate` with --server host:port: the ScaffoldProject request sent to a running
// server's DbtCompilerService (SQL files travel as text and are parsed there). Without
// --server it runs in-process.
#ifndef SQLMILL_TOOLS_MIGRATE_REMOTE_H_
#define SQLMILL_TOOLS_MIGRATE_REMOTE_H_

#include <ostream>
#include <string>
#include <vector>

namespace sqlmill {

int RunMigrateCli(std::vector<std::string> args, std::ostream& out, std::ostream& err);

}  // namespace sqlmill

#endif  // SQLMILL_TOOLS_MIGRATE_REMOTE_H_

// `sqlmill dbt compile PROJECT_DIR [flags]`: compiles a dbt project directory in-process and
// writes target/compiled/<project>/... and target/manifest.json inside it, as `dbt compile`
// does, then prints a summary, the DAG order and diagnostics.
//
// Stateless; thread-safe (each call reads and writes only its project directory).
//
//   return RunDbtCommand({"compile", "examples/dbt/retail_analytics", "--target-type",
//                         "sqlserver", "--database", "Retail", "--schema", "dbo"},
//                        std::cout, std::cerr);
#ifndef SQLMILL_SERVICES_DBT_COMPILER_DBT_COMMAND_H_
#define SQLMILL_SERVICES_DBT_COMPILER_DBT_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/dbt_compiler/engine/project.h"

namespace sqlmill::dbt {

// Returns 0 when every node compiled, 1 when some node failed or the project could not be
// compiled, 2 on a usage error.
int RunDbtCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// Reads a project directory into a FileMap (skipping target/, logs/, .git/).
absl::StatusOr<FileMap> ReadProjectDirectory(const std::string& dir);

}  // namespace sqlmill::dbt

#endif  // SQLMILL_SERVICES_DBT_COMPILER_DBT_COMMAND_H_

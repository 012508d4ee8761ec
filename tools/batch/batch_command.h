// `sqlmill batch`: a whole migration estate, unit (database) by unit, resumable and
// shardable over a Kubernetes Indexed Job. See BatchUsage() for the flags, output layout
// and exit codes; batch_plan.h for estates, manifests and sharding.
//
// Thread-safety: one run at a time per process (it installs SIGINT/SIGTERM handlers).
#ifndef SQLMILL_TOOLS_BATCH_BATCH_COMMAND_H_
#define SQLMILL_TOOLS_BATCH_BATCH_COMMAND_H_

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "sqlmill/v1/dbt_compiler.pb.h"
#include "sqlmill/v1/schema_validator.pb.h"
#include "sqlmill/v1/sql_parser.pb.h"

namespace sqlmill::batch {

// How a run reaches the engines: in-process, or a server (--server). Called from several
// threads at once (--jobs).
struct BatchCalls {
  std::function<absl::StatusOr<v1::ParseFilesResponse>(const v1::ParseFilesRequest&)> parse;
  std::function<absl::StatusOr<v1::ValidateResponse>(const v1::ValidateRequest&)> validate;
  std::function<absl::StatusOr<v1::ScaffoldProjectResponse>(const v1::ScaffoldProjectRequest&)> scaffold;
};

// Exit codes (also what deploy/k8s's Job podFailurePolicy reads).
inline constexpr int kExitClean = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInputErrors = 3;
inline constexpr int kExitRetry = 4;  // units left undone by a failure worth retrying

BatchCalls InProcessCalls();
int RunBatchCommand(const std::vector<std::string>& args, const BatchCalls& calls, std::ostream& out,
                    std::ostream& err);
const char* BatchUsage();

}  // namespace sqlmill::batch

#endif  // SQLMILL_TOOLS_BATCH_BATCH_COMMAND_H_

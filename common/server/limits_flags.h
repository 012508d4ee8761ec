// Flags for the engine limits every service applies to a request (common/base/limits.h):
//   --max_input_bytes     largest script / template / project file a request may carry
//   --max_nesting_depth   deepest nesting (parentheses, blocks, template recursion)
//   --max_work_units      engine work budget per request (0 = unlimited)
//   --max_template_steps  steps one template render may take (default 20,000,000)
//   --max_call_seconds    longest a call may run on the server (default 300)
//   --max_call_memory_bytes  memory one call may hold (default from the memory limit)
// Parsed in main() (and `sqlmill serve`) and passed down as a Limits value.
#ifndef SQLMILL_COMMON_SERVER_LIMITS_FLAGS_H_
#define SQLMILL_COMMON_SERVER_LIMITS_FLAGS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/base/limits.h"

namespace sqlmill {

// Consumes the limit flags it knows from args (`--name=value` or `--name value`).
absl::Status ParseLimitsFlags(std::vector<std::string>* args, Limits* limits);
std::string LimitsFlagsHelp();

// The default --max_call_memory_bytes from UsableMemoryBytes() (worker_pool.h): what is left after a 256 MiB reserve for the server,
// shared by the workers (each runs one call), between 64 MiB and 768 MiB. With the cap a
// DDL script the parser accepts answers within the default --max_message_bytes.
uint64_t DefaultCallMemoryBytes(uint64_t usable_memory_bytes, int workers);

}  // namespace sqlmill

#endif  // SQLMILL_COMMON_SERVER_LIMITS_FLAGS_H_

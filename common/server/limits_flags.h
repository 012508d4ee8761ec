// Flags for the engine limits every service applies to a request (common/base/limits.h):
//   --max_input_bytes     largest script / template / project file a request may carry
//   --max_nesting_depth   deepest nesting (parentheses, blocks, template recursion)
//   --max_work_units      engine work budget per request (0 = unlimited)
//   --max_template_steps  steps one template render may take (default 20,000,000)
//   --max_call_seconds    longest a call may run on the server (default 300)
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

}  // namespace sqlmill

#endif  // SQLMILL_COMMON_SERVER_LIMITS_FLAGS_H_

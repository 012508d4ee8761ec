// Builds the registered service set for the all-in-one server.
#include "tools/all_services.h"

#include <charconv>

#include "absl/strings/str_cat.h"

namespace sqlmill {

absl::Status ParseServiceFlags(std::vector<std::string>* args, AllServicesOptions* options) {
  std::vector<std::string> rest;
  for (size_t i = 0; i < args->size(); ++i) {
    const std::string& arg = (*args)[i];
    const std::string prefix = "--max_input_bytes";
    if (arg.rfind(prefix, 0) == 0 && (arg.size() == prefix.size() || arg[prefix.size()] == '=')) {
      std::string value;
      if (arg.size() > prefix.size()) {
        value = arg.substr(prefix.size() + 1);
      } else if (i + 1 < args->size()) {
        value = (*args)[++i];
      }
      uint64_t parsed = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
      if (ec != std::errc() || ptr != value.data() + value.size() || parsed == 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "flag --max_input_bytes: expected a positive integer but found '", value, "'"));
      }
      options->max_input_bytes = parsed;
      continue;
    }
    rest.push_back(arg);
  }
  *args = std::move(rest);
  return absl::OkStatus();
}

std::string ServiceFlagsHelp() {
  return "Service flags:\n"
         "  --max_input_bytes=VALUE                  largest script, template or project file "
         "a request may carry (default 67108864)\n";
}

ServiceSet::ServiceSet(const AllServicesOptions& options) {
  (void)options;  // used as services are registered below (issues #3-#6)
}

}  // namespace sqlmill

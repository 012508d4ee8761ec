// Limit flag parsing.
#include "common/server/limits_flags.h"

#include <algorithm>
#include <charconv>

#include "absl/strings/str_cat.h"

namespace sqlmill {

absl::Status ParseLimitsFlags(std::vector<std::string>* args, Limits* limits) {
  std::vector<std::string> rest;
  for (size_t i = 0; i < args->size(); ++i) {
    const std::string& arg = (*args)[i];
    const char* matched = nullptr;
    std::string value;
    for (const char* flag :
         {"max_input_bytes", "max_nesting_depth", "max_work_units", "max_template_steps",
          "max_call_seconds", "max_call_memory_bytes"}) {
      const std::string dashed = absl::StrCat("--", flag);
      if (arg == dashed) {
        if (i + 1 >= args->size()) {
          return absl::InvalidArgumentError(absl::StrCat("flag ", dashed, " needs a value"));
        }
        value = (*args)[++i];
        matched = flag;
      } else if (arg.rfind(dashed + "=", 0) == 0) {
        value = arg.substr(dashed.size() + 1);
        matched = flag;
      }
      if (matched != nullptr) break;
    }
    if (matched == nullptr) {
      rest.push_back(arg);
      continue;
    }
    uint64_t parsed = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    const bool zero_allowed = std::string_view(matched) == "max_work_units" ||
                              std::string_view(matched) == "max_template_steps" ||
                              std::string_view(matched) == "max_call_memory_bytes" ||
                              std::string_view(matched) == "max_call_seconds";
    if (ec != std::errc() || ptr != value.data() + value.size() || (parsed == 0 && !zero_allowed)) {
      return absl::InvalidArgumentError(absl::StrCat("flag --", matched, ": expected a ",
                                                     zero_allowed ? "non-negative" : "positive",
                                                     " integer but found '", value, "'"));
    }
    const std::string_view name = matched;
    if (name == "max_input_bytes") {
      limits->max_input_bytes = parsed;
    } else if (name == "max_nesting_depth") {
      limits->max_nesting_depth = static_cast<int>(parsed);
    } else if (name == "max_call_memory_bytes") {
      limits->max_call_memory_bytes = parsed;
    } else if (name == "max_template_steps") {
      limits->max_template_steps = parsed;
    } else if (name == "max_call_seconds") {
      limits->max_call_seconds = parsed;
    } else {
      limits->max_work_units = parsed;
    }
  }
  *args = std::move(rest);
  return absl::OkStatus();
}

std::string LimitsFlagsHelp() {
  return "Limit flags (per request):\n"
         "  --max_input_bytes=VALUE                  largest script, template or project file "
         "(default 67108864)\n"
         "  --max_nesting_depth=VALUE                deepest nesting of parentheses, blocks, "
         "template recursion (default 200)\n"
         "  --max_work_units=VALUE                   engine work budget, 0 = unlimited "
         "(default 0)\n"
         "  --max_template_steps=VALUE               steps one template render may take, "
         "0 = unlimited (default 20000000)\n"
         "  --max_call_seconds=VALUE                 longest a call may run, whatever its "
         "deadline; 0 = unlimited (default 300)\n"
         "  --max_call_memory_bytes=VALUE            memory one call may hold; 0 = unlimited "
         "(default: (memory limit - 256 MiB) / workers, at most 768 MiB)\n";
}

uint64_t DefaultCallMemoryBytes(uint64_t usable_memory_bytes, int workers) {
  constexpr uint64_t kReserve = 256ull << 20;  // the server itself, gRPC's buffers
  // 2.7 × kCap / kParseBytesPerInputByte (34) ≤ the default 64 MiB --max_message_bytes: an
  // accepted script's answer (at most 2.7× the script, on tiny tables) fits one message.
  constexpr uint64_t kCap = 768ull << 20;
  constexpr uint64_t kFloor = 64ull << 20;
  if (usable_memory_bytes == 0) return kCap;
  const uint64_t spare = usable_memory_bytes > kReserve + kFloor ? usable_memory_bytes - kReserve
                                                                 : kFloor;
  return std::clamp<uint64_t>(spare / static_cast<uint64_t>(std::max(1, workers)), kFloor, kCap);
}

}  // namespace sqlmill

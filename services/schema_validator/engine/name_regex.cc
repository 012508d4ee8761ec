// NameRegex: std::regex plus a per-copy memo of results by name.
#include "services/schema_validator/engine/name_regex.h"

#include "absl/strings/str_cat.h"
#include "common/base/strings.h"

namespace sqlmill::validator {

absl::StatusOr<NameRegex> NameRegex::Compile(std::string pattern, Mode mode, Case case_mode) {
  auto flags = std::regex::ECMAScript;
  if (case_mode == kIgnoreCase) flags |= std::regex::icase;
  try {
    auto re = std::make_shared<const std::regex>(pattern, flags);
    return NameRegex(std::move(pattern), std::move(re), mode);
  } catch (const std::regex_error& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad regular expression '", pattern, "': ", e.what()));
  }
}

bool NameRegex::Matches(std::string_view name) const {
  auto it = memo_.find(AsAbsl(name));
  if (it != memo_.end()) return it->second;
  const bool result = mode_ == kWholeName ? std::regex_match(name.begin(), name.end(), *re_)
                                          : std::regex_search(name.begin(), name.end(), *re_);
  if (memo_.size() < kMaxMemo) memo_.emplace(std::string(name), result);
  return result;
}

}  // namespace sqlmill::validator

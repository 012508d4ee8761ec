// NameRegex on RE2.
#include "services/schema_validator/engine/name_regex.h"

#include "absl/strings/str_cat.h"
#include "re2/re2.h"

namespace sqlmill::validator {

absl::StatusOr<NameRegex> NameRegex::Compile(std::string pattern, Mode mode, Case case_mode) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_case_sensitive(case_mode == kCaseSensitive);
  auto re = std::make_shared<const RE2>(pattern, options);
  if (!re->ok()) {
    return absl::InvalidArgumentError(absl::StrCat("bad regular expression '", pattern, "': ", re->error()));
  }
  return NameRegex(std::move(pattern), std::move(re), mode);
}

bool NameRegex::Matches(std::string_view name) const {
  const re2::StringPiece text(name.data(), name.size());
  return mode_ == kWholeName ? RE2::FullMatch(text, *re_) : RE2::PartialMatch(text, *re_);
}

}  // namespace sqlmill::validator

// A compiled pattern over object names (RE2 syntax: the ECMAScript/Python-like classes,
// anchors, alternation and repetition names use; no lookaround or backreferences). RE2
// matches in linear time — no catastrophic backtracking on a user's pattern — and fast
// enough for the hundreds of thousands of names a large catalog has.
//
// Ownership: copies share the compiled pattern. Thread-safety: immutable after Compile;
// Matches may be called from any thread.
//
//   SQLMILL_ASSIGN_OR_RETURN(NameRegex re, NameRegex::Compile("^PK_\\w+$", NameRegex::kWholeName));
//   if (!re.Matches(constraint.name)) ...
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_NAME_REGEX_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_NAME_REGEX_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace re2 {
class RE2;
}

namespace sqlmill::validator {

class NameRegex {
 public:
  enum Mode { kWholeName, kSearch };  // the whole name must match vs a match anywhere
  enum Case { kCaseSensitive, kIgnoreCase };

  // Compiles `pattern`; INVALID_ARGUMENT "bad regular expression '<pattern>': <why>".
  static absl::StatusOr<NameRegex> Compile(std::string pattern, Mode mode,
                                           Case case_mode = kCaseSensitive);

  bool Matches(std::string_view name) const;
  const std::string& pattern() const { return pattern_; }

 private:
  NameRegex(std::string pattern, std::shared_ptr<const re2::RE2> re, Mode mode)
      : pattern_(std::move(pattern)), re_(std::move(re)), mode_(mode) {}

  std::string pattern_;
  std::shared_ptr<const re2::RE2> re_;
  Mode mode_ = kWholeName;
};

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_NAME_REGEX_H_

// A compiled ECMAScript pattern over object names, with a memo of results: rules test the
// same column names (Id, CreatedAt, Name...) thousands of times in a large catalog, and
// std::regex costs microseconds a match.
//
// Ownership: the compiled pattern is shared between copies (immutable); each copy keeps its
// own memo. Thread-safety: a copy belongs to one rule instance, i.e. one validation run on
// one thread (Matches() fills the memo).
//
//   SQLMILL_ASSIGN_OR_RETURN(NameRegex re, NameRegex::Compile("^PK_\\w+$", NameRegex::kWholeName));
//   if (!re.Matches(constraint.name)) ...
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_NAME_REGEX_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_NAME_REGEX_H_

#include <memory>
#include <regex>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace sqlmill::validator {

class NameRegex {
 public:
  enum Mode { kWholeName, kSearch };  // regex_match vs regex_search
  enum Case { kCaseSensitive, kIgnoreCase };

  // Compiles `pattern`; INVALID_ARGUMENT "bad regular expression '<pattern>': <why>".
  static absl::StatusOr<NameRegex> Compile(std::string pattern, Mode mode,
                                           Case case_mode = kCaseSensitive);

  bool Matches(std::string_view name) const;
  const std::string& pattern() const { return pattern_; }

 private:
  // Names memoized at most; beyond it, matches are computed without being stored.
  static constexpr size_t kMaxMemo = 1 << 16;

  NameRegex(std::string pattern, std::shared_ptr<const std::regex> re, Mode mode)
      : pattern_(std::move(pattern)), re_(std::move(re)), mode_(mode) {}

  std::string pattern_;
  std::shared_ptr<const std::regex> re_;
  Mode mode_ = kWholeName;
  mutable absl::flat_hash_map<std::string, bool> memo_;
};

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_NAME_REGEX_H_

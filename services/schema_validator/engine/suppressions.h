// Inline suppressions written in the SQL source:
//
//   -- sqlmill:ignore pk-required, heap-table     (this line and the next line)
//   CREATE TABLE dbo.staging_load (...)
//   -- sqlmill:ignore-file money-type             (the whole file)
//
// A comment with no rule ids (or `*`) suppresses every rule. A finding is suppressed when
// its span starts on the comment's line or on the line after it.
//
// Ownership: Suppressions owns what it parsed. Thread-safety: immutable after Add().
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_SUPPRESSIONS_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_SUPPRESSIONS_H_

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "services/schema_validator/engine/report.h"

namespace sqlmill::validator {

class Suppressions {
 public:
  // Scans one source file's text for sqlmill:ignore comments.
  void Add(std::string_view file, std::string_view text);
  // Returns true when the finding is suppressed by a comment.
  bool Suppresses(const Finding& finding) const;
  bool empty() const { return by_file_.empty(); }

 private:
  struct FileEntries {
    std::map<int, std::set<std::string>> lines;  // line → rule ids ("*" = all)
    std::set<std::string> whole_file;
  };
  static bool Covers(const std::set<std::string>& ids, const std::string& rule_id);
  std::map<std::string, FileEntries, std::less<>> by_file_;
};

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_SUPPRESSIONS_H_

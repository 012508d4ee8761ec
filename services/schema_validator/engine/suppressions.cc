// Finds "sqlmill:ignore" markers inside -- line comments and /* */ block comments with a
// plain text scan: markers in string literals are not excluded, which costs at most a
// missed finding and keeps the scan independent of the parser.
#include "services/schema_validator/engine/suppressions.h"

namespace sqlmill::validator {
namespace {

bool IdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '*' || c == ':';
}

}  // namespace

void Suppressions::Add(std::string_view file, std::string_view text) {
  static constexpr std::string_view kMarker = "sqlmill:ignore";
  int line = 1;
  size_t line_start = 0;
  size_t pos = 0;
  while ((pos = text.find(kMarker, pos)) != std::string_view::npos) {
    for (size_t i = line_start; i < pos; ++i) {
      if (text[i] == '\n') ++line;
    }
    line_start = pos;
    size_t i = pos + kMarker.size();
    bool whole_file = false;
    if (text.substr(i, 5) == "-file") {
      whole_file = true;
      i += 5;
    } else if (i < text.size() && IdChar(text[i])) {
      pos = i;  // "sqlmill:ignored" or similar: not a marker
      continue;
    }
    std::set<std::string> ids;
    // Rule ids follow, separated by spaces or commas, up to the end of the line or comment.
    while (i < text.size() && text[i] != '\n' && text.substr(i, 2) != "*/") {
      if (IdChar(text[i])) {
        size_t start = i;
        while (i < text.size() && IdChar(text[i]) && text.substr(i, 2) != "*/") ++i;
        ids.insert(std::string(text.substr(start, i - start)));
      } else {
        ++i;
      }
    }
    if (ids.empty()) ids.insert("*");
    FileEntries& entries = by_file_[std::string(file)];
    if (whole_file) {
      entries.whole_file.insert(ids.begin(), ids.end());
    } else {
      entries.lines[line].insert(ids.begin(), ids.end());
    }
    pos = i;
  }
}

bool Suppressions::Covers(const std::set<std::string>& ids, const std::string& rule_id) {
  return ids.count("*") > 0 || ids.count(rule_id) > 0;
}

bool Suppressions::Suppresses(const Finding& f) const {
  auto it = by_file_.find(f.location.file);
  if (it == by_file_.end()) return false;
  const FileEntries& e = it->second;
  if (Covers(e.whole_file, f.rule_id)) return true;
  if (!f.location.known()) return false;
  const int line = f.location.begin.line;
  for (int l : {line, line - 1}) {
    auto li = e.lines.find(l);
    if (li != e.lines.end() && Covers(li->second, f.rule_id)) return true;
  }
  return false;
}

}  // namespace sqlmill::validator

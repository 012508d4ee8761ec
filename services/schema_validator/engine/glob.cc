// Backtracking glob matcher; patterns are short and paths have a handful of segments, so
// the worst case stays small.
#include "services/schema_validator/engine/glob.h"

#include <vector>

namespace sqlmill::validator {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool Match(std::string_view p, std::string_view t) {
  if (p.empty()) return t.empty();
  if (p.size() >= 2 && p[0] == '*' && p[1] == '*') {
    std::string_view rest = p.substr(2);
    for (size_t i = 0; i <= t.size(); ++i) {
      if (Match(rest, t.substr(i))) return true;
    }
    return false;
  }
  if (p[0] == '*') {
    std::string_view rest = p.substr(1);
    for (size_t i = 0; i <= t.size(); ++i) {
      if (Match(rest, t.substr(i))) return true;
      if (i < t.size() && t[i] == '.') return false;
    }
    return false;
  }
  if (t.empty()) return false;
  if (p[0] == '?' ? t[0] != '.' : Lower(p[0]) == Lower(t[0])) return Match(p.substr(1), t.substr(1));
  return false;
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text) { return Match(pattern, text); }

bool IgnorePatternMatches(std::string_view pattern, std::string_view path) {
  auto any_prefix = [&](std::string_view p) {
    if (GlobMatch(pattern, p)) return true;
    for (size_t i = 0; i < p.size(); ++i) {
      if (p[i] == '.' && GlobMatch(pattern, p.substr(0, i))) return true;
    }
    return false;
  };
  if (any_prefix(path)) return true;
  const size_t dot = path.find('.');
  // Only paths with four or more parts (db.schema.table.x) or three-part table paths may
  // carry a database; trying without the first part is harmless for the others.
  return dot != std::string_view::npos && any_prefix(path.substr(dot + 1));
}

}  // namespace sqlmill::validator

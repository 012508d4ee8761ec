// CTE injection (see cte.h). Thread-safe.
#include "services/dbt_compiler/engine/internal/cte.h"

#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"

namespace sqlmill::dbt {
namespace {

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Skips whitespace and comments from `i`; returns the new position.
size_t SkipSpace(std::string_view s, size_t i) {
  while (i < s.size()) {
    if (absl::ascii_isspace(static_cast<unsigned char>(s[i]))) {
      ++i;
    } else if (s.compare(i, 2, "--") == 0) {
      while (i < s.size() && s[i] != '\n') ++i;
    } else if (s.compare(i, 2, "/*") == 0) {
      size_t end = s.find("*/", i + 2);
      i = end == std::string_view::npos ? s.size() : end + 2;
    } else {
      break;
    }
  }
  return i;
}

bool WordAt(std::string_view s, size_t i, std::string_view word) {
  if (i + word.size() > s.size()) return false;
  for (size_t k = 0; k < word.size(); ++k) {
    if (absl::ascii_tolower(static_cast<unsigned char>(s[i + k])) != word[k]) return false;
  }
  if (i > 0 && IsWordChar(s[i - 1])) return false;
  return i + word.size() == s.size() || !IsWordChar(s[i + word.size()]);
}

}  // namespace

std::string InjectCtes(std::string_view sql, const std::vector<std::string>& ctes) {
  if (ctes.empty()) return std::string(sql);
  const std::string joined = absl::StrJoin(ctes, ", ");
  // Find the first top-level WITH keyword.
  int depth = 0;
  size_t i = 0;
  size_t with_end = std::string_view::npos;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"' || c == '`') {
      size_t end = sql.find(c, i + 1);
      i = end == std::string_view::npos ? sql.size() : end + 1;
      continue;
    }
    if (sql.compare(i, 2, "--") == 0 || sql.compare(i, 2, "/*") == 0) {
      i = SkipSpace(sql, i);
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth == 0 && WordAt(sql, i, "with")) {
      with_end = i + 4;
      size_t next = SkipSpace(sql, with_end);
      if (WordAt(sql, next, "recursive")) with_end = next + 9;
      break;
    }
    if (IsWordChar(c)) {
      while (i < sql.size() && IsWordChar(sql[i])) ++i;
      continue;
    }
    ++i;
  }
  std::string out;
  if (with_end == std::string_view::npos) {
    const size_t first = SkipSpace(sql, 0);
    // Comments before the first token stay where they are.
    size_t lead = 0;
    while (lead < sql.size() && absl::ascii_isspace(static_cast<unsigned char>(sql[lead]))) ++lead;
    (void)first;
    out.append(sql.substr(0, lead));
    out.append("with");
    out.append(joined);
    out.append(" ");
    out.append(sql.substr(lead));
    return out;
  }
  // dbt inserts the CTEs and ", " after the whitespace that follows WITH.
  size_t ws_end = with_end;
  while (ws_end < sql.size() && absl::ascii_isspace(static_cast<unsigned char>(sql[ws_end]))) ++ws_end;
  out.append(sql.substr(0, ws_end));
  out.append(joined);
  out.append(", ");
  out.append(sql.substr(ws_end));
  return out;
}

}  // namespace sqlmill::dbt

// The sqlcmd pre-pass: one forward scan over the decoded text, line by line, carrying the
// lexical state (nested block comment, open quote) across lines so GO and directives are
// recognised only where sqlcmd/SSMS would recognise them.
#include "services/sql_parser/engine/script_prepass.h"

#include <algorithm>
#include <array>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/base/strings.h"
#include "services/sql_parser/engine/catalog.h"

namespace sqlmill::tsql {

void OffsetMap::AddReplacement(uint32_t text_start, uint32_t text_len, uint32_t orig_start,
                               uint32_t orig_len) {
  replacements_.push_back({text_start, text_len, orig_start, orig_len});
}

uint32_t OffsetMap::ToOriginal(uint32_t text_offset) const {
  if (replacements_.empty() || text_offset < replacements_.front().text_start) return text_offset;
  // The last replacement starting at or before the offset.
  auto it = std::upper_bound(
      replacements_.begin(), replacements_.end(), text_offset,
      [](uint32_t off, const Replacement& r) { return off < r.text_start; });
  const Replacement& r = *(it - 1);
  if (text_offset < r.text_start + r.text_len) {
    return r.orig_start + std::min(text_offset - r.text_start, r.orig_len);
  }
  return text_offset - (r.text_start + r.text_len) + r.orig_start + r.orig_len;
}

SourceSpan OffsetMap::ToOriginal(SourceSpan span) const {
  if (replacements_.empty()) return span;
  const uint32_t begin = ToOriginal(span.offset);
  uint32_t end = ToOriginal(span.end());
  if (end < begin) end = begin;
  return SourceSpan{begin, end - begin};
}

namespace {

constexpr int kPollEveryLines = 4096;

// Bytes that may start a comment, a quoted run or a $(var) outside any of them.
constexpr std::array<bool, 256> MakeSpecial() {
  std::array<bool, 256> t{};
  for (char c : {'-', '/', '\'', '"', '[', '$'}) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr std::array<bool, 256> kSpecial = MakeSpecial();

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsVarChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_' || c == '-';
}
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// Returns true for a GO separator line; sets *repeat from `GO n`.
bool IsGoLine(std::string_view line, int* repeat) {
  size_t i = 0;
  while (i < line.size() && IsBlank(line[i])) ++i;
  if (line.size() - i < 2 || Lower(line[i]) != 'g' || Lower(line[i + 1]) != 'o') return false;
  i += 2;
  if (i < line.size() && !IsBlank(line[i]) && line[i] != '-') return false;
  while (i < line.size() && IsBlank(line[i])) ++i;
  *repeat = 1;
  if (i < line.size() && IsDigit(line[i])) {
    int n = 0;
    while (i < line.size() && IsDigit(line[i])) {
      n = std::min(n * 10 + (line[i] - '0'), 1000000);
      ++i;
    }
    *repeat = std::max(n, 1);
    while (i < line.size() && IsBlank(line[i])) ++i;
  }
  if (i == line.size()) return true;
  return line.size() - i >= 2 && line[i] == '-' && line[i + 1] == '-';
}

class Prepass {
 public:
  Prepass(std::string_view text, const PrepassOptions& options, std::string_view file,
          DiagnosticSink* sink)
      : in_(text), file_(file), sink_(sink) {
    for (const auto& [name, value] : options.variables) vars_[ToUpperAscii(name)] = value;
  }

  absl::StatusOr<PreparedScript> Run(const CancellationToken* cancel) {
    out_.text.reserve(in_.size() + in_.size() / 16);
    size_t pos = 0;
    int lines = 0;
    while (pos < in_.size()) {
      if (cancel != nullptr && ++lines % kPollEveryLines == 0) {
        absl::Status status = cancel->Check();
        if (!status.ok()) return status;
      }
      size_t eol = in_.find('\n', pos);
      const size_t next = eol == std::string_view::npos ? in_.size() : eol + 1;
      if (eol == std::string_view::npos) eol = in_.size();
      std::string_view line = in_.substr(pos, eol - pos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (comment_depth_ == 0 && quote_ == 0 && HandleSpecialLine(line, pos, next)) {
        pos = next;
        continue;
      }
      ScanLine(pos, next);
      pos = next;
    }
    out_.batches.push_back(Batch{batch_begin_, static_cast<uint32_t>(out_.text.size()), 1});
    return std::move(out_);
  }

 private:
  // Handles a GO or directive line; returns false for an ordinary line.
  bool HandleSpecialLine(std::string_view line, size_t pos, size_t next) {
    int repeat = 1;
    if (IsGoLine(line, &repeat)) {
      const auto line_start = static_cast<uint32_t>(out_.text.size());
      out_.batches.push_back(Batch{batch_begin_, line_start, repeat});
      Blank(pos, next);
      batch_begin_ = static_cast<uint32_t>(out_.text.size());
      return true;
    }
    size_t i = 0;
    while (i < line.size() && IsBlank(line[i])) ++i;
    if (i + 1 < line.size() && line[i] == '!' && line[i + 1] == '!') {
      Report("sqlcmd-directive", "sqlcmd shell command (!!) is not run by the parser", pos + i,
             line.size() - i);
      Blank(pos, next);
      return true;
    }
    if (i >= line.size() || line[i] != ':') return false;
    size_t j = i + 1;
    while (j < line.size() && ((line[j] >= 'a' && line[j] <= 'z') || (line[j] >= 'A' && line[j] <= 'Z'))) ++j;
    const std::string command = ToLowerAscii(line.substr(i + 1, j - i - 1));
    static constexpr std::string_view kCommands[] = {
        "setvar", "on", "r", "connect", "out", "error", "exit", "quit", "reset", "ed",
        "listvar", "help", "serverlist", "xml", "perftrace"};
    if (std::find(std::begin(kCommands), std::end(kCommands), command) == std::end(kCommands)) {
      return false;
    }
    const SourceSpan span{static_cast<uint32_t>(pos + i), static_cast<uint32_t>(line.size() - i)};
    if (command == "setvar") {
      SetVar(line.substr(j), span);
    } else if (command == "r") {
      Report("sqlcmd-include",
             absl::StrCat("sqlcmd :r includes another file; the parser does not follow it (",
                          AsAbsl(Trim(line.substr(j))), ")"),
             span.offset, span.length);
    } else if (command == "on") {
      Report("sqlcmd-directive",
             absl::StrCat("sqlcmd :on ", AsAbsl(Trim(line.substr(j))),
                          " noted; parsing always continues after an error"),
             span.offset, span.length);
    } else {
      Report("sqlcmd-directive",
             absl::StrCat("sqlcmd :", command, " is ignored by the parser"), span.offset,
             span.length);
    }
    Blank(pos, next);
    return true;
  }

  static std::string_view Trim(std::string_view s) {
    while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
    while (!s.empty() && (IsBlank(s.back()) || s.back() == '\r')) s.remove_suffix(1);
    return s;
  }

  // :setvar name [value | "value"]; no value removes the variable.
  void SetVar(std::string_view rest, SourceSpan span) {
    rest = Trim(rest);
    size_t k = 0;
    while (k < rest.size() && IsVarChar(rest[k])) ++k;
    if (k == 0) {
      sink_->Warning("sqlcmd-setvar", "expected a variable name after :setvar", std::string(file_),
                     span);
      return;
    }
    const std::string name = ToUpperAscii(rest.substr(0, k));
    std::string_view value = Trim(rest.substr(k));
    if (value.empty()) {
      vars_.erase(name);
      return;
    }
    if (value.front() == '"') {
      std::string unquoted;
      size_t q = 1;
      for (; q < value.size(); ++q) {
        if (value[q] == '"') {
          if (q + 1 < value.size() && value[q + 1] == '"') {
            unquoted.push_back('"');
            ++q;
            continue;
          }
          break;
        }
        unquoted.push_back(value[q]);
      }
      vars_[name] = std::move(unquoted);
    } else {
      size_t e = 0;
      while (e < value.size() && !IsBlank(value[e])) ++e;
      vars_[name] = std::string(value.substr(0, e));
    }
  }

  void Report(std::string code, std::string message, size_t offset, size_t length) {
    sink_->Info(std::move(code), std::move(message), std::string(file_),
                SourceSpan{static_cast<uint32_t>(offset), static_cast<uint32_t>(length)});
  }

  // Copies [pos, next) as spaces, keeping line breaks so line numbers stay put.
  void Blank(size_t pos, size_t next) {
    for (size_t k = pos; k < next; ++k) {
      const char c = in_[k];
      out_.text.push_back(c == '\n' || c == '\r' ? c : ' ');
    }
  }

  // Copies one line, tracking comments and quotes and substituting $(var).
  void ScanLine(size_t pos, size_t next) {
    size_t copy_from = pos;
    size_t i = pos;
    while (i < next) {
      // Fast skips over the bytes that cannot change the state (most of a script).
      if (comment_depth_ > 0) {
        while (i < next && in_[i] != '*' && in_[i] != '/') ++i;
      } else if (quote_ != 0) {
        while (i < next && in_[i] != quote_ && in_[i] != '$') ++i;
      } else {
        while (i < next && !kSpecial[static_cast<unsigned char>(in_[i])]) ++i;
      }
      if (i >= next) break;
      const char c = in_[i];
      if (comment_depth_ > 0) {
        if (c == '*' && i + 1 < next && in_[i + 1] == '/') {
          --comment_depth_;
          i += 2;
        } else if (c == '/' && i + 1 < next && in_[i + 1] == '*') {
          ++comment_depth_;
          i += 2;
        } else {
          ++i;
        }
        continue;
      }
      if (c == '$' && i + 1 < next && in_[i + 1] == '(') {
        size_t close = i + 2;
        while (close < next && IsVarChar(in_[close])) ++close;
        if (close < next && in_[close] == ')' && close > i + 2) {
          Substitute(i, close + 1, &copy_from);
          i = close + 1;
          continue;
        }
      }
      if (quote_ != 0) {
        if (c == quote_) {
          if (i + 1 < next && in_[i + 1] == quote_) {
            i += 2;
            continue;
          }
          quote_ = 0;
        }
        ++i;
        continue;
      }
      switch (c) {
        case '-':
          if (i + 1 < next && in_[i + 1] == '-') i = next;  // rest of the line is a comment
          else ++i;
          break;
        case '/':
          if (i + 1 < next && in_[i + 1] == '*') {
            comment_depth_ = 1;
            i += 2;
          } else {
            ++i;
          }
          break;
        case '\'':
          quote_ = '\'';
          ++i;
          break;
        case '"':
          quote_ = '"';
          ++i;
          break;
        case '[':
          quote_ = ']';
          ++i;
          break;
        default:
          ++i;
      }
    }
    out_.text.append(in_.substr(copy_from, next - copy_from));
  }

  // Replaces in_[begin, end) = "$(name)" with the variable's value.
  void Substitute(size_t begin, size_t end, size_t* copy_from) {
    const std::string_view name = in_.substr(begin + 2, end - begin - 3);
    auto it = vars_.find(ToUpperAscii(name));
    if (it == vars_.end()) {
      sink_->Warning("sqlcmd-undefined-variable",
                     absl::StrCat("sqlcmd variable '", AsAbsl(name),
                                  "' is not defined (pass it as a request variable or :setvar); "
                                  "the text is left as written"),
                     std::string(file_),
                     SourceSpan{static_cast<uint32_t>(begin), static_cast<uint32_t>(end - begin)});
      return;
    }
    out_.text.append(in_.substr(*copy_from, begin - *copy_from));
    const auto text_start = static_cast<uint32_t>(out_.text.size());
    out_.text.append(it->second);
    out_.offsets.AddReplacement(text_start, static_cast<uint32_t>(it->second.size()),
                                static_cast<uint32_t>(begin), static_cast<uint32_t>(end - begin));
    *copy_from = end;
  }

  std::string_view in_;
  std::string_view file_;
  DiagnosticSink* sink_;
  absl::flat_hash_map<std::string, std::string> vars_;
  PreparedScript out_;
  uint32_t batch_begin_ = 0;
  int comment_depth_ = 0;
  char quote_ = 0;
};

}  // namespace

absl::StatusOr<PreparedScript> PrepareScript(std::string_view decoded, const PrepassOptions& options,
                                             std::string_view file, DiagnosticSink* sink,
                                             const CancellationToken* cancel) {
  Prepass prepass(decoded, options, file, sink);
  return prepass.Run(cancel);
}

}  // namespace sqlmill::tsql

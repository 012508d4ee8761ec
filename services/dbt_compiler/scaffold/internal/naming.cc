#include "services/dbt_compiler/scaffold/internal/naming.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "common/base/strings.h"

namespace sqlmill::dbt::scaffold_internal {
namespace {

// ASCII spelling of a Latin-1 letter (U+00C0..U+00FF), diacritics dropped; "" for the
// two non-letters of the block (× and ÷).
std::string_view Latin1Ascii(uint32_t cp) {
  static const char* const kTable[64] = {
      "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
      "D", "N", "O", "O", "O", "O", "O", "", "O", "U", "U", "U", "U", "Y", "TH", "ss",
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
      "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y"};
  return kTable[cp - 0xC0];
}

// Decodes one UTF-8 sequence at s[i]; advances i. Invalid bytes decode as themselves.
uint32_t NextCodePoint(std::string_view s, size_t& i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
  if (i + len > s.size()) len = 1;
  uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char Lower(char c) { return IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string SnakeCase(std::string_view name) {
  // First to ASCII letters and digits, with ' ' marking separators.
  std::string ascii;
  for (size_t i = 0; i < name.size();) {
    const uint32_t cp = NextCodePoint(name, i);
    if (cp < 0x80) {
      const char c = static_cast<char>(cp);
      ascii.push_back(IsUpper(c) || IsLower(c) || IsDigit(c) ? c : ' ');
    } else if (cp >= 0xC0 && cp <= 0xFF && !Latin1Ascii(cp).empty()) {
      ascii.append(Latin1Ascii(cp));
    } else {
      ascii.push_back(' ');
    }
  }
  std::string out;
  auto separate = [&out] {
    if (!out.empty() && out.back() != '_') out.push_back('_');
  };
  for (size_t i = 0; i < ascii.size(); ++i) {
    const char c = ascii[i];
    if (c == ' ') {
      separate();
      continue;
    }
    if (IsUpper(c) && i > 0) {
      const char prev = ascii[i - 1];
      const char next = i + 1 < ascii.size() ? ascii[i + 1] : '\0';
      // salesOrder → sales_order, Line1Text → line1_text, HTTPServer → http_server.
      if (IsLower(prev) || IsDigit(prev) || (IsUpper(prev) && IsLower(next))) separate();
    }
    out.push_back(Lower(c));
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.empty()) return "_";
  if (IsDigit(out[0])) out.insert(out.begin(), '_');
  return out;
}

char QuoteChar(const validator::TargetProfile& profile) { return profile.quote_char(); }

bool NeedsQuotes(const validator::TargetProfile& profile, std::string_view name) {
  return !profile.IsPlainIdentifier(name) || profile.IsReserved(name);
}

std::string QuoteIdentifier(const validator::TargetProfile& profile, std::string_view name, bool force_quotes) {
  if (!force_quotes && !NeedsQuotes(profile, name)) return std::string(name);
  const char open = profile.quote_char();
  const char close = open == '[' ? ']' : open;
  std::string out(1, open);
  for (char c : name) {
    if (c == close) out.push_back(open == '`' ? '\\' : close);
    out.push_back(c);
  }
  out.push_back(close);
  return out;
}

std::string NameAllocator::Truncate(std::string_view name, size_t reserve) const {
  const int64_t max = profile_.MaxIdentifierLength(kind_);
  if (max <= 0 || profile_.IdentifierLength(name) + static_cast<int64_t>(reserve) <= max) return std::string(name);
  const size_t budget = static_cast<size_t>(max) > reserve ? static_cast<size_t>(max) - reserve : 1;
  // Cut whole code points while the name is over budget.
  std::string out(name);
  while (!out.empty() && profile_.IdentifierLength(out) > static_cast<int64_t>(budget)) {
    size_t cut = out.size() - 1;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  return out;
}

AllocatedName NameAllocator::Allocate(std::string_view original, std::string_view base) {
  AllocatedName result;
  std::string name = !base.empty() ? std::string(base) : keep_names_ ? std::string(original) : SnakeCase(original);
  std::vector<std::string> reasons;
  if (!keep_names_ && profile_.IsReserved(name)) {
    reasons.push_back(absl::StrCat("'", name, "' is a reserved word on ", profile_.display_name()));
    name += "_";
  }
  const int64_t max = profile_.MaxIdentifierLength(kind_);
  if (max > 0 && profile_.IdentifierLength(name) > max) {
    reasons.push_back(absl::StrCat("longer than ", max, " characters, the limit on ", profile_.display_name()));
    name = Truncate(name, 0);
  }
  std::string key = profile_.CollisionKey(name, kind_);
  if (auto it = taken_.find(key); it != taken_.end()) {
    const std::string holder = it->second;
    for (int n = 2;; ++n) {
      const std::string suffix = absl::StrCat("_", n);
      std::string candidate = Truncate(name, suffix.size()) + suffix;
      std::string candidate_key = profile_.CollisionKey(candidate, kind_);
      if (!taken_.contains(candidate_key)) {
        name = std::move(candidate);
        key = std::move(candidate_key);
        break;
      }
    }
    reasons.push_back(absl::StrCat("the name collides with '", holder, "' on ", profile_.display_name()));
  }
  taken_.emplace(key, std::string(original));
  result.quoted = keep_names_ && NeedsQuotes(profile_, name);
  result.name = std::move(name);
  for (size_t i = 0; i < reasons.size(); ++i) absl::StrAppend(&result.reason, i ? "; " : "", reasons[i]);
  return result;
}

}  // namespace sqlmill::dbt::scaffold_internal

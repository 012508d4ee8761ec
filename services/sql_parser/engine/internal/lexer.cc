// The hand-written lexer: a byte loop dispatching on the first character of each token.
#include "services/sql_parser/engine/internal/lexer.h"

#include <array>
#include <unordered_map>

#include "TSqlLexer.h"
#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"

namespace sqlmill::tsql::internal {

using gen::TSqlLexer;

namespace {

constexpr size_t kMaxKeywordLength = 24;

struct Vocabulary {
  std::vector<std::string> names;                      // symbolic name per type
  std::vector<std::string> literals;                   // "'('" or "" per type
  std::unordered_map<std::string_view, int> keywords;  // upper-case text -> type (views into names)
};

const Vocabulary& GetVocabulary() {
  static const Vocabulary* vocabulary = [] {
    auto* v = new Vocabulary();
    antlr4::ANTLRInputStream input("");
    TSqlLexer lexer(&input);
    const antlr4::dfa::Vocabulary& vocab = lexer.getVocabulary();
    const size_t max_type = vocab.getMaxTokenType();
    v->names.resize(max_type + 1);
    v->literals.resize(max_type + 1);
    for (size_t type = 1; type <= max_type; ++type) {
      v->names[type] = vocab.getSymbolicName(type);
      v->literals[type] = vocab.getLiteralName(type);
    }
    // names is never resized again, so views into its strings stay valid.
    for (size_t type = 1; type <= max_type; ++type) {
      const std::string& name = v->names[type];
      if (name.size() > 2 && name[0] == 'K' && name[1] == '_') {
        v->keywords.emplace(std::string_view(name).substr(2), static_cast<int>(type));
      }
    }
    return v;
  }();
  return *vocabulary;
}

// Character classes for the first byte of a token and for identifier continuation.
enum : uint8_t { kOther = 0, kIdStart = 1, kIdPart = 2, kDigit = 4, kSpace = 8 };

constexpr std::array<uint8_t, 256> MakeClasses() {
  std::array<uint8_t, 256> c{};
  for (int i = 'a'; i <= 'z'; ++i) c[i] = kIdStart | kIdPart;
  for (int i = 'A'; i <= 'Z'; ++i) c[i] = kIdStart | kIdPart;
  c['_'] = kIdStart | kIdPart;
  c['#'] = kIdStart | kIdPart;
  c['@'] = kIdPart;
  c['$'] = kIdPart;
  for (int i = '0'; i <= '9'; ++i) c[i] = kDigit | kIdPart;
  for (int i = 0x80; i <= 0xFF; ++i) c[i] = kIdStart | kIdPart;  // refined for NBSP/BOM below
  c[' '] = c['\t'] = c['\r'] = c['\n'] = c['\f'] = c['\v'] = kSpace;
  return c;
}
constexpr std::array<uint8_t, 256> kClasses = MakeClasses();

inline uint8_t ClassAt(std::string_view s, size_t i) {
  return kClasses[static_cast<unsigned char>(s[i])];
}

// NBSP (C2 A0) and BOM (EF BB BF) are white space although they are non-ASCII.
inline size_t UnicodeSpaceLength(std::string_view s, size_t i, size_t end) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c == 0xC2 && i + 1 < end && static_cast<unsigned char>(s[i + 1]) == 0xA0) return 2;
  if (c == 0xEF && i + 2 < end && static_cast<unsigned char>(s[i + 1]) == 0xBB &&
      static_cast<unsigned char>(s[i + 2]) == 0xBF) {
    return 3;
  }
  return 0;
}

inline bool IsIdPart(std::string_view s, size_t i, size_t end) {
  if (!(ClassAt(s, i) & kIdPart)) return false;
  return static_cast<unsigned char>(s[i]) < 0x80 || UnicodeSpaceLength(s, i, end) == 0;
}

inline bool IsDigitAt(std::string_view s, size_t i, size_t end) {
  return i < end && s[i] >= '0' && s[i] <= '9';
}

}  // namespace

int KeywordType(std::string_view word) {
  if (word.size() > kMaxKeywordLength) return 0;
  char buf[kMaxKeywordLength];
  for (size_t i = 0; i < word.size(); ++i) {
    const char c = word[i];
    buf[i] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
  }
  const Vocabulary& v = GetVocabulary();
  auto it = v.keywords.find(std::string_view(buf, word.size()));
  return it == v.keywords.end() ? 0 : it->second;
}

std::string_view TokenTypeName(int type) {
  if (type == kEofType) return "EOF";
  const Vocabulary& v = GetVocabulary();
  if (type <= 0 || static_cast<size_t>(type) >= v.names.size()) return "UNKNOWN";
  return v.names[type];
}

std::string DescribeTokenType(int type) {
  switch (type) {
    case kEofType: return "end of statement";
    case TSqlLexer::ID:
    case TSqlLexer::BRACKET_ID:
    case TSqlLexer::QUOTED_ID: return "an identifier";
    case TSqlLexer::VARIABLE: return "a variable";
    case TSqlLexer::STRING: return "a string";
    case TSqlLexer::INT:
    case TSqlLexer::DECIMAL:
    case TSqlLexer::FLOAT:
    case TSqlLexer::MONEY:
    case TSqlLexer::BINARY: return "a number";
    default: break;
  }
  const Vocabulary& v = GetVocabulary();
  if (type > 0 && static_cast<size_t>(type) < v.literals.size() && !v.literals[type].empty()) {
    return v.literals[type];
  }
  const std::string_view name = TokenTypeName(type);
  if (name.size() > 2 && name[0] == 'K' && name[1] == '_') return std::string(name.substr(2));
  if (name == "NE") return "'<>'";
  if (name == "COMPOUND_ASSIGN") return "an assignment operator";
  return std::string(name);
}

absl::Status Lex(std::string_view text, uint32_t begin, uint32_t end, const LexOptions& options,
                 WorkBudget* budget, std::vector<Token>* tokens, std::vector<LexError>* errors) {
  (void)GetVocabulary();  // build the table before the hot loop
  size_t i = begin;
  auto emit = [&](int type, size_t start) -> absl::Status {
    tokens->push_back(Token{type, static_cast<uint32_t>(start), static_cast<uint32_t>(i - start)});
    return budget != nullptr ? budget->Charge(1) : absl::OkStatus();
  };
  // Scans a quoted run ending at `close` (doubled `close` escapes it).
  auto scan_quoted = [&](size_t start, char close, std::string_view what) {
    i = start + 1;
    while (true) {
      const size_t found = text.find(close, i);
      if (found == std::string_view::npos || found >= end) {
        i = end;
        errors->push_back(LexError{SourceSpan{static_cast<uint32_t>(start), 1},
                                   absl::StrCat("unterminated ", AsAbsl(what), "; expected '",
                                                std::string(1, close), "' before the end of the batch")});
        return;
      }
      if (found + 1 < end && text[found + 1] == close) {
        i = found + 2;
        continue;
      }
      i = found + 1;
      return;
    }
  };

  while (i < end) {
    const char c = text[i];
    const uint8_t cls = kClasses[static_cast<unsigned char>(c)];
    if (cls & kSpace) {
      ++i;
      continue;
    }
    const size_t start = i;
    if (static_cast<unsigned char>(c) >= 0x80) {
      if (const size_t n = UnicodeSpaceLength(text, i, end)) {
        i += n;
        continue;
      }
    }
    // N'unicode string'
    if ((c == 'N' || c == 'n') && i + 1 < end && text[i + 1] == '\'') {
      scan_quoted(i + 1, '\'', "string");
      SQLMILL_RETURN_IF_ERROR(emit(TSqlLexer::STRING, start));
      continue;
    }
    if (cls & kIdStart) {
      ++i;
      while (i < end && IsIdPart(text, i, end)) ++i;
      const int kw = KeywordType(text.substr(start, i - start));
      SQLMILL_RETURN_IF_ERROR(emit(kw != 0 ? kw : TSqlLexer::ID, start));
      continue;
    }
    if (cls & kDigit) {
      if (c == '0' && i + 1 < end && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
        i += 2;
        while (i < end && ((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'f') ||
                           (text[i] >= 'A' && text[i] <= 'F'))) {
          ++i;
        }
        SQLMILL_RETURN_IF_ERROR(emit(TSqlLexer::BINARY, start));
        continue;
      }
      int type = TSqlLexer::INT;
      while (IsDigitAt(text, i, end)) ++i;
      if (i < end && text[i] == '.') {
        type = TSqlLexer::DECIMAL;
        ++i;
        while (IsDigitAt(text, i, end)) ++i;
      }
      if (i < end && (text[i] == 'e' || text[i] == 'E')) {
        size_t j = i + 1;
        if (j < end && (text[j] == '+' || text[j] == '-')) ++j;
        if (IsDigitAt(text, j, end)) {
          i = j;
          while (IsDigitAt(text, i, end)) ++i;
          type = TSqlLexer::FLOAT;
        }
      }
      SQLMILL_RETURN_IF_ERROR(emit(type, start));
      continue;
    }
    const char next = i + 1 < end ? text[i + 1] : '\0';
    int type = TSqlLexer::UNKNOWN;
    switch (c) {
      case '\'':
        scan_quoted(i, '\'', "string");
        type = TSqlLexer::STRING;
        break;
      case '[':
        scan_quoted(i, ']', "[identifier]");
        type = TSqlLexer::BRACKET_ID;
        break;
      case '"':
        scan_quoted(i, '"', options.quoted_identifier ? "\"identifier\"" : "string");
        type = options.quoted_identifier ? TSqlLexer::QUOTED_ID : TSqlLexer::STRING;
        break;
      case '@':
        ++i;
        while (i < end && IsIdPart(text, i, end)) ++i;
        type = TSqlLexer::VARIABLE;
        break;
      case '$': {
        size_t j = i + 1;
        if (j < end && ((text[j] >= 'a' && text[j] <= 'z') || (text[j] >= 'A' && text[j] <= 'Z') ||
                        text[j] == '_')) {
          i = j + 1;
          while (i < end && IsIdPart(text, i, end)) ++i;
          type = TSqlLexer::ID;
          break;
        }
        if (j < end && (text[j] == '+' || text[j] == '-')) ++j;
        if (IsDigitAt(text, j, end) || (j + 1 < end && text[j] == '.' && IsDigitAt(text, j + 1, end))) {
          i = j;
          while (IsDigitAt(text, i, end)) ++i;
          if (i < end && text[i] == '.') {
            ++i;
            while (IsDigitAt(text, i, end)) ++i;
          }
          type = TSqlLexer::MONEY;
          break;
        }
        ++i;
        break;
      }
      case '-':
        if (next == '-') {
          const size_t nl = text.find('\n', i);
          i = (nl == std::string_view::npos || nl >= end) ? end : nl + 1;
          continue;
        }
        i += next == '=' ? 2 : 1;
        type = next == '=' ? TSqlLexer::COMPOUND_ASSIGN : TSqlLexer::MINUS;
        break;
      case '/':
        if (next == '*') {
          int depth = 1;
          i += 2;
          while (i < end && depth > 0) {
            if (text[i] == '*' && i + 1 < end && text[i + 1] == '/') {
              --depth;
              i += 2;
            } else if (text[i] == '/' && i + 1 < end && text[i + 1] == '*') {
              ++depth;
              i += 2;
            } else {
              ++i;
            }
          }
          if (depth > 0) {
            errors->push_back(LexError{SourceSpan{static_cast<uint32_t>(start), 2},
                                       "unterminated /* comment; expected '*/' before the end of "
                                       "the batch"});
          }
          continue;
        }
        i += next == '=' ? 2 : 1;
        type = next == '=' ? TSqlLexer::COMPOUND_ASSIGN : TSqlLexer::SLASH;
        break;
      case '.':
        if (IsDigitAt(text, i + 1, end)) {
          ++i;
          while (IsDigitAt(text, i, end)) ++i;
          type = TSqlLexer::DECIMAL;
          if (i < end && (text[i] == 'e' || text[i] == 'E')) {
            size_t j = i + 1;
            if (j < end && (text[j] == '+' || text[j] == '-')) ++j;
            if (IsDigitAt(text, j, end)) {
              i = j;
              while (IsDigitAt(text, i, end)) ++i;
              type = TSqlLexer::FLOAT;
            }
          }
          break;
        }
        ++i;
        type = TSqlLexer::DOT;
        break;
      case ':':
        i += next == ':' ? 2 : 1;
        type = next == ':' ? TSqlLexer::DCOLON : TSqlLexer::COLON;
        break;
      case '<':
        if (next == '=' || next == '>') {
          i += 2;
          type = next == '=' ? TSqlLexer::LE : TSqlLexer::NE;
        } else {
          ++i;
          type = TSqlLexer::LT;
        }
        break;
      case '>':
        i += next == '=' ? 2 : 1;
        type = next == '=' ? TSqlLexer::GE : TSqlLexer::GT;
        break;
      case '!':
        if (next == '=' || next == '<' || next == '>') {
          i += 2;
          type = next == '=' ? TSqlLexer::NE : next == '<' ? TSqlLexer::NLT : TSqlLexer::NGT;
        } else {
          ++i;
          type = TSqlLexer::BANG;
        }
        break;
      case '+': case '*': case '%': case '&': case '^': case '|':
        if (next == '=') {
          i += 2;
          type = TSqlLexer::COMPOUND_ASSIGN;
          break;
        }
        ++i;
        type = c == '+' ? TSqlLexer::PLUS : c == '*' ? TSqlLexer::STAR : c == '%' ? TSqlLexer::PERCENT_SIGN
             : c == '&' ? TSqlLexer::AMP : c == '^' ? TSqlLexer::CARET : TSqlLexer::PIPE;
        break;
      case '=': ++i; type = TSqlLexer::EQ; break;
      case '(': ++i; type = TSqlLexer::LPAREN; break;
      case ')': ++i; type = TSqlLexer::RPAREN; break;
      case '{': ++i; type = TSqlLexer::LBRACE; break;
      case '}': ++i; type = TSqlLexer::RBRACE; break;
      case ',': ++i; type = TSqlLexer::COMMA; break;
      case ';': ++i; type = TSqlLexer::SEMI; break;
      case '~': ++i; type = TSqlLexer::TILDE; break;
      default: ++i; break;
    }
    SQLMILL_RETURN_IF_ERROR(emit(type, start));
  }
  return absl::OkStatus();
}

}  // namespace sqlmill::tsql::internal

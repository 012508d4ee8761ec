#include "services/dbt_compiler/scaffold/internal/check_values.h"

#include <cctype>

namespace sqlmill::dbt::scaffold_internal {
namespace {

enum class Tok { kEnd, kIdent, kString, kNumber, kLParen, kRParen, kComma, kEquals, kIn, kOr, kOther };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;
};

std::vector<Token> Tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  auto is_word = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '@' || c == '#' || c == '$' ||
           static_cast<unsigned char>(c) >= 0x80;
  };
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '(' || c == ')' || c == ',' || c == '=') {
      out.push_back({c == '(' ? Tok::kLParen : c == ')' ? Tok::kRParen : c == ',' ? Tok::kComma : Tok::kEquals, ""});
      ++i;
    } else if (c == '[' || c == '"') {
      const char close = c == '[' ? ']' : '"';
      std::string text;
      ++i;
      for (;; ++i) {
        if (i >= s.size()) return {{Tok::kOther, ""}};
        if (s[i] == close) {
          if (i + 1 < s.size() && s[i + 1] == close) {
            text.push_back(close);
            ++i;
            continue;
          }
          ++i;
          break;
        }
        text.push_back(s[i]);
      }
      out.push_back({Tok::kIdent, std::move(text)});
    } else if (c == '\'' || ((c == 'N' || c == 'n') && i + 1 < s.size() && s[i + 1] == '\'')) {
      i += c == '\'' ? 1 : 2;
      std::string text;
      for (;; ++i) {
        if (i >= s.size()) return {{Tok::kOther, ""}};
        if (s[i] == '\'') {
          if (i + 1 < s.size() && s[i + 1] == '\'') {
            text.push_back('\'');
            ++i;
            continue;
          }
          ++i;
          break;
        }
        text.push_back(s[i]);
      }
      out.push_back({Tok::kString, std::move(text)});
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               ((c == '-' || c == '+') && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      std::string text(1, c);
      ++i;
      bool dot = false;
      while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || (s[i] == '.' && !dot))) {
        dot = dot || s[i] == '.';
        text.push_back(s[i++]);
      }
      if (text[0] == '+') text.erase(0, 1);
      out.push_back({Tok::kNumber, std::move(text)});
    } else if (is_word(c)) {
      std::string text;
      while (i < s.size() && is_word(s[i])) text.push_back(s[i++]);
      std::string upper;
      for (char w : text) upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(w))));
      if (upper == "IN") out.push_back({Tok::kIn, ""});
      else if (upper == "OR") out.push_back({Tok::kOr, ""});
      else if (upper == "AND" || upper == "NOT" || upper == "LIKE" || upper == "IS" || upper == "NULL" ||
               upper == "BETWEEN")
        out.push_back({Tok::kOther, ""});
      else out.push_back({Tok::kIdent, std::move(text)});
    } else {
      out.push_back({Tok::kOther, ""});
      ++i;
    }
  }
  out.push_back({Tok::kEnd, ""});
  return out;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

  bool Parse(CheckValues* out) {
    if (!OrExpr(out)) return false;
    return Peek() == Tok::kEnd && !out->values.empty();
  }

 private:
  Tok Peek() const { return t_[pos_].kind; }
  const Token& Take() { return t_[pos_ < t_.size() - 1 ? pos_++ : pos_]; }

  bool OrExpr(CheckValues* out) {
    if (!Term(out)) return false;
    while (Peek() == Tok::kOr) {
      Take();
      if (!Term(out)) return false;
    }
    return true;
  }

  bool SetColumn(CheckValues* out, const std::string& column) {
    if (!out->values.empty() || seen_column_) {
      std::string a, b;
      for (char c : out->column) a.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      for (char c : column) b.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      return a == b;
    }
    out->column = column;
    seen_column_ = true;
    return true;
  }

  bool AddValue(CheckValues* out, const Token& literal) {
    const bool is_string = literal.kind == Tok::kString;
    if (!out->values.empty() && out->strings != is_string) return false;
    out->strings = is_string;
    out->values.push_back(literal.text);
    return true;
  }

  static bool IsLiteral(Tok k) { return k == Tok::kString || k == Tok::kNumber; }

  // A literal, in any number of parentheses (SQL Server scripts constants as `(1)`).
  bool Literal(Token* out) {
    int parens = 0;
    while (Peek() == Tok::kLParen) {
      Take();
      ++parens;
    }
    if (!IsLiteral(Peek())) return false;
    *out = Take();
    for (; parens > 0; --parens) {
      if (Take().kind != Tok::kRParen) return false;
    }
    return true;
  }

  bool Term(CheckValues* out) {
    {  // 'a' = [col], the literal first
      const size_t start = pos_;
      Token lit;
      if (Literal(&lit) && Peek() == Tok::kEquals) {
        Take();
        const Token& col = Take();
        return col.kind == Tok::kIdent && SetColumn(out, col.text) && AddValue(out, lit);
      }
      pos_ = start;
    }
    if (Peek() == Tok::kLParen) {
      Take();
      // `(lit)` never starts a term here; a parenthesised expression does.
      if (!OrExpr(out)) return false;
      return Take().kind == Tok::kRParen;
    }
    if (Peek() == Tok::kIdent) {
      const std::string column = Take().text;
      if (!SetColumn(out, column)) return false;
      if (Peek() == Tok::kEquals) {
        Take();
        Token lit;
        return Literal(&lit) && AddValue(out, lit);
      }
      if (Peek() != Tok::kIn) return false;
      Take();
      if (Take().kind != Tok::kLParen) return false;
      for (;;) {
        Token lit;
        if (!Literal(&lit) || !AddValue(out, lit)) return false;
        const Tok next = Take().kind;
        if (next == Tok::kRParen) return true;
        if (next != Tok::kComma) return false;
      }
    }
    return false;
  }

  std::vector<Token> t_;
  size_t pos_ = 0;
  bool seen_column_ = false;
};

}  // namespace

std::optional<CheckValues> ParseCheckValues(std::string_view expression) {
  CheckValues out;
  if (!Parser(Tokenize(expression)).Parse(&out)) return std::nullopt;
  return out;
}

}  // namespace sqlmill::dbt::scaffold_internal

// Implementation of the Jinja lexer. See lexer.h. Thread-safe (no state).
#include "services/dbt_compiler/jinja/internal/lexer.h"

#include <cstdlib>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "services/dbt_compiler/jinja/internal/value_ops.h"

namespace sqlmill::jinja::internal {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsNameChar(char c) { return IsNameStart(c) || IsDigit(c); }

SourceSpan Span(size_t begin, size_t end) {
  return SourceSpan{static_cast<uint32_t>(begin), static_cast<uint32_t>(end - begin)};
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes Python unicode-escape sequences in a string literal body.
bool DecodeString(std::string_view body, std::string* out, std::string* error) {
  out->reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c != '\\' || i + 1 >= body.size()) {
      out->push_back(c);
      continue;
    }
    char e = body[++i];
    switch (e) {
      case '\n':
        break;
      case '\\':
        out->push_back('\\');
        break;
      case '\'':
        out->push_back('\'');
        break;
      case '"':
        out->push_back('"');
        break;
      case 'a':
        out->push_back('\a');
        break;
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'v':
        out->push_back('\v');
        break;
      case 'x':
      case 'u':
      case 'U': {
        int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        uint32_t cp = 0;
        for (int k = 0; k < n; ++k) {
          if (i + 1 + k >= body.size() || HexDigit(body[i + 1 + k]) < 0) {
            *error = absl::StrCat("truncated \\", std::string(1, e), " escape in string literal");
            return false;
          }
          cp = cp * 16 + HexDigit(body[i + 1 + k]);
        }
        i += n;
        if (cp > 0x10ffff) {
          *error = "illegal Unicode character in string literal";
          return false;
        }
        AppendUtf8(cp, out);
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          uint32_t cp = e - '0';
          for (int k = 0; k < 2 && i + 1 < body.size() && body[i + 1] >= '0' && body[i + 1] <= '7';
               ++k) {
            cp = cp * 8 + (body[++i] - '0');
          }
          AppendUtf8(cp, out);
        } else {
          out->push_back('\\');
          out->push_back(e);
        }
    }
  }
  return true;
}

class Lexer {
 public:
  Lexer(std::string_view src, const LexOptions& options, std::vector<Token>* tokens,
        SyntaxError* error)
      : src_(src), options_(options), tokens_(tokens), error_(error) {}

  bool Run() {
    size_t pos = 0;
    bool line_starting = true;
    const size_t n = src_.size();
    while (true) {
      size_t start = FindTagStart(pos);
      if (start == std::string_view::npos) {
        if (pos < n) EmitData(pos, n, src_.substr(pos));
        break;
      }
      char type = src_[start + 1];
      char sign = start + 2 < n && (src_[start + 2] == '-' || src_[start + 2] == '+')
                      ? src_[start + 2]
                      : 0;
      std::string_view text = src_.substr(pos, start - pos);
      if (sign == '-') {
        size_t e = text.size();
        while (e > 0 && IsSpace(text[e - 1])) --e;
        text = text.substr(0, e);
      } else if (sign != '+' && options_.lstrip_blocks && type != '{') {
        size_t nl = text.rfind('\n');
        size_t l_pos = nl == std::string_view::npos ? 0 : nl + 1;
        if (l_pos > 0 || line_starting) {
          bool all_space = true;
          for (size_t i = l_pos; i < text.size(); ++i) {
            if (!IsSpace(text[i])) {
              all_space = false;
              break;
            }
          }
          if (all_space) text = text.substr(0, l_pos);
        }
      }
      if (!text.empty()) EmitData(pos, pos + text.size(), text);
      size_t after_open = start + 2 + (sign ? 1 : 0);
      size_t next;
      if (type == '#') {
        if (!LexComment(start, after_open, &next)) return false;
      } else if (type == '%' && IsRawStart(after_open)) {
        if (!LexRaw(start, after_open, &next)) return false;
      } else {
        if (!LexTag(type, start, after_open, &next)) return false;
      }
      line_starting = next > 0 && src_[next - 1] == '\n';
      pos = next;
    }
    Token eof;
    eof.kind = TokenKind::kEof;
    eof.span = Span(n, n);
    tokens_->push_back(std::move(eof));
    return true;
  }

 private:
  size_t FindTagStart(size_t pos) const {
    while (true) {
      size_t p = src_.find('{', pos);
      if (p == std::string_view::npos || p + 1 >= src_.size()) return std::string_view::npos;
      char c = src_[p + 1];
      if (c == '{' || c == '%' || c == '#') return p;
      pos = p + 1;
    }
  }

  void EmitData(size_t begin, size_t end, std::string_view text) {
    Token t;
    t.kind = TokenKind::kData;
    t.span = Span(begin, end);
    t.text = src_.substr(begin, end - begin);
    t.value = std::string(text);
    tokens_->push_back(std::move(t));
  }

  bool Fail(std::string message, size_t begin, size_t end) {
    error_->message = std::move(message);
    error_->span = Span(begin, end > begin ? end : begin + 1 > src_.size() ? begin : begin + 1);
    return false;
  }

  // Skips whitespace after a tag end: all of it after '-', one newline under trim_blocks.
  size_t AfterTagEnd(size_t end, char sign, bool block_like) const {
    if (sign == '-') {
      while (end < src_.size() && IsSpace(src_[end])) ++end;
    } else if (sign != '+' && block_like && options_.trim_blocks && end < src_.size() &&
               src_[end] == '\n') {
      ++end;
    }
    return end;
  }

  bool LexComment(size_t start, size_t after_open, size_t* next) {
    size_t p = src_.find("#}", after_open);
    if (p == std::string_view::npos) {
      return Fail("missing end of comment tag", start, start + 2);
    }
    char sign = 0;
    if (p > after_open && (src_[p - 1] == '-' || src_[p - 1] == '+')) sign = src_[p - 1];
    *next = AfterTagEnd(p + 2, sign, true);
    return true;
  }

  // Returns true if "{%[-+]? raw [-+]?%}" starts here (after_open is past the sign).
  bool IsRawStart(size_t p) const {
    while (p < src_.size() && IsSpace(src_[p])) ++p;
    if (src_.compare(p, 3, "raw") != 0) return false;
    p += 3;
    if (p < src_.size() && IsNameChar(src_[p])) return false;
    while (p < src_.size() && IsSpace(src_[p])) ++p;
    if (p < src_.size() && (src_[p] == '-' || src_[p] == '+')) ++p;
    return src_.compare(p, 2, "%}") == 0;
  }

  bool LexRaw(size_t start, size_t after_open, size_t* next) {
    size_t p = src_.find("%}", after_open);
    char open_end_sign = (src_[p - 1] == '-' || src_[p - 1] == '+') ? src_[p - 1] : 0;
    size_t body_start = AfterTagEnd(p + 2, open_end_sign, false);
    // Find "{%[-+]?\s*endraw\s*[-+]?%}".
    size_t search = body_start;
    while (true) {
      size_t q = src_.find("{%", search);
      if (q == std::string_view::npos) {
        return Fail("missing end of raw directive", start, p + 2);
      }
      size_t r = q + 2;
      char close_sign = 0;
      if (r < src_.size() && (src_[r] == '-' || src_[r] == '+')) close_sign = src_[r++];
      while (r < src_.size() && IsSpace(src_[r])) ++r;
      if (src_.compare(r, 6, "endraw") == 0 &&
          (r + 6 >= src_.size() || !IsNameChar(src_[r + 6]))) {
        r += 6;
        while (r < src_.size() && IsSpace(src_[r])) ++r;
        char end_sign = 0;
        if (r < src_.size() && (src_[r] == '-' || src_[r] == '+')) end_sign = src_[r++];
        if (src_.compare(r, 2, "%}") == 0) {
          std::string_view body = src_.substr(body_start, q - body_start);
          if (close_sign == '-') {
            size_t e = body.size();
            while (e > 0 && IsSpace(body[e - 1])) --e;
            body = body.substr(0, e);
          } else if (close_sign != '+' && options_.lstrip_blocks) {
            size_t nl = body.rfind('\n');
            if (nl != std::string_view::npos) {
              bool all_space = true;
              for (size_t i = nl + 1; i < body.size(); ++i) all_space &= IsSpace(body[i]);
              if (all_space) body = body.substr(0, nl + 1);
            }
          }
          if (!body.empty()) EmitData(body_start, body_start + body.size(), body);
          *next = AfterTagEnd(r + 2, end_sign, true);
          return true;
        }
      }
      search = q + 2;
    }
  }

  bool LexTag(char type, size_t start, size_t after_open, size_t* next) {
    const bool block = type == '%';
    Token begin;
    begin.kind = block ? TokenKind::kBlockBegin : TokenKind::kVariableBegin;
    begin.span = Span(start, after_open);
    begin.text = src_.substr(start, after_open - start);
    tokens_->push_back(std::move(begin));
    const char close = block ? '%' : '}';
    size_t p = after_open;
    int depth = 0;
    const size_t n = src_.size();
    while (true) {
      while (p < n && IsSpace(src_[p])) ++p;
      if (p >= n) {
        return Fail(absl::StrCat("unexpected end of template, expected '", block ? "%}" : "}}",
                                 "'"),
                    start, after_open);
      }
      if (depth == 0) {
        char sign = 0;
        size_t q = p;
        if (src_[q] == '-' || (block && src_[q] == '+')) sign = src_[q++];
        if (q + 1 < n && src_[q] == close && src_[q + 1] == '}') {
          Token end;
          end.kind = block ? TokenKind::kBlockEnd : TokenKind::kVariableEnd;
          end.span = Span(p, q + 2);
          end.text = src_.substr(p, q + 2 - p);
          tokens_->push_back(std::move(end));
          *next = AfterTagEnd(q + 2, sign, block);
          return true;
        }
      }
      char c = src_[p];
      Token t;
      size_t tok_start = p;
      if (IsNameStart(c)) {
        while (p < n && IsNameChar(src_[p])) ++p;
        t.kind = TokenKind::kName;
      } else if (IsDigit(c)) {
        if (!LexNumber(p, &t, &p)) return false;
      } else if (c == '\'' || c == '"') {
        size_t q = p + 1;
        while (q < n && src_[q] != c) {
          if (src_[q] == '\\') ++q;
          ++q;
        }
        if (q >= n) return Fail("unterminated string literal", p, p + 1);
        t.kind = TokenKind::kString;
        std::string err;
        if (!DecodeString(src_.substr(p + 1, q - p - 1), &t.value, &err)) {
          return Fail(err, p, q + 1);
        }
        p = q + 1;
      } else {
        static constexpr const char* kTwo[] = {"//", "**", "==", "!=", ">=", "<="};
        size_t len = 0;
        for (const char* op : kTwo) {
          if (src_.compare(p, 2, op) == 0) {
            len = 2;
            break;
          }
        }
        if (len == 0 && std::strchr("+-/*%~[](){}><=.:|,;", c) != nullptr) len = 1;
        if (len == 0) {
          return Fail(absl::StrCat("unexpected char '", std::string(1, c), "'"), p, p + 1);
        }
        if (c == '(' || c == '[' || c == '{') ++depth;
        if (c == ')' || c == ']' || c == '}') {
          if (depth == 0) {
            return Fail(absl::StrCat("unexpected '", std::string(1, c), "'"), p, p + 1);
          }
          --depth;
        }
        t.kind = TokenKind::kOperator;
        p += len;
      }
      t.span = Span(tok_start, p);
      t.text = src_.substr(tok_start, p - tok_start);
      tokens_->push_back(std::move(t));
    }
  }

  bool LexNumber(size_t p, Token* t, size_t* end) {
    const size_t n = src_.size();
    size_t start = p;
    auto digits = [&](auto pred) {
      std::string out;
      while (p < n && (pred(src_[p]) || (src_[p] == '_' && p + 1 < n && pred(src_[p + 1])))) {
        if (src_[p] != '_') out.push_back(src_[p]);
        ++p;
      }
      return out;
    };
    if (src_[p] == '0' && p + 1 < n && std::strchr("xXoObB", src_[p + 1]) != nullptr &&
        src_[p + 1] != 0) {
      char kind = src_[p + 1] | 0x20;
      p += 2;
      int base = kind == 'x' ? 16 : kind == 'o' ? 8 : 2;
      if (p < n && src_[p] == '_') ++p;
      std::string ds = digits([base](char c) {
        int d = HexDigit(c);
        return d >= 0 && d < base;
      });
      t->kind = TokenKind::kInt;
      t->int_value = std::strtoll(ds.c_str(), nullptr, base);
      *end = p;
      return true;
    }
    std::string text = digits(IsDigit);
    bool is_float = false;
    const bool after_dot = start > 0 && src_[start - 1] == '.';
    if (!after_dot && p + 1 < n && src_[p] == '.' && IsDigit(src_[p + 1])) {
      ++p;
      text += "." + digits(IsDigit);
      is_float = true;
    }
    if (!after_dot && p + 1 < n && src_[p] == 'e') {
      size_t q = p + 1;
      if (q < n && (src_[q] == '+' || src_[q] == '-')) ++q;
      if (q < n && IsDigit(src_[q])) {
        std::string exp = std::string("e") + (src_[p + 1] == '-' ? "-" : "");
        p = q;
        exp += digits(IsDigit);
        text += exp;
        is_float = true;
      }
    }
    if (is_float) {
      t->kind = TokenKind::kFloat;
      t->float_value = std::strtod(text.c_str(), nullptr);
    } else {
      t->kind = TokenKind::kInt;
      errno = 0;
      t->int_value = std::strtoll(text.c_str(), nullptr, 10);
      if (errno == ERANGE) return Fail("integer literal out of range", start, p);
    }
    *end = p;
    return true;
  }

  std::string_view src_;
  const LexOptions& options_;
  std::vector<Token>* tokens_;
  SyntaxError* error_;
};

}  // namespace

bool Lex(std::string_view source, const LexOptions& options, std::vector<Token>* tokens,
         SyntaxError* error) {
  tokens->clear();
  tokens->reserve(source.size() / 4 + 4);
  return Lexer(source, options, tokens, error).Run();
}

std::string DescribeToken(const Token& token) {
  switch (token.kind) {
    case TokenKind::kEof:
      return "end of template";
    case TokenKind::kData:
      return "template data";
    case TokenKind::kName:
      return absl::StrCat("'", std::string(token.text), "'");
    case TokenKind::kString:
      return "string literal";
    case TokenKind::kInt:
    case TokenKind::kFloat:
      return absl::StrCat("number ", std::string(token.text));
    default:
      return absl::StrCat("'", std::string(token.text), "'");
  }
}

}  // namespace sqlmill::jinja::internal

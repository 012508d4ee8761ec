// Reference scan over body tokens: two passes (collect CTE/cursor/alias names, then read
// the names that follow reference keywords).
#include "services/sql_parser/engine/internal/body_scanner.h"

#include <algorithm>
#include <set>
#include <string>

#include "TSqlLexer.h"
#include "services/sql_parser/engine/internal/statement_splitter.h"

namespace sqlmill::tsql::internal {

using gen::TSqlLexer;

namespace {

constexpr std::string_view kRowsetFunctions[] = {
    "openjson", "openrowset", "openquery", "openxml", "opendatasource", "string_split",
    "generate_series", "changetable", "containstable", "freetexttable", "predict"};

class Scanner {
 public:
  Scanner(std::string_view text, const std::vector<Token>& tokens, uint32_t begin, uint32_t end)
      : text_(text), tokens_(tokens), begin_(begin), end_(end) {}

  std::vector<BodyReference> Run() {
    CollectLocalNames();
    std::vector<BodyReference> out;
    std::set<std::string> seen;
    for (uint32_t i = begin_; i < end_; ++i) {
      const int t = Type(i);
      uint32_t at = 0;
      bool list = false;        // FROM a, b
      bool target = false;      // UPDATE/DELETE target: may be an alias
      switch (t) {
        case TSqlLexer::K_FROM:
        case TSqlLexer::K_JOIN:
          at = i + 1;
          list = t == TSqlLexer::K_FROM;
          break;
        case TSqlLexer::K_APPLY:
        case TSqlLexer::K_USING:
        case TSqlLexer::K_INTO:
          at = i + 1;
          break;
        case TSqlLexer::K_UPDATE:
        case TSqlLexer::K_DELETE:
        case TSqlLexer::K_INSERT:
        case TSqlLexer::K_MERGE:
          at = i + 1;
          if (Type(at) == TSqlLexer::K_INTO || Type(at) == TSqlLexer::K_FROM) at = 0;  // INTO/FROM fire themselves
          target = true;
          break;
        case TSqlLexer::K_TRUNCATE:
          if (Type(i + 1) == TSqlLexer::K_TABLE) at = i + 2;
          break;
        case TSqlLexer::K_EXEC:
        case TSqlLexer::K_EXECUTE:
          at = i + 1;
          if (Type(at) == TSqlLexer::VARIABLE && Type(at + 1) == TSqlLexer::EQ) at += 2;
          if (Type(at) == TSqlLexer::K_AS) at = 0;  // EXECUTE AS
          break;
        case TSqlLexer::K_FOR:
          if (Type(i - 1) == TSqlLexer::K_VALUE && Type(i - 2) == TSqlLexer::K_NEXT) at = i + 1;
          break;
        default:
          break;
      }
      if (at == 0 || at >= end_) continue;
      while (true) {
        uint32_t last = 0;
        ObjectName name;
        if (!ReadName(at, &name, &last)) break;
        const bool call = Type(last + 1) == TSqlLexer::LPAREN;
        if (Keep(name, call, target)) {
          std::string key = ToLowerAscii(name.ToString());
          if (seen.insert(key).second) out.push_back(BodyReference{name, at, last});
        }
        if (!list) break;
        // FROM a [AS] x, b: skip to the comma at this level, if the next item is a name.
        uint32_t k = SkipAlias(SkipCall(last + 1));
        if (Type(k) != TSqlLexer::COMMA) break;
        at = k + 1;
      }
    }
    return out;
  }

 private:
  int Type(uint32_t i) const { return i >= begin_ && i < end_ ? tokens_[i].type : kEofType; }
  std::string Lower(uint32_t i) const { return ToLowerAscii(IdentifierText(text_, tokens_[i])); }

  bool ReadName(uint32_t at, ObjectName* name, uint32_t* last) const {
    if (!IsIdentifierToken(Type(at))) return false;
    std::vector<std::string> parts{IdentifierText(text_, tokens_[at])};
    uint32_t k = at;
    while (Type(k + 1) == TSqlLexer::DOT) {
      uint32_t j = k + 1;
      int dots = 0;
      while (Type(j) == TSqlLexer::DOT) {
        ++dots;
        ++j;
      }
      if (!IsIdentifierToken(Type(j))) break;
      for (int d = 1; d < dots; ++d) parts.emplace_back();
      parts.push_back(IdentifierText(text_, tokens_[j]));
      k = j;
    }
    const size_t n = parts.size();
    name->name = parts[n - 1];
    if (n >= 2) name->schema = parts[n - 2];
    if (n >= 3) name->database = parts[n - 3];
    if (n >= 4) name->server = parts[n - 4];
    *last = k;
    return true;
  }

  uint32_t SkipCall(uint32_t k) const {
    if (Type(k) != TSqlLexer::LPAREN) return k;
    int depth = 0;
    for (; k < end_; ++k) {
      if (Type(k) == TSqlLexer::LPAREN) ++depth;
      if (Type(k) == TSqlLexer::RPAREN && --depth == 0) return k + 1;
    }
    return k;
  }

  uint32_t SkipAlias(uint32_t k) const {
    if (Type(k) == TSqlLexer::K_AS) ++k;
    if (Type(k) == TSqlLexer::ID || Type(k) == TSqlLexer::BRACKET_ID || Type(k) == TSqlLexer::QUOTED_ID) ++k;
    if (Type(k) == TSqlLexer::K_WITH && Type(k + 1) == TSqlLexer::LPAREN) k = SkipCall(k + 1);
    return k;
  }

  bool Keep(const ObjectName& name, bool call, bool target) const {
    if (name.name.empty() || name.name[0] == '#' || name.name[0] == '@') return false;
    const std::string lower = ToLowerAscii(name.name);
    if (name.schema.empty()) {
      if (locals_.count(lower) != 0) return false;
      if (lower == "inserted" || lower == "deleted") return false;  // trigger pseudo-tables
      if (target && aliases_.count(lower) != 0) return false;
      if (call && std::find(std::begin(kRowsetFunctions), std::end(kRowsetFunctions), lower) !=
                      std::end(kRowsetFunctions)) {
        return false;
      }
    }
    return true;
  }

  void CollectLocalNames() {
    for (uint32_t i = begin_; i < end_; ++i) {
      const int t = Type(i);
      // WITH name [(cols)] AS (   and   , name [(cols)] AS (
      if ((t == TSqlLexer::K_WITH || t == TSqlLexer::COMMA) && IsIdentifierToken(Type(i + 1))) {
        uint32_t j = SkipCall(i + 2);
        if (Type(j) == TSqlLexer::K_AS && Type(j + 1) == TSqlLexer::LPAREN) locals_.insert(Lower(i + 1));
      }
      // DECLARE name CURSOR
      if (t == TSqlLexer::K_DECLARE && IsIdentifierToken(Type(i + 1)) && Type(i + 2) == TSqlLexer::K_CURSOR) {
        locals_.insert(Lower(i + 1));
      }
      // FROM/JOIN name [AS] alias
      if (t == TSqlLexer::K_FROM || t == TSqlLexer::K_JOIN) {
        ObjectName name;
        uint32_t last = 0;
        if (!ReadName(i + 1, &name, &last)) continue;
        uint32_t k = SkipCall(last + 1);
        if (Type(k) == TSqlLexer::K_AS) ++k;
        if (Type(k) == TSqlLexer::ID || Type(k) == TSqlLexer::BRACKET_ID) aliases_.insert(Lower(k));
      }
    }
  }

  std::string_view text_;
  const std::vector<Token>& tokens_;
  uint32_t begin_;
  uint32_t end_;
  std::set<std::string> locals_;   // CTEs and cursors
  std::set<std::string> aliases_;
};

}  // namespace

std::vector<BodyReference> ScanReferences(std::string_view text, const std::vector<Token>& tokens,
                                          uint32_t begin, uint32_t end) {
  Scanner scanner(text, tokens, begin, std::min<uint32_t>(end, static_cast<uint32_t>(tokens.size())));
  return scanner.Run();
}

}  // namespace sqlmill::tsql::internal

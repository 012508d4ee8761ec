// The statement splitter: a forward scan with a little per-statement state (has the INSERT
// seen its source yet? the UPDATE its SET? the ALTER its action?) to tell a keyword that
// continues the current statement from one that starts the next.
#include "services/sql_parser/engine/internal/statement_splitter.h"

#include "TSqlLexer.h"
#include "absl/strings/str_cat.h"
#include "common/base/limits.h"
#include "common/base/strings.h"
#include "services/sql_parser/engine/catalog.h"

namespace sqlmill::tsql::internal {

using gen::TSqlLexer;

bool IsIdentifierToken(int type) {
  return type == TSqlLexer::ID || type == TSqlLexer::BRACKET_ID || type == TSqlLexer::QUOTED_ID;
}

std::string IdentifierText(std::string_view text, const Token& token) {
  std::string_view raw = text.substr(token.offset, token.length);
  char close = 0;
  if (token.type == TSqlLexer::BRACKET_ID) close = ']';
  if (token.type == TSqlLexer::QUOTED_ID) close = '"';
  if (close == 0 || raw.size() < 2) return std::string(raw);
  raw = raw.substr(1, raw.back() == close ? raw.size() - 2 : raw.size() - 1);
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    out.push_back(raw[i]);
    if (raw[i] == close && i + 1 < raw.size() && raw[i + 1] == close) ++i;
  }
  return out;
}

namespace {

class Splitter {
 public:
  Splitter(std::string_view text, const std::vector<Token>& tokens, std::vector<SplitStatement>* out)
      : text_(text), tokens_(tokens), n_(static_cast<uint32_t>(tokens.size())), out_(out) {}

  void Run() {
    uint32_t i = 0;
    bool pending_guard = false;         // the next statement is the body of IF/ELSE/WHILE
    std::vector<bool> guarded_blocks;   // BEGIN...END blocks, and whether each is guarded
    auto guarded = [&] {
      for (bool g : guarded_blocks) {
        if (g) return true;
      }
      return pending_guard;
    };
    while (i < n_) {
      const int t = Type(i);
      if (t == TSqlLexer::SEMI) {
        ++i;
        continue;
      }
      if (t == TSqlLexer::K_ELSE) {
        pending_guard = true;
        ++i;
        continue;
      }
      if (t == TSqlLexer::K_END) {
        ++i;
        if (Type(i) == TSqlLexer::K_TRY || Type(i) == TSqlLexer::K_CATCH) ++i;
        if (!guarded_blocks.empty()) guarded_blocks.pop_back();
        continue;
      }
      if (t == TSqlLexer::K_BEGIN) {
        const int next = Type(i + 1);
        const bool try_catch = next == TSqlLexer::K_TRY || next == TSqlLexer::K_CATCH;
        if (try_catch || (next != TSqlLexer::K_TRAN && next != TSqlLexer::K_TRANSACTION &&
                          next != TSqlLexer::K_DISTRIBUTED && next != TSqlLexer::K_DIALOG &&
                          next != TSqlLexer::K_CONVERSATION)) {
          // A block: its statements are split in turn.
          guarded_blocks.push_back(pending_guard);
          pending_guard = false;
          i += try_catch ? 2 : 1;
          continue;
        }
      }
      SplitStatement s;
      if (t == TSqlLexer::K_IF || t == TSqlLexer::K_WHILE) {
        const uint32_t body = FindConditionEnd(i + 1);
        s.begin = i;
        s.end = body;
        s.kind = t == TSqlLexer::K_IF ? "IF" : "WHILE";
      } else if (IsIdentifierToken(t) && Type(i + 1) == TSqlLexer::COLON) {
        s.begin = i;  // a label
        s.end = i + 2;
        s.kind = "LABEL";
      } else {
        s = Statement(i);
      }
      if (s.header_end == 0) s.header_end = s.end;
      s.guarded = guarded();
      pending_guard = s.kind == "IF" || s.kind == "WHILE";
      i = s.end;
      out_->push_back(std::move(s));
    }
  }

 private:
  int Type(uint32_t i) const { return i < n_ ? tokens_[i].type : kEofType; }
  std::string Upper(uint32_t i) const {
    return i < n_ ? ToUpperAscii(text_.substr(tokens_[i].offset, tokens_[i].length)) : "";
  }
  bool IsWord(uint32_t i, std::string_view word) const {
    return i < n_ && IsIdentifierToken(Type(i)) &&
           EqualsIgnoreCase(text_.substr(tokens_[i].offset, tokens_[i].length), word);
  }

  // A keyword that may begin a statement (before the continuation rules are applied).
  bool IsStarter(uint32_t k) const {
    switch (Type(k)) {
      case TSqlLexer::K_CREATE: case TSqlLexer::K_ALTER: case TSqlLexer::K_DROP:
      case TSqlLexer::K_SELECT: case TSqlLexer::K_INSERT: case TSqlLexer::K_DELETE:
      case TSqlLexer::K_MERGE: case TSqlLexer::K_WITH: case TSqlLexer::K_EXEC:
      case TSqlLexer::K_EXECUTE: case TSqlLexer::K_SET: case TSqlLexer::K_DECLARE:
      case TSqlLexer::K_PRINT: case TSqlLexer::K_RAISERROR: case TSqlLexer::K_THROW:
      case TSqlLexer::K_RETURN: case TSqlLexer::K_IF: case TSqlLexer::K_WHILE:
      case TSqlLexer::K_BEGIN: case TSqlLexer::K_GRANT: case TSqlLexer::K_REVOKE:
      case TSqlLexer::K_DENY: case TSqlLexer::K_USE: case TSqlLexer::K_TRUNCATE:
      case TSqlLexer::K_COMMIT: case TSqlLexer::K_ROLLBACK: case TSqlLexer::K_GOTO:
      case TSqlLexer::K_BREAK: case TSqlLexer::K_CONTINUE: case TSqlLexer::K_WAITFOR:
      case TSqlLexer::K_OPEN: case TSqlLexer::K_CLOSE: case TSqlLexer::K_FETCH:
      case TSqlLexer::K_DEALLOCATE: case TSqlLexer::K_BACKUP: case TSqlLexer::K_RESTORE:
      case TSqlLexer::K_DBCC: case TSqlLexer::K_CHECKPOINT: case TSqlLexer::K_KILL:
      case TSqlLexer::K_RECONFIGURE: case TSqlLexer::K_SHUTDOWN: case TSqlLexer::K_BULK:
      case TSqlLexer::K_REVERT: case TSqlLexer::K_SETUSER:
        return true;
      case TSqlLexer::K_UPDATE:
        return Type(k + 1) != TSqlLexer::LPAREN;  // UPDATE(col) in a trigger condition
      case TSqlLexer::K_ENABLE: case TSqlLexer::K_DISABLE:
        return Type(k + 1) == TSqlLexer::K_TRIGGER;
      case TSqlLexer::K_SAVE:
        return Type(k + 1) == TSqlLexer::K_TRAN || Type(k + 1) == TSqlLexer::K_TRANSACTION;
      default:
        return false;
    }
  }

  // WITH name [(cols)] AS ( ... starts a common table expression; other WITHs are options.
  bool LooksLikeCte(uint32_t k) const {
    if (IsWord(k + 1, "XMLNAMESPACES")) return true;
    if (!IsIdentifierToken(Type(k + 1))) return false;
    uint32_t j = k + 2;
    if (Type(j) == TSqlLexer::LPAREN) {
      int depth = 0;
      for (; j < n_; ++j) {
        if (Type(j) == TSqlLexer::LPAREN) ++depth;
        if (Type(j) == TSqlLexer::RPAREN && --depth == 0) break;
      }
      ++j;
    }
    return Type(j) == TSqlLexer::K_AS;
  }

  struct State {
    int lead = 0;
    bool source_seen = false;  // INSERT: VALUES / SELECT / EXEC / DEFAULT VALUES
    bool set_seen = false;     // UPDATE: SET
    bool action_seen = false;  // ALTER: ADD / DROP / ALTER / SET / ...
    bool main_seen = false;    // WITH cte: the statement the CTEs serve
  };

  // Returns true when the starter at k continues the statement described by `state`, and
  // updates the state for the clause it opens.
  bool Continues(uint32_t k, State& state) const {
    const int t = Type(k);
    const int prev = Type(k - 1);
    bool continues = false;
    switch (prev) {
      case TSqlLexer::COMMA: case TSqlLexer::K_OR: case TSqlLexer::K_FOR:
      case TSqlLexer::K_AFTER: case TSqlLexer::K_OF: case TSqlLexer::K_THEN: case TSqlLexer::K_WITH:
      case TSqlLexer::K_GRANT: case TSqlLexer::K_DENY: case TSqlLexer::K_REVOKE:
      case TSqlLexer::K_UNION: case TSqlLexer::K_EXCEPT: case TSqlLexer::K_INTERSECT:
      case TSqlLexer::K_BULK: case TSqlLexer::DOT:
        continues = true;
        break;
      case TSqlLexer::K_ON:  // ON DELETE / ON UPDATE of a foreign key
        continues = (t == TSqlLexer::K_DELETE || t == TSqlLexer::K_UPDATE) &&
                    (state.lead == TSqlLexer::K_CREATE || state.lead == TSqlLexer::K_ALTER);
        break;
      case TSqlLexer::K_ALL:  // UNION ALL SELECT, GRANT ALL
        continues = t == TSqlLexer::K_SELECT || state.lead == TSqlLexer::K_GRANT ||
                    state.lead == TSqlLexer::K_DENY || state.lead == TSqlLexer::K_REVOKE;
        break;
      case TSqlLexer::K_AS:  // CREATE TABLE ... AS SELECT
        continues = t == TSqlLexer::K_SELECT || t == TSqlLexer::K_WITH;
        break;
      case TSqlLexer::K_ROWS:  // OFFSET n ROWS FETCH NEXT
      case TSqlLexer::K_ROW:
        continues = t == TSqlLexer::K_FETCH;
        break;
      default:
        break;
    }
    if (continues) {
      if (t == TSqlLexer::K_SELECT && state.lead == TSqlLexer::K_INSERT) state.source_seen = true;
      if (state.lead == TSqlLexer::K_WITH && t != TSqlLexer::K_WITH) state.main_seen = true;
      return true;
    }
    // DROP TABLE IF EXISTS t, ALTER TABLE t DROP COLUMN IF EXISTS c (but IF EXISTS (...) starts).
    if (t == TSqlLexer::K_IF && Type(k + 1) == TSqlLexer::K_EXISTS && Type(k + 2) != TSqlLexer::LPAREN) {
      return true;
    }
    if (t == TSqlLexer::K_SET && (prev == TSqlLexer::K_UPDATE || prev == TSqlLexer::K_DELETE)) {
      return true;  // ON DELETE SET NULL, THEN UPDATE SET
    }
    switch (t) {
      case TSqlLexer::K_WITH:
        return !LooksLikeCte(k);
      case TSqlLexer::K_SET:
        if (state.lead == TSqlLexer::K_UPDATE && !state.set_seen) {
          state.set_seen = true;
          return true;
        }
        if (state.lead == TSqlLexer::K_ALTER && !state.action_seen) {
          state.action_seen = true;
          return true;
        }
        return state.lead == TSqlLexer::K_MERGE;
      case TSqlLexer::K_SELECT:
        if (state.lead == TSqlLexer::K_INSERT && !state.source_seen) {
          state.source_seen = true;
          return true;
        }
        if (state.lead == TSqlLexer::K_WITH && !state.main_seen) {
          state.main_seen = true;
          return true;
        }
        return false;
      case TSqlLexer::K_EXEC:
      case TSqlLexer::K_EXECUTE:
        if (state.lead == TSqlLexer::K_INSERT && !state.source_seen) {
          state.source_seen = true;
          return true;
        }
        return false;
      case TSqlLexer::K_INSERT:
      case TSqlLexer::K_UPDATE:
      case TSqlLexer::K_DELETE:
      case TSqlLexer::K_MERGE:
        if (state.lead == TSqlLexer::K_WITH && !state.main_seen) {
          state.main_seen = true;
          return true;
        }
        return false;
      case TSqlLexer::K_DROP:
      case TSqlLexer::K_ALTER:
      case TSqlLexer::K_ENABLE:
      case TSqlLexer::K_DISABLE:
        if (state.lead == TSqlLexer::K_ALTER && !state.action_seen) {
          state.action_seen = true;
          return true;
        }
        return false;
      default:
        return false;
    }
  }

  // Returns the index one past the last token of the statement that starts at `begin`.
  uint32_t FindEnd(uint32_t begin, State state) const {
    int paren = 0;
    int case_depth = 0;
    for (uint32_t k = begin + 1; k < n_; ++k) {
      const int t = Type(k);
      if (t == TSqlLexer::LPAREN) {
        ++paren;
        continue;
      }
      if (t == TSqlLexer::RPAREN) {
        if (paren > 0) --paren;
        continue;
      }
      if (paren > 0) continue;
      if (t == TSqlLexer::K_CASE) {
        ++case_depth;
        continue;
      }
      if (t == TSqlLexer::K_END) {
        if (case_depth > 0) {
          --case_depth;
          continue;
        }
        return k;
      }
      if (case_depth > 0) continue;
      if (t == TSqlLexer::SEMI || t == TSqlLexer::K_ELSE) return k;
      // Clause keywords that are not starters still move the state along.
      if (t == TSqlLexer::K_VALUES && state.lead == TSqlLexer::K_INSERT) state.source_seen = true;
      if (state.lead == TSqlLexer::K_ALTER && k >= begin + 3 &&
          (t == TSqlLexer::K_ADD || t == TSqlLexer::K_CHECK || t == TSqlLexer::K_NOCHECK ||
           t == TSqlLexer::K_SWITCH)) {
        state.action_seen = true;
      }
      if (state.lead == TSqlLexer::K_UPDATE && k == begin + 1 && t == TSqlLexer::K_STATISTICS) {
        state.set_seen = true;  // UPDATE STATISTICS has no SET
      }
      if (IsStarter(k) && !Continues(k, state)) return k;
    }
    return n_;
  }

  // The condition of IF/WHILE ends where its statement (or BEGIN) starts.
  uint32_t FindConditionEnd(uint32_t k) const {
    int paren = 0;
    int case_depth = 0;
    for (; k < n_; ++k) {
      const int t = Type(k);
      if (t == TSqlLexer::LPAREN) ++paren;
      else if (t == TSqlLexer::RPAREN) { if (paren > 0) --paren; }
      else if (paren > 0) continue;
      else if (t == TSqlLexer::K_CASE) ++case_depth;
      else if (t == TSqlLexer::K_END && case_depth > 0) --case_depth;
      else if (case_depth == 0 && (IsStarter(k) || t == TSqlLexer::SEMI)) return k;
    }
    return n_;
  }

  // The token after the header's AS (or the BEGIN/RETURN that opens a function body).
  uint32_t FindHeaderEnd(uint32_t begin, uint32_t end, bool is_function) const {
    int paren = 0;
    bool after_returns = false;
    for (uint32_t k = begin + 1; k < end; ++k) {
      const int t = Type(k);
      if (t == TSqlLexer::LPAREN) ++paren;
      else if (t == TSqlLexer::RPAREN) { if (paren > 0) --paren; }
      else if (paren > 0) continue;
      else if (t == TSqlLexer::K_RETURNS) after_returns = true;
      else if (t == TSqlLexer::K_AS) {
        const int prev = Type(k - 1);
        if (prev == TSqlLexer::K_EXEC || prev == TSqlLexer::K_EXECUTE || prev == TSqlLexer::VARIABLE) continue;
        return k + 1;
      } else if (is_function && after_returns && (t == TSqlLexer::K_BEGIN || t == TSqlLexer::K_RETURN)) {
        return k;
      }
    }
    return end;
  }

  // CREATE TABLE t ... AS SELECT: the grammar sees the header through AS.
  uint32_t FindCtasHeaderEnd(uint32_t begin, uint32_t end) const {
    int paren = 0;
    for (uint32_t k = begin + 1; k + 1 < end; ++k) {
      const int t = Type(k);
      if (t == TSqlLexer::LPAREN) ++paren;
      else if (t == TSqlLexer::RPAREN) { if (paren > 0) --paren; }
      else if (paren == 0 && t == TSqlLexer::K_AS) {
        const int next = Type(k + 1);
        if (next == TSqlLexer::K_SELECT || next == TSqlLexer::K_WITH || next == TSqlLexer::LPAREN) return k + 1;
      }
    }
    return end;
  }

  std::string ObjectKindWords(uint32_t k) const {
    // Multi-word object kinds: CREATE PARTITION FUNCTION, CREATE EXTERNAL DATA SOURCE, ...
    static constexpr std::string_view kTwoWord[] = {
        "PARTITION", "EXTERNAL", "FULLTEXT", "XML", "MASTER", "SYMMETRIC", "ASYMMETRIC",
        "EVENT", "SERVER", "COLUMN", "SECURITY", "APPLICATION", "BROKER", "MESSAGE", "REMOTE",
        "RESOURCE", "SEARCH", "SELECTIVE", "WORKLOAD", "CRYPTOGRAPHIC", "DATABASE", "PRIMARY"};
    std::string first = Upper(k);
    if (first.empty() || !(IsIdentifierToken(Type(k)) || Type(k) > 0)) return first;
    for (std::string_view w : kTwoWord) {
      if (first == w && k + 1 < n_ && (Type(k + 1) == TSqlLexer::ID || TokenTypeName(Type(k + 1)).starts_with("K_"))) {
        std::string second = Upper(k + 1);
        std::string kind = absl::StrCat(first, " ", second);
        if ((first == "EXTERNAL" && (second == "DATA" || second == "FILE")) ||
            (first == "DATABASE" && (second == "AUDIT" || second == "ENCRYPTION" || second == "SCOPED"))) {
          absl::StrAppend(&kind, " ", Upper(k + 2));
        }
        if (first == "DATABASE" && second != "AUDIT" && second != "ENCRYPTION" && second != "SCOPED") {
          return first;  // CREATE/ALTER DATABASE name
        }
        return kind;
      }
    }
    return first;
  }

  SplitStatement Statement(uint32_t i) {
    SplitStatement s;
    s.begin = i;
    const int t = Type(i);
    State state;
    state.lead = t;
    if (t == TSqlLexer::K_CREATE || t == TSqlLexer::K_ALTER || t == TSqlLexer::K_DROP) {
      Ddl(i, &s, state);
      return s;
    }
    if (!IsStarter(i) && t != TSqlLexer::K_WITH) {
      s.end = FindEnd(i, state);
      s.header_end = s.end;
      if (i == 0 && IsIdentifierToken(t)) {
        s.kind = "EXEC";  // a procedure name first in its batch runs it
      } else {
        s.action = StatementAction::kError;
        s.kind = "UNKNOWN";
        s.error = absl::StrCat("expected a statement but found '",
                               AsAbsl(text_.substr(tokens_[i].offset, std::min<uint32_t>(tokens_[i].length, 40))),
                               "'");
      }
      return s;
    }
    s.end = FindEnd(i, state);
    s.header_end = s.end;
    switch (t) {
      case TSqlLexer::K_WITH: {
        // The kind is that of the statement the CTEs serve.
        s.kind = "WITH";
        int paren = 0;
        for (uint32_t k = i + 1; k < s.end; ++k) {
          const int tk = Type(k);
          if (tk == TSqlLexer::LPAREN) ++paren;
          else if (tk == TSqlLexer::RPAREN) --paren;
          else if (paren == 0 && (tk == TSqlLexer::K_SELECT || tk == TSqlLexer::K_INSERT ||
                                  tk == TSqlLexer::K_UPDATE || tk == TSqlLexer::K_DELETE ||
                                  tk == TSqlLexer::K_MERGE)) {
            s.kind = Upper(k);
            break;
          }
        }
        break;
      }
      case TSqlLexer::K_EXEC:
      case TSqlLexer::K_EXECUTE: {
        s.kind = "EXEC";
        // EXEC [@rc =] [sys.]sp_addextendedproperty, sp_rename, sp_addtype ...: the grammar reads it.
        uint32_t k = i + 1;
        if (Type(k) == TSqlLexer::VARIABLE && Type(k + 1) == TSqlLexer::EQ) k += 2;
        while (k + 1 < s.end && Type(k + 1) == TSqlLexer::DOT) k += 2;
        if (k < s.end && IsIdentifierToken(Type(k))) {
          const std::string proc = ToLowerAscii(IdentifierText(text_, tokens_[k]));
          if (proc == "sp_addextendedproperty" || proc == "sp_updateextendedproperty" ||
              proc == "sp_dropextendedproperty" || proc == "sp_rename" || proc == "sp_addtype" ||
              proc == "sp_droptype") {
            s.action = StatementAction::kParse;
          }
        }
        break;
      }
      case TSqlLexer::K_SET:
        s.kind = "SET";
        s.action = StatementAction::kSetOption;
        break;
      case TSqlLexer::K_USE:
        s.kind = "USE";
        s.action = StatementAction::kUse;
        break;
      case TSqlLexer::K_BEGIN:
        s.kind = Type(i + 1) == TSqlLexer::K_DIALOG || Type(i + 1) == TSqlLexer::K_CONVERSATION
                     ? "BEGIN DIALOG"
                     : Type(i + 1) == TSqlLexer::K_DISTRIBUTED ? "BEGIN DISTRIBUTED TRANSACTION"
                                                               : "BEGIN TRANSACTION";
        break;
      case TSqlLexer::K_COMMIT:
      case TSqlLexer::K_ROLLBACK:
      case TSqlLexer::K_SAVE:
        s.kind = absl::StrCat(Upper(i), " TRANSACTION");
        break;
      case TSqlLexer::K_TRUNCATE:
        s.kind = "TRUNCATE TABLE";
        break;
      case TSqlLexer::K_BULK:
        s.kind = "BULK INSERT";
        break;
      case TSqlLexer::K_ENABLE:
      case TSqlLexer::K_DISABLE:
        s.kind = absl::StrCat(Upper(i), " TRIGGER");
        break;
      case TSqlLexer::K_UPDATE:
        s.kind = Type(i + 1) == TSqlLexer::K_STATISTICS ? "UPDATE STATISTICS" : "UPDATE";
        break;
      default:
        s.kind = Upper(i);
    }
    return s;
  }

  void Ddl(uint32_t i, SplitStatement* s, State state) {
    const int verb = Type(i);
    const std::string verb_text = verb == TSqlLexer::K_CREATE ? "CREATE"
                                : verb == TSqlLexer::K_ALTER  ? "ALTER"
                                                              : "DROP";
    uint32_t k = i + 1;
    std::string prefix = verb_text;
    if (verb == TSqlLexer::K_CREATE && Type(k) == TSqlLexer::K_OR && Type(k + 1) == TSqlLexer::K_ALTER) {
      prefix = "CREATE OR ALTER";
      k += 2;
    }
    const int object = Type(k);
    // Routines and views run to the end of the batch.
    if (verb != TSqlLexer::K_DROP &&
        (object == TSqlLexer::K_VIEW || object == TSqlLexer::K_PROC || object == TSqlLexer::K_PROCEDURE ||
         object == TSqlLexer::K_FUNCTION || object == TSqlLexer::K_TRIGGER)) {
      s->end = n_;
      s->not_first_in_batch = !out_->empty();
      s->header_end = FindHeaderEnd(i, n_, object == TSqlLexer::K_FUNCTION);
      s->has_body = s->header_end < s->end;
      s->action = StatementAction::kParse;
      const char* what = object == TSqlLexer::K_VIEW       ? "VIEW"
                         : object == TSqlLexer::K_FUNCTION ? "FUNCTION"
                         : object == TSqlLexer::K_TRIGGER  ? "TRIGGER"
                                                           : "PROCEDURE";
      s->kind = absl::StrCat(prefix, " ", what);
      return;
    }
    s->end = FindEnd(i, state);
    s->header_end = s->end;
    // CREATE [UNIQUE] [CLUSTERED|NONCLUSTERED] [COLUMNSTORE] INDEX, [PRIMARY] XML INDEX, SPATIAL INDEX
    if (verb == TSqlLexer::K_CREATE) {
      uint32_t j = k;
      while (j < s->end && (Type(j) == TSqlLexer::K_UNIQUE || Type(j) == TSqlLexer::K_CLUSTERED ||
                            Type(j) == TSqlLexer::K_NONCLUSTERED || Type(j) == TSqlLexer::K_COLUMNSTORE ||
                            Type(j) == TSqlLexer::K_PRIMARY || Type(j) == TSqlLexer::K_XML ||
                            Type(j) == TSqlLexer::K_SPATIAL || Type(j) == TSqlLexer::K_HASH)) {
        ++j;
      }
      if (Type(j) == TSqlLexer::K_INDEX && (j > k || object == TSqlLexer::K_INDEX)) {
        s->kind = "CREATE INDEX";
        s->action = StatementAction::kParse;
        return;
      }
    }
    switch (object) {
      case TSqlLexer::K_TABLE:
        s->kind = absl::StrCat(prefix, " TABLE");
        s->action = StatementAction::kParse;
        if (verb == TSqlLexer::K_CREATE) s->header_end = FindCtasHeaderEnd(i, s->end);
        return;
      case TSqlLexer::K_EXTERNAL:
        if (verb == TSqlLexer::K_CREATE && Type(k + 1) == TSqlLexer::K_TABLE) {
          s->kind = "CREATE EXTERNAL TABLE";
          s->action = StatementAction::kParse;
          s->header_end = FindCtasHeaderEnd(i, s->end);
          return;
        }
        break;
      case TSqlLexer::K_INDEX:
        if (verb == TSqlLexer::K_DROP) {
          s->kind = "DROP INDEX";
          s->action = StatementAction::kParse;
          return;
        }
        break;
      case TSqlLexer::K_SCHEMA:
      case TSqlLexer::K_TYPE:
      case TSqlLexer::K_SEQUENCE:
      case TSqlLexer::K_SYNONYM:
        if (verb != TSqlLexer::K_ALTER) {
          s->kind = absl::StrCat(prefix, " ", Upper(k));
          s->action = StatementAction::kParse;
          return;
        }
        break;
      case TSqlLexer::K_VIEW: case TSqlLexer::K_PROC: case TSqlLexer::K_PROCEDURE:
      case TSqlLexer::K_FUNCTION: case TSqlLexer::K_TRIGGER:  // DROP only, here
        s->kind = absl::StrCat(prefix, " ", object == TSqlLexer::K_PROC ? "PROCEDURE" : Upper(k));
        s->action = StatementAction::kParse;
        return;
      case TSqlLexer::K_DATABASE:
        if (verb == TSqlLexer::K_CREATE && IsIdentifierToken(Type(k + 1))) {
          s->kind = "CREATE DATABASE";
          s->action = StatementAction::kCreateDatabase;
          return;
        }
        break;
      default:
        break;
    }
    s->kind = absl::StrCat(prefix, " ", ObjectKindWords(k));
    s->action = StatementAction::kSkip;
  }

  std::string_view text_;
  const std::vector<Token>& tokens_;
  const uint32_t n_;
  std::vector<SplitStatement>* out_;
};

}  // namespace

absl::Status SplitStatements(std::string_view text, const std::vector<Token>& tokens,
                             int max_depth, std::vector<SplitStatement>* out) {
  if (max_depth > 0) {
    int depth = 0;
    for (const Token& t : tokens) {
      if (t.type == TSqlLexer::LPAREN) {
        if (++depth > max_depth) return CheckDepth("parentheses", depth, max_depth);
      } else if (t.type == TSqlLexer::RPAREN && depth > 0) {
        --depth;
      }
    }
  }
  Splitter splitter(text, tokens, out);
  splitter.Run();
  return absl::OkStatus();
}

}  // namespace sqlmill::tsql::internal

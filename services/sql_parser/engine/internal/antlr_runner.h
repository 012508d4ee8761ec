// The one place that calls the ANTLR runtime: feeds a statement's tokens to the generated
// TSqlParser with two-stage prediction (SLL with bail-out first, full LL with the default
// error strategy only when SLL fails), and turns every ANTLR exception into a value.
//
// Ownership: the runner owns the parser and the tokens of the statement being parsed; the
// tree returned by Parse() stays valid until the next Parse() or the runner's destruction.
// Thread-safety: a runner belongs to one thread (an engine call). Runners on different
// threads share nothing: the prediction cache the generated parser would share through its
// static members is replaced by one cache per thread (antlr_runner.cc), so parses on many
// threads at once are safe (concurrency_test.cc checks it).
#ifndef SQLMILL_SERVICES_SQL_PARSER_ENGINE_INTERNAL_ANTLR_RUNNER_H_
#define SQLMILL_SERVICES_SQL_PARSER_ENGINE_INTERNAL_ANTLR_RUNNER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "common/base/limits.h"
#include "services/sql_parser/engine/internal/lexer.h"

namespace sqlmill::tsql::gen {
class TSqlParser;
}  // namespace sqlmill::tsql::gen

namespace antlr4 {
class ParserRuleContext;
}  // namespace antlr4

namespace sqlmill::tsql::internal {

struct SyntaxError {
  uint32_t token = 0;  // index (relative to the statement's first token) of the offending token
  std::string message;  // "expected X but found 'Y'"
  // Not OK when the parse was stopped by the cancellation token (deadline, cancel, call
  // time limit) rather than by the statement: the call's status, not a syntax error.
  absl::Status stopped;
};

class AntlrRunner {
 public:
  // `cancel` (may be null) is polled every few thousand tokens the parser consumes or looks
  // at, so a deadline stops the work inside one huge statement too.
  explicit AntlrRunner(const CancellationToken* cancel = nullptr);
  ~AntlrRunner();
  AntlrRunner(const AntlrRunner&) = delete;
  AntlrRunner& operator=(const AntlrRunner&) = delete;

  // Parses tokens[begin, end) of `text` as one ddlStatement. On success returns the tree;
  // on a syntax error returns null and fills *error. *used_ll tells whether the full-LL
  // stage ran.
  antlr4::ParserRuleContext* Parse(std::string_view text, const std::vector<Token>& tokens,
                                   uint32_t begin, uint32_t end, SyntaxError* error, bool* used_ll);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace sqlmill::tsql::internal

#endif  // SQLMILL_SERVICES_SQL_PARSER_ENGINE_INTERNAL_ANTLR_RUNNER_H_

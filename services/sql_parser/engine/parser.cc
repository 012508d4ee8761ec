// The engine driver: decode → pre-pass → per batch (lex → split → per statement: parse and
// build, or list and skip) → resolve diagnostics.
#include "services/sql_parser/engine/parser.h"

#include <chrono>

#include "TSqlLexer.h"
#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "services/sql_parser/engine/decode.h"
#include "services/sql_parser/engine/internal/antlr_runner.h"
#include "services/sql_parser/engine/internal/ast_builder.h"
#include "services/sql_parser/engine/internal/lexer.h"
#include "services/sql_parser/engine/internal/statement_splitter.h"
#include "services/sql_parser/engine/script_prepass.h"

namespace sqlmill::tsql {

namespace {

using internal::AntlrRunner;
using internal::AstBuilder;
using internal::FileContext;
using internal::SplitStatement;
using internal::StatementAction;
using internal::Token;
using TL = gen::TSqlLexer;

// Deep nesting would recurse deeply inside the ANTLR runtime; a limit of 0 ("none") still
// gets this bound so a hostile script cannot overflow the stack.
constexpr int kHardMaxDepth = 1000;

class Engine {
 public:
  Engine(const ParseOptions& options, const CancellationToken* cancel)
      : options_(options), cancel_(cancel), budget_(options.limits.max_work_units, cancel),
        sink_(options.max_diagnostics), runner_(cancel) {
    builder_.set_cancel(cancel);
  }

  absl::Status ParseFile(const ScriptInput& input, uint32_t file_index) {
    SQLMILL_RETURN_IF_ERROR(CheckInputSize(absl::StrCat("script ", input.name),
                                           input.content.size(), options_.limits.max_input_bytes));
    if (cancel_ != nullptr) SQLMILL_RETURN_IF_ERROR(cancel_->Check());
    SQLMILL_ASSIGN_OR_RETURN(DecodedText decoded, DecodeScript(input.content, input.name));
    out_.stats.input_bytes += input.content.size();
    ++out_.stats.files;

    DiagnosticSink sink(options_.max_diagnostics);
    PrepassOptions prepass;
    prepass.variables = options_.sqlcmd_variables;
    SQLMILL_ASSIGN_OR_RETURN(PreparedScript prepared,
                             PrepareScript(decoded.text, prepass, input.name, &sink, cancel_));
    const LineIndex lines(decoded.text);
    FileContext file;
    file.text = prepared.text;
    file.offsets = &prepared.offsets;
    file.lines = &lines;
    file.file_index = file_index;
    file.file_name = input.name;
    file.default_schema = options_.default_schema.empty() ? "dbo" : options_.default_schema;
    file.sink = &sink;
    AstBuilder& builder = builder_;
    builder.set_file(&file);
    builder.set_database(options_.default_database);

    const int max_depth = options_.limits.max_nesting_depth > 0
                              ? std::min(options_.limits.max_nesting_depth, kHardMaxDepth)
                              : kHardMaxDepth;
    bool quoted_identifier = options_.quoted_identifier;
    std::vector<Token> tokens;
    std::vector<internal::LexError> lex_errors;
    std::vector<SplitStatement> statements;
    for (size_t b = 0; b < prepared.batches.size(); ++b) {
      const Batch& batch = prepared.batches[b];
      ++out_.stats.batches;
      tokens.clear();
      lex_errors.clear();
      statements.clear();
      SQLMILL_RETURN_IF_ERROR(internal::Lex(prepared.text, batch.begin, batch.end,
                                            internal::LexOptions{quoted_identifier}, &budget_,
                                            &tokens, &lex_errors));
      out_.stats.tokens += tokens.size();
      for (const internal::LexError& e : lex_errors) {
        sink.Error("lex-error", e.message, input.name, prepared.offsets.ToOriginal(e.span));
      }
      SQLMILL_RETURN_IF_ERROR(
          internal::SplitStatements(prepared.text, tokens, max_depth, &statements));
      bool next_quoted_identifier = quoted_identifier;
      for (const SplitStatement& s : statements) {
        if (cancel_ != nullptr && (++statement_counter_ % 64) == 0) {
          SQLMILL_RETURN_IF_ERROR(cancel_->Check());
        }
        StatementInfo info;
        info.kind = s.kind;
        info.batch = static_cast<uint32_t>(b);
        info.span = builder.MakeSpan(
            SourceSpan{tokens[s.begin].offset, tokens[s.end - 1].end() - tokens[s.begin].offset});
        switch (s.action) {
          case StatementAction::kParse: {
            if (s.not_first_in_batch) {
              sink.Warning("batch-first",
                           absl::StrCat(s.kind, " must be the first statement in its batch; SQL "
                                        "Server rejects this batch (add GO before it). The "
                                        "definition is recorded as written"),
                           input.name, prepared.offsets.ToOriginal(tokens[s.begin].span()));
            }
            internal::SyntaxError error;
            bool used_ll = false;
            antlr4::ParserRuleContext* tree =
                runner_.Parse(prepared.text, tokens, s.begin, s.header_end, &error, &used_ll);
            if (!error.stopped.ok()) return error.stopped;
            if (used_ll) ++out_.stats.ll_fallbacks;
            if (tree != nullptr) {
              internal::BuildResult result = builder.Build(
                  static_cast<internal::P::DdlStatementContext*>(tree), tokens, s.begin, s);
              if (absl::Status stopped = builder.TakeStopped(); !stopped.ok()) return stopped;
              info.target = std::move(result.target);
              info.applied = result.applied;
            } else {
              ReportSyntaxError(s, error, tokens, prepared, input.name, &sink);
              info.error = true;
            }
            break;
          }
          case StatementAction::kUse:
          case StatementAction::kCreateDatabase: {
            const uint32_t at = s.begin + (s.action == StatementAction::kUse ? 1 : 2);
            if (at < s.end && (internal::IsIdentifierToken(tokens[at].type) ||
                               tokens[at].type == TL::STRING)) {
              std::string name = internal::IdentifierText(prepared.text, tokens[at]);
              Database& db = out_.catalog.GetOrAddDatabase(name);
              if (!db.span) db.span = info.span;
              if (s.action == StatementAction::kUse) builder.set_database(name);
              info.target.name = name;
              info.applied = true;
            }
            break;
          }
          case StatementAction::kSetOption:
            // SET QUOTED_IDENTIFIER ON|OFF takes effect from the next batch, which SQL
            // Server parses after this one has run.
            if (s.begin + 2 < s.end && tokens[s.begin + 1].type == TL::K_QUOTED_IDENTIFIER) {
              next_quoted_identifier = tokens[s.begin + 2].type == TL::K_ON;
            }
            break;
          case StatementAction::kError:
            sink.Error("unknown-statement", s.error, input.name,
                       prepared.offsets.ToOriginal(tokens[s.begin].span()));
            info.error = true;
            break;
          case StatementAction::kSkip:
            break;
        }
        ++out_.stats.statements;
        if (info.applied) ++out_.stats.statements_applied;
        if (options_.include_statements) out_.statements.push_back(std::move(info));
      }
      quoted_identifier = next_quoted_identifier;
    }
    sink.Resolve(input.name, lines);
    errors_ += sink.error_count();
    warnings_ += sink.warning_count();
    sink_.Merge(std::move(sink));
    return absl::OkStatus();
  }

  ParseOutput Finish(std::chrono::steady_clock::time_point start) {
    // Drop what was only implied: the default database when the script put everything
    // elsewhere, and schemas left empty by DROPs without a CREATE SCHEMA of their own.
    for (Database& db : out_.catalog.databases) {
      std::erase_if(db.schemas, [](const Schema& s) { return s.empty(); });
    }
    std::erase_if(out_.catalog.databases,
                  [](const Database& d) { return d.schemas.empty() && !d.span.has_value(); });
    out_.stats.errors = static_cast<uint32_t>(errors_);
    out_.stats.warnings = static_cast<uint32_t>(warnings_);
    out_.diagnostics = sink_.TakeDiagnostics();
    out_.stats.parse_micros = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start)
            .count());
    return std::move(out_);
  }

  Catalog& catalog() { return out_.catalog; }

 private:
  void ReportSyntaxError(const SplitStatement& s, const internal::SyntaxError& error,
                         const std::vector<Token>& tokens, const PreparedScript& prepared,
                         const std::string& file, DiagnosticSink* sink) {
    const uint32_t count = s.header_end - s.begin;
    SourceSpan span;
    if (error.token < count) {
      span = tokens[s.begin + error.token].span();
    } else {
      // At the end of the statement: point just past its last token.
      const Token& last = tokens[s.header_end > s.begin ? s.header_end - 1 : s.begin];
      span = SourceSpan{last.end(), 0};
    }
    sink->Error("parse-error", absl::StrCat(error.message, " in ", s.kind, " statement"), file,
                prepared.offsets.ToOriginal(span));
  }

  const ParseOptions& options_;
  const CancellationToken* cancel_;
  WorkBudget budget_;
  DiagnosticSink sink_;
  ParseOutput out_;
  AntlrRunner runner_;
  AstBuilder builder_{&out_.catalog, nullptr};
  uint64_t statement_counter_ = 0;
  size_t errors_ = 0;  // every finding, including those past max_diagnostics
  size_t warnings_ = 0;
};

}  // namespace

absl::StatusOr<ParseOutput> ParseFiles(const std::vector<ScriptInput>& inputs,
                                       const ParseOptions& options,
                                       const CancellationToken* cancel) {
  const auto start = std::chrono::steady_clock::now();
  uint64_t total = 0;
  for (const ScriptInput& input : inputs) total += input.content.size();
  const uint64_t budget = options.limits.max_call_memory_bytes;
  if (budget != 0 && total * kParseBytesPerInputByte > budget) {  // the message only if needed
    return CheckMemoryEstimate(
        inputs.size() == 1 ? absl::StrCat("script ", inputs[0].name) : "the scripts", total,
        kParseBytesPerInputByte, budget);
  }
  Engine engine(options, cancel);
  for (const ScriptInput& input : inputs) engine.catalog().files.push_back(input.name);
  for (size_t i = 0; i < inputs.size(); ++i) {
    SQLMILL_RETURN_IF_ERROR(engine.ParseFile(inputs[i], static_cast<uint32_t>(i)));
  }
  return engine.Finish(start);
}

absl::StatusOr<ParseOutput> ParseScript(const ScriptInput& input, const ParseOptions& options,
                                        const CancellationToken* cancel) {
  return ParseFiles({input}, options, cancel);
}

}  // namespace sqlmill::tsql

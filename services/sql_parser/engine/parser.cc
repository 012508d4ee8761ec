// The engine driver: decode → pre-pass → per batch (lex → split → per statement: parse and
// build, or list and skip) → resolve diagnostics.
#include "services/sql_parser/engine/parser.h"

#include <chrono>
#include <cstdint>
#include <memory>

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

// One statement parsed ahead of its file's turn: its own runner owns the tree and the
// tokens the tree points at.
struct PreParsed {
  std::unique_ptr<AntlrRunner> runner;
  antlr4::ParserRuleContext* tree = nullptr;
  internal::SyntaxError error;
  bool used_ll = false;
};

struct PreparedBatch {
  std::vector<Token> tokens;
  std::vector<internal::LexError> lex_errors;
  std::vector<SplitStatement> statements;
  std::vector<PreParsed> parsed;  // by statement, when the file was parsed ahead
};

// Everything about one file that does not depend on the catalog: decoding, the sqlcmd
// pre-pass, and per batch the tokens and statements (and, parsed ahead, each statement's
// tree). Made for many files at once on the pool; applied to the catalog in file order.
// Pinned (held by unique_ptr): the line index, contexts and trees point into its text.
struct PreparedFile {
  absl::Status status;            // a failure before any batch: returned when applied
  size_t failed_batch = SIZE_MAX;  // a failure at this batch: returned when it is reached
  absl::Status batch_status;
  uint64_t input_bytes = 0;
  DecodedText decoded;
  PreparedScript prepared;
  std::unique_ptr<LineIndex> lines;
  std::unique_ptr<DiagnosticSink> sink;
  bool parsed_ahead = false;
  std::vector<PreparedBatch> batches;  // when parsed ahead, one per batch
};

// Files up to this size are parsed ahead when a call parses many files in parallel;
// larger ones are parsed in their turn (retaining every tree of a big file costs memory).
constexpr size_t kParseAheadMaxBytes = 1u << 20;

int MaxDepth(const ParseOptions& options) {
  return options.limits.max_nesting_depth > 0
             ? std::min(options.limits.max_nesting_depth, kHardMaxDepth)
             : kHardMaxDepth;
}

// Lexes and splits one batch into `out` (cleared first). *quoted_identifier is the setting
// the batch is lexed with; it becomes the next batch's (SET QUOTED_IDENTIFIER ON|OFF takes
// effect from the next batch, which SQL Server parses after this one has run).
absl::Status LexBatch(const PreparedScript& prepared, const Batch& batch, int max_depth,
                      WorkBudget* budget, bool* quoted_identifier, PreparedBatch* out) {
  out->tokens.clear();
  out->lex_errors.clear();
  out->statements.clear();
  out->parsed.clear();
  SQLMILL_RETURN_IF_ERROR(internal::Lex(prepared.text, batch.begin, batch.end,
                                        internal::LexOptions{*quoted_identifier}, budget,
                                        &out->tokens, &out->lex_errors));
  SQLMILL_RETURN_IF_ERROR(
      internal::SplitStatements(prepared.text, out->tokens, max_depth, &out->statements));
  for (const SplitStatement& st : out->statements) {
    if (st.action == StatementAction::kSetOption && st.begin + 2 < st.end &&
        out->tokens[st.begin + 1].type == TL::K_QUOTED_IDENTIFIER) {
      *quoted_identifier = out->tokens[st.begin + 2].type == TL::K_ON;
    }
  }
  return absl::OkStatus();
}

// Decodes and pre-passes a file; with `parse_ahead` also lexes, splits and parses every
// batch (each statement on a runner of its own). Without it the batches are lexed one at a
// time when the file is applied, so a big file never holds all its tokens at once.
std::unique_ptr<PreparedFile> PrepareFile(const ScriptInput& input, const ParseOptions& options,
                                          const CancellationToken* cancel, bool parse_ahead) {
  auto f = std::make_unique<PreparedFile>();
  f->sink = std::make_unique<DiagnosticSink>(options.max_diagnostics);
  f->status = CheckInputSize(absl::StrCat("script ", input.name), input.content.size(),
                             options.limits.max_input_bytes);
  if (f->status.ok() && cancel != nullptr) f->status = cancel->Check();
  if (!f->status.ok()) return f;
  absl::StatusOr<DecodedText> decoded = DecodeScript(input.content, input.name);
  if (!decoded.ok()) {
    f->status = decoded.status();
    return f;
  }
  f->decoded = std::move(*decoded);
  f->input_bytes = input.content.size();
  PrepassOptions prepass;
  prepass.variables = options.sqlcmd_variables;
  absl::StatusOr<PreparedScript> prepared =
      PrepareScript(f->decoded.text, prepass, input.name, f->sink.get(), cancel);
  if (!prepared.ok()) {
    f->status = prepared.status();
    return f;
  }
  f->prepared = std::move(*prepared);
  f->lines = std::make_unique<LineIndex>(f->decoded.text);
  if (!parse_ahead) return f;

  f->parsed_ahead = true;
  // The call's work budget is charged when the file is applied; this one only polls.
  WorkBudget polling(0, cancel);
  bool quoted_identifier = options.quoted_identifier;
  f->batches.resize(f->prepared.batches.size());
  for (size_t b = 0; b < f->prepared.batches.size(); ++b) {
    PreparedBatch& out = f->batches[b];
    absl::Status s = LexBatch(f->prepared, f->prepared.batches[b], MaxDepth(options), &polling,
                              &quoted_identifier, &out);
    if (!s.ok()) {
      f->failed_batch = b;
      f->batch_status = std::move(s);
      return f;
    }
    out.parsed.resize(out.statements.size());
    for (size_t i = 0; i < out.statements.size(); ++i) {
      const SplitStatement& st = out.statements[i];
      if (st.action != StatementAction::kParse) continue;
      // Once cancelled, the rest is parsed (and refused) when the file is applied.
      if (cancel != nullptr && (i % 64) == 63 && !cancel->Check().ok()) break;
      PreParsed& pre = out.parsed[i];
      pre.runner = std::make_unique<AntlrRunner>();
      pre.tree = pre.runner->Parse(f->prepared.text, out.tokens, st.begin, st.header_end,
                                   &pre.error, &pre.used_ll);
    }
  }
  return f;
}

class Engine {
 public:
  Engine(const ParseOptions& options, const CancellationToken* cancel)
      : options_(options), cancel_(cancel), budget_(options.limits.max_work_units, cancel),
        sink_(options.max_diagnostics) {}

  absl::Status ParseFile(const ScriptInput& input, uint32_t file_index) {
    std::unique_ptr<PreparedFile> prepared = PrepareFile(input, options_, cancel_, false);
    return ApplyFile(input, file_index, *prepared);
  }

  // Applies a prepared file to the catalog (in file order), parsing the statements that
  // were not parsed ahead.
  absl::Status ApplyFile(const ScriptInput& input, uint32_t file_index, PreparedFile& f) {
    SQLMILL_RETURN_IF_ERROR(f.status);
    out_.stats.input_bytes += f.input_bytes;
    ++out_.stats.files;
    DiagnosticSink& sink = *f.sink;
    const PreparedScript& prepared = f.prepared;
    FileContext file;
    file.text = prepared.text;
    file.offsets = &prepared.offsets;
    file.lines = f.lines.get();
    file.file_index = file_index;
    file.file_name = input.name;
    file.default_schema = options_.default_schema.empty() ? "dbo" : options_.default_schema;
    file.sink = &sink;
    AstBuilder& builder = builder_;
    builder.set_file(&file);
    builder.set_database(options_.default_database);

    bool quoted_identifier = options_.quoted_identifier;
    PreparedBatch lexed_now;  // the batch lexed in its turn (not parsed ahead)
    for (size_t b = 0; b < prepared.batches.size(); ++b) {
      ++out_.stats.batches;
      if (f.parsed_ahead) {
        if (b == f.failed_batch) return f.batch_status;
        SQLMILL_RETURN_IF_ERROR(budget_.Charge(f.batches[b].tokens.size()));
      } else {
        SQLMILL_RETURN_IF_ERROR(LexBatch(prepared, prepared.batches[b], MaxDepth(options_),
                                         &budget_, &quoted_identifier, &lexed_now));
      }
      PreparedBatch& batch = f.parsed_ahead ? f.batches[b] : lexed_now;
      const std::vector<Token>& tokens = batch.tokens;
      out_.stats.tokens += tokens.size();
      for (const internal::LexError& e : batch.lex_errors) {
        sink.Error("lex-error", e.message, input.name, prepared.offsets.ToOriginal(e.span));
      }
      for (size_t si = 0; si < batch.statements.size(); ++si) {
        const SplitStatement& s = batch.statements[si];
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
            antlr4::ParserRuleContext* tree = nullptr;
            PreParsed* pre = si < batch.parsed.size() ? &batch.parsed[si] : nullptr;
            if (pre != nullptr && pre->runner != nullptr) {
              tree = pre->tree;
              error = pre->error;
              used_ll = pre->used_ll;
            } else {
              pre = nullptr;
              tree = runner_.Parse(prepared.text, tokens, s.begin, s.header_end, &error, &used_ll);
            }
            if (used_ll) ++out_.stats.ll_fallbacks;
            if (tree != nullptr) {
              internal::BuildResult result = builder.Build(
                  static_cast<internal::P::DdlStatementContext*>(tree), tokens, s.begin, s);
              info.target = std::move(result.target);
              info.applied = result.applied;
            } else {
              ReportSyntaxError(s, error, tokens, prepared, input.name, &sink);
              info.error = true;
            }
            if (pre != nullptr) pre->runner.reset();  // the tree is done with
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
          case StatementAction::kSetOption:  // QUOTED_IDENTIFIER: handled while lexing
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
    }
    sink.Resolve(input.name, *f.lines);
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
  Engine engine(options, cancel);
  for (const ScriptInput& input : inputs) engine.catalog().files.push_back(input.name);
  if (!options.parallel || inputs.size() < 2) {
    for (size_t i = 0; i < inputs.size(); ++i) {
      SQLMILL_RETURN_IF_ERROR(engine.ParseFile(inputs[i], static_cast<uint32_t>(i)));
    }
    return engine.Finish(start);
  }
  // Many files: prepare (and parse ahead) a window of files on the pool, then apply them to
  // the catalog one after another in file order, so the result is the sequential one.
  constexpr size_t kWindow = 64;
  for (size_t first = 0; first < inputs.size(); first += kWindow) {
    const size_t n = std::min(kWindow, inputs.size() - first);
    std::vector<std::unique_ptr<PreparedFile>> prepared(n);
    RunParallel(options.parallel, n, [&](size_t i) {
      const ScriptInput& input = inputs[first + i];
      prepared[i] = PrepareFile(input, options, cancel,
                                input.content.size() <= kParseAheadMaxBytes);
    });
    for (size_t i = 0; i < n; ++i) {
      SQLMILL_RETURN_IF_ERROR(engine.ApplyFile(inputs[first + i],
                                               static_cast<uint32_t>(first + i), *prepared[i]));
      prepared[i].reset();
    }
  }
  return engine.Finish(start);
}

absl::StatusOr<ParseOutput> ParseScript(const ScriptInput& input, const ParseOptions& options,
                                        const CancellationToken* cancel) {
  return ParseFiles({input}, options, cancel);
}

}  // namespace sqlmill::tsql

// SLL-then-LL parsing of one statement, with ANTLR's exceptions caught here and nowhere else.
#include "services/sql_parser/engine/internal/antlr_runner.h"

#include <exception>
#include <utility>

#include "TSqlParser.h"
#include "absl/strings/str_cat.h"
#include "antlr4-runtime.h"

namespace sqlmill::tsql::internal {

namespace {

std::string DescribeExpected(const antlr4::misc::IntervalSet& expected) {
  std::vector<std::string> names;
  bool identifier = false;
  for (const antlr4::misc::Interval& interval : expected.getIntervals()) {
    for (ssize_t t = interval.a; t <= interval.b; ++t) {
      const int type = static_cast<int>(t);
      const std::string_view name = TokenTypeName(type);
      // Keywords that may also be identifiers: say "an identifier" once instead of listing
      // the non-reserved keywords.
      if (type == gen::TSqlParser::ID || type == gen::TSqlParser::BRACKET_ID ||
          type == gen::TSqlParser::QUOTED_ID) {
        identifier = true;
        continue;
      }
      (void)name;
      names.push_back(DescribeTokenType(type));
    }
  }
  if (identifier) {
    // Drop the non-reserved keywords the identifier rule brings in.
    std::vector<std::string> kept;
    for (std::string& n : names) {
      const int kw = KeywordType(n);
      if (kw == 0 || n.size() < 2) {
        kept.push_back(std::move(n));
        continue;
      }
      // Keep reserved words that are likely what the author meant (a short list is enough).
      static constexpr std::string_view kKeep[] = {"AS", "WITH", "ON", "CONSTRAINT", "PRIMARY",
                                                   "UNIQUE", "FOREIGN", "CHECK", "DEFAULT",
                                                   "NULL", "NOT", "INDEX", "FOR", "REFERENCES"};
      for (std::string_view k : kKeep) {
        if (n == k) {
          kept.push_back(std::move(n));
          break;
        }
      }
    }
    names = std::move(kept);
    names.insert(names.begin(), "an identifier");
  }
  if (names.empty()) return "something else";
  constexpr size_t kMaxListed = 6;
  std::string out;
  const size_t shown = std::min(names.size(), kMaxListed);
  for (size_t i = 0; i < shown; ++i) {
    if (i > 0) out += (i + 1 == shown && names.size() <= kMaxListed) ? " or " : ", ";
    out += names[i];
  }
  if (names.size() > kMaxListed) out += ", ...";
  return out;
}

// Records the first syntax error of a parse in terms of our tokens.
class FirstErrorListener : public antlr4::BaseErrorListener {
 public:
  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t, size_t,
                   const std::string&, std::exception_ptr e) override {
    if (seen) return;
    seen = true;
    antlr4::misc::IntervalSet expected;
    bool have_expected = false;
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const antlr4::RecognitionException& re) {
        expected = re.getExpectedTokens();
        have_expected = true;
      } catch (...) {
      }
    }
    if (!have_expected) {
      if (auto* parser = dynamic_cast<antlr4::Parser*>(recognizer)) {
        expected = parser->getExpectedTokens();
      }
    }
    std::string found = "the end of the statement";
    if (offending != nullptr && offending->getType() != antlr4::Token::EOF) {
      std::string text = offending->getText();
      if (text.size() > 40) text = text.substr(0, 40) + "...";
      found = absl::StrCat("'", text, "'");
      token = static_cast<uint32_t>(offending->getTokenIndex());
    } else if (offending != nullptr) {
      token = static_cast<uint32_t>(offending->getTokenIndex());
    }
    message = absl::StrCat("expected ", DescribeExpected(expected), " but found ", found);
  }

  bool seen = false;
  uint32_t token = 0;
  std::string message;
};

// A token source with nothing to give: the stream below is filled up front. The parser asks
// it only for the token factory (when error recovery conjures a missing token).
class NullTokenSource : public antlr4::TokenSource {
 public:
  std::unique_ptr<antlr4::Token> nextToken() override {
    return std::make_unique<antlr4::CommonToken>(antlr4::Token::EOF);
  }
  size_t getLine() const override { return 0; }
  size_t getCharPositionInLine() override { return 0; }
  antlr4::CharStream* getInputStream() override { return nullptr; }
  std::string getSourceName() override { return "statement"; }
  antlr4::TokenFactory<antlr4::CommonToken>* getTokenFactory() override {
    return antlr4::CommonTokenFactory::DEFAULT.get();
  }
};

// Thrown from the token stream when the cancellation token says stop; not a std::exception,
// so nothing in the runtime mistakes it for a recognition error. Caught in Parse().
struct StopParse {};

// An array-backed token stream over a pool of tokens reused from statement to statement,
// so parsing allocates no token objects (CommonTokenStream would take one fresh heap token
// per token from its source). The last token is always EOF.
class PooledTokenStream : public antlr4::TokenStream {
 public:
  // Makes room for n tokens plus EOF and returns the token at i for filling.
  void Resize(size_t n) {
    // Tokens must name their source: error recovery asks current->getTokenSource() for the
    // input stream when it conjures a missing token (a null source crashed there; found by
    // the fuzzer, kept as testdata/fuzz_regressions/missing_symbol_in_trigger.sql).
    while (pool_.size() < n + 1) {
      if ((pool_.size() & 0x3fff) == 0x3fff) {
        absl::Status status = CheckCancel();
        if (!status.ok()) {
          stopped_ = std::move(status);
          throw StopParse{};
        }
      }
      pool_.push_back(std::make_unique<antlr4::CommonToken>(
          std::pair<antlr4::TokenSource*, antlr4::CharStream*>(&source_, nullptr),
          antlr4::Token::EOF, antlr4::Token::DEFAULT_CHANNEL, 0, 0));
    }
    n_ = n + 1;
    p_ = 0;
  }
  antlr4::CommonToken* at(size_t i) { return pool_[i].get(); }
  void set_cancel(const CancellationToken* cancel) { cancel_ = cancel; }
  absl::Status TakeStopStatus() { return std::exchange(stopped_, absl::OkStatus()); }
  absl::Status CheckCancel() const { return cancel_ == nullptr ? absl::OkStatus() : cancel_->Check(); }

  antlr4::Token* LT(ssize_t k) override {
    if (k == 0) return nullptr;
    if (k < 0) {
      const ssize_t i = static_cast<ssize_t>(p_) + k;
      return i < 0 ? nullptr : pool_[static_cast<size_t>(i)].get();
    }
    const size_t i = std::min(p_ + static_cast<size_t>(k) - 1, n_ - 1);
    return pool_[i].get();
  }
  antlr4::Token* get(size_t index) const override { return pool_[std::min(index, n_ - 1)].get(); }
  antlr4::TokenSource* getTokenSource() const override { return &source_; }
  std::string getText(const antlr4::misc::Interval& interval) override {
    std::string out;
    if (interval.a < 0 || interval.b < 0) return out;
    for (size_t i = static_cast<size_t>(interval.a); i <= static_cast<size_t>(interval.b) && i + 1 < n_; ++i) {
      out += pool_[i]->getText();
    }
    return out;
  }
  std::string getText() override { return getText(antlr4::misc::Interval(0, static_cast<ssize_t>(n_) - 1)); }
  std::string getText(antlr4::RuleContext* ctx) override { return getText(ctx->getSourceInterval()); }
  std::string getText(antlr4::Token* start, antlr4::Token* stop) override {
    if (start == nullptr || stop == nullptr) return "";
    return getText(antlr4::misc::Interval(start->getTokenIndex(), stop->getTokenIndex()));
  }
  void consume() override {
    if (p_ + 1 >= n_) throw antlr4::IllegalStateException("cannot consume EOF");
    ++p_;
    Poll();
  }
  size_t LA(ssize_t i) override {
    antlr4::Token* t = LT(i);
    return t == nullptr ? antlr4::Token::INVALID_TYPE : t->getType();
  }
  ssize_t mark() override { return -1; }
  void release(ssize_t) override {}
  size_t index() override { return p_; }
  void seek(size_t index) override { p_ = std::min(index, n_ - 1); }
  size_t size() override { return n_; }
  std::string getSourceName() const override { return "statement"; }

 private:
  // Every kPollEvery consumed tokens, asks the cancellation token (a clock read and an
  // atomic load) whether to go on: a statement of millions of tokens stops within
  // milliseconds. Only consume() polls: the runtime also reads tokens (LT) from the
  // clean-up actions of its rule functions, which run in destructors and must not throw.
  static constexpr uint32_t kPollEvery = 1u << 12;
  void Poll() {
    if (cancel_ == nullptr || --until_poll_ != 0) return;
    until_poll_ = kPollEvery;
    absl::Status status = cancel_->Check();
    if (!status.ok()) {
      stopped_ = std::move(status);
      throw StopParse{};
    }
  }

  std::vector<std::unique_ptr<antlr4::CommonToken>> pool_;
  size_t n_ = 0;
  size_t p_ = 0;
  const CancellationToken* cancel_ = nullptr;
  uint32_t until_poll_ = kPollEvery;
  absl::Status stopped_;
  mutable NullTokenSource source_;
};

// The prediction cache (DFA states and the context cache) of one thread. The generated
// parser shares one cache between all instances through static members; whether the 4.9
// runtime guards every access to it is not something we want to rely on, so each thread
// gets its own cache and no parser state is shared between threads at all. The cache
// warms up once per thread and lives as long as the thread (server threads are pooled).
struct ThreadPredictionCache {
  explicit ThreadPredictionCache(const antlr4::atn::ATN& atn) {
    dfas.reserve(atn.getNumberOfDecisions());
    for (size_t i = 0; i < atn.getNumberOfDecisions(); ++i) {
      dfas.emplace_back(atn.getDecisionState(i), i);
    }
  }
  std::vector<antlr4::dfa::DFA> dfas;
  antlr4::atn::PredictionContextCache contexts;
};

ThreadPredictionCache& CacheForThisThread(const antlr4::atn::ATN& atn) {
  thread_local ThreadPredictionCache cache(atn);
  return cache;
}

}  // namespace

struct AntlrRunner::State {
  PooledTokenStream stream;
  std::unique_ptr<gen::TSqlParser> parser;
  std::shared_ptr<antlr4::BailErrorStrategy> bail = std::make_shared<antlr4::BailErrorStrategy>();
  std::shared_ptr<antlr4::DefaultErrorStrategy> recover =
      std::make_shared<antlr4::DefaultErrorStrategy>();
  FirstErrorListener listener;
};

AntlrRunner::AntlrRunner(const CancellationToken* cancel) : state_(std::make_unique<State>()) {
  state_->stream.set_cancel(cancel);
}
AntlrRunner::~AntlrRunner() = default;

antlr4::ParserRuleContext* AntlrRunner::Parse(std::string_view text, const std::vector<Token>& tokens,
                                              uint32_t begin, uint32_t end, SyntaxError* error,
                                              bool* used_ll) {
  State& s = *state_;
  *used_ll = false;
  // The previous statement's tree goes first (it refers to the pooled tokens).
  if (s.parser) s.parser->getTreeTracker().reset();
  const uint32_t count = end - begin;
  try {
    s.stream.Resize(count);
  } catch (const StopParse&) {
    error->stopped = s.stream.TakeStopStatus();
    return nullptr;
  }
  for (uint32_t i = 0; i < count; ++i) {
    // Filling the pool for a statement of a million tokens takes a good part of a second.
    if ((i & 0x3fff) == 0x3fff && !(error->stopped = s.stream.CheckCancel()).ok()) return nullptr;
    const Token& t = tokens[begin + i];
    antlr4::CommonToken* token = s.stream.at(i);
    token->setType(static_cast<size_t>(t.type));
    token->setText(std::string(text.substr(t.offset, t.length)));
    token->setStartIndex(t.offset);
    token->setStopIndex(t.offset + t.length - 1);
    token->setTokenIndex(i);
  }
  {
    antlr4::CommonToken* eof = s.stream.at(count);
    const uint32_t at = count > 0 ? tokens[end - 1].end() : (begin < tokens.size() ? tokens[begin].offset : 0);
    eof->setType(antlr4::Token::EOF);
    eof->setText("<EOF>");
    eof->setStartIndex(at);
    eof->setStopIndex(at == 0 ? 0 : at - 1);
    eof->setTokenIndex(count);
  }
  try {
    if (!s.parser) {
      s.parser = std::make_unique<gen::TSqlParser>(&s.stream);
      s.parser->removeErrorListeners();
      ThreadPredictionCache& cache = CacheForThisThread(s.parser->getATN());
      // setInterpreter deletes the interpreter it replaces.
      s.parser->setInterpreter(new antlr4::atn::ParserATNSimulator(
          s.parser.get(), s.parser->getATN(), cache.dfas, cache.contexts));
    } else {
      s.parser->setTokenStream(&s.stream);
    }
    // Stage 1: SLL, bail out at the first error.
    s.parser->getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::SLL);
    s.parser->setErrorHandler(s.bail);
    s.parser->removeErrorListeners();
    try {
      return s.parser->ddlStatement();
    } catch (const antlr4::ParseCancellationException&) {
      // Fall through to full LL.
    }
    *used_ll = true;
    s.parser->getTreeTracker().reset();
    s.stream.seek(0);
    s.parser->setTokenStream(&s.stream);
    s.parser->getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::LL);
    s.parser->setErrorHandler(s.recover);
    s.listener = FirstErrorListener();
    s.parser->addErrorListener(&s.listener);
    antlr4::ParserRuleContext* tree = s.parser->ddlStatement();
    s.parser->removeErrorListeners();
    if (!s.listener.seen) return tree;
    error->token = s.listener.token;
    error->message = s.listener.message;
    return nullptr;
  } catch (const StopParse&) {
    if (s.parser) {
      s.parser->removeErrorListeners();
      s.parser->getTreeTracker().reset();
    }
    error->token = 0;
    error->stopped = s.stream.TakeStopStatus();
    return nullptr;
  } catch (const std::exception& e) {
    if (s.parser) s.parser->removeErrorListeners();
    error->token = 0;
    error->message = absl::StrCat("the parser failed on this statement: ", e.what());
    return nullptr;
  }
}

}  // namespace sqlmill::tsql::internal

// Tests for the hand-written lexer, including a differential test against the lexer ANTLR
// generates from grammar/TSqlLexer.g4 (the normative token definitions) over the corpus.
#include "services/sql_parser/engine/internal/lexer.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "TSqlLexer.h"
#include "antlr4-runtime.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/sql_parser/engine/decode.h"
#include "services/sql_parser/engine/script_prepass.h"

namespace sqlmill::tsql::internal {
namespace {

using gen::TSqlLexer;
using TypedText = std::pair<int, std::string>;

std::vector<TypedText> Ours(std::string_view text, bool quoted_identifier = true,
                            std::vector<LexError>* errors_out = nullptr) {
  std::vector<Token> tokens;
  std::vector<LexError> errors;
  EXPECT_TRUE(Lex(text, 0, static_cast<uint32_t>(text.size()), LexOptions{quoted_identifier}, nullptr,
                  &tokens, &errors)
                  .ok());
  if (errors_out != nullptr) *errors_out = errors;
  std::vector<TypedText> out;
  for (const Token& t : tokens) out.emplace_back(t.type, std::string(text.substr(t.offset, t.length)));
  return out;
}

std::vector<TypedText> Generated(std::string_view text) {
  antlr4::ANTLRInputStream input(std::string(text.data(), text.size()));
  TSqlLexer lexer(&input);
  lexer.removeErrorListeners();
  std::vector<TypedText> out;
  for (auto t = lexer.nextToken(); t->getType() != antlr4::Token::EOF; t = lexer.nextToken()) {
    out.emplace_back(static_cast<int>(t->getType()), t->getText());
  }
  return out;
}

TEST(LexerTest, KeywordsAreCaseInsensitive) {
  EXPECT_EQ(KeywordType("create"), TSqlLexer::K_CREATE);
  EXPECT_EQ(KeywordType("CrEaTe"), TSqlLexer::K_CREATE);
  EXPECT_EQ(KeywordType("createx"), 0);
  EXPECT_EQ(KeywordType("QUOTED_IDENTIFIER"), TSqlLexer::K_QUOTED_IDENTIFIER);
}

TEST(LexerTest, TokenKinds) {
  const auto tokens = Ours("SELECT N'it''s', [a]]b], \"q\", @x, @@ROWCOUNT, #t, $node_id, 0x1F, 1.5e3, .5, $10 <> != <= ::");
  std::vector<int> types;
  for (const auto& t : tokens) types.push_back(t.first);
  EXPECT_THAT(types, testing::ElementsAre(
      TSqlLexer::K_SELECT, TSqlLexer::STRING, TSqlLexer::COMMA, TSqlLexer::BRACKET_ID, TSqlLexer::COMMA,
      TSqlLexer::QUOTED_ID, TSqlLexer::COMMA, TSqlLexer::VARIABLE, TSqlLexer::COMMA, TSqlLexer::VARIABLE,
      TSqlLexer::COMMA, TSqlLexer::ID, TSqlLexer::COMMA, TSqlLexer::ID, TSqlLexer::COMMA,
      TSqlLexer::BINARY, TSqlLexer::COMMA, TSqlLexer::FLOAT, TSqlLexer::COMMA, TSqlLexer::DECIMAL,
      TSqlLexer::COMMA, TSqlLexer::MONEY, TSqlLexer::NE, TSqlLexer::NE, TSqlLexer::LE, TSqlLexer::DCOLON));
}

TEST(LexerTest, QuotedIdentifierOffMakesDoubleQuotesStrings) {
  EXPECT_EQ(Ours("\"x\"", /*quoted_identifier=*/false)[0].first, TSqlLexer::STRING);
  EXPECT_EQ(Ours("\"x\"", /*quoted_identifier=*/true)[0].first, TSqlLexer::QUOTED_ID);
}

TEST(LexerTest, CommentsNestAndAreSkipped) {
  EXPECT_THAT(Ours("a /* b /* c */ d */ e -- f\ng"),
              testing::ElementsAre(TypedText{TSqlLexer::ID, "a"}, TypedText{TSqlLexer::ID, "e"},
                                   TypedText{TSqlLexer::ID, "g"}));
}

TEST(LexerTest, UnterminatedRunsAreErrors) {
  std::vector<LexError> errors;
  Ours("SELECT 'abc", true, &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].span.offset, 7u);
  Ours("a /* b", true, &errors);
  EXPECT_EQ(errors.size(), 1u);
  Ours("[abc", true, &errors);
  EXPECT_EQ(errors.size(), 1u);
}

TEST(LexerTest, BudgetStopsLexing) {
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "a ";
  WorkBudget budget(100, nullptr);
  std::vector<Token> tokens;
  std::vector<LexError> errors;
  absl::Status s = Lex(text, 0, static_cast<uint32_t>(text.size()), {}, &budget, &tokens, &errors);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
}

TEST(LexerTest, AgreesWithTheGeneratedLexerOnSamples) {
  for (std::string_view sample : {
           "CREATE TABLE [dbo].[T] (a INT NOT NULL DEFAULT (0), b nvarchar(max))",
           "x.y..z @v=1 -5 +.5e-3 a*=b c-=d e!<f g!>h 'a''b' N'x' n'y' $1.25 $-3 $ ~1 ^ | & %",
           "\xC3\xA9t\xC3\xA9 caf\xC3\xA9 \xC2\xA0 nbsp \xEF\xBB\xBF bom",
           "1e 1e5 1.e5 0x 0xAbC 12.34.56 /* a /* b */ c */ -- d\n e",
       }) {
    EXPECT_EQ(Ours(sample), Generated(sample)) << sample;
  }
}

TEST(LexerTest, AgreesWithTheGeneratedLexerOnTheCorpus) {
  namespace fs = std::filesystem;
  const fs::path corpus = "../shared/corpus/mssql";
  if (!fs::exists(corpus)) GTEST_SKIP() << "corpus not found at " << corpus;
  int batches = 0;
  for (const auto& entry : fs::recursive_directory_iterator(corpus)) {
    if (entry.path().extension() != ".sql") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    absl::StatusOr<DecodedText> decoded = DecodeScript(buffer.str(), entry.path().string());
    ASSERT_TRUE(decoded.ok());
    DiagnosticSink sink;
    absl::StatusOr<PreparedScript> prepared = PrepareScript(decoded->text, {}, "x", &sink, nullptr);
    ASSERT_TRUE(prepared.ok());
    for (const Batch& b : prepared->batches) {
      const std::string_view text = std::string_view(prepared->text).substr(b.begin, b.end - b.begin);
      std::vector<LexError> errors;
      const auto ours = Ours(text, true, &errors);
      if (!errors.empty()) continue;  // the two report unterminated runs differently
      const auto generated = Generated(text);
      ++batches;
      if (ours != generated) {
        size_t i = 0;
        while (i < ours.size() && i < generated.size() && ours[i] == generated[i]) ++i;
        ADD_FAILURE() << entry.path() << ": first difference at token " << i << ": ours "
                      << (i < ours.size() ? ours[i].second : "<end>") << " ("
                      << (i < ours.size() ? TokenTypeName(ours[i].first) : "") << "), generated "
                      << (i < generated.size() ? generated[i].second : "<end>") << " ("
                      << (i < generated.size() ? TokenTypeName(generated[i].first) : "") << ")";
        break;
      }
    }
  }
  EXPECT_GT(batches, 1000);
}

}  // namespace
}  // namespace sqlmill::tsql::internal

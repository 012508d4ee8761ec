// One test per limit: input size, nesting depth, work budget, deadline and cancellation.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/sql_parser/engine/parser.h"

namespace sqlmill::tsql {
namespace {

std::string BigScript(int tables) {
  std::string s;
  for (int i = 0; i < tables; ++i) {
    s += "CREATE TABLE t" + std::to_string(i) + " (a int NOT NULL, b nvarchar(20) NULL)\nGO\n";
  }
  return s;
}

TEST(LimitsTest, InputOverTheSizeLimitIsResourceExhausted) {
  ParseOptions options;
  options.limits.max_input_bytes = 100;
  absl::StatusOr<ParseOutput> out = ParseScript({"big.sql", std::string(101, ' ')}, options);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(out.status().message()), testing::HasSubstr("big.sql"));
  EXPECT_TRUE(ParseScript({"ok.sql", std::string(100, ' ')}, options).ok());
}

TEST(LimitsTest, NestingDeeperThanTheLimitIsResourceExhausted) {
  ParseOptions options;
  options.limits.max_nesting_depth = 20;
  const std::string deep = "CREATE TABLE t (a int DEFAULT " + std::string(21, '(') + "1" + std::string(21, ')') + ")";
  EXPECT_EQ(ParseScript({"x.sql", deep}, options).status().code(), absl::StatusCode::kResourceExhausted);
  const std::string ok = "CREATE TABLE t (a int DEFAULT " + std::string(19, '(') + "1" + std::string(19, ')') + ")";
  absl::StatusOr<ParseOutput> out = ParseScript({"x.sql", ok}, options);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->stats.errors, 0u);
}

TEST(LimitsTest, UnlimitedDepthStillHasAHardCap) {
  ParseOptions options;
  options.limits.max_nesting_depth = 0;
  const std::string deep = "SELECT " + std::string(100000, '(');
  EXPECT_EQ(ParseScript({"x.sql", deep}, options).status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(LimitsTest, WorkBudgetCountsTokens) {
  ParseOptions options;
  options.limits.max_work_units = 1000;
  EXPECT_EQ(ParseScript({"x.sql", BigScript(200)}, options).status().code(),
            absl::StatusCode::kResourceExhausted);
  options.limits.max_work_units = 100000;
  EXPECT_TRUE(ParseScript({"x.sql", BigScript(200)}, options).ok());
}

TEST(LimitsTest, PassedDeadlineIsDeadlineExceeded) {
  CancellationToken cancel(CancellationToken::Clock::now() - std::chrono::seconds(1));
  absl::StatusOr<ParseOutput> out = ParseScript({"x.sql", BigScript(5000)}, {}, &cancel);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kDeadlineExceeded);
}

TEST(LimitsTest, DeadlineStopsALongParsePromptly) {
  const std::string script = BigScript(100000);  // several MB
  CancellationToken cancel(CancellationToken::Clock::now() + std::chrono::milliseconds(20));
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<ParseOutput> out = ParseScript({"x.sql", script}, {}, &cancel);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(out.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_LT(elapsed, std::chrono::milliseconds(500));
}

// One statement of 200,000 columns: the lexer polls the token every 4096 tokens, the statement
// loop only between statements, so a stop asked for once lexing is done is seen only if the
// parser polls while it parses the statement.
TEST(LimitsTest, CancelIsSeenInsideOneHugeStatement) {
  std::string script = "CREATE TABLE dbo.Wide (c0 int";
  for (int i = 1; i < 200000; ++i) script += ", c" + std::to_string(i) + " int NULL";
  script += ");";
  int polls = 0;
  CancellationToken counting;
  counting.set_probe([&polls] { return ++polls < 0; });
  ASSERT_TRUE(ParseScript({"x.sql", script}, {}, &counting).ok());
  const int lexer_polls = 1000000 / 4096 + 8;  // ~800k tokens
  ASSERT_GT(polls, lexer_polls + 4) << "the parse should poll inside the statement";
  int calls = 0;
  CancellationToken cancel;
  cancel.set_probe([&calls, lexer_polls] { return ++calls > lexer_polls; });
  absl::StatusOr<ParseOutput> out = ParseScript({"x.sql", script}, {}, &cancel);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kCancelled);
}

TEST(LimitsTest, ProbeCancellationIsCancelled) {
  CancellationToken cancel;
  int calls = 0;
  cancel.set_probe([&calls] { return ++calls > 2; });
  absl::StatusOr<ParseOutput> out = ParseScript({"x.sql", BigScript(5000)}, {}, &cancel);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kCancelled);
}

TEST(LimitsTest, DiagnosticsAreBounded) {
  ParseOptions options;
  options.max_diagnostics = 5;
  std::string script;
  for (int i = 0; i < 50; ++i) script += "CREATE TABLE (\nGO\n";
  absl::StatusOr<ParseOutput> out = ParseScript({"x.sql", script}, options);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->diagnostics.size(), 5u);
  EXPECT_EQ(out->stats.errors, 50u);
}

}  // namespace
}  // namespace sqlmill::tsql

// Tests for the statement splitter: where statements without semicolons end.
#include "services/sql_parser/engine/internal/statement_splitter.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sqlmill::tsql::internal {
namespace {

// Returns "KIND:first..last text" per statement.
std::vector<std::string> Split(std::string_view text) {
  std::vector<Token> tokens;
  std::vector<LexError> errors;
  EXPECT_TRUE(Lex(text, 0, static_cast<uint32_t>(text.size()), {}, nullptr, &tokens, &errors).ok());
  std::vector<SplitStatement> statements;
  EXPECT_TRUE(SplitStatements(text, tokens, 0, &statements).ok());
  std::vector<std::string> out;
  for (const SplitStatement& s : statements) {
    const uint32_t begin = tokens[s.begin].offset;
    const uint32_t end = tokens[s.end - 1].end();
    out.push_back(s.kind + ":" + std::string(text.substr(begin, end - begin)));
  }
  return out;
}

TEST(StatementSplitterTest, StatementsWithoutSemicolons) {
  EXPECT_THAT(Split("SET NOCOUNT ON PRINT 'x' SELECT 1 SELECT 2"),
              testing::ElementsAre("SET:SET NOCOUNT ON", "PRINT:PRINT 'x'", "SELECT:SELECT 1",
                                   "SELECT:SELECT 2"));
}

TEST(StatementSplitterTest, ContinuationKeywordsStayInTheirStatement) {
  EXPECT_THAT(Split("INSERT INTO t (a) SELECT a FROM u SELECT 2"),
              testing::ElementsAre("INSERT:INSERT INTO t (a) SELECT a FROM u", "SELECT:SELECT 2"));
  EXPECT_THAT(Split("INSERT t VALUES (1) SELECT 2"),
              testing::ElementsAre("INSERT:INSERT t VALUES (1)", "SELECT:SELECT 2"));
  EXPECT_THAT(Split("UPDATE t SET a = 1 SET @x = 2"),
              testing::ElementsAre("UPDATE:UPDATE t SET a = 1", "SET:SET @x = 2"));
  EXPECT_THAT(Split("SELECT 1 UNION ALL SELECT 2 EXCEPT SELECT 3"), testing::SizeIs(1));
  EXPECT_THAT(Split("GRANT SELECT, INSERT, UPDATE, DELETE ON t TO u"), testing::SizeIs(1));
  EXPECT_THAT(Split("INSERT INTO t EXEC p EXEC q"),
              testing::ElementsAre("INSERT:INSERT INTO t EXEC p", "EXEC:EXEC q"));
  EXPECT_THAT(Split("DECLARE c CURSOR FOR SELECT 1 OPEN c"),
              testing::ElementsAre("DECLARE:DECLARE c CURSOR FOR SELECT 1", "OPEN:OPEN c"));
}

TEST(StatementSplitterTest, AlterTableActionsAndForeignKeyActions) {
  EXPECT_THAT(Split("ALTER TABLE t DROP CONSTRAINT c ALTER TABLE t ALTER COLUMN a int DROP TABLE x"),
              testing::ElementsAre("ALTER TABLE:ALTER TABLE t DROP CONSTRAINT c",
                                   "ALTER TABLE:ALTER TABLE t ALTER COLUMN a int",
                                   "DROP TABLE:DROP TABLE x"));
  EXPECT_THAT(Split("ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (a) ON DELETE SET NULL "
                    "ON UPDATE CASCADE UPDATE t SET a = 1"),
              testing::SizeIs(2));
  EXPECT_THAT(Split("ALTER TABLE t NOCHECK CONSTRAINT ALL ALTER TABLE u CHECK CONSTRAINT ALL"),
              testing::SizeIs(2));
}

TEST(StatementSplitterTest, CommonTableExpressionsAndOptions) {
  EXPECT_THAT(Split("WITH c AS (SELECT 1 a) SELECT * FROM c SELECT 2"),
              testing::ElementsAre("SELECT:WITH c AS (SELECT 1 a) SELECT * FROM c", "SELECT:SELECT 2"));
  EXPECT_THAT(Split("CREATE INDEX i ON t (a) WITH (FILLFACTOR = 80) SELECT 1"), testing::SizeIs(2));
  EXPECT_THAT(Split("RAISERROR('x', 16, 1) WITH NOWAIT RETURN"), testing::SizeIs(2));
}

TEST(StatementSplitterTest, RoutinesRunToTheEndOfTheBatch) {
  const auto s = Split("CREATE PROCEDURE p AS BEGIN SELECT 1 END SELECT 2");
  ASSERT_THAT(s, testing::SizeIs(1));
  EXPECT_EQ(s[0], "CREATE PROCEDURE:CREATE PROCEDURE p AS BEGIN SELECT 1 END SELECT 2");
}

TEST(StatementSplitterTest, HeaderEndsAfterAsButNotExecuteAs) {
  const std::string_view text =
      "CREATE TRIGGER t ON x WITH EXECUTE AS OWNER AFTER INSERT AS SELECT 1";
  std::vector<Token> tokens;
  std::vector<LexError> errors;
  ASSERT_TRUE(Lex(text, 0, static_cast<uint32_t>(text.size()), {}, nullptr, &tokens, &errors).ok());
  std::vector<SplitStatement> statements;
  ASSERT_TRUE(SplitStatements(text, tokens, 0, &statements).ok());
  ASSERT_EQ(statements.size(), 1u);
  EXPECT_TRUE(statements[0].has_body);
  EXPECT_EQ(text.substr(tokens[statements[0].header_end].offset), "SELECT 1");
}

TEST(StatementSplitterTest, BatchLevelControlFlowIsFlattened) {
  EXPECT_THAT(Split("IF OBJECT_ID('t') IS NOT NULL DROP TABLE t ELSE BEGIN PRINT 'no' END CREATE TABLE t (a int)"),
              testing::ElementsAre("IF:IF OBJECT_ID('t') IS NOT NULL", "DROP TABLE:DROP TABLE t",
                                   "PRINT:PRINT 'no'", "CREATE TABLE:CREATE TABLE t (a int)"));
  EXPECT_THAT(Split("DROP TABLE IF EXISTS t, u"), testing::ElementsAre("DROP TABLE:DROP TABLE IF EXISTS t, u"));
  EXPECT_THAT(Split("SELECT CASE WHEN 1 = 1 THEN 2 END FROM t"), testing::SizeIs(1));
  EXPECT_THAT(Split("BEGIN TRAN UPDATE t SET a = 1 COMMIT"), testing::SizeIs(3));
}

TEST(StatementSplitterTest, UnknownStatementsAreErrorsExceptABareProcedureFirst) {
  std::vector<Token> tokens;
  std::vector<LexError> errors;
  const std::string_view text = "sp_who SELECT 1; frobnicate";
  ASSERT_TRUE(Lex(text, 0, static_cast<uint32_t>(text.size()), {}, nullptr, &tokens, &errors).ok());
  std::vector<SplitStatement> statements;
  ASSERT_TRUE(SplitStatements(text, tokens, 0, &statements).ok());
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_EQ(statements[0].kind, "EXEC");
  EXPECT_EQ(statements[2].action, StatementAction::kError);
}

TEST(StatementSplitterTest, DepthLimit) {
  std::string text = "SELECT " + std::string(50, '(') + "1" + std::string(50, ')');
  std::vector<Token> tokens;
  std::vector<LexError> errors;
  ASSERT_TRUE(Lex(text, 0, static_cast<uint32_t>(text.size()), {}, nullptr, &tokens, &errors).ok());
  std::vector<SplitStatement> statements;
  EXPECT_TRUE(SplitStatements(text, tokens, 50, &statements).ok());
  statements.clear();
  EXPECT_EQ(SplitStatements(text, tokens, 49, &statements).code(), absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace sqlmill::tsql::internal

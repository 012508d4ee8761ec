// Parses on several threads at once give the same results as one thread: nothing in the
// engine (keyword table, per-thread prediction caches) is shared mutably.
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "services/sql_parser/engine/catalog_dump.h"
#include "services/sql_parser/engine/parser.h"

namespace sqlmill::tsql {
namespace {

std::string Script(int variant) {
  std::string s;
  for (int i = 0; i < 40; ++i) {
    const std::string n = std::to_string(variant) + "_" + std::to_string(i);
    s += "CREATE TABLE dbo.T" + n + " (ID int IDENTITY(1,1) NOT NULL CONSTRAINT PK_" + n +
         " PRIMARY KEY CLUSTERED, Name nvarchar(50) NULL DEFAULT (N'x'), Amount AS ID * 2 PERSISTED,"
         " CONSTRAINT CK_" + n + " CHECK (ID > 0))\nGO\n"
         "ALTER TABLE dbo.T" + n + " WITH NOCHECK ADD CONSTRAINT FK_" + n +
         " FOREIGN KEY (ID) REFERENCES dbo.T" + n + " (ID) ON DELETE CASCADE\n"
         "CREATE NONCLUSTERED INDEX IX_" + n + " ON dbo.T" + n + " (Name) INCLUDE (ID) WHERE Name IS NOT NULL\nGO\n"
         "CREATE VIEW dbo.V" + n + " WITH SCHEMABINDING AS SELECT ID FROM dbo.T" + n + "\nGO\n"
         "CREATE PROCEDURE dbo.P" + n + " @a int = 1, @b nvarchar(10) OUTPUT AS SELECT * FROM dbo.V" + n + "\nGO\n"
         "CREATE TABLE broken" + n + " (a int,, b int)\nGO\n";
  }
  return s;
}

TEST(ConcurrencyTest, ThreadsGiveTheSameResultsAsOneThread) {
  ParseOptions options;
  options.include_statements = true;
  std::vector<std::string> scripts;
  std::vector<std::string> expected;
  for (int v = 0; v < 4; ++v) {
    scripts.push_back(Script(v));
    absl::StatusOr<ParseOutput> out = ParseScript({"s.sql", scripts.back()}, options);
    ASSERT_TRUE(out.ok());
    expected.push_back(DumpParseOutput(*out));
  }
  std::vector<std::string> actual(4 * 5);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int r = 0; r < 5; ++r) {
        absl::StatusOr<ParseOutput> out = ParseScript({"s.sql", scripts[(t + r) % 4]}, options);
        actual[t * 5 + r] = out.ok() ? DumpParseOutput(*out) : out.status().ToString();
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < 4; ++t) {
    for (int r = 0; r < 5; ++r) EXPECT_EQ(actual[t * 5 + r], expected[(t + r) % 4]) << t << "/" << r;
  }
}

}  // namespace
}  // namespace sqlmill::tsql

// Parses on several threads at once give the same results as one thread: nothing in the
// engine (keyword table, per-thread prediction caches) is shared mutably.
#include <thread>
#include <vector>

#include "common/base/worker_pool.h"
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

// ParseFiles on a worker pool prepares and parses files side by side but applies them to
// the catalog in file order: the output (catalog, statements, diagnostics, stats but time)
// is the sequential one, also where later files depend on earlier ones.
std::vector<std::string> DependentFiles() {
  std::vector<std::string> files;
  for (int i = 0; i < 70; ++i) {  // more than one window of files
    const std::string n = std::to_string(i);
    switch (i % 5) {
      case 0:
        files.push_back("CREATE TABLE dbo.T" + n + " (ID int NOT NULL PRIMARY KEY, A int)\nGO\n");
        break;
      case 1:  // alters the table of the file before it
        files.push_back("ALTER TABLE dbo.T" + std::to_string(i - 1) +
                        " ADD B nvarchar(20) NULL\nGO\nCREATE INDEX IX ON dbo.T" +
                        std::to_string(i - 1) + " (B)\nGO\n");
        break;
      case 2:  // drops a table of an earlier file, and has a syntax error
        files.push_back("DROP TABLE dbo.T" + std::to_string(i - 2) +
                        "\nGO\nCREATE TABLE broken" + n + " (a int,, b)\nGO\n");
        break;
      case 3:  // QUOTED_IDENTIFIER OFF changes how the next batch is lexed
        files.push_back("SET QUOTED_IDENTIFIER OFF\nGO\nCREATE TABLE dbo.Q" + n +
                        " (a varchar(10) DEFAULT \"x\")\nGO\n");
        break;
      default:  // another database
        files.push_back("USE Other\nGO\nCREATE TABLE dbo.O" + n + " (a int)\nGO\n");
    }
  }
  return files;
}

absl::StatusOr<std::string> ParseAll(const std::vector<std::string>& files,
                                     ParseOptions options) {
  std::vector<ScriptInput> inputs;
  for (size_t i = 0; i < files.size(); ++i) {
    inputs.push_back({"f" + std::to_string(i) + ".sql", files[i]});
  }
  absl::StatusOr<ParseOutput> out = ParseFiles(inputs, options);
  if (!out.ok()) return out.status();
  out->stats.parse_micros = 0;
  return DumpParseOutput(*out);
}

TEST(ConcurrencyTest, ParseFilesOnAPoolGivesTheSequentialResult) {
  ParseOptions sequential;
  sequential.include_statements = true;
  const std::vector<std::string> files = DependentFiles();
  absl::StatusOr<std::string> expected = ParseAll(files, sequential);
  ASSERT_TRUE(expected.ok()) << expected.status();
  EXPECT_NE(expected->find("Q3"), std::string::npos);
  WorkerPool pool({.workers = 3, .max_queued = 10});
  ParseOptions parallel = sequential;
  parallel.parallel = pool.runner();
  for (int run = 0; run < 3; ++run) {
    absl::StatusOr<std::string> actual = ParseAll(files, parallel);
    ASSERT_TRUE(actual.ok()) << actual.status();
    EXPECT_EQ(*actual, *expected) << "run " << run;
  }
}

TEST(ConcurrencyTest, ParseFilesOnAPoolKeepsTheCallsWorkBudget) {
  ParseOptions sequential;
  sequential.limits.max_work_units = 200;  // tokens, over all files together
  const std::vector<std::string> files = DependentFiles();
  absl::StatusOr<std::string> expected = ParseAll(files, sequential);
  ASSERT_EQ(expected.status().code(), absl::StatusCode::kResourceExhausted);
  WorkerPool pool({.workers = 2, .max_queued = 10});
  ParseOptions parallel = sequential;
  parallel.parallel = pool.runner();
  absl::StatusOr<std::string> actual = ParseAll(files, parallel);
  EXPECT_EQ(actual.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(actual.status().message(), expected.status().message());
}

}  // namespace
}  // namespace sqlmill::tsql

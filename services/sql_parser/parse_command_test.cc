// Tests for the parse command: flags, folders, JSON, summary and exit codes.
#include "services/sql_parser/parse_command.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace sqlmill {
namespace {

namespace fs = std::filesystem;

class ParseCommandTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sqlmill_parse_command_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "Tables");
    Write("Tables/B.sql", "CREATE TABLE dbo.B (ID int REFERENCES dbo.A (ID))\n");
    Write("Tables/A.sql", "CREATE TABLE dbo.A (ID int PRIMARY KEY)\n");
    Write("Tables/notes.txt", "not sql");
    Write("Script.SQL", "USE [$(Db)]\nGO\nCREATE VIEW dbo.V AS SELECT ID FROM dbo.A\n");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& rel, const std::string& text) {
    std::ofstream(dir_ / rel, std::ios::binary) << text;
  }
  int Run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    return RunParseCommand(args, out_, err_);
  }

  fs::path dir_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(ParseCommandTest, FolderInSortedOrderWithSummary) {
  EXPECT_EQ(Run({dir_.string(), "--var", "Db=Shop"}), 0) << err_.str();
  EXPECT_THAT(out_.str(), testing::HasSubstr("parsed 3 files"));
  EXPECT_THAT(out_.str(), testing::HasSubstr("Shop.dbo: 1 views"));
  EXPECT_THAT(out_.str(), testing::HasSubstr("dbo: 2 tables, 2 columns, 1 primary keys, 1 foreign keys"));
  EXPECT_THAT(out_.str(), testing::HasSubstr("0 errors, 0 warnings"));
}

TEST_F(ParseCommandTest, JsonIsTheCanonicalMappingOfTheResponse) {
  EXPECT_EQ(Run({(dir_ / "Tables").string(), "--json", "--statements"}), 0);
  v1::ParseFilesResponse response;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &response).ok()) << out_.str();
  EXPECT_EQ(response.stats().files(), 2u);
  EXPECT_EQ(response.statements_size(), 2);
  EXPECT_THAT(response.catalog().databases(0).schemas(0).tables(0).span().file(),
              testing::EndsWith("Tables/A.sql"));
}

TEST_F(ParseCommandTest, ErrorsGiveExitOneAndExcerpts) {
  Write("bad.sql", "CREATE TABLE t (a int,,)\n");
  EXPECT_EQ(Run({(dir_ / "bad.sql").string()}), 1);
  EXPECT_THAT(out_.str(), testing::HasSubstr("bad.sql:1:23: error: expected"));
  EXPECT_THAT(out_.str(), testing::HasSubstr("^"));
}

TEST_F(ParseCommandTest, UsageErrorsGiveExitTwo) {
  EXPECT_EQ(Run({}), 2);
  EXPECT_THAT(err_.str(), testing::HasSubstr("usage: sqlmill parse"));
  EXPECT_EQ(Run({"--bogus", dir_.string()}), 2);
  EXPECT_EQ(Run({"--var", "novalue", dir_.string()}), 2);
  EXPECT_EQ(Run({(dir_ / "missing.sql").string()}), 2);
  EXPECT_THAT(err_.str(), testing::HasSubstr("no such file"));
}

}  // namespace
}  // namespace sqlmill

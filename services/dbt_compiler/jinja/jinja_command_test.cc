// Tests of `sqlmill jinja render` through RunJinjaCommand, with real files in a temp dir.
#include "services/dbt_compiler/jinja/jinja_command.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sqlmill::jinja {
namespace {

using ::testing::HasSubstr;

class JinjaCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("jinja_cmd_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  int Run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    return RunJinjaCommand(args, out_, err_);
  }
  std::filesystem::path dir_;
  std::ostringstream out_, err_;
};

TEST_F(JinjaCommandTest, RendersWithContextAndIncludes) {
  std::string tpl = Write("model.sql", "{% include 'part.sql' %} {{ name }} {{ xs|sum }}\n");
  Write("part.sql", "select");
  std::string ctx = Write("ctx.json", R"({"name": "orders", "xs": [1, 2]})");
  EXPECT_EQ(Run({"render", tpl, "--context", ctx}), 0) << err_.str();
  EXPECT_EQ(out_.str(), "select orders 3");
}

TEST_F(JinjaCommandTest, OptionsAreApplied) {
  std::string tpl = Write("t.sql", "  {% if true %}\nx\n  {% endif %}\n{{ missing }}");
  EXPECT_EQ(Run({"render", tpl, "--trim-blocks", "--lstrip-blocks"}), 0);
  EXPECT_EQ(out_.str(), "x\n");
  EXPECT_EQ(Run({"render", tpl, "--strict"}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("t.sql:4:4: error: 'missing' is undefined"));
}

TEST_F(JinjaCommandTest, SyntaxErrorReportsFileLineColumn) {
  std::string tpl = Write("bad.sql", "ok\n{% if x %}\n");
  EXPECT_EQ(Run({"render", tpl}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("bad.sql:2:1: error:"));
  EXPECT_THAT(err_.str(), HasSubstr("2 | {% if x %}"));
  EXPECT_EQ(out_.str(), "");
}

TEST_F(JinjaCommandTest, UsageErrors) {
  EXPECT_EQ(Run({}), 2);
  EXPECT_EQ(Run({"render"}), 2);
  EXPECT_EQ(Run({"render", "x", "--bogus"}), 2);
  EXPECT_EQ(Run({"render", (dir_ / "missing.sql").string()}), 1);
  std::string tpl = Write("t.sql", "x");
  std::string ctx = Write("ctx.json", "[1]");
  EXPECT_EQ(Run({"render", tpl, "--context", ctx}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("must be a JSON object"));
}

}  // namespace
}  // namespace sqlmill::jinja

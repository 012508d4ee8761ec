// Tests of `sqlmill dbt compile`: flags, output files, exit codes.
#include "services/dbt_compiler/dbt_command.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sqlmill::dbt {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

fs::path CopyExample() {
  const fs::path dst = fs::temp_directory_path() / ("sqlmill_dbt_cli_" + std::to_string(::getpid()));
  fs::remove_all(dst);
  fs::copy("examples/dbt/retail_analytics", dst, fs::copy_options::recursive);
  return dst;
}

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(DbtCommandTest, CompilesTheExampleAndWritesTarget) {
  const fs::path dir = CopyExample();
  std::ostringstream out, err;
  const int rc = RunDbtCommand({"compile", dir.string(), "--target-type", "sqlserver", "--database", "Retail",
                                "--schema", "dbo", "--threads", "2"},
                               out, err);
  EXPECT_EQ(rc, 0) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("DAG order:"));
  const std::string stg = Read(dir / "target/compiled/retail_analytics/models/staging/stg_orders.sql");
  EXPECT_THAT(stg, HasSubstr("from \"Retail\".\"Sales\".\"Orders\""));
  EXPECT_THAT(stg, HasSubstr("'2020-01-01'"));
  const std::string marts = Read(dir / "target/compiled/retail_analytics/models/marts/customer_orders.sql");
  EXPECT_THAT(marts, HasSubstr("\"Retail\".\"dbo_staging\".\"stg_orders\""));
  EXPECT_THAT(Read(dir / "target/manifest.json"), HasSubstr("\"model.retail_analytics.customer_orders\""));
  fs::remove_all(dir);
}

TEST(DbtCommandTest, VarsAndSelection) {
  const fs::path dir = CopyExample();
  std::ostringstream out, err;
  const int rc = RunDbtCommand({"compile", dir.string(), "--vars", "{min_order_date: '2024-06-01'}", "--select",
                                "stg_orders", "--target-type", "snowflake", "--database", "RAW", "--schema", "DEV"},
                               out, err);
  EXPECT_EQ(rc, 0) << err.str();
  EXPECT_THAT(Read(dir / "target/compiled/retail_analytics/models/staging/stg_orders.sql"),
              HasSubstr("from Retail.Sales.Orders\nwhere OrderDate >= '2024-06-01'"));
  EXPECT_FALSE(fs::exists(dir / "target/compiled/retail_analytics/models/marts/customer_orders.sql"));
  fs::remove_all(dir);
}

TEST(DbtCommandTest, UsageErrors) {
  std::ostringstream out, err;
  EXPECT_EQ(RunDbtCommand({}, out, err), 2);
  EXPECT_EQ(RunDbtCommand({"compile"}, out, err), 2);
  EXPECT_EQ(RunDbtCommand({"compile", "x", "--bogus"}, out, err), 2);
  EXPECT_EQ(RunDbtCommand({"compile", "/nonexistent/dir"}, out, err), 1);
  EXPECT_EQ(RunDbtCommand({"--help"}, out, err), 0);
}

TEST(DbtCommandTest, UnknownAdapterFails) {
  const fs::path dir = CopyExample();
  std::ostringstream out, err;
  EXPECT_EQ(RunDbtCommand({"compile", dir.string(), "--target-type", "oracle"}, out, err), 1);
  EXPECT_THAT(err.str(), HasSubstr("unknown adapter type 'oracle'"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sqlmill::dbt

// Tests for server flag parsing and option validation.
#include "common/server/server_options.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sqlmill {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ParseServerFlags, ConsumesKnownFlagsAndKeepsTheRest) {
  std::vector<std::string> args = {"--port=0",      "input.sql",       "--admin_port", "9191",
                                   "--unknown=1",   "--log_rpcs=false", "--shutdown_grace_seconds=2.5",
                                   "--tls_require_client_cert"};
  ServerOptions o;
  ASSERT_TRUE(ParseServerFlags(&args, &o).ok());
  EXPECT_EQ(o.port, 0);
  EXPECT_EQ(o.admin_port, 9191);
  EXPECT_FALSE(o.log_rpcs);
  EXPECT_DOUBLE_EQ(o.shutdown_grace_seconds, 2.5);
  EXPECT_TRUE(o.tls.require_client_cert);
  EXPECT_THAT(args, ElementsAre("input.sql", "--unknown=1"));
}

TEST(ParseServerFlags, BadValuesNameTheFlag) {
  std::vector<std::string> args = {"--port=abc"};
  ServerOptions o;
  absl::Status s = ParseServerFlags(&args, &o);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("--port"));
  EXPECT_THAT(std::string(s.message()), HasSubstr("'abc'"));
  args = {"--workers"};
  EXPECT_THAT(std::string(ParseServerFlags(&args, &o).message()), HasSubstr("needs a value"));
}

TEST(ValidateServerOptions, RejectsInconsistentOptions) {
  ServerOptions o;
  EXPECT_TRUE(ValidateServerOptions(o).ok());
  o.port = 70000;
  EXPECT_FALSE(ValidateServerOptions(o).ok());
  o = ServerOptions();
  o.tls.cert_file = "cert.pem";
  EXPECT_THAT(std::string(ValidateServerOptions(o).message()), HasSubstr("--tls_key_file"));
  o.tls.key_file = "key.pem";
  EXPECT_TRUE(ValidateServerOptions(o).ok());
  o.tls.require_client_cert = true;
  EXPECT_THAT(std::string(ValidateServerOptions(o).message()), HasSubstr("--tls_ca_file"));
  o = ServerOptions();
  o.max_message_bytes = 0;
  EXPECT_FALSE(ValidateServerOptions(o).ok());
}

TEST(ServerFlagsHelp, ListsEveryFlag) {
  const std::string help = ServerFlagsHelp();
  EXPECT_THAT(help, HasSubstr("--shutdown_grace_seconds"));
  EXPECT_THAT(help, HasSubstr("--max_message_bytes"));
}

}  // namespace
}  // namespace sqlmill

// Tests for SqlParserServiceImpl over an in-process gRPC channel (no network).
#include "services/sql_parser/service/sql_parser_service.h"

#include <memory>

#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace sqlmill {
namespace {

class SqlParserServiceTest : public testing::Test {
 protected:
  void Start(SqlParserServiceOptions options) {
    service_ = std::make_unique<SqlParserServiceImpl>(options);
    grpc::ServerBuilder builder;
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    stub_ = v1::SqlParserService::NewStub(server_->InProcessChannel(grpc::ChannelArguments()));
  }
  void SetUp() override { Start({}); }
  void TearDown() override { server_->Shutdown(); }

  std::unique_ptr<SqlParserServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::SqlParserService::Stub> stub_;
};

TEST_F(SqlParserServiceTest, ParseScriptReturnsCatalogAndDiagnostics) {
  v1::ParseScriptRequest request;
  request.mutable_file()->set_name("shop.sql");
  request.mutable_file()->set_content("CREATE TABLE t (a int)\nCREATE TABLE u (a int,,)\nCREATE TABLE v (a int)");
  request.mutable_options()->set_detail(v1::DETAIL_LEVEL_STATEMENTS);
  grpc::ClientContext context;
  v1::ParseScriptResponse response;
  grpc::Status status = stub_->ParseScript(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.catalog().databases(0).schemas(0).tables_size(), 2);
  ASSERT_EQ(response.diagnostics_size(), 1);
  const v1::Diagnostic& d = response.diagnostics(0);
  EXPECT_EQ(d.severity(), v1::SEVERITY_ERROR);
  EXPECT_EQ(d.span().file(), "shop.sql");
  EXPECT_EQ(d.span().line(), 2u);
  EXPECT_EQ(d.span().column(), 23u);
  EXPECT_THAT(d.excerpt(), testing::HasSubstr("^"));
  EXPECT_EQ(response.statements_size(), 3);
  EXPECT_TRUE(response.statements(1).error());
}

TEST_F(SqlParserServiceTest, ParseFilesNamesFilesAndRejectsEmptyRequests) {
  v1::ParseFilesRequest request;
  auto* a = request.add_files();
  a->set_name("Tables/A.sql");
  a->set_content("CREATE TABLE A (ID int PRIMARY KEY)");
  auto* b = request.add_files();
  b->set_name("Tables/B.sql");
  b->set_content("CREATE TABLE B (ID int REFERENCES A (ID)) oops");
  grpc::ClientContext context;
  v1::ParseFilesResponse response;
  ASSERT_TRUE(stub_->ParseFiles(&context, request, &response).ok());
  EXPECT_EQ(response.stats().files(), 2u);
  ASSERT_EQ(response.diagnostics_size(), 1);
  EXPECT_EQ(response.diagnostics(0).span().file(), "Tables/B.sql");

  grpc::ClientContext empty_context;
  v1::ParseFilesRequest empty;
  EXPECT_EQ(stub_->ParseFiles(&empty_context, empty, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(SqlParserServiceTest, OverTheSizeLimitIsResourceExhausted) {
  TearDown();
  SqlParserServiceOptions options;
  options.limits.max_input_bytes = 1000;
  Start(options);
  v1::ParseScriptRequest request;
  request.mutable_file()->set_content(std::string(1001, ' '));
  grpc::ClientContext context;
  v1::ParseScriptResponse response;
  EXPECT_EQ(stub_->ParseScript(&context, request, &response).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(SqlParserServiceTest, BadVariableNameIsInvalidArgument) {
  v1::ParseScriptRequest request;
  (*request.mutable_options()->mutable_sqlcmd_variables())["bad name"] = "x";
  grpc::ClientContext context;
  v1::ParseScriptResponse response;
  EXPECT_EQ(stub_->ParseScript(&context, request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(SqlParserServiceTest, ShortDeadlineOnAHugeScriptIsDeadlineExceeded) {
  std::string script;
  for (int i = 0; i < 100000; ++i) script += "CREATE TABLE t" + std::to_string(i) + " (a int)\nGO\n";
  v1::ParseScriptRequest request;
  request.mutable_file()->set_content(script);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(30));
  v1::ParseScriptResponse response;
  EXPECT_EQ(stub_->ParseScript(&context, request, &response).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
  // The server is still healthy.
  grpc::ClientContext again;
  v1::ParseScriptRequest small;
  small.mutable_file()->set_content("CREATE TABLE x (a int)");
  EXPECT_TRUE(stub_->ParseScript(&again, small, &response).ok());
}

TEST_F(SqlParserServiceTest, StreamedChunksParseLikeOneScript) {
  const std::string script = "CREATE TABLE a (x int)\nGO\nCREATE TABLE b (y int)\n";
  grpc::ClientContext context;
  v1::ParseScriptResponse response;
  auto writer = stub_->ParseScriptStream(&context, &response);
  v1::ParseScriptChunk first;
  first.set_name("big.sql");
  first.mutable_options()->set_detail(v1::DETAIL_LEVEL_STATEMENTS);
  first.set_content(script.substr(0, 10));
  ASSERT_TRUE(writer->Write(first));
  v1::ParseScriptChunk rest;
  rest.set_content(script.substr(10));
  ASSERT_TRUE(writer->Write(rest));
  writer->WritesDone();
  ASSERT_TRUE(writer->Finish().ok());
  EXPECT_EQ(response.catalog().databases(0).schemas(0).tables_size(), 2);
  EXPECT_EQ(response.statements(0).span().file(), "big.sql");
}

TEST_F(SqlParserServiceTest, StreamOverTheLimitStopsEarly) {
  TearDown();
  SqlParserServiceOptions options;
  options.limits.max_input_bytes = 100;
  Start(options);
  grpc::ClientContext context;
  v1::ParseScriptResponse response;
  auto writer = stub_->ParseScriptStream(&context, &response);
  v1::ParseScriptChunk chunk;
  chunk.set_content(std::string(60, ' '));
  for (int i = 0; i < 3 && writer->Write(chunk); ++i) {
  }
  writer->WritesDone();
  EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

}  // namespace
}  // namespace sqlmill

// Tests of DbtCompilerServiceImpl over an in-process channel: CompileProject from files and
// from a tar, CompileNode against the cache, RenderTemplate, and request errors.
#include "services/dbt_compiler/service/dbt_compiler_service.h"

#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace sqlmill {
namespace {

using ::testing::HasSubstr;

class DbtServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    stub_ = v1::DbtCompilerService::NewStub(server_->InProcessChannel(grpc::ChannelArguments()));
  }
  void TearDown() override { server_->Shutdown(); }

  static void AddFile(v1::CompileProjectRequest* r, const std::string& path, const std::string& text) {
    auto* f = r->add_files();
    f->set_path(path);
    f->set_content(text);
  }
  static v1::CompileProjectRequest Project() {
    v1::CompileProjectRequest r;
    AddFile(&r, "dbt_project.yml", "name: shop\nvars:\n  n: 1\n");
    AddFile(&r, "models/a.sql", "select {{ var('n') }} as x");
    AddFile(&r, "models/b.sql", "select * from {{ ref('a') }}");
    AddFile(&r, "models/c.sql", "select * from {{ ref('missing') }}");
    r.mutable_target()->set_adapter_type("postgres");
    r.mutable_target()->set_database("db");
    r.mutable_target()->set_schema("s");
    r.set_include_manifest(true);
    return r;
  }

  DbtCompilerServiceImpl service_{DbtCompilerServiceOptions{}};
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::DbtCompilerService::Stub> stub_;
};

TEST_F(DbtServiceTest, CompileProjectThenNode) {
  grpc::ClientContext ctx;
  v1::CompileProjectResponse resp;
  ASSERT_TRUE(stub_->CompileProject(&ctx, Project(), &resp).ok());
  EXPECT_FALSE(resp.project_hash().empty());
  ASSERT_EQ(resp.dag_order_size(), 2);
  EXPECT_EQ(resp.dag_order(0), "model.shop.a");
  bool saw_b = false;
  for (const auto& n : resp.nodes()) {
    if (n.unique_id() == "model.shop.b") {
      saw_b = true;
      EXPECT_EQ(n.compiled_code(), "select * from \"db\".\"s\".\"a\"");
      EXPECT_EQ(n.relation_name(), "\"db\".\"s\".\"b\"");
    }
  }
  EXPECT_TRUE(saw_b);
  ASSERT_EQ(resp.diagnostics_size(), 1);
  EXPECT_EQ(resp.diagnostics(0).code(), "unknown-ref");
  EXPECT_THAT(resp.manifest_json(), HasSubstr("\"parent_map\""));
  EXPECT_EQ(resp.stats().nodes_failed(), 1u);

  grpc::ClientContext ctx2;
  v1::CompileNodeRequest nr;
  nr.set_project_hash(resp.project_hash());
  nr.set_node("a");
  nr.set_vars_json("{\"n\": 42}");
  v1::CompileNodeResponse nresp;
  ASSERT_TRUE(stub_->CompileNode(&ctx2, nr, &nresp).ok());
  EXPECT_EQ(nresp.node().compiled_code(), "select 42 as x");

  grpc::ClientContext ctx3;
  nr.set_project_hash("nope");
  EXPECT_EQ(stub_->CompileNode(&ctx3, nr, &nresp).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(DbtServiceTest, CompileProjectFromTar) {
  // A minimal ustar archive with two files under proj/.
  auto header = [](const std::string& name, size_t size) {
    std::string h(512, '\0');
    h.replace(0, name.size(), name);
    char buf[16];
    std::snprintf(buf, sizeof(buf), "%011zo", size);
    h.replace(124, 11, buf);
    h[156] = '0';
    h.replace(257, 5, "ustar");
    return h;
  };
  auto entry = [&](const std::string& name, const std::string& body) {
    std::string e = header(name, body.size()) + body;
    e.append((512 - body.size() % 512) % 512, '\0');
    return e;
  };
  std::string tar = entry("proj/dbt_project.yml", "name: t\n") + entry("proj/models/m.sql", "select 1 as one") +
                    std::string(1024, '\0');
  v1::CompileProjectRequest r;
  r.set_tar_archive(tar);
  r.mutable_target()->set_adapter_type("snowflake");
  r.mutable_target()->set_database("DB");
  r.mutable_target()->set_schema("S");
  grpc::ClientContext ctx;
  v1::CompileProjectResponse resp;
  ASSERT_TRUE(stub_->CompileProject(&ctx, r, &resp).ok());
  ASSERT_EQ(resp.nodes_size(), 1);
  EXPECT_EQ(resp.nodes(0).relation_name(), "DB.S.m");
}

TEST_F(DbtServiceTest, RequestErrors) {
  grpc::ClientContext ctx;
  v1::CompileProjectResponse resp;
  v1::CompileProjectRequest empty;
  EXPECT_EQ(stub_->CompileProject(&ctx, empty, &resp).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  grpc::ClientContext ctx2;
  v1::CompileProjectRequest bad = Project();
  bad.mutable_target()->set_adapter_type("oracle");
  EXPECT_EQ(stub_->CompileProject(&ctx2, bad, &resp).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(DbtServiceTest, RenderTemplate) {
  grpc::ClientContext ctx;
  v1::RenderTemplateRequest r;
  r.set_template_("{% for x in xs %}{{ x }}{% endfor %} {{ name | upper }}");
  r.set_context_json("{\"xs\": [1, 2], \"name\": \"ok\"}");
  v1::RenderTemplateResponse resp;
  ASSERT_TRUE(stub_->RenderTemplate(&ctx, r, &resp).ok());
  EXPECT_EQ(resp.output(), "12 OK");
  grpc::ClientContext ctx2;
  r.set_template_("{{ broken ");
  ASSERT_TRUE(stub_->RenderTemplate(&ctx2, r, &resp).ok());
  ASSERT_EQ(resp.diagnostics_size(), 1);
}

}  // namespace
}  // namespace sqlmill

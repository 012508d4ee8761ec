// Tests of DbtCompilerServiceImpl over an in-process channel: CompileProject from files and
// from a tar, CompileNode against the cache, RenderTemplate, and request errors.
#include "services/dbt_compiler/service/dbt_compiler_service.h"

#include <zlib.h>

#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace sqlmill {
namespace {

using ::testing::HasSubstr;

// Compresses with a gzip wrapper, as `tar czf` writes.
std::string Gzip(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

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

TEST_F(DbtServiceTest, CompileNodeWithChangedFiles) {
  grpc::ClientContext ctx;
  v1::CompileProjectResponse resp;
  ASSERT_TRUE(stub_->CompileProject(&ctx, Project(), &resp).ok());
  const std::string h1 = resp.project_hash();
  const dbt::ParseCacheStats before = service_.parse_cache().stats();

  v1::CompileNodeRequest nr;
  nr.set_project_hash(h1);
  nr.set_node("b");
  auto* f = nr.add_changed_files();
  f->set_path("models/b.sql");
  f->set_content("select x + 1 as y from {{ ref('a') }}");
  v1::CompileNodeResponse changed;
  {
    grpc::ClientContext c;
    ASSERT_TRUE(stub_->CompileNode(&c, nr, &changed).ok());
  }
  EXPECT_EQ(changed.node().compiled_code(), "select x + 1 as y from \"db\".\"s\".\"a\"");
  const std::string h2 = changed.project_hash();
  EXPECT_FALSE(h2.empty());
  EXPECT_NE(h2, h1);
  // Only the changed model was parsed; the macro environment was reused.
  const dbt::ParseCacheStats after = service_.parse_cache().stats();
  EXPECT_EQ(after.template_misses - before.template_misses, 1u);
  EXPECT_EQ(after.environment_misses, before.environment_misses);

  // The new project is cached under its hash; the old one is unchanged.
  v1::CompileNodeRequest again;
  again.set_project_hash(h2);
  again.set_node("b");
  v1::CompileNodeResponse r2;
  {
    grpc::ClientContext c;
    ASSERT_TRUE(stub_->CompileNode(&c, again, &r2).ok());
  }
  EXPECT_EQ(r2.node().compiled_code(), changed.node().compiled_code());
  EXPECT_EQ(r2.project_hash(), h2);
  again.set_project_hash(h1);
  {
    grpc::ClientContext c;
    ASSERT_TRUE(stub_->CompileNode(&c, again, &r2).ok());
  }
  EXPECT_EQ(r2.node().compiled_code(), "select * from \"db\".\"s\".\"a\"");

  // CompileProject with the same files gives the same hash.
  v1::CompileProjectRequest full = Project();
  for (auto& file : *full.mutable_files()) {
    if (file.path() == "models/b.sql") file.set_content(f->content());
  }
  {
    grpc::ClientContext c;
    v1::CompileProjectResponse r;
    ASSERT_TRUE(stub_->CompileProject(&c, full, &r).ok());
    EXPECT_EQ(r.project_hash(), h2);
  }

  // A change that breaks the node reports why, with the node not compiled.
  f->set_content("select 1\nfrom {{ ref('zzz') }}");
  {
    grpc::ClientContext c;
    ASSERT_TRUE(stub_->CompileNode(&c, nr, &changed).ok());
  }
  EXPECT_FALSE(changed.node().compiled());
  ASSERT_EQ(changed.diagnostics_size(), 1);
  EXPECT_EQ(changed.diagnostics(0).code(), "unknown-ref");

  f->set_path("../escape.sql");
  {
    grpc::ClientContext c;
    EXPECT_EQ(stub_->CompileNode(&c, nr, &changed).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  }
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

  // The same archive gzip-compressed (tar czf) compiles the same, with the same hash.
  r.set_tar_archive(Gzip(tar));
  grpc::ClientContext ctx2;
  v1::CompileProjectResponse gz;
  ASSERT_TRUE(stub_->CompileProject(&ctx2, r, &gz).ok());
  ASSERT_EQ(gz.nodes_size(), 1);
  EXPECT_EQ(gz.nodes(0).compiled_code(), "select 1 as one");
  EXPECT_EQ(gz.project_hash(), resp.project_hash());
}

TEST(DbtServiceLimitsTest, GzipBombIsResourceExhausted) {
  DbtCompilerServiceOptions options;
  options.max_project_bytes = 1 << 20;
  DbtCompilerServiceImpl service(options);
  grpc::ServerBuilder builder;
  builder.RegisterService(&service);
  auto server = builder.BuildAndStart();
  auto stub = v1::DbtCompilerService::NewStub(server->InProcessChannel(grpc::ChannelArguments()));
  v1::CompileProjectRequest r;
  r.set_tar_archive(Gzip(std::string(8 << 20, '\0')));  // ~8 KB on the wire, 8 MB inflated
  grpc::ClientContext ctx;
  v1::CompileProjectResponse resp;
  const grpc::Status status = stub->CompileProject(&ctx, r, &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(), HasSubstr("gzip archive inflates to more than 1048576 bytes"));
  server->Shutdown();
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

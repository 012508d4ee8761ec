// End-to-end compiles of real projects: the bundled example (always), and the public
// corpus projects (jaffle_shop, jaffle-shop with dbt_utils, dbt-utils' integration tests)
// for every supported adapter, which must compile with zero errors other than nodes that
// need a warehouse query. Corpus cases skip when ../shared is absent.
#include <iostream>
#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/dbt_compiler/engine/compiler.h"
#include "services/dbt_compiler/engine/testing/corpus_projects.h"
#include "services/dbt_compiler/engine/testing/project_files.h"
#include "services/dbt_compiler/jinja/json.h"

namespace sqlmill::dbt {
namespace {

constexpr const char* kAdapters[] = {"postgres", "redshift", "snowflake", "bigquery",
                                     "duckdb",   "sqlserver", "synapse",  "fabric"};

struct Counts {
  int compiled = 0, failed = 0, warehouse = 0, errors = 0;
  std::vector<std::string> messages;
};

Counts CompileAndCount(std::shared_ptr<FileMap> files, const std::string& adapter) {
  CompileOptions options;
  options.files = files;
  options.target.adapter_type = adapter;
  options.target.database = "analytics";
  options.target.schema = "dbt_ci";
  options.parallelism = 2;
  Counts c;
  auto out = Compile(options);
  EXPECT_TRUE(out.ok()) << out.status();
  if (!out.ok()) return c;
  c.compiled = out->stats.nodes_compiled;
  c.failed = out->stats.nodes_failed;
  for (const auto& d : out->diagnostics) {
    if (d.severity != Severity::kError) continue;
    if (d.code == "needs-warehouse-query") {
      ++c.warehouse;
    } else {
      ++c.errors;
      c.messages.push_back(d.file + ":" + std::to_string(d.location.line) + ": [" + d.code + "] " + d.message);
    }
  }
  return c;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += "\n  " + s;
  return out;
}

TEST(CorpusCompileTest, RetailAnalyticsExample) {
  auto files = testing::RetailAnalyticsFiles();
  ASSERT_FALSE(files->empty()) << "examples/dbt/retail_analytics is missing";
  for (const char* adapter : kAdapters) {
    Counts c = CompileAndCount(files, adapter);
    EXPECT_EQ(c.errors, 0) << adapter << Join(c.messages);
    EXPECT_EQ(c.warehouse, 0) << adapter;
    EXPECT_GT(c.compiled, 5) << adapter;
  }
}

TEST(CorpusCompileTest, JaffleShopClassic) {
  auto files = testing::JaffleShopClassicFiles();
  if (files == nullptr) GTEST_SKIP() << "corpus jaffle_shop not found";
  for (const char* adapter : kAdapters) {
    Counts c = CompileAndCount(files, adapter);
    EXPECT_EQ(c.errors, 0) << adapter << Join(c.messages);
    EXPECT_EQ(c.warehouse, 0) << adapter;
    std::cout << "jaffle_shop/" << adapter << ": " << c.compiled << " compiled\n";
  }
}

TEST(CorpusCompileTest, JaffleShopWithDbtUtils) {
  auto files = testing::JaffleShopWithPackagesFiles();
  if (files == nullptr) GTEST_SKIP() << "corpus jaffle-shop/dbt-utils not found";
  for (const char* adapter : kAdapters) {
    Counts c = CompileAndCount(files, adapter);
    EXPECT_EQ(c.errors, 0) << adapter << Join(c.messages);
    std::cout << "jaffle-shop/" << adapter << ": " << c.compiled << " compiled, " << c.warehouse
              << " need a warehouse query\n";
  }
}

TEST(CorpusCompileTest, DbtUtilsIntegrationTests) {
  auto files = testing::DbtUtilsIntegrationFiles();
  if (files == nullptr) GTEST_SKIP() << "corpus dbt-utils not found";
  for (const char* adapter : kAdapters) {
    Counts c = CompileAndCount(files, adapter);
    EXPECT_EQ(c.errors, 0) << adapter << Join(c.messages);
    std::cout << "dbt-utils integration_tests/" << adapter << ": " << c.compiled << " compiled, "
              << c.warehouse << " need a warehouse query\n";
  }
}

}  // namespace
}  // namespace sqlmill::dbt

namespace sqlmill::dbt {
namespace {

// Unknown refs and sources point at the whole call: the name through the closing
// parenthesis, with a caret excerpt, also when the name is computed or the call spans lines.
TEST(DiagnosticLocationTest, UnknownRefAndSourceSpans) {
  auto files = std::make_shared<FileMap>();
  (*files)["dbt_project.yml"] = "name: shop\n";
  (*files)["models/a.sql"] = "select *\nfrom {{ ref(var('m', 'gone')) }} x";
  (*files)["models/b.sql"] = "{# source('s', 't') #}\nselect 1 from {{ source(\n  's', \"t\"\n) }}";
  CompileOptions o;
  o.files = files;
  auto out = Compile(o);
  ASSERT_TRUE(out.ok()) << out.status();
  std::map<std::string, const Diagnostic*> by_file;
  for (const auto& d : out->diagnostics) by_file[d.file] = &d;
  ASSERT_EQ(by_file.size(), 2u);
  const Diagnostic& a = *by_file.at("models/a.sql");
  EXPECT_EQ(a.code, "unknown-ref");
  EXPECT_EQ(a.location, (Location{2, 9}));
  EXPECT_EQ(a.end_location, (Location{2, 30}));  // exclusive: just past "ref(var('m', 'gone'))"
  EXPECT_THAT(a.excerpt, ::testing::HasSubstr("^"));
  const Diagnostic& b = *by_file.at("models/b.sql");
  EXPECT_EQ(b.code, "unknown-source");
  EXPECT_EQ(b.location, (Location{2, 18}));  // not the commented-out call on line 1
  EXPECT_EQ(b.end_location, (Location{4, 2}));
}

// The manifest's times come from the request's run_started_at (deterministic output): dbt's
// generated_at format in UTC, created_at as epoch seconds; project_id is md5(project name).
TEST(ManifestTest, TimesComeFromRunStartedAtAndDocsAreListed) {
  auto files = std::make_shared<FileMap>();
  (*files)["dbt_project.yml"] = "name: shop\n";
  (*files)["models/a.sql"] = "select 1 as id";
  (*files)["models/src.yml"] = "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: t\n";
  (*files)["models/a.yml"] = "version: 2\nmodels:\n  - name: a\n    description: '{{ doc(\"a_doc\") }}'\n";
  (*files)["models/docs/a.md"] = "{% docs a_doc %}\nThe a model.\n{% enddocs %}\n";
  auto manifest = [&](const std::string& run_started_at) {
    CompileOptions o;
    o.files = files;
    o.run_started_at = run_started_at;
    auto out = Compile(o);
    EXPECT_TRUE(out.ok()) << out.status();
    auto json = jinja::ParseJson(WriteManifest(*out->project, o));
    EXPECT_TRUE(json.ok());
    return *json;
  };
  const jinja::Value m = manifest("2024-03-05T10:20:30.123456+02:00");
  const jinja::Value& md = *m.dict()->FindStr("metadata");
  EXPECT_EQ(md.dict()->FindStr("generated_at")->Str(), "2024-03-05T08:20:30.123456Z");
  EXPECT_EQ(md.dict()->FindStr("project_id")->Str(), "fb54f3c5992b96d001bb16e8e92d968d");
  const jinja::Value& node = *m.dict()->FindStr("nodes")->dict()->FindStr("model.shop.a");
  EXPECT_DOUBLE_EQ(node.dict()->FindStr("created_at")->as_double(), 1709626830.123456);
  EXPECT_EQ(node.dict()->FindStr("description")->Str(), "The a model.");
  const jinja::Value* doc = m.dict()->FindStr("docs")->dict()->FindStr("doc.shop.a_doc");
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(doc->dict()->FindStr("block_contents")->Str(), "The a model.");
  EXPECT_EQ(doc->dict()->FindStr("path")->Str(), "docs/a.md");
  EXPECT_EQ(doc->dict()->FindStr("original_file_path")->Str(), "models/docs/a.md");
  const jinja::Value& source = *m.dict()->FindStr("sources")->dict()->FindStr("source.shop.raw.t");
  EXPECT_DOUBLE_EQ(source.dict()->FindStr("created_at")->as_double(), 1709626830.123456);
  // A negative offset crossing midnight, and the default (the epoch).
  const jinja::Value west = manifest("1969-12-31T23:00:00-05:00");
  EXPECT_EQ(west.dict()->FindStr("metadata")->dict()->FindStr("generated_at")->Str(), "1970-01-01T04:00:00.000000Z");
  const jinja::Value epoch = manifest("1970-01-01T00:00:00+00:00");
  EXPECT_EQ(epoch.dict()->FindStr("metadata")->dict()->FindStr("generated_at")->Str(), "1970-01-01T00:00:00.000000Z");
}

}  // namespace
}  // namespace sqlmill::dbt

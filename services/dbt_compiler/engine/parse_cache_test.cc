// The cross-compile parse cache: an incremental re-compile parses only what changed, a
// change to macros or settings gets a fresh environment, the cache stays within its
// bounds, concurrent compiles share it, and every cached compile gives exactly what an
// uncached compile gives.
#include "services/dbt_compiler/engine/parse_cache.h"

#include <map>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/dbt_compiler/engine/compiler.h"

namespace sqlmill::dbt {
namespace {

// A project with project macros, a package, configs, vars, refs and generic tests.
FileMap Project(int models) {
  FileMap f;
  f["dbt_project.yml"] = "name: shop\nvars:\n  days: 7\nmodels:\n  shop:\n    +materialized: table\n";
  f["macros/m.sql"] = "{% macro cents(c) %}({{ c }} / 100.0){% endmacro %}\n";
  f["dbt_packages/util/dbt_project.yml"] = "name: util\n";
  f["dbt_packages/util/macros/u.sql"] = "{% macro twice(c) %}{{ c }} * 2{% endmacro %}\n";
  std::string yml = "version: 2\nmodels:\n";
  for (int i = 0; i < models; ++i) {
    std::string sql = absl::StrCat("select {{ cents('amount') }} as a, {{ util.twice('x') }} as b, ",
                                   "{{ var('days') }} as d");
    if (i > 0) absl::StrAppend(&sql, " from {{ ref('m", i - 1, "') }}");
    f[absl::StrCat("models/m", i, ".sql")] = sql;
    absl::StrAppend(&yml, "  - name: m", i, "\n    columns:\n      - name: a\n        tests: [not_null]\n");
  }
  f["models/schema.yml"] = yml;
  return f;
}

CompileOptions Options(const FileMap& files, std::shared_ptr<ParseCache> cache) {
  CompileOptions o;
  o.files = std::make_shared<FileMap>(files);
  o.target.database = "db";
  o.target.schema = "s";
  o.parallelism = 2;
  o.parse_cache = std::move(cache);
  return o;
}

// unique_id → compiled code, plus the diagnostics as text.
std::map<std::string, std::string> Result(const CompileOutput& out) {
  std::map<std::string, std::string> r;
  for (const Node* n : out.project->nodes_in_order()) r[n->unique_id] = n->compiled_code;
  for (const auto& d : out.diagnostics) r["!" + d.code + " " + d.message] = d.file;
  return r;
}

std::map<std::string, std::string> Uncached(const CompileOptions& o) {
  CompileOptions copy = o;
  copy.parse_cache = nullptr;
  auto out = Compile(copy);
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? Result(*out) : std::map<std::string, std::string>{};
}

TEST(ParseCacheTest, RecompileAfterOneModelChangedParsesOnlyThatModel) {
  auto cache = std::make_shared<ParseCache>();
  FileMap files = Project(20);
  auto first = Compile(Options(files, cache));
  ASSERT_TRUE(first.ok()) << first.status();
  const ParseCacheStats cold = cache->stats();
  EXPECT_EQ(cold.environment_misses, 1u);
  EXPECT_EQ(cold.environment_hits, 0u);
  EXPECT_GT(first->stats.macro_files_parsed, 2u);  // the project's, the package's and dbt's own
  EXPECT_FALSE(first->stats.environment_reused);
  // 20 models, and the 20 not_null tests share one template (the same call text).
  EXPECT_EQ(cold.template_misses, 21u);
  EXPECT_EQ(first->stats.templates_parsed, cold.template_misses);

  // The same project again: nothing is parsed.
  auto same = Compile(Options(files, cache));
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(cache->stats().template_misses, cold.template_misses);
  EXPECT_EQ(cache->stats().environment_hits, 1u);
  EXPECT_TRUE(same->stats.environment_reused);
  EXPECT_EQ(same->stats.macro_files_parsed, 0u);
  EXPECT_EQ(same->stats.templates_parsed, 0u);
  EXPECT_EQ(Result(*same), Result(*first));

  // One model changed: exactly one template is parsed, no macro file is.
  files["models/m7.sql"] = "select {{ cents('price') }} as a from {{ ref('m6') }}";
  auto changed = Compile(Options(files, cache));
  ASSERT_TRUE(changed.ok());
  const ParseCacheStats warm = cache->stats();
  EXPECT_EQ(warm.template_misses - cold.template_misses, 1u);
  EXPECT_EQ(changed->stats.templates_parsed, 1u);
  EXPECT_EQ(changed->stats.macro_files_parsed, 0u);
  EXPECT_EQ(warm.environment_misses, 1u);
  const auto result = Result(*changed);
  EXPECT_EQ(result.at("model.shop.m7"), "select (price / 100.0) as a from \"db\".\"s\".\"m6\"");
  EXPECT_EQ(result, Uncached(Options(files, nullptr)));
}

TEST(ParseCacheTest, MacroChangeBuildsANewEnvironment) {
  auto cache = std::make_shared<ParseCache>();
  FileMap files = Project(3);
  ASSERT_TRUE(Compile(Options(files, cache)).ok());
  files["macros/m.sql"] = "{% macro cents(c) %}round({{ c }}){% endmacro %}\n";
  auto out = Compile(Options(files, cache));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(cache->stats().environment_misses, 2u);
  EXPECT_FALSE(out->stats.environment_reused);
  EXPECT_GT(out->stats.macro_files_parsed, 0u);
  EXPECT_THAT(out->project->FindNode("m0")->compiled_code, ::testing::HasSubstr("round(amount)"));
  EXPECT_EQ(Result(*out), Uncached(Options(files, nullptr)));
}

TEST(ParseCacheTest, SettingsThatShapeTheContextAreNotShared) {
  auto cache = std::make_shared<ParseCache>();
  FileMap files = Project(2);
  CompileOptions a = Options(files, cache);
  CompileOptions b = Options(files, cache);
  b.target.schema = "other";
  b.vars = R"({"days": 30})";
  auto out_a = Compile(a);
  auto out_b = Compile(b);
  ASSERT_TRUE(out_a.ok() && out_b.ok());
  EXPECT_EQ(cache->stats().environment_misses, 2u);
  EXPECT_THAT(out_b->project->FindNode("m1")->compiled_code, ::testing::HasSubstr("30 as d from \"db\".\"other\".\"m0\""));
  EXPECT_EQ(Result(*out_a), Uncached(a));
  EXPECT_EQ(Result(*out_b), Uncached(b));
  // Settings read at call time (existing relations, query results) share the environment.
  CompileOptions c = a;
  c.relations_exist = true;
  ASSERT_TRUE(Compile(c).ok());
  EXPECT_EQ(cache->stats().environment_hits, 1u);
}

TEST(ParseCacheTest, StaysWithinItsByteBudget) {
  ParseCacheOptions small;
  small.max_bytes = 20 * ParseCache::kEntryOverheadBytes;
  auto cache = std::make_shared<ParseCache>(small);
  FileMap files = Project(30);
  auto out = Compile(Options(files, cache));
  ASSERT_TRUE(out.ok());
  const ParseCacheStats s = cache->stats();
  EXPECT_GT(s.evictions, 0u);
  EXPECT_LE(s.bytes, small.max_bytes);
  EXPECT_EQ(Result(*out), Uncached(Options(files, nullptr)));
  auto again = Compile(Options(files, cache));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Result(*again), Result(*out));
}

TEST(ParseCacheTest, EnvironmentCountIsBounded) {
  ParseCacheOptions o;
  o.max_environments = 2;
  auto cache = std::make_shared<ParseCache>(o);
  FileMap files = Project(2);
  for (int i = 0; i < 4; ++i) {
    CompileOptions c = Options(files, cache);
    c.target.schema = absl::StrCat("s", i);
    ASSERT_TRUE(Compile(c).ok());
  }
  EXPECT_EQ(cache->stats().environments, 2u);
  EXPECT_EQ(cache->stats().environment_misses, 4u);
}

TEST(ParseCacheTest, MacroFileErrorsAreReportedOnEveryCompile) {
  auto cache = std::make_shared<ParseCache>();
  FileMap files = Project(1);
  files["macros/bad.sql"] = "{% macro broken( %}\n";
  for (int i = 0; i < 2; ++i) {
    auto out = Compile(Options(files, cache));
    ASSERT_TRUE(out.ok());
    bool found = false;
    for (const auto& d : out->diagnostics) found = found || d.file == "macros/bad.sql";
    EXPECT_TRUE(found) << "compile " << i;
  }
  EXPECT_EQ(cache->stats().environment_hits, 1u);
}

TEST(ParseCacheTest, ConcurrentCompilesShareOneCache) {
  auto cache = std::make_shared<ParseCache>();
  FileMap base = Project(15);
  FileMap variant = base;
  variant["models/m3.sql"] = "select 3 as a from {{ ref('m2') }}";
  const auto want_base = Uncached(Options(base, nullptr));
  const auto want_variant = Uncached(Options(variant, nullptr));
  std::vector<std::thread> threads;
  std::vector<int> ok(6, 0);
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      const FileMap& f = t % 2 ? variant : base;
      auto out = Compile(Options(f, cache));
      ok[t] = out.ok() && Result(*out) == (t % 2 ? want_variant : want_base);
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 6; ++t) EXPECT_TRUE(ok[t]) << "thread " << t;
}

}  // namespace
}  // namespace sqlmill::dbt

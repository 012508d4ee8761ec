// Parse results cached across compiles (ParseCache::FindParseResult): for every project
// the engine tests compile, a re-compile through a warm cache after one model file, one
// YAML properties file or one macro file changed gives byte for byte what a cold compile of
// the changed project gives (every node's compiled SQL and state, the manifest JSON, every
// diagnostic field), and the counters show the parse renders it skipped. Small projects
// check the inputs a parse render reads beyond the node itself: another node's relation
// through ref(), a docs block through doc(), existing relations through
// adapter.already_exists, and vars.
#include <functional>
#include <iostream>
#include <map>
#include <regex>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/dbt_compiler/engine/compiler.h"
#include "services/dbt_compiler/engine/parse_cache.h"
#include "services/dbt_compiler/engine/testing/corpus_projects.h"

namespace sqlmill::dbt {
namespace {

// Everything a compile returns, as text: each node's state and compiled SQL, the manifest,
// every diagnostic field in order.
std::string Snapshot(const CompileOutput& out, const CompileOptions& options) {
  std::string s;
  for (const Node* n : out.project->nodes_in_order()) {
    absl::StrAppend(&s, "== ", n->unique_id, " parsed_ok=", n->parsed_ok, " compiled=", n->compiled,
                    " selected=", n->selected, " path=", n->compiled_path,
                    " relation=", n->relation_name.value_or("<none>"), " config=", n->config.Repr(),
                    " unrendered=", n->unrendered_config.Repr(), "\n", n->compiled_code, "\n");
  }
  absl::StrAppend(&s, "== manifest\n", WriteManifest(*out.project, options), "\n");
  for (const Diagnostic& d : out.diagnostics) {
    absl::StrAppend(&s, "== diagnostic ", static_cast<int>(d.severity), " ", d.code, " ", d.file, " ",
                    d.span.offset, "+", d.span.length, " ", d.location.line, ":", d.location.column, "-",
                    d.end_location.line, ":", d.end_location.column, "\n", d.message, "\n", d.excerpt, "\n");
    for (const auto& c : d.context) absl::StrAppend(&s, "  ", c, "\n");
  }
  return s;
}

CompileOptions WithFiles(CompileOptions o, const FileMap& files, std::shared_ptr<ParseCache> cache) {
  o.files = std::make_shared<FileMap>(files);
  o.parse_cache = std::move(cache);
  o.parallelism = 1;  // diagnostics in a fixed order, so they compare byte for byte
  return o;
}

// A root-project model file (SQL) to edit: the first by path under models/.
std::string PickModel(const FileMap& files) {
  for (const auto& [path, text] : files) {
    if (absl::StartsWith(path, "models/") && absl::EndsWith(path, ".sql")) return path;
  }
  return "";
}

// A root-project YAML properties file to edit: the first under models/ with a description,
// else the first under models/.
std::string PickYaml(const FileMap& files) {
  std::string any;
  for (const auto& [path, text] : files) {
    if (!absl::StartsWith(path, "models/") || !(absl::EndsWith(path, ".yml") || absl::EndsWith(path, ".yaml"))) {
      continue;
    }
    if (absl::StrContains(text, "description:")) return path;
    if (any.empty()) any = path;
  }
  return any;
}

// Edits the first single-line description (quoted or plain) so the change is semantic: it
// reaches the manifest and the node's `model.description`. Otherwise appends a comment.
std::string EditYaml(const std::string& text) {
  static const std::regex kDesc(R"(description:[ \t]+(["']?)([^\s>|"'][^\n]*)\n)");
  std::smatch m;
  if (std::regex_search(text, m, kDesc)) {
    const size_t at = m.position(2);
    return text.substr(0, at) + "Edited by the cache test. " + text.substr(at);
  }
  return text + "\n# edited by the cache test\n";
}

std::string PickMacro(const FileMap& files) {
  for (const auto& [path, text] : files) {
    if (absl::StartsWith(path, "macros/") && absl::EndsWith(path, ".sql")) return path;
  }
  return "";
}

struct Change {
  std::string what;  // "model", "yaml", "macro"
  std::string path;
  FileMap files;
};

std::vector<Change> Changes(const FileMap& base) {
  std::vector<Change> out;
  if (std::string p = PickModel(base); !p.empty()) {
    FileMap f = base;
    // A new config() call and a new line: the model's config, tags and SQL change.
    f[p] += "\n{{ config(tags=['sqlmill_cache_test']) }}\n-- edited by the cache test\n";
    out.push_back({"model", p, std::move(f)});
  }
  if (std::string p = PickYaml(base); !p.empty()) {
    FileMap f = base;
    f[p] = EditYaml(f[p]);
    EXPECT_NE(f[p], base.at(p));
    out.push_back({"yaml", p, std::move(f)});
  }
  {
    FileMap f = base;
    std::string p = PickMacro(base);
    if (p.empty()) p = "macros/sqlmill_cache_test.sql";
    f[p] += "\n{% macro sqlmill_cache_test_macro() %}1{% endmacro %}\n";
    out.push_back({"macro", p, std::move(f)});
  }
  return out;
}

TEST(ParseResultCacheTest, RecompileAfterOneChangeEqualsAColdCompileOnEveryProject) {
  const auto projects = testing::AllProjects();
  ASSERT_FALSE(projects.empty());
  for (const auto& project : projects) {
    SCOPED_TRACE(project.name);
    const FileMap& base = *project.options.files;
    for (const Change& change : Changes(base)) {
      SCOPED_TRACE(absl::StrCat(change.what, " ", change.path));
      auto cache = std::make_shared<ParseCache>();
      const CompileOptions cold_options = WithFiles(project.options, base, cache);
      auto cold = Compile(cold_options);
      ASSERT_TRUE(cold.ok()) << cold.status();
      EXPECT_GT(cold->stats.parse_renders, 0u);
      EXPECT_EQ(cold->stats.parse_results_reused, 0u);

      const CompileOptions warm_options = WithFiles(project.options, change.files, cache);
      auto warm = Compile(warm_options);
      ASSERT_TRUE(warm.ok()) << warm.status();
      const CompileOptions fresh_options = WithFiles(project.options, change.files, std::make_shared<ParseCache>());
      auto fresh = Compile(fresh_options);
      ASSERT_TRUE(fresh.ok()) << fresh.status();
      EXPECT_EQ(fresh->stats.parse_results_reused, 0u);
      const std::string want = Snapshot(*fresh, fresh_options);
      EXPECT_EQ(Snapshot(*warm, warm_options), want);
      EXPECT_EQ(warm->stats.parse_renders + warm->stats.parse_results_reused, fresh->stats.parse_renders);
      std::cout << project.name << ", " << change.what << " " << change.path << " changed: "
                << warm->stats.parse_results_reused << " of " << fresh->stats.parse_renders
                << " parse renders skipped\n";
      if (change.what == "model") {
        // Only the edited model is rendered again (its tests keep their key: a model's
        // text is not part of what its tests' parse renders read).
        EXPECT_EQ(warm->stats.parse_renders, 1u);
      } else if (change.what == "yaml") {
        EXPECT_GT(warm->stats.parse_results_reused, 0u);
        EXPECT_GE(warm->stats.parse_renders, 1u);
      } else {
        // A macro file is part of the environment: nothing is reused.
        EXPECT_EQ(warm->stats.parse_results_reused, 0u);
      }
      // The changed project once more through the same cache: every parse render skipped,
      // same output.
      auto again = Compile(warm_options);
      ASSERT_TRUE(again.ok());
      EXPECT_EQ(again->stats.parse_renders, 0u);
      EXPECT_EQ(again->stats.parse_results_reused, fresh->stats.parse_renders);
      EXPECT_EQ(Snapshot(*again, warm_options), want);
    }
  }
}

// A two-model project compiled cold, then `edit` applied, compiled through the same cache
// and compared with a cold compile of the edited project. Returns the warm compile.
CompileOutput EditAndCompare(FileMap files, const std::function<void(CompileOptions*)>& edit,
                             CompileOptions base = {}) {
  auto cache = std::make_shared<ParseCache>();
  base.target.database = "db";
  base.target.schema = "s";
  auto cold = Compile(WithFiles(base, files, cache));
  EXPECT_TRUE(cold.ok()) << cold.status();
  CompileOptions changed = WithFiles(base, files, cache);
  edit(&changed);
  auto warm = Compile(changed);
  EXPECT_TRUE(warm.ok()) << warm.status();
  CompileOptions fresh_options = changed;
  fresh_options.parse_cache = std::make_shared<ParseCache>();
  auto fresh = Compile(fresh_options);
  EXPECT_TRUE(fresh.ok()) << fresh.status();
  if (warm.ok() && fresh.ok()) {
    EXPECT_EQ(Snapshot(*warm, changed), Snapshot(*fresh, fresh_options));
  }
  return warm.ok() ? *std::move(warm) : CompileOutput{};
}

FileMap SmallProject() {
  FileMap f;
  f["dbt_project.yml"] = "name: shop\n";
  f["models/a.sql"] = "select 1 as x";
  // The parse render of b reads a's relation through ref(): its config depends on it.
  f["models/b.sql"] =
      "{% if ref('a').identifier == 'a_renamed' %}{{ config(materialized='table') }}{% endif %}"
      "select * from {{ ref('a') }}";
  return f;
}

std::string Materialized(const CompileOutput& out, std::string_view node) {
  const Node* n = out.project->FindNode(node);
  return n == nullptr ? "<missing>" : n->config.dict()->FindStr("materialized")->Str();
}

TEST(ParseResultCacheTest, AnotherNodesRelationReadThroughRefIsPartOfTheKey) {
  FileMap files = SmallProject();
  auto out = EditAndCompare(files, [](CompileOptions* o) {
    FileMap f = *o->files;
    f["models/schema.yml"] = "version: 2\nmodels:\n  - name: a\n    config:\n      alias: a_renamed\n";
    o->files = std::make_shared<FileMap>(f);
  });
  EXPECT_EQ(Materialized(out, "b"), "table");
  EXPECT_EQ(out.stats.parse_results_reused, 0u);
}

TEST(ParseResultCacheTest, DocsBlocksReadThroughDocArePartOfTheKey) {
  FileMap files = SmallProject();
  files["models/docs.md"] = "{% docs flag %}view{% enddocs %}";
  files["models/c.sql"] = "{{ config(materialized=doc('flag')) }}select 1";
  auto out = EditAndCompare(files, [](CompileOptions* o) {
    FileMap f = *o->files;
    f["models/docs.md"] = "{% docs flag %}table{% enddocs %}";
    o->files = std::make_shared<FileMap>(f);
  });
  EXPECT_EQ(Materialized(out, "c"), "table");
}

TEST(ParseResultCacheTest, ExistingRelationsReadAtParseTimeArePartOfTheKey) {
  FileMap files = SmallProject();
  files["models/c.sql"] =
      "{% if adapter.already_exists('s', 'c') %}{{ config(materialized='table') }}{% endif %}select 1";
  auto out = EditAndCompare(files, [](CompileOptions* o) { o->relations_exist = true; });
  EXPECT_EQ(Materialized(out, "c"), "table");
  EXPECT_EQ(out.stats.parse_results_reused, 0u);
}

TEST(ParseResultCacheTest, VarsArePartOfTheKey) {
  FileMap files = SmallProject();
  files["models/c.sql"] = "{{ config(materialized=var('mat', 'view')) }}select 1";
  auto out = EditAndCompare(files, [](CompileOptions* o) { o->vars = R"({"mat": "table"})"; });
  EXPECT_EQ(Materialized(out, "c"), "table");
}

TEST(ParseResultCacheTest, FailedParsesAndTheirDiagnosticsAreReplayed) {
  FileMap files = SmallProject();
  files["models/bad.sql"] = "select {{ ref('a').no_such_method() }}";
  files["models/bad_source.sql"] = "select * from {{ source('nope', 't') }}";
  auto out = EditAndCompare(files, [](CompileOptions* o) {
    FileMap f = *o->files;
    f["models/a.sql"] = "select 2 as x";
    o->files = std::make_shared<FileMap>(f);
  });
  EXPECT_EQ(out.stats.parse_renders, 1u);  // a.sql only
  EXPECT_GE(out.stats.parse_results_reused, 3u);
  const Node* bad = out.project->FindNode("bad");
  ASSERT_NE(bad, nullptr);
  EXPECT_FALSE(bad->parsed_ok);
  bool jinja_error = false, unknown_source = false;
  for (const auto& d : out.diagnostics) {
    jinja_error = jinja_error || (d.code == "jinja-error" && d.file == "models/bad.sql");
    unknown_source = unknown_source || d.code == "unknown-source";
  }
  EXPECT_TRUE(jinja_error);
  EXPECT_TRUE(unknown_source);
}

TEST(ParseResultCacheTest, CachedConfigValuesAreNotSharedWithTheCompilesThatUseThem) {
  FileMap files = SmallProject();
  // The compile render mutates the meta dict its config() call recorded.
  files["models/c.sql"] =
      "{{ config(meta={'n': []}) }}{% do config.get('meta')['n'].append(1) %}"
      "select {{ config.get('meta')['n'] | length }} as n";
  auto cache = std::make_shared<ParseCache>();
  CompileOptions o;
  o.target.database = "db";
  o.target.schema = "s";
  std::string first;
  for (int i = 0; i < 3; ++i) {
    auto out = Compile(WithFiles(o, files, cache));
    ASSERT_TRUE(out.ok());
    const std::string code = out->project->FindNode("c")->compiled_code;
    if (i == 0) first = code;
    EXPECT_EQ(code, first) << "compile " << i;
    EXPECT_TRUE(absl::StartsWith(code, "select ")) << code;
    if (i > 0) {
      EXPECT_EQ(out->stats.parse_renders, 0u);
    }
  }
}

TEST(ParseResultCacheTest, StaysWithinItsCountAndByteBounds) {
  FileMap files = SmallProject();
  for (int i = 0; i < 30; ++i) files[absl::StrCat("models/m", i, ".sql")] = absl::StrCat("select ", i, " as x");
  CompileOptions o;
  for (const bool by_bytes : {false, true}) {
    ParseCacheOptions co;
    if (by_bytes) {
      co.max_parse_result_bytes = 10 * ParseCache::kEntryOverheadBytes;
    } else {
      co.max_parse_results = 5;
    }
    auto cache = std::make_shared<ParseCache>(co);
    auto first = Compile(WithFiles(o, files, cache));
    ASSERT_TRUE(first.ok());
    const ParseCacheStats s = cache->stats();
    EXPECT_GT(s.evictions, 0u);
    if (by_bytes) {
      EXPECT_LE(s.parse_result_bytes, co.max_parse_result_bytes);
    } else {
      EXPECT_EQ(s.parse_results, 5u);
    }
    auto again = Compile(WithFiles(o, files, cache));
    ASSERT_TRUE(again.ok());
    EXPECT_GT(again->stats.parse_renders, 0u);  // the evicted ones render again
    EXPECT_EQ(Snapshot(*again, WithFiles(o, files, cache)), Snapshot(*first, WithFiles(o, files, cache)));
  }
  // Zero keeps none: every parse render runs.
  ParseCacheOptions none;
  none.max_parse_results = 0;
  auto cache = std::make_shared<ParseCache>(none);
  ASSERT_TRUE(Compile(WithFiles(o, files, cache)).ok());
  auto again = Compile(WithFiles(o, files, cache));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->stats.parse_results_reused, 0u);
  EXPECT_EQ(cache->stats().parse_results, 0u);
}

// ParseResultKey encodes the node fields `model` shows one by one (not through the dict);
// this list is what it encodes. A key added to NodeDict fails here until the key covers it.
TEST(ParseResultCacheTest, KeyCoversEveryModelField) {
  FileMap files;
  files["dbt_project.yml"] = "name: shop\n";
  files["models/a.sql"] = "select 1 as x";
  files["models/schema.yml"] = "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: x\n        tests: [not_null]\n";
  files["macros/keys.sql"] = "{% macro model_keys() %}{{ model.keys() | sort | join(',') }}{% endmacro %}";
  files["models/b.sql"] = "select '{{ model_keys() }}' as k";
  CompileOptions o;
  auto out = Compile(WithFiles(o, files, nullptr));
  ASSERT_TRUE(out.ok());
  const Node* b = out->project->FindNode("b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->compiled_code,
            "select 'alias,columns,config,database,depends_on,description,fqn,identifier,language,meta,"
            "name,original_file_path,package_name,path,raw_code,raw_sql,refs,relation_name,resource_type,"
            "schema,sources,tags,unique_id,version' as k");
  // A generic test's `model` adds its test fields (encoded from GenericTest).
  files["tests/generic/keys_test.sql"] =
      "{% test keys_shown(model, column_name) %}select '{{ model_keys() }}'{% endtest %}";
  files["models/schema.yml"] = "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: x\n        tests: [keys_shown]\n";
  out = Compile(WithFiles(o, files, nullptr));
  ASSERT_TRUE(out.ok());
  bool found = false;
  for (const Node* n : out->project->nodes_in_order()) {
    if (!n->test) continue;
    found = true;
    EXPECT_NE(n->compiled_code.find("attached_node,column_name,columns,config,database,depends_on,description,"
                                    "file_key_name,fqn,identifier,language,meta,name,original_file_path,"
                                    "package_name,path,raw_code,raw_sql,refs,relation_name,resource_type,schema,"
                                    "sources,tags,test_metadata,unique_id,version"),
              std::string::npos)
        << n->compiled_code;
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace sqlmill::dbt

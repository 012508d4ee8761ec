// Compiles with compile_nodes=false (what CompileNode with changed_files runs): nothing is
// compiled up front, and CompiledProject::CompileOneNode then gives, node by node, exactly
// what the eager compile gives — compiled SQL (ephemeral CTEs included), compiled flag,
// relation and dependencies — for every project the engine tests compile.
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/dbt_compiler/engine/compiler.h"
#include "services/dbt_compiler/engine/testing/corpus_projects.h"

namespace sqlmill::dbt {
namespace {

std::string Describe(const Node& n) {
  std::string deps;
  for (const auto& d : n.depends_on_nodes) absl::StrAppend(&deps, d, " ");
  return absl::StrCat(n.unique_id, " compiled=", n.compiled, " relation=", n.relation_name.value_or("<none>"),
                      " deps=", deps, "\n", n.compiled_code);
}

TEST(LazyCompileTest, CompileOneNodeMatchesTheEagerCompileForEveryNode) {
  const std::vector<testing::NamedProject> projects = testing::AllProjects();
  ASSERT_FALSE(projects.empty());  // retail_analytics is bundled; the corpus ones may be absent
  for (const testing::NamedProject& p : projects) {
    SCOPED_TRACE(p.name);
    auto eager = Compile(p.options);
    ASSERT_TRUE(eager.ok()) << eager.status();
    CompileOptions lazy_options = p.options;
    lazy_options.compile_nodes = false;
    auto lazy = Compile(lazy_options);
    ASSERT_TRUE(lazy.ok()) << lazy.status();
    EXPECT_EQ(lazy->stats.nodes_compiled, 0u);
    int compared = 0;
    for (const Node* n : eager->project->nodes_in_order()) {
      if (n->type == ResourceType::kSeed || !n->selected) continue;
      // A fresh eager project per node, as CompileNode on an eagerly compiled project does.
      std::vector<Diagnostic> eager_diags, lazy_diags;
      auto want = eager->project->CompileOneNode(n->unique_id, "", &eager_diags);
      ASSERT_TRUE(want.ok()) << want.status();
      auto got = lazy->project->CompileOneNode(n->unique_id, "", &lazy_diags);
      ASSERT_TRUE(got.ok()) << got.status();
      EXPECT_EQ(Describe(*got), Describe(*want));
      EXPECT_EQ(lazy_diags.size(), eager_diags.size()) << n->unique_id;
      ++compared;
    }
    EXPECT_GT(compared, 0);
  }
}

}  // namespace
}  // namespace sqlmill::dbt

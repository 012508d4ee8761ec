// The ground-truth test: compiles each project under ../shared/corpus/dbt-truth with the
// target and run conditions INDEX.tsv records, and compares our compiled SQL with the
// target/compiled files dbt-core wrote (byte for byte) and our manifest's unique_ids, fqn,
// relation_name and depends_on.nodes with dbt's manifest.json. Every differing node is
// listed; the test fails on any difference. Skipped when ../shared is absent.
#include <filesystem>
#include <iostream>
#include <map>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/dbt_compiler/engine/compiler.h"
#include "services/dbt_compiler/engine/testing/corpus_projects.h"
#include "services/dbt_compiler/engine/testing/project_files.h"
#include "services/dbt_compiler/jinja/json.h"

namespace sqlmill::dbt {
namespace {

namespace fs = std::filesystem;
using jinja::Value;

using testing::TruthCase;
using testing::TruthCases;

std::vector<std::string> StrList(const Value* v) {
  std::vector<std::string> out;
  if (v != nullptr && v->is_sequence()) {
    for (const auto& x : v->items()) out.push_back(x.Str());
  }
  return out;
}

TEST(GroundTruthTest, CompiledSqlAndManifestMatchDbtCore) {
  const fs::path root = testing::CorpusRoot() / "dbt-truth";
  if (!fs::exists(root)) GTEST_SKIP() << "../shared/corpus/dbt-truth not found; ground truth skipped";
  int total_files = 0, equal_files = 0, total_nodes = 0, equal_nodes = 0;
  for (const TruthCase& tc : TruthCases()) {
    const fs::path dir = root / tc.dir;
    const CompileOptions options = testing::TruthOptions(tc);
    const std::shared_ptr<const FileMap> files = options.files;
    auto out = Compile(options);
    ASSERT_TRUE(out.ok()) << tc.dir << ": " << out.status();
    const CompiledProject& cp = *out->project;
    for (const auto& d : out->diagnostics) {
      std::cout << "  [" << tc.dir << "] " << d.code << " " << d.file << ":" << d.location.line << " " << d.message
                << "\n";
    }
    // Compiled files.
    const fs::path compiled = dir / "target" / "compiled" / cp.project_name();
    std::map<std::string, const Node*> by_path;
    for (const Node* n : cp.nodes_in_order()) by_path[n->compiled_path] = n;
    for (auto it = fs::recursive_directory_iterator(compiled); it != fs::recursive_directory_iterator(); ++it) {
      if (!it->is_regular_file()) continue;
      const std::string rel = absl::StrCat("target/compiled/", cp.project_name(), "/",
                                           fs::relative(it->path(), compiled).generic_string());
      auto found = by_path.find(rel);
      if (found == by_path.end()) continue;  // orphan files of nodes the project no longer has
      ++total_files;
      const std::string expected = testing::ReadFileOrEmpty(it->path());
      const Node* n = found->second;
      if (n->compiled && n->compiled_code == expected) {
        ++equal_files;
      } else {
        ADD_FAILURE() << tc.dir << ": " << rel << " differs" << (n->compiled ? "" : " (not compiled)")
                      << "\n--- dbt-core ---\n" << expected << "\n--- sqlmill ---\n" << n->compiled_code;
      }
    }
    // Manifest fields.
    auto manifest = jinja::ParseJson(testing::ReadFileOrEmpty(dir / "target" / "manifest.json"));
    ASSERT_TRUE(manifest.ok());
    const Value* nodes = manifest->dict()->FindStr("nodes");
    for (const auto& [k, v] : nodes->dict()->entries()) {
      const std::string id = k.Str();
      const std::string rtype = v.dict()->FindStr("resource_type")->Str();
      if (rtype == "operation") continue;
      // Nodes whose files the repository no longer has are not checkable.
      const std::string path = v.dict()->FindStr("original_file_path")->Str();
      if (!files->count(path)) continue;
      ++total_nodes;
      const Node* n = cp.FindNode(id);
      if (n == nullptr) {
        ADD_FAILURE() << tc.dir << ": missing node " << id;
        continue;
      }
      std::vector<std::string> problems;
      if (StrList(v.dict()->FindStr("fqn")) != n->fqn) problems.push_back("fqn");
      const Value* rel = v.dict()->FindStr("relation_name");
      const std::string want_rel = rel == nullptr || rel->is_none() ? "<null>" : rel->Str();
      if (want_rel != n->relation_name.value_or("<null>")) {
        problems.push_back(absl::StrCat("relation_name ", want_rel, " vs ", n->relation_name.value_or("<null>")));
      }
      const Value* dep = v.dict()->FindStr("depends_on");
      if (StrList(dep->dict()->FindStr("nodes")) != n->depends_on_nodes) problems.push_back("depends_on.nodes");
      if (problems.empty()) {
        ++equal_nodes;
      } else {
        std::string joined;
        for (const auto& p : problems) absl::StrAppend(&joined, p, "; ");
        ADD_FAILURE() << tc.dir << ": " << id << ": " << joined;
      }
    }
    for (const auto& [k, v] : manifest->dict()->FindStr("sources")->dict()->entries()) {
      ++total_nodes;
      bool ok = false;
      for (const auto& s : cp.project().sources) {
        if (s.unique_id == k.Str()) {
          ok = StrList(v.dict()->FindStr("fqn")) == s.fqn && v.dict()->FindStr("relation_name")->Str() == s.relation_name;
        }
      }
      if (ok) {
        ++equal_nodes;
      } else {
        ADD_FAILURE() << tc.dir << ": source " << k.Str() << " differs";
      }
    }
  }
  std::cout << "ground truth: compiled files equal " << equal_files << "/" << total_files
            << ", manifest nodes+sources equal " << equal_nodes << "/" << total_nodes << "\n";
}

}  // namespace
}  // namespace sqlmill::dbt

// dbt's node selection syntax: `name`, `+name`, `name+`, `2+name+1`, `@name`, `tag:x`,
// `path:models/staging`, `package:p`, `config.materialized:view`, `resource_type:model`,
// `source:s.t`, `fqn:a.b`, `test_type:generic`, wildcards, unions (space or several
// arguments) and intersections (comma), with --exclude; tests on selected nodes are
// selected too (dbt's eager indirect selection).
//
// Free functions; thread-safe.
//
//   auto ids = SelectNodes(nodes, graph, {"+orders", "tag:nightly"}, {"stg_legacy"});
#ifndef SQLMILL_SERVICES_DBT_COMPILER_ENGINE_SELECTOR_H_
#define SQLMILL_SERVICES_DBT_COMPILER_ENGINE_SELECTOR_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "services/dbt_compiler/engine/project.h"

namespace sqlmill::dbt {

struct SelectorGraph {
  absl::flat_hash_map<std::string, std::vector<std::string>> parents;  // unique_id → parents
};

// Returns the unique_ids selected. An empty `select` selects everything.
absl::StatusOr<absl::flat_hash_set<std::string>> SelectNodes(const std::vector<const Node*>& nodes,
                                                             const SelectorGraph& graph,
                                                             const std::vector<std::string>& select,
                                                             const std::vector<std::string>& exclude);

}  // namespace sqlmill::dbt

#endif  // SQLMILL_SERVICES_DBT_COMPILER_ENGINE_SELECTOR_H_

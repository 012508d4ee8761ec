// The dbt compiler's entry point: compiles a dbt project (given as a file map) for one
// target the way `dbt compile` does — project and package loading, dbt's Jinja context,
// configs in dbt's precedence, relation naming, the DAG, selection, ephemeral CTE
// injection — and returns every node's compiled SQL, the DAG order and diagnostics.
//
// Content problems (an unknown ref, a Jinja error, a warehouse query without a supplied
// result) are diagnostics on the failing node; other nodes still compile and the status is
// OK. A non-OK status means the request itself was unusable (no dbt_project.yml, unknown
// adapter, bad --vars, cancelled).
//
// Thread-safety: Compile() may be called from many threads at once. A CompiledProject is
// immutable once returned except through CompileOneNode(), which is internally locked.
//
//   CompileOptions options;
//   options.files = ReadDirectory(dir);
//   options.target.adapter_type = "postgres";
//   SQLMILL_ASSIGN_OR_RETURN(CompileOutput out, Compile(options));
//   for (const Node* n : out.project->nodes_in_order()) std::cout << n->compiled_code;
#ifndef SQLMILL_SERVICES_DBT_COMPILER_ENGINE_COMPILER_H_
#define SQLMILL_SERVICES_DBT_COMPILER_ENGINE_COMPILER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/base/diagnostic.h"
#include "common/base/limits.h"
#include "common/base/worker_pool.h"
#include "services/dbt_compiler/engine/parse_cache.h"
#include "services/dbt_compiler/engine/project.h"

namespace sqlmill::dbt {

struct TargetOptions {
  std::string adapter_type = "postgres";
  std::string name = "dev";
  std::string database;
  std::string schema;
  int threads = 1;
  std::map<std::string, std::string> extra;
};

// A relation the caller says exists (for is_incremental(), adapter.get_relation and
// adapter.get_columns_in_relation).
struct ExistingRelation {
  std::string database, schema, identifier;
  std::vector<std::string> column_names;
  std::vector<std::string> column_types;
};

// A warehouse query's result supplied by the caller, matched by statement name or by the
// query text (whitespace-normalized, case-insensitive).
struct QueryResult {
  std::string sql;
  std::string statement_name;
  std::vector<std::string> column_names;
  std::string rows_json;  // JSON array of arrays
};

struct CompileOptions {
  std::shared_ptr<const FileMap> files;
  TargetOptions target;
  std::string vars;  // JSON or YAML object (--vars)
  std::map<std::string, std::string> env;  // env_var() values
  std::vector<std::string> select;
  std::vector<std::string> exclude;
  bool relations_exist = false;
  std::vector<ExistingRelation> existing_relations;
  bool full_refresh = false;
  std::string invocation_id = "00000000-0000-0000-0000-000000000000";
  std::string run_started_at = "1970-01-01T00:00:00+00:00";
  std::vector<QueryResult> query_results;
  // "1.9" (default) or an older version, e.g. "1.4", for output that changed since.
  std::string dbt_version = "1.9";
  // Worker threads for the render phases when `parallel` is empty; 0 = one per core.
  int parallelism = 0;
  // Where the render phases spread their nodes (a server passes its worker pool's runner,
  // so compiles never start threads of their own); empty: `parallelism` threads.
  ParallelRunner parallel;
  // false: stop before the compile renders (load, configs, parse renders, relations, graph
  // and selection only); nodes are then compiled on demand by CompiledProject::
  // CompileOneNode — what CompileNode with changed_files needs, at a fraction of the cost.
  bool compile_nodes = true;
  Limits limits;
  const CancellationToken* cancel = nullptr;
  // Parsed templates and macro environments shared with other compiles (a service keeps
  // one); null means a private cache for this compile only.
  std::shared_ptr<ParseCache> parse_cache;
};

struct CompileStats {
  uint32_t nodes = 0;
  uint32_t nodes_compiled = 0;
  uint32_t nodes_failed = 0;
  uint32_t macros = 0;
  uint64_t compile_micros = 0;
  uint32_t cache_hits = 0;           // templates found in the parse cache
  uint32_t templates_parsed = 0;     // templates parsed by this compile
  uint32_t macro_files_parsed = 0;   // 0 when the macro environment was reused
  bool environment_reused = false;
  uint32_t parse_renders = 0;          // parse-phase (execute=false) renders run
  uint32_t parse_results_reused = 0;   // parse renders skipped: the result came from the cache
};

class Session;

// A compiled project: the nodes with their compiled code, sources, macros. Holds the Jinja
// environment so single nodes can be recompiled (CompileOneNode).
class CompiledProject {
 public:
  explicit CompiledProject(std::unique_ptr<Session> session);
  ~CompiledProject();

  const Project& project() const;
  const CompileOptions& options() const;
  std::string project_name() const;
  std::string adapter_type() const;
  // Nodes in DAG (topological) order; ties broken by unique_id.
  std::vector<const Node*> nodes_in_order() const;
  const Node* FindNode(std::string_view unique_id_or_name) const;
  const std::vector<std::string>& dag_order() const;
  std::vector<std::string> parents(const std::string& unique_id) const;

  // Recompiles one node with optional var overrides (JSON/YAML) and returns a copy of it
  // with its diagnostics. Thread-safe (serialized).
  absl::StatusOr<Node> CompileOneNode(std::string_view node, const std::string& vars,
                                      std::vector<Diagnostic>* diagnostics,
                                      const CancellationToken* cancel = nullptr);

  Session& session() { return *session_; }

 private:
  std::unique_ptr<Session> session_;
};

struct CompileOutput {
  std::shared_ptr<CompiledProject> project;
  std::vector<Diagnostic> diagnostics;  // resolved (line:column, excerpt) where possible
  CompileStats stats;
};

absl::StatusOr<CompileOutput> Compile(const CompileOptions& options);

// Writes manifest.json (dbt's v12 schema, the fields consumers read).
std::string WriteManifest(const CompiledProject& project, const CompileOptions& options);

// The compiled-file path dbt writes: target/compiled/<project>/<original path>[/<test>.sql].
std::string CompiledPath(const Node& node, std::string_view root_project);

}  // namespace sqlmill::dbt

#endif  // SQLMILL_SERVICES_DBT_COMPILER_ENGINE_COMPILER_H_

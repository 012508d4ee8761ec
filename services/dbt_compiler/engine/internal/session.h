// One compilation of one project for one target: the loaded project, the Jinja
// environment with dbt's context registered on it, the macro namespaces, the resolved
// vars, and the per-render state the context functions read (through a thread-local
// RenderState, so macros from any package see the node being rendered, as dbt's
// MacroGenerator gives them the node's context).
//
// The Jinja environment with dbt's context and the macro modules live in a
// MacroEnvironment, which a ParseCache shares between sessions whose macro files, project
// settings and request settings are equal (EnvironmentKey). The context functions
// registered on it do not hold a Session: they act on the thread's current session
// (ScopedSession), so sessions of different requests can render through one environment.
//
// Thread-safety: Setup() and the serial phases run on one thread; RenderNode() runs on
// worker threads, each with its own RenderState, reading the session's shared data. A
// MacroEnvironment is immutable once built and may be used by many sessions at once.
#ifndef SQLMILL_SERVICES_DBT_COMPILER_ENGINE_INTERNAL_SESSION_H_
#define SQLMILL_SERVICES_DBT_COMPILER_ENGINE_INTERNAL_SESSION_H_

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "common/base/diagnostic.h"
#include "services/dbt_compiler/engine/adapter.h"
#include "services/dbt_compiler/engine/compiler.h"
#include "services/dbt_compiler/engine/parse_cache.h"
#include "services/dbt_compiler/engine/project.h"
#include "services/dbt_compiler/jinja/environment.h"

namespace sqlmill::dbt {

// Returns SQL lower-cased with runs of whitespace as one space and none at the ends: how
// query results supplied in a request are matched to the queries a render runs.
std::string NormalizeSql(std::string_view sql);

// What a render in progress records and reads.
struct RenderState {
  Node* node = nullptr;
  const Package* package = nullptr;
  bool execute = false;
  // Captured at parse time.
  jinja::Value config_calls = jinja::Value::Dict();
  std::vector<RefCall> refs;
  std::vector<std::vector<std::string>> sources;
  // Captured at compile time.
  std::vector<std::string> ephemeral_refs;
  std::vector<std::string> extra_deps;  // refs not seen at parse time
  std::string warehouse_need;            // set when a query had no supplied result
  absl::flat_hash_map<std::string, jinja::Value> statement_results;
  std::vector<Diagnostic> warnings;
  jinja::Value model_dict;  // lazily built `model`
};

// Makes `state` the current thread's render state for its lifetime.
class ScopedRenderState {
 public:
  explicit ScopedRenderState(RenderState* state);
  ~ScopedRenderState();

 private:
  RenderState* saved_;
};
RenderState* CurrentRender();

class Session;

// Makes `session` the current thread's session (the one context functions act on) for its
// lifetime. Every entry point that renders (Setup, Run, RecompileNode, the render workers)
// holds one.
class ScopedSession {
 public:
  explicit ScopedSession(Session* session);
  ~ScopedSession();

 private:
  Session* saved_;
};
Session* CurrentSession();

// A handle the context functions capture instead of a Session*: it resolves to the
// thread's current session, so a shared environment serves whichever session renders.
struct SessionRef {
  Session* operator->() const { return CurrentSession(); }
};

// The environment part of a compilation: dbt's context and every macro file compiled and
// run as a module. Depends only on what EnvironmentKey hashes. Immutable after build.
struct MacroEnvironment {
  MacroEnvironment() = default;
  MacroEnvironment(const MacroEnvironment&) = delete;
  MacroEnvironment& operator=(const MacroEnvironment&) = delete;
  // Drops the macro globals: a macro holds its template, whose environment state holds the
  // globals, so they would otherwise keep each other alive.
  ~MacroEnvironment();

  // The macro `name` defined in package `pkg` only.
  jinja::Value PackageMacro(std::string_view pkg, std::string_view name) const;
  const MacroDef* FindMacroDef(std::string_view pkg, std::string_view name) const;

  uint64_t generation = 0;  // unique per build; keys this environment's model templates
  std::unique_ptr<jinja::Environment> env;
  std::vector<MacroDef> macros;
  absl::flat_hash_map<std::string, const MacroDef*> macro_defs;  // "pkg.name" → def
  // package → macro name → macro value.
  absl::flat_hash_map<std::string, absl::flat_hash_map<std::string, jinja::Value>> by_package;
  std::vector<jinja::Value> modules;         // keeps macro modules alive
  std::vector<std::string> global_names;     // names registered as env globals for macros
  absl::flat_hash_map<std::string, jinja::Value> package_contexts;  // pkg → local namespace dict
  std::vector<Diagnostic> diagnostics;       // macro-file errors, replayed into each session
  uint32_t macro_files_parsed = 0;
};

class Session {
 public:
  explicit Session(CompileOptions options);
  ~Session();

  // Loads the project, builds the Jinja environment and the macro namespaces.
  absl::Status Setup(DiagnosticSink* sink);
  // Runs all phases after Setup.
  absl::Status Run(DiagnosticSink* sink);

  // --- used by the context functions (context.cc) ---
  const CompileOptions& options() const { return options_; }
  void set_cancel(const CancellationToken* cancel) { options_.cancel = cancel; }
  const AdapterSpec& adapter() const { return *adapter_; }
  const Project& project() const { return project_; }
  Project& mutable_project() { return project_; }
  jinja::Environment& env() const { return *menv_->env; }

  // The macro `name` visible from package `pkg` without qualification (local package, root
  // project, then dbt's own), or undefined.
  jinja::Value LookupMacro(std::string_view pkg, std::string_view name) const;
  // The macro `name` defined in package `pkg` only (for `pkg.name` and dispatch).
  jinja::Value PackageMacro(std::string_view pkg, std::string_view name) const;
  const MacroDef* FindMacroDef(std::string_view pkg, std::string_view name) const;
  bool HasPackage(std::string_view name) const;
  // adapter.dispatch's search.
  absl::StatusOr<jinja::Value> Dispatch(std::string_view macro_name,
                                        std::string_view macro_namespace) const;

  absl::StatusOr<jinja::Value> Var(std::string_view name, const jinja::Value* default_value,
                                   const Package* pkg) const;
  bool HasVar(std::string_view name, const Package* pkg) const;

  // ref()/source() resolution.
  const Node* ResolveRef(const RefCall& ref, const Node* from, std::string* error) const;
  const SourceTable* ResolveSource(std::string_view source, std::string_view table) const;
  // The docs block `name` (in `package` when given; else the calling package's, the root
  // project's, then any package's), or null.
  const DocBlock* FindDoc(std::string_view package, std::string_view name, std::string_view calling_package) const;
  jinja::Value RelationFor(const Node& node) const;
  // The CTE name an ephemeral model gets (`__dbt__cte__<alias>` in dbt 1.9).
  std::string EphemeralCteName(const Node& node) const;
  jinja::Value RelationForSource(const SourceTable& source) const;
  bool RelationExists(std::string_view database, std::string_view schema,
                      std::string_view identifier) const;
  const ExistingRelation* FindExisting(std::string_view database, std::string_view schema,
                                       std::string_view identifier) const;
  const QueryResult* FindQuery(std::string_view name, std::string_view sql) const;
  // Columns of a seed, from its CSV header (types inferred), when `identifier` is a seed.
  const Node* FindNodeByRelation(std::string_view database, std::string_view schema,
                                 std::string_view identifier) const;

  jinja::Value target() const { return target_; }
  jinja::Value graph_value() const { return graph_; }
  jinja::Value NodeDict(const Node& node) const;
  const std::vector<std::string>& selected_ids() const { return selected_ids_; }
  std::string invocation_id() const { return options_.invocation_id; }
  bool dbt_legacy() const { return legacy_; }  // dbt < 1.5 output

  // Renders `node` (parse phase when !execute) and records the results on it.
  // A failure is reported to `sink` and, when `failure` is given, stored there.
  void RenderNode(Node* node, bool execute, DiagnosticSink* sink, absl::Status* failure = nullptr);
  // Compiles one node (after Run), used by CompiledProject::CompileOneNode.
  absl::Status RecompileNode(Node* node, DiagnosticSink* sink);

  const std::vector<std::string>& dag_order() const { return dag_order_; }
  const absl::flat_hash_map<std::string, std::vector<std::string>>& parent_map() const {
    return parent_map_;
  }
  Node* FindNodeById(std::string_view id) const;
  const Package* PackageOf(const Node& node) const;
  absl::Status SetVars(const std::string& vars);
  uint32_t cache_hits() const { return cache_hits_.load(); }
  uint32_t templates_parsed() const { return templates_parsed_.load(); }
  uint32_t parse_renders() const { return parse_renders_.load(); }
  uint32_t parse_results_reused() const { return parse_results_reused_.load(); }
  bool environment_reused() const { return environment_reused_; }
  uint32_t macro_files_parsed() const { return environment_reused_ ? 0 : menv_->macro_files_parsed; }
  // The key of the MacroEnvironment this session needs (after the project is loaded).
  std::string EnvironmentKey() const;

 private:
  // Builds menv_ (environment, context, macro modules) for this session's project.
  absl::Status BuildEnvironment(DiagnosticSink* sink);
  void RegisterContext();
  absl::Status LoadMacros(DiagnosticSink* sink);
  // Returns the compiled template for `source`, from the parse cache when it has it.
  absl::StatusOr<std::shared_ptr<const jinja::Template>> CachedCompile(std::string_view name, std::string_view source,
                                                                       std::string_view content_hash);
  // The parse phase for one node: applies the cached parse result when the cache has one
  // for everything the render can read (ParseResultKey), else renders and stores it.
  void ParseNode(Node* node, DiagnosticSink* sink);
  // The key of `node`'s parse result (an unambiguous encoding of everything its parse
  // render reads), or "" when it cannot be keyed (a host object in its properties). Call
  // after PrepareParseKeys().
  std::string ParseResultKey(const Node& node) const;
  // Computes the per-compile part of the parse-result keys: every node's and source's
  // relation as ref()/source() return it at parse time, the docs blocks, the request
  // settings read at call time, and the hashes of the files nodes come from.
  void PrepareParseKeys();
  void ResolveConfigs(DiagnosticSink* sink);
  // Renders the descriptions (nodes, columns, sources) that hold Jinja, i.e. doc() calls.
  void RenderDescriptions(DiagnosticSink* sink);
  void NameRelations(DiagnosticSink* sink);
  void LinkGraph(DiagnosticSink* sink);
  void Select(DiagnosticSink* sink);
  void CompileSelected(DiagnosticSink* sink);
  void CompileNodeWithEphemerals(Node* node, DiagnosticSink* sink);
  // Renders (execute=true) the ephemeral models `node` inlines that are not compiled yet,
  // and theirs, as CompileSelected would have (order is free: CTEs are assembled later).
  void CompileMissingEphemerals(const Node& node, DiagnosticSink* sink, int depth = 0);
  void BuildGraphValue();
  absl::StatusOr<std::shared_ptr<const jinja::Template>> TemplateFor(const Node& node);
  std::string CallNameMacro(std::string_view macro, const jinja::Value& custom, Node* node,
                            const std::string& fallback, DiagnosticSink* sink);
  void ParallelFor(const std::vector<Node*>& nodes,
                   const std::function<void(Node*, DiagnosticSink*)>& fn, DiagnosticSink* sink);
  void AddRenderError(const absl::Status& status, Node* node, DiagnosticSink* sink, bool parse);
  void DependsOnMacros(Node* node) const;
  // Sets the span, line:column and caret excerpt of the `fn(args...)` call in `node`'s file.
  void LocateCall(const Node& node, std::string_view fn, const std::vector<std::string>& args,
                  Diagnostic* d) const;

  CompileOptions options_;
  const AdapterSpec* adapter_ = nullptr;
  bool legacy_ = false;
  Project project_;
  std::shared_ptr<ParseCache> cache_;
  std::shared_ptr<MacroEnvironment> menv_;
  bool environment_reused_ = false;
  std::string environment_key_;
  std::string parse_world_key_;  // PrepareParseKeys()
  absl::flat_hash_map<std::string, std::string> file_hashes_;  // file key → SHA-256
  jinja::Value cli_vars_ = jinja::Value::Dict();
  jinja::Value target_;
  jinja::Value graph_ = jinja::Value::Dict();
  jinja::Value empty_graph_;
  absl::flat_hash_map<std::string, Node*> node_by_id_;
  // (package, name) → node for ref lookup; models, seeds, snapshots, analyses.
  absl::flat_hash_map<std::string, std::vector<Node*>> nodes_by_name_;
  absl::flat_hash_map<std::string, const SourceTable*> source_by_name_;  // "src.table"
  std::vector<std::string> dag_order_;
  absl::flat_hash_map<std::string, std::vector<std::string>> parent_map_;
  std::vector<std::string> selected_ids_;
  std::atomic<uint32_t> cache_hits_{0};
  std::atomic<uint32_t> templates_parsed_{0};
  std::atomic<uint32_t> parse_renders_{0};
  std::atomic<uint32_t> parse_results_reused_{0};
  std::mutex ephemeral_mu_;
  friend class CompiledProject;
};

// Registers dbt's built-in macros (embedded Jinja source) as the package "dbt".
std::vector<MacroFile> BuiltinMacroFiles();

}  // namespace sqlmill::dbt

#endif  // SQLMILL_SERVICES_DBT_COMPILER_ENGINE_INTERNAL_SESSION_H_

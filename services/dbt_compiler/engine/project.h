// The parsed shape of a dbt project: its packages (the root project and each installed
// package under dbt_packages/), macro files, nodes (models, seeds, snapshots, analyses,
// singular and generic tests) and sources, as the loader (loader.cc) discovers them from an
// in-memory file map. The compiler fills in configs, relation names, dependencies and the
// compiled code.
//
// Plain data; not thread-safe to mutate. During the parallel render phases each worker
// writes only the Node it renders.
#ifndef SQLMILL_SERVICES_DBT_COMPILER_ENGINE_PROJECT_H_
#define SQLMILL_SERVICES_DBT_COMPILER_ENGINE_PROJECT_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "common/base/diagnostic.h"
#include "services/dbt_compiler/jinja/value.h"

namespace sqlmill::dbt {

// path (relative to the project root, '/'-separated) → file bytes.
using FileMap = std::map<std::string, std::string>;

// One dbt project: the root or an installed package.
struct Package {
  std::string name;  // the `name:` of its dbt_project.yml
  std::string root;  // "" for the root project, else "dbt_packages/<dir>/"
  bool is_root = false;
  std::vector<std::string> model_paths{"models"};
  std::vector<std::string> seed_paths{"seeds"};
  std::vector<std::string> snapshot_paths{"snapshots"};
  std::vector<std::string> analysis_paths{"analyses"};
  std::vector<std::string> test_paths{"tests"};
  std::vector<std::string> macro_paths{"macros"};
  std::vector<std::string> docs_paths;
  jinja::Value vars = jinja::Value::Dict();        // its `vars:` block as written
  jinja::Value models = jinja::Value::Dict();      // its `models:` block
  jinja::Value seeds = jinja::Value::Dict();
  jinja::Value snapshots = jinja::Value::Dict();
  jinja::Value tests = jinja::Value::Dict();       // `tests:` / `data_tests:`
  jinja::Value analyses = jinja::Value::Dict();
  jinja::Value sources = jinja::Value::Dict();
  jinja::Value dispatch = jinja::Value::List();    // [{macro_namespace, search_order}]
  jinja::Value quoting = jinja::Value::Dict();
};

enum class ResourceType { kModel, kSeed, kSnapshot, kAnalysis, kTest };
const char* ResourceTypeName(ResourceType type);

struct RefCall {
  std::string name;
  std::string package;  // empty: unqualified
  std::string version;  // empty: none
  bool operator==(const RefCall&) const = default;
};

// A generic test's call: which macro, with which arguments, on which node.
struct GenericTest {
  std::string test_name;        // not_null, accepted_values, expect_...
  std::string namespace_name;   // package prefix (dbt_utils), or empty
  jinja::Value kwargs = jinja::Value::Dict();  // as test_metadata.kwargs, incl. column_name, model
  std::string column_name;
  std::string file_key_name;    // models.<name> or sources.<source>
  std::string attached_node;    // unique_id of the model/seed/snapshot, empty for sources
};

struct Node {
  ResourceType type = ResourceType::kModel;
  std::string unique_id;
  std::string name;
  std::string package_name;
  std::string path;                // relative to its resource directory
  std::string original_file_path;  // relative to its package root
  std::string file_key;            // the FileMap key
  std::vector<std::string> fqn;
  std::string raw_code;            // stripped, '\n' line ends
  std::string checksum;            // sha256 hex of raw_code ("" for generic tests)
  std::string language = "sql";
  std::optional<std::string> version;

  // Config: the project-level hierarchy and YAML merged first, then the file's config().
  jinja::Value config = jinja::Value::Dict();
  jinja::Value unrendered_config = jinja::Value::Dict();
  std::string description;
  jinja::Value columns = jinja::Value::Dict();
  jinja::Value meta = jinja::Value::Dict();
  std::string patch_path;

  std::string database, schema, alias;
  std::optional<std::string> relation_name;

  std::vector<RefCall> refs;
  std::vector<std::vector<std::string>> sources;  // [source_name, table_name]
  std::vector<std::string> depends_on_nodes;
  std::vector<std::string> depends_on_macros;
  std::vector<std::string> hint_refs;  // unused placeholder for -- depends_on hints

  std::optional<GenericTest> test;
  std::string snapshot_macro;  // for snapshots: the macro the {% snapshot %} block defined

  // Compile results.
  bool parsed_ok = true;
  bool compiled = false;
  bool selected = true;
  std::string compiled_code;
  std::string compiled_path;  // target/compiled/<project>/<path>
  std::vector<std::string> ephemeral_deps;  // unique_ids of ephemerals referenced at compile
};

struct SourceTable {
  std::string unique_id;
  std::string source_name;
  std::string name;
  std::string identifier;
  std::string database, schema;
  std::string package_name;
  std::string path, original_file_path;
  std::vector<std::string> fqn;
  std::string relation_name;
  std::string description, source_description, loader, loaded_at_field;
  jinja::Value quoting = jinja::Value::Dict();
  jinja::Value columns = jinja::Value::Dict();
  jinja::Value meta = jinja::Value::Dict();
  jinja::Value source_meta = jinja::Value::Dict();
  jinja::Value tags = jinja::Value::List();
  jinja::Value freshness;
  jinja::Value external;
  bool enabled = true;
};

struct MacroDef {
  std::string unique_id;  // macro.<package>.<name>
  std::string name;
  std::string package_name;
  std::string original_file_path;
  std::string macro_sql;  // the macro's own text
  std::string file_key;
};

struct MacroFile {
  std::string package_name;
  std::string file_key;            // FileMap key (or "<builtin>/…" for dbt's own)
  std::string original_file_path;  // relative to the package root
  std::string source;
};

// A `{% docs name %}...{% enddocs %}` block from a .md file in a docs path.
struct DocBlock {
  std::string unique_id;  // doc.<package>.<name>
  std::string name;
  std::string package_name;
  std::string path;                // relative to its docs directory
  std::string original_file_path;  // relative to the package root
  std::string file_key;
  std::string block_contents;      // stripped, as dbt stores it
};

// Everything the loader found, before compiling.
struct Project {
  std::vector<Package> packages;  // [0] is the root
  std::vector<MacroFile> macro_files;
  std::vector<MacroDef> macros;
  std::vector<std::unique_ptr<Node>> nodes;
  std::vector<SourceTable> sources;
  std::vector<DocBlock> docs;
  // Files the loader could not use, with why (as diagnostics).
  const Package& root() const { return packages[0]; }
  const Package* FindPackage(std::string_view name) const;
};

}  // namespace sqlmill::dbt

#endif  // SQLMILL_SERVICES_DBT_COMPILER_ENGINE_PROJECT_H_

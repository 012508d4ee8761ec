// The migration scaffold: a SQL Server catalog becomes the dbt project that rebuilds it on
// a warehouse — sources, typed staging models and tests derived from the schema — with
// every loss named in a migration report.
//
// What is generated (paths relative to the project root):
//   dbt_project.yml                     name, profile, paths, staging as views, +schema
//   packages.yml                        only when a generated test needs dbt_utils
//   models/staging/<src>/_<src>__sources.yml   one source per SQL Server schema (dbt-codegen
//                                       layout: version 2, sources → tables → columns with
//                                       data_type, description from MS_Description,
//                                       loaded_at_field where a modified-date column is obvious)
//   models/staging/<src>/stg_<src>__<table>.sql  dbt-codegen's base-model shape, every column
//                                       cast to the type the target profile maps it to and
//                                       renamed to snake_case; a SQL comment on every lossy or
//                                       unsupported mapping
//   models/staging/<src>/_<src>__models.yml      descriptions and tests from keys, NOT NULL,
//                                       foreign keys and simple CHECK (col IN (...)) constraints
//   tests/generic/*.sql                 the generic tests the models use when packages are off
//   migration_report.json               per table and column: source type, target type, loss
//                                       class and why, names changed, tests, the validator's
//                                       findings for the target with file:line:column
//
// The type map is the validator's target profile (services/schema_validator/targets/*.yaml):
// the scaffold and `sqlmill validate` never disagree on a type.
//
// Thread-safety: Scaffold is reentrant.
//
//   ScaffoldOptions options;
//   options.target = "snowflake";
//   SQLMILL_ASSIGN_OR_RETURN(ScaffoldOutput out, Scaffold(catalog, options));
//   for (const ScaffoldFile& f : out.files) Write(dir / f.path, f.content);
#ifndef SQLMILL_SERVICES_DBT_COMPILER_SCAFFOLD_SCAFFOLD_H_
#define SQLMILL_SERVICES_DBT_COMPILER_SCAFFOLD_SCAFFOLD_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/base/diagnostic.h"
#include "common/base/limits.h"
#include "services/schema_validator/engine/config.h"
#include "services/schema_validator/engine/report.h"
#include "services/schema_validator/engine/target_profile.h"
#include "services/sql_parser/engine/catalog.h"

namespace sqlmill::dbt {

struct ScaffoldOptions {
  // The warehouse: snowflake, bigquery, postgres, redshift, databricks (any profile of
  // `targets` except sqlserver). An unknown name is INVALID_ARGUMENT naming the known ones.
  std::string target;
  const validator::TargetRegistry* targets = nullptr;  // null: the built-in profiles
  // The dbt project and profile name; empty: the database's name in snake_case (or
  // "migration" when the catalog has several or none).
  std::string project_name;
  std::string profile_name;  // empty: project_name
  // Only these databases / schemas (case-insensitive); empty: all.
  std::vector<std::string> databases;
  std::vector<std::string> schemas;
  // Keep SQL Server's column and table names instead of snake_case (quoted where the target
  // needs it).
  bool keep_names = false;
  bool tests = true;          // false: no tests in the models files
  // true: composite-key tests use dbt_utils.unique_combination_of_columns (packages.yml is
  // written); false: the generic test in tests/generic/.
  bool use_packages = false;
  // The warehouse database the landed raw tables are in (`database:` of every source);
  // empty: left out, so dbt uses the target's database.
  std::string source_database;
  // The landed schema of a SQL Server schema: "{schema}" (default) or a pattern with
  // {database} and {schema}, e.g. "raw_{database}_{schema}".
  std::string source_schema_pattern = "{schema}";
  // true: the loader kept SQL Server's exact case, so every source identifier is quoted;
  // false: plain names are written unquoted (they fold the way the loader folded them).
  bool quote_source_identifiers = false;
  // Validator findings for the target go into the report; `rules` configures them and
  // `fail_threshold` decides `passed`.
  bool validate = true;
  validator::RuleConfig rules;
  Severity fail_threshold = Severity::kError;
  std::map<std::string, std::string> sources;  // source texts by file, for suppressions
  Limits limits;
  const CancellationToken* cancel = nullptr;
};

struct ScaffoldFile {
  std::string path;
  std::string content;
};

// What a name became and why (only changed names are listed).
struct ScaffoldRename {
  std::string kind;      // "model", "column", "source"
  std::string object;    // db.schema.table[.column] of the SQL Server object
  std::string original;  // the SQL Server name (or the plain rename it started from)
  std::string name;      // the name in the project
  std::string reason;
};

struct ScaffoldTest {
  std::string name;  // unique, not_null, accepted_values, relationships, unique_combination_of_columns, ...
  std::vector<std::string> columns;     // model column names
  std::string constraint;               // the SQL Server constraint (or "NOT NULL")
  std::string to_model;                 // relationships: the referenced staging model
  std::vector<std::string> to_columns;  // its columns
  std::vector<std::string> values;      // accepted_values
  bool quote_values = true;
  std::string severity = "error";  // "warn" for constraints SQL Server does not trust
};

struct ScaffoldColumn {
  std::string name;         // SQL Server
  std::string model_name;   // in the staging model
  std::string source_type;  // SQL Server type as written (alias types resolved in base_type)
  std::string base_type;    // the built-in type it maps from
  std::string target_type;  // "" when no cast is written
  std::string loss = "none";  // none, precision, range, semantics, unsupported
  std::string why;
  std::string suggestion;
  bool nullable = true;
  validator::LocatedSpan location;
};

struct ScaffoldTable {
  std::string database, schema, name;
  std::string source_name;   // the dbt source
  std::string model_name;    // stg_<source>__<table>
  std::string model_path;
  std::string loaded_at_field;
  validator::LocatedSpan location;
  std::vector<ScaffoldColumn> columns;
  std::vector<ScaffoldTest> tests;
  std::vector<std::string> notes;  // keys and constraints not turned into tests, and why
  std::vector<validator::Finding> findings;  // the validator's, for this table and its parts
};

// Objects the scaffold does not turn into models (views, routines, ...), for the report.
struct ScaffoldSkipped {
  std::string kind;
  std::string object;
  std::string reason;
  validator::LocatedSpan location;
};

struct ScaffoldSummary {
  uint32_t sources = 0;
  uint32_t tables = 0;
  uint32_t columns = 0;
  std::map<std::string, uint32_t> columns_by_loss;  // loss class → columns (none included)
  uint32_t tests = 0;
  std::map<std::string, uint32_t> tests_by_name;
  uint32_t renames = 0;
  uint32_t skipped = 0;
  uint32_t findings = 0;
};

struct ScaffoldReport {
  std::string target;
  std::string target_display_name;
  std::string project_name;
  std::vector<ScaffoldTable> tables;
  std::vector<ScaffoldRename> renames;
  std::vector<ScaffoldSkipped> skipped;
  std::vector<validator::Finding> other_findings;  // findings on objects that are not tables
  ScaffoldSummary summary;
  bool passed = true;  // no validator finding at least as severe as the threshold
  Severity fail_threshold = Severity::kError;
};

struct ScaffoldOutput {
  std::vector<ScaffoldFile> files;  // sorted by path; migration_report.json included
  ScaffoldReport report;
  std::vector<Diagnostic> diagnostics;  // what could not be scaffolded as asked (warnings)
};

absl::StatusOr<ScaffoldOutput> Scaffold(const tsql::Catalog& catalog, const ScaffoldOptions& options);

// migration_report.json: deterministic (the same catalog and options give the same bytes).
std::string ScaffoldReportJson(const ScaffoldReport& report);

// The dbt adapter type for a target profile name ("snowflake" → "snowflake").
std::string DbtAdapterForTarget(std::string_view target);

// The file in the project root that lists what the scaffold generated, one path a line, so
// a rerun replaces (and removes) only those files and never touches files a user added.
inline constexpr char kScaffoldManifestFile[] = ".sqlmill-scaffold";

}  // namespace sqlmill::dbt

#endif  // SQLMILL_SERVICES_DBT_COMPILER_SCAFFOLD_SCAFFOLD_H_

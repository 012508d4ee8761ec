// Test helpers for the scaffold: read SQL folders the way `sqlmill migrate` does, parse
// them in-process, scaffold, and compile what was generated.
//
// Test-only. Not thread-safe across calls that write goldens.
#ifndef SQLMILL_SERVICES_DBT_COMPILER_SCAFFOLD_TESTING_SCAFFOLD_FIXTURE_H_
#define SQLMILL_SERVICES_DBT_COMPILER_SCAFFOLD_TESTING_SCAFFOLD_FIXTURE_H_

#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/dbt_compiler/engine/compiler.h"
#include "services/dbt_compiler/scaffold/scaffold.h"
#include "services/schema_validator/engine/sql_input.h"

namespace sqlmill::dbt::testing {

inline constexpr const char* kWarehouseTargets[] = {"snowflake", "bigquery", "postgres", "redshift", "databricks"};

// A file, or every *.sql file under a folder (recursively, sorted by relative path; names
// relative to the folder's parent so goldens do not depend on the checkout's location).
std::vector<validator::SqlFile> ReadSql(const std::filesystem::path& path);

// Parses and scaffolds; `parse_errors` receives the parser's error diagnostics.
absl::StatusOr<ScaffoldOutput> ScaffoldSql(const std::vector<validator::SqlFile>& files, ScaffoldOptions options,
                                           tsql::Catalog* catalog = nullptr,
                                           std::vector<Diagnostic>* parse_errors = nullptr);

// Compiles the scaffold's files for the target's adapter.
absl::StatusOr<CompileOutput> CompileScaffold(const ScaffoldOutput& out, const std::string& target);

// "=== path ===\ncontent" for every file, in path order.
std::string DumpFiles(const ScaffoldOutput& out);

}  // namespace sqlmill::dbt::testing

#endif  // SQLMILL_SERVICES_DBT_COMPILER_SCAFFOLD_TESTING_SCAFFOLD_FIXTURE_H_

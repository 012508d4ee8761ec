// The scaffold's plan: the report structures (scaffold.h) plus what rendering needs that
// the report does not show — the catalog objects, SQL spellings and profile. Built by
// BuildPlan (scaffold.cc), written out by the Render* functions (render.cc).
#ifndef SQLMILL_SERVICES_DBT_COMPILER_SCAFFOLD_INTERNAL_PLAN_H_
#define SQLMILL_SERVICES_DBT_COMPILER_SCAFFOLD_INTERNAL_PLAN_H_

#include <string>
#include <vector>

#include "services/dbt_compiler/scaffold/scaffold.h"

namespace sqlmill::dbt::scaffold_internal {

struct ColumnPlan {
  std::string source_ref;   // the landed column as the SQL writes it (quoted if needed)
  std::string alias_sql;    // the model column as the SQL writes it
  bool alias_quoted = false;
  std::string comment;      // the SQL comment on a lossy or unsupported mapping
  std::string description;  // MS_Description
  std::vector<size_t> tests;  // indexes into the table's report tests (column-level ones)
};

struct TablePlan {
  const tsql::Table* table = nullptr;
  std::string source_identifier;  // the table name as the source lists it
  bool quote_identifier = false;  // the table-level `quoting: identifier`
  std::string description;
  std::vector<ColumnPlan> columns;  // parallel to report.columns
  std::vector<size_t> model_tests;  // indexes into report.tests (model-level ones)
};

struct SourcePlan {
  std::string name;        // the dbt source name
  std::string database;    // SQL Server
  std::string schema;      // SQL Server
  std::string landed_schema;
  bool quote_schema = false;
  std::string description;
  std::vector<size_t> tables;  // indexes into Plan::tables / report.tables
};

struct Plan {
  const validator::TargetProfile* profile = nullptr;
  std::string project_name;
  std::string profile_name;
  std::vector<SourcePlan> sources;
  std::vector<TablePlan> tables;
  bool needs_dbt_utils = false;
  bool needs_unique_combination = false;   // tests/generic/unique_combination_of_columns.sql
  bool needs_composite_relationships = false;
};

// The files of the project (without migration_report.json), sorted by path.
std::vector<ScaffoldFile> RenderProject(const Plan& plan, const ScaffoldReport& report,
                                        const ScaffoldOptions& options);

// Text made safe for dbt's Jinja rendering: unchanged unless it contains "{{", "{%" or
// "{#", else a Jinja string expression that prints it.
std::string JinjaSafe(std::string_view text);
// A YAML scalar: plain when that reads back as the same string, else double-quoted.
std::string YamlScalar(std::string_view text);

}  // namespace sqlmill::dbt::scaffold_internal

#endif  // SQLMILL_SERVICES_DBT_COMPILER_SCAFFOLD_INTERNAL_PLAN_H_

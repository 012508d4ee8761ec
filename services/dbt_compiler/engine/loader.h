// Finds everything a dbt project contains in an in-memory file map: the root project's and
// each installed package's dbt_project.yml, macro files, models, seeds, snapshots,
// analyses, singular tests, YAML property files (model/seed/snapshot/analysis properties,
// sources) and the generic tests they declare, named as dbt names them
// (`test.<project>.not_null_orders_id.<md5 suffix>`).
//
// Problems with one file (bad YAML, a duplicate name) become diagnostics and the rest of the
// project still loads; a missing or unreadable root dbt_project.yml is an error status.
// Free functions; thread-safe.
//
//   DiagnosticSink sink;
//   SQLMILL_ASSIGN_OR_RETURN(Project project, LoadProject(files, &sink));
#ifndef SQLMILL_SERVICES_DBT_COMPILER_ENGINE_LOADER_H_
#define SQLMILL_SERVICES_DBT_COMPILER_ENGINE_LOADER_H_

#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "common/base/diagnostic.h"
#include "services/dbt_compiler/engine/project.h"

namespace sqlmill::dbt {

absl::StatusOr<Project> LoadProject(const FileMap& files, DiagnosticSink* sink);

// Normalizes a source file as dbt does before parsing it: '\r\n' → '\n', then strips
// leading and trailing whitespace.
std::string NormalizeSource(std::string_view text);

// dbt's names for a generic test: {short name (≤ 63 chars, used for the alias and file),
// full name (used in unique_id and fqn)}.
std::pair<std::string, std::string> GenericTestNames(std::string_view identifier,
                                                     const jinja::Value& args);
// The 10-character suffix of a generic test's unique_id.
std::string GenericTestHash(std::string_view full_name, const GenericTest& test);
// The metadata dict dbt hashes and writes as test_metadata ({name, kwargs, namespace}).
jinja::Value TestMetadata(const GenericTest& test);

}  // namespace sqlmill::dbt

#endif  // SQLMILL_SERVICES_DBT_COMPILER_ENGINE_LOADER_H_

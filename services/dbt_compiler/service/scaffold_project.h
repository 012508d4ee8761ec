// ScaffoldProject behind the RPC, usable without gRPC (`sqlmill migrate` calls it
// in-process): the request's schema is loaded (a catalog, or T-SQL parsed through the
// loader), the scaffold engine writes the project and the report, and the project is
// compiled with the dbt compiler for the target's adapter to check what was written.
//
// Thread-safety: reentrant.
#ifndef SQLMILL_SERVICES_DBT_COMPILER_SERVICE_SCAFFOLD_PROJECT_H_
#define SQLMILL_SERVICES_DBT_COMPILER_SERVICE_SCAFFOLD_PROJECT_H_

#include "absl/status/statusor.h"
#include "common/base/limits.h"
#include "common/base/worker_pool.h"
#include "services/schema_validator/engine/sql_input.h"
#include "sqlmill/v1/dbt_compiler.pb.h"

namespace sqlmill::dbt {

struct ScaffoldServiceOptions {
  Limits limits;
  validator::SqlSchemaLoader sql_loader;  // null: SQL input is UNIMPLEMENTED (send a catalog)
  ParallelRunner parallel;                // where the compile check spreads its renders
};

absl::StatusOr<v1::ScaffoldProjectResponse> RunScaffoldProject(const v1::ScaffoldProjectRequest& request,
                                                               const ScaffoldServiceOptions& options,
                                                               const CancellationToken* cancel);

}  // namespace sqlmill::dbt

#endif  // SQLMILL_SERVICES_DBT_COMPILER_SERVICE_SCAFFOLD_PROJECT_H_

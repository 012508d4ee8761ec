// Simple stand-ins for dbt's context (ref, source, config, var, target, adapter.dispatch,
// return, the materialization/test/docs/snapshot block tags, ...) used by the differential
// harness driver and the benchmark. tests/jinja_differential/run.py defines the same on the
// Python side; keep the two identical. Not part of the engine library.
//
// Thread-safety: InstallDbtStandins configures an Environment (call before sharing it).
#ifndef SQLMILL_SERVICES_DBT_COMPILER_JINJA_TOOLS_DBT_STANDINS_H_
#define SQLMILL_SERVICES_DBT_COMPILER_JINJA_TOOLS_DBT_STANDINS_H_

#include "services/dbt_compiler/jinja/environment.h"

namespace sqlmill::jinja {

void InstallDbtStandins(Environment* env);

}  // namespace sqlmill::jinja

#endif  // SQLMILL_SERVICES_DBT_COMPILER_JINJA_TOOLS_DBT_STANDINS_H_

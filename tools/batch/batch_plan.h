// The plan of a `sqlmill batch` run: which units (databases) an estate has, what each one
// reads, and which of them a shard does.
//
// An estate is a folder whose subfolders are the units (each unit: every *.sql file under
// it, recursively, in path order) or a manifest file: YAML (`units:` list, or a top-level
// list) or JSON lines (one object a line), each entry
//   {name: pubs, paths: [pubs/instpubs.sql, ...], targets: [snowflake], vars: {DatabaseName: Pubs}}
// with paths relative to the manifest's folder (files or folders), targets optional (the
// command line's by default) and vars the sqlcmd variables.
//
// Sharding is deterministic and balanced by size: units sorted by total bytes (largest
// first, then by name) go one by one to the shard with the fewest bytes so far (the lowest
// index on ties), so N shards together do each unit exactly once.
//
// Thread-safety: pure functions over plain data.
#ifndef SQLMILL_TOOLS_BATCH_BATCH_PLAN_H_
#define SQLMILL_TOOLS_BATCH_BATCH_PLAN_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace sqlmill::batch {

struct Unit {
  std::string name;                // the output folder's name
  std::vector<std::string> files;  // the .sql files, in the order they are parsed
  // Their names in diagnostics and reports: relative to the estate folder (or the
  // manifest's folder), so outputs do not depend on where the estate is mounted.
  std::vector<std::string> names;
  std::vector<std::string> targets;  // empty: the run's --target list
  std::map<std::string, std::string> vars;
  uint64_t bytes = 0;
  std::string origin;  // where it was defined: "manifest.yaml:3", or the estate folder
};

// Reads an estate (folder or manifest). INVALID_ARGUMENT naming the file (and line for
// manifests) when it is unusable: no units, a unit without .sql files, a bad or duplicate
// name, a path that does not exist.
absl::StatusOr<std::vector<Unit>> DiscoverUnits(const std::string& input);

// The units of shard `index` of `count` (0 <= index < count), in name order.
std::vector<Unit> ShardUnits(const std::vector<Unit>& units, int index, int count);

// True for names usable as one path component: not empty, no '/', '\\' or NUL, not
// starting with '.'.
bool IsSafeUnitName(const std::string& name);

}  // namespace sqlmill::batch

#endif  // SQLMILL_TOOLS_BATCH_BATCH_PLAN_H_

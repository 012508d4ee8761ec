// Glob patterns over dotted object paths, for ignore lists: `*` matches within one path
// segment (no '.'), `**` matches across segments, `?` matches one character; matching is
// ASCII case-insensitive, as SQL Server names are.
//
// Stateless functions; thread-safe.
//
//   GlobMatch("dbo.audit_*", "dbo.audit_log")          // true
//   IgnorePatternMatches("dbo.audit_*", "Sales.dbo.audit_log.id")  // true: a table's parts too
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_GLOB_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_GLOB_H_

#include <string_view>

namespace sqlmill::validator {

// Returns true when the whole text matches the pattern.
bool GlobMatch(std::string_view pattern, std::string_view text);

// Returns true when the pattern matches the object path, one of its dotted prefixes (so a
// table pattern covers the table's columns, constraints and indexes), or the same with the
// leading database part removed (so "dbo.t" matches "Sales.dbo.t").
bool IgnorePatternMatches(std::string_view pattern, std::string_view object_path);

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_GLOB_H_

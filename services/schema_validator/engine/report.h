// The validator's output as plain data: findings, the summary, pass/fail, and (for Diff)
// the classified list of schema changes. The service adapter converts these to
// sqlmill.v1 messages; the renderers (report_render.h) print them as text, SARIF or JUnit.
//
// Ownership: plain value types. Thread-safety: as for any value type.
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_REPORT_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_REPORT_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/diagnostic.h"
#include "common/base/source_span.h"

namespace sqlmill::validator {

// A span resolved to its file name and 1-based line:column (line 0 when unknown).
struct LocatedSpan {
  std::string file;
  SourceSpan span;
  Location begin;
  Location end;
  bool known() const { return begin.line > 0; }
  bool operator==(const LocatedSpan&) const = default;
};

enum class RuleCategory { kIntegrity, kDesign, kNaming, kCompatibility, kChange, kCustom };
// Returns "integrity", "design", "naming", "compatibility", "change" or "custom".
const char* CategoryName(RuleCategory category);

struct RuleParameter {
  std::string name;
  std::string doc;
  std::string default_value;
};

// What ListRules shows and what configuration is checked against.
struct RuleInfo {
  std::string id;  // stable kebab-case id, used in configuration and suppressions
  RuleCategory category = RuleCategory::kDesign;
  std::string summary;  // one line
  std::string doc;      // what it checks, why it matters, how to fix
  Severity default_severity = Severity::kWarning;
  bool enabled_by_default = true;
  bool needs_target = false;  // runs only when a target platform is named
  std::vector<RuleParameter> parameters;
};

struct Finding {
  std::string rule_id;
  Severity severity = Severity::kWarning;
  std::string object_path;  // db.schema.table.column (the database part left out when empty)
  std::string object_kind;  // table, column, view, index, constraint, procedure, ...
  std::string message;      // what was found and what was expected
  std::string suggestion;   // how to fix it
  LocatedSpan location;
};

struct Summary {
  uint32_t errors = 0;
  uint32_t warnings = 0;
  uint32_t infos = 0;
  uint32_t hints = 0;
  std::map<std::string, uint32_t> by_rule;
  uint32_t objects_checked = 0;
  uint32_t suppressed = 0;  // findings dropped by ignore lists and inline suppressions
};

struct ValidationReport {
  std::vector<Finding> findings;  // sorted by file, position, rule id, object path
  Summary summary;
  Severity fail_threshold = Severity::kError;
  bool passed = true;  // no finding at least as severe as fail_threshold
  std::string target;  // the target platform checked against ("" for none)
  std::vector<RuleInfo> rules_run;  // the enabled rules, with their effective severity
  std::vector<Diagnostic> diagnostics;  // problems reading SQL input (parse errors)
};

enum class ChangeKind { kAdded, kDropped, kModified, kRenamed };
// Atlas-style classification of a change's risk.
enum class ChangeClass { kSafe, kDestructive, kBackwardIncompatible, kDataDependent, kConstraint };
const char* ChangeKindName(ChangeKind kind);    // "added", "dropped", ...
const char* ChangeClassName(ChangeClass cls);   // "safe", "destructive", ...

struct SchemaChange {
  ChangeKind kind = ChangeKind::kModified;
  ChangeClass classification = ChangeClass::kSafe;
  std::string object_kind;
  std::string object_path;
  std::string detail;  // "nvarchar(100) → nvarchar(50)"
  LocatedSpan old_span;
  LocatedSpan new_span;
};

struct DiffReport {
  std::vector<SchemaChange> changes;
  ValidationReport report;  // findings raised by the change rules
};

// Returns true when `severity` is at least as severe as `threshold`.
inline bool AtLeast(Severity severity, Severity threshold) {
  return static_cast<int>(severity) <= static_cast<int>(threshold);
}

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_REPORT_H_

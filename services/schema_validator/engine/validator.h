// The schema validator's entry points: Validate (a catalog against the rule set and a
// target platform) and ListRules. Diff lives in diff.h; renderers in report_render.h.
//
// Thread-safety: Validate is reentrant; the registries it reads are immutable. Many
// validations may run at once on different threads.
//
//   ValidateOptions options;
//   options.target = "snowflake";
//   SQLMILL_ASSIGN_OR_RETURN(options.config, ParseRuleConfigYaml(yaml, "rules.yml"));
//   SQLMILL_ASSIGN_OR_RETURN(ValidationReport report, Validate(catalog, options));
//   if (!report.passed) std::cout << RenderText(report);
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_VALIDATOR_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_VALIDATOR_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/base/limits.h"
#include "common/base/worker_pool.h"
#include "services/schema_validator/engine/config.h"
#include "services/schema_validator/engine/report.h"
#include "services/schema_validator/engine/rule.h"
#include "services/schema_validator/engine/target_profile.h"
#include "services/sql_parser/engine/catalog.h"

namespace sqlmill::validator {

struct ValidateOptions {
  // postgres, snowflake, bigquery, redshift, databricks, sqlserver, or any profile of
  // `targets`; empty runs no target-compatibility rules. An unknown name is INVALID_ARGUMENT.
  std::string target;
  RuleConfig config;
  Severity fail_threshold = Severity::kError;
  // Source texts by file name (as in Catalog::files), for inline suppressions.
  std::map<std::string, std::string> sources;
  const TargetRegistry* targets = nullptr;  // null: BuiltinTargets()
  const RuleRegistry* rules = nullptr;      // null: RuleRegistry::Builtin()
  const CancellationToken* cancel = nullptr;
  // max_work_units bounds the objects × rules visited (0 = unlimited).
  Limits limits;
  // Threads walking the catalog, the rules split between them (each rule instance stays on
  // one thread; results do not depend on the count). The default is one: on 2 cores a second
  // lane gained nothing and lost at 30,000 tables (bench/RESULTS.md), and a server already
  // runs requests side by side. Values below 1 count as 1.
  int threads = 1;
  // Where lanes beyond the first run (a server passes its worker pool's runner); empty:
  // a thread per extra lane.
  ParallelRunner parallel;
};

// Validates a catalog. Findings are data in the OK result; non-OK only for a bad
// configuration or target (INVALID_ARGUMENT naming file:line), a limit
// (RESOURCE_EXHAUSTED) or cancellation (CANCELLED / DEADLINE_EXCEEDED).
absl::StatusOr<ValidationReport> Validate(const tsql::Catalog& catalog,
                                          const ValidateOptions& options);

// A prepared set of rule instances for one run (shared by Validate and Diff).
struct PreparedRule {
  RuleInfo info;  // default_severity holds the effective severity
  bool severity_configured = false;
  std::unique_ptr<Rule> rule;
};
struct PreparedRules {
  std::vector<PreparedRule> rules;
  const TargetProfile* target = nullptr;
};

enum class RulePhase { kValidate, kDiff };

// Checks the configuration against the registry and creates the enabled rules of a phase.
absl::StatusOr<PreparedRules> PrepareRules(const RuleConfig& config, const RuleRegistry& registry,
                                           const TargetProfile* target, RulePhase phase);

// Applies ignore lists and inline suppressions, sorts the findings and fills the summary
// and pass/fail. `report->findings` holds the raw findings on entry.
void FinishReport(const RuleConfig& config, const std::map<std::string, std::string>& sources,
                  ValidationReport* report);

// Returns the target profile for a name ("" → null); INVALID_ARGUMENT naming the known
// targets when it is unknown.
absl::StatusOr<const TargetProfile*> ResolveTarget(std::string_view name,
                                                   const TargetRegistry* targets);

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_VALIDATOR_H_

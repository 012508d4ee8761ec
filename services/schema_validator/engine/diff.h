// Diff: the changes between two catalogs (yesterday's schema and today's), each classified
// the way Atlas's migrate-lint analyzers do — destructive (data is lost), backward-
// incompatible (readers or writers of the old schema break), data-dependent (may fail
// depending on the rows present), constraint/index changes, or safe — plus findings from
// the change rules (change-destructive, change-backward-incompatible, change-data-dependent,
// change-constraint), filtered by the same configuration as Validate.
//
// Objects match by name (case-insensitive). A dropped and an added table of one schema
// with identical columns, or a dropped and an added column of one table with the same type
// at the same position, are reported as one rename.
//
// Thread-safety: reentrant; see validator.h.
//
//   DiffOptions options;
//   SQLMILL_ASSIGN_OR_RETURN(DiffReport diff, Diff(old_catalog, new_catalog, options));
//   for (const SchemaChange& c : diff.changes) ...
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_DIFF_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_DIFF_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "common/base/limits.h"
#include "services/schema_validator/engine/config.h"
#include "services/schema_validator/engine/report.h"
#include "services/schema_validator/engine/rule.h"
#include "services/sql_parser/engine/catalog.h"

namespace sqlmill::validator {

struct DiffOptions {
  RuleConfig config;
  Severity fail_threshold = Severity::kError;
  // Source texts of the new schema by file name, for inline suppressions.
  std::map<std::string, std::string> sources;
  const RuleRegistry* rules = nullptr;  // null: RuleRegistry::Builtin()
  const CancellationToken* cancel = nullptr;
  Limits limits;
};

absl::StatusOr<DiffReport> Diff(const tsql::Catalog& old_catalog, const tsql::Catalog& new_catalog,
                                const DiffOptions& options);

// Classifies a column type change; returns kSafe for widening, kBackwardIncompatible for
// narrowing or precision loss, kDataDependent for a change of type family. `why` receives a
// short reason.
ChangeClass ClassifyTypeChange(const tsql::DataType& old_type, const tsql::DataType& new_type,
                               std::string* why);

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_DIFF_H_

// The rule interface: what a built-in or custom rule implements, the context it reports
// findings through, its parameters, and the registry of rule factories.
//
// A rule is created per validation run from its parameters (so it may hold compiled
// patterns), then visited once per schema object by the validator's single catalog walk,
// and finally asked to Finish() for checks that need the whole catalog. Change rules see
// the classified schema changes of a Diff instead.
//
// Ownership: a RuleRegistry owns its factories; a run owns its Rule instances. Thread-safety:
// the registry is immutable after construction and safe to share; a Rule instance and its
// RuleContext belong to one run on one thread.
//
//   class PkRequired : public Rule {
//     void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
//       if (!t.primary_key) ctx.Report(TableTarget(s, t), "table ... has no primary key", "...");
//     }
//   };
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_RULE_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_RULE_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/node_hash_map.h"
#include "absl/status/statusor.h"
#include "services/schema_validator/engine/catalog_index.h"
#include "services/schema_validator/engine/report.h"
#include "services/schema_validator/engine/target_profile.h"
#include "services/sql_parser/engine/catalog.h"

namespace sqlmill::validator {

// Parameter values for one run: the rule's defaults overridden by the configuration.
class RuleParams {
 public:
  RuleParams() = default;
  RuleParams(std::string rule_id, std::map<std::string, std::string> values)
      : rule_id_(std::move(rule_id)), values_(std::move(values)) {}

  // Returns the value ("" when the parameter is unknown).
  const std::string& Get(std::string_view name) const;
  // Returns the value as an integer; INVALID_ARGUMENT naming the rule and parameter if not.
  absl::StatusOr<int64_t> GetInt(std::string_view name) const;
  // Returns the comma-separated value as trimmed, non-empty items.
  std::vector<std::string> GetList(std::string_view name) const;
  const std::map<std::string, std::string>& values() const { return values_; }

 private:
  std::string rule_id_;
  std::map<std::string, std::string> values_;
};

// The schema an object lives in.
struct SchemaScope {
  const tsql::Database& database;
  const tsql::Schema& schema;
};

// What a finding is about.
struct FindingTarget {
  std::string path;
  std::string kind;
  const tsql::CatalogSpan* span = nullptr;
  const LocatedSpan* located = nullptr;  // used instead of `span` when set (Diff findings)
};

FindingTarget TableTarget(const SchemaScope& s, const tsql::Table& t);
FindingTarget ColumnTarget(const SchemaScope& s, const tsql::Table& t, const tsql::Column& c);
FindingTarget ConstraintTarget(const SchemaScope& s, const tsql::Table& t, const tsql::Constraint& c);
FindingTarget IndexTarget(const SchemaScope& s, const tsql::Table& t, const tsql::Index& i);

class RuleContext {
 public:
  RuleContext(const CatalogIndex& index, const TargetProfile* target)
      : index_(index), target_(target) {}

  const tsql::Catalog& catalog() const { return index_.catalog(); }
  const CatalogIndex& index() const { return index_; }
  // The target platform; null when none was named (rules with needs_target don't run then).
  const TargetProfile* target() const { return target_; }

  // The target's mapping of a base type (a BaseType() result: built-in, normalized, with
  // canonical text), memoized by that text for the run. Requires a target.
  const TypeMapping& MapBaseType(const tsql::DataType& base);

  // Records a finding for the rule being run. `severity` is used when the configuration
  // does not set the rule's severity (e.g. a target feature marked `severity: info`).
  void Report(FindingTarget target, std::string message, std::string suggestion,
              std::optional<Severity> severity = std::nullopt);

  // Set by the validator before each rule runs.
  void BeginRule(const std::string* rule_id, Severity default_severity, bool severity_configured) {
    rule_id_ = rule_id;
    default_severity_ = default_severity;
    severity_configured_ = severity_configured;
  }
  std::vector<Finding>& findings() { return findings_; }

 private:
  const CatalogIndex& index_;
  const TargetProfile* target_;
  const std::string* rule_id_ = nullptr;
  Severity default_severity_ = Severity::kWarning;
  bool severity_configured_ = false;
  std::vector<Finding> findings_;
  absl::node_hash_map<std::string, TypeMapping> type_mappings_;
};

class Rule {
 public:
  virtual ~Rule() = default;
  virtual void CheckSchema(const SchemaScope&, RuleContext&) {}
  virtual void CheckTable(const SchemaScope&, const tsql::Table&, RuleContext&) {}
  virtual void CheckView(const SchemaScope&, const tsql::View&, RuleContext&) {}
  virtual void CheckRoutine(const SchemaScope&, const tsql::Routine&, RuleContext&) {}
  virtual void CheckTrigger(const SchemaScope&, const tsql::Trigger&, RuleContext&) {}
  virtual void CheckSequence(const SchemaScope&, const tsql::Sequence&, RuleContext&) {}
  virtual void CheckType(const SchemaScope&, const tsql::UserDefinedType&, RuleContext&) {}
  virtual void CheckSynonym(const SchemaScope&, const tsql::Synonym&, RuleContext&) {}
  // Called after the walk, for checks across the whole catalog.
  virtual void Finish(RuleContext&) {}
  // Change rules: called once per classified change of a Diff.
  virtual void CheckChange(const SchemaChange&, RuleContext&) {}
};

using RuleCreateFn = std::function<absl::StatusOr<std::unique_ptr<Rule>>(const RuleParams&)>;

struct RuleFactory {
  RuleInfo info;
  RuleCreateFn create;
};

class RuleRegistry {
 public:
  // Adds a factory; INVALID_ARGUMENT for a duplicate or malformed (non-kebab-case) id.
  absl::Status Register(RuleFactory factory);
  const RuleFactory* Find(std::string_view id) const;
  // Returns the factories sorted by id.
  std::vector<const RuleFactory*> rules() const;

  // Returns the registry of built-in rules (built once; immutable).
  static const RuleRegistry& Builtin();

 private:
  std::map<std::string, RuleFactory, std::less<>> factories_;
};

// Returns true for ids like "pk-required": lower-case letters and digits in dash-separated
// words.
bool IsKebabCaseId(std::string_view id);

// Creates a rule without state or parameters from a default-constructible class.
template <typename T>
RuleCreateFn MakeSimpleRule() {
  return [](const RuleParams&) -> absl::StatusOr<std::unique_ptr<Rule>> {
    return std::unique_ptr<Rule>(std::make_unique<T>());
  };
}

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_RULE_H_

// The walk the naming rules share: every name a catalog object has (schemas, tables, their
// columns, constraints and indexes, views and their columns, routines, triggers, sequences),
// handed to the rule one at a time with a finding target that is built only if the rule
// reports (most names pass, and building object paths for all of them would dominate).
//
// Thread-safety: as for any Rule (rule.h).
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_RULES_NAME_RULE_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_RULES_NAME_RULE_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "services/schema_validator/engine/rule.h"

namespace sqlmill::validator {

enum class NameKind {
  kSchema,
  kTable,
  kColumn,
  kView,
  kViewColumn,
  kPrimaryKey,
  kForeignKey,
  kUnique,
  kCheck,
  kDefault,
  kIndex,
  kRoutine,  // NamedObject::routine says which kind
  kTrigger,
  kSequence,
};

struct NamedObject {
  const std::string& name;  // never empty: unnamed constraints and indexes are skipped
  NameKind kind;
  const tsql::Routine* routine = nullptr;  // for kRoutine
  absl::FunctionRef<FindingTarget()> target;
};

class NameRule : public Rule {
 public:
  void CheckSchema(const SchemaScope& s, RuleContext& ctx) final;
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) final;
  void CheckView(const SchemaScope& s, const tsql::View& v, RuleContext& ctx) final;
  void CheckRoutine(const SchemaScope& s, const tsql::Routine& r, RuleContext& ctx) final;
  void CheckTrigger(const SchemaScope& s, const tsql::Trigger& t, RuleContext& ctx) final;
  void CheckSequence(const SchemaScope& s, const tsql::Sequence& q, RuleContext& ctx) final;

 protected:
  // Called for every non-empty name; report through ctx with n.target().
  virtual void CheckName(const NamedObject& n, RuleContext& ctx) = 0;

 private:
  void Name(const std::string& name, NameKind kind, absl::FunctionRef<FindingTarget()> target, RuleContext& ctx,
            const tsql::Routine* routine = nullptr) {
    if (!name.empty()) CheckName(NamedObject{name, kind, routine, target}, ctx);
  }
};

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_RULES_NAME_RULE_H_

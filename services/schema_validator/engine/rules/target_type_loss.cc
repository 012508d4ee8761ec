// Rule target-type-loss: a column's type maps to the target with a loss of precision,
// range or semantics (from the target profile's type-mapping table).
// Stateless; see rule.h for thread-safety.
#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/rules.h"
#include "services/schema_validator/engine/sql_type.h"

namespace sqlmill::validator {
namespace {

class TargetTypeLoss : public Rule {
 public:
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    const TargetProfile& p = *ctx.target();
    for (const tsql::Column& c : t.columns) {
      if (!c.data_type) continue;
      const tsql::DataType* base = ctx.index().BaseType(t, c);
      if (!base) continue;  // user table/CLR types: target-type-unsupported
      const TypeMapping& m = ctx.MapBaseType(*base);
      if (m.loss == TypeLoss::kNone || m.loss == TypeLoss::kNoEquivalent) continue;
      std::string via;
      if (c.data_type->is_user_defined) via = absl::StrCat(" (alias type ", c.data_type->text.empty() ? c.data_type->name : c.data_type->text, ")");
      ctx.Report(ColumnTarget(s, t, c),
                 absl::StrCat("column '", c.name, "' of '", t.name, "' is ", base->text, via, ", which becomes ",
                              m.target_type, " on ", p.display_name(), " with ", TypeLossName(m.loss),
                              " loss: ", m.explanation),
                 m.suggestion.empty() ? absl::StrCat("use ", m.target_type, " and check the data")
                                      : m.suggestion,
                 m.loss == TypeLoss::kPrecision ? std::optional<Severity>(Severity::kInfo) : std::nullopt);
    }
  }
};

}  // namespace

RuleFactory TargetTypeLossRule() {
  RuleFactory f;
  f.info.id = "target-type-loss";
  f.info.category = RuleCategory::kCompatibility;
  f.info.summary = "A column type loses precision, range or meaning on the target";
  f.info.doc =
      "Maps every column type (alias types through their base type) with the target "
      "profile's type table and reports mappings that lose something: precision (e.g. "
      "datetime2(7) to microseconds; reported as info), range (e.g. nvarchar(max) beyond "
      "Snowflake's 16 MB) or semantics (e.g. datetimeoffset losing its offset on PostgreSQL "
      "and BigQuery, uniqueidentifier becoming a string). ExplainType shows a single mapping.";
  f.info.default_severity = Severity::kWarning;
  f.info.needs_target = true;
  f.create = MakeSimpleRule<TargetTypeLoss>();
  return f;
}

}  // namespace sqlmill::validator

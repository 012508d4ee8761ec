// Rule target-type-unsupported: a column or parameter type has no equivalent on the target.
// Stateless; see rule.h for thread-safety.
#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/rules.h"
#include "services/schema_validator/engine/sql_type.h"

namespace sqlmill::validator {
namespace {

class TargetTypeUnsupported : public Rule {
 public:
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    const TargetProfile& p = *ctx.target();
    for (const tsql::Column& c : t.columns) {
      if (!c.data_type) continue;
      const tsql::DataType* base = ctx.index().BaseType(t, c);
      TypeMapping unknown;
      if (base == nullptr) unknown = p.MapType(*c.data_type);
      const TypeMapping& m = base != nullptr ? ctx.MapBaseType(*base) : unknown;
      if (m.loss != TypeLoss::kNoEquivalent) continue;
      const std::string type_text = base ? base->text : (c.data_type->text.empty() ? c.data_type->name : c.data_type->text);
      ctx.Report(ColumnTarget(s, t, c),
                 absl::StrCat("column '", c.name, "' of '", t.name, "' is ", type_text,
                              ", which has no equivalent on ", p.display_name(), ": ", m.explanation),
                 m.suggestion.empty()
                     ? (m.target_type.empty() ? std::string("redesign the column")
                                              : absl::StrCat("store it as ", m.target_type))
                     : m.suggestion);
    }
  }
};

}  // namespace

RuleFactory TargetTypeUnsupportedRule() {
  RuleFactory f;
  f.info.id = "target-type-unsupported";
  f.info.category = RuleCategory::kCompatibility;
  f.info.summary = "A column type has no equivalent on the target";
  f.info.doc =
      "Reports columns whose type the target profile marks as having no equivalent "
      "(sql_variant, hierarchyid, geography/geometry without PostGIS, rowversion, CLR and "
      "table types, cursor), with the suggested replacement or rewrite.";
  f.info.default_severity = Severity::kError;
  f.info.needs_target = true;
  f.create = MakeSimpleRule<TargetTypeUnsupported>();
  return f;
}

}  // namespace sqlmill::validator

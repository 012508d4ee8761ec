// Rule money-type: a column uses money or smallmoney.
// Stateless; see rule.h for thread-safety.
#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

class MoneyType : public Rule {
 public:
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    for (const tsql::Column& c : t.columns) {
      if (!c.data_type) continue;
      const tsql::DataType* base = ctx.index().BaseType(t, c);
      if (!base || (base->name != "money" && base->name != "smallmoney")) continue;
      ctx.Report(ColumnTarget(s, t, c),
                 absl::StrCat("column '", c.name, "' of '", t.name, "' uses ", base->name,
                              ", which has a fixed scale of 4 and rounds intermediate results "
                              "in multiplication and division"),
                 absl::StrCat("use ", base->name == "money" ? "decimal(19,4)" : "decimal(10,4)",
                              " (or the precision the amounts need)"));
    }
  }
};

}  // namespace

RuleFactory MoneyTypeRule() {
  RuleFactory f;
  f.info.id = "money-type";
  f.info.category = RuleCategory::kDesign;
  f.info.summary = "A column uses money or smallmoney";
  f.info.doc =
      "Reports money/smallmoney columns. Their fixed 4-digit scale loses precision in "
      "division and multiplication (money * money is rounded to 4 places), they are "
      "SQL-Server-specific, and every warehouse maps them to decimal anyway.";
  f.info.default_severity = Severity::kInfo;
  f.create = MakeSimpleRule<MoneyType>();
  return f;
}

}  // namespace sqlmill::validator

// Rule float-for-money: a column whose name suggests money uses float or real.
// Holds its compiled name pattern; see rule.h for thread-safety.
#include <regex>

#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

class FloatForMoney : public Rule {
 public:
  explicit FloatForMoney(std::regex pattern) : pattern_(std::move(pattern)) {}

  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    for (const tsql::Column& c : t.columns) {
      if (!c.data_type) continue;
      std::optional<tsql::DataType> base = ctx.index().BaseType(*c.data_type, s.database.name, s.schema.name);
      if (!base || (base->name != "float" && base->name != "real")) continue;
      if (!std::regex_search(c.name, pattern_)) continue;
      ctx.Report(ColumnTarget(s, t, c),
                 absl::StrCat("column '", c.name, "' of '", t.name, "' looks like a monetary amount but is ",
                              base->text, ": binary floating point cannot represent most decimal "
                              "fractions exactly"),
                 absl::StrCat("use decimal(19,4) (or the currency's precision) for '", c.name, "'"));
    }
  }

 private:
  std::regex pattern_;
};

}  // namespace

RuleFactory FloatForMoneyRule() {
  RuleFactory f;
  f.info.id = "float-for-money";
  f.info.category = RuleCategory::kDesign;
  f.info.summary = "A money-like column uses float or real";
  f.info.doc =
      "Reports float/real columns whose names match name_pattern (amounts, prices, costs, "
      "balances...). Approximate types make sums drift by fractions of a cent and compare "
      "unequal after round trips; money belongs in decimal.";
  f.info.default_severity = Severity::kWarning;
  f.info.parameters = {
      {"name_pattern", "case-insensitive ECMAScript regex over column names",
       "price|amount|amt|cost|total|balance|salary|wage|fee|tax|money|payment|charge|revenue|"
       "discount|freight|budget|invoice"}};
  f.create = [](const RuleParams& p) -> absl::StatusOr<std::unique_ptr<Rule>> {
    try {
      std::regex re(p.Get("name_pattern"), std::regex::ECMAScript | std::regex::icase);
      return std::unique_ptr<Rule>(std::make_unique<FloatForMoney>(std::move(re)));
    } catch (const std::regex_error& e) {
      return absl::InvalidArgumentError(absl::StrCat("rule 'float-for-money' parameter 'name_pattern': "
                                                     "bad regular expression '", p.Get("name_pattern"),
                                                     "': ", e.what()));
    }
  };
  return f;
}

}  // namespace sqlmill::validator

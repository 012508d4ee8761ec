// Rule float-for-money: a column whose name suggests money uses float or real.
// Holds its compiled name patterns; see rule.h for thread-safety.
#include <optional>

#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/name_regex.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

class FloatForMoney : public Rule {
 public:
  FloatForMoney(NameRegex pattern, std::optional<NameRegex> exclude)
      : pattern_(std::move(pattern)), exclude_(std::move(exclude)) {}

  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    for (const tsql::Column& c : t.columns) {
      if (!c.data_type) continue;
      const tsql::DataType* base = ctx.index().BaseType(t, c);
      if (!base || (base->name != "float" && base->name != "real")) continue;
      if (!pattern_.Matches(c.name) || (exclude_ && exclude_->Matches(c.name))) continue;
      ctx.Report(ColumnTarget(s, t, c),
                 absl::StrCat("column '", c.name, "' of '", t.name, "' looks like a monetary amount but is ",
                              base->text, ": binary floating point cannot represent most decimal "
                              "fractions exactly"),
                 absl::StrCat("use decimal(19,4) (or the currency's precision) for '", c.name, "'"));
    }
  }

 private:
  NameRegex pattern_;
  std::optional<NameRegex> exclude_;  // ratios: DiscountPct, TaxRate
};

}  // namespace

RuleFactory FloatForMoneyRule() {
  RuleFactory f;
  f.info.id = "float-for-money";
  f.info.category = RuleCategory::kDesign;
  f.info.summary = "A money-like column uses float or real";
  f.info.doc =
      "Reports float/real columns whose names match name_pattern (amounts, prices, costs, "
      "balances...) unless they also match exclude_pattern (percentages, rates, ratios: "
      "DiscountPct, TaxRate). Approximate types make sums drift by fractions of a cent and compare "
      "unequal after round trips; money belongs in decimal.";
  f.info.default_severity = Severity::kWarning;
  f.info.parameters = {
      {"name_pattern", "case-insensitive regex (RE2) over column names",
       "price|amount|amt|cost|total|balance|salary|wage|fee|tax|money|payment|charge|revenue|"
       "freight|budget|invoice"},
      {"exclude_pattern",
       "case-insensitive regex (RE2) over column names that are ratios, not amounts "
       "(empty: none)",
       "(pct|percent|percentage|ratio|rate|factor)(_|$)|^(pct|percent)"}};
  f.create = [](const RuleParams& p) -> absl::StatusOr<std::unique_ptr<Rule>> {
    auto re = NameRegex::Compile(p.Get("name_pattern"), NameRegex::kSearch, NameRegex::kIgnoreCase);
    if (!re.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("rule 'float-for-money' parameter 'name_pattern': ", re.status().message()));
    }
    std::optional<NameRegex> exclude;
    if (!p.Get("exclude_pattern").empty()) {
      auto ex = NameRegex::Compile(p.Get("exclude_pattern"), NameRegex::kSearch, NameRegex::kIgnoreCase);
      if (!ex.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("rule 'float-for-money' parameter 'exclude_pattern': ", ex.status().message()));
      }
      exclude = std::move(*ex);
    }
    return std::unique_ptr<Rule>(std::make_unique<FloatForMoney>(std::move(*re), std::move(exclude)));
  };
  return f;
}

}  // namespace sqlmill::validator

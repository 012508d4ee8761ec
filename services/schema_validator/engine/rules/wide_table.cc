// Rule wide-table: a table has more columns than the configured maximum (or than SQL
// Server's 1,024 non-sparse columns).
// Stateless apart from its parameter; see rule.h for thread-safety.
#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

constexpr int64_t kSqlServerMaxColumns = 1024;

class WideTable : public Rule {
 public:
  explicit WideTable(int64_t max_columns) : max_columns_(max_columns) {}

  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    const int64_t n = static_cast<int64_t>(t.columns.size());
    if (n <= max_columns_) return;
    int64_t non_sparse = 0;
    for (const auto& c : t.columns) non_sparse += c.sparse ? 0 : 1;
    const bool over_hard_limit = non_sparse > kSqlServerMaxColumns;
    ctx.Report(TableTarget(s, t),
               over_hard_limit
                   ? absl::StrCat("table '", t.name, "' has ", non_sparse,
                                  " non-sparse columns; SQL Server allows at most 1024")
                   : absl::StrCat("table '", t.name, "' has ", n, " columns; expected at most ",
                                  max_columns_),
               "split rarely used or optional columns into a 1:1 side table",
               over_hard_limit ? std::optional<Severity>(Severity::kError) : std::nullopt);
  }

 private:
  int64_t max_columns_;
};

}  // namespace

RuleFactory WideTableRule() {
  RuleFactory f;
  f.info.id = "wide-table";
  f.info.category = RuleCategory::kDesign;
  f.info.summary = "A table has very many columns";
  f.info.doc =
      "Reports tables with more columns than max_columns (an error past SQL Server's limit of "
      "1,024 non-sparse columns). Very wide tables usually mix several entities and make "
      "rows overflow pages; the row-size-limit rule checks the bytes.";
  f.info.default_severity = Severity::kWarning;
  f.info.parameters = {{"max_columns", "the most columns a table may have", "100"}};
  f.create = [](const RuleParams& p) -> absl::StatusOr<std::unique_ptr<Rule>> {
    SQLMILL_ASSIGN_OR_RETURN(int64_t max, p.GetInt("max_columns"));
    return std::unique_ptr<Rule>(std::make_unique<WideTable>(max));
  };
  return f;
}

}  // namespace sqlmill::validator

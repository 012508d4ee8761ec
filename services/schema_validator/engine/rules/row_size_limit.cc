// Rule row-size-limit: a table's rows can exceed SQL Server's 8,060-byte in-row limit.
// Stateless apart from its parameter; see rule.h for thread-safety.
#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "services/schema_validator/engine/row_size.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

class RowSizeLimit : public Rule {
 public:
  explicit RowSizeLimit(int64_t max_bytes) : max_bytes_(max_bytes) {}

  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    const RowSize size = ComputeRowSize(t, ctx.index());
    if (size.min_bytes > max_bytes_) {
      ctx.Report(TableTarget(s, t),
                 absl::StrCat("table '", t.name, "' needs at least ", size.min_bytes,
                              " bytes per row in fixed-length columns, over the ", max_bytes_,
                              "-byte row limit: CREATE TABLE fails"),
                 "move wide char/nchar/binary columns to varchar/nvarchar/varbinary or to a side table",
                 Severity::kError);
    } else if (size.max_bytes > max_bytes_) {
      ctx.Report(TableTarget(s, t),
                 absl::StrCat("table '", t.name, "' rows can reach ", size.max_bytes,
                              " bytes in-row, over the ", max_bytes_,
                              "-byte row limit: long values move to row-overflow pages"),
                 "narrow variable-length columns, use (max) types for long values, or split the table");
    }
  }

 private:
  int64_t max_bytes_;
};

}  // namespace

RuleFactory RowSizeLimitRule() {
  RuleFactory f;
  f.info.id = "row-size-limit";
  f.info.category = RuleCategory::kDesign;
  f.info.summary = "Rows can exceed the 8,060-byte in-row limit";
  f.info.doc =
      "Computes each table's row size from its column types (4-byte header, fixed-length "
      "data, packed bits, column count, NULL bitmap, variable-column offsets, and (max)/LOB "
      "columns as 24-byte pointers). An error when the fixed part alone exceeds the limit "
      "(CREATE TABLE fails, error 1701); a warning when variable-length columns at their "
      "maximum exceed it (row-overflow storage, slower reads, and an error for "
      "memory-optimized and some index operations).";
  f.info.default_severity = Severity::kWarning;
  f.info.parameters = {{"max_row_bytes", "the in-row limit in bytes", "8060"}};
  f.create = [](const RuleParams& p) -> absl::StatusOr<std::unique_ptr<Rule>> {
    SQLMILL_ASSIGN_OR_RETURN(int64_t max, p.GetInt("max_row_bytes"));
    return std::unique_ptr<Rule>(std::make_unique<RowSizeLimit>(max));
  };
  return f;
}

}  // namespace sqlmill::validator

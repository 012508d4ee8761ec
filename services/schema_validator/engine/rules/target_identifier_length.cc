// Rule target-identifier-length: a name is longer than the target allows.
// Stateless; see rule.h for thread-safety.
#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/name_rule.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

class TargetIdentifierLength : public NameRule {
 protected:
  void CheckName(const NamedObject& n, RuleContext& ctx) override {
    IdentifierKind kind = IdentifierKind::kOther;
    switch (n.kind) {
      case NameKind::kTable:
      case NameKind::kView:
        kind = IdentifierKind::kTable;
        break;
      case NameKind::kColumn:
        kind = IdentifierKind::kColumn;
        break;
      case NameKind::kSchema:
      case NameKind::kPrimaryKey:
      case NameKind::kUnique:
      case NameKind::kForeignKey:
      case NameKind::kCheck:
      case NameKind::kIndex:
      case NameKind::kRoutine:
        break;
      default:
        return;  // default constraints, view columns, triggers, sequences: not checked
    }
    const TargetProfile* p = ctx.target();
    const int64_t len = p->IdentifierLength(n.name);
    const int64_t max = p->MaxIdentifierLength(kind);
    if (len <= max) return;
    const char* unit = p->length_in_bytes() ? "bytes" : "characters";
    FindingTarget target = n.target();
    std::string message = absl::StrCat(target.kind, " name '", n.name, "' is ", len, " ", unit, "; ",
                                       p->display_name(), " allows at most ", max, " ", unit,
                                       p->truncates_silently() ? " and truncates longer names silently"
                                                               : " and rejects longer names");
    ctx.Report(std::move(target), std::move(message), absl::StrCat("shorten the name to at most ", max, " ", unit));
  }
};

}  // namespace

RuleFactory TargetIdentifierLengthRule() {
  RuleFactory f;
  f.info.id = "target-identifier-length";
  f.info.category = RuleCategory::kNaming;
  f.info.summary = "A name is longer than the target allows";
  f.info.doc =
      "Reports schema, table, column, view, routine, constraint and index names longer than "
      "the target's identifier limit (PostgreSQL 63 bytes, truncated silently; Redshift 127 "
      "bytes; Snowflake 255 characters; BigQuery 300 characters for columns, 1,024 for "
      "tables). SQL Server allows 128 characters.";
  f.info.default_severity = Severity::kWarning;
  f.info.needs_target = true;
  f.create = MakeSimpleRule<TargetIdentifierLength>();
  return f;
}

}  // namespace sqlmill::validator

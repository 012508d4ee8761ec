// Rule deprecated-type: a column, parameter or alias type uses text, ntext, image or
// timestamp.
// Stateless; see rule.h for thread-safety.
#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/rules.h"
#include "services/schema_validator/engine/sql_type.h"

namespace sqlmill::validator {
namespace {

std::string Replacement(std::string_view type) {
  if (type == "text") return "varchar(max)";
  if (type == "ntext") return "nvarchar(max)";
  if (type == "image") return "varbinary(max)";
  return "rowversion";
}

class DeprecatedType : public Rule {
 public:
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    for (const tsql::Column& c : t.columns) {
      if (!c.data_type || c.data_type->is_user_defined || !IsDeprecatedType(c.data_type->name)) continue;
      ctx.Report(ColumnTarget(s, t, c),
                 absl::StrCat("column '", c.name, "' of '", t.name, "' uses deprecated type ",
                              c.data_type->name),
                 absl::StrCat("use ", Replacement(c.data_type->name), " instead"));
    }
  }
  void CheckRoutine(const SchemaScope& s, const tsql::Routine& r, RuleContext& ctx) override {
    const char* kind = RoutineKindName(r);
    for (const tsql::Parameter& p : r.parameters) {
      if (p.data_type.is_user_defined || !IsDeprecatedType(p.data_type.name)) continue;
      ctx.Report({ObjectPath(s.database.name, s.schema.name, r.name, p.name), "parameter", &r.span},
                 absl::StrCat(kind, " '", r.name, "' parameter ", p.name, " uses deprecated type ",
                              p.data_type.name),
                 absl::StrCat("use ", Replacement(p.data_type.name), " instead"));
    }
  }
  void CheckType(const SchemaScope& s, const tsql::UserDefinedType& u, RuleContext& ctx) override {
    if (!u.base_type || u.base_type->is_user_defined || !IsDeprecatedType(u.base_type->name)) return;
    ctx.Report({ObjectPath(s.database.name, s.schema.name, u.name), "type", &u.span},
               absl::StrCat("type '", u.name, "' is based on deprecated type ", u.base_type->name),
               absl::StrCat("base it on ", Replacement(u.base_type->name), " instead"));
  }
};

}  // namespace

RuleFactory DeprecatedTypeRule() {
  RuleFactory f;
  f.info.id = "deprecated-type";
  f.info.category = RuleCategory::kDesign;
  f.info.summary = "A deprecated data type is used";
  f.info.doc =
      "Reports columns, routine parameters and alias types using text, ntext, image (to be "
      "removed from SQL Server; use varchar(max), nvarchar(max), varbinary(max)) or timestamp "
      "(the deprecated synonym of rowversion, and easily mistaken for a date/time type).";
  f.info.default_severity = Severity::kWarning;
  f.create = MakeSimpleRule<DeprecatedType>();
  return f;
}

}  // namespace sqlmill::validator

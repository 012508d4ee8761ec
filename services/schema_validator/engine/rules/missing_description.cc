// Rule missing-description: an object has no MS_Description extended property.
// Holds its parameter; see rule.h for thread-safety.
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

class MissingDescription : public Rule {
 public:
  explicit MissingDescription(std::set<std::string> kinds)
      : kinds_(std::move(kinds)), tables_(kinds_.count("table") > 0), columns_(kinds_.count("column") > 0) {}

  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    if (tables_ && t.description.empty()) {
      ctx.Report(TableTarget(s, t), absl::StrCat("table '", t.name, "' has no description"),
                 Suggest("TABLE", s.schema.name, t.name, ""));
    }
    if (columns_) {
      for (const tsql::Column& c : t.columns) {
        if (!c.description.empty()) continue;
        ctx.Report(ColumnTarget(s, t, c),
                   absl::StrCat("column '", c.name, "' of '", t.name, "' has no description"),
                   Suggest("TABLE", s.schema.name, t.name, c.name));
      }
    }
  }
  void CheckView(const SchemaScope& s, const tsql::View& v, RuleContext& ctx) override {
    if (kinds_.count("view") == 0 || !v.description.empty()) return;
    ctx.Report({ObjectPath(s.database.name, s.schema.name, v.name), "view", &v.span},
               absl::StrCat("view '", v.name, "' has no description"),
               Suggest("VIEW", s.schema.name, v.name, ""));
  }
  void CheckRoutine(const SchemaScope& s, const tsql::Routine& r, RuleContext& ctx) override {
    const bool proc = r.kind == tsql::RoutineKind::kProcedure;
    const char* kind = proc ? "procedure" : "function";
    if (kinds_.count(kind) == 0 || !r.description.empty()) return;
    ctx.Report({ObjectPath(s.database.name, s.schema.name, r.name), kind, &r.span},
               absl::StrCat(kind, " '", r.name, "' has no description"),
               Suggest(proc ? "PROCEDURE" : "FUNCTION", s.schema.name, r.name, ""));
  }

 private:
  // `level1` is the level-1 type as sp_addextendedproperty spells it: TABLE, VIEW, ...
  static std::string Suggest(const char* level1, const std::string& schema, const std::string& name,
                             const std::string& column) {
    std::string out = absl::StrCat("EXEC sp_addextendedproperty 'MS_Description', N'...', 'SCHEMA', '", schema,
                                   "', '", level1, "', '", name, "'");
    if (!column.empty()) absl::StrAppend(&out, ", 'COLUMN', '", column, "'");
    return out;
  }
  std::set<std::string> kinds_;
  bool tables_;
  bool columns_;
};

}  // namespace

RuleFactory MissingDescriptionRule() {
  RuleFactory f;
  f.info.id = "missing-description";
  f.info.category = RuleCategory::kDesign;
  f.info.summary = "An object has no description";
  f.info.doc =
      "Reports objects of the configured kinds without an MS_Description extended property. "
      "Descriptions carry over into warehouse catalogs and dbt docs. Off by default.";
  f.info.default_severity = Severity::kInfo;
  f.info.enabled_by_default = false;
  f.info.parameters = {{"kinds", "comma-separated: table, column, view, procedure, function", "table"}};
  f.create = [](const RuleParams& p) -> absl::StatusOr<std::unique_ptr<Rule>> {
    std::set<std::string> kinds;
    const std::set<std::string> known = {"table", "column", "view", "procedure", "function"};
    for (const std::string& k : p.GetList("kinds")) {
      if (known.count(k) == 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "rule 'missing-description' parameter 'kinds': unknown kind '", k,
            "' (expected ", absl::StrJoin(known, ", "), ")"));
      }
      kinds.insert(k);
    }
    return std::unique_ptr<Rule>(std::make_unique<MissingDescription>(std::move(kinds)));
  };
  return f;
}

}  // namespace sqlmill::validator

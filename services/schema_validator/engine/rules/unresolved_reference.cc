// Rule unresolved-reference: a view, routine, trigger or synonym refers to an object the
// catalog does not define.
// Stateless; see rule.h for thread-safety.
#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

class UnresolvedReference : public Rule {
 public:
  void CheckView(const SchemaScope& s, const tsql::View& v, RuleContext& ctx) override {
    Check(s, v.name, "view", v.references, ctx);
  }
  void CheckRoutine(const SchemaScope& s, const tsql::Routine& r, RuleContext& ctx) override {
    Check(s, r.name, RoutineKindName(r),
          r.references, ctx);
  }
  void CheckTrigger(const SchemaScope& s, const tsql::Trigger& t, RuleContext& ctx) override {
    Check(s, t.name, "trigger", t.references, ctx);
    if (!t.database_level && !t.parent.empty() && !ctx.index().IsExternal(t.parent, s.database.name) &&
        ctx.index().Resolve(t.parent, s.database.name, s.schema.name) == nullptr) {
      ctx.Report({ObjectPath(s.database.name, s.schema.name, t.name), "trigger", &t.span},
                 absl::StrCat("trigger '", t.name, "' is defined on '", t.parent.ToString(),
                              "', which does not exist"),
                 "create the table or view first, or fix the name");
    }
  }
  void CheckSynonym(const SchemaScope& s, const tsql::Synonym& y, RuleContext& ctx) override {
    if (y.target.empty() || ctx.index().IsExternal(y.target, s.database.name)) return;
    if (ctx.index().Resolve(y.target, s.database.name, s.schema.name) != nullptr) return;
    ctx.Report({ObjectPath(s.database.name, s.schema.name, y.name), "synonym", &y.span},
               absl::StrCat("synonym '", y.name, "' points at '", y.target.ToString(),
                            "', which does not exist"),
               "create the target object, or fix the synonym");
  }

 private:
  void Check(const SchemaScope& s, const std::string& name, const std::string& kind,
             const std::vector<tsql::ObjectReference>& refs, RuleContext& ctx) {
    for (const tsql::ObjectReference& ref : refs) {
      if (ref.name.empty() || ctx.index().IsExternal(ref.name, s.database.name)) continue;
      if (ctx.index().Resolve(ref.name, s.database.name, s.schema.name) != nullptr) continue;
      if (ref.name.schema.empty() && tsql::EqualsIgnoreCase(ref.name.name, name)) continue;
      ctx.Report({ObjectPath(s.database.name, s.schema.name, name), std::string(kind), &ref.span},
                 absl::StrCat(kind, " '", name, "' references '", ref.name.ToString(),
                              "', which does not exist in the catalog"),
                 "create the referenced object, fix the name, or include the script that defines it");
    }
  }
};

}  // namespace

RuleFactory UnresolvedReferenceRule() {
  RuleFactory f;
  f.info.id = "unresolved-reference";
  f.info.category = RuleCategory::kIntegrity;
  f.info.summary = "A view, routine, trigger or synonym references a missing object";
  f.info.doc =
      "Reports object references in view, procedure, function and trigger bodies, trigger "
      "parents and synonym targets that resolve to no object of the catalog. SQL Server's "
      "deferred name resolution lets such procedures deploy and fail at run time. References "
      "to other servers, databases absent from the catalog, sys/INFORMATION_SCHEMA objects, "
      "temporary tables and table variables are not checked.";
  f.info.default_severity = Severity::kWarning;
  f.create = MakeSimpleRule<UnresolvedReference>();
  return f;
}

}  // namespace sqlmill::validator

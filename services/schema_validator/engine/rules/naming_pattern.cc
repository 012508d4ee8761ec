// Rule naming-pattern: object names must match per-kind regular expressions.
// Holds its compiled patterns; see rule.h for thread-safety.
#include <map>

#include "absl/strings/str_cat.h"
#include "common/base/strings.h"
#include "services/schema_validator/engine/name_regex.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

const std::vector<std::pair<std::string, std::string>>& Kinds() {
  static const auto* kKinds = new std::vector<std::pair<std::string, std::string>>{
      {"schema", "schema names"},
      {"table", "table names"},
      {"column", "column names"},
      {"view", "view names"},
      {"procedure", "stored procedure names"},
      {"function", "function names"},
      {"trigger", "trigger names"},
      {"sequence", "sequence names"},
      {"primary_key", "PRIMARY KEY constraint names"},
      {"foreign_key", "FOREIGN KEY constraint names"},
      {"unique", "UNIQUE constraint names"},
      {"check", "CHECK constraint names"},
      {"default", "DEFAULT constraint names"},
      {"index", "index names"},
  };
  return *kKinds;
}

class NamingPattern : public Rule {
 public:
  explicit NamingPattern(std::map<std::string, NameRegex, std::less<>> patterns)
      : patterns_(std::move(patterns)) {
    auto find = [&](std::string_view kind) {
      auto it = patterns_.find(kind);
      return it == patterns_.end() ? nullptr : &it->second;
    };
    column_ = find("column");
  }

  void CheckSchema(const SchemaScope& s, RuleContext& ctx) override {
    Check("schema", s.schema.name, ctx, [&]() -> FindingTarget {
      return {ObjectPath(s.database.name, "", s.schema.name), "schema",
              s.schema.span ? &*s.schema.span : nullptr};
    });
  }
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    Check("table", t.name, ctx, [&] { return TableTarget(s, t); });
    if (column_ != nullptr) {
      for (const auto& c : t.columns) {
        if (!column_->Matches(c.name)) Report("column", *column_, c.name, ColumnTarget(s, t, c), ctx);
      }
    }
    auto constraint = [&](std::string_view kind, const tsql::Constraint& c) {
      if (!c.name.empty()) Check(kind, c.name, ctx, [&] { return ConstraintTarget(s, t, c); });
    };
    if (t.primary_key) constraint("primary_key", *t.primary_key);
    for (const auto& c : t.foreign_keys) constraint("foreign_key", c);
    for (const auto& c : t.unique_constraints) constraint("unique", c);
    for (const auto& c : t.check_constraints) constraint("check", c);
    for (const auto& col : t.columns) {
      if (col.default_constraint) constraint("default", *col.default_constraint);
    }
    for (const auto& i : t.indexes) {
      if (!i.name.empty()) Check("index", i.name, ctx, [&] { return IndexTarget(s, t, i); });
    }
  }
  void CheckView(const SchemaScope& s, const tsql::View& v, RuleContext& ctx) override {
    Check("view", v.name, ctx, [&]() -> FindingTarget {
      return {ObjectPath(s.database.name, s.schema.name, v.name), "view", &v.span};
    });
  }
  void CheckRoutine(const SchemaScope& s, const tsql::Routine& r, RuleContext& ctx) override {
    const char* kind = RoutineKindName(r);
    Check(kind, r.name, ctx, [&]() -> FindingTarget {
      return {ObjectPath(s.database.name, s.schema.name, r.name), kind, &r.span};
    });
  }
  void CheckTrigger(const SchemaScope& s, const tsql::Trigger& t, RuleContext& ctx) override {
    Check("trigger", t.name, ctx, [&]() -> FindingTarget {
      return {ObjectPath(s.database.name, s.schema.name, t.name), "trigger", &t.span};
    });
  }
  void CheckSequence(const SchemaScope& s, const tsql::Sequence& q, RuleContext& ctx) override {
    Check("sequence", q.name, ctx, [&]() -> FindingTarget {
      return {ObjectPath(s.database.name, s.schema.name, q.name), "sequence", &q.span};
    });
  }

 private:
  // Reports `name` when the kind has a pattern it does not match; the finding's target is
  // built only then (most names match).
  template <typename MakeTarget>
  void Check(std::string_view kind, const std::string& name, RuleContext& ctx, MakeTarget&& make_target) {
    auto it = patterns_.find(kind);
    if (it == patterns_.end() || it->second.Matches(name)) return;
    Report(kind, it->second, name, make_target(), ctx);
  }

  static void Report(std::string_view kind, const NameRegex& re, const std::string& name,
                     FindingTarget target, RuleContext& ctx) {
    const bool constraint = kind == "primary_key" || kind == "foreign_key" || kind == "unique" ||
                            kind == "check" || kind == "default";
    ctx.Report(std::move(target),
               absl::StrCat(constraint ? "constraint" : AsAbsl(kind), " name '", name,
                            "' does not match the ", AsAbsl(kind), " naming pattern '", re.pattern(), "'"),
               absl::StrCat("rename it to match ", re.pattern()));
  }

  std::map<std::string, NameRegex, std::less<>> patterns_;
  const NameRegex* column_ = nullptr;
};

}  // namespace

RuleFactory NamingPatternRule() {
  RuleFactory f;
  f.info.id = "naming-pattern";
  f.info.category = RuleCategory::kNaming;
  f.info.summary = "An object name does not follow the naming convention";
  f.info.doc =
      "Checks names against one regular expression (RE2 syntax) per object kind; the whole "
      "name must match. Kinds without a pattern are not checked, so the rule reports nothing "
      "until patterns are configured, e.g. table: '^[A-Z][A-Za-z0-9]*$', primary_key: "
      "'^PK_\\w+$', foreign_key: '^FK_\\w+$', index: '^(IX|UX)_\\w+$'.";
  f.info.default_severity = Severity::kWarning;
  for (const auto& [kind, what] : Kinds()) {
    f.info.parameters.push_back({kind, absl::StrCat("regex that ", what, " must match"), ""});
  }
  f.create = [](const RuleParams& p) -> absl::StatusOr<std::unique_ptr<Rule>> {
    std::map<std::string, NameRegex, std::less<>> patterns;
    for (const auto& [kind, what] : Kinds()) {
      const std::string& pattern = p.Get(kind);
      if (pattern.empty()) continue;
      auto re = NameRegex::Compile(pattern, NameRegex::kWholeName);
      if (!re.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("rule 'naming-pattern' parameter '", kind, "': ", re.status().message()));
      }
      patterns.emplace(kind, std::move(*re));
    }
    return std::unique_ptr<Rule>(std::make_unique<NamingPattern>(std::move(patterns)));
  };
  return f;
}

}  // namespace sqlmill::validator

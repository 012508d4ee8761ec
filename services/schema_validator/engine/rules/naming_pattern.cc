// Rule naming-pattern: object names must match per-kind regular expressions.
// Holds its compiled patterns; see rule.h for thread-safety.
#include <map>
#include <regex>

#include "absl/strings/str_cat.h"
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
  explicit NamingPattern(std::map<std::string, std::pair<std::string, std::regex>> patterns)
      : patterns_(std::move(patterns)) {}

  void CheckSchema(const SchemaScope& s, RuleContext& ctx) override {
    Check("schema", s.schema.name,
          {ObjectPath(s.database.name, "", s.schema.name), "schema",
           s.schema.span ? &*s.schema.span : nullptr},
          ctx);
  }
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    Check("table", t.name, TableTarget(s, t), ctx);
    if (patterns_.count("column") > 0) {
      for (const auto& c : t.columns) Check("column", c.name, ColumnTarget(s, t, c), ctx);
    }
    auto constraint = [&](const char* kind, const tsql::Constraint& c) {
      if (!c.name.empty()) Check(kind, c.name, ConstraintTarget(s, t, c), ctx);
    };
    if (t.primary_key) constraint("primary_key", *t.primary_key);
    for (const auto& c : t.foreign_keys) constraint("foreign_key", c);
    for (const auto& c : t.unique_constraints) constraint("unique", c);
    for (const auto& c : t.check_constraints) constraint("check", c);
    for (const auto& col : t.columns) {
      if (col.default_constraint) constraint("default", *col.default_constraint);
    }
    for (const auto& i : t.indexes) {
      if (!i.name.empty()) Check("index", i.name, IndexTarget(s, t, i), ctx);
    }
  }
  void CheckView(const SchemaScope& s, const tsql::View& v, RuleContext& ctx) override {
    Check("view", v.name, {ObjectPath(s.database.name, s.schema.name, v.name), "view", &v.span}, ctx);
  }
  void CheckRoutine(const SchemaScope& s, const tsql::Routine& r, RuleContext& ctx) override {
    const char* kind = RoutineKindName(r);
    Check(kind, r.name, {ObjectPath(s.database.name, s.schema.name, r.name), kind, &r.span}, ctx);
  }
  void CheckTrigger(const SchemaScope& s, const tsql::Trigger& t, RuleContext& ctx) override {
    Check("trigger", t.name, {ObjectPath(s.database.name, s.schema.name, t.name), "trigger", &t.span}, ctx);
  }
  void CheckSequence(const SchemaScope& s, const tsql::Sequence& q, RuleContext& ctx) override {
    Check("sequence", q.name, {ObjectPath(s.database.name, s.schema.name, q.name), "sequence", &q.span}, ctx);
  }

 private:
  void Check(const std::string& kind, const std::string& name, const FindingTarget& target,
             RuleContext& ctx) {
    auto it = patterns_.find(kind);
    if (it == patterns_.end() || std::regex_match(name, it->second.second)) return;
    ctx.Report(target,
               absl::StrCat(kind == "primary_key" || kind == "foreign_key" || kind == "unique" ||
                                    kind == "check" || kind == "default"
                                ? "constraint"
                                : kind,
                            " name '", name, "' does not match the ", kind, " naming pattern '",
                            it->second.first, "'"),
               absl::StrCat("rename it to match ", it->second.first));
  }

  std::map<std::string, std::pair<std::string, std::regex>> patterns_;
};

}  // namespace

RuleFactory NamingPatternRule() {
  RuleFactory f;
  f.info.id = "naming-pattern";
  f.info.category = RuleCategory::kNaming;
  f.info.summary = "An object name does not follow the naming convention";
  f.info.doc =
      "Checks names against one ECMAScript regular expression per object kind; the whole "
      "name must match. Kinds without a pattern are not checked, so the rule reports nothing "
      "until patterns are configured, e.g. table: '^[A-Z][A-Za-z0-9]*$', primary_key: "
      "'^PK_\\w+$', foreign_key: '^FK_\\w+$', index: '^(IX|UX)_\\w+$'.";
  f.info.default_severity = Severity::kWarning;
  for (const auto& [kind, what] : Kinds()) {
    f.info.parameters.push_back({kind, absl::StrCat("regex that ", what, " must match"), ""});
  }
  f.create = [](const RuleParams& p) -> absl::StatusOr<std::unique_ptr<Rule>> {
    std::map<std::string, std::pair<std::string, std::regex>> patterns;
    for (const auto& [kind, what] : Kinds()) {
      const std::string& pattern = p.Get(kind);
      if (pattern.empty()) continue;
      try {
        patterns.emplace(kind, std::make_pair(pattern, std::regex(pattern, std::regex::ECMAScript)));
      } catch (const std::regex_error& e) {
        return absl::InvalidArgumentError(absl::StrCat("rule 'naming-pattern' parameter '", kind,
                                                       "': bad regular expression '", pattern,
                                                       "': ", e.what()));
      }
    }
    return std::unique_ptr<Rule>(std::make_unique<NamingPattern>(std::move(patterns)));
  };
  return f;
}

}  // namespace sqlmill::validator

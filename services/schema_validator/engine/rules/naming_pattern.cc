// Rule naming-pattern: object names must match per-kind regular expressions.
// Holds its compiled patterns; see rule.h for thread-safety.
#include <map>

#include "absl/strings/str_cat.h"
#include "common/base/strings.h"
#include "services/schema_validator/engine/name_regex.h"
#include "services/schema_validator/engine/rules/name_rule.h"
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

// The `naming-pattern` parameter that governs a name of this kind ("" = none).
std::string_view PatternKey(const NamedObject& n) {
  switch (n.kind) {
    case NameKind::kSchema: return "schema";
    case NameKind::kTable: return "table";
    case NameKind::kColumn: return "column";
    case NameKind::kView: return "view";
    case NameKind::kRoutine: return RoutineKindName(*n.routine);  // procedure, function
    case NameKind::kTrigger: return "trigger";
    case NameKind::kSequence: return "sequence";
    case NameKind::kPrimaryKey: return "primary_key";
    case NameKind::kForeignKey: return "foreign_key";
    case NameKind::kUnique: return "unique";
    case NameKind::kCheck: return "check";
    case NameKind::kDefault: return "default";
    case NameKind::kIndex: return "index";
    case NameKind::kViewColumn: return "";
  }
  return "";
}

bool IsConstraint(NameKind kind) {
  return kind == NameKind::kPrimaryKey || kind == NameKind::kForeignKey || kind == NameKind::kUnique ||
         kind == NameKind::kCheck || kind == NameKind::kDefault;
}

class NamingPattern : public NameRule {
 public:
  explicit NamingPattern(std::map<std::string, NameRegex, std::less<>> patterns)
      : patterns_(std::move(patterns)) {}

 protected:
  void CheckName(const NamedObject& n, RuleContext& ctx) override {
    const std::string_view kind = PatternKey(n);
    auto it = patterns_.find(kind);
    if (it == patterns_.end() || it->second.Matches(n.name)) return;
    const NameRegex& re = it->second;
    ctx.Report(n.target(),
               absl::StrCat(IsConstraint(n.kind) ? "constraint" : AsAbsl(kind), " name '", n.name,
                            "' does not match the ", AsAbsl(kind), " naming pattern '", re.pattern(), "'"),
               absl::StrCat("rename it to match ", re.pattern()));
  }

 private:
  std::map<std::string, NameRegex, std::less<>> patterns_;
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

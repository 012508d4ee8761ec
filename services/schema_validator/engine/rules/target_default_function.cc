// Rule target-default-function: a column DEFAULT calls a T-SQL function that must be
// rewritten (or has no equivalent) on the target.
// Stateless; see rule.h for thread-safety.
#include <set>

#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

bool IdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IdentChar(char c) { return IdentStart(c) || (c >= '0' && c <= '9') || c == '.' || c == '@'; }

// Returns the function names an expression calls ("getdate", "dbo.fn_x"), plus the niladic
// CURRENT_TIMESTAMP / CURRENT_USER / SESSION_USER / SYSTEM_USER, lower-case, in order.
std::vector<std::string> CalledFunctions(std::string_view e) {
  static const std::set<std::string> kNotFunctions = {"cast", "coalesce", "nullif", "case", "when",
                                                      "then", "else", "end", "and", "or", "not",
                                                      "in", "is", "null", "like", "between", "n"};
  static const std::set<std::string> kNiladic = {"current_timestamp", "current_user", "session_user",
                                                 "system_user"};
  std::vector<std::string> out;
  size_t i = 0;
  while (i < e.size()) {
    const char c = e[i];
    if (c == '\'') {  // string literal; '' escapes a quote
      ++i;
      while (i < e.size()) {
        if (e[i] == '\'' && i + 1 < e.size() && e[i + 1] == '\'') {
          i += 2;
        } else if (e[i] == '\'') {
          ++i;
          break;
        } else {
          ++i;
        }
      }
      continue;
    }
    if (IdentStart(c)) {
      size_t start = i;
      while (i < e.size() && IdentChar(e[i])) ++i;
      std::string name = tsql::ToLowerAscii(e.substr(start, i - start));
      size_t j = i;
      while (j < e.size() && (e[j] == ' ' || e[j] == '\t')) ++j;
      if (j < e.size() && e[j] == '(' && kNotFunctions.count(name) == 0) {
        out.push_back(name);
      } else if (kNiladic.count(name) > 0) {
        out.push_back(name);
      }
      continue;
    }
    ++i;
  }
  return out;
}

class TargetDefaultFunction : public Rule {
 public:
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    const TargetProfile& p = *ctx.target();
    if (p.native_tsql()) return;
    for (const tsql::Column& c : t.columns) {
      if (!c.default_constraint) continue;
      for (const std::string& fn : CalledFunctions(c.default_constraint->expression)) {
        const FunctionInfo* info = p.Function(fn);
        const FindingTarget target = ColumnTarget(s, t, c);
        const std::string head = absl::StrCat("default of column '", c.name, "' of '", t.name, "' calls ", fn,
                                              fn.find("current_") == 0 || fn == "session_user" || fn == "system_user" ? "" : "()");
        if (info != nullptr && !info->target.empty()) {
          ctx.Report(target,
                     absl::StrCat(head, ", which is written ", info->target, " on ", p.display_name(),
                                  info->explanation.empty() ? "" : absl::StrCat(" (", info->explanation, ")")),
                     absl::StrCat("rewrite the default as ", info->target), Severity::kInfo);
        } else {
          ctx.Report(target,
                     absl::StrCat(head, ", which has no ", p.display_name(), " equivalent",
                                  info != nullptr && !info->explanation.empty() ? absl::StrCat(": ", info->explanation) : ""),
                     "compute the value in the load, or drop the default");
        }
      }
    }
  }
};

}  // namespace

RuleFactory TargetDefaultFunctionRule() {
  RuleFactory f;
  f.info.id = "target-default-function";
  f.info.category = RuleCategory::kCompatibility;
  f.info.summary = "A DEFAULT calls a T-SQL function";
  f.info.doc =
      "Reports column defaults that call T-SQL functions (getdate(), newid(), "
      "suser_sname(), user-defined functions...). When the target profile knows an "
      "equivalent the finding is info and names the rewrite (e.g. newid() → "
      "gen_random_uuid() on PostgreSQL); otherwise it is a warning: the default cannot be "
      "carried over as written.";
  f.info.default_severity = Severity::kWarning;
  f.info.needs_target = true;
  f.create = MakeSimpleRule<TargetDefaultFunction>();
  return f;
}

}  // namespace sqlmill::validator

// Custom rules: conditions are parsed and regexes compiled once, when the run is prepared;
// a bad pattern is reported with the configuration line.
#include "services/schema_validator/engine/custom_rule.h"

#include <charconv>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "services/schema_validator/engine/name_regex.h"
#include "services/schema_validator/engine/sql_type.h"

namespace sqlmill::validator {
namespace {

enum class Kind { kTable, kColumn, kIndex, kConstraint, kView, kProcedure, kFunction, kTrigger, kSequence };

struct KindInfo {
  const char* name;
  Kind kind;
  std::vector<std::string> conditions;  // flag conditions and "x:" argument conditions
};

const std::vector<KindInfo>& Kinds() {
  static const auto* kKinds = new std::vector<KindInfo>{
      {"table", Kind::kTable,
       {"has_primary_key", "has_clustered_index", "has_foreign_key", "has_description",
        "system_versioned", "memory_optimized", "column:", "columns_gt:", "name:"}},
      {"column", Kind::kColumn,
       {"nullable", "not_null", "identity", "computed", "has_default", "in_primary_key", "sparse",
        "has_description", "type:", "length_gt:", "name:"}},
      {"index", Kind::kIndex, {"unique", "clustered", "has_filter", "columns_gt:", "name:"}},
      {"constraint", Kind::kConstraint, {"named", "kind:", "name:"}},
      {"view", Kind::kView, {"schemabinding", "has_description", "name:"}},
      {"procedure", Kind::kProcedure, {"has_description", "name:"}},
      {"function", Kind::kFunction, {"has_description", "name:"}},
      {"trigger", Kind::kTrigger, {"name:"}},
      {"sequence", Kind::kSequence, {"name:"}},
  };
  return *kKinds;
}

struct Condition {
  std::string text;  // as written
  std::string name;  // "type", "nullable", ...
  std::string arg;
  int64_t number = 0;
  std::optional<NameRegex> regex;
};

// What a condition can look at; fields unused by a kind stay empty.
struct Facts {
  std::string_view name;
  const tsql::Table* table = nullptr;
  const tsql::Column* column = nullptr;
  const tsql::Index* index = nullptr;
  const tsql::Constraint* constraint = nullptr;
  const tsql::View* view = nullptr;
  const tsql::Routine* routine = nullptr;
  const tsql::DataType* base_type = nullptr;
};

bool InPrimaryKey(const tsql::Table& t, const tsql::Column& c) {
  if (!t.primary_key) return false;
  for (const auto& k : t.primary_key->columns) {
    if (tsql::EqualsIgnoreCase(k.name, c.name)) return true;
  }
  return false;
}

bool Eval(const Condition& c, const Facts& f) {
  const std::string& n = c.name;
  if (n == "name") return c.regex->Matches(f.name);
  if (f.column != nullptr) {
    const tsql::Column& col = *f.column;
    if (n == "nullable") return IsNullable(col);
    if (n == "not_null") return !IsNullable(col);
    if (n == "identity") return col.identity.has_value();
    if (n == "computed") return col.computed.has_value();
    if (n == "has_default") return col.default_constraint.has_value();
    if (n == "in_primary_key") return InPrimaryKey(*f.table, col);
    if (n == "sparse") return col.sparse;
    if (n == "has_description") return !col.description.empty();
    if (n == "type") {
      if (!col.data_type) return false;
      const std::string arg = tsql::ToLowerAscii(c.arg);
      if (tsql::ToLowerAscii(col.data_type->name) == arg) return true;
      if (tsql::ToLowerAscii(CanonicalTypeText(NormalizeType(*col.data_type))) == arg) return true;
      return f.base_type && (f.base_type->name == arg || tsql::ToLowerAscii(f.base_type->text) == arg);
    }
    if (n == "length_gt") {
      const tsql::DataType* t = f.base_type ? f.base_type : col.data_type ? &*col.data_type : nullptr;
      return t != nullptr && (t->is_max || t->length > c.number);
    }
    return false;
  }
  if (f.index != nullptr) {
    const tsql::Index& i = *f.index;
    if (n == "unique") return i.unique;
    if (n == "clustered") {
      return i.kind == tsql::IndexKind::kClustered || i.kind == tsql::IndexKind::kClusteredColumnstore;
    }
    if (n == "has_filter") return !i.filter.empty();
    if (n == "columns_gt") return static_cast<int64_t>(i.columns.size()) > c.number;
    return false;
  }
  if (f.constraint != nullptr) {
    const tsql::Constraint& k = *f.constraint;
    if (n == "named") return !k.name.empty();
    if (n == "kind") {
      static const std::map<std::string, tsql::ConstraintKind> kKinds = {
          {"primary_key", tsql::ConstraintKind::kPrimaryKey}, {"unique", tsql::ConstraintKind::kUnique},
          {"foreign_key", tsql::ConstraintKind::kForeignKey}, {"check", tsql::ConstraintKind::kCheck},
          {"default", tsql::ConstraintKind::kDefault}};
      auto it = kKinds.find(c.arg);
      return it != kKinds.end() && it->second == k.kind;
    }
    return false;
  }
  if (f.table != nullptr) {
    const tsql::Table& t = *f.table;
    if (n == "has_primary_key") return t.primary_key.has_value();
    if (n == "has_clustered_index") return HasClusteredIndex(t);
    if (n == "has_foreign_key") return !t.foreign_keys.empty();
    if (n == "has_description") return !t.description.empty();
    if (n == "system_versioned") return t.system_versioned;
    if (n == "memory_optimized") return t.memory_optimized;
    if (n == "column") return t.FindColumn(c.arg) != nullptr;
    if (n == "columns_gt") return static_cast<int64_t>(t.columns.size()) > c.number;
    return false;
  }
  if (f.view != nullptr) {
    if (n == "schemabinding") return f.view->schemabinding;
    if (n == "has_description") return !f.view->description.empty();
    return false;
  }
  if (f.routine != nullptr) {
    if (n == "has_description") return !f.routine->description.empty();
  }
  return false;
}

class CustomRule : public Rule {
 public:
  CustomRule(CustomRuleSpec spec, Kind kind, std::optional<NameRegex> name_re,
             std::vector<Condition> require, std::vector<Condition> forbid)
      : spec_(std::move(spec)), kind_(kind), name_re_(std::move(name_re)),
        require_(std::move(require)), forbid_(std::move(forbid)) {}

  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    switch (kind_) {
      case Kind::kTable: {
        Facts f;
        f.name = t.name;
        f.table = &t;
        Apply(f, [&]() -> FindingTarget { return TableTarget(s, t); }, ctx);
        break;
      }
      case Kind::kColumn:
        for (const tsql::Column& c : t.columns) {
          Facts f;
          f.name = c.name;
          f.table = &t;
          f.column = &c;
          f.base_type = ctx.index().BaseType(t, c);
          Apply(f, [&]() -> FindingTarget { return ColumnTarget(s, t, c); }, ctx);
        }
        break;
      case Kind::kIndex:
        for (const tsql::Index& i : t.indexes) {
          Facts f;
          f.name = i.name;
          f.table = &t;
          f.index = &i;
          Apply(f, [&]() -> FindingTarget { return IndexTarget(s, t, i); }, ctx);
        }
        break;
      case Kind::kConstraint: {
        auto one = [&](const tsql::Constraint& k) {
          Facts f;
          f.name = k.name;
          f.table = &t;
          f.constraint = &k;
          Apply(f, [&]() -> FindingTarget { return ConstraintTarget(s, t, k); }, ctx);
        };
        if (t.primary_key) one(*t.primary_key);
        for (const auto& k : t.unique_constraints) one(k);
        for (const auto& k : t.foreign_keys) one(k);
        for (const auto& k : t.check_constraints) one(k);
        for (const auto& c : t.columns) {
          if (c.default_constraint) one(*c.default_constraint);
        }
        break;
      }
      default:
        break;
    }
  }

  void CheckView(const SchemaScope& s, const tsql::View& v, RuleContext& ctx) override {
    if (kind_ != Kind::kView) return;
    Facts f;
    f.name = v.name;
    f.view = &v;
    Apply(f, [&]() -> FindingTarget {
      return {ObjectPath(s.database.name, s.schema.name, v.name), "view", &v.span};
    }, ctx);
  }

  void CheckRoutine(const SchemaScope& s, const tsql::Routine& r, RuleContext& ctx) override {
    const bool proc = r.kind == tsql::RoutineKind::kProcedure;
    if (!(kind_ == Kind::kProcedure && proc) && !(kind_ == Kind::kFunction && !proc)) return;
    Facts f;
    f.name = r.name;
    f.routine = &r;
    Apply(f, [&]() -> FindingTarget {
      return {ObjectPath(s.database.name, s.schema.name, r.name), proc ? "procedure" : "function", &r.span};
    }, ctx);
  }

  void CheckTrigger(const SchemaScope& s, const tsql::Trigger& t, RuleContext& ctx) override {
    if (kind_ != Kind::kTrigger) return;
    Facts f;
    f.name = t.name;
    Apply(f, [&]() -> FindingTarget {
      return {ObjectPath(s.database.name, s.schema.name, t.name), "trigger", &t.span};
    }, ctx);
  }

  void CheckSequence(const SchemaScope& s, const tsql::Sequence& q, RuleContext& ctx) override {
    if (kind_ != Kind::kSequence) return;
    Facts f;
    f.name = q.name;
    Apply(f, [&]() -> FindingTarget {
      return {ObjectPath(s.database.name, s.schema.name, q.name), "sequence", &q.span};
    }, ctx);
  }

 private:
  // Evaluates the conditions; the finding target is built on the first violation only.
  template <typename MakeTarget>
  void Apply(const Facts& f, MakeTarget&& make_target, RuleContext& ctx) {
    if (name_re_ && !name_re_->Matches(f.name)) return;
    std::optional<FindingTarget> target;
    auto emit = [&](const Condition& c, bool required) {
      if (!target) target = make_target();
      Emit(*target, c, required, ctx);
    };
    for (const Condition& c : require_) {
      if (!Eval(c, f)) emit(c, /*required=*/true);
    }
    for (const Condition& c : forbid_) {
      if (Eval(c, f)) emit(c, /*required=*/false);
    }
  }

  void Emit(const FindingTarget& target, const Condition& c, bool required, RuleContext& ctx) {
    std::string message;
    if (spec_.message.empty()) {
      message = absl::StrCat(target.kind, " '", target.path, "' ",
                             required ? "does not satisfy required" : "matches forbidden",
                             " condition '", c.text, "'");
      if (!spec_.description.empty()) absl::StrAppend(&message, ": ", spec_.description);
    } else {
      message = spec_.message;
      for (auto [from, to] : {std::pair<std::string, std::string>{"{object}", target.path},
                              {"{condition}", c.text}, {"{kind}", target.kind}}) {
        size_t pos = 0;
        while ((pos = message.find(from, pos)) != std::string::npos) {
          message.replace(pos, from.size(), to);
          pos += to.size();
        }
      }
    }
    ctx.Report(target, std::move(message),
               absl::StrCat(required ? "make the " : "change the ", target.kind,
                            required ? " satisfy '" : " so it no longer matches '", c.text,
                            "' (custom rule ", spec_.id, ")"));
  }

  CustomRuleSpec spec_;
  Kind kind_;
  std::optional<NameRegex> name_re_;
  std::vector<Condition> require_;
  std::vector<Condition> forbid_;
};

absl::StatusOr<NameRegex> Compile(const std::string& pattern, std::string_view where) {
  auto re = NameRegex::Compile(pattern, NameRegex::kSearch);
  if (!re.ok()) return absl::InvalidArgumentError(absl::StrCat(AsAbsl(where), ": ", re.status().message()));
  return re;
}

}  // namespace

absl::StatusOr<RuleFactory> MakeCustomRule(const CustomRuleSpec& spec, const RuleConfig& config) {
  const std::string where = absl::StrCat(ConfigWhere(config, spec.line), ": custom rule '", spec.id, "'");
  if (!IsKebabCaseId(spec.id)) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": id is not kebab-case (expected e.g. fact-tables-have-load-date)"));
  }
  const KindInfo* kind = nullptr;
  std::vector<std::string> kind_names;
  for (const KindInfo& k : Kinds()) {
    kind_names.push_back(k.name);
    if (spec.object_kind == k.name) kind = &k;
  }
  if (kind == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": unknown object_kind '", spec.object_kind,
                                                   "' (expected one of ", absl::StrJoin(kind_names, ", "), ")"));
  }
  std::optional<NameRegex> name_re;
  if (!spec.name_pattern.empty()) {
    SQLMILL_ASSIGN_OR_RETURN(name_re, Compile(spec.name_pattern, where));
  }
  auto parse = [&](const std::vector<std::string>& texts) -> absl::StatusOr<std::vector<Condition>> {
    std::vector<Condition> out;
    for (const std::string& text : texts) {
      Condition c;
      c.text = text;
      const size_t colon = text.find(':');
      c.name = text.substr(0, colon);
      const std::string lookup = colon == std::string::npos ? c.name : c.name + ":";
      if (colon != std::string::npos) c.arg = text.substr(colon + 1);
      if (std::find(kind->conditions.begin(), kind->conditions.end(), lookup) == kind->conditions.end()) {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ": unknown condition '", text, "' for ", kind->name, " (expected one of ",
            absl::StrJoin(kind->conditions, ", "), ")"));
      }
      if (colon != std::string::npos && c.arg.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(where, ": condition '", text, "' needs a value after ':'"));
      }
      if (c.name == "name") {
        SQLMILL_ASSIGN_OR_RETURN(c.regex, Compile(c.arg, where));
      } else if (c.name == "columns_gt" || c.name == "length_gt") {
        auto [ptr, ec] = std::from_chars(c.arg.data(), c.arg.data() + c.arg.size(), c.number);
        if (ec != std::errc() || ptr != c.arg.data() + c.arg.size()) {
          return absl::InvalidArgumentError(
              absl::StrCat(where, ": condition '", text, "' expects an integer"));
        }
      }
      out.push_back(std::move(c));
    }
    return out;
  };
  SQLMILL_ASSIGN_OR_RETURN(std::vector<Condition> require, parse(spec.require));
  SQLMILL_ASSIGN_OR_RETURN(std::vector<Condition> forbid, parse(spec.forbid));

  RuleFactory f;
  f.info.id = spec.id;
  f.info.category = RuleCategory::kCustom;
  f.info.summary = spec.description.empty() ? absl::StrCat("custom rule on ", spec.object_kind, "s")
                                            : spec.description;
  f.info.doc = absl::StrCat("Custom rule from ", ConfigWhere(config, spec.line), ": ", f.info.summary);
  f.info.default_severity = spec.severity.value_or(Severity::kWarning);
  const Kind k = kind->kind;
  f.create = [spec, k, name_re, require, forbid](const RuleParams&)
      -> absl::StatusOr<std::unique_ptr<Rule>> {
    return std::unique_ptr<Rule>(std::make_unique<CustomRule>(spec, k, name_re, require, forbid));
  };
  return f;
}

}  // namespace sqlmill::validator

// Rule parameters, finding targets, the rule context and the registry.
#include "services/schema_validator/engine/rule.h"

#include <charconv>

#include "absl/strings/str_cat.h"
#include "common/base/strings.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {
std::string Trim(std::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}
}  // namespace

const std::string& RuleParams::Get(std::string_view name) const {
  static const std::string* kEmpty = new std::string();
  auto it = values_.find(std::string(name));
  return it == values_.end() ? *kEmpty : it->second;
}

absl::StatusOr<int64_t> RuleParams::GetInt(std::string_view name) const {
  const std::string& v = Get(name);
  int64_t out = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || ptr != v.data() + v.size()) {
    return absl::InvalidArgumentError(absl::StrCat("rule '", rule_id_, "' parameter '", AsAbsl(name),
                                                   "': expected an integer but found '", v, "'"));
  }
  return out;
}

std::vector<std::string> RuleParams::GetList(std::string_view name) const {
  std::vector<std::string> out;
  const std::string& v = Get(name);
  size_t start = 0;
  while (start <= v.size()) {
    size_t comma = v.find(',', start);
    if (comma == std::string::npos) comma = v.size();
    std::string item = Trim(std::string_view(v).substr(start, comma - start));
    if (!item.empty()) out.push_back(item);
    start = comma + 1;
  }
  return out;
}

FindingTarget TableTarget(const SchemaScope& s, const tsql::Table& t) {
  return {ObjectPath(s.database.name, s.schema.name, t.name), "table", &t.span};
}

FindingTarget ColumnTarget(const SchemaScope& s, const tsql::Table& t, const tsql::Column& c) {
  return {ObjectPath(s.database.name, s.schema.name, t.name, c.name), "column", &c.span};
}

FindingTarget ConstraintTarget(const SchemaScope& s, const tsql::Table& t,
                               const tsql::Constraint& c) {
  const tsql::CatalogSpan* span = c.span.begin.line > 0 ? &c.span : &t.span;
  return {ObjectPath(s.database.name, s.schema.name, t.name, ConstraintLabel(c)), "constraint", span};
}

FindingTarget IndexTarget(const SchemaScope& s, const tsql::Table& t, const tsql::Index& i) {
  const tsql::CatalogSpan* span = i.span.begin.line > 0 ? &i.span : &t.span;
  return {ObjectPath(s.database.name, s.schema.name, t.name, i.name), "index", span};
}

const TypeMapping& RuleContext::MapBaseType(const tsql::DataType& base) {
  auto it = type_mappings_.find(AsAbsl(base.text));
  if (it != type_mappings_.end()) return it->second;
  return type_mappings_.emplace(base.text, target_->MapType(base)).first->second;
}

void RuleContext::Report(FindingTarget target, std::string message, std::string suggestion,
                         std::optional<Severity> severity) {
  Finding f;
  f.rule_id = rule_id_ != nullptr ? *rule_id_ : std::string();
  f.severity = severity_configured_ || !severity ? default_severity_ : *severity;
  f.object_path = std::move(target.path);
  f.object_kind = std::move(target.kind);
  f.message = std::move(message);
  f.suggestion = std::move(suggestion);
  if (target.located != nullptr) {
    f.location = *target.located;
  } else if (target.span != nullptr) {
    f.location = index_.Locate(*target.span);
  }
  findings_.push_back(std::move(f));
}

bool IsKebabCaseId(std::string_view id) {
  if (id.empty() || id.front() == '-' || id.back() == '-') return false;
  char prev = 0;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || (c == '-' && prev == '-')) return false;
    prev = c;
  }
  return id.front() >= 'a' && id.front() <= 'z';
}

absl::Status RuleRegistry::Register(RuleFactory factory) {
  if (!IsKebabCaseId(factory.info.id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("rule id '", factory.info.id, "' is not kebab-case (expected e.g. pk-required)"));
  }
  if (factories_.count(factory.info.id) > 0) {
    return absl::InvalidArgumentError(absl::StrCat("rule id '", factory.info.id, "' is registered twice"));
  }
  std::string id = factory.info.id;
  factories_.emplace(std::move(id), std::move(factory));
  return absl::OkStatus();
}

const RuleFactory* RuleRegistry::Find(std::string_view id) const {
  auto it = factories_.find(id);
  return it == factories_.end() ? nullptr : &it->second;
}

std::vector<const RuleFactory*> RuleRegistry::rules() const {
  std::vector<const RuleFactory*> out;
  out.reserve(factories_.size());
  for (const auto& [id, f] : factories_) out.push_back(&f);
  return out;
}

const RuleRegistry& RuleRegistry::Builtin() {
  static const RuleRegistry* kBuiltin = [] {
    auto* registry = new RuleRegistry();
    for (RuleFactory& f : BuiltinRuleFactories()) {
      // Built-in ids are unique and kebab-case by construction (rule_registry_test checks).
      registry->Register(std::move(f)).IgnoreError();
    }
    return registry;
  }();
  return *kBuiltin;
}

}  // namespace sqlmill::validator

// Builds comparable index keys for index-duplicate and index-redundant.
#include "services/schema_validator/engine/rules/index_keys.h"

#include "absl/strings/str_cat.h"

namespace sqlmill::validator {

std::vector<IndexKey> RowstoreKeys(const SchemaScope& s, const tsql::Table& t) {
  std::vector<IndexKey> out;
  auto columns = [](const std::vector<tsql::KeyColumn>& cols) {
    std::vector<std::string> v;
    for (const auto& c : cols) v.push_back(tsql::ToLowerAscii(c.name) + (c.descending ? " desc" : ""));
    return v;
  };
  auto add_constraint = [&](const tsql::Constraint& c) {
    IndexKey k;
    k.label = absl::StrCat(ConstraintKindName(c.kind), " ", ConstraintLabel(c));
    k.columns = columns(c.columns);
    k.unique = true;
    k.is_constraint = true;
    k.target = ConstraintTarget(s, t, c);
    out.push_back(std::move(k));
  };
  if (t.primary_key) add_constraint(*t.primary_key);
  for (const auto& u : t.unique_constraints) add_constraint(u);
  for (const tsql::Index& i : t.indexes) {
    if (i.kind != tsql::IndexKind::kClustered && i.kind != tsql::IndexKind::kNonclustered &&
        i.kind != tsql::IndexKind::kUnspecified && i.kind != tsql::IndexKind::kHash) {
      continue;
    }
    IndexKey k;
    k.label = absl::StrCat("index ", i.name);
    k.columns = columns(i.columns);
    k.filter = i.filter;
    k.unique = i.unique;
    k.target = IndexTarget(s, t, i);
    out.push_back(std::move(k));
  }
  return out;
}

}  // namespace sqlmill::validator

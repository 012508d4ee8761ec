// Node selection (see selector.h). Stateless; thread-safe.
#include "services/dbt_compiler/engine/selector.h"

#include <fnmatch.h>

#include <functional>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/strings.h"

namespace sqlmill::dbt {
namespace {

bool Glob(const std::string& pattern, const std::string& value) {
  return fnmatch(pattern.c_str(), value.c_str(), 0) == 0;
}

struct Atom {
  bool at = false;
  int up = 0;     // ancestors depth (-1 = all)
  int down = 0;   // descendants depth (-1 = all)
  std::string method;
  std::string value;
};

absl::StatusOr<Atom> ParseAtom(std::string s) {
  Atom a;
  if (absl::StartsWith(s, "@")) {
    a.at = true;
    s = s.substr(1);
  }
  size_t i = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i < s.size() && s[i] == '+') {
    a.up = -1;
    if (i > 0) (void)absl::SimpleAtoi(s.substr(0, i), &a.up);
    s = s.substr(i + 1);
  }
  size_t j = s.size();
  while (j > 0 && std::isdigit(static_cast<unsigned char>(s[j - 1]))) --j;
  if (j > 0 && s[j - 1] == '+') {
    a.down = -1;
    if (j < s.size()) (void)absl::SimpleAtoi(s.substr(j), &a.down);
    s = s.substr(0, j - 1);
  }
  const size_t colon = s.find(':');
  if (colon != std::string::npos) {
    a.method = s.substr(0, colon);
    a.value = s.substr(colon + 1);
  } else {
    a.value = s;
  }
  if (a.value.empty()) return absl::InvalidArgumentError(absl::StrCat("empty selector '", s, "'"));
  return a;
}

bool MatchesFqn(const Node& n, const std::string& value) {
  if (Glob(value, n.name)) return true;
  std::vector<std::string> parts = absl::StrSplit(value, '.');
  // A selector like "staging" or "pkg.staging.stg_x" matches a prefix of the fqn, with or
  // without the package.
  for (size_t start : {size_t{0}, size_t{1}}) {
    if (start + parts.size() > n.fqn.size()) continue;
    bool ok = true;
    for (size_t k = 0; k < parts.size(); ++k) ok = ok && Glob(parts[k], n.fqn[start + k]);
    if (ok) return true;
  }
  return false;
}

std::string ConfigString(const jinja::Value& v) { return v.is_none() ? "None" : v.Str(); }

absl::StatusOr<bool> Matches(const Node& n, const Atom& a) {
  const std::string& m = a.method;
  const std::string& v = a.value;
  if (m.empty()) {
    if (v.find('/') != std::string::npos || absl::EndsWith(v, ".sql")) {
      return absl::StartsWith(n.original_file_path, absl::StripSuffix(v, "/")) || Glob(v, n.original_file_path);
    }
    return MatchesFqn(n, v);
  }
  if (m == "fqn") return MatchesFqn(n, v);
  if (m == "tag") {
    const jinja::Value* tags = n.config.dict()->FindStr("tags");
    if (tags == nullptr || !tags->is_sequence()) return false;
    for (const auto& t : tags->items()) {
      if (Glob(v, t.Str())) return true;
    }
    return false;
  }
  if (m == "path" || m == "file") {
    const std::string p(absl::StripSuffix(v, "/"));
    if (m == "file") {
      std::string base = n.original_file_path.substr(n.original_file_path.rfind('/') + 1);
      return Glob(p, base) || Glob(p, n.original_file_path);
    }
    return n.original_file_path == p || absl::StartsWith(n.original_file_path, p + "/") ||
           Glob(p, n.original_file_path);
  }
  if (m == "package") return Glob(v, n.package_name);
  if (m == "resource_type") return v == ResourceTypeName(n.type);
  if (m == "test_type") {
    if (n.type != ResourceType::kTest) return false;
    return (v == "generic" || v == "schema") ? n.test.has_value() : (v == "singular" || v == "data") && !n.test;
  }
  if (m == "test_name") return n.test && Glob(v, n.test->test_name);
  if (m == "source") {
    for (const auto& s : n.sources) {
      if (Glob(v, s[0]) || Glob(v, absl::StrCat(s[0], ".", s[1]))) return true;
    }
    return false;
  }
  if (absl::StartsWith(m, "config.")) {
    const std::string key = m.substr(7);
    const jinja::Value* c = n.config.dict()->FindStr(key);
    if (c == nullptr) return false;
    if (c->is_sequence()) {
      for (const auto& x : c->items()) {
        if (Glob(v, ConfigString(x))) return true;
      }
      return false;
    }
    return Glob(v, ConfigString(*c)) || (c->is_bool() && v == (c->as_bool() ? "true" : "false"));
  }
  return absl::InvalidArgumentError(absl::StrCat("unsupported selector method '", m, "'"));
}

}  // namespace

absl::StatusOr<absl::flat_hash_set<std::string>> SelectNodes(const std::vector<const Node*>& nodes,
                                                             const SelectorGraph& graph,
                                                             const std::vector<std::string>& select,
                                                             const std::vector<std::string>& exclude) {
  absl::flat_hash_map<std::string, std::vector<std::string>> children;
  for (const auto& [id, ps] : graph.parents) {
    for (const auto& p : ps) children[p].push_back(id);
  }
  auto walk = [&](const std::string& start, int depth, bool up, absl::flat_hash_set<std::string>* out) {
    std::vector<std::pair<std::string, int>> stack{{start, 0}};
    while (!stack.empty()) {
      auto [id, d] = stack.back();
      stack.pop_back();
      if (depth >= 0 && d >= depth) continue;
      const auto& next = up ? (graph.parents.contains(id) ? graph.parents.at(id) : std::vector<std::string>{})
                            : (children.contains(id) ? children.at(id) : std::vector<std::string>{});
      for (const auto& n : next) {
        if (out->insert(n).second) stack.push_back({n, d + 1});
      }
    }
  };
  auto eval_term = [&](const std::string& term) -> absl::StatusOr<absl::flat_hash_set<std::string>> {
    absl::flat_hash_set<std::string> result;
    bool first = true;
    for (absl::string_view part : absl::StrSplit(term, ',', absl::SkipEmpty())) {
      auto atom = ParseAtom(std::string(part));
      if (!atom.ok()) return atom.status();
      absl::flat_hash_set<std::string> hits;
      for (const Node* n : nodes) {
        auto m = Matches(*n, *atom);
        if (!m.ok()) return m.status();
        if (*m) hits.insert(n->unique_id);
      }
      absl::flat_hash_set<std::string> expanded = hits;
      for (const auto& id : hits) {
        if (atom->up != 0) walk(id, atom->up, true, &expanded);
        if (atom->down != 0 || atom->at) walk(id, atom->at ? -1 : atom->down, false, &expanded);
      }
      if (atom->at) {
        absl::flat_hash_set<std::string> with_parents = expanded;
        for (const auto& id : expanded) walk(id, -1, true, &with_parents);
        expanded = std::move(with_parents);
      }
      if (first) {
        result = std::move(expanded);
        first = false;
      } else {
        absl::flat_hash_set<std::string> inter;
        for (const auto& id : result) {
          if (expanded.contains(id)) inter.insert(id);
        }
        result = std::move(inter);
      }
    }
    return result;
  };
  auto eval_all = [&](const std::vector<std::string>& args) -> absl::StatusOr<absl::flat_hash_set<std::string>> {
    absl::flat_hash_set<std::string> out;
    for (const auto& arg : args) {
      for (absl::string_view term : absl::StrSplit(arg, absl::ByAnyChar(" \t\n"), absl::SkipEmpty())) {
        auto r = eval_term(std::string(term));
        if (!r.ok()) return r.status();
        out.insert(r->begin(), r->end());
      }
    }
    return out;
  };
  absl::flat_hash_set<std::string> selected;
  bool any_select = false;
  for (const auto& s : select) any_select = any_select || !absl::StripAsciiWhitespace(s).empty();
  if (!any_select) {
    for (const Node* n : nodes) selected.insert(n->unique_id);
  } else {
    auto r = eval_all(select);
    if (!r.ok()) return r.status();
    selected = std::move(*r);
    // Eager indirect selection: tests whose parents are all... any of whose parents is selected.
    for (const Node* n : nodes) {
      if (n->type != ResourceType::kTest || selected.contains(n->unique_id)) continue;
      for (const auto& p : n->depends_on_nodes) {
        if (selected.contains(p)) {
          selected.insert(n->unique_id);
          break;
        }
      }
    }
  }
  if (!exclude.empty()) {
    auto r = eval_all(exclude);
    if (!r.ok()) return r.status();
    for (const auto& id : *r) selected.erase(id);
  }
  return selected;
}

}  // namespace sqlmill::dbt

// Fixture parsing: a small tokenizer for column, constraint and index one-liners, and a
// walk over the YAML mapping. yaml-cpp exceptions are contained by yaml_util.
#include "services/schema_validator/engine/testing/catalog_fixture.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "services/schema_validator/engine/sql_type.h"
#include "services/schema_validator/engine/yaml_util.h"

namespace sqlmill::validator::testing {
namespace {

using tsql::ToLowerAscii;

// Splits on spaces; (), [] and '' group (spaces inside kept). A group directly after a
// word stays attached to it: "decimal(18, 2)" is one token.
std::vector<std::string> Tokens(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ' || c == '\t') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
      ++i;
      continue;
    }
    if (c == '(' || c == '[' || c == '\'') {
      size_t j = i + 1;
      if (c == '(') {
        int depth = 1;
        for (; j < s.size() && depth > 0; ++j) {
          if (s[j] == '(') ++depth;
          if (s[j] == ')') --depth;
        }
      } else {
        const char close = c == '[' ? ']' : '\'';
        while (j < s.size() && s[j] != close) ++j;
        if (j < s.size()) ++j;
      }
      cur.append(s.substr(i, j - i));
      i = j;
      continue;
    }
    cur.push_back(c);
    ++i;
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::string Unbracket(std::string_view s) {
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') return std::string(s.substr(1, s.size() - 2));
  return std::string(s);
}

std::string Unquote(std::string_view s) {
  if (s.size() >= 2 && s.front() == '\'' && s.back() == '\'') return std::string(s.substr(1, s.size() - 2));
  return std::string(s);
}

// Splits "a.b.c" (brackets allowed) into parts.
std::vector<std::string> DottedParts(std::string_view s) {
  std::vector<std::string> parts;
  std::string cur;
  bool in_bracket = false;
  for (char c : s) {
    if (c == '[') in_bracket = true;
    else if (c == ']') in_bracket = false;
    else if (c == '.' && !in_bracket) {
      parts.push_back(cur);
      cur.clear();
      continue;
    } else {
      cur.push_back(c);
    }
  }
  parts.push_back(cur);
  return parts;
}

tsql::ObjectName ObjectNameOf(std::string_view s) {
  std::vector<std::string> p = DottedParts(s);
  tsql::ObjectName n;
  n.name = p.back();
  if (p.size() >= 2) n.schema = p[p.size() - 2];
  if (p.size() >= 3) n.database = p[p.size() - 3];
  if (p.size() >= 4) n.server = p[p.size() - 4];
  return n;
}

// Splits "name(a, b desc)" into name and key columns.
bool NameAndColumns(std::string_view s, std::string* name, std::vector<tsql::KeyColumn>* cols) {
  const size_t open = s.find('(');
  if (open == std::string_view::npos || s.back() != ')') return false;
  *name = Unbracket(s.substr(0, open));
  std::string_view inner = s.substr(open + 1, s.size() - open - 2);
  size_t start = 0;
  while (start <= inner.size()) {
    size_t comma = inner.find(',', start);
    if (comma == std::string_view::npos) comma = inner.size();
    std::vector<std::string> t = Tokens(inner.substr(start, comma - start));
    if (!t.empty()) {
      tsql::KeyColumn k;
      k.name = Unbracket(t[0]);
      k.descending = t.size() > 1 && ToLowerAscii(t[1]) == "desc";
      cols->push_back(k);
    }
    start = comma + 1;
  }
  return true;
}

class Builder {
 public:
  explicit Builder(std::string_view file) : file_(file) {}

  tsql::CatalogSpan Span(const YAML::Node& node) const {
    tsql::CatalogSpan s;
    const YAML::Mark m = node.Mark();
    if (m.is_null()) return s;
    s.file = 0;
    const uint32_t len = node.IsScalar() ? static_cast<uint32_t>(std::max<size_t>(1, node.Scalar().size())) : 1;
    s.span = {static_cast<uint32_t>(m.pos), len};
    s.begin = {m.line + 1, m.column + 1};
    s.end = {m.line + 1, m.column + 1 + static_cast<int>(len)};
    return s;
  }

  absl::Status Error(const YAML::Node& node, std::string_view message) const {
    return YamlError(file_, node, message);
  }

  absl::StatusOr<tsql::Column> Column(const YAML::Node& node, int ordinal) {
    SQLMILL_ASSIGN_OR_RETURN(std::string text, YamlScalar(file_, node));
    if (std::count(text.begin(), text.end(), '(') != std::count(text.begin(), text.end(), ')')) {
      return Error(node, "unbalanced parentheses (quote list items that contain commas)");
    }
    std::vector<std::string> t = Tokens(text);
    if (t.size() < 2) return Error(node, "expected 'name type [options]' or 'name as expr'");
    tsql::Column c;
    c.name = Unbracket(t[0]);
    c.ordinal = ordinal;
    c.span = Span(node);
    size_t i = 1;
    if (ToLowerAscii(t[1]) == "as") {
      if (t.size() < 3) return Error(node, "expected an expression after 'as'");
      c.computed = tsql::ComputedColumn{t[2], false};
      i = 3;
    } else {
      auto type = ParseTypeText(t[1]);
      if (!type.ok()) return Error(node, AsStd(type.status().message()));
      c.data_type = *type;
      i = 2;
    }
    for (; i < t.size(); ++i) {
      const std::string w = ToLowerAscii(t[i]);
      auto next = [&]() -> std::string { return i + 1 < t.size() ? t[++i] : std::string(); };
      if (w == "null") c.nullability = tsql::Nullability::kNull;
      else if (w == "not" && i + 1 < t.size() && ToLowerAscii(t[i + 1]) == "null") {
        c.nullability = tsql::Nullability::kNotNull;
        ++i;
      } else if (w.rfind("identity", 0) == 0) {
        c.identity = tsql::Identity{};
      } else if (w == "default") {
        tsql::Constraint d;
        d.kind = tsql::ConstraintKind::kDefault;
        d.expression = next();
        d.columns.push_back({c.name, false});
        d.span = c.span;
        if (i + 2 < t.size() && ToLowerAscii(t[i + 1]) == "named") {
          ++i;
          d.name = next();
        }
        c.default_constraint = d;
      } else if (w == "sparse") c.sparse = true;
      else if (w == "filestream") c.filestream = true;
      else if (w == "rowguidcol") c.rowguidcol = true;
      else if (w == "column_set") c.column_set = true;
      else if (w == "collate") c.collation = next();
      else if (w == "masked") c.masking_function = "default()";
      else if (w == "encrypted") c.encrypted_with = "COLUMN_ENCRYPTION_KEY = k";
      else if (w == "hidden") c.hidden = true;
      else if (w == "persisted" && c.computed) c.computed->persisted = true;
      else if (w == "description") c.description = Unquote(next());
      else if (w == "generated") {
        next();  // row
        const std::string which = ToLowerAscii(next());
        c.generated_always = which == "start" ? tsql::GeneratedAlways::kRowStart : tsql::GeneratedAlways::kRowEnd;
      } else {
        return Error(node, absl::StrCat("unknown column option '", t[i], "'"));
      }
    }
    return c;
  }

  absl::StatusOr<tsql::Constraint> KeyConstraint(const YAML::Node& node, tsql::ConstraintKind kind) {
    SQLMILL_ASSIGN_OR_RETURN(std::string text, YamlScalar(file_, node));
    tsql::Constraint c;
    c.kind = kind;
    c.span = Span(node);
    std::vector<std::string> t = Tokens(text);
    if (t.empty() || !NameAndColumns(t[0], &c.name, &c.columns)) {
      return Error(node, "expected 'NAME(col, ...)' or '(col, ...)'");
    }
    for (size_t i = 1; i < t.size(); ++i) {
      const std::string w = ToLowerAscii(t[i]);
      if (w == "clustered") c.clustering = tsql::Clustering::kClustered;
      else if (w == "nonclustered") c.clustering = tsql::Clustering::kNonclustered;
      else if (w == "hash") c.clustering = tsql::Clustering::kHash;
      else if (w == "nocheck") c.not_trusted = true;
      else return Error(node, absl::StrCat("unknown key option '", t[i], "'"));
    }
    return c;
  }

  absl::StatusOr<tsql::Constraint> ForeignKey(const YAML::Node& node) {
    SQLMILL_ASSIGN_OR_RETURN(std::string text, YamlScalar(file_, node));
    tsql::Constraint c;
    c.kind = tsql::ConstraintKind::kForeignKey;
    c.span = Span(node);
    std::vector<std::string> t = Tokens(text);
    if (t.size() < 3 || t[1] != "->" || !NameAndColumns(t[0], &c.name, &c.columns)) {
      return Error(node, "expected 'NAME(cols) -> schema.table(cols)'");
    }
    std::string ref;
    std::vector<tsql::KeyColumn> ref_cols;
    if (NameAndColumns(t[2], &ref, &ref_cols)) {
      for (const auto& k : ref_cols) c.referenced_columns.push_back(k.name);
    } else {
      ref = t[2];
    }
    c.referenced_table = ObjectNameOf(ref);
    for (size_t i = 3; i < t.size(); ++i) {
      const std::string w = ToLowerAscii(t[i]);
      if (w == "on" && i + 2 < t.size()) {
        const bool del = ToLowerAscii(t[i + 1]) == "delete";
        const std::string a = ToLowerAscii(t[i + 2]);
        tsql::ReferentialAction act = a == "cascade" ? tsql::ReferentialAction::kCascade
                                                     : tsql::ReferentialAction::kNoAction;
        (del ? c.on_delete : c.on_update) = act;
        i += 2;
      } else if (w == "nocheck") {
        c.not_trusted = true;
      } else {
        return Error(node, absl::StrCat("unknown foreign key option '", t[i], "'"));
      }
    }
    return c;
  }

  absl::StatusOr<tsql::Constraint> Check(const YAML::Node& node) {
    SQLMILL_ASSIGN_OR_RETURN(std::string text, YamlScalar(file_, node));
    tsql::Constraint c;
    c.kind = tsql::ConstraintKind::kCheck;
    c.span = Span(node);
    const size_t colon = text.find(": ");
    if (colon != std::string::npos && text.find(' ') > colon) {
      c.name = text.substr(0, colon);
      c.expression = text.substr(colon + 2);
    } else {
      c.expression = text;
    }
    if (c.expression.rfind("nocheck ", 0) == 0) {
      c.not_trusted = true;
      c.expression = c.expression.substr(8);
    }
    return c;
  }

  absl::StatusOr<tsql::Index> Index(const YAML::Node& node) {
    SQLMILL_ASSIGN_OR_RETURN(std::string text, YamlScalar(file_, node));
    tsql::Index x;
    x.span = Span(node);
    std::vector<std::string> t = Tokens(text);
    size_t i = 0;
    bool clustered = false;
    bool nonclustered = false;
    for (; i < t.size(); ++i) {
      const std::string w = ToLowerAscii(t[i]);
      if (w == "unique") x.unique = true;
      else if (w == "clustered") clustered = true;
      else if (w == "nonclustered") nonclustered = true;
      else if (w == "columnstore") x.kind = clustered ? tsql::IndexKind::kClusteredColumnstore : tsql::IndexKind::kNonclusteredColumnstore;
      else if (w == "xml") x.kind = tsql::IndexKind::kXml;
      else if (w == "spatial") x.kind = tsql::IndexKind::kSpatial;
      else if (w == "fulltext") x.kind = tsql::IndexKind::kFulltext;
      else if (w == "hash") x.kind = tsql::IndexKind::kHash;
      else break;
    }
    if (x.kind == tsql::IndexKind::kUnspecified) {
      x.kind = clustered ? tsql::IndexKind::kClustered : tsql::IndexKind::kNonclustered;
    }
    (void)nonclustered;
    if (i >= t.size() || !NameAndColumns(t[i], &x.name, &x.columns)) {
      return Error(node, "expected '[unique] [clustered|...] NAME(cols) [include(cols)] [where expr]'");
    }
    for (++i; i < t.size(); ++i) {
      const std::string w = ToLowerAscii(t[i]);
      std::string ignored;
      std::vector<tsql::KeyColumn> inc;
      if (w.rfind("include", 0) == 0 && NameAndColumns(t[i], &ignored, &inc)) {
        for (const auto& k : inc) x.included_columns.push_back(k.name);
      } else if (w == "where") {
        std::string filter;
        for (++i; i < t.size(); ++i) absl::StrAppend(&filter, filter.empty() ? "" : " ", t[i]);
        x.filter = filter;
      } else {
        return Error(node, absl::StrCat("unknown index option '", t[i], "'"));
      }
    }
    return x;
  }

  template <typename F>
  absl::Status EachItem(const YAML::Node& node, F&& f) {
    if (node.IsScalar()) return f(node);
    if (!node.IsSequence()) return Error(node, "expected a list");
    for (const auto& item : node) SQLMILL_RETURN_IF_ERROR(f(item));
    return absl::OkStatus();
  }

  absl::StatusOr<bool> Bool(const YAML::Node& node) { return YamlBool(file_, node); }

  absl::Status Table(const YAML::Node& key, const YAML::Node& body, tsql::Table* t) {
    t->span = Span(key);
    if (body.IsNull()) return absl::OkStatus();
    if (!body.IsMap()) return Error(body, "expected a mapping with columns, pk, fks, ...");
    for (const auto& kv : body) {
      SQLMILL_ASSIGN_OR_RETURN(std::string k, YamlScalar(file_, kv.first));
      const YAML::Node& v = kv.second;
      if (k == "columns") {
        SQLMILL_RETURN_IF_ERROR(EachItem(v, [&](const YAML::Node& n) -> absl::Status {
          SQLMILL_ASSIGN_OR_RETURN(tsql::Column c, Column(n, static_cast<int>(t->columns.size()) + 1));
          t->columns.push_back(std::move(c));
          return absl::OkStatus();
        }));
      } else if (k == "pk") {
        SQLMILL_ASSIGN_OR_RETURN(tsql::Constraint c, KeyConstraint(v, tsql::ConstraintKind::kPrimaryKey));
        t->primary_key = std::move(c);
      } else if (k == "unique") {
        SQLMILL_RETURN_IF_ERROR(EachItem(v, [&](const YAML::Node& n) -> absl::Status {
          SQLMILL_ASSIGN_OR_RETURN(tsql::Constraint c, KeyConstraint(n, tsql::ConstraintKind::kUnique));
          t->unique_constraints.push_back(std::move(c));
          return absl::OkStatus();
        }));
      } else if (k == "fks") {
        SQLMILL_RETURN_IF_ERROR(EachItem(v, [&](const YAML::Node& n) -> absl::Status {
          SQLMILL_ASSIGN_OR_RETURN(tsql::Constraint c, ForeignKey(n));
          t->foreign_keys.push_back(std::move(c));
          return absl::OkStatus();
        }));
      } else if (k == "checks") {
        SQLMILL_RETURN_IF_ERROR(EachItem(v, [&](const YAML::Node& n) -> absl::Status {
          SQLMILL_ASSIGN_OR_RETURN(tsql::Constraint c, Check(n));
          t->check_constraints.push_back(std::move(c));
          return absl::OkStatus();
        }));
      } else if (k == "indexes") {
        SQLMILL_RETURN_IF_ERROR(EachItem(v, [&](const YAML::Node& n) -> absl::Status {
          SQLMILL_ASSIGN_OR_RETURN(tsql::Index x, Index(n));
          t->indexes.push_back(std::move(x));
          return absl::OkStatus();
        }));
      } else if (k == "description") {
        SQLMILL_ASSIGN_OR_RETURN(t->description, YamlScalar(file_, v));
      } else if (k == "memory_optimized") {
        SQLMILL_ASSIGN_OR_RETURN(t->memory_optimized, Bool(v));
      } else if (k == "system_versioned") {
        SQLMILL_ASSIGN_OR_RETURN(t->system_versioned, Bool(v));
      } else if (k == "ledger") {
        SQLMILL_ASSIGN_OR_RETURN(t->ledger, Bool(v));
      } else if (k == "history") {
        SQLMILL_ASSIGN_OR_RETURN(std::string h, YamlScalar(file_, v));
        t->history_table = ObjectNameOf(h);
      } else if (k == "filestream_on") {
        SQLMILL_ASSIGN_OR_RETURN(t->filestream_on, YamlScalar(file_, v));
      } else if (k == "period") {
        if (!v.IsSequence() || v.size() != 2) return Error(v, "expected [start_column, end_column]");
        SQLMILL_ASSIGN_OR_RETURN(t->period_start_column, YamlScalar(file_, v[0]));
        SQLMILL_ASSIGN_OR_RETURN(t->period_end_column, YamlScalar(file_, v[1]));
      } else if (k == "options") {
        // Table options as the parser records them: {DISTRIBUTION: ROUND_ROBIN, HEAP: ""},
        // EXTERNAL: "ON" for CREATE EXTERNAL TABLE, "AS SELECT": "ON" for CTAS.
        if (!v.IsMap()) return Error(v, "expected a map of table options");
        for (const auto& o : v) {
          SQLMILL_ASSIGN_OR_RETURN(std::string key, YamlScalar(file_, o.first));
          SQLMILL_ASSIGN_OR_RETURN(std::string value, YamlScalar(file_, o.second));
          t->options[key] = value;
        }
      } else if (k == "graph") {
        SQLMILL_ASSIGN_OR_RETURN(std::string g, YamlScalar(file_, v));
        t->graph_kind = g == "node" ? tsql::GraphKind::kNode : tsql::GraphKind::kEdge;
      } else {
        return Error(kv.first, absl::StrCat("unknown table key '", k, "'"));
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<tsql::ObjectReference>> References(const YAML::Node& v) {
    std::vector<tsql::ObjectReference> out;
    SQLMILL_RETURN_IF_ERROR(EachItem(v, [&](const YAML::Node& n) -> absl::Status {
      SQLMILL_ASSIGN_OR_RETURN(std::string s, YamlScalar(file_, n));
      out.push_back({ObjectNameOf(s), Span(n)});
      return absl::OkStatus();
    }));
    return out;
  }

  absl::Status Routine(const YAML::Node& key, const YAML::Node& body, tsql::Routine* r) {
    r->span = Span(key);
    if (body.IsNull()) return absl::OkStatus();
    if (!body.IsMap()) return Error(body, "expected a mapping");
    for (const auto& kv : body) {
      SQLMILL_ASSIGN_OR_RETURN(std::string k, YamlScalar(file_, kv.first));
      const YAML::Node& v = kv.second;
      if (k == "references") {
        SQLMILL_ASSIGN_OR_RETURN(r->references, References(v));
      } else if (k == "description") {
        SQLMILL_ASSIGN_OR_RETURN(r->description, YamlScalar(file_, v));
      } else if (k == "clr") {
        SQLMILL_ASSIGN_OR_RETURN(bool clr, Bool(v));
        if (clr) {
          r->kind = tsql::RoutineKind::kClr;
          r->external_name = "Assembly.Class.Method";
        }
      } else if (k == "parameters") {
        SQLMILL_RETURN_IF_ERROR(EachItem(v, [&](const YAML::Node& n) -> absl::Status {
          SQLMILL_ASSIGN_OR_RETURN(std::string s, YamlScalar(file_, n));
          std::vector<std::string> t = Tokens(s);
          if (t.size() < 2) return Error(n, "expected '@name type [= default]'");
          tsql::Parameter p;
          p.name = t[0];
          auto type = ParseTypeText(t[1]);
          if (!type.ok()) return Error(n, AsStd(type.status().message()));
          p.data_type = *type;
          if (t.size() >= 4 && t[2] == "=") p.default_value = t[3];
          r->parameters.push_back(std::move(p));
          return absl::OkStatus();
        }));
      } else {
        return Error(kv.first, absl::StrCat("unknown routine key '", k, "'"));
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<tsql::Catalog> Build(const YAML::Node& root) {
    tsql::Catalog catalog;
    if (!root.IsNull() && !root.IsMap()) return Error(root, "expected a mapping");
    std::string db_name;
    if (root["file"]) {
      SQLMILL_ASSIGN_OR_RETURN(file_name_, YamlScalar(file_, root["file"]));
    } else {
      file_name_ = std::string(file_);
    }
    catalog.files.push_back(file_name_);
    if (root["database"]) {
      SQLMILL_ASSIGN_OR_RETURN(db_name, YamlScalar(file_, root["database"]));
    }
    tsql::Database& db = catalog.GetOrAddDatabase(db_name);
    auto schema_of = [&](const YAML::Node& key, std::string* name) -> absl::StatusOr<tsql::Schema*> {
      SQLMILL_ASSIGN_OR_RETURN(std::string full, YamlScalar(file_, key));
      std::vector<std::string> parts = DottedParts(full);
      if (parts.size() != 2) return Error(key, "expected schema.name");
      *name = parts[1];
      return &db.GetOrAddSchema(parts[0]);
    };
    if (root.IsNull()) return catalog;
    for (const auto& kv : root) {
      SQLMILL_ASSIGN_OR_RETURN(std::string section, YamlScalar(file_, kv.first));
      const YAML::Node& v = kv.second;
      // Keys the golden harness reads itself.
      if (section == "file" || section == "database" || section == "target" || section == "targets" ||
          section == "config" || section == "sources") {
        continue;
      }
      if (section == "schemas") {
        SQLMILL_RETURN_IF_ERROR(EachItem(v, [&](const YAML::Node& n) -> absl::Status {
          SQLMILL_ASSIGN_OR_RETURN(std::string s, YamlScalar(file_, n));
          db.GetOrAddSchema(s).span = Span(n);
          return absl::OkStatus();
        }));
        continue;
      }
      if (!v.IsMap()) return Error(v, absl::StrCat("expected a mapping of objects under '", section, "'"));
      for (const auto& obj : v) {
        std::string name;
        SQLMILL_ASSIGN_OR_RETURN(tsql::Schema * s, schema_of(obj.first, &name));
        const YAML::Node& body = obj.second;
        if (section == "tables") {
          tsql::Table t;
          t.name = name;
          SQLMILL_RETURN_IF_ERROR(Table(obj.first, body, &t));
          s->tables.push_back(std::move(t));
        } else if (section == "views") {
          tsql::View view;
          view.name = name;
          view.span = Span(obj.first);
          if (body.IsMap()) {
            for (const auto& f : body) {
              SQLMILL_ASSIGN_OR_RETURN(std::string k, YamlScalar(file_, f.first));
              if (k == "references") {
                SQLMILL_ASSIGN_OR_RETURN(view.references, References(f.second));
              } else if (k == "columns") {
                SQLMILL_RETURN_IF_ERROR(EachItem(f.second, [&](const YAML::Node& n) -> absl::Status {
                  SQLMILL_ASSIGN_OR_RETURN(std::string c, YamlScalar(file_, n));
                  view.columns.push_back(c);
                  return absl::OkStatus();
                }));
              } else if (k == "description") {
                SQLMILL_ASSIGN_OR_RETURN(view.description, YamlScalar(file_, f.second));
              } else if (k == "schemabinding") {
                SQLMILL_ASSIGN_OR_RETURN(view.schemabinding, Bool(f.second));
              } else {
                return Error(f.first, absl::StrCat("unknown view key '", k, "'"));
              }
            }
          }
          s->views.push_back(std::move(view));
        } else if (section == "procedures" || section == "functions") {
          tsql::Routine r;
          r.name = name;
          r.kind = section == "procedures" ? tsql::RoutineKind::kProcedure : tsql::RoutineKind::kScalarFunction;
          SQLMILL_RETURN_IF_ERROR(Routine(obj.first, body, &r));
          s->routines.push_back(std::move(r));
        } else if (section == "triggers") {
          tsql::Trigger g;
          g.name = name;
          g.span = Span(obj.first);
          g.timing = tsql::TriggerTiming::kAfter;
          if (body.IsMap()) {
            for (const auto& f : body) {
              SQLMILL_ASSIGN_OR_RETURN(std::string k, YamlScalar(file_, f.first));
              if (k == "parent") {
                SQLMILL_ASSIGN_OR_RETURN(std::string p, YamlScalar(file_, f.second));
                g.parent = ObjectNameOf(p);
              } else if (k == "references") {
                SQLMILL_ASSIGN_OR_RETURN(g.references, References(f.second));
              } else {
                return Error(f.first, absl::StrCat("unknown trigger key '", k, "'"));
              }
            }
          }
          s->triggers.push_back(std::move(g));
        } else if (section == "sequences") {
          tsql::Sequence q;
          q.name = name;
          q.span = Span(obj.first);
          if (body.IsMap() && body["type"]) {
            SQLMILL_ASSIGN_OR_RETURN(std::string ty, YamlScalar(file_, body["type"]));
            auto type = ParseTypeText(ty);
            if (!type.ok()) return Error(body["type"], AsStd(type.status().message()));
            q.data_type = *type;
          }
          s->sequences.push_back(std::move(q));
        } else if (section == "synonyms") {
          tsql::Synonym y;
          y.name = name;
          y.span = Span(obj.first);
          SQLMILL_ASSIGN_OR_RETURN(std::string target, YamlScalar(file_, body));
          y.target = ObjectNameOf(target);
          s->synonyms.push_back(std::move(y));
        } else if (section == "types") {
          tsql::UserDefinedType u;
          u.name = name;
          u.span = Span(obj.first);
          if (body.IsScalar()) {
            u.kind = tsql::TypeKind::kAlias;
            auto type = ParseTypeText(body.Scalar());
            if (!type.ok()) return Error(body, AsStd(type.status().message()));
            u.base_type = *type;
          } else if (body.IsMap() && body["table"]) {
            u.kind = tsql::TypeKind::kTable;
            int ordinal = 0;
            SQLMILL_RETURN_IF_ERROR(EachItem(body["table"], [&](const YAML::Node& n) -> absl::Status {
              SQLMILL_ASSIGN_OR_RETURN(tsql::Column c, Column(n, ++ordinal));
              u.columns.push_back(std::move(c));
              return absl::OkStatus();
            }));
          } else if (body.IsMap() && body["clr"]) {
            u.kind = tsql::TypeKind::kClr;
            SQLMILL_ASSIGN_OR_RETURN(u.external_name, YamlScalar(file_, body["clr"]));
          } else {
            return Error(body, "expected a base type, {table: [...]} or {clr: name}");
          }
          s->types.push_back(std::move(u));
        } else {
          return Error(kv.first, absl::StrCat("unknown section '", section,
                                              "' (expected tables, views, procedures, functions, triggers, "
                                              "sequences, synonyms, types, schemas)"));
        }
      }
    }
    return catalog;
  }

 private:
  std::string_view file_;
  std::string file_name_;
};

}  // namespace

absl::StatusOr<tsql::Catalog> CatalogFromFixtureNode(const YAML::Node& node, std::string_view file_name) {
  try {
    Builder b(file_name);
    return b.Build(node);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(AsAbsl(file_name), ":", e.mark.line + 1, ": ", e.msg));
  }
}

absl::StatusOr<tsql::Catalog> ParseCatalogFixture(std::string_view yaml, std::string_view file_name) {
  SQLMILL_ASSIGN_OR_RETURN(YAML::Node root, YamlLoad(yaml, file_name));
  return CatalogFromFixtureNode(root, file_name);
}

}  // namespace sqlmill::validator::testing

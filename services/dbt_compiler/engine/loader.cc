// Project discovery: dbt_project.yml files, resource files, YAML properties and generic
// tests. Stateless; thread-safe.
#include "services/dbt_compiler/engine/loader.h"

#include <algorithm>
#include <regex>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "services/dbt_compiler/engine/internal/hash.h"
#include "services/dbt_compiler/engine/yaml_value.h"

namespace sqlmill::dbt {
namespace {

using jinja::Value;

std::vector<std::string> StringList(const Value* v, std::vector<std::string> fallback) {
  if (v == nullptr || v->is_none()) return fallback;
  std::vector<std::string> out;
  if (v->is_sequence()) {
    for (const auto& item : v->items()) out.push_back(std::string(absl::StripSuffix(item.Str(), "/")));
  } else {
    out.push_back(v->Str());
  }
  return out;
}

Value DictOrEmpty(const Value* v) {
  if (v != nullptr && v->is_dict()) return *v;
  return Value::Dict();
}

void Error(DiagnosticSink* sink, std::string code, std::string message, std::string file) {
  sink->Error(std::move(code), std::move(message), std::move(file), SourceSpan{});
}

// Parses a YAML status message "file:line:col: ..." into a diagnostic with a location.
void YamlError(DiagnosticSink* sink, const absl::Status& status, const std::string& file) {
  Diagnostic d;
  d.code = "invalid-yaml";
  d.file = file;
  std::string msg(status.message());
  d.message = msg;
  const std::string prefix = file + ":";
  if (absl::StartsWith(msg, prefix)) {
    std::vector<std::string> parts = absl::StrSplit(msg.substr(prefix.size()), absl::MaxSplits(':', 2));
    if (parts.size() == 3) {
      d.location.line = std::atoi(parts[0].c_str());
      d.location.column = std::atoi(parts[1].c_str());
      d.message = std::string(absl::StripLeadingAsciiWhitespace(parts[2]));
    }
  }
  sink->Add(std::move(d));
}

absl::StatusOr<Package> ParsePackage(std::string_view text, const std::string& file,
                                     const std::string& root, bool is_root) {
  SQLMILL_ASSIGN_OR_RETURN(Value doc, ParseYaml(text, file));
  if (!doc.is_dict()) {
    return absl::InvalidArgumentError(absl::StrCat(file, ": expected a mapping in dbt_project.yml"));
  }
  Package p;
  p.root = root;
  p.is_root = is_root;
  p.name = GetString(doc, "name");
  if (p.name.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(file, ": dbt_project.yml has no 'name'"));
  }
  const Value* model_paths = Get(doc, "model-paths");
  if (model_paths == nullptr) model_paths = Get(doc, "source-paths");
  p.model_paths = StringList(model_paths, {"models"});
  const Value* seed_paths = Get(doc, "seed-paths");
  if (seed_paths == nullptr) seed_paths = Get(doc, "data-paths");
  p.seed_paths = StringList(seed_paths, {"seeds"});
  p.snapshot_paths = StringList(Get(doc, "snapshot-paths"), {"snapshots"});
  p.analysis_paths = StringList(Get(doc, "analysis-paths"), {"analyses"});
  p.test_paths = StringList(Get(doc, "test-paths"), {"tests"});
  p.macro_paths = StringList(Get(doc, "macro-paths"), {"macros"});
  p.docs_paths = StringList(Get(doc, "docs-paths"), {});
  p.vars = DictOrEmpty(Get(doc, "vars"));
  p.models = DictOrEmpty(Get(doc, "models"));
  p.seeds = DictOrEmpty(Get(doc, "seeds"));
  p.snapshots = DictOrEmpty(Get(doc, "snapshots"));
  p.tests = DictOrEmpty(Get(doc, "data_tests"));
  if (p.tests.dict()->size() == 0) p.tests = DictOrEmpty(Get(doc, "tests"));
  p.analyses = DictOrEmpty(Get(doc, "analyses"));
  p.sources = DictOrEmpty(Get(doc, "sources"));
  p.quoting = DictOrEmpty(Get(doc, "quoting"));
  if (const Value* d = Get(doc, "dispatch"); d != nullptr && d->is_sequence()) p.dispatch = *d;
  return p;
}

// If `rel` lies under one of `dirs`, returns the path below that directory.
bool UnderAny(const std::string& rel, const std::vector<std::string>& dirs, std::string* sub,
              std::string* dir_out = nullptr) {
  for (const auto& d : dirs) {
    if (d.empty() || d == ".") {
      *sub = rel;
      if (dir_out) *dir_out = "";
      return true;
    }
    if (rel.size() > d.size() + 1 && absl::StartsWith(rel, d) && rel[d.size()] == '/') {
      *sub = rel.substr(d.size() + 1);
      if (dir_out) *dir_out = d;
      return true;
    }
  }
  return false;
}

std::string Stem(std::string_view file) {
  size_t slash = file.rfind('/');
  std::string_view base = slash == std::string_view::npos ? file : file.substr(slash + 1);
  size_t dot = base.rfind('.');
  return std::string(dot == std::string_view::npos ? base : base.substr(0, dot));
}

std::vector<std::string> DirParts(std::string_view sub) {
  std::vector<std::string> parts = absl::StrSplit(AsAbsl(sub), '/');
  parts.pop_back();
  return parts;
}

bool EndsWith(const std::string& s, std::string_view suffix) { return absl::EndsWith(s, AsAbsl(suffix)); }

// The context a YAML property file's entries are read in.
struct YamlFile {
  const Package* pkg;
  std::string rel;   // relative to the package root
  std::string key;   // FileMap key
  std::vector<std::string> dirs;  // directories below its resource path
};

constexpr std::string_view kTestConfigArgs[] = {
    "severity", "tags", "enabled", "where", "limit", "warn_if", "error_if", "fail_calc",
    "store_failures", "store_failures_as", "meta", "database", "schema", "alias"};

bool IsTestConfigArg(std::string_view k) {
  for (auto c : kTestConfigArgs) {
    if (c == k) return true;
  }
  return false;
}

std::string CleanArg(const std::string& s) {
  static const std::regex kNotWord("[^0-9a-zA-Z_]+");
  return std::regex_replace(s, kNotWord, "_");
}

// Python repr of a double-quoted config value in generated raw_code.
std::string ConfigLiteral(const Value& v) {
  if (v.is_string()) {
    std::string out = "\"";
    for (char c : v.as_string()) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
    return out;
  }
  return v.Repr();
}

class Loader {
 public:
  Loader(const FileMap& files, DiagnosticSink* sink) : files_(files), sink_(sink) {}

  absl::StatusOr<Project> Run() {
    auto it = files_.find("dbt_project.yml");
    if (it == files_.end()) {
      return absl::InvalidArgumentError("no dbt_project.yml at the project root");
    }
    SQLMILL_ASSIGN_OR_RETURN(Package root, ParsePackage(it->second, "dbt_project.yml", "", true));
    project_.packages.push_back(std::move(root));
    // Installed packages: dbt_packages/<dir>/dbt_project.yml (dbt_modules/ for old dbt).
    for (const auto& [key, text] : files_) {
      for (std::string_view top : {"dbt_packages/", "dbt_modules/"}) {
        if (!absl::StartsWith(key, AsAbsl(top))) continue;
        std::string rest = key.substr(top.size());
        size_t slash = rest.find('/');
        if (slash == std::string::npos || rest.substr(slash + 1) != "dbt_project.yml") continue;
        const std::string root_dir = absl::StrCat(AsAbsl(top), rest.substr(0, slash), "/");
        auto pkg = ParsePackage(text, key, root_dir, false);
        if (!pkg.ok()) {
          YamlError(sink_, pkg.status(), key);
          continue;
        }
        if (project_.FindPackage(pkg->name) != nullptr) {
          Error(sink_, "duplicate-package",
                absl::StrCat("package '", pkg->name, "' is installed twice (", key, ")"), key);
          continue;
        }
        project_.packages.push_back(std::move(*pkg));
      }
    }
    for (size_t i = 0; i < project_.packages.size(); ++i) LoadPackageFiles(project_.packages[i]);
    for (auto& yf : yaml_files_) LoadProperties(yf);
    return std::move(project_);
  }

 private:
  void LoadPackageFiles(const Package& pkg) {
    auto begin = pkg.root.empty() ? files_.begin() : files_.lower_bound(pkg.root);
    for (auto it = begin; it != files_.end(); ++it) {
      const std::string& key = it->first;
      if (!pkg.root.empty() && !absl::StartsWith(key, pkg.root)) break;
      if (pkg.root.empty() && (absl::StartsWith(key, "dbt_packages/") ||
                               absl::StartsWith(key, "dbt_modules/") ||
                               absl::StartsWith(key, "target/"))) {
        continue;
      }
      const std::string rel = key.substr(pkg.root.size());
      std::string sub, dir;
      if (EndsWith(rel, ".md")) {
        // docs-paths defaults to every resource directory of the package.
        const bool in_docs =
            pkg.docs_paths.empty()
                ? UnderAny(rel, pkg.model_paths, &sub) || UnderAny(rel, pkg.seed_paths, &sub) ||
                      UnderAny(rel, pkg.snapshot_paths, &sub) || UnderAny(rel, pkg.analysis_paths, &sub) ||
                      UnderAny(rel, pkg.test_paths, &sub) || UnderAny(rel, pkg.macro_paths, &sub)
                : UnderAny(rel, pkg.docs_paths, &sub);
        if (in_docs) AddDocs(pkg, key, rel, sub, it->second);
        continue;
      }
      const bool sql = EndsWith(rel, ".sql");
      const bool yml = EndsWith(rel, ".yml") || EndsWith(rel, ".yaml");
      if (UnderAny(rel, pkg.macro_paths, &sub) && sql) {
        project_.macro_files.push_back({pkg.name, key, rel, it->second});
        continue;
      }
      if (UnderAny(rel, pkg.test_paths, &sub) && sql && absl::StartsWith(sub, "generic/")) {
        project_.macro_files.push_back({pkg.name, key, rel, it->second});
        continue;
      }
      if (UnderAny(rel, pkg.model_paths, &sub, &dir)) {
        if (sql) {
          AddNode(pkg, ResourceType::kModel, key, rel, sub, it->second);
        } else if (yml) {
          yaml_files_.push_back({&pkg, rel, key, DirParts(sub)});
        } else if (EndsWith(rel, ".py")) {
          sink_->Warning("unsupported-python-model",
                         absl::StrCat("Python model ", rel, " is not compiled (only SQL models are)"),
                         key, SourceSpan{});
        }
        continue;
      }
      if (UnderAny(rel, pkg.seed_paths, &sub)) {
        if (EndsWith(rel, ".csv")) {
          AddNode(pkg, ResourceType::kSeed, key, rel, sub, it->second);
        } else if (yml) {
          yaml_files_.push_back({&pkg, rel, key, DirParts(sub)});
        }
        continue;
      }
      if (UnderAny(rel, pkg.snapshot_paths, &sub)) {
        if (sql) {
          AddSnapshots(pkg, key, rel, sub, it->second);
        } else if (yml) {
          yaml_files_.push_back({&pkg, rel, key, DirParts(sub)});
        }
        continue;
      }
      if (UnderAny(rel, pkg.analysis_paths, &sub)) {
        if (sql) {
          AddNode(pkg, ResourceType::kAnalysis, key, rel, sub, it->second);
        } else if (yml) {
          yaml_files_.push_back({&pkg, rel, key, DirParts(sub)});
        }
        continue;
      }
      if (UnderAny(rel, pkg.test_paths, &sub)) {
        if (sql) {
          AddNode(pkg, ResourceType::kTest, key, rel, sub, it->second);
        } else if (yml) {
          yaml_files_.push_back({&pkg, rel, key, DirParts(sub)});
        }
        continue;
      }
    }
  }

  void AddDocs(const Package& pkg, const std::string& key, const std::string& rel, const std::string& sub,
               const std::string& text) {
    static const std::regex kOpen(R"(\{%-?\s*docs\s+([A-Za-z_][A-Za-z0-9_]*)\s*-?%\})");
    static const std::regex kClose(R"(\{%-?\s*enddocs\s*-?%\})");
    auto begin = std::sregex_iterator(text.begin(), text.end(), kOpen);
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
      const size_t body = it->position(0) + it->length(0);
      std::smatch close;
      if (!std::regex_search(text.begin() + body, text.end(), close, kClose)) {
        Error(sink_, "invalid-docs-block", absl::StrCat("docs block '", (*it)[1].str(), "' in ", rel,
                                                        " has no {% enddocs %}"), key);
        return;
      }
      DocBlock d;
      d.name = (*it)[1].str();
      d.package_name = pkg.name;
      d.unique_id = absl::StrCat("doc.", pkg.name, ".", d.name);
      d.path = sub;
      d.original_file_path = rel;
      d.file_key = key;
      d.block_contents = std::string(absl::StripAsciiWhitespace(text.substr(body, close.position(0))));
      if (!seen_ids_.emplace(d.unique_id, key).second) {
        Error(sink_, "duplicate-doc",
              absl::StrCat("dbt found two docs blocks named '", d.name, "' in package ", pkg.name), key);
        continue;
      }
      project_.docs.push_back(std::move(d));
    }
  }

  Node* NewNode(const Package& pkg, ResourceType type, const std::string& name) {
    auto node = std::make_unique<Node>();
    node->type = type;
    node->name = name;
    node->package_name = pkg.name;
    node->unique_id = absl::StrCat(ResourceTypeName(type), ".", pkg.name, ".", name);
    Node* raw = node.get();
    project_.nodes.push_back(std::move(node));
    return raw;
  }

  bool CheckDuplicate(const Package& pkg, ResourceType type, const std::string& name,
                      const std::string& key) {
    const std::string id = absl::StrCat(ResourceTypeName(type), ".", pkg.name, ".", name);
    auto [it, inserted] = seen_ids_.emplace(id, key);
    if (!inserted) {
      Error(sink_, "duplicate-node",
            absl::StrCat("dbt found two ", ResourceTypeName(type), "s with the name \"", name,
                         "\": ", it->second, " and ", key),
            key);
      return false;
    }
    return true;
  }

  void AddNode(const Package& pkg, ResourceType type, const std::string& key,
               const std::string& rel, const std::string& sub, const std::string& text) {
    const std::string name = Stem(sub);
    if (!CheckDuplicate(pkg, type, name, key)) return;
    Node* n = NewNode(pkg, type, name);
    n->file_key = key;
    n->original_file_path = rel;
    n->path = type == ResourceType::kAnalysis ? absl::StrCat("analysis/", sub) : sub;
    n->raw_code = type == ResourceType::kSeed ? "" : NormalizeSource(text);
    n->checksum = Sha256Hex(NormalizeSource(text));
    n->fqn.push_back(pkg.name);
    for (auto& d : DirParts(n->path)) n->fqn.push_back(d);
    n->fqn.push_back(name);
  }

  void AddSnapshots(const Package& pkg, const std::string& key, const std::string& rel,
                    const std::string& sub, const std::string& text) {
    const std::string normalized = NormalizeSource(text);
    static const std::regex kOpen(R"(\{%-?\s*snapshot\s+([A-Za-z_][A-Za-z0-9_]*)\s*-?%\})");
    static const std::regex kClose(R"(\{%-?\s*endsnapshot\s*-?%\})");
    auto begin = std::sregex_iterator(normalized.begin(), normalized.end(), kOpen);
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
      const std::smatch& m = *it;
      const std::string name = m[1].str();
      const size_t body_start = m.position(0) + m.length(0);
      std::smatch close;
      std::string rest = normalized.substr(body_start);
      if (!std::regex_search(rest, close, kClose)) {
        Error(sink_, "jinja-syntax",
              absl::StrCat("snapshot '", name, "' has no {% endsnapshot %}"), key);
        continue;
      }
      if (!CheckDuplicate(pkg, ResourceType::kSnapshot, name, key)) continue;
      Node* n = NewNode(pkg, ResourceType::kSnapshot, name);
      n->file_key = key;
      n->original_file_path = rel;
      n->path = sub;
      n->raw_code = rest.substr(0, close.position(0));
      n->checksum = Sha256Hex(normalized);
      n->fqn.push_back(pkg.name);
      for (auto& d : DirParts(sub)) n->fqn.push_back(d);
      n->fqn.push_back(Stem(sub));
      n->fqn.push_back(name);
    }
  }

  // A dbt 1.9 snapshot defined in YAML (`relation: ref('x')` or `source('s', 't')`): its
  // code is a select from that relation, its file the YAML file.
  Node* AddYamlSnapshot(const YamlFile& yf, const Value& entry, const std::string& name) {
    const std::string relation(absl::StripAsciiWhitespace(GetString(entry, "relation")));
    if (name.empty() || relation.empty()) {
      Error(sink_, "invalid-snapshot",
            absl::StrCat("a snapshot in ", yf.rel, " needs a name and a relation (ref(...) or source(...))"), yf.key);
      return nullptr;
    }
    if (!CheckDuplicate(*yf.pkg, ResourceType::kSnapshot, name, yf.key)) return nullptr;
    Node* n = NewNode(*yf.pkg, ResourceType::kSnapshot, name);
    n->file_key = yf.key;
    n->original_file_path = yf.rel;
    std::string path;
    for (const auto& d : yf.dirs) absl::StrAppend(&path, d, "/");
    n->path = absl::StrCat(path, yf.rel.substr(yf.rel.rfind('/') + 1));
    n->raw_code = absl::StrCat("select * from {{ ", relation, " }}");
    n->checksum = Sha256Hex(n->raw_code);
    n->fqn.push_back(yf.pkg->name);
    for (const auto& d : yf.dirs) n->fqn.push_back(d);
    n->fqn.push_back(name);
    return n;
  }

  Node* FindNode(const std::string& pkg, ResourceType type, const std::string& name) {
    const std::string id = absl::StrCat(ResourceTypeName(type), ".", pkg, ".", name);
    for (auto& n : project_.nodes) {
      if (n->unique_id == id) return n.get();
    }
    return nullptr;
  }

  void LoadProperties(const YamlFile& yf) {
    auto doc = ParseYaml(files_.at(yf.key), yf.key);
    if (!doc.ok()) {
      YamlError(sink_, doc.status(), yf.key);
      return;
    }
    if (!doc->is_dict()) return;
    struct Section {
      std::string_view key;
      ResourceType type;
    };
    for (Section s : {Section{"models", ResourceType::kModel}, Section{"seeds", ResourceType::kSeed},
                      Section{"snapshots", ResourceType::kSnapshot},
                      Section{"analyses", ResourceType::kAnalysis}}) {
      const Value* list = Get(*doc, s.key);
      if (list == nullptr || !list->is_sequence()) continue;
      for (const auto& entry : list->items()) {
        if (!entry.is_dict()) continue;
        const std::string name = GetString(entry, "name");
        Node* n = FindNode(yf.pkg->name, s.type, name);
        if (n == nullptr && s.type == ResourceType::kSnapshot && Get(entry, "relation") != nullptr) {
          n = AddYamlSnapshot(yf, entry, name);
          if (n == nullptr) continue;
        }
        if (n == nullptr) {
          sink_->Warning("patch-without-node",
                         absl::StrCat("Did not find matching node for patch with name '", name,
                                      "' in the '", AsAbsl(s.key), "' section of file '", yf.rel, "'"),
                         yf.key, SourceSpan{});
          continue;
        }
        ApplyPatch(yf, entry, n);
      }
    }
    if (const Value* list = Get(*doc, "sources"); list != nullptr && list->is_sequence()) {
      for (const auto& src : list->items()) {
        if (src.is_dict()) LoadSource(yf, src);
      }
    }
  }

  void ApplyPatch(const YamlFile& yf, const Value& entry, Node* n) {
    n->patch_path = absl::StrCat(yf.pkg->name, "://", yf.rel);
    n->description = GetString(entry, "description");
    if (const Value* meta = Get(entry, "meta"); meta && meta->is_dict()) n->meta = *meta;
    Value yaml_config = Value::Dict();
    if (const Value* cfg = Get(entry, "config"); cfg && cfg->is_dict()) {
      for (const auto& [k, v] : cfg->dict()->entries()) yaml_config.dict()->Set(k, v);
    }
    if (const Value* tags = Get(entry, "tags")) {
      Value merged = Value::List();
      if (const Value* t = yaml_config.dict()->FindStr("tags")) {
        if (t->is_sequence()) {
          for (auto& x : t->items()) merged.list()->items.push_back(x);
        } else if (!t->is_none()) {
          merged.list()->items.push_back(*t);
        }
      }
      if (tags->is_sequence()) {
        for (auto& x : tags->items()) merged.list()->items.push_back(x);
      } else if (!tags->is_none()) {
        merged.list()->items.push_back(*tags);
      }
      yaml_config.dict()->SetStr("tags", merged);
    }
    if (const Value* docs = Get(entry, "docs"); docs && docs->is_dict()) {
      yaml_config.dict()->SetStr("docs", *docs);
    }
    n->unrendered_config = yaml_config;  // the YAML layer; compiler merges the rest
    TargetRef target;
    target.node = n;
    if (const Value* tests = TestsOf(entry)) AddTests(yf, *tests, target, nullptr);
    if (const Value* cols = Get(entry, "columns"); cols && cols->is_sequence()) {
      for (const auto& col : cols->items()) {
        if (!col.is_dict()) continue;
        const std::string cname = GetString(col, "name");
        n->columns.dict()->SetStr(cname, ColumnEntry(col));
        if (const Value* tests = TestsOf(col)) AddTests(yf, *tests, target, &col);
      }
    }
  }

  static const Value* TestsOf(const Value& entry) {
    const Value* t = Get(entry, "data_tests");
    if (t == nullptr || !t->is_sequence()) t = Get(entry, "tests");
    return (t != nullptr && t->is_sequence()) ? t : nullptr;
  }

  static Value ColumnEntry(const Value& col) {
    Value c = Value::Dict();
    c.dict()->SetStr("name", Value::String(GetString(col, "name")));
    c.dict()->SetStr("description", Value::String(GetString(col, "description")));
    const Value* meta = Get(col, "meta");
    c.dict()->SetStr("meta", meta && meta->is_dict() ? *meta : Value::Dict());
    const Value* dt = Get(col, "data_type");
    c.dict()->SetStr("data_type", dt ? *dt : Value::None());
    c.dict()->SetStr("constraints", Value::List());
    const Value* quote = Get(col, "quote");
    c.dict()->SetStr("quote", quote ? *quote : Value::None());
    const Value* tags = Get(col, "tags");
    c.dict()->SetStr("tags", tags && tags->is_sequence() ? *tags : Value::List());
    return c;
  }

  void LoadSource(const YamlFile& yf, const Value& src) {
    const std::string sname = GetString(src, "name");
    const Value* tables = Get(src, "tables");
    if (tables == nullptr || !tables->is_sequence()) return;
    const Value* src_cfg = Get(src, "config");
    bool src_enabled = true;
    if (src_cfg && src_cfg->is_dict()) {
      if (const Value* e = src_cfg->dict()->FindStr("enabled")) src_enabled = e->Truthy();
    }
    for (const auto& tbl : tables->items()) {
      if (!tbl.is_dict()) continue;
      SourceTable s;
      s.source_name = sname;
      s.name = GetString(tbl, "name");
      s.identifier = GetString(tbl, "identifier");
      if (s.identifier.empty()) s.identifier = s.name;
      s.database = GetString(src, "database");
      if (s.database.empty()) s.database = GetString(src, "catalog");
      s.schema = GetString(src, "schema");
      if (s.schema.empty()) s.schema = sname;
      s.package_name = yf.pkg->name;
      s.unique_id = absl::StrCat("source.", yf.pkg->name, ".", sname, ".", s.name);
      s.path = yf.rel;
      s.original_file_path = yf.rel;
      s.fqn.push_back(yf.pkg->name);
      for (const auto& d : yf.dirs) s.fqn.push_back(d);
      s.fqn.push_back(sname);
      s.fqn.push_back(s.name);
      s.description = GetString(tbl, "description");
      s.source_description = GetString(src, "description");
      s.loader = GetString(src, "loader");
      s.loaded_at_field = GetString(tbl, "loaded_at_field");
      if (s.loaded_at_field.empty()) s.loaded_at_field = GetString(src, "loaded_at_field");
      Value quoting = Value::Dict();
      for (const Value* q : {Get(src, "quoting"), Get(tbl, "quoting")}) {
        if (q && q->is_dict()) {
          for (const auto& [k, v] : q->dict()->entries()) quoting.dict()->Set(k, v);
        }
      }
      s.quoting = quoting;
      if (const Value* m = Get(tbl, "meta"); m && m->is_dict()) s.meta = *m;
      if (const Value* m = Get(src, "meta"); m && m->is_dict()) s.source_meta = *m;
      Value tags = Value::List();
      for (const Value* t : {Get(src, "tags"), Get(tbl, "tags")}) {
        if (t && t->is_sequence()) {
          for (const auto& x : t->items()) tags.list()->items.push_back(x);
        }
      }
      s.tags = tags;
      s.enabled = src_enabled;
      if (const Value* cfg = Get(tbl, "config"); cfg && cfg->is_dict()) {
        if (const Value* e = cfg->dict()->FindStr("enabled")) s.enabled = e->Truthy();
      }
      if (const Value* ext = Get(tbl, "external")) s.external = *ext;
      TargetRef target;
      target.source_name = sname;
      target.table_name = s.name;
      target.source_id = s.unique_id;
      if (const Value* cols = Get(tbl, "columns"); cols && cols->is_sequence()) {
        for (const auto& col : cols->items()) {
          if (!col.is_dict()) continue;
          s.columns.dict()->SetStr(GetString(col, "name"), ColumnEntry(col));
        }
      }
      project_.sources.push_back(std::move(s));
      if (const Value* tests = TestsOf(tbl)) AddTests(yf, *tests, target, nullptr);
      if (const Value* cols = Get(tbl, "columns"); cols && cols->is_sequence()) {
        for (const auto& col : cols->items()) {
          if (!col.is_dict()) continue;
          if (const Value* tests = TestsOf(col)) AddTests(yf, *tests, target, &col);
        }
      }
    }
  }

  struct TargetRef {
    Node* node = nullptr;  // a model/seed/snapshot/analysis
    std::string source_name, table_name, source_id;
  };

  void AddTests(const YamlFile& yf, const Value& tests, const TargetRef& target, const Value* column) {
    for (const auto& entry : tests.items()) AddTest(yf, entry, target, column);
  }

  void AddTest(const YamlFile& yf, const Value& entry, const TargetRef& target, const Value* column) {
    std::string test_name;
    Value raw_args = Value::Dict();
    if (entry.is_string()) {
      test_name = entry.as_string();
    } else if (entry.is_dict() && entry.dict()->size() >= 1) {
      if (const Value* tn = entry.dict()->FindStr("test_name")) {
        test_name = tn->Str();
        for (const auto& [k, v] : entry.dict()->entries()) {
          if (k.Str() != "test_name") raw_args.dict()->Set(k, v);
        }
      } else {
        const auto& [k, v] = entry.dict()->entries()[0];
        test_name = k.Str();
        if (v.is_dict()) raw_args = v;
      }
    } else {
      Error(sink_, "invalid-test", absl::StrCat("a test entry in ", yf.rel, " is neither a name nor a mapping"),
            yf.key);
      return;
    }
    GenericTest t;
    const size_t dot = test_name.find('.');
    if (dot != std::string::npos) {
      t.namespace_name = test_name.substr(0, dot);
      t.test_name = test_name.substr(dot + 1);
    } else {
      t.test_name = test_name;
    }
    Value config = Value::Dict();
    std::string custom_name;
    Value args = Value::Dict();
    for (const auto& [k, v] : raw_args.dict()->entries()) {
      const std::string key = k.Str();
      if (key == "config" && v.is_dict()) {
        for (const auto& [ck, cv] : v.dict()->entries()) config.dict()->Set(ck, cv);
      } else if (key == "arguments" && v.is_dict()) {
        for (const auto& [ak, av] : v.dict()->entries()) args.dict()->Set(ak, av);
      } else if (key == "name") {
        custom_name = v.Str();
      } else if (key == "description") {
      } else if (IsTestConfigArg(key)) {
        config.dict()->SetStr(key, v);
      } else {
        args.dict()->SetStr(key, v);
      }
    }
    if (column != nullptr) {
      std::string cname = GetString(*column, "name");
      if (const Value* q = Get(*column, "quote"); q && q->Truthy()) cname = absl::StrCat("\"", cname, "\"");
      t.column_name = cname;
      args.dict()->SetStr("column_name", Value::String(cname));
    }
    std::string target_name, model_expr;
    const bool is_source = target.node == nullptr;
    if (is_source) {
      target_name = absl::StrCat(target.source_name, "_", target.table_name);
      model_expr = absl::StrCat("{{ get_where_subquery(source('", target.source_name, "', '",
                                target.table_name, "')) }}");
      t.file_key_name = absl::StrCat("sources.", target.source_name);
    } else {
      target_name = target.node->name;
      model_expr = absl::StrCat("{{ get_where_subquery(ref('", target.node->name, "')) }}");
      t.file_key_name = absl::StrCat(ResourceTypeName(target.node->type), "s.", target.node->name);
      t.attached_node = target.node->unique_id;
    }
    t.kwargs = Value::Dict();
    for (const auto& [k, v] : args.dict()->entries()) t.kwargs.dict()->Set(k, v);
    t.kwargs.dict()->SetStr("model", Value::String(model_expr));

    const std::string identifier =
        absl::StrCat(t.namespace_name.empty() ? "" : t.namespace_name + "_", is_source ? "source_" : "",
                     t.test_name, "_", target_name);
    auto [short_name, full_name] = GenericTestNames(identifier, args);
    if (!custom_name.empty()) short_name = full_name = custom_name;

    Node* n = NewNode(*yf.pkg, ResourceType::kTest, full_name);
    n->unique_id = absl::StrCat("test.", yf.pkg->name, ".", full_name, ".", GenericTestHash(full_name, t));
    if (!seen_ids_.emplace(n->unique_id, yf.key).second) {
      Error(sink_, "duplicate-node",
            absl::StrCat("dbt found two tests with the name \"", full_name, "\" in ", yf.rel), yf.key);
      project_.nodes.pop_back();
      return;
    }
    n->file_key = yf.key;
    n->original_file_path = yf.rel;
    n->path = absl::StrCat(short_name, ".sql");
    n->fqn.push_back(yf.pkg->name);
    for (const auto& d : yf.dirs) n->fqn.push_back(d);
    n->fqn.push_back(full_name);
    std::string macro = t.namespace_name.empty() ? absl::StrCat("test_", t.test_name)
                                                 : absl::StrCat(t.namespace_name, ".test_", t.test_name);
    std::string raw = absl::StrCat("{{ ", macro, "(**_dbt_generic_test_kwargs) }}");
    std::vector<std::string> cfg_parts;
    for (const auto& [k, v] : config.dict()->entries()) {
      cfg_parts.push_back(absl::StrCat(k.Str(), "=", ConfigLiteral(v)));
    }
    if (short_name != full_name) cfg_parts.push_back(absl::StrCat("alias=\"", short_name, "\""));
    if (!cfg_parts.empty()) absl::StrAppend(&raw, "{{ config(", absl::StrJoin(cfg_parts, ","), ") }}");
    n->raw_code = raw;
    n->test = std::move(t);
  }

  const FileMap& files_;
  DiagnosticSink* sink_;
  Project project_;
  std::vector<YamlFile> yaml_files_;
  absl::flat_hash_map<std::string, std::string> seen_ids_;
};

// Python's repr() of the nested str()-ed metadata dbt hashes.
Value Hashable(const Value& v) {
  if (v.is_dict()) {
    std::vector<std::pair<std::string, Value>> entries;
    for (const auto& [k, x] : v.dict()->entries()) entries.emplace_back(k.Str(), x);
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    Value out = Value::Dict();
    for (auto& [k, x] : entries) out.dict()->SetStr(k, Hashable(x));
    return out;
  }
  if (v.is_list()) {
    std::vector<Value> items;
    for (const auto& x : v.items()) items.push_back(Hashable(x));
    return Value::List(std::move(items));
  }
  return Value::String(PyStr(v));
}

}  // namespace

const char* ResourceTypeName(ResourceType type) {
  switch (type) {
    case ResourceType::kModel: return "model";
    case ResourceType::kSeed: return "seed";
    case ResourceType::kSnapshot: return "snapshot";
    case ResourceType::kAnalysis: return "analysis";
    case ResourceType::kTest: return "test";
  }
  return "model";
}

const Package* Project::FindPackage(std::string_view name) const {
  for (const auto& p : packages) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string NormalizeSource(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out.push_back(text[i]);
  }
  // A UTF-8 byte order mark is not content.
  if (absl::StartsWith(out, "\xEF\xBB\xBF")) out.erase(0, 3);
  return std::string(absl::StripAsciiWhitespace(out));
}

std::pair<std::string, std::string> GenericTestNames(std::string_view identifier, const Value& args) {
  std::vector<std::pair<std::string, Value>> sorted;
  for (const auto& [k, v] : args.dict()->entries()) {
    if (k.Str() == "model") continue;
    sorted.emplace_back(k.Str(), v);
  }
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> flat;
  for (const auto& [k, v] : sorted) {
    if (v.is_dict()) {
      for (const auto& [dk, dv] : v.dict()->entries()) flat.push_back(CleanArg(PyStr(dv)));
    } else if (v.is_sequence()) {
      for (const auto& item : v.items()) flat.push_back(CleanArg(PyStr(item)));
    } else {
      flat.push_back(CleanArg(PyStr(v)));
    }
  }
  const std::string full = absl::StrCat(AsAbsl(identifier), "_", absl::StrJoin(flat, "__"));
  if (full.size() >= 64) {
    return {absl::StrCat(AsAbsl(identifier.substr(0, 30)), "_", Md5Hex(full)), full};
  }
  return {full, full};
}

Value TestMetadata(const GenericTest& test) {
  Value md = Value::Dict();
  md.dict()->SetStr("name", Value::String(test.test_name));
  md.dict()->SetStr("kwargs", test.kwargs);
  md.dict()->SetStr("namespace", test.namespace_name.empty() ? Value::None()
                                                             : Value::String(test.namespace_name));
  return md;
}

std::string GenericTestHash(std::string_view full_name, const GenericTest& test) {
  const std::string repr = Hashable(TestMetadata(test)).Repr();
  const std::string md5 = Md5Hex(absl::StrCat(AsAbsl(full_name), repr));
  return md5.substr(md5.size() - 10);
}

absl::StatusOr<Project> LoadProject(const FileMap& files, DiagnosticSink* sink) {
  return Loader(files, sink).Run();
}

}  // namespace sqlmill::dbt

// Target profiles parsed from YAML, and the registry of built-in ones. yaml-cpp reports
// problems by exception: they are caught here and turned into INVALID_ARGUMENT naming the
// file and line.
#include "services/schema_validator/engine/target_profile.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "services/schema_validator/engine/sql_type.h"
#include "services/schema_validator/engine/yaml_util.h"
#include "yaml-cpp/yaml.h"

namespace sqlmill::validator {
namespace {

const std::vector<std::string>& FeatureIdList() {
  static const auto* kIds = new std::vector<std::string>{
      "alias-type",         "always-encrypted",   "check-constraint", "clr-routine",
      "collation",          "column-set",         "columnstore-index", "computed-column",
      "external-table",     "filestream",         "filtered-index",     "foreign-key",      "fulltext-index",
      "function",           "graph-table",        "hash-index",       "identity",
      "included-columns",   "index",              "ledger-table",     "masked-column",
      "memory-optimized-table", "primary-key",    "procedure",        "rowguidcol",
      "sequence",           "sparse-column",      "spatial-index",    "synonym",
      "table-distribution", "table-type",         "temporal-table",     "trigger",          "unique-constraint",
      "view",               "xml-index",
  };
  return *kIds;
}

// Fills a 128-entry ASCII set from a spec like "A-Za-z0-9_$".
absl::Status ParseCharSet(std::string_view spec, std::array<bool, 128>* set) {
  set->fill(false);
  for (size_t i = 0; i < spec.size(); ++i) {
    unsigned char lo = static_cast<unsigned char>(spec[i]);
    unsigned char hi = lo;
    if (i + 2 < spec.size() && spec[i + 1] == '-') {
      hi = static_cast<unsigned char>(spec[i + 2]);
      i += 2;
    }
    if (lo >= 128 || hi >= 128 || hi < lo) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad character set '", AsAbsl(spec), "': expected ASCII ranges like A-Za-z_"));
    }
    for (unsigned c = lo; c <= hi; ++c) (*set)[c] = true;
  }
  return absl::OkStatus();
}

// Returns the longest prefix of s of at most max_bytes bytes that ends on a UTF-8 boundary.
std::string_view TruncateUtf8(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string TruncateCodePoints(std::string_view s, size_t max_points) {
  size_t points = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (points == max_points) return std::string(s.substr(0, i));
      ++points;
    }
  }
  return std::string(s);
}

void ReplaceAll(std::string* s, std::string_view from, std::string_view to) {
  size_t pos = 0;
  while ((pos = s->find(from, pos)) != std::string::npos) {
    s->replace(pos, from.size(), to);
    pos += to.size();
  }
}

}  // namespace

const char* TypeLossName(TypeLoss loss) {
  switch (loss) {
    case TypeLoss::kNone:
      return "none";
    case TypeLoss::kPrecision:
      return "precision";
    case TypeLoss::kRange:
      return "range";
    case TypeLoss::kSemantics:
      return "semantics";
    case TypeLoss::kNoEquivalent:
      return "no-equivalent";
  }
  return "none";
}

std::optional<TypeLoss> TypeLossFromName(std::string_view name) {
  for (TypeLoss l : {TypeLoss::kNone, TypeLoss::kPrecision, TypeLoss::kRange, TypeLoss::kSemantics,
                     TypeLoss::kNoEquivalent}) {
    if (TypeLossName(l) == name) return l;
  }
  return std::nullopt;
}

const std::vector<std::string>& KnownFeatureIds() { return FeatureIdList(); }

absl::StatusOr<TargetProfile::TypeRule> TargetProfile::ParseTypeRule(const void* node_ptr,
                                                                     std::string_view file) {
  const YAML::Node& node = *static_cast<const YAML::Node*>(node_ptr);
  TypeRule rule;
  if (!node.IsMap()) return YamlError(file, node, "expected a mapping {target: ..., loss: ...}");
  for (const auto& kv : node) {
    SQLMILL_ASSIGN_OR_RETURN(std::string key, YamlScalar(file, kv.first));
    const YAML::Node& v = kv.second;
    if (key == "target") {
      SQLMILL_ASSIGN_OR_RETURN(rule.target, YamlScalar(file, v));
    } else if (key == "loss") {
      SQLMILL_ASSIGN_OR_RETURN(std::string s, YamlScalar(file, v));
      std::optional<TypeLoss> loss = TypeLossFromName(s);
      if (!loss) {
        return YamlError(file, v, absl::StrCat("expected a loss kind (none, precision, range, "
                                               "semantics, no-equivalent) but found '", s, "'"));
      }
      rule.loss = *loss;
    } else if (key == "explanation") {
      SQLMILL_ASSIGN_OR_RETURN(rule.explanation, YamlScalar(file, v));
    } else if (key == "suggestion") {
      SQLMILL_ASSIGN_OR_RETURN(rule.suggestion, YamlScalar(file, v));
    } else if (key == "length_factor") {
      SQLMILL_ASSIGN_OR_RETURN(rule.length_factor, YamlInt(file, v));
    } else if (key == "length_cap") {
      SQLMILL_ASSIGN_OR_RETURN(rule.length_cap, YamlInt(file, v));
    } else if (key == "when") {
      if (!v.IsMap()) return YamlError(file, v, "expected a mapping of conditions");
      for (const auto& c : v) {
        SQLMILL_ASSIGN_OR_RETURN(std::string ck, YamlScalar(file, c.first));
        if (ck == "max") {
          SQLMILL_ASSIGN_OR_RETURN(bool b, YamlBool(file, c.second));
          rule.is_max = b;
          continue;
        }
        if (ck == "xml_schema") {
          SQLMILL_ASSIGN_OR_RETURN(bool b, YamlBool(file, c.second));
          rule.has_xml_schema = b;
          continue;
        }
        SQLMILL_ASSIGN_OR_RETURN(int64_t n, YamlInt(file, c.second));
        if (ck == "length_gt") rule.length_gt = n;
        else if (ck == "length_le") rule.length_le = n;
        else if (ck == "precision_gt") rule.precision_gt = n;
        else if (ck == "precision_le") rule.precision_le = n;
        else if (ck == "scale_gt") rule.scale_gt = n;
        else if (ck == "scale_le") rule.scale_le = n;
        else if (ck == "integer_digits_gt") rule.integer_digits_gt = n;
        else if (ck == "integer_digits_le") rule.integer_digits_le = n;
        else {
          return YamlError(file, c.first,
                           absl::StrCat("unknown condition '", ck,
                                        "' (expected max, xml_schema, length_gt, length_le, "
                                        "precision_gt, precision_le, scale_gt, scale_le, "
                                        "integer_digits_gt, integer_digits_le)"));
        }
      }
    } else {
      return YamlError(file, kv.first, absl::StrCat("unknown key '", key, "' in a type mapping"));
    }
  }
  if (rule.target.empty() && rule.loss != TypeLoss::kNoEquivalent) {
    return YamlError(file, node, "a type mapping needs a target (or loss: no-equivalent)");
  }
  return rule;
}

absl::StatusOr<TargetProfile> TargetProfile::FromYaml(std::string_view yaml,
                                                      std::string_view file) {
  SQLMILL_ASSIGN_OR_RETURN(YAML::Node root, YamlLoad(yaml, file));
  if (!root.IsMap()) return YamlError(file, root, "expected a mapping at the top level");
  TargetProfile p;
  ParseCharSet("A-Za-z_", &p.first_chars_).IgnoreError();
  ParseCharSet("A-Za-z0-9_", &p.rest_chars_).IgnoreError();
  for (const auto& kv : root) {
    SQLMILL_ASSIGN_OR_RETURN(std::string key, YamlScalar(file, kv.first));
    const YAML::Node& v = kv.second;
    if (key == "target") {
      SQLMILL_ASSIGN_OR_RETURN(p.name_, YamlScalar(file, v));
      p.name_ = tsql::ToLowerAscii(p.name_);
    } else if (key == "native_tsql") {
      SQLMILL_ASSIGN_OR_RETURN(p.native_tsql_, YamlBool(file, v));
    } else if (key == "display_name") {
      SQLMILL_ASSIGN_OR_RETURN(p.display_name_, YamlScalar(file, v));
    } else if (key == "identifiers") {
      if (!v.IsMap()) return YamlError(file, v, "expected a mapping");
      for (const auto& i : v) {
        SQLMILL_ASSIGN_OR_RETURN(std::string ik, YamlScalar(file, i.first));
        if (ik == "max_length") {
          SQLMILL_ASSIGN_OR_RETURN(p.max_length_, YamlInt(file, i.second));
        } else if (ik == "table_max_length") {
          SQLMILL_ASSIGN_OR_RETURN(p.max_table_length_, YamlInt(file, i.second));
        } else if (ik == "column_max_length") {
          SQLMILL_ASSIGN_OR_RETURN(p.max_column_length_, YamlInt(file, i.second));
        } else if (ik == "unit") {
          SQLMILL_ASSIGN_OR_RETURN(std::string u, YamlScalar(file, i.second));
          if (u != "bytes" && u != "characters") {
            return YamlError(file, i.second, absl::StrCat("expected bytes or characters but found '", u, "'"));
          }
          p.length_in_bytes_ = u == "bytes";
        } else if (ik == "truncates") {
          SQLMILL_ASSIGN_OR_RETURN(p.truncates_, YamlBool(file, i.second));
        } else if (ik == "case_folding") {
          SQLMILL_ASSIGN_OR_RETURN(std::string f, YamlScalar(file, i.second));
          if (f == "lower") p.case_folding_ = CaseFolding::kLower;
          else if (f == "upper") p.case_folding_ = CaseFolding::kUpper;
          else if (f == "none") p.case_folding_ = CaseFolding::kNone;
          else if (f == "insensitive") p.case_folding_ = CaseFolding::kInsensitive;
          else {
            return YamlError(file, i.second,
                             absl::StrCat("expected lower, upper, none or insensitive but found '", f, "'"));
          }
        } else if (ik == "quote") {
          SQLMILL_ASSIGN_OR_RETURN(std::string q, YamlScalar(file, i.second));
          if (q != "\"" && q != "`" && q != "[") {
            return YamlError(file, i.second, absl::StrCat("expected \", ` or [ but found '", q, "'"));
          }
          p.quote_char_ = q[0];
        } else if (ik == "first_chars" || ik == "rest_chars") {
          SQLMILL_ASSIGN_OR_RETURN(std::string spec, YamlScalar(file, i.second));
          absl::Status s = ParseCharSet(spec, ik == "first_chars" ? &p.first_chars_ : &p.rest_chars_);
          if (!s.ok()) return YamlError(file, i.second, AsStd(s.message()));
        } else {
          return YamlError(file, i.first, absl::StrCat("unknown key '", ik, "' in identifiers"));
        }
      }
    } else if (key == "reserved_words") {
      std::vector<std::string> words;
      if (v.IsSequence()) {
        for (const auto& w : v) {
          SQLMILL_ASSIGN_OR_RETURN(std::string s, YamlScalar(file, w));
          words.push_back(s);
        }
      } else {
        SQLMILL_ASSIGN_OR_RETURN(std::string s, YamlScalar(file, v));
        std::istringstream in(s);
        for (std::string w; in >> w;) words.push_back(w);
      }
      for (const std::string& w : words) p.reserved_.insert(tsql::ToUpperAscii(w));
    } else if (key == "types") {
      if (!v.IsMap()) return YamlError(file, v, "expected a mapping of SQL Server type names");
      for (const auto& t : v) {
        SQLMILL_ASSIGN_OR_RETURN(std::string type_name, YamlScalar(file, t.first));
        if (!IsBuiltinType(type_name)) {
          return YamlError(file, t.first,
                           absl::StrCat("unknown SQL Server type '", type_name,
                                        "' (expected a lower-case built-in type name)"));
        }
        std::vector<TypeRule>& rules = p.types_[type_name];
        if (t.second.IsSequence()) {
          for (const auto& r : t.second) {
            SQLMILL_ASSIGN_OR_RETURN(TypeRule rule, ParseTypeRule(&r, file));
            rules.push_back(std::move(rule));
          }
        } else {
          SQLMILL_ASSIGN_OR_RETURN(TypeRule rule, ParseTypeRule(&t.second, file));
          rules.push_back(std::move(rule));
        }
      }
    } else if (key == "features") {
      if (!v.IsMap()) return YamlError(file, v, "expected a mapping of feature ids");
      for (const auto& f : v) {
        SQLMILL_ASSIGN_OR_RETURN(std::string id, YamlScalar(file, f.first));
        const auto& known = FeatureIdList();
        if (std::find(known.begin(), known.end(), id) == known.end()) {
          return YamlError(file, f.first, absl::StrCat("unknown feature '", id, "' (expected one of ",
                                                       absl::StrJoin(known, ", "), ")"));
        }
        if (!f.second.IsMap()) return YamlError(file, f.second, "expected a mapping");
        FeatureInfo info;
        for (const auto& fk : f.second) {
          SQLMILL_ASSIGN_OR_RETURN(std::string k, YamlScalar(file, fk.first));
          SQLMILL_ASSIGN_OR_RETURN(std::string s, YamlScalar(file, fk.second));
          if (k == "support") {
            if (s == "yes") info.support = FeatureSupport::kYes;
            else if (s == "partial") info.support = FeatureSupport::kPartial;
            else if (s == "no") info.support = FeatureSupport::kNo;
            else return YamlError(file, fk.second, absl::StrCat("expected yes, partial or no but found '", s, "'"));
          } else if (k == "severity") {
            SQLMILL_ASSIGN_OR_RETURN(info.severity, YamlSeverity(file, fk.second));
          } else if (k == "explanation") {
            info.explanation = s;
          } else if (k == "suggestion") {
            info.suggestion = s;
          } else {
            return YamlError(file, fk.first, absl::StrCat("unknown key '", k, "' in a feature"));
          }
        }
        p.features_[id] = std::move(info);
      }
    } else if (key == "functions") {
      if (!v.IsMap()) return YamlError(file, v, "expected a mapping of function names");
      for (const auto& f : v) {
        SQLMILL_ASSIGN_OR_RETURN(std::string fname, YamlScalar(file, f.first));
        if (!f.second.IsMap()) return YamlError(file, f.second, "expected a mapping");
        FunctionInfo info;
        for (const auto& fk : f.second) {
          SQLMILL_ASSIGN_OR_RETURN(std::string k, YamlScalar(file, fk.first));
          SQLMILL_ASSIGN_OR_RETURN(std::string s, YamlScalar(file, fk.second));
          if (k == "target") info.target = s;
          else if (k == "explanation") info.explanation = s;
          else return YamlError(file, fk.first, absl::StrCat("unknown key '", k, "' in a function"));
        }
        p.functions_[tsql::ToLowerAscii(fname)] = std::move(info);
      }
    } else {
      return YamlError(file, kv.first, absl::StrCat("unknown top-level key '", key, "'"));
    }
  }
  if (p.name_.empty()) return YamlError(file, root, "missing 'target: NAME'");
  if (p.display_name_.empty()) p.display_name_ = p.name_;
  return p;
}

bool TargetProfile::Matches(const TypeRule& r, const tsql::DataType& t) const {
  if (r.is_max && *r.is_max != t.is_max) return false;
  if (r.has_xml_schema && *r.has_xml_schema != !t.xml_schema_collection.empty()) return false;
  if (r.length_gt && !(t.length > *r.length_gt)) return false;
  if (r.length_le && !(t.length <= *r.length_le)) return false;
  if (r.precision_gt && !(t.precision > *r.precision_gt)) return false;
  if (r.precision_le && !(t.precision <= *r.precision_le)) return false;
  if (r.scale_gt && !(t.scale > *r.scale_gt)) return false;
  if (r.scale_le && !(t.scale <= *r.scale_le)) return false;
  const int64_t digits = static_cast<int64_t>(t.precision) - t.scale;
  if (r.integer_digits_gt && !(digits > *r.integer_digits_gt)) return false;
  if (r.integer_digits_le && !(digits <= *r.integer_digits_le)) return false;
  return true;
}

bool TargetProfile::HasTypeEntry(std::string_view type_name) const {
  return types_.find(std::string(type_name)) != types_.end();
}

TypeMapping TargetProfile::MapType(const tsql::DataType& type) const {
  TypeMapping m;
  if (type.is_user_defined) {
    m.loss = TypeLoss::kNoEquivalent;
    m.explanation = absl::StrCat("user-defined type '", type.text.empty() ? type.name : type.text,
                                 "' has no ", display_name_, " equivalent");
    m.suggestion = "map its base type, or rewrite the type as a table or columns";
    return m;
  }
  auto it = types_.find(type.name);
  if (it == types_.end()) {
    m.loss = TypeLoss::kNoEquivalent;
    m.explanation = absl::StrCat("no ", display_name_, " mapping is known for '", type.name, "'");
    return m;
  }
  for (const TypeRule& r : it->second) {
    if (!Matches(r, type)) continue;
    int64_t length = type.length * r.length_factor;
    if (r.length_cap > 0 && (length > r.length_cap || type.is_max)) length = r.length_cap;
    auto expand = [&](std::string s, int64_t len) {
      ReplaceAll(&s, "{length}", absl::StrCat(len));
      ReplaceAll(&s, "{precision}", absl::StrCat(type.precision));
      ReplaceAll(&s, "{scale}", absl::StrCat(type.scale));
      return s;
    };
    m.target_type = expand(r.target, length);
    m.loss = r.loss;
    // Texts speak of the source type's own length.
    m.explanation = expand(r.explanation, type.length);
    m.suggestion = expand(r.suggestion, type.length);
    return m;
  }
  m.loss = TypeLoss::kNoEquivalent;
  m.explanation = absl::StrCat("no ", display_name_, " mapping matches '", type.text, "'");
  return m;
}

int64_t TargetProfile::MaxIdentifierLength(IdentifierKind kind) const {
  if (kind == IdentifierKind::kTable && max_table_length_ > 0) return max_table_length_;
  if (kind == IdentifierKind::kColumn && max_column_length_ > 0) return max_column_length_;
  return max_length_;
}

int64_t TargetProfile::IdentifierLength(std::string_view ident) const {
  return length_in_bytes_ ? static_cast<int64_t>(ident.size())
                          : static_cast<int64_t>(CodePoints(ident));
}

std::string TargetProfile::Fold(std::string_view ident) const {
  switch (case_folding_) {
    case CaseFolding::kLower:
      return tsql::ToLowerAscii(ident);
    case CaseFolding::kUpper:
      return tsql::ToUpperAscii(ident);
    case CaseFolding::kNone:
    case CaseFolding::kInsensitive:
      return std::string(ident);
  }
  return std::string(ident);
}

std::string TargetProfile::CollisionKey(std::string_view ident, IdentifierKind kind) const {
  std::string key = Fold(ident);
  if (case_folding_ == CaseFolding::kInsensitive) key = tsql::ToLowerAscii(key);
  if (truncates_) {
    const size_t max = static_cast<size_t>(MaxIdentifierLength(kind));
    key = length_in_bytes_ ? std::string(TruncateUtf8(key, max)) : TruncateCodePoints(key, max);
  }
  return key;
}

bool TargetProfile::IsReserved(std::string_view word) const {
  return reserved_.contains(tsql::ToUpperAscii(word));
}

bool TargetProfile::IsPlainIdentifier(std::string_view ident) const {
  if (ident.empty()) return false;
  for (size_t i = 0; i < ident.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(ident[i]);
    if (c >= 128) return false;
    if (!(i == 0 ? first_chars_[c] : rest_chars_[c])) return false;
  }
  return true;
}

const FeatureInfo* TargetProfile::Feature(std::string_view feature_id) const {
  auto it = features_.find(std::string(feature_id));
  if (it == features_.end() || it->second.support == FeatureSupport::kYes) return nullptr;
  return &it->second;
}

const FunctionInfo* TargetProfile::Function(std::string_view function_name) const {
  auto it = functions_.find(tsql::ToLowerAscii(function_name));
  return it == functions_.end() ? nullptr : &it->second;
}

absl::Status TargetRegistry::Add(TargetProfile profile) {
  const std::string key = profile.name();
  if (profiles_.count(key) > 0) {
    return absl::InvalidArgumentError(absl::StrCat("target '", key, "' is defined twice"));
  }
  profiles_[key] = std::make_unique<TargetProfile>(std::move(profile));
  return absl::OkStatus();
}

absl::Status TargetRegistry::LoadDirectory(const std::string& path) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
    if (entry.path().extension() == ".yaml" || entry.path().extension() == ".yml") {
      files.push_back(entry.path());
    }
  }
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read target directory '", path, "': ", ec.message()));
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    SQLMILL_ASSIGN_OR_RETURN(TargetProfile p, TargetProfile::FromYaml(buffer.str(), f.string()));
    SQLMILL_RETURN_IF_ERROR(Add(std::move(p)));
  }
  return absl::OkStatus();
}

const TargetProfile* TargetRegistry::Find(std::string_view name) const {
  auto it = profiles_.find(tsql::ToLowerAscii(name));
  return it == profiles_.end() ? nullptr : it->second.get();
}

std::vector<std::string> TargetRegistry::warehouse_names() const {
  std::vector<std::string> out;
  for (const auto& [name, profile] : profiles_) {
    if (!profile->native_tsql()) out.push_back(name);
  }
  return out;
}

std::vector<std::string> TargetRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, p] : profiles_) out.push_back(name);
  return out;
}

absl::StatusOr<TargetRegistry> LoadBuiltinTargets() {
  TargetRegistry registry;
  for (const EmbeddedFile& f : EmbeddedTargetFiles()) {
    SQLMILL_ASSIGN_OR_RETURN(TargetProfile p, TargetProfile::FromYaml(f.contents, f.name));
    SQLMILL_RETURN_IF_ERROR(registry.Add(std::move(p)));
  }
  return registry;
}

absl::StatusOr<const TargetRegistry*> BuiltinTargets() {
  // Immutable after construction; built on first use (thread-safe static init).
  static const absl::StatusOr<TargetRegistry>* kBuiltin =
      new absl::StatusOr<TargetRegistry>(LoadBuiltinTargets());
  if (!kBuiltin->ok()) return kBuiltin->status();
  return &**kBuiltin;
}

}  // namespace sqlmill::validator

#include "tools/batch/batch_plan.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "yaml-cpp/yaml.h"

namespace sqlmill::batch {
namespace {

namespace fs = std::filesystem;

bool IsSql(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
  return ext == ".sql";
}

// A file, or the *.sql files under a folder in path order; appended to unit.
std::string NameIn(const fs::path& file, const fs::path& base) {
  std::error_code ec;
  fs::path rel = fs::relative(file, base, ec);
  if (ec || rel.empty() || *rel.begin() == "..") rel = file;
  return rel.generic_string();
}

absl::Status AddPath(const fs::path& path, const fs::path& base, const std::string& where, Unit* unit) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    unit->files.push_back(path.string());
    unit->names.push_back(NameIn(path, base));
    unit->bytes += fs::file_size(path, ec);
    return absl::OkStatus();
  }
  if (!fs::is_directory(path, ec)) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": '", path.string(), "' does not exist"));
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(path, ec)) {
    if (e.is_regular_file() && IsSql(e.path())) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    unit->files.push_back(f.string());
    unit->names.push_back(NameIn(f, base));
    unit->bytes += fs::file_size(f, ec);
  }
  return absl::OkStatus();
}

absl::Status CheckUnits(const std::vector<Unit>& units, const std::string& where) {
  if (units.empty()) return absl::InvalidArgumentError(absl::StrCat(where, ": the estate has no units"));
  std::set<std::string> names;
  for (const Unit& u : units) {
    const std::string& at = u.origin.empty() ? where : u.origin;
    if (!names.insert(u.name).second) {
      return absl::InvalidArgumentError(absl::StrCat(at, ": unit '", u.name, "' appears twice"));
    }
    if (u.files.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(at, ": unit '", u.name, "' has no .sql files"));
    }
  }
  return absl::OkStatus();
}

// One manifest entry from a YAML node.
absl::StatusOr<Unit> UnitFromYaml(const YAML::Node& node, const fs::path& base, const std::string& where) {
  if (!node.IsMap()) return absl::InvalidArgumentError(absl::StrCat(where, ": expected a mapping with name and paths"));
  Unit unit;
  unit.origin = where;
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    const YAML::Node& v = kv.second;
    if (key == "name") {
      unit.name = v.as<std::string>();
    } else if (key == "paths" || key == "targets") {
      if (!v.IsSequence()) return absl::InvalidArgumentError(absl::StrCat(where, ": '", key, "' must be a list"));
      for (const auto& item : v) (key == "paths" ? unit.files : unit.targets).push_back(item.as<std::string>());
    } else if (key == "vars") {
      if (!v.IsMap()) return absl::InvalidArgumentError(absl::StrCat(where, ": 'vars' must be a mapping"));
      for (const auto& var : v) unit.vars[var.first.as<std::string>()] = var.second.as<std::string>();
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": unknown key '", key, "' (expected name, paths, targets, vars)"));
    }
  }
  if (!IsSafeUnitName(unit.name)) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": unit name '", unit.name, "' must be one path component (no '/', not starting with '.')"));
  }
  std::vector<std::string> paths = std::move(unit.files);
  unit.files.clear();
  if (paths.empty()) return absl::InvalidArgumentError(absl::StrCat(where, ": unit '", unit.name, "' has no paths"));
  for (const std::string& p : paths) {
    const fs::path full = fs::path(p).is_absolute() ? fs::path(p) : base / p;
    if (absl::Status s = AddPath(full, base, where, &unit); !s.ok()) return s;
  }
  return unit;
}

absl::StatusOr<std::vector<Unit>> FromManifest(const fs::path& manifest) {
  std::ifstream in(manifest, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read manifest '", manifest.string(), "'"));
  std::stringstream text;
  text << in.rdbuf();
  const fs::path base = manifest.parent_path();
  std::vector<Unit> units;
  const std::string ext = manifest.extension().string();
  try {
    if (ext == ".jsonl" || ext == ".ndjson") {
      std::string line;
      int number = 0;
      while (std::getline(text, line)) {
        ++number;
        if (absl::StripAsciiWhitespace(line).empty()) continue;
        const std::string where = absl::StrCat(manifest.string(), ":", number);
        YAML::Node node;
        try {
          node = YAML::Load(line);  // JSON is YAML
        } catch (const YAML::Exception& e) {
          return absl::InvalidArgumentError(absl::StrCat(where, ":", e.mark.column + 1, ": ", e.msg));
        }
        absl::StatusOr<Unit> unit = UnitFromYaml(node, base, where);
        if (!unit.ok()) return unit.status();
        units.push_back(std::move(*unit));
      }
    } else {
      YAML::Node doc = YAML::Load(text.str());
      YAML::Node list = doc.IsMap() && doc["units"] ? doc["units"] : doc;
      if (!list.IsSequence()) {
        return absl::InvalidArgumentError(
            absl::StrCat(manifest.string(), ": expected a list of units (or `units:` with one)"));
      }
      for (const auto& node : list) {
        const std::string where = absl::StrCat(manifest.string(), ":", node.Mark().line + 1);
        absl::StatusOr<Unit> unit = UnitFromYaml(node, base, where);
        if (!unit.ok()) return unit.status();
        units.push_back(std::move(*unit));
      }
    }
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat(manifest.string(), ":", e.mark.line + 1, ":", e.mark.column + 1, ": ", e.msg));
  }
  if (absl::Status s = CheckUnits(units, manifest.string()); !s.ok()) return s;
  return units;
}

}  // namespace

bool IsSafeUnitName(const std::string& name) {
  if (name.empty() || name[0] == '.') return false;
  return name.find_first_of(std::string("/\\\0", 3)) == std::string::npos;
}

absl::StatusOr<std::vector<Unit>> DiscoverUnits(const std::string& input) {
  std::error_code ec;
  const fs::path path(input);
  if (fs::is_regular_file(path, ec)) return FromManifest(path);
  if (!fs::is_directory(path, ec)) {
    return absl::InvalidArgumentError(absl::StrCat("'", input, "' is neither an estate folder nor a manifest file"));
  }
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(path, ec)) {
    if (e.is_directory() && IsSafeUnitName(e.path().filename().string())) dirs.push_back(e.path());
  }
  std::sort(dirs.begin(), dirs.end());
  std::vector<Unit> units;
  for (const fs::path& d : dirs) {
    Unit unit;
    unit.name = d.filename().string();
    if (absl::Status s = AddPath(d, path, input, &unit); !s.ok()) return s;
    if (unit.files.empty()) continue;  // a folder without scripts is not a database
    units.push_back(std::move(unit));
  }
  if (absl::Status s = CheckUnits(units, input); !s.ok()) return s;
  return units;
}

std::vector<Unit> ShardUnits(const std::vector<Unit>& units, int index, int count) {
  std::vector<const Unit*> order;
  for (const Unit& u : units) order.push_back(&u);
  std::sort(order.begin(), order.end(), [](const Unit* a, const Unit* b) {
    return a->bytes != b->bytes ? a->bytes > b->bytes : a->name < b->name;
  });
  std::vector<uint64_t> load(static_cast<size_t>(std::max(count, 1)), 0);
  std::vector<Unit> mine;
  for (const Unit* u : order) {
    const size_t shard = static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[shard] += std::max<uint64_t>(u->bytes, 1);
    if (static_cast<int>(shard) == index) mine.push_back(*u);
  }
  std::sort(mine.begin(), mine.end(), [](const Unit& a, const Unit& b) { return a.name < b.name; });
  return mine;
}

}  // namespace sqlmill::batch

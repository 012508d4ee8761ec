// Test helpers: read a project directory (and packages placed under dbt_packages/) into a
// FileMap, and find the shared corpus. Header-only; test code only. Thread-safe.
#ifndef SQLMILL_SERVICES_DBT_COMPILER_ENGINE_TESTING_PROJECT_FILES_H_
#define SQLMILL_SERVICES_DBT_COMPILER_ENGINE_TESTING_PROJECT_FILES_H_

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "services/dbt_compiler/engine/project.h"

namespace sqlmill::dbt::testing {

inline std::string ReadFileOrEmpty(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Adds every regular file under `dir` to `files` with keys `prefix + relative path`,
// skipping target/, logs/ and .git/ at the top.
inline void AddDirectory(const std::filesystem::path& dir, const std::string& prefix, FileMap* files,
                         bool skip_packages = false) {
  namespace fs = std::filesystem;
  if (!fs::exists(dir)) return;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
    const std::string rel = fs::relative(it->path(), dir).generic_string();
    if (it->is_directory()) {
      if (rel == "target" || rel == "logs" || rel == ".git" || (skip_packages && rel == "dbt_packages")) {
        it.disable_recursion_pending();
      }
      continue;
    }
    if (!it->is_regular_file()) continue;
    (*files)[prefix + rel] = ReadFileOrEmpty(it->path());
  }
}

// The corpus root (../shared/corpus relative to the source root, the tests' working dir).
inline std::filesystem::path CorpusRoot() { return std::filesystem::path("../shared/corpus"); }

}  // namespace sqlmill::dbt::testing

#endif  // SQLMILL_SERVICES_DBT_COMPILER_ENGINE_TESTING_PROJECT_FILES_H_

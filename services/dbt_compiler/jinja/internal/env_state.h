// The registry behind an Environment: options, globals, filters, tests, host block tags, the
// loader and the compiled-template cache. Shared (shared_ptr) by the Environment and every
// Template compiled from it so resolved filter/test pointers stay valid.
//
// Thread-safety: configured by one thread before use, then read-only, except the template
// cache, which is guarded by cache_mu.
#ifndef SQLMILL_SERVICES_DBT_COMPILER_JINJA_INTERNAL_ENV_STATE_H_
#define SQLMILL_SERVICES_DBT_COMPILER_JINJA_INTERNAL_ENV_STATE_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/node_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "services/dbt_compiler/jinja/environment.h"

namespace sqlmill::jinja::internal {

struct FilterEntry {
  std::string name;
  NativeFilter fn;
};

struct TestEntry {
  std::string name;
  NativeTest fn;
};

struct EnvState {
  EnvironmentOptions options;
  absl::flat_hash_map<std::string, Value> globals;
  absl::node_hash_map<std::string, FilterEntry> filters;
  absl::node_hash_map<std::string, TestEntry> tests;
  absl::flat_hash_map<std::string, BlockTag> block_tags;
  std::shared_ptr<const Loader> loader;

  mutable absl::Mutex cache_mu;
  mutable absl::flat_hash_map<std::string, std::shared_ptr<const Template>> cache
      ABSL_GUARDED_BY(cache_mu);

  const FilterEntry* FindFilter(std::string_view name) const {
    auto it = filters.find(std::string(name));
    return it == filters.end() ? nullptr : &it->second;
  }
  const TestEntry* FindTest(std::string_view name) const {
    auto it = tests.find(std::string(name));
    return it == tests.end() ? nullptr : &it->second;
  }
};

// Compiles a template against an environment registry (Environment::Compile and the
// evaluator's loader path share it).
absl::StatusOr<std::shared_ptr<const Template>> CompileWithState(std::shared_ptr<const EnvState> env,
                                                                 std::string_view source,
                                                                 std::string_view name);

// Registers the built-in filters, tests and globals (builtins_*.cc).
void RegisterBuiltinFilters(EnvState* env);
void RegisterBuiltinTests(EnvState* env);
void RegisterBuiltinGlobals(EnvState* env);

}  // namespace sqlmill::jinja::internal

#endif  // SQLMILL_SERVICES_DBT_COMPILER_JINJA_INTERNAL_ENV_STATE_H_

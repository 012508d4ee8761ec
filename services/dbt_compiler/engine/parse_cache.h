// A cache of parsed dbt templates shared across compilations (one per service instance),
// so that a re-compile after one file changed re-parses only that file.
//
// It holds two kinds of entries, both by content hash:
//  - macro environments: the Jinja environment with dbt's context and every macro file
//    compiled and run as a module, keyed by a hash of everything that goes into them (the
//    macro files' paths and text, every dbt_project.yml, the adapter, target, vars, env,
//    flags, invocation id, run_started_at and dbt version). Bounded by count, LRU.
//  - parsed templates (models, tests, snapshots, analyses, Jinja in config values), keyed by
//    the environment they were compiled in, the file name and the SHA-256 of their text.
//    Bounded by an estimate of their memory and by count, LRU.
//  - the calls a node's text makes (name or package.name), for depends_on.macros, keyed by
//    the text's SHA-256; bounded by count, LRU.
//  - parse-phase results: what a node's parse render (execute=false) recorded — its
//    config() calls merged into the unrendered config, refs, sources, whether it failed and
//    its diagnostics — keyed by a hash of everything that render can read (the compiler's
//    ParseResultKey: the environment key, the node's identity, text and pre-render
//    properties, every other node's and source's relation, the docs blocks and the request
//    settings read at call time) — the key is that encoding itself, not a digest of it, so
//    equal keys mean equal inputs. A re-compile applies the result instead of rendering.
//    Results holding host objects (macros, relations) are not stored. Bounded by count and
//    bytes, LRU.
// A parsed template belongs to the environment it was compiled in (filters and block tags
// are resolved at parse time), so a change to a macro file or to dbt_project.yml builds a
// new environment and re-parses every template once; a change to a model re-parses that
// model only. Cached templates and environments are immutable and shared between threads;
// the per-project state (nodes, configs, the node being rendered) stays in each compile.
//
// Thread-safety: all methods are thread-safe.
//
//   auto cache = std::make_shared<ParseCache>(ParseCacheOptions{.max_bytes = 64 << 20});
//   CompileOptions options;
//   options.parse_cache = cache;
//   ... Compile(options) ...; change one model; Compile(options) again
//   cache->stats().template_misses  // grew by one
#ifndef SQLMILL_SERVICES_DBT_COMPILER_ENGINE_PARSE_CACHE_H_
#define SQLMILL_SERVICES_DBT_COMPILER_ENGINE_PARSE_CACHE_H_

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "common/base/diagnostic.h"
#include "services/dbt_compiler/engine/project.h"
#include "services/dbt_compiler/jinja/environment.h"

namespace sqlmill::dbt {

// What a node's parse render (execute=false) yields, as the compiler applies it to the node.
// Immutable once stored; values are plain data (no objects), copied when applied.
struct ParseResult {
  bool failed = false;  // the render failed: the node is not parsed_ok
  std::vector<RefCall> refs;
  std::vector<std::vector<std::string>> sources;
  jinja::Value unrendered_config;        // the YAML layer with the config() calls merged in
  std::vector<Diagnostic> diagnostics;   // in the order the render reported them
};

struct MacroEnvironment;  // internal/session.h

struct ParseCacheOptions {
  // Estimated memory of the parsed templates kept (source bytes × kParsedBytesPerSourceByte
  // plus a fixed overhead per entry).
  uint64_t max_bytes = 256ull << 20;
  size_t max_templates = 200000;
  size_t max_environments = 8;
  // Parse-phase results kept (0: none, every compile renders every node's parse phase), and
  // the memory of their keys and results (the keys are the full encoded inputs, ~2 KB).
  size_t max_parse_results = 200000;
  uint64_t max_parse_result_bytes = 128ull << 20;
};

struct ParseCacheStats {
  uint64_t template_hits = 0;
  // Templates parsed and stored (a parse that another thread's stored copy overtook counts
  // as a hit, so the count does not depend on thread timing).
  uint64_t template_misses = 0;
  uint64_t environment_hits = 0;
  uint64_t environment_misses = 0;  // environments built (every macro file parsed)
  uint64_t evictions = 0;
  uint64_t templates = 0;  // entries now
  uint64_t bytes = 0;      // estimated bytes now
  uint64_t environments = 0;
  uint64_t call_scans = 0;  // entries now
  uint64_t parse_result_hits = 0;    // parse renders skipped
  uint64_t parse_result_misses = 0;  // parse renders run (with a cacheable key)
  uint64_t parse_results = 0;        // entries now
  uint64_t parse_result_bytes = 0;   // estimated bytes now
};

class ParseCache {
 public:
  // An estimate of a parsed template's memory per byte of its source: the source copy, the
  // line index and the AST nodes with their strings take several times the text.
  static constexpr uint64_t kParsedBytesPerSourceByte = 8;
  static constexpr uint64_t kEntryOverheadBytes = 512;

  explicit ParseCache(ParseCacheOptions options = {});
  ~ParseCache();
  ParseCache(const ParseCache&) = delete;
  ParseCache& operator=(const ParseCache&) = delete;

  ParseCacheStats stats() const;

  // --- used by the compiler ---
  // Returns the environment stored under `key` (counted as a hit), or null (a miss).
  std::shared_ptr<MacroEnvironment> FindEnvironment(const std::string& key);
  // Stores `env` under `key` unless another thread stored one first; returns the one kept.
  std::shared_ptr<MacroEnvironment> StoreEnvironment(const std::string& key, std::shared_ptr<MacroEnvironment> env);
  uint64_t NextGeneration();
  // The calls `name(` / `package.name(` a text makes, as (first, second) with second empty
  // for unqualified calls; `scan` computes them on a miss. Empty `content_hash`: not cached.
  using CallList = std::vector<std::pair<std::string, std::string>>;
  std::shared_ptr<const CallList> GetOrScanCalls(std::string_view content_hash,
                                                 const std::function<CallList()>& scan);
  // False when the options keep no parse results (the compiler then skips computing keys).
  bool keeps_parse_results() const { return options_.max_parse_results > 0; }
  // The parse result stored under `key` (counted as a hit), or null (a miss).
  std::shared_ptr<const ParseResult> FindParseResult(const std::string& key);
  void StoreParseResult(const std::string& key, std::shared_ptr<const ParseResult> result);
  // Returns the template for `source` compiled in `env` (generation `generation`), parsing
  // it on a miss. `content_hash` is the SHA-256 hex of `source` (computed when empty).
  // Parse errors are returned and not cached. `*hit` tells whether it came from the cache.
  absl::StatusOr<std::shared_ptr<const jinja::Template>> GetOrCompile(const jinja::Environment& env,
                                                                      uint64_t generation, std::string_view name,
                                                                      std::string_view source,
                                                                      std::string_view content_hash, bool* hit);

 private:
  struct TemplateEntry {
    std::shared_ptr<const jinja::Template> tpl;
    uint64_t bytes = 0;
    std::list<std::string>::iterator lru;
  };
  struct CallsEntry {
    std::shared_ptr<const CallList> calls;
    std::list<std::string>::iterator lru;
  };
  struct EnvironmentEntry {
    std::shared_ptr<MacroEnvironment> env;
    std::list<std::string>::iterator lru;
  };
  struct ParseResultEntry {
    std::shared_ptr<const ParseResult> result;
    uint64_t bytes = 0;
    std::list<std::string>::iterator lru;
  };
  void EvictLocked();

  const ParseCacheOptions options_;
  mutable std::mutex mu_;
  uint64_t next_generation_ = 1;
  std::list<std::string> template_lru_;  // most recent first
  absl::flat_hash_map<std::string, TemplateEntry> templates_;
  std::list<std::string> environment_lru_;
  absl::flat_hash_map<std::string, EnvironmentEntry> environments_;
  std::list<std::string> calls_lru_;
  absl::flat_hash_map<std::string, CallsEntry> calls_;
  std::list<std::string> parse_result_lru_;
  absl::flat_hash_map<std::string, ParseResultEntry> parse_results_;
  uint64_t parse_result_bytes_ = 0;
  ParseCacheStats stats_;
};

}  // namespace sqlmill::dbt

#endif  // SQLMILL_SERVICES_DBT_COMPILER_ENGINE_PARSE_CACHE_H_

// ParseCache (see parse_cache.h): LRU maps under one mutex. Templates are compiled
// outside the lock so render workers parse in parallel; when two threads parse the same
// text at once, the first stored copy wins.
#include "services/dbt_compiler/engine/parse_cache.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/base/strings.h"
#include "services/dbt_compiler/engine/internal/hash.h"
#include "services/dbt_compiler/engine/internal/session.h"

namespace sqlmill::dbt {

ParseCache::ParseCache(ParseCacheOptions options) : options_(options) {}

ParseCache::~ParseCache() {
  // Templates hold their environment's registry; environments are dropped after them so
  // each MacroEnvironment's destructor breaks its macro ↔ registry cycle last.
  std::lock_guard<std::mutex> lock(mu_);
  parse_results_.clear();
  templates_.clear();
  environments_.clear();
}

ParseCacheStats ParseCache::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  ParseCacheStats s = stats_;
  s.templates = templates_.size();
  s.environments = environments_.size();
  s.call_scans = calls_.size();
  s.parse_results = parse_results_.size();
  s.parse_result_bytes = parse_result_bytes_;
  return s;
}

uint64_t ParseCache::NextGeneration() {
  std::lock_guard<std::mutex> lock(mu_);
  return next_generation_++;
}

std::shared_ptr<MacroEnvironment> ParseCache::FindEnvironment(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = environments_.find(key);
  if (it == environments_.end()) {
    stats_.environment_misses++;
    return nullptr;
  }
  stats_.environment_hits++;
  environment_lru_.splice(environment_lru_.begin(), environment_lru_, it->second.lru);
  return it->second.env;
}

std::shared_ptr<MacroEnvironment> ParseCache::StoreEnvironment(const std::string& key,
                                                               std::shared_ptr<MacroEnvironment> env) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = environments_.find(key); it != environments_.end()) return it->second.env;
  environment_lru_.push_front(key);
  environments_[key] = EnvironmentEntry{env, environment_lru_.begin()};
  while (environments_.size() > std::max<size_t>(1, options_.max_environments)) {
    environments_.erase(environment_lru_.back());
    environment_lru_.pop_back();
    stats_.evictions++;
  }
  return env;
}

absl::StatusOr<std::shared_ptr<const jinja::Template>> ParseCache::GetOrCompile(
    const jinja::Environment& env, uint64_t generation, std::string_view name, std::string_view source,
    std::string_view content_hash, bool* hit) {
  const std::string hash = content_hash.empty() ? Sha256Hex(source) : std::string(content_hash);
  // The name is part of the key: a template reports errors under it.
  const std::string key = absl::StrCat(generation, "\n", AsAbsl(name), "\n", hash);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = templates_.find(key);
    if (it != templates_.end()) {
      stats_.template_hits++;
      template_lru_.splice(template_lru_.begin(), template_lru_, it->second.lru);
      *hit = true;
      return it->second.tpl;
    }
  }
  *hit = false;
  auto tpl = env.Compile(source, name);
  std::lock_guard<std::mutex> lock(mu_);
  if (!tpl.ok()) {
    stats_.template_misses++;
    return tpl.status();
  }
  if (auto it = templates_.find(key); it != templates_.end()) {
    // Another thread parsed and stored the same text meanwhile: the cache had it, so this
    // counts as a hit (the misses count the templates the cache took in).
    stats_.template_hits++;
    *hit = true;
    return it->second.tpl;
  }
  stats_.template_misses++;
  const uint64_t bytes = source.size() * kParsedBytesPerSourceByte + kEntryOverheadBytes;
  template_lru_.push_front(key);
  templates_[key] = TemplateEntry{*tpl, bytes, template_lru_.begin()};
  stats_.bytes += bytes;
  EvictLocked();
  return *tpl;
}

std::shared_ptr<const ParseCache::CallList> ParseCache::GetOrScanCalls(std::string_view content_hash,
                                                                       const std::function<CallList()>& scan) {
  if (content_hash.empty()) return std::make_shared<const CallList>(scan());
  const std::string key(content_hash);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = calls_.find(key); it != calls_.end()) {
      calls_lru_.splice(calls_lru_.begin(), calls_lru_, it->second.lru);
      return it->second.calls;
    }
  }
  auto calls = std::make_shared<const CallList>(scan());
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = calls_.find(key); it != calls_.end()) return it->second.calls;
  calls_lru_.push_front(key);
  calls_[key] = CallsEntry{calls, calls_lru_.begin()};
  while (calls_.size() > std::max<size_t>(1, options_.max_templates)) {
    calls_.erase(calls_lru_.back());
    calls_lru_.pop_back();
  }
  return calls;
}

std::shared_ptr<const ParseResult> ParseCache::FindParseResult(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = parse_results_.find(key);
  if (it == parse_results_.end()) {
    stats_.parse_result_misses++;
    return nullptr;
  }
  stats_.parse_result_hits++;
  parse_result_lru_.splice(parse_result_lru_.begin(), parse_result_lru_, it->second.lru);
  return it->second.result;
}

void ParseCache::StoreParseResult(const std::string& key, std::shared_ptr<const ParseResult> result) {
  if (options_.max_parse_results == 0) return;  // parse results are not kept
  uint64_t bytes = key.size() + kEntryOverheadBytes;
  for (const auto& d : result->diagnostics) bytes += d.message.size() + d.excerpt.size() + 128;
  bytes += (result->refs.size() + result->sources.size()) * 64;
  std::lock_guard<std::mutex> lock(mu_);
  if (parse_results_.contains(key)) return;
  parse_result_lru_.push_front(key);
  parse_results_[key] = ParseResultEntry{std::move(result), bytes, parse_result_lru_.begin()};
  parse_result_bytes_ += bytes;
  // The entry just added is at the front and is kept even when it alone is over budget.
  while (parse_results_.size() > 1 && (parse_results_.size() > options_.max_parse_results ||
                                       parse_result_bytes_ > options_.max_parse_result_bytes)) {
    auto it = parse_results_.find(parse_result_lru_.back());
    parse_result_bytes_ -= it->second.bytes;
    parse_results_.erase(it);
    parse_result_lru_.pop_back();
    stats_.evictions++;
  }
}

void ParseCache::EvictLocked() {
  // The entry just added is at the front and is kept even when it alone is over budget.
  while (templates_.size() > 1 && (stats_.bytes > options_.max_bytes || templates_.size() > options_.max_templates)) {
    auto it = templates_.find(template_lru_.back());
    stats_.bytes -= it->second.bytes;
    templates_.erase(it);
    template_lru_.pop_back();
    stats_.evictions++;
  }
}

}  // namespace sqlmill::dbt

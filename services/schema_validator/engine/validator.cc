// Validate: prepare the rules, walk the catalog once dispatching every object to every
// rule, then filter (ignore lists, inline suppressions), sort and summarize.
#include "services/schema_validator/engine/validator.h"

#include <algorithm>
#include <optional>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "services/schema_validator/engine/catalog_index.h"
#include "services/schema_validator/engine/custom_rule.h"
#include "services/schema_validator/engine/glob.h"
#include "services/schema_validator/engine/suppressions.h"

namespace sqlmill::validator {
namespace {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string DidYouMean(std::string_view id, const RuleRegistry& registry) {
  std::string best;
  size_t best_d = 4;
  for (const RuleFactory* f : registry.rules()) {
    size_t d = EditDistance(id, f->info.id);
    if (d < best_d) {
      best_d = d;
      best = f->info.id;
    }
  }
  return best.empty() ? std::string(" (ListRules shows the known ids)")
                      : absl::StrCat(" (did you mean '", best, "'?)");
}

bool InPhase(const RuleInfo& info, RulePhase phase) {
  return (info.category == RuleCategory::kChange) == (phase == RulePhase::kDiff);
}

}  // namespace

absl::StatusOr<const TargetProfile*> ResolveTarget(std::string_view name,
                                                   const TargetRegistry* targets) {
  if (name.empty()) return nullptr;
  if (targets == nullptr) {
    SQLMILL_ASSIGN_OR_RETURN(targets, BuiltinTargets());
  }
  const TargetProfile* p = targets->Find(name);
  if (p == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("unknown target '", AsAbsl(name),
                                                   "' (expected one of ",
                                                   absl::StrJoin(targets->names(), ", "), ")"));
  }
  return p;
}

absl::StatusOr<PreparedRules> PrepareRules(const RuleConfig& config, const RuleRegistry& registry,
                                           const TargetProfile* target, RulePhase phase) {
  PreparedRules out;
  out.target = target;

  // Custom rules first: their ids may be configured under `rules:` like built-in ones.
  std::map<std::string, RuleFactory> custom;
  for (const CustomRuleSpec& spec : config.custom_rules) {
    if (registry.Find(spec.id) != nullptr || custom.count(spec.id) > 0) {
      return absl::InvalidArgumentError(absl::StrCat(ConfigWhere(config, spec.line),
                                                     ": custom rule id '", spec.id,
                                                     "' is already taken by another rule"));
    }
    SQLMILL_ASSIGN_OR_RETURN(RuleFactory f, MakeCustomRule(spec, config));
    custom.emplace(spec.id, std::move(f));
  }
  auto find = [&](std::string_view id) -> const RuleFactory* {
    if (const RuleFactory* f = registry.Find(id)) return f;
    auto it = custom.find(std::string(id));
    return it == custom.end() ? nullptr : &it->second;
  };

  std::set<std::string> only;
  if (config.only) {
    for (const std::string& id : *config.only) {
      if (find(id) == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat(ConfigWhere(config, config.only_line),
                                                       ": unknown rule id '", id, "' in only",
                                                       DidYouMean(id, registry)));
      }
      only.insert(id);
    }
  }
  for (const auto& [id, setting] : config.rules) {
    const RuleFactory* f = find(id);
    if (f == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(ConfigWhere(config, setting.line),
                                                     ": unknown rule id '", id, "'",
                                                     DidYouMean(id, registry)));
    }
    for (const auto& [name, value] : setting.parameters) {
      const bool known = std::any_of(f->info.parameters.begin(), f->info.parameters.end(),
                                     [&](const RuleParameter& p) { return p.name == name; });
      if (!known) {
        std::vector<std::string> names;
        for (const RuleParameter& p : f->info.parameters) names.push_back(p.name);
        auto line = setting.parameter_lines.find(name);
        return absl::InvalidArgumentError(absl::StrCat(
            ConfigWhere(config, line == setting.parameter_lines.end() ? setting.line : line->second),
            ": rule '", id, "' has no parameter '", name, "'",
            names.empty() ? std::string(" (it takes none)")
                          : absl::StrCat(" (expected one of ", absl::StrJoin(names, ", "), ")")));
      }
    }
  }
  for (const IgnoreEntry& e : config.ignore) {
    if (e.rule_id != "*" && find(e.rule_id) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(ConfigWhere(config, e.line),
                                                     ": unknown rule id '", e.rule_id,
                                                     "' in ignore", DidYouMean(e.rule_id, registry)));
    }
  }

  std::vector<const RuleFactory*> all = registry.rules();
  for (auto& [id, f] : custom) all.push_back(&f);
  for (const RuleFactory* f : all) {
    if (!InPhase(f->info, phase)) continue;
    auto setting_it = config.rules.find(f->info.id);
    const RuleSetting* setting = setting_it == config.rules.end() ? nullptr : &setting_it->second;
    bool enabled = f->info.enabled_by_default;
    if (config.only) enabled = only.count(f->info.id) > 0 || f->info.category == RuleCategory::kCustom;
    if (setting != nullptr && setting->enabled) enabled = *setting->enabled;
    if (!enabled) continue;
    if (f->info.needs_target && target == nullptr) continue;

    std::map<std::string, std::string> values;
    for (const RuleParameter& p : f->info.parameters) values[p.name] = p.default_value;
    if (setting != nullptr) {
      for (const auto& [k, v] : setting->parameters) values[k] = v;
    }
    auto rule = f->create(RuleParams(f->info.id, std::move(values)));
    if (!rule.ok()) {
      int line = setting != nullptr ? setting->line : 0;
      // Point at the offending parameter's own line when the message names one.
      if (setting != nullptr) {
        for (const auto& [name, param_line] : setting->parameter_lines) {
          if (absl::StrContains(rule.status().message(), absl::StrCat("parameter '", name, "'"))) {
            line = param_line;
          }
        }
      }
      return absl::InvalidArgumentError(
          absl::StrCat(ConfigWhere(config, line), ": ", rule.status().message()));
    }
    PreparedRule prepared;
    prepared.info = f->info;
    if (setting != nullptr && setting->severity) {
      prepared.info.default_severity = *setting->severity;
      prepared.severity_configured = true;
    }
    prepared.rule = std::move(*rule);
    out.rules.push_back(std::move(prepared));
  }
  return out;
}

void FinishReport(const RuleConfig& config, const std::map<std::string, std::string>& sources,
                  ValidationReport* report) {
  Suppressions suppressions;
  for (const auto& [file, text] : sources) suppressions.Add(file, text);

  // Filter into a list of indices, sort compact keys, then permute the findings in place:
  // findings hold several strings and a catalog of 10,000 tables can yield hundreds of
  // thousands of them.
  std::vector<Finding>& all = report->findings;
  std::vector<uint32_t> kept;
  kept.reserve(all.size());
  uint32_t suppressed = 0;
  for (uint32_t i = 0; i < all.size(); ++i) {
    const Finding& f = all[i];
    bool ignored = false;
    for (const IgnoreEntry& e : config.ignore) {
      if ((e.rule_id == "*" || e.rule_id == f.rule_id) &&
          IgnorePatternMatches(e.object_pattern, f.object_path)) {
        ignored = true;
        break;
      }
    }
    if (!ignored && !suppressions.empty() && suppressions.Suppresses(f)) ignored = true;
    if (ignored) {
      ++suppressed;
    } else {
      kept.push_back(i);
    }
  }
  // Located findings first, in file and position order; then the rest by path. Sorting
  // compact keys (file rank, offset) keeps string comparisons to ties.
  std::map<std::string_view, uint32_t> file_rank;
  std::string_view last_file;
  for (uint32_t i : kept) {
    const std::string& file = all[i].location.file;
    if (file_rank.empty() || file != last_file) file_rank.emplace(file, 0);  // runs share a file
    last_file = file;
  }
  uint32_t rank = 0;
  for (auto& [name, r] : file_rank) r = rank++;
  struct Key {
    uint64_t position;  // known (bit 63 clear first), file rank, offset
    uint32_t index;
  };
  std::vector<Key> keys;
  keys.reserve(kept.size());
  for (uint32_t i : kept) {
    const Finding& f = all[i];
    const uint64_t unknown = f.location.known() ? 0 : 1;
    const uint32_t file = file_rank.size() == 1 ? 0 : file_rank[f.location.file];
    keys.push_back({(unknown << 63) | (static_cast<uint64_t>(file) << 32) | f.location.span.offset, i});
  }
  std::stable_sort(keys.begin(), keys.end(), [&all](const Key& a, const Key& b) {
    if (a.position != b.position) return a.position < b.position;
    const Finding& x = all[a.index];
    const Finding& y = all[b.index];
    if (x.rule_id != y.rule_id) return x.rule_id < y.rule_id;
    if (x.object_path != y.object_path) return x.object_path < y.object_path;
    return x.message < y.message;
  });
  // Slot i receives the finding at keys[i].index; follow each permutation cycle once.
  // Dropped findings are moved past the kept ones and erased.
  std::vector<uint32_t> order;
  order.reserve(all.size());
  std::vector<bool> taken(all.size(), false);
  for (const Key& k : keys) {
    order.push_back(k.index);
    taken[k.index] = true;
  }
  for (uint32_t i = 0; i < all.size(); ++i) {
    if (!taken[i]) order.push_back(i);
  }
  std::vector<bool> placed(all.size(), false);
  for (uint32_t start = 0; start < all.size(); ++start) {
    if (placed[start]) continue;
    Finding carried = std::move(all[start]);
    uint32_t slot = start;
    while (true) {
      placed[slot] = true;
      const uint32_t from = order[slot];
      if (from == start) {
        all[slot] = std::move(carried);
        break;
      }
      all[slot] = std::move(all[from]);
      slot = from;
    }
  }
  all.resize(keys.size());

  Summary& s = report->summary;
  s.errors = s.warnings = s.infos = s.hints = 0;
  s.by_rule.clear();
  s.suppressed += suppressed;
  report->passed = true;
  for (const Finding& f : report->findings) {
    switch (f.severity) {
      case Severity::kError: ++s.errors; break;
      case Severity::kWarning: ++s.warnings; break;
      case Severity::kInfo: ++s.infos; break;
      case Severity::kHint: ++s.hints; break;
    }
    ++s.by_rule[f.rule_id];
    if (AtLeast(f.severity, report->fail_threshold)) report->passed = false;
  }
}

absl::StatusOr<ValidationReport> Validate(const tsql::Catalog& catalog,
                                          const ValidateOptions& options) {
  const RuleRegistry& registry = options.rules != nullptr ? *options.rules : RuleRegistry::Builtin();
  SQLMILL_ASSIGN_OR_RETURN(const TargetProfile* target, ResolveTarget(options.target, options.targets));
  SQLMILL_ASSIGN_OR_RETURN(PreparedRules prepared,
                           PrepareRules(options.config, registry, target, RulePhase::kValidate));

  const CatalogIndex index(catalog);

  // Objects visited: schemas, tables (and their columns), views, routines, ...
  uint32_t objects = 0;
  for (const tsql::Database& db : catalog.databases) {
    for (const tsql::Schema& schema : db.schemas) {
      objects += 1 + static_cast<uint32_t>(schema.tables.size() + schema.views.size() +
                                           schema.routines.size() + schema.triggers.size() +
                                           schema.sequences.size() + schema.types.size() +
                                           schema.synonyms.size());
      for (const tsql::Table& t : schema.tables) objects += static_cast<uint32_t>(t.columns.size());
    }
  }

  // Lanes: each walks the whole catalog with its share of the rules, on its own thread.
  const int threads =
      std::clamp<int>(options.threads, 1, std::max<int>(1, static_cast<int>(prepared.rules.size())));
  struct Lane {
    std::vector<PreparedRule*> rules;
    std::optional<RuleContext> ctx;
    absl::Status status;
  };
  std::vector<Lane> lanes(threads);
  for (size_t i = 0; i < prepared.rules.size(); ++i) lanes[i % threads].rules.push_back(&prepared.rules[i]);
  const uint64_t total_rules = std::max<size_t>(1, prepared.rules.size());

  auto run_lane = [&](Lane& lane) {
    lane.ctx.emplace(index, target);
    RuleContext& ctx = *lane.ctx;
    // About one finding per object and rule share is typical of a schema under every rule;
    // reserving it (untouched capacity costs no memory) saves the vector's regrowth copies.
    ctx.findings().reserve(std::min<uint64_t>(uint64_t{1} << 20, uint64_t{objects} * lane.rules.size() / total_rules + 16));
    // The lane's share of the budget, so that together the lanes stop where one would.
    const uint64_t lane_rules = std::max<size_t>(1, lane.rules.size());
    const uint64_t max_units = options.limits.max_work_units == 0
                                   ? 0
                                   : std::max<uint64_t>(1, options.limits.max_work_units * lane_rules / total_rules);
    WorkBudget budget(max_units, options.cancel);

    // Visits one object with every rule of the lane.
    auto visit = [&](auto&& call, uint64_t weight) -> absl::Status {
      SQLMILL_RETURN_IF_ERROR(budget.Charge(lane_rules * weight));
      for (PreparedRule* r : lane.rules) {
        ctx.BeginRule(&r->info.id, r->info.default_severity, r->severity_configured);
        call(*r->rule);
      }
      return absl::OkStatus();
    };
    auto walk = [&]() -> absl::Status {
      for (const tsql::Database& db : catalog.databases) {
        for (const tsql::Schema& schema : db.schemas) {
          const SchemaScope scope{db, schema};
          SQLMILL_RETURN_IF_ERROR(visit([&](Rule& r) { r.CheckSchema(scope, ctx); }, 1));
          for (const tsql::Table& t : schema.tables) {
            SQLMILL_RETURN_IF_ERROR(
                visit([&](Rule& r) { r.CheckTable(scope, t, ctx); }, 1 + t.columns.size()));
          }
          for (const tsql::View& v : schema.views) {
            SQLMILL_RETURN_IF_ERROR(visit([&](Rule& r) { r.CheckView(scope, v, ctx); }, 1));
          }
          for (const tsql::Routine& x : schema.routines) {
            SQLMILL_RETURN_IF_ERROR(visit([&](Rule& r) { r.CheckRoutine(scope, x, ctx); }, 1));
          }
          for (const tsql::Trigger& x : schema.triggers) {
            SQLMILL_RETURN_IF_ERROR(visit([&](Rule& r) { r.CheckTrigger(scope, x, ctx); }, 1));
          }
          for (const tsql::Sequence& x : schema.sequences) {
            SQLMILL_RETURN_IF_ERROR(visit([&](Rule& r) { r.CheckSequence(scope, x, ctx); }, 1));
          }
          for (const tsql::UserDefinedType& x : schema.types) {
            SQLMILL_RETURN_IF_ERROR(visit([&](Rule& r) { r.CheckType(scope, x, ctx); }, 1));
          }
          for (const tsql::Synonym& x : schema.synonyms) {
            SQLMILL_RETURN_IF_ERROR(visit([&](Rule& r) { r.CheckSynonym(scope, x, ctx); }, 1));
          }
        }
      }
      for (PreparedRule* r : lane.rules) {
        SQLMILL_RETURN_IF_ERROR(budget.Charge(lane_rules));
        ctx.BeginRule(&r->info.id, r->info.default_severity, r->severity_configured);
        r->rule->Finish(ctx);
      }
      return absl::OkStatus();
    };
    lane.status = walk();
  };
  RunParallel(options.parallel ? options.parallel : ThreadRunner(static_cast<int>(lanes.size())),
              lanes.size(), [&](size_t i) { run_lane(lanes[i]); });
  for (const Lane& lane : lanes) SQLMILL_RETURN_IF_ERROR(lane.status);

  ValidationReport report;
  report.target = target != nullptr ? target->name() : "";
  report.fail_threshold = options.fail_threshold;
  // Lanes in order; FinishReport's sort is total up to findings of one rule, which keep
  // their walk order, so the result does not depend on the number of lanes.
  size_t total = 0;
  for (Lane& lane : lanes) total += lane.ctx->findings().size();
  report.findings = std::move(lanes[0].ctx->findings());
  report.findings.reserve(total);
  for (size_t i = 1; i < lanes.size(); ++i) {
    for (Finding& f : lanes[i].ctx->findings()) report.findings.push_back(std::move(f));
  }
  report.summary.objects_checked = objects;
  for (const PreparedRule& r : prepared.rules) report.rules_run.push_back(r.info);
  FinishReport(options.config, options.sources, &report);
  return report;
}

}  // namespace sqlmill::validator

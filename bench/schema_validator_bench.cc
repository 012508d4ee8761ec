// Schema validator benchmark: Validate on generated catalogs of 1k, 3k, 10k and 30k tables
// against every built-in rule (off-by-default ones enabled, naming patterns and a custom
// rule configured) for a warehouse target, to show the cost per table and that it grows
// linearly. Target (issue #5): 10,000 tables under 1 s. Prints figures; never pass/fail.
//
//   build-validator/bin/schema_validator_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "services/schema_validator/engine/diff.h"
#include "services/schema_validator/engine/validator.h"

namespace sqlmill::validator {
namespace {

tsql::DataType Type(std::string name, int64_t length = 0, int p = 0, int s = 0) {
  tsql::DataType t;
  t.name = std::move(name);
  t.length = length;
  if (p > 0) {
    t.precision = p;
    t.scale = s;
    t.has_precision = t.has_scale = true;
  }
  t.text = t.name;
  return t;
}

tsql::CatalogSpan Span(int line) {
  tsql::CatalogSpan s;
  s.span = {static_cast<uint32_t>(line * 40), 30};
  s.begin = {line, 1};
  s.end = {line, 31};
  return s;
}

// A schema shaped like real OLTP scripts: 12 columns a table, most tables keyed, FKs to
// earlier tables, an index or two, defaults, one view and one procedure per 10 tables.
tsql::Catalog Generate(int tables) {
  tsql::Catalog c;
  c.files.push_back("generated.sql");
  tsql::Schema& s = c.GetOrAddDatabase("Bench").GetOrAddSchema("dbo");
  s.tables.reserve(tables);
  int line = 1;
  for (int i = 0; i < tables; ++i) {
    tsql::Table t;
    t.name = absl::StrCat("Table", i);
    t.span = Span(line++);
    auto col = [&](std::string name, tsql::DataType type, bool not_null) {
      tsql::Column x;
      x.name = std::move(name);
      x.ordinal = static_cast<int>(t.columns.size()) + 1;
      x.data_type = std::move(type);
      x.nullability = not_null ? tsql::Nullability::kNotNull : tsql::Nullability::kNull;
      x.span = Span(line++);
      t.columns.push_back(std::move(x));
      return &t.columns.back();
    };
    col("Id", Type("int"), true)->identity = tsql::Identity{};
    col("Code", Type("varchar", 20), true);
    col("Name", Type("nvarchar", 200), true);
    col("Amount", Type("decimal", 0, 18, 2), false);
    col("Price", Type("float"), false);
    col("CreatedAt", Type("datetime2", 0, 0, 0), true)->default_constraint =
        tsql::Constraint{.name = absl::StrCat("DF_Table", i, "_CreatedAt"), .kind = tsql::ConstraintKind::kDefault,
                         .expression = "(sysdatetime())"};
    col("UpdatedAt", Type("datetimeoffset"), false);
    col("Notes", Type("nvarchar"), false)->data_type->is_max = true;
    col("Flag", Type("bit"), true);
    col("RowGuid", Type("uniqueidentifier"), true);
    col("ParentId", Type("int"), false);
    col("Status", Type("char", 1), true);
    if (i % 7 != 0) {
      t.primary_key = tsql::Constraint{.name = absl::StrCat("PK_Table", i), .kind = tsql::ConstraintKind::kPrimaryKey,
                                       .columns = {{"Id", false}}, .span = Span(line++)};
    }
    if (i > 0) {
      tsql::Constraint fk{.name = absl::StrCat("FK_Table", i, "_Parent"), .kind = tsql::ConstraintKind::kForeignKey,
                          .columns = {{"ParentId", false}}, .span = Span(line++)};
      fk.referenced_table = {"", "", "dbo", absl::StrCat("Table", i / 2)};
      fk.referenced_columns = {"Id"};
      t.foreign_keys.push_back(std::move(fk));
    }
    t.check_constraints.push_back(tsql::Constraint{.name = absl::StrCat("CK_Table", i, "_Status"),
                                                   .kind = tsql::ConstraintKind::kCheck,
                                                   .expression = "([Status] IN ('A','B'))", .span = Span(line++)});
    tsql::Index ix{.name = absl::StrCat("IX_Table", i, "_Code"), .kind = tsql::IndexKind::kNonclustered,
                   .columns = {{"Code", false}, {"Name", false}}, .span = Span(line++)};
    if (i % 3 == 0) ix.included_columns = {"Amount"};
    t.indexes.push_back(std::move(ix));
    if (i % 5 == 0) {
      t.indexes.push_back(tsql::Index{.name = absl::StrCat("IX_Table", i, "_Code2"),
                                      .kind = tsql::IndexKind::kNonclustered, .columns = {{"Code", false}},
                                      .span = Span(line++)});
    }
    s.tables.push_back(std::move(t));
    if (i % 10 == 9) {
      tsql::View v;
      v.name = absl::StrCat("vTable", i);
      v.span = Span(line++);
      v.references = {{{"", "", "dbo", absl::StrCat("Table", i)}, Span(line)},
                      {{"", "", "dbo", absl::StrCat("Table", i - 1)}, Span(line)}};
      s.views.push_back(std::move(v));
      tsql::Routine r;
      r.name = absl::StrCat("usp_Table", i);
      r.kind = tsql::RoutineKind::kProcedure;
      r.span = Span(line++);
      r.references = {{{"", "", "dbo", absl::StrCat("Table", i)}, Span(line)}};
      s.routines.push_back(std::move(r));
    }
  }
  return c;
}

ValidateOptions AllRules(const std::string& target) {
  ValidateOptions options;
  options.target = target;
  auto config = ParseRuleConfigYaml(R"(
rules:
  missing-description: {enabled: true, parameters: {kinds: "table, column"}}
  constraint-unnamed: on
  naming-pattern:
    parameters:
      table: '^[A-Z][A-Za-z0-9]*$'
      column: '^[A-Z][A-Za-z0-9]*$'
      primary_key: '^PK_\w+$'
      foreign_key: '^FK_\w+$'
      index: '^(IX|UX)_\w+$'
custom_rules:
  - id: tables-have-created-at
    object_kind: table
    require: ['column:CreatedAt', has_primary_key]
)", "bench.yml");
  if (config.ok()) options.config = std::move(*config);
  return options;
}

void BM_ValidateAllRules(benchmark::State& state, const std::string& target, int threads) {
  const tsql::Catalog catalog = Generate(static_cast<int>(state.range(0)));
  ValidateOptions options = AllRules(target);
  options.threads = threads;
  size_t findings = 0;
  size_t rules = 0;
  for (auto _ : state) {
    auto report = Validate(catalog, options);
    if (!report.ok()) {
      state.SkipWithError(std::string(report.status().message()).c_str());
      return;
    }
    findings = report->findings.size();
    rules = report->rules_run.size();
    benchmark::DoNotOptimize(report);
  }
  state.counters["tables"] = static_cast<double>(state.range(0));
  state.counters["rules"] = static_cast<double>(rules);
  state.counters["findings"] = static_cast<double>(findings);
  state.counters["ns_per_table"] = benchmark::Counter(static_cast<double>(state.range(0)),
                                                      benchmark::Counter::kIsIterationInvariantRate |
                                                          benchmark::Counter::kInvert);
  state.SetComplexityN(state.range(0));
}

void BM_DiffSelf(benchmark::State& state) {
  const tsql::Catalog a = Generate(static_cast<int>(state.range(0)));
  tsql::Catalog b = a;
  for (auto& t : b.databases[0].schemas[0].tables) t.columns.back().data_type->length = 2;  // widen Status
  DiffOptions options;
  size_t changes = 0;
  for (auto _ : state) {
    auto diff = Diff(a, b, options);
    changes = diff.ok() ? diff->changes.size() : 0;
    benchmark::DoNotOptimize(diff);
  }
  state.counters["changes"] = static_cast<double>(changes);
  state.SetComplexityN(state.range(0));
}

// Default configuration, no target: the design/integrity rules only, few findings.
void BM_ValidateDefaults(benchmark::State& state) {
  const tsql::Catalog catalog = Generate(static_cast<int>(state.range(0)));
  ValidateOptions options;
  size_t findings = 0;
  for (auto _ : state) {
    auto report = Validate(catalog, options);
    findings = report.ok() ? report->findings.size() : 0;
    benchmark::DoNotOptimize(report);
  }
  state.counters["findings"] = static_cast<double>(findings);
  state.SetComplexityN(state.range(0));
}

BENCHMARK(BM_ValidateDefaults)->Arg(1000)->Arg(10000)->Arg(30000)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oN)
    ->UseRealTime();
// threads 0 = Validate's automatic choice (parallel from 20,000 objects); 1 = one thread.
// Wall time (UseRealTime): with several lanes, CPU time would count only the main thread.
BENCHMARK_CAPTURE(BM_ValidateAllRules, snowflake, std::string("snowflake"), 0)
    ->Arg(1000)->Arg(3000)->Arg(10000)->Arg(30000)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oN)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_ValidateAllRules, snowflake_1thread, std::string("snowflake"), 1)
    ->Arg(1000)->Arg(10000)->Arg(30000)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oN)->UseRealTime();
BENCHMARK_CAPTURE(BM_ValidateAllRules, postgres, std::string("postgres"), 0)
    ->Arg(10000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DiffSelf)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oN);

}  // namespace
}  // namespace sqlmill::validator

BENCHMARK_MAIN();

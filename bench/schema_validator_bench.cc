// Schema validator benchmark: Validate on generated catalogs of 1k, 3k, 10k and 30k tables
// against every built-in rule (off-by-default ones enabled, naming patterns and a custom
// rule configured) for a warehouse target, to show the cost per table and that it grows
// linearly, and on the largest catalogs of ../shared/corpus/mssql (parsed once, outside the
// timing). Target (issue #5): 10,000 tables under 1 s. Prints figures; never pass/fail.
//
//   build-validator/bin/schema_validator_bench --benchmark_min_time=1
//   build-validator/bin/schema_validator_bench --dump_catalog=10000:/tmp/c.json
//
// --dump_catalog writes the generated catalog as sqlmill.v1.Catalog JSON and exits: the peer
// (bench/schema_validator_bench.py) checks the same catalog with the same rules in Python
// and compares against BM_ValidatePeerRules.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "services/sql_parser/service/catalog_to_proto.h"
#include "services/schema_validator/engine/diff.h"
#include "services/schema_validator/engine/validator.h"
#ifdef SQLMILL_VALIDATOR_HAS_PARSER
#include "services/schema_validator/engine/sql_input.h"
#endif

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

// The rules the Python peer (bench/schema_validator_bench.py) implements, configured alike,
// on one thread: the peer's figure is what the same checks cost in Python.
void BM_ValidatePeerRules(benchmark::State& state) {
  const tsql::Catalog catalog = Generate(static_cast<int>(state.range(0)));
  const bool descriptions = state.range(1) != 0;  // missing-description: one finding per column
  ValidateOptions options;
  options.threads = 1;
  auto config = ParseRuleConfigYaml(absl::StrCat(R"(
only: [pk-required, heap-table, fk-missing-index, identity-not-in-key, money-type,
       float-for-money, deprecated-type, naming-pattern)",
                                                 descriptions ? ", missing-description]" : "]", R"(
rules:)",
                                                 descriptions ? R"(
  missing-description: {enabled: true, parameters: {kinds: "table, column"}})" : "",
                                                 R"(
  naming-pattern:
    parameters:
      table: '^[A-Z][A-Za-z0-9]*$'
      column: '^[A-Z][A-Za-z0-9]*$'
      primary_key: '^PK_\w+$'
      foreign_key: '^FK_\w+$'
      index: '^(IX|UX)_\w+$'
)"), "peer.yml");
  if (!config.ok()) {
    state.SkipWithError(std::string(config.status().message()).c_str());
    return;
  }
  options.config = std::move(*config);
  size_t findings = 0;
  for (auto _ : state) {
    auto report = Validate(catalog, options);
    findings = report.ok() ? report->findings.size() : 0;
    benchmark::DoNotOptimize(report);
  }
  state.counters["findings"] = static_cast<double>(findings);
  state.counters["tables"] = static_cast<double>(state.range(0));
}

#ifdef SQLMILL_VALIDATOR_HAS_PARSER
// One corpus folder, parsed once; every rule for Snowflake.
void BM_ValidateCorpus(benchmark::State& state, std::filesystem::path folder) {
  std::vector<SqlFile> files;
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::recursive_directory_iterator(folder)) {
    std::string ext = e.path().extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (e.is_regular_file() && ext == ".sql") paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  size_t bytes = 0;
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    files.push_back({p.string(), text.str()});
    bytes += files.back().content.size();
  }
  auto schema = ParseSqlSchema(files, SqlInputOptions{}, nullptr);
  if (!schema.ok()) {
    state.SkipWithError(std::string(schema.status().message()).c_str());
    return;
  }
  size_t tables = 0, columns = 0;
  for (const auto& db : schema->catalog.databases) {
    for (const auto& s : db.schemas) {
      tables += s.tables.size();
      for (const auto& t : s.tables) columns += t.columns.size();
    }
  }
  ValidateOptions options = AllRules("snowflake");
  options.sources = schema->sources;
  size_t findings = 0;
  for (auto _ : state) {
    auto report = Validate(schema->catalog, options);
    findings = report.ok() ? report->findings.size() : 0;
    benchmark::DoNotOptimize(report);
  }
  state.counters["tables"] = static_cast<double>(tables);
  state.counters["columns"] = static_cast<double>(columns);
  state.counters["findings"] = static_cast<double>(findings);
  state.counters["script_kb"] = static_cast<double>(bytes) / 1024.0;
}

// Registers BM_ValidateCorpus/<folder> for every folder of the shared corpus (if present).
void RegisterCorpus() {
  const std::filesystem::path corpus = "../shared/corpus/mssql";
  if (!std::filesystem::is_directory(corpus)) {
    std::fprintf(stderr, "note: %s not found (run from the source root); corpus benchmarks skipped\n",
                 corpus.c_str());
    return;
  }
  std::vector<std::filesystem::path> folders;
  for (const auto& e : std::filesystem::directory_iterator(corpus)) {
    if (e.is_directory()) folders.push_back(e.path());
  }
  std::sort(folders.begin(), folders.end());
  for (const auto& f : folders) {
    benchmark::RegisterBenchmark(("BM_ValidateCorpus/" + f.filename().string()).c_str(),
                                 [f](benchmark::State& st) { BM_ValidateCorpus(st, f); })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
}
#endif

// Writes Generate(n) as sqlmill.v1.Catalog JSON.
int DumpCatalog(const std::string& spec) {
  const size_t colon = spec.find(':');
  if (colon == std::string::npos) {
    std::fprintf(stderr, "--dump_catalog expects N:PATH\n");
    return 2;
  }
  const int n = std::atoi(spec.substr(0, colon).c_str());
  v1::Catalog proto;
  CatalogToProto(Generate(n), &proto);
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(proto, &json).ok()) return 1;
  std::ofstream out(spec.substr(colon + 1), std::ios::binary);
  out << json;
  return out.good() ? 0 : 1;
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
// threads: 1 = Validate's default; 2 = the rules split over two threads.
// Wall time (UseRealTime): with several lanes, CPU time would count only the main thread.
BENCHMARK_CAPTURE(BM_ValidateAllRules, snowflake, std::string("snowflake"), 1)
    ->Arg(1000)->Arg(3000)->Arg(10000)->Arg(30000)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oN)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_ValidateAllRules, snowflake_2threads, std::string("snowflake"), 2)
    ->Arg(1000)->Arg(10000)->Arg(30000)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oN)->UseRealTime();
BENCHMARK_CAPTURE(BM_ValidateAllRules, postgres, std::string("postgres"), 1)
    ->Arg(10000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ValidatePeerRules)->Args({10000, 1})->Args({10000, 0})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DiffSelf)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oN);

}  // namespace
}  // namespace sqlmill::validator

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--dump_catalog=", 15) == 0) {
      return sqlmill::validator::DumpCatalog(argv[i] + 15);
    }
  }
#ifdef SQLMILL_VALIDATOR_HAS_PARSER
  sqlmill::validator::RegisterCorpus();
#endif
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

// Whole-project compile time of the dbt compiler, beside the time Debian's python3-jinja2
// takes just to render the same models with stand-in functions (bench/jinja2_floor.py) in
// the same run: corpus projects (when ../shared is present) and generated projects of
// 100, 1,000 and 5,000 models (refs, macros, configs, a package, generic tests).
// Then the incremental case: a generated project compiled cold (fresh ParseCache) and then
// re-compiled, through the same cache, after one model file changed: once with parsed
// templates cached only (before parse results were cached), once with parse results too.
// Prints figures; never passes or fails. Run from the source root:
//   build/bin/dbt_compiler_benchmark [--sizes 100,1000,5000] [--repeat 3] [--incremental 1000]
// (an empty --sizes or --incremental list leaves those rows out)
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/dbt_compiler/engine/compiler.h"

namespace {

namespace fs = std::filesystem;
using sqlmill::dbt::CompileOptions;
using sqlmill::dbt::FileMap;

// A deterministic generated project: `n` models in 10 folders, each referencing up to three
// earlier models, calling project and package macros, with config() and var().
FileMap Generate(int n) {
  FileMap f;
  f["dbt_project.yml"] =
      "name: gen\nvars:\n  lookback_days: 30\nmodels:\n  gen:\n    +materialized: view\n"
      "    folder_0:\n      +materialized: table\n      +tags: ['core']\n    folder_1:\n      +schema: extra\n";
  std::string macros;
  for (int m = 0; m < 20; ++m) {
    absl::StrAppend(&macros, "{% macro cents_", m, "(col, scale=2) -%}\n  round(({{ col }}) / 100.0, {{ scale }})\n{%- endmacro %}\n",
                    "{% macro columns_", m, "(prefix) -%}\n  {%- for i in range(5) %}{{ prefix }}_c{{ i }}{% if not loop.last %}, {% endif %}{% endfor -%}\n{%- endmacro %}\n");
  }
  f["macros/helpers.sql"] = macros;
  f["dbt_packages/util_pkg/dbt_project.yml"] = "name: util_pkg\n";
  std::string pkg;
  for (int m = 0; m < 20; ++m) {
    absl::StrAppend(&pkg, "{% macro safe_div_", m, "(a, b) -%}\n  case when {{ b }} = 0 then null else {{ a }} / {{ b }} end\n{%- endmacro %}\n");
  }
  f["dbt_packages/util_pkg/macros/util.sql"] = pkg;
  std::string yml = "version: 2\nmodels:\n";
  for (int i = 0; i < n; ++i) {
    std::string sql;
    if (i % 7 == 0) absl::StrAppend(&sql, "{{ config(materialized='incremental', unique_key='id') }}\n");
    absl::StrAppend(&sql, "with base as (\n  select id, amount, ", "{{ columns_", i % 20, "('x') }}\n");
    if (i == 0) {
      absl::StrAppend(&sql, "  from raw.source_table\n)\n");
    } else {
      absl::StrAppend(&sql, "  from {{ ref('model_", (i * 7919) % i, "') }}\n)");
      for (int k = 1; k <= 2 && i - k * 3 >= 0; ++k) {
        absl::StrAppend(&sql, ", j", k, " as (select * from {{ ref('model_", i - k * 3, "') }})");
      }
      absl::StrAppend(&sql, "\n");
    }
    absl::StrAppend(&sql, "select id, {{ cents_", i % 20, "('amount') }} as amount_usd,\n",
                    "  {{ util_pkg.safe_div_", i % 20, "('amount', 'id') }} as ratio\n",
                    "from base\nwhere created_at > current_date - {{ var('lookback_days') }}\n",
                    "{% if is_incremental() %}  and id > (select max(id) from {{ this }}){% endif %}\n");
    f[absl::StrCat("models/folder_", i % 10, "/model_", i, ".sql")] = sql;
    if (i % 10 == 0) absl::StrAppend(&yml, "  - name: model_", i, "\n    columns:\n      - name: id\n        tests: [unique, not_null]\n");
  }
  f["models/schema.yml"] = yml;
  return f;
}

void WriteTree(const FileMap& files, const fs::path& root) {
  fs::remove_all(root);
  for (const auto& [path, text] : files) {
    fs::create_directories((root / path).parent_path());
    std::ofstream(root / path, std::ios::binary) << text;
  }
}

FileMap ReadTree(const fs::path& root, const std::string& prefix = "") {
  FileMap files;
  if (!fs::exists(root)) return files;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    const std::string rel = fs::relative(it->path(), root).generic_string();
    if (it->is_directory() && (rel == "target" || rel == ".git")) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    files[prefix + rel] = ss.str();
  }
  return files;
}

double MedianCompileMs(const FileMap& files, const std::string& adapter, int repeat, int* compiled) {
  std::vector<double> ms;
  auto shared = std::make_shared<FileMap>(files);
  for (int r = 0; r < repeat; ++r) {
    CompileOptions o;
    o.files = shared;
    o.target.adapter_type = adapter;
    o.target.database = "db";
    o.target.schema = "analytics";
    const auto t0 = std::chrono::steady_clock::now();
    auto out = sqlmill::dbt::Compile(o);
    const auto t1 = std::chrono::steady_clock::now();
    if (!out.ok()) {
      std::cerr << "compile failed: " << out.status() << "\n";
      return -1;
    }
    *compiled = out->stats.nodes_compiled;
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

double Jinja2FloorMs(const FileMap& files) {
  const fs::path dir = fs::temp_directory_path() / "sqlmill_dbt_bench_project";
  WriteTree(files, dir);
  const std::string cmd = absl::StrCat("/usr/bin/python3 services/dbt_compiler/bench/jinja2_floor.py ", dir.string());
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return -1;
  char buf[256] = {0};
  double seconds = -1;
  if (fgets(buf, sizeof(buf), p) != nullptr) seconds = std::atof(buf);
  pclose(p);
  fs::remove_all(dir);
  return seconds * 1000.0;
}

// Cold compile with a fresh cache, then re-compiles after changing one model each time
// (a different model per repeat, so each is a real change); medians of `repeat`. The
// re-compile runs twice per repeat, each after its own cold compile: through a cache that
// keeps parsed templates only (max_parse_results = 0, the behaviour before parse results
// were cached) and through one that also keeps parse-phase results.
struct IncrementalRun {
  double cold_ms = 0, warm_ms = 0;
  uint32_t cold_parsed = 0, warm_parsed = 0, warm_macro_files = 0, renders = 0, reused = 0;
};

void IncrementalRow(const std::string& name, const FileMap& project, int repeat) {
  std::vector<std::string> models;
  for (const auto& [path, text] : project) {
    if (path.rfind("models/", 0) == 0 && path.size() > 4 && path.substr(path.size() - 4) == ".sql") models.push_back(path);
  }
  if (models.empty()) return;
  auto compile = [&](const FileMap& files, const std::shared_ptr<sqlmill::dbt::ParseCache>& cache,
                     double* ms, bool compile_nodes = true) -> absl::StatusOr<sqlmill::dbt::CompileOutput> {
    CompileOptions o;
    o.compile_nodes = compile_nodes;
    o.files = std::make_shared<FileMap>(files);
    o.target.adapter_type = "postgres";
    o.target.database = "db";
    o.target.schema = "analytics";
    o.parse_cache = cache;
    const auto t0 = std::chrono::steady_clock::now();
    auto out = sqlmill::dbt::Compile(o);
    *ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return out;
  };
  // One cold compile and one re-compile after `changed` was edited.
  // lazy: the re-compile is what CompileNode with changed_files does — no compile renders,
  // then the changed model compiled on its own (CompileOneNode); timed together.
  auto run = [&](size_t max_parse_results, int r, IncrementalRun* out_run, bool lazy = false) -> bool {
    sqlmill::dbt::ParseCacheOptions co;
    co.max_parse_results = max_parse_results;
    auto cache = std::make_shared<sqlmill::dbt::ParseCache>(co);
    FileMap files = project;
    auto out = compile(files, cache, &out_run->cold_ms);
    if (!out.ok()) {
      std::cerr << "compile failed: " << out.status() << "\n";
      return false;
    }
    out_run->cold_parsed = out->stats.templates_parsed + out->stats.macro_files_parsed;
    const std::string& changed = models[(r * 7 + 5) % models.size()];
    files[changed] += absl::StrCat("\n-- edited ", r, "\n");
    out = compile(files, cache, &out_run->warm_ms, !lazy);
    if (!out.ok()) return false;
    if (lazy) {
      const std::string stem = changed.substr(changed.rfind('/') + 1, changed.size() - changed.rfind('/') - 5);
      std::vector<sqlmill::Diagnostic> diags;
      const auto t0 = std::chrono::steady_clock::now();
      auto node = out->project->CompileOneNode(stem, "", &diags);
      out_run->warm_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      if (!node.ok() || !node->compiled) {
        std::cerr << "CompileOneNode(" << stem << ") failed\n";
        return false;
      }
    }
    out_run->warm_parsed = out->stats.templates_parsed;
    out_run->warm_macro_files = out->stats.macro_files_parsed;
    out_run->renders = out->stats.parse_renders;
    out_run->reused = out->stats.parse_results_reused;
    return true;
  };
  std::vector<double> cold, before, after, node_only;
  IncrementalRun b, a, l;
  for (int r = 0; r < repeat; ++r) {
    if (!run(0, r, &b) || !run(sqlmill::dbt::ParseCacheOptions{}.max_parse_results, r, &a) ||
        !run(sqlmill::dbt::ParseCacheOptions{}.max_parse_results, r, &l, /*lazy=*/true)) {
      return;
    }
    cold.push_back(a.cold_ms);
    before.push_back(b.warm_ms);
    after.push_back(a.warm_ms);
    node_only.push_back(l.warm_ms);
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  const double c = median(cold), wb = median(before), wa = median(after), wn = median(node_only);
  std::printf("| %s | %.1f ms (%u files parsed) | %.1f ms (%u template, %u parse renders) | "
              "%.1f ms (%u template, %u macro files parsed; %u parse renders, %u reused) | %.2fx | %.2fx | "
              "%.1f ms (%.1fx) |\n",
              name.c_str(), c, a.cold_parsed, wb, b.warm_parsed, b.renders, wa, a.warm_parsed, a.warm_macro_files,
              a.renders, a.reused, c / wb, c / wa, wn, c / wn);
  std::fflush(stdout);
}

long PeakRssMb() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> sizes = {100, 1000, 5000};
  int repeat = 3;
  std::vector<int> incremental = {1000};
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--sizes") {
      sizes.clear();
      for (auto s : absl::StrSplit(argv[i + 1], ',', absl::SkipEmpty())) sizes.push_back(std::atoi(std::string(s).c_str()));
    } else if (a == "--repeat") {
      repeat = std::max(1, std::atoi(argv[i + 1]));
    } else if (a == "--incremental") {
      incremental.clear();
      for (auto s : absl::StrSplit(argv[i + 1], ',', absl::SkipEmpty())) incremental.push_back(std::atoi(std::string(s).c_str()));
    }
  }
  std::printf("| project | nodes compiled | sqlmill (median of %d) | python3-jinja2 render floor | ratio | peak RSS |\n",
              repeat);
  std::printf("|---|---:|---:|---:|---:|---:|\n");
  auto row = [&](const std::string& name, const FileMap& files, bool floor) {
    int compiled = 0;
    const double ms = MedianCompileMs(files, "postgres", repeat, &compiled);
    const double py = floor ? Jinja2FloorMs(files) : -1;
    std::printf("| %s | %d | %.1f ms | %s | %s | %ld MB |\n", name.c_str(), compiled, ms,
                py > 0 ? absl::StrCat(absl::SixDigits(py), " ms").c_str() : "n/a",
                py > 0 ? absl::StrCat(absl::SixDigits(py / ms), "x").c_str() : "n/a", PeakRssMb());
    std::fflush(stdout);
  };
  const fs::path corpus = "../shared/corpus";
  FileMap jaffle;
  if (fs::exists(corpus)) {
    row("dbt-truth/yuweisung__dbtlearn", ReadTree(corpus / "dbt-truth/yuweisung__dbtlearn"), false);
    FileMap js = ReadTree(corpus / "dbt/jaffle-shop");
    for (auto& [k, v] : ReadTree(corpus / "dbt/dbt-utils/macros", "dbt_packages/dbt_utils/macros/")) js[k] = v;
    js["dbt_packages/dbt_utils/dbt_project.yml"] = "name: dbt_utils\n";
    for (auto& [k, v] : ReadTree(corpus / "dbt-truth/yuweisung__dbtlearn/dbt_packages/dbt_date", "dbt_packages/dbt_date/")) js[k] = v;
    row("jaffle-shop + dbt_utils + dbt_date", js, false);
    jaffle = js;
  }
  for (int n : sizes) row(absl::StrCat("generated ", n, " models"), Generate(n), true);
  if (!incremental.empty()) {
    std::printf("\n| incremental (median of %d) | cold compile | re-compile, templates cached (before) | "
                "re-compile, templates + parse results cached (after) | speed-up before | speed-up after | "
                "CompileNode with the changed file (no other node rendered) |\n",
                repeat);
    std::printf("|---|---:|---:|---:|---:|---:|---:|\n");
    if (!jaffle.empty()) IncrementalRow("jaffle-shop + dbt_utils + dbt_date", jaffle, repeat);
    for (int n : incremental) IncrementalRow(absl::StrCat("generated ", n, " models"), Generate(n), repeat);
  }
  return 0;
}

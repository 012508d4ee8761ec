// Test helpers: the real projects the engine tests compile — the bundled example
// (examples/dbt/retail_analytics), the public corpus projects (jaffle_shop, jaffle-shop with
// dbt_utils and dbt_date, dbt-utils' integration_tests) and the dbt-truth ground-truth
// projects with the run conditions their INDEX.tsv records — each as a file map plus the
// compile options it needs. Projects whose directories are absent are left out.
// Header-only; test code only. Thread-safe (no shared state).
#ifndef SQLMILL_SERVICES_DBT_COMPILER_ENGINE_TESTING_CORPUS_PROJECTS_H_
#define SQLMILL_SERVICES_DBT_COMPILER_ENGINE_TESTING_CORPUS_PROJECTS_H_

#include <filesystem>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "services/dbt_compiler/engine/compiler.h"
#include "services/dbt_compiler/engine/testing/project_files.h"

namespace sqlmill::dbt::testing {

// The bundled example project.
inline std::shared_ptr<FileMap> RetailAnalyticsFiles() {
  auto files = std::make_shared<FileMap>();
  AddDirectory("examples/dbt/retail_analytics", "", files.get());
  return files;
}

// jaffle_shop (classic). The corpus copy has no seeds/ directory; its models ref the three
// seeds the original repository ships, so they are supplied (headers only). Null when absent.
inline std::shared_ptr<FileMap> JaffleShopClassicFiles() {
  const std::filesystem::path dir = CorpusRoot() / "dbt" / "jaffle_shop";
  if (!std::filesystem::exists(dir)) return nullptr;
  auto files = std::make_shared<FileMap>();
  AddDirectory(dir, "", files.get());
  (*files)["seeds/raw_customers.csv"] = "id,first_name,last_name\n";
  (*files)["seeds/raw_orders.csv"] = "id,user_id,order_date,status\n";
  (*files)["seeds/raw_payments.csv"] = "id,order_id,payment_method,amount\n";
  return files;
}

// jaffle-shop with dbt_utils installed, and dbt_date (its metricflow_time_spine calls it),
// which the corpus has (0.14.1) inside the dbtlearn ground-truth project's packages.
inline std::shared_ptr<FileMap> JaffleShopWithPackagesFiles() {
  const std::filesystem::path dir = CorpusRoot() / "dbt" / "jaffle-shop";
  const std::filesystem::path utils = CorpusRoot() / "dbt" / "dbt-utils";
  const std::filesystem::path dbt_date =
      CorpusRoot() / "dbt-truth" / "yuweisung__dbtlearn" / "dbt_packages" / "dbt_date";
  if (!std::filesystem::exists(dir) || !std::filesystem::exists(utils)) return nullptr;
  auto files = std::make_shared<FileMap>();
  AddDirectory(dir, "", files.get());
  AddDirectory(utils / "macros", "dbt_packages/dbt_utils/macros/", files.get());
  (*files)["dbt_packages/dbt_utils/dbt_project.yml"] = ReadFileOrEmpty(utils / "dbt_project.yml");
  AddDirectory(dbt_date, "dbt_packages/dbt_date/", files.get());
  return files;
}

// dbt-utils' integration_tests with dbt_utils installed. The corpus copy has no seed CSVs
// (data/ holds only a YAML file): every ref() to a name that is not a model gets an empty
// seed so the graph is complete.
inline std::shared_ptr<FileMap> DbtUtilsIntegrationFiles() {
  const std::filesystem::path utils = CorpusRoot() / "dbt" / "dbt-utils";
  if (!std::filesystem::exists(utils)) return nullptr;
  auto files = std::make_shared<FileMap>();
  AddDirectory(utils / "integration_tests", "", files.get());
  AddDirectory(utils / "macros", "dbt_packages/dbt_utils/macros/", files.get());
  (*files)["dbt_packages/dbt_utils/dbt_project.yml"] = ReadFileOrEmpty(utils / "dbt_project.yml");
  std::set<std::string> models;
  for (const auto& [path, text] : *files) {
    if (absl::StartsWith(path, "models/") && absl::EndsWith(path, ".sql")) {
      models.insert(path.substr(path.rfind('/') + 1, path.size() - path.rfind('/') - 5));
    }
  }
  const std::regex ref_re(R"(ref\(\s*['"]([A-Za-z0-9_]+)['"]\s*\))");
  FileMap seeds;
  for (const auto& [path, text] : *files) {
    if (absl::StartsWith(path, "dbt_packages/")) continue;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), ref_re); it != std::sregex_iterator(); ++it) {
      const std::string name = (*it)[1].str();
      if (!models.count(name)) seeds["data/" + name + ".csv"] = "id\n";
    }
  }
  files->insert(seeds.begin(), seeds.end());
  return files;
}

// A dbt-truth project and the target and run conditions its INDEX.tsv records.
struct TruthCase {
  std::string dir;
  std::string adapter, database, schema, dbt_version;
  bool relations_exist = false;
  std::vector<ExistingRelation> existing;
};

inline std::vector<TruthCase> TruthCases() {
  TruthCase learn{"yuweisung__dbtlearn", "postgres", "airbnb", "dev", "1.9", true, {}};
  // The warehouse state dbt saw (INDEX.tsv: incremental run; the column lists are what the
  // compiled tests that introspect relations printed).
  learn.existing.push_back({"airbnb", "dev", "dim_listings_cleansed",
                            {"listing_id", "listing_name", "room_type", "minimum_nights", "host_id", "price",
                             "created_at", "updated_at"},
                            {"integer", "text", "text", "integer", "integer", "numeric", "timestamp with time zone",
                             "timestamp with time zone"}});
  learn.existing.push_back({"airbnb", "dev", "dim_host_listings",
                            {"listing_id", "listing_name", "room_type", "minimum_nights", "price", "host_id",
                             "host_name", "superhost", "created_at", "updated_at"},
                            {"integer", "text", "text", "integer", "numeric", "integer", "text", "boolean",
                             "timestamp with time zone", "timestamp with time zone"}});
  TruthCase mssql{"zwhite-cts__dbt_sqlserver_test", "sqlserver", "testDB", "dbt", "1.4", false, {}};
  return {learn, mssql};
}

// The compile options of a ground-truth case (files read from its directory).
inline CompileOptions TruthOptions(const TruthCase& tc) {
  auto files = std::make_shared<FileMap>();
  AddDirectory(CorpusRoot() / "dbt-truth" / tc.dir, "", files.get());
  CompileOptions options;
  options.files = files;
  options.target.adapter_type = tc.adapter;
  options.target.database = tc.database;
  options.target.schema = tc.schema;
  options.dbt_version = tc.dbt_version;
  options.relations_exist = tc.relations_exist;
  options.existing_relations = tc.existing;
  return options;
}

// Every project above that is present, named, with its compile options (corpus projects
// on postgres, database "analytics", schema "dbt_ci", as the corpus compile test uses).
struct NamedProject {
  std::string name;
  CompileOptions options;
};

inline std::vector<NamedProject> AllProjects() {
  std::vector<NamedProject> out;
  auto add = [&](std::string name, std::shared_ptr<FileMap> files) {
    if (files == nullptr || files->empty()) return;
    CompileOptions o;
    o.files = std::move(files);
    o.target.adapter_type = "postgres";
    o.target.database = "analytics";
    o.target.schema = "dbt_ci";
    out.push_back({std::move(name), std::move(o)});
  };
  add("retail_analytics", RetailAnalyticsFiles());
  add("jaffle_shop", JaffleShopClassicFiles());
  add("jaffle-shop+packages", JaffleShopWithPackagesFiles());
  add("dbt-utils/integration_tests", DbtUtilsIntegrationFiles());
  if (std::filesystem::exists(CorpusRoot() / "dbt-truth")) {
    for (const TruthCase& tc : TruthCases()) out.push_back({"dbt-truth/" + tc.dir, TruthOptions(tc)});
  }
  return out;
}

}  // namespace sqlmill::dbt::testing

#endif  // SQLMILL_SERVICES_DBT_COMPILER_ENGINE_TESTING_CORPUS_PROJECTS_H_

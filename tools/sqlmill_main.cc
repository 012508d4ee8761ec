// sqlmill: the command-line tool. Subcommands run the engines in-process (or, where they
// take --server host:port, against a running server).
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "tools/serve_command.h"

#ifdef SQLMILL_HAVE_JINJA
#include "services/dbt_compiler/jinja/jinja_command.h"
#endif
#ifdef SQLMILL_HAVE_SQL_PARSER_CLI
#include "tools/parse_remote.h"
#endif
#ifdef SQLMILL_HAVE_DBT_CLI
#include "services/dbt_compiler/dbt_command.h"
#endif
#ifdef SQLMILL_HAVE_VALIDATOR_CLI
#include "tools/validate_remote.h"
#endif
#ifdef SQLMILL_HAVE_MIGRATE_CLI
#include "tools/migrate_remote.h"
#endif
#ifdef SQLMILL_HAVE_BATCH_CLI
#include "tools/batch/batch_remote.h"
#endif

namespace {

struct Command {
  const char* summary;
  std::function<int(std::vector<std::string>)> run;
};

const std::map<std::string, Command>& Commands() {
  static const auto* commands = new std::map<std::string, Command>{
      {"serve",
       {"run the all-in-one gRPC server (every service on one port)",
        [](std::vector<std::string> args) {
          return sqlmill::RunServeCommand(std::move(args), std::cout, std::cerr);
        }}},
#ifdef SQLMILL_HAVE_SQL_PARSER_CLI
      {"parse",
       {"parse T-SQL files/folders into a catalog (JSON or summary; --server to use a server)",
        [](std::vector<std::string> args) {
          return sqlmill::RunParseCli(std::move(args), std::cout, std::cerr);
        }}},
#endif
#ifdef SQLMILL_HAVE_DBT_CLI
      {"dbt",
       {"compile a dbt project: sqlmill dbt compile PROJECT_DIR [--target-type ...]",
        [](std::vector<std::string> args) {
          return sqlmill::dbt::RunDbtCommand(args, std::cout, std::cerr);
        }}},
#endif
#ifdef SQLMILL_HAVE_VALIDATOR_CLI
      {"validate",
       {"check a schema (SQL files/folders or catalog JSON) against rules and a target (--server to use a server)",
        [](std::vector<std::string> args) { return sqlmill::RunValidateCli(std::move(args), std::cout, std::cerr); }}},
      {"diff",
       {"classify the changes between two schema versions: sqlmill diff OLD NEW (--server to use a server)",
        [](std::vector<std::string> args) { return sqlmill::RunDiffCli(std::move(args), std::cout, std::cerr); }}},
#endif
#ifdef SQLMILL_HAVE_MIGRATE_CLI
      {"migrate",
       {"turn a SQL Server schema into the warehouse dbt project: sqlmill migrate SQL_PATH... --target T --out DIR",
        [](std::vector<std::string> args) { return sqlmill::RunMigrateCli(std::move(args), std::cout, std::cerr); }}},
#endif
#ifdef SQLMILL_HAVE_BATCH_CLI
      {"batch",
       {"run a migration estate unit by unit (resumable, shardable): sqlmill batch INPUT --out DIR --target T",
        [](std::vector<std::string> args) { return sqlmill::RunBatchCli(std::move(args), std::cout, std::cerr); }}},
#endif
#ifdef SQLMILL_HAVE_JINJA
      {"jinja",
       {"render a Jinja template: sqlmill jinja render TEMPLATE [--context ctx.json] ...",
        [](std::vector<std::string> args) {
          return sqlmill::jinja::RunJinjaCommand(args, std::cout, std::cerr);
        }}},
#endif
  };
  return *commands;
}

void PrintUsage(std::ostream& out) {
  out << "usage: sqlmill COMMAND [ARGS...]\n\ncommands:\n";
  for (const auto& [name, command] : Commands()) {
    std::string left = "  " + name;
    left.resize(16, ' ');
    out << left << command.summary << "\n";
  }
  out << "\nRun 'sqlmill COMMAND --help' for a command's flags.\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    PrintUsage(args.empty() ? std::cerr : std::cout);
    return args.empty() ? 2 : 0;
  }
  auto it = Commands().find(args[0]);
  if (it == Commands().end()) {
    std::cerr << "sqlmill: unknown command '" << args[0] << "'\n\n";
    PrintUsage(std::cerr);
    return 2;
  }
  args.erase(args.begin());
  return it->second.run(std::move(args));
}

// `sqlmill migrate`: a SQL Server schema into the warehouse dbt project, in one command.
//
//   sqlmill migrate SQL_PATH... --target TARGET --out DIR [--database DB]... [--schema S]...
//                   [--keep-names] [--no-tests] [--use-packages] [--project-name NAME]
//                   [--profile-name NAME] [--source-database DB] [--source-schema PATTERN]
//                   [--quote-source-identifiers] [--rules FILE] [--fail-on error|warning|info]
//                   [--var NAME=VALUE]... [--default-schema dbo] [--no-compile] [--force]
//                   [--server HOST:PORT]
//
// Parses the SQL (or reads a catalog JSON), validates it for the target, writes the dbt
// project to DIR, compiles it with sqlmill's dbt compiler for that target and prints a short
// summary. A rerun into the same DIR replaces the files the last run generated (listed in
// DIR/.sqlmill-scaffold), removes those it no longer generates, and never touches files a
// user added (a generated path that already holds a user's file is skipped with a warning
// unless --force).
//
// Exit codes: 0 clean; 1 validator findings at the --fail-on threshold; 2 usage or
// configuration error (bad flag, unknown target, unreadable path, server unreachable);
// 3 input errors (the SQL has parse errors, or the generated project failed to compile).
//
// Thread-safety: each call is independent.
#ifndef SQLMILL_SERVICES_DBT_COMPILER_MIGRATE_COMMAND_H_
#define SQLMILL_SERVICES_DBT_COMPILER_MIGRATE_COMMAND_H_

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "sqlmill/v1/dbt_compiler.pb.h"

namespace sqlmill::dbt {

// How the command reaches the scaffold: in-process, or a server's DbtCompilerService.
using ScaffoldCall =
    std::function<absl::StatusOr<v1::ScaffoldProjectResponse>(const v1::ScaffoldProjectRequest&)>;

int RunMigrateCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int RunMigrateCommandVia(const std::vector<std::string>& args, const ScaffoldCall& call, std::ostream& out,
                         std::ostream& err);
const char* MigrateUsage();

}  // namespace sqlmill::dbt

#endif  // SQLMILL_SERVICES_DBT_COMPILER_MIGRATE_COMMAND_H_

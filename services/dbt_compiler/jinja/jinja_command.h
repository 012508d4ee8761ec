// `sqlmill jinja ...`: the command-line front end of the Jinja engine, linked into the
// sqlmill CLI binary (tools/sqlmill_main.cc) through the `jinja_cli` library.
//
//   sqlmill jinja render TEMPLATE_FILE [--context ctx.json] [--search-path DIR]
//                        [--strict] [--trim-blocks] [--lstrip-blocks]
//
// Writes the rendered text to `out`; on error writes "file:line:column: error: message",
// the excerpt and the call stack to `err` and returns non-zero (1 for template errors, 2 for
// usage errors). Includes/imports/extends resolve against --search-path (repeatable; the
// template's own directory when none is given). Thread-safe (no shared state).
#ifndef SQLMILL_SERVICES_DBT_COMPILER_JINJA_JINJA_COMMAND_H_
#define SQLMILL_SERVICES_DBT_COMPILER_JINJA_JINJA_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace sqlmill::jinja {

// Runs `sqlmill jinja <args...>`; `args` start after "jinja".
int RunJinjaCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace sqlmill::jinja

#endif  // SQLMILL_SERVICES_DBT_COMPILER_JINJA_JINJA_COMMAND_H_

// The Jinja parser: tokens → statement/expression AST (ast.h), following Jinja2 3.1's
// grammar and operator precedence. Also defines TemplateData, what a compiled template
// holds.
//
// Parse() is a pure function of its inputs; thread-safe. TemplateData is immutable after
// construction.
#ifndef SQLMILL_SERVICES_DBT_COMPILER_JINJA_INTERNAL_PARSER_H_
#define SQLMILL_SERVICES_DBT_COMPILER_JINJA_INTERNAL_PARSER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/base/source_span.h"
#include "services/dbt_compiler/jinja/internal/ast.h"
#include "services/dbt_compiler/jinja/internal/lexer.h"

namespace sqlmill::jinja::internal {

struct EnvState;

struct TemplateData {
  TemplateData(std::string n, std::string src)
      : name(std::move(n)), source(std::move(src)), line_index(source) {}
  TemplateData(const TemplateData&) = delete;
  TemplateData& operator=(const TemplateData&) = delete;

  std::string name;
  const std::string source;
  const LineIndex line_index;  // views `source`
  StmtList body;
  std::shared_ptr<const EnvState> env;
  // Every {% block %} definition in this template, by name.
  absl::flat_hash_map<std::string, const Stmt*> blocks;
};

// Parses tokens into `out`. On failure fills `error` and returns false. `max_depth` bounds
// nesting of statements and expressions.
bool Parse(const std::vector<Token>& tokens, const EnvState& env, int max_depth, StmtList* out,
           SyntaxError* error);

// Parses a Python literal (as dbt's as_native does with literal_eval); false if `text` is
// not one.
bool ParseLiteral(std::string_view text, Value* out);

}  // namespace sqlmill::jinja::internal

#endif  // SQLMILL_SERVICES_DBT_COMPILER_JINJA_INTERNAL_PARSER_H_

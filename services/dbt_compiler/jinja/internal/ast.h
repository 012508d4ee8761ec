// The Jinja abstract syntax tree: expressions and statements as the parser builds them and
// the evaluator walks them. Nodes are immutable once the parser returns (a compiled template
// is shared by concurrent renders); the only post-parse fields are resolved pointers filled
// in by the parser itself (filters and tests found in the environment).
//
// Ownership: each node owns its children through unique_ptr. Thread-safety: read-only after
// construction, safe to share.
#ifndef SQLMILL_SERVICES_DBT_COMPILER_JINJA_INTERNAL_AST_H_
#define SQLMILL_SERVICES_DBT_COMPILER_JINJA_INTERNAL_AST_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/base/source_span.h"
#include "services/dbt_compiler/jinja/value.h"

namespace sqlmill::jinja::internal {

enum class ExprKind : uint8_t {
  kConst,     // value
  kName,      // name
  kList,      // children
  kTuple,     // children
  kDict,      // children: key, value, key, value...
  kGetAttr,   // children[0].name
  kGetItem,   // children[0][children[1]]
  kSlice,     // children[0][a:b:c]: children[1..3] may be null
  kCall,      // children[0](args)
  kFilter,    // children[0] | name(args); children[0] null inside {% filter %}
  kTest,      // children[0] is name(args); negated via op
  kNeg,
  kPos,
  kNot,
  kBinary,    // op: + - * / // % ** ~
  kAnd,
  kOr,
  kCompare,   // children[0] ops[i] children[i+1]
  kCondExpr,  // children: then, cond, else (else may be null)
};

enum class BinOp : uint8_t { kAdd, kSub, kMul, kDiv, kFloorDiv, kMod, kPow, kConcat };
enum class CmpOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kNotIn };

struct FilterEntry;
struct TestEntry;

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  ExprKind kind;
  SourceSpan span;
  Value value;       // kConst
  std::string name;  // kName, kGetAttr attribute, filter/test name
  uint8_t op = 0;    // BinOp for kBinary; 1 = negated for kTest
  std::vector<ExprPtr> children;
  std::vector<CmpOp> ops;  // kCompare
  // Call-like nodes (kCall, kFilter, kTest): arguments.
  std::vector<ExprPtr> args;
  std::vector<std::pair<std::string, ExprPtr>> kwargs;
  ExprPtr dyn_args;    // *args
  ExprPtr dyn_kwargs;  // **kwargs
  const FilterEntry* filter = nullptr;  // resolved kFilter
  const TestEntry* test = nullptr;      // resolved kTest

  Expr(ExprKind k, SourceSpan s) : kind(k), span(s) {}
};

enum class StmtKind : uint8_t {
  kData,         // text
  kPrint,        // expr
  kIf,           // expr, body, else_body
  kFor,          // target, expr (iter), filter (cond), body, else_body, recursive
  kSet,          // target = expr
  kSetBlock,     // target = body (filtered through filter expr)
  kMacro,        // macro
  kCallBlock,    // expr (the call), macro (the caller)
  kFilterBlock,  // filter expr chain with null innermost input, body
  kWith,         // assignments, body
  kDo,           // expr
  kInclude,      // expr (template), ignore_missing, with_context
  kImport,       // expr (template), name (alias), with_context
  kFromImport,   // expr (template), names, with_context
  kExtends,      // expr
  kBlock,        // name, body, scoped, required
  kBreak,
  kContinue,
  kCustomBlock,  // a host block tag: tag, name, macro, options
};

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;
using StmtList = std::vector<StmtPtr>;

struct MacroDef {
  std::string name;
  std::vector<std::string> params;
  std::vector<ExprPtr> defaults;  // aligned to the last params (size <= params.size())
  StmtList body;
  bool uses_varargs = false;
  bool uses_kwargs = false;
  bool uses_caller = false;
  SourceSpan span;
};

struct Stmt {
  StmtKind kind;
  SourceSpan span;
  std::string text;  // kData
  ExprPtr expr;
  ExprPtr target;
  ExprPtr cond;
  StmtList body;
  StmtList else_body;
  std::string name;  // block name, import alias, custom tag
  std::vector<std::pair<std::string, std::string>> names;  // from-import (name, alias)
  std::vector<std::pair<ExprPtr, ExprPtr>> assignments;    // with
  std::vector<std::pair<std::string, ExprPtr>> options;    // custom block tag options
  std::unique_ptr<MacroDef> macro;
  bool recursive = false;
  bool ignore_missing = false;
  bool with_context = false;
  bool scoped = false;
  bool required = false;

  Stmt(StmtKind k, SourceSpan s) : kind(k), span(s) {}
};

}  // namespace sqlmill::jinja::internal

#endif  // SQLMILL_SERVICES_DBT_COMPILER_JINJA_INTERNAL_AST_H_

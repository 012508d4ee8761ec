// The tree-walking evaluator: executes a compiled template's AST against a context and
// writes the output. One Evaluator per render (it holds the render's mutable state: fuel,
// depth, modules, the output buffer stack), so it is used by one thread only; the AST it
// walks is shared and read-only.
//
// Scoping follows Jinja2: a template's top level writes its Module (the "context"); for
// loops, macros, blocks and `with` open local scopes; a macro sees its parameters, what
// it captured where it was defined (when nested), then its template's module, then globals.
#ifndef SQLMILL_SERVICES_DBT_COMPILER_JINJA_INTERNAL_EVALUATOR_H_
#define SQLMILL_SERVICES_DBT_COMPILER_JINJA_INTERNAL_EVALUATOR_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/base/limits.h"
#include "services/dbt_compiler/jinja/environment.h"
#include "services/dbt_compiler/jinja/internal/ast.h"
#include "services/dbt_compiler/jinja/internal/env_state.h"
#include "services/dbt_compiler/jinja/internal/parser.h"

namespace sqlmill::jinja::internal {

struct BlockRef {
  std::shared_ptr<const TemplateData> tpl;
  const Stmt* stmt;
};

// A template's context: its variables (passed context + top-level assignments), exports
// and, during inheritance, the block chains.
struct Module {
  std::shared_ptr<const TemplateData> tpl;
  absl::flat_hash_map<std::string, Value> vars;
  std::vector<std::string> exported;
  absl::flat_hash_map<std::string, std::vector<BlockRef>> blocks;
};

using Closure = std::vector<std::pair<std::string, Value>>;

// A macro (or a call block's caller, or a host block tag's body) as a callable value.
class MacroObject : public Object {
 public:
  MacroObject(std::shared_ptr<const TemplateData> tpl, const MacroDef* def,
              std::weak_ptr<Module> module, std::shared_ptr<const Closure> closure)
      : tpl_(std::move(tpl)), def_(def), module_(std::move(module)), closure_(std::move(closure)) {}
  std::string_view TypeName() const override { return "Macro"; }
  bool IsCallable() const override { return true; }
  absl::StatusOr<Value> Call(const CallArgs& args, CallContext& ctx) override;
  Value GetAttr(std::string_view name) const override;
  std::string Str() const override;

  const std::shared_ptr<const TemplateData>& tpl() const { return tpl_; }
  const MacroDef* def() const { return def_; }
  std::shared_ptr<Module> module() const { return module_.lock(); }
  const Closure* closure() const { return closure_.get(); }

 private:
  std::shared_ptr<const TemplateData> tpl_;
  const MacroDef* def_;
  std::weak_ptr<Module> module_;
  std::shared_ptr<const Closure> closure_;
};

// A local scope: a small vector of name → value, searched innermost first.
struct Scope {
  Scope* parent = nullptr;
  std::vector<std::pair<std::string_view, Value>> vars;

  Value* Find(std::string_view name) {
    for (auto it = vars.rbegin(); it != vars.rend(); ++it) {
      if (it->first == name) return &it->second;
    }
    return nullptr;
  }
  void Set(std::string_view name, Value v) {
    if (Value* slot = Find(name)) {
      *slot = std::move(v);
    } else {
      vars.emplace_back(name, std::move(v));
    }
  }
};

// What is executing: a template's top level, a macro, or a block.
struct Activation {
  std::shared_ptr<Module> module;
  std::shared_ptr<const TemplateData> tpl;
  Scope* scope = nullptr;  // null: assignments go to the module
  const Closure* closure = nullptr;
  std::string* out = nullptr;
  bool discard_output = false;  // after {% extends %} at the top level
  std::shared_ptr<const TemplateData> parent;  // set by {% extends %}
  // Block inheritance: the running block's name and position in its chain.
  const std::string* block_name = nullptr;
  size_t block_index = 0;
};

class Evaluator : public CallContext {
 public:
  Evaluator(std::shared_ptr<const EnvState> env, const RenderOptions& options);

  // Renders a template with the given context dict into `out`.
  absl::Status Render(std::shared_ptr<const TemplateData> tpl, const Value& context,
                      std::string* out, std::optional<Value>* returned);
  // Renders a template as a module and returns the module object.
  absl::StatusOr<Value> MakeModule(std::shared_ptr<const TemplateData> tpl, const Value& context);

  absl::StatusOr<Value> CallMacro(const MacroObject& macro, const CallArgs& args);
  absl::StatusOr<std::string> RenderBlock(const std::shared_ptr<Module>& module,
                                          const std::string& name, size_t index,
                                          std::shared_ptr<const Closure> closure);
  absl::StatusOr<Value> CallLoop(class LoopObject& loop, const Value& iterable);

  // CallContext.
  absl::StatusOr<Value> CallValue(const Value& callee, const CallArgs& args) override;
  Value Resolve(std::string_view name) override;
  absl::Status ReturnFromMacro(Value value) override;
  absl::Status Charge(uint64_t units) override { return budget_.Charge(units); }

  absl::StatusOr<bool> ApplyTest(std::string_view name, const Value& v, const CallArgs& args);
  absl::StatusOr<Value> ApplyFilter(std::string_view name, const Value& v, const CallArgs& args);
  bool strict() const { return strict_; }
  const EnvState& env() const { return *env_; }
  uint64_t work_used() const { return budget_.used(); }

  // Is `status` the unwinding signal of ReturnFromMacro?
  static bool IsReturnSignal(const absl::Status& status);

 private:
  friend class LoopObject;

  absl::Status ExecBody(const StmtList& body);
  absl::Status Exec(const Stmt& s);
  absl::Status ExecFor(const Stmt& s, const Value& iterable, int depth, class LoopObject* parent);
  absl::Status ExecInclude(const Stmt& s);
  absl::Status ExecImport(const Stmt& s);
  absl::Status ExecBlock(const Stmt& s);
  absl::Status RenderTemplateBody(std::shared_ptr<const TemplateData> tpl,
                                  const std::shared_ptr<Module>& module, std::string* out);
  absl::StatusOr<std::shared_ptr<const TemplateData>> LoadTemplate(const Value& name,
                                                                  SourceSpan span);
  absl::StatusOr<std::shared_ptr<Module>> NewModule(std::shared_ptr<const TemplateData> tpl,
                                                   bool with_context);
  absl::StatusOr<Value> RunModule(std::shared_ptr<const TemplateData> tpl, bool with_context);

  absl::StatusOr<Value> Eval(const Expr& e);
  absl::StatusOr<Value> EvalInner(const Expr& e);
  absl::StatusOr<Value> EvalCall(const Expr& e);
  absl::Status EvalArgs(const Expr& e, CallArgs* args);
  absl::StatusOr<Value> EvalFilter(const Expr& e, const Value* input);
  absl::StatusOr<bool> Truthy(const Value& v);
  Value Lookup(std::string_view name);
  absl::Status Assign(const Expr& target, const Value& v);
  void SetVar(std::string_view name, Value v);
  absl::Status Write(std::string_view text);
  absl::Status WriteValue(const Value& v);
  std::shared_ptr<const Closure> CaptureClosure();
  Value MakeMacro(const MacroDef* def);

  // Adds location (first failure) to an error status.
  absl::Status Locate(absl::Status status, SourceSpan span);
  absl::Status Locate(absl::Status status, SourceSpan span, const TemplateData* tpl);
  absl::Status AddFrame(absl::Status status, std::string_view what, SourceSpan call_span);

  std::shared_ptr<const EnvState> env_;
  RenderOptions options_;
  WorkBudget budget_;
  bool strict_;
  int depth_ = 0;
  Activation* act_ = nullptr;
  enum class Flow { kNone, kBreak, kContinue } flow_ = Flow::kNone;
  Value return_value_;
  std::vector<std::shared_ptr<Module>> modules_;  // keeps this render's modules alive
};

}  // namespace sqlmill::jinja::internal

#endif  // SQLMILL_SERVICES_DBT_COMPILER_JINJA_INTERNAL_EVALUATOR_H_

// Implementation of the evaluator. See evaluator.h. One instance per render; not
// thread-safe; the AST and environment it reads are shared read-only.
#include "services/dbt_compiler/jinja/internal/evaluator.h"

#include <algorithm>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/base/diagnostic.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "services/dbt_compiler/jinja/internal/value_ops.h"

namespace sqlmill::jinja::internal {
namespace {

constexpr char kLocationPayload[] = "sqlmill.jinja/location";
constexpr char kStackPayload[] = "sqlmill.jinja/stack";
constexpr char kReturnPayload[] = "sqlmill.jinja/return";
constexpr char kBasePayload[] = "sqlmill.jinja/base";

class ModuleObject : public Object {
 public:
  explicit ModuleObject(std::shared_ptr<Module> module) : module_(std::move(module)) {}
  std::string_view TypeName() const override { return "TemplateModule"; }
  Value GetAttr(std::string_view name) const override {
    for (const auto& n : module_->exported) {
      if (n == name) {
        auto it = module_->vars.find(AsAbsl(name));
        if (it != module_->vars.end()) return it->second;
      }
    }
    return Object::GetAttr(name);
  }
  std::string Str() const override {
    return absl::StrCat("<Module '", module_->tpl ? module_->tpl->name : "", "'>");
  }
  const std::shared_ptr<Module>& module() const { return module_; }

 private:
  std::shared_ptr<Module> module_;
};

class SuperObject : public Object {
 public:
  SuperObject(std::weak_ptr<Module> module, std::string name, size_t index)
      : module_(std::move(module)), name_(std::move(name)), index_(index) {}
  std::string_view TypeName() const override { return "super"; }
  bool IsCallable() const override { return true; }
  absl::StatusOr<Value> Call(const CallArgs& args, CallContext& ctx) override {
    (void)args;
    auto module = module_.lock();
    if (!module) return TypeError("super() outside of its render");
    SQLMILL_ASSIGN_OR_RETURN(std::string text, static_cast<Evaluator&>(ctx).RenderBlock(
                                                   module, name_, index_, nullptr));
    return Value::String(std::move(text));
  }

 private:
  std::weak_ptr<Module> module_;
  std::string name_;
  size_t index_;
};

class SelfObject : public Object {
 public:
  explicit SelfObject(std::weak_ptr<Module> module) : module_(std::move(module)) {}
  std::string_view TypeName() const override { return "TemplateReference"; }
  Value GetAttr(std::string_view name) const override {
    auto module = module_.lock();
    if (!module || !module->blocks.contains(AsAbsl(name))) return Object::GetAttr(name);
    std::weak_ptr<Module> weak = module_;
    std::string block(name);
    return MakeFunction(block, [weak, block](const CallArgs&, CallContext& ctx) -> absl::StatusOr<Value> {
      auto m = weak.lock();
      if (!m) return TypeError("block called outside of its render");
      SQLMILL_ASSIGN_OR_RETURN(std::string text,
                               static_cast<Evaluator&>(ctx).RenderBlock(m, block, 0, nullptr));
      return Value::String(std::move(text));
    });
  }

 private:
  std::weak_ptr<Module> module_;
};

}  // namespace

// The `loop` variable of a for loop.
class LoopObject : public Object {
 public:
  std::string_view TypeName() const override { return "LoopContext"; }
  bool IsCallable() const override { return stmt->recursive; }
  absl::StatusOr<Value> Call(const CallArgs& args, CallContext& ctx) override {
    if (!stmt->recursive) return TypeError("loop is not recursive");
    if (args.args.size() != 1) return TypeError("loop() takes exactly one argument");
    return static_cast<Evaluator&>(ctx).CallLoop(*this, args.args[0]);
  }
  Value GetAttr(std::string_view name) const override {
    const int64_t n = static_cast<int64_t>(items->size());
    const int64_t i = static_cast<int64_t>(index0);
    if (name == "index") return Value::Int(i + 1);
    if (name == "index0") return Value::Int(i);
    if (name == "first") return Value::Bool(i == 0);
    if (name == "last") return Value::Bool(i == n - 1);
    if (name == "length") return Value::Int(n);
    if (name == "revindex") return Value::Int(n - i);
    if (name == "revindex0") return Value::Int(n - i - 1);
    if (name == "depth") return Value::Int(depth0 + 1);
    if (name == "depth0") return Value::Int(depth0);
    if (name == "previtem") {
      if (i == 0) return Value::Undefined("there is no previous item");
      return (*items)[i - 1];
    }
    if (name == "nextitem") {
      if (i + 1 >= n) return Value::Undefined("there is no next item");
      return (*items)[i + 1];
    }
    if (name == "cycle") {
      auto self = std::static_pointer_cast<const LoopObject>(shared_from_this());
      return MakeFunction("cycle", [self](const CallArgs& a, CallContext&) -> absl::StatusOr<Value> {
        if (a.args.empty()) return TypeError("no items for cycling given");
        return a.args[self->index0 % a.args.size()];
      });
    }
    if (name == "changed") {
      auto self = std::static_pointer_cast<LoopObject>(
          std::const_pointer_cast<Object>(shared_from_this()));
      return MakeFunction("changed", [self](const CallArgs& a, CallContext&) -> absl::StatusOr<Value> {
        Value now = Value::List(a.args);
        if (self->has_last_changed && jinja::Equals(self->last_changed, now)) return Value::Bool(false);
        self->last_changed = now;
        self->has_last_changed = true;
        return Value::Bool(true);
      });
    }
    return Object::GetAttr(name);
  }
  std::string Str() const override { return absl::StrCat("<LoopContext ", index0 + 1, "/", items->size(), ">"); }

  const std::vector<Value>* items = nullptr;
  size_t index0 = 0;
  int depth0 = 0;
  const Stmt* stmt = nullptr;
  Scope* outer = nullptr;
  Value last_changed;
  bool has_last_changed = false;
};

namespace {

// The tighter of --max_work_units and --max_template_steps (0 is "none" for either).
uint64_t TemplateStepLimit(const Limits& limits) {
  if (limits.max_work_units == 0) return limits.max_template_steps;
  if (limits.max_template_steps == 0) return limits.max_work_units;
  return std::min(limits.max_work_units, limits.max_template_steps);
}

std::string_view TemplateStepLimitFlag(const Limits& limits) {
  return TemplateStepLimit(limits) == limits.max_template_steps ? "--max_template_steps"
                                                                 : "--max_work_units";
}

}  // namespace

Evaluator::Evaluator(std::shared_ptr<const EnvState> env, const RenderOptions& options)
    : env_(std::move(env)),
      options_(options),
      budget_(TemplateStepLimit(options.limits), options.cancel,
              TemplateStepLimitFlag(options.limits)),
      strict_(env_->options.undefined == UndefinedMode::kStrict) {}

bool Evaluator::IsReturnSignal(const absl::Status& status) {
  return status.code() == absl::StatusCode::kAborted && status.GetPayload(kReturnPayload).has_value();
}

absl::Status Evaluator::ReturnFromMacro(Value value) {
  return_value_ = std::move(value);
  absl::Status s(absl::StatusCode::kAborted, "return() unwinding");
  s.SetPayload(kReturnPayload, absl::Cord("1"));
  return s;
}

absl::Status Evaluator::Locate(absl::Status status, SourceSpan span) {
  return Locate(std::move(status), span, act_ ? act_->tpl.get() : nullptr);
}

absl::Status Evaluator::Locate(absl::Status status, SourceSpan span, const TemplateData* tpl) {
  if (status.ok() || IsReturnSignal(status) || tpl == nullptr) return status;
  if (status.GetPayload(kLocationPayload).has_value()) return status;
  Location loc = tpl->line_index.LocationOf(span.offset);
  std::string message(status.message());
  std::string text = absl::StrCat(tpl->name, ":", loc.line, ":", loc.column, ": error: ", message,
                                  "\n", RenderExcerpt(tpl->line_index, span));
  absl::Status out(status.code(), text);
  out.SetPayload(kLocationPayload,
                 absl::Cord(absl::StrCat(tpl->name, "\x1f", loc.line, "\x1f", loc.column, "\x1f",
                                         message)));
  return out;
}

absl::Status Evaluator::AddFrame(absl::Status status, std::string_view what, SourceSpan call_span) {
  if (status.ok() || IsReturnSignal(status) || act_ == nullptr || !act_->tpl) return status;
  if (!status.GetPayload(kLocationPayload).has_value()) status = Locate(std::move(status), call_span);
  Location loc = act_->tpl->line_index.LocationOf(call_span.offset);
  std::string frame = absl::StrCat("in ", std::string(what), " called at ", act_->tpl->name, ":",
                                   loc.line, ":", loc.column);
  std::string base;
  if (auto b = status.GetPayload(kBasePayload)) {
    base = std::string(*b);
  } else {
    base = std::string(status.message());
    if (!base.empty() && base.back() == '\n') base.pop_back();
  }
  std::vector<std::string> frames;
  if (auto p = status.GetPayload(kStackPayload)) frames = absl::StrSplit(std::string(*p), '\n');
  frames.push_back(frame);
  // Show the innermost frames and the outermost one; deep recursion would otherwise print
  // thousands of identical lines.
  constexpr size_t kShown = 8;
  std::string message = base;
  for (size_t i = 0; i < frames.size(); ++i) {
    if (frames.size() > kShown + 1 && i == kShown) {
      absl::StrAppend(&message, "\n  ... ", frames.size() - kShown - 1, " more frames");
      i = frames.size() - 2;
      continue;
    }
    absl::StrAppend(&message, "\n  ", frames[i]);
  }
  absl::Status out(status.code(), message);
  status.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) {
    out.SetPayload(url, payload);
  });
  out.SetPayload(kBasePayload, absl::Cord(base));
  out.SetPayload(kStackPayload, absl::Cord(absl::StrJoin(frames, "\n")));
  return out;
}

// ---- rendering entry points ----

absl::StatusOr<std::shared_ptr<Module>> Evaluator::NewModule(std::shared_ptr<const TemplateData> tpl,
                                                            bool with_context) {
  auto module = std::make_shared<Module>();
  module->tpl = std::move(tpl);
  if (with_context && act_ != nullptr) {
    module->vars = act_->module->vars;
    if (act_->closure) {
      for (const auto& [k, v] : *act_->closure) module->vars[k] = v;
    }
    std::vector<Scope*> chain;
    for (Scope* s = act_->scope; s; s = s->parent) chain.push_back(s);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      for (const auto& [k, v] : (*it)->vars) module->vars[std::string(k)] = v;
    }
  }
  modules_.push_back(module);
  return module;
}

absl::Status Evaluator::Render(std::shared_ptr<const TemplateData> tpl, const Value& context,
                               std::string* out, std::optional<Value>* returned) {
  SQLMILL_ASSIGN_OR_RETURN(auto module, NewModule(tpl, false));
  if (context.is_dict()) {
    for (const auto& [k, v] : context.dict()->entries()) {
      if (k.is_string()) module->vars[k.as_string()] = v;
    }
  }
  absl::Status s = RenderTemplateBody(tpl, module, out);
  if (IsReturnSignal(s)) {
    *returned = return_value_;
    return absl::OkStatus();
  }
  return s;
}

absl::StatusOr<Value> Evaluator::MakeModule(std::shared_ptr<const TemplateData> tpl,
                                            const Value& context) {
  SQLMILL_ASSIGN_OR_RETURN(auto module, NewModule(tpl, false));
  if (context.is_dict()) {
    for (const auto& [k, v] : context.dict()->entries()) {
      if (k.is_string()) module->vars[k.as_string()] = v;
    }
  }
  std::string scratch;
  absl::Status s = RenderTemplateBody(tpl, module, &scratch);
  if (!s.ok() && !IsReturnSignal(s)) return s;
  return Value::FromObject(std::make_shared<ModuleObject>(module));
}

absl::Status Evaluator::RenderTemplateBody(std::shared_ptr<const TemplateData> tpl,
                                           const std::shared_ptr<Module>& module, std::string* out) {
  SQLMILL_RETURN_IF_ERROR(CheckDepth("template inheritance/include depth", ++depth_,
                                     options_.limits.max_nesting_depth));
  for (const auto& [name, stmt] : tpl->blocks) module->blocks[name].push_back({tpl, stmt});
  Activation act;
  act.module = module;
  act.tpl = tpl;
  act.out = out;
  Activation* saved = act_;
  act_ = &act;
  absl::Status s = ExecBody(tpl->body);
  act_ = saved;
  if (s.ok() && act.parent) s = RenderTemplateBody(act.parent, module, out);
  --depth_;
  return s;
}

// ---- statements ----

absl::Status Evaluator::ExecBody(const StmtList& body) {
  for (const auto& s : body) {
    SQLMILL_RETURN_IF_ERROR(Exec(*s));
    if (flow_ != Flow::kNone) return absl::OkStatus();
  }
  return absl::OkStatus();
}

absl::Status Evaluator::Write(std::string_view text) {
  if (act_->discard_output) return absl::OkStatus();
  act_->out->append(text);
  if (act_->out->size() > options_.limits.max_output_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat("output is over the limit of ",
                                                     options_.limits.max_output_bytes, " bytes"));
  }
  return absl::OkStatus();
}

absl::Status Evaluator::WriteValue(const Value& v) {
  if (act_->discard_output) return absl::OkStatus();
  if (v.is_undefined()) {
    if (strict_) return UndefinedError(v);
    return absl::OkStatus();
  }
  if (v.is_string()) return Write(v.as_string());
  std::string s;
  v.AppendStr(&s);
  return Write(s);
}

void Evaluator::SetVar(std::string_view name, Value v) {
  if (act_->scope != nullptr) {
    act_->scope->Set(name, std::move(v));
    return;
  }
  auto [it, inserted] = act_->module->vars.insert_or_assign(std::string(name), std::move(v));
  (void)it;
  if (!name.empty() && name[0] != '_') {
    auto& ex = act_->module->exported;
    if (std::find(ex.begin(), ex.end(), name) == ex.end()) ex.emplace_back(name);
  }
}

absl::Status Evaluator::Assign(const Expr& target, const Value& v) {
  switch (target.kind) {
    case ExprKind::kName:
      SetVar(target.name, v);
      return absl::OkStatus();
    case ExprKind::kTuple: {
      std::vector<Value> items;
      SQLMILL_RETURN_IF_ERROR(IterateValue(v, strict_, &items));
      if (items.size() != target.children.size()) {
        return Locate(TypeError(items.size() > target.children.size()
                                    ? absl::StrCat("too many values to unpack (expected ",
                                                   target.children.size(), ")")
                                    : absl::StrCat("not enough values to unpack (expected ",
                                                   target.children.size(), ", got ", items.size(),
                                                   ")")),
                      target.span);
      }
      for (size_t i = 0; i < items.size(); ++i) {
        SQLMILL_RETURN_IF_ERROR(Assign(*target.children[i], items[i]));
      }
      return absl::OkStatus();
    }
    case ExprKind::kGetAttr: {
      Value ns = Lookup(target.children[0]->name);
      if (!ns.is_object() || ns.object()->TypeName() != "Namespace") {
        return Locate(TypeError("cannot assign attribute on non-namespace object"), target.span);
      }
      return ns.object()->SetAttr(target.name, v);
    }
    default:
      return Locate(TypeError("can't assign to this expression"), target.span);
  }
}

std::shared_ptr<const Closure> Evaluator::CaptureClosure() {
  if (act_->scope == nullptr && act_->closure == nullptr) return nullptr;
  auto closure = std::make_shared<Closure>();
  if (act_->closure) *closure = *act_->closure;
  std::vector<Scope*> chain;
  for (Scope* s = act_->scope; s; s = s->parent) chain.push_back(s);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    for (const auto& [k, v] : (*it)->vars) closure->emplace_back(std::string(k), v);
  }
  return closure;
}

Value Evaluator::MakeMacro(const MacroDef* def) {
  return Value::FromObject(
      std::make_shared<MacroObject>(act_->tpl, def, act_->module, CaptureClosure()));
}

absl::Status Evaluator::Exec(const Stmt& s) {
  SQLMILL_RETURN_IF_ERROR(budget_.Charge(1));
  switch (s.kind) {
    case StmtKind::kData:
      return Write(s.text);
    case StmtKind::kPrint: {
      SQLMILL_ASSIGN_OR_RETURN(Value v, Eval(*s.expr));
      return Locate(WriteValue(v), s.expr->span);
    }
    case StmtKind::kIf: {
      SQLMILL_ASSIGN_OR_RETURN(Value c, Eval(*s.expr));
      auto t = Truthy(c);
      if (!t.ok()) return Locate(t.status(), s.expr->span);
      return ExecBody(*t ? s.body : s.else_body);
    }
    case StmtKind::kFor: {
      SQLMILL_ASSIGN_OR_RETURN(Value it, Eval(*s.expr));
      return ExecFor(s, it, 0, nullptr);
    }
    case StmtKind::kSet: {
      SQLMILL_ASSIGN_OR_RETURN(Value v, Eval(*s.expr));
      return Assign(*s.target, v);
    }
    case StmtKind::kSetBlock: {
      std::string buf;
      std::string* saved = act_->out;
      bool saved_discard = act_->discard_output;
      act_->out = &buf;
      act_->discard_output = false;
      absl::Status st = ExecBody(s.body);
      act_->out = saved;
      act_->discard_output = saved_discard;
      SQLMILL_RETURN_IF_ERROR(st);
      Value v = Value::String(std::move(buf));
      if (s.expr) {
        SQLMILL_ASSIGN_OR_RETURN(v, EvalFilter(*s.expr, &v));
      }
      return Assign(*s.target, v);
    }
    case StmtKind::kMacro:
      SetVar(s.macro->name, MakeMacro(s.macro.get()));
      return absl::OkStatus();
    case StmtKind::kCallBlock: {
      Value caller = MakeMacro(s.macro.get());
      const Expr& call = *s.expr;
      CallArgs args;
      SQLMILL_RETURN_IF_ERROR(EvalArgs(call, &args));
      args.kwargs.emplace_back("caller", caller);
      SQLMILL_ASSIGN_OR_RETURN(Value callee, Eval(*call.children[0]));
      auto r = CallValue(callee, args);
      if (!r.ok()) {
        absl::Status st = Locate(r.status(), call.span);
        if (callee.is_object() && dynamic_cast<MacroObject*>(callee.object())) {
          st = AddFrame(st, absl::StrCat("macro '", static_cast<MacroObject*>(callee.object())->def()->name, "'"),
                        call.span);
        }
        return st;
      }
      return Locate(WriteValue(*r), s.span);
    }
    case StmtKind::kFilterBlock: {
      std::string buf;
      std::string* saved = act_->out;
      Scope scope;
      scope.parent = act_->scope;
      act_->scope = &scope;
      act_->out = &buf;
      absl::Status st = ExecBody(s.body);
      act_->out = saved;
      act_->scope = scope.parent;
      SQLMILL_RETURN_IF_ERROR(st);
      Value v = Value::String(std::move(buf));
      SQLMILL_ASSIGN_OR_RETURN(v, EvalFilter(*s.expr, &v));
      return Locate(WriteValue(v), s.span);
    }
    case StmtKind::kWith: {
      Scope scope;
      scope.parent = act_->scope;
      std::vector<Value> values;
      for (const auto& [target, value] : s.assignments) {
        SQLMILL_ASSIGN_OR_RETURN(Value v, Eval(*value));
        values.push_back(std::move(v));
      }
      act_->scope = &scope;
      absl::Status st;
      for (size_t i = 0; i < values.size() && st.ok(); ++i) st = Assign(*s.assignments[i].first, values[i]);
      if (st.ok()) st = ExecBody(s.body);
      act_->scope = scope.parent;
      return st;
    }
    case StmtKind::kDo: {
      SQLMILL_ASSIGN_OR_RETURN(Value v, Eval(*s.expr));
      (void)v;
      return absl::OkStatus();
    }
    case StmtKind::kInclude:
      return ExecInclude(s);
    case StmtKind::kImport:
    case StmtKind::kFromImport:
      return ExecImport(s);
    case StmtKind::kExtends: {
      if (act_->parent) return Locate(TypeError("extended multiple times"), s.span);
      SQLMILL_ASSIGN_OR_RETURN(Value name, Eval(*s.expr));
      SQLMILL_ASSIGN_OR_RETURN(auto parent, LoadTemplate(name, s.expr->span));
      act_->parent = parent;
      act_->discard_output = true;
      return absl::OkStatus();
    }
    case StmtKind::kBlock:
      return ExecBlock(s);
    case StmtKind::kBreak:
      flow_ = Flow::kBreak;
      return absl::OkStatus();
    case StmtKind::kContinue:
      flow_ = Flow::kContinue;
      return absl::OkStatus();
    case StmtKind::kCustomBlock: {
      auto it = env_->block_tags.find(s.name);
      if (it == env_->block_tags.end()) {
        return Locate(TypeError(absl::StrCat("unknown block tag '", s.name, "'")), s.span);
      }
      std::vector<std::pair<std::string, Value>> opts;
      for (const auto& [k, e] : s.options) {
        SQLMILL_ASSIGN_OR_RETURN(Value v, Eval(*e));
        opts.emplace_back(k, std::move(v));
      }
      std::string name = s.macro->name;
      if (it->second.macro_name) {
        auto r = it->second.macro_name(s.macro->name, opts);
        if (!r.ok()) return Locate(r.status(), s.span);
        name = *r;
      }
      if (name.empty()) return absl::OkStatus();
      Value macro = MakeMacro(s.macro.get());
      if (act_->scope != nullptr) {
        return Locate(TypeError(absl::StrCat("'", s.name, "' blocks must be at the top level")),
                      s.span);
      }
      SetVar(name, macro);
      return absl::OkStatus();
    }
  }
  SQLMILL_RET_CHECK_FAIL();
}

absl::Status Evaluator::ExecFor(const Stmt& s, const Value& iterable, int depth,
                                LoopObject* parent) {
  (void)parent;
  std::vector<Value> items;
  {
    absl::Status st = IterateValue(iterable, strict_, &items);
    if (!st.ok()) return Locate(st, s.expr->span);
  }
  Scope scope;
  scope.parent = act_->scope;
  act_->scope = &scope;
  absl::Status st;
  if (s.cond) {
    std::vector<Value> kept;
    for (const auto& item : items) {
      scope.vars.clear();
      st = Assign(*s.target, item);
      if (!st.ok()) break;
      auto c = Eval(*s.cond);
      if (!c.ok()) {
        st = c.status();
        break;
      }
      auto t = Truthy(*c);
      if (!t.ok()) {
        st = Locate(t.status(), s.cond->span);
        break;
      }
      if (*t) kept.push_back(item);
    }
    items = std::move(kept);
  }
  if (st.ok() && !items.empty()) {
    auto loop = std::make_shared<LoopObject>();
    loop->items = &items;
    loop->depth0 = depth;
    loop->stmt = &s;
    loop->outer = scope.parent;
    Value loop_value = Value::FromObject(loop);
    for (size_t i = 0; i < items.size(); ++i) {
      st = budget_.Charge(1);
      if (!st.ok()) break;
      scope.vars.clear();
      loop->index0 = i;
      st = Assign(*s.target, items[i]);
      if (!st.ok()) break;
      scope.vars.emplace_back("loop", loop_value);
      st = ExecBody(s.body);
      if (!st.ok()) break;
      if (flow_ == Flow::kBreak) {
        flow_ = Flow::kNone;
        break;
      }
      flow_ = Flow::kNone;
    }
    // The loop object must not outlive `items` with a dangling pointer.
    static const std::vector<Value> kEmpty;
    loop->items = &kEmpty;
  }
  act_->scope = scope.parent;
  if (!st.ok()) return st;
  if (items.empty()) return ExecBody(s.else_body);
  return absl::OkStatus();
}

absl::StatusOr<Value> Evaluator::CallLoop(LoopObject& loop, const Value& iterable) {
  SQLMILL_RETURN_IF_ERROR(
      CheckDepth("recursive loop depth", ++depth_, options_.limits.max_nesting_depth));
  std::string buf;
  std::string* saved_out = act_->out;
  Scope* saved_scope = act_->scope;
  act_->out = &buf;
  act_->scope = loop.outer;
  absl::Status st = ExecFor(*loop.stmt, iterable, loop.depth0 + 1, &loop);
  act_->out = saved_out;
  act_->scope = saved_scope;
  --depth_;
  SQLMILL_RETURN_IF_ERROR(st);
  return Value::String(std::move(buf));
}

absl::StatusOr<std::shared_ptr<const TemplateData>> Evaluator::LoadTemplate(const Value& name,
                                                                           SourceSpan span) {
  std::vector<Value> names;
  if (name.is_sequence()) {
    names = name.items();
  } else {
    names.push_back(name);
  }
  absl::Status last = absl::NotFoundError("no template names given");
  for (const auto& n : names) {
    if (n.is_undefined()) return Locate(UndefinedError(n), span);
    if (!n.is_string()) {
      return Locate(TypeError(absl::StrCat("template name must be a string, not ",
                                           std::string(n.TypeName()))),
                    span);
    }
    if (!env_->loader) {
      return Locate(absl::NotFoundError(absl::StrCat("no loader for this environment specified; "
                                                     "cannot load template '",
                                                     n.as_string(), "'")),
                    span);
    }
    {
      absl::MutexLock lock(&env_->cache_mu);
      auto it = env_->cache.find(n.as_string());
      if (it != env_->cache.end()) return it->second->shared_data();
    }
    auto source = env_->loader->Load(n.as_string());
    if (!source.ok()) {
      last = source.status();
      if (absl::IsNotFound(last)) continue;
      return Locate(last, span);
    }
    auto tpl = CompileWithState(env_, *source, n.as_string());
    if (!tpl.ok()) return tpl.status();
    {
      absl::MutexLock lock(&env_->cache_mu);
      env_->cache.emplace(n.as_string(), *tpl);
    }
    return (*tpl)->shared_data();
  }
  if (names.size() > 1) {
    std::vector<std::string> all;
    for (const auto& n : names) all.push_back(n.Str());
    return Locate(absl::NotFoundError(absl::StrCat("none of the templates given were found: ",
                                                   absl::StrJoin(all, ", "))),
                  span);
  }
  return Locate(absl::NotFoundError(absl::StrCat("template not found: ", names.empty() ? "" : names[0].Str())),
                span);
}

absl::Status Evaluator::ExecInclude(const Stmt& s) {
  SQLMILL_ASSIGN_OR_RETURN(Value name, Eval(*s.expr));
  auto tpl = LoadTemplate(name, s.expr->span);
  if (!tpl.ok()) {
    if (s.ignore_missing && absl::IsNotFound(tpl.status())) return absl::OkStatus();
    return tpl.status();
  }
  SQLMILL_ASSIGN_OR_RETURN(auto module, NewModule(*tpl, s.with_context));
  if (act_->discard_output) return absl::OkStatus();
  absl::Status st = RenderTemplateBody(*tpl, module, act_->out);
  if (!st.ok()) return AddFrame(st, absl::StrCat("template '", (*tpl)->name, "' included"), s.span);
  if (act_->out->size() > options_.limits.max_output_bytes) return Write("");
  return absl::OkStatus();
}

absl::StatusOr<Value> Evaluator::RunModule(std::shared_ptr<const TemplateData> tpl,
                                           bool with_context) {
  SQLMILL_ASSIGN_OR_RETURN(auto module, NewModule(tpl, with_context));
  std::string scratch;
  absl::Status st = RenderTemplateBody(tpl, module, &scratch);
  if (!st.ok() && !IsReturnSignal(st)) return st;
  return Value::FromObject(std::make_shared<ModuleObject>(module));
}

absl::Status Evaluator::ExecImport(const Stmt& s) {
  SQLMILL_ASSIGN_OR_RETURN(Value name, Eval(*s.expr));
  SQLMILL_ASSIGN_OR_RETURN(auto tpl, LoadTemplate(name, s.expr->span));
  auto mod = RunModule(tpl, s.with_context);
  if (!mod.ok()) return AddFrame(mod.status(), absl::StrCat("template '", tpl->name, "' imported"), s.span);
  if (s.kind == StmtKind::kImport) {
    SetVar(s.name, *mod);
    return absl::OkStatus();
  }
  auto* module = static_cast<ModuleObject*>(mod->object());
  for (const auto& [n, alias] : s.names) {
    Value v = module->GetAttr(n);
    if (v.is_undefined()) {
      Location loc = act_->tpl->line_index.LocationOf(s.span.offset);
      v = Value::Undefined(absl::StrCat("the template '", tpl->name, "' (imported on line ",
                                        loc.line, ") does not export the requested name '", n,
                                        "'"));
    }
    SetVar(alias, v);
  }
  return absl::OkStatus();
}

absl::Status Evaluator::ExecBlock(const Stmt& s) {
  if (act_->discard_output) return absl::OkStatus();
  std::shared_ptr<const Closure> closure = s.scoped ? CaptureClosure() : nullptr;
  SQLMILL_ASSIGN_OR_RETURN(std::string text, RenderBlock(act_->module, s.name, 0, closure));
  return Write(text);
}

absl::StatusOr<std::string> Evaluator::RenderBlock(const std::shared_ptr<Module>& module,
                                                   const std::string& name, size_t index,
                                                   std::shared_ptr<const Closure> closure) {
  auto it = module->blocks.find(name);
  if (it == module->blocks.end() || index >= it->second.size()) {
    return TypeError(absl::StrCat("there is no parent block called '", name, "'."));
  }
  const BlockRef& ref = it->second[index];
  if (ref.stmt->required) {
    return Locate(TypeError(absl::StrCat("required block '", name, "' not found")),
                  ref.stmt->span, ref.tpl.get());
  }
  SQLMILL_RETURN_IF_ERROR(CheckDepth("block depth", ++depth_, options_.limits.max_nesting_depth));
  std::string buf;
  Scope scope;
  Activation act;
  act.module = module;
  act.tpl = ref.tpl;
  act.scope = &scope;
  act.closure = closure.get();
  act.out = &buf;
  act.block_name = &it->first;
  act.block_index = index;
  Activation* saved = act_;
  act_ = &act;
  absl::Status st = ExecBody(ref.stmt->body);
  act_ = saved;
  --depth_;
  SQLMILL_RETURN_IF_ERROR(st);
  return buf;
}

// ---- calls ----

absl::StatusOr<Value> MacroObject::Call(const CallArgs& args, CallContext& ctx) {
  return static_cast<Evaluator&>(ctx).CallMacro(*this, args);
}

Value MacroObject::GetAttr(std::string_view name) const {
  if (name == "name" || name == "__name__") return Value::String(def_->name);
  if (name == "arguments") {
    std::vector<Value> out;
    for (const auto& p : def_->params) out.push_back(Value::String(p));
    return Value::Tuple(std::move(out));
  }
  if (name == "catch_kwargs") return Value::Bool(def_->uses_kwargs);
  if (name == "catch_varargs") return Value::Bool(def_->uses_varargs);
  if (name == "caller") return Value::Bool(def_->uses_caller);
  return Object::GetAttr(name);
}

std::string MacroObject::Str() const { return absl::StrCat("<Macro '", def_->name, "'>"); }

absl::StatusOr<Value> Evaluator::CallMacro(const MacroObject& macro, const CallArgs& args) {
  const MacroDef& def = *macro.def();
  std::shared_ptr<Module> module = macro.module();
  if (!module) return TypeError(absl::StrCat("macro '", def.name, "' outlived its template render"));
  const size_t np = def.params.size();
  std::vector<Value> bound(np);
  std::vector<bool> given(np, false);
  std::vector<Value> varargs;
  Value kwargs = def.uses_kwargs ? Value::Dict() : Value();
  Value caller;
  bool has_caller = false;
  for (size_t i = 0; i < args.args.size(); ++i) {
    if (i < np) {
      bound[i] = args.args[i];
      given[i] = true;
    } else if (def.uses_varargs) {
      varargs.push_back(args.args[i]);
    } else {
      return TypeError(absl::StrCat("macro '", def.name, "' takes not more than ", np,
                                    " argument(s)"));
    }
  }
  for (const auto& [k, v] : args.kwargs) {
    auto pit = std::find(def.params.begin(), def.params.end(), k);
    if (pit != def.params.end()) {
      size_t i = pit - def.params.begin();
      if (given[i]) {
        return TypeError(absl::StrCat("macro '", def.name, "' got multiple values for argument '",
                                      k, "'"));
      }
      bound[i] = v;
      given[i] = true;
    } else if (k == "caller" && def.uses_caller) {
      caller = v;
      has_caller = true;
    } else if (def.uses_kwargs) {
      kwargs.dict()->SetStr(k, v);
    } else {
      return TypeError(absl::StrCat("macro '", def.name, "' takes no keyword argument '", k, "'"));
    }
  }
  SQLMILL_RETURN_IF_ERROR(CheckDepth("macro call depth", ++depth_, options_.limits.max_nesting_depth));
  std::string buf;
  Scope scope;
  Activation act;
  act.module = std::move(module);
  act.tpl = macro.tpl();
  act.scope = &scope;
  act.closure = macro.closure();
  act.out = &buf;
  Activation* saved = act_;
  Flow saved_flow = flow_;
  flow_ = Flow::kNone;
  act_ = &act;
  absl::Status st;
  const size_t first_default = np - def.defaults.size();
  for (size_t i = 0; i < np && st.ok(); ++i) {
    if (given[i]) {
      scope.vars.emplace_back(def.params[i], std::move(bound[i]));
    } else if (i >= first_default) {
      auto d = Eval(*def.defaults[i - first_default]);
      if (!d.ok()) {
        st = d.status();
      } else {
        scope.vars.emplace_back(def.params[i], std::move(*d));
      }
    } else {
      scope.vars.emplace_back(def.params[i], Value::Undefined(absl::StrCat(
                                                 "parameter '", def.params[i], "' was not provided")));
    }
  }
  if (def.uses_varargs) scope.vars.emplace_back("varargs", Value::Tuple(std::move(varargs)));
  if (def.uses_kwargs) scope.vars.emplace_back("kwargs", kwargs);
  if (def.uses_caller) {
    scope.vars.emplace_back("caller", has_caller ? caller : Value::Undefined("No caller defined"));
  }
  if (st.ok()) st = ExecBody(def.body);
  act_ = saved;
  flow_ = saved_flow;
  --depth_;
  if (IsReturnSignal(st)) return return_value_;
  SQLMILL_RETURN_IF_ERROR(st);
  return Value::String(std::move(buf));
}

absl::StatusOr<Value> Evaluator::CallValue(const Value& callee, const CallArgs& args) {
  if (callee.is_object()) return callee.object()->Call(args, *this);
  if (callee.is_undefined()) return UndefinedError(callee);
  return TypeError(absl::StrCat("'", std::string(callee.TypeName()), "' object is not callable"));
}

Value Evaluator::Resolve(std::string_view name) { return Lookup(name); }

absl::Status Evaluator::EvalArgs(const Expr& e, CallArgs* args) {
  args->args.reserve(e.args.size());
  for (const auto& a : e.args) {
    SQLMILL_ASSIGN_OR_RETURN(Value v, Eval(*a));
    args->args.push_back(std::move(v));
  }
  if (e.dyn_args) {
    SQLMILL_ASSIGN_OR_RETURN(Value v, Eval(*e.dyn_args));
    std::vector<Value> more;
    absl::Status st = IterateValue(v, strict_, &more);
    if (!st.ok()) return Locate(st, e.dyn_args->span);
    args->args.insert(args->args.end(), more.begin(), more.end());
  }
  for (const auto& [k, a] : e.kwargs) {
    SQLMILL_ASSIGN_OR_RETURN(Value v, Eval(*a));
    args->kwargs.emplace_back(k, std::move(v));
  }
  if (e.dyn_kwargs) {
    SQLMILL_ASSIGN_OR_RETURN(Value v, Eval(*e.dyn_kwargs));
    if (!v.is_dict()) {
      if (v.is_undefined() && !strict_) return absl::OkStatus();
      return Locate(TypeError("argument after ** must be a mapping"), e.dyn_kwargs->span);
    }
    for (const auto& [k, x] : v.dict()->entries()) {
      if (!k.is_string()) return Locate(TypeError("keywords must be strings"), e.dyn_kwargs->span);
      args->kwargs.emplace_back(k.as_string(), x);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Value> Evaluator::EvalCall(const Expr& e) {
  const Expr& fn = *e.children[0];
  Value callee;
  if (fn.kind == ExprKind::kGetAttr) {
    SQLMILL_ASSIGN_OR_RETURN(Value base, Eval(*fn.children[0]));
    if (base.is_undefined()) return Locate(UndefinedError(base), fn.span);
    const ValueKind k = base.kind();
    if ((k == ValueKind::kString || k == ValueKind::kList || k == ValueKind::kTuple ||
         k == ValueKind::kDict) &&
        HasBuiltinMethod(base, fn.name)) {
      CallArgs args;
      SQLMILL_RETURN_IF_ERROR(EvalArgs(e, &args));
      bool found = false;
      auto r = CallBuiltinMethod(base, fn.name, args, *this, &found);
      if (!r.ok()) return Locate(r.status(), e.span);
      return r;
    }
    callee = GetAttr(base, fn.name);
    if (callee.is_undefined() && strict_) return Locate(UndefinedError(callee), fn.span);
  } else {
    SQLMILL_ASSIGN_OR_RETURN(callee, Eval(fn));
  }
  CallArgs args;
  SQLMILL_RETURN_IF_ERROR(EvalArgs(e, &args));
  auto r = CallValue(callee, args);
  if (!r.ok()) {
    if (IsReturnSignal(r.status())) return r;
    auto* macro = callee.is_object() ? dynamic_cast<MacroObject*>(callee.object()) : nullptr;
    absl::Status st = r.status();
    if (macro != nullptr && st.GetPayload(kLocationPayload).has_value()) {
      return AddFrame(st, absl::StrCat("macro '", macro->def()->name, "'"), e.span);
    }
    return Locate(st, e.span);
  }
  return r;
}

absl::StatusOr<bool> Evaluator::ApplyTest(std::string_view name, const Value& v, const CallArgs& args) {
  const TestEntry* t = env_->FindTest(name);
  if (t == nullptr) return TypeError(absl::StrCat("No test named '", std::string(name), "'."));
  return t->fn(v, args, *this);
}

absl::StatusOr<Value> Evaluator::ApplyFilter(std::string_view name, const Value& v,
                                             const CallArgs& args) {
  const FilterEntry* f = env_->FindFilter(name);
  if (f == nullptr) return TypeError(absl::StrCat("No filter named '", std::string(name), "'."));
  return f->fn(v, args, *this);
}

absl::StatusOr<Value> Evaluator::EvalFilter(const Expr& e, const Value* input) {
  Value in;
  if (e.children[0]) {
    if (e.children[0]->kind == ExprKind::kFilter) {
      SQLMILL_ASSIGN_OR_RETURN(in, EvalFilter(*e.children[0], input));
    } else {
      SQLMILL_ASSIGN_OR_RETURN(in, Eval(*e.children[0]));
    }
  } else if (input != nullptr) {
    in = *input;
  }
  const FilterEntry* f = e.filter ? e.filter : env_->FindFilter(e.name);
  if (f == nullptr) return Locate(TypeError(absl::StrCat("No filter named '", e.name, "'.")), e.span);
  CallArgs args;
  SQLMILL_RETURN_IF_ERROR(EvalArgs(e, &args));
  auto r = f->fn(in, args, *this);
  if (!r.ok()) return Locate(r.status(), e.span);
  return r;
}

absl::StatusOr<bool> Evaluator::Truthy(const Value& v) {
  if (v.is_undefined() && strict_) return UndefinedError(v);
  return v.Truthy();
}

Value Evaluator::Lookup(std::string_view name) {
  for (Scope* s = act_->scope; s; s = s->parent) {
    if (Value* v = s->Find(name)) return *v;
  }
  if (act_->closure) {
    for (auto it = act_->closure->rbegin(); it != act_->closure->rend(); ++it) {
      if (it->first == name) return it->second;
    }
  }
  const absl::string_view key = AsAbsl(name);
  auto it = act_->module->vars.find(key);
  if (it != act_->module->vars.end()) return it->second;
  auto g = env_->globals.find(key);
  if (g != env_->globals.end()) return g->second;
  if (name == "super" && act_->block_name != nullptr) {
    return Value::FromObject(
        std::make_shared<SuperObject>(act_->module, *act_->block_name, act_->block_index + 1));
  }
  if (name == "self") return Value::FromObject(std::make_shared<SelfObject>(act_->module));
  return Value::Undefined(absl::StrCat("'", std::string(name), "' is undefined"));
}

// ---- expressions ----

absl::StatusOr<Value> Evaluator::Eval(const Expr& e) {
  if (e.kind == ExprKind::kConst) return e.value;
  SQLMILL_RETURN_IF_ERROR(budget_.Charge(1));
  auto r = EvalInner(e);
  if (!r.ok()) return Locate(r.status(), e.span);
  return r;
}

namespace {

absl::StatusOr<bool> CompareOp(CmpOp op, const Value& a, const Value& b) {
  switch (op) {
    case CmpOp::kEq:
      return Equals(a, b);
    case CmpOp::kNe:
      return !Equals(a, b);
    case CmpOp::kLt:
      return LessThan(a, b);
    case CmpOp::kGt:
      return LessThan(b, a);
    case CmpOp::kLe: {
      if (Equals(a, b) && (a.kind() == b.kind() || (a.is_number() && b.is_number()))) {
        auto lt = LessThan(a, b);  // still reject unorderable types
        if (!lt.ok()) return lt.status();
        return true;
      }
      return LessThan(a, b);
    }
    case CmpOp::kGe: {
      if (Equals(a, b) && (a.kind() == b.kind() || (a.is_number() && b.is_number()))) {
        auto lt = LessThan(a, b);
        if (!lt.ok()) return lt.status();
        return true;
      }
      return LessThan(b, a);
    }
    case CmpOp::kIn:
      return Contains(b, a);
    case CmpOp::kNotIn: {
      auto r = Contains(b, a);
      if (!r.ok()) return r.status();
      return !*r;
    }
  }
  return false;
}

}  // namespace

absl::StatusOr<Value> Evaluator::EvalInner(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kConst:
      return e.value;
    case ExprKind::kName:
      return Lookup(e.name);
    case ExprKind::kList:
    case ExprKind::kTuple: {
      std::vector<Value> items;
      items.reserve(e.children.size());
      for (const auto& c : e.children) {
        SQLMILL_ASSIGN_OR_RETURN(Value v, Eval(*c));
        items.push_back(std::move(v));
      }
      return e.kind == ExprKind::kList ? Value::List(std::move(items))
                                       : Value::Tuple(std::move(items));
    }
    case ExprKind::kDict: {
      Value d = Value::Dict();
      for (size_t i = 0; i + 1 < e.children.size(); i += 2) {
        SQLMILL_ASSIGN_OR_RETURN(Value k, Eval(*e.children[i]));
        SQLMILL_ASSIGN_OR_RETURN(Value v, Eval(*e.children[i + 1]));
        if (k.is_list() || k.is_dict()) {
          return TypeError(absl::StrCat("unhashable type: '", std::string(k.TypeName()), "'"));
        }
        d.dict()->Set(std::move(k), std::move(v));
      }
      return d;
    }
    case ExprKind::kGetAttr: {
      SQLMILL_ASSIGN_OR_RETURN(Value base, Eval(*e.children[0]));
      if (base.is_undefined()) return UndefinedError(base);
      return GetAttr(base, e.name);
    }
    case ExprKind::kGetItem: {
      SQLMILL_ASSIGN_OR_RETURN(Value base, Eval(*e.children[0]));
      SQLMILL_ASSIGN_OR_RETURN(Value key, Eval(*e.children[1]));
      if (base.is_undefined()) return UndefinedError(base);
      return GetItem(base, key);
    }
    case ExprKind::kSlice: {
      SQLMILL_ASSIGN_OR_RETURN(Value base, Eval(*e.children[0]));
      Value parts[3];
      for (int i = 0; i < 3; ++i) {
        if (e.children[i + 1]) {
          SQLMILL_ASSIGN_OR_RETURN(parts[i], Eval(*e.children[i + 1]));
        }
      }
      return Slice(base, parts[0], parts[1], parts[2]);
    }
    case ExprKind::kCall:
      return EvalCall(e);
    case ExprKind::kFilter:
      return EvalFilter(e, nullptr);
    case ExprKind::kTest: {
      SQLMILL_ASSIGN_OR_RETURN(Value v, Eval(*e.children[0]));
      const TestEntry* t = e.test ? e.test : env_->FindTest(e.name);
      if (t == nullptr) return TypeError(absl::StrCat("No test named '", e.name, "'."));
      CallArgs args;
      SQLMILL_RETURN_IF_ERROR(EvalArgs(e, &args));
      SQLMILL_ASSIGN_OR_RETURN(bool r, t->fn(v, args, *this));
      return Value::Bool(e.op ? !r : r);
    }
    case ExprKind::kNeg:
    case ExprKind::kPos: {
      SQLMILL_ASSIGN_OR_RETURN(Value v, Eval(*e.children[0]));
      if (v.is_undefined()) return UndefinedError(v);
      if (v.is_float()) return Value::Float(e.kind == ExprKind::kNeg ? -v.as_double() : v.as_double());
      if (v.is_int() || v.is_bool()) {
        return Value::Int(e.kind == ExprKind::kNeg ? -v.as_int() : v.as_int());
      }
      return TypeError(absl::StrCat("bad operand type for unary ",
                                    e.kind == ExprKind::kNeg ? "-" : "+", ": '",
                                    std::string(v.TypeName()), "'"));
    }
    case ExprKind::kNot: {
      SQLMILL_ASSIGN_OR_RETURN(Value v, Eval(*e.children[0]));
      SQLMILL_ASSIGN_OR_RETURN(bool t, Truthy(v));
      return Value::Bool(!t);
    }
    case ExprKind::kBinary: {
      SQLMILL_ASSIGN_OR_RETURN(Value a, Eval(*e.children[0]));
      SQLMILL_ASSIGN_OR_RETURN(Value b, Eval(*e.children[1]));
      BinOp op = static_cast<BinOp>(e.op);
      if (op == BinOp::kConcat && strict_) {
        if (a.is_undefined()) return UndefinedError(a);
        if (b.is_undefined()) return UndefinedError(b);
      }
      return BinaryOp(op, a, b);
    }
    case ExprKind::kAnd: {
      SQLMILL_ASSIGN_OR_RETURN(Value a, Eval(*e.children[0]));
      SQLMILL_ASSIGN_OR_RETURN(bool t, Truthy(a));
      if (!t) return a;
      return Eval(*e.children[1]);
    }
    case ExprKind::kOr: {
      SQLMILL_ASSIGN_OR_RETURN(Value a, Eval(*e.children[0]));
      SQLMILL_ASSIGN_OR_RETURN(bool t, Truthy(a));
      if (t) return a;
      return Eval(*e.children[1]);
    }
    case ExprKind::kCompare: {
      SQLMILL_ASSIGN_OR_RETURN(Value left, Eval(*e.children[0]));
      for (size_t i = 0; i < e.ops.size(); ++i) {
        SQLMILL_ASSIGN_OR_RETURN(Value right, Eval(*e.children[i + 1]));
        if (strict_ && (left.is_undefined() || right.is_undefined())) {
          return UndefinedError(left.is_undefined() ? left : right);
        }
        if ((left.is_undefined() || right.is_undefined()) &&
            (e.ops[i] == CmpOp::kLt || e.ops[i] == CmpOp::kLe || e.ops[i] == CmpOp::kGt ||
             e.ops[i] == CmpOp::kGe)) {
          return UndefinedError(left.is_undefined() ? left : right);
        }
        SQLMILL_ASSIGN_OR_RETURN(bool r, CompareOp(e.ops[i], left, right));
        if (!r) return Value::Bool(false);
        left = std::move(right);
      }
      return Value::Bool(true);
    }
    case ExprKind::kCondExpr: {
      SQLMILL_ASSIGN_OR_RETURN(Value c, Eval(*e.children[1]));
      SQLMILL_ASSIGN_OR_RETURN(bool t, Truthy(c));
      if (t) return Eval(*e.children[0]);
      if (e.children[2]) return Eval(*e.children[2]);
      Location loc = act_->tpl->line_index.LocationOf(e.span.offset);
      return Value::Undefined(absl::StrCat("the inline if-expression on line ", loc.line,
                                           " evaluated to false and no else section was defined."));
    }
  }
  SQLMILL_RET_CHECK_FAIL();
}

}  // namespace sqlmill::jinja::internal

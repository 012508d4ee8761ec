// Jinja2's built-in tests (defined, none, divisibleby, in, …) and globals (range, dict,
// namespace, cycler, joiner, lipsum), registered into an EnvState. Stateless; thread-safe
// (cycler and joiner objects are per-render values).
#include <cmath>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "services/dbt_compiler/jinja/internal/env_state.h"
#include "services/dbt_compiler/jinja/internal/evaluator.h"
#include "services/dbt_compiler/jinja/internal/value_ops.h"

namespace sqlmill::jinja::internal {
namespace {

const Value& Arg0(const CallArgs& a) {
  static const Value kUndef;
  if (!a.args.empty()) return a.args[0];
  if (!a.kwargs.empty()) return a.kwargs[0].second;
  return kUndef;
}

absl::Status NeedArg(std::string_view test, const CallArgs& a) {
  if (a.args.empty() && a.kwargs.empty()) {
    return TypeError(absl::StrCat(std::string(test), "() missing 1 required positional argument"));
  }
  return absl::OkStatus();
}

using TestFn = absl::StatusOr<bool> (*)(const Value&, const CallArgs&, CallContext&);

absl::StatusOr<bool> Compare(const Value& v, const CallArgs& a, int op) {
  SQLMILL_RETURN_IF_ERROR(NeedArg("compare", a));
  const Value& o = Arg0(a);
  switch (op) {
    case 0:
      return Equals(v, o);
    case 1:
      return !Equals(v, o);
    case 2:
      return LessThan(v, o);
    case 3: {
      SQLMILL_ASSIGN_OR_RETURN(bool gt, LessThan(o, v));
      return !gt;
    }
    case 4:
      return LessThan(o, v);
    default: {
      SQLMILL_ASSIGN_OR_RETURN(bool lt, LessThan(v, o));
      return !lt;
    }
  }
}

bool IsCallableValue(const Value& v) { return v.is_callable(); }

class CyclerObject : public Object {
 public:
  explicit CyclerObject(std::vector<Value> items) : items_(std::move(items)) {}
  std::string_view TypeName() const override { return "Cycler"; }
  Value GetAttr(std::string_view name) const override {
    auto self = std::static_pointer_cast<CyclerObject>(
        std::const_pointer_cast<Object>(shared_from_this()));
    if (name == "current") return items_[pos_];
    if (name == "next") {
      return MakeFunction("next", [self](const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
        Value v = self->items_[self->pos_];
        self->pos_ = (self->pos_ + 1) % self->items_.size();
        return v;
      });
    }
    if (name == "reset") {
      return MakeFunction("reset", [self](const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
        self->pos_ = 0;
        return Value::None();
      });
    }
    return Object::GetAttr(name);
  }

 private:
  std::vector<Value> items_;
  size_t pos_ = 0;
};

class JoinerObject : public Object {
 public:
  explicit JoinerObject(std::string sep) : sep_(std::move(sep)) {}
  std::string_view TypeName() const override { return "Joiner"; }
  bool IsCallable() const override { return true; }
  absl::StatusOr<Value> Call(const CallArgs&, CallContext&) override {
    if (!used_) {
      used_ = true;
      return Value::String("");
    }
    return Value::String(sep_);
  }

 private:
  std::string sep_;
  bool used_ = false;
};

class NamespaceValue : public Object {
 public:
  NamespaceValue() : attrs_(Value::Dict()) {}
  std::string_view TypeName() const override { return "Namespace"; }
  Value GetAttr(std::string_view name) const override {
    const Value* v = attrs_.dict()->FindStr(name);
    if (v != nullptr) return *v;
    return Object::GetAttr(name);
  }
  absl::Status SetAttr(std::string_view name, Value value) override {
    attrs_.dict()->SetStr(name, std::move(value));
    return absl::OkStatus();
  }
  std::string Str() const override { return absl::StrCat("<Namespace ", attrs_.Repr(), ">"); }
  Value attrs_;
};

absl::StatusOr<Value> Range(const CallArgs& a, CallContext& ctx) {
  if (!a.kwargs.empty()) return TypeError("range() takes no keyword arguments");
  if (a.args.empty() || a.args.size() > 3) {
    return TypeError(absl::StrCat("range expected at most 3 arguments, got ", a.args.size()));
  }
  for (const auto& x : a.args) {
    if (!(x.is_int() || x.is_bool())) {
      return TypeError(absl::StrCat("'", std::string(x.TypeName()),
                                    "' object cannot be interpreted as an integer"));
    }
  }
  int64_t start = 0, stop, step = 1;
  if (a.args.size() == 1) {
    stop = a.args[0].as_int();
  } else {
    start = a.args[0].as_int();
    stop = a.args[1].as_int();
    if (a.args.size() == 3) step = a.args[2].as_int();
  }
  if (step == 0) return TypeError("range() arg 3 must not be zero");
  int64_t n = 0;
  if (step > 0 && stop > start) n = (stop - start + step - 1) / step;
  if (step < 0 && stop < start) n = (start - stop - step - 1) / -step;
  SQLMILL_RETURN_IF_ERROR(ctx.Charge(static_cast<uint64_t>(n)));
  if (n > 50'000'000) return absl::ResourceExhaustedError("range() is too large");
  std::vector<Value> out;
  out.reserve(n);
  for (int64_t i = 0; i < n; ++i) out.push_back(Value::Int(start + i * step));
  return Value::List(std::move(out));
}

absl::StatusOr<Value> DictGlobal(const CallArgs& a, CallContext&) {
  Value d = Value::Dict();
  if (a.args.size() > 1) return TypeError("dict expected at most 1 argument");
  if (a.args.size() == 1) {
    const Value& src = a.args[0];
    if (src.is_dict()) {
      for (const auto& [k, v] : src.dict()->entries()) d.dict()->Set(k, v);
    } else {
      std::vector<Value> pairs;
      SQLMILL_RETURN_IF_ERROR(IterateValue(src, false, &pairs));
      for (const auto& p : pairs) {
        std::vector<Value> kv;
        SQLMILL_RETURN_IF_ERROR(IterateValue(p, false, &kv));
        if (kv.size() != 2) return TypeError("dictionary update sequence element has wrong length");
        d.dict()->Set(kv[0], kv[1]);
      }
    }
  }
  for (const auto& [k, v] : a.kwargs) d.dict()->SetStr(k, v);
  return d;
}

absl::StatusOr<Value> NamespaceGlobal(const CallArgs& a, CallContext& ctx) {
  auto ns = std::make_shared<NamespaceValue>();
  SQLMILL_ASSIGN_OR_RETURN(Value init, DictGlobal(a, ctx));
  for (const auto& [k, v] : init.dict()->entries()) ns->attrs_.dict()->Set(k, v);
  return Value::FromObject(ns);
}

absl::StatusOr<Value> Lipsum(const CallArgs& a, CallContext&) {
  // Deterministic placeholder text (Jinja2's is random; COMPATIBILITY.md).
  std::vector<Value> b;
  SQLMILL_RETURN_IF_ERROR(BindArgs("lipsum", a, {"n", "html", "min", "max"}, &b));
  int64_t n = b[0].is_undefined() ? 5 : b[0].as_int();
  bool html = b[1].is_undefined() || b[1].Truthy();
  std::string para =
      "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
      "incididunt ut labore et dolore magna aliqua.";
  std::string out;
  for (int64_t i = 0; i < n; ++i) {
    if (i) out += html ? "\n" : "\n\n";
    out += html ? "<p>" + para + "</p>" : para;
  }
  return Value::String(out);
}

}  // namespace

void RegisterBuiltinTests(EnvState* env) {
  auto add = [env](std::string name, NativeTest fn) {
    env->tests[name] = TestEntry{name, std::move(fn)};
  };
  add("boolean", [](const Value& v, const CallArgs&, CallContext&) -> absl::StatusOr<bool> { return v.is_bool(); });
  add("callable", [](const Value& v, const CallArgs&, CallContext&) -> absl::StatusOr<bool> { return IsCallableValue(v); });
  add("defined", [](const Value& v, const CallArgs&, CallContext&) -> absl::StatusOr<bool> { return !v.is_undefined(); });
  add("undefined", [](const Value& v, const CallArgs&, CallContext&) -> absl::StatusOr<bool> { return v.is_undefined(); });
  add("none", [](const Value& v, const CallArgs&, CallContext&) -> absl::StatusOr<bool> { return v.is_none(); });
  add("true", [](const Value& v, const CallArgs&, CallContext&) -> absl::StatusOr<bool> { return v.is_bool() && v.as_bool(); });
  add("false", [](const Value& v, const CallArgs&, CallContext&) -> absl::StatusOr<bool> { return v.is_bool() && !v.as_bool(); });
  add("integer", [](const Value& v, const CallArgs&, CallContext&) -> absl::StatusOr<bool> { return v.is_int(); });
  add("float", [](const Value& v, const CallArgs&, CallContext&) -> absl::StatusOr<bool> { return v.is_float(); });
  add("number", [](const Value& v, const CallArgs&, CallContext&) -> absl::StatusOr<bool> { return v.is_number(); });
  add("string", [](const Value& v, const CallArgs&, CallContext&) -> absl::StatusOr<bool> { return v.is_string(); });
  add("mapping", [](const Value& v, const CallArgs&, CallContext&) -> absl::StatusOr<bool> { return v.is_dict(); });
  add("sequence", [](const Value& v, const CallArgs&, CallContext&) -> absl::StatusOr<bool> {
    return v.is_string() || v.is_sequence() || v.is_dict();
  });
  add("iterable", [](const Value& v, const CallArgs&, CallContext&) -> absl::StatusOr<bool> {
    if (v.is_string() || v.is_sequence() || v.is_dict() || v.is_undefined()) return true;
    std::vector<Value> tmp;
    return v.is_object() && v.object()->Iterate(&tmp);
  });
  add("escaped", [](const Value&, const CallArgs&, CallContext&) -> absl::StatusOr<bool> { return false; });
  for (const char* name : {"lower", "upper"}) {
    std::string method = std::string("is") + name;
    add(name, [method](const Value& v, const CallArgs&, CallContext& ctx) -> absl::StatusOr<bool> {
      bool found;
      SQLMILL_ASSIGN_OR_RETURN(Value r, CallBuiltinMethod(Value::String(v.Str()), method, CallArgs(),
                                                          ctx, &found));
      return r.Truthy();
    });
  }
  add("even", [](const Value& v, const CallArgs&, CallContext&) -> absl::StatusOr<bool> {
    if (v.is_float()) return std::fmod(v.as_double(), 2) == 0;
    if (!v.is_number()) return TypeError("not all arguments converted during string formatting");
    return v.as_int() % 2 == 0;
  });
  add("odd", [](const Value& v, const CallArgs&, CallContext&) -> absl::StatusOr<bool> {
    if (v.is_float()) return std::fabs(std::fmod(v.as_double(), 2)) == 1;
    if (!v.is_number()) return TypeError("not all arguments converted during string formatting");
    return v.as_int() % 2 != 0;
  });
  add("divisibleby", [](const Value& v, const CallArgs& a, CallContext&) -> absl::StatusOr<bool> {
    SQLMILL_RETURN_IF_ERROR(NeedArg("divisibleby", a));
    const Value& n = Arg0(a);
    if (v.is_string()) return TypeError("not all arguments converted during string formatting");
    if (!v.is_number() || !n.is_number()) return TypeError("unsupported operand type(s) for %");
    if (v.is_float() || n.is_float()) {
      if (n.as_double() == 0) return TypeError("float modulo");
      return std::fmod(v.as_double(), n.as_double()) == 0;
    }
    if (n.as_int() == 0) return TypeError("integer division or modulo by zero");
    return v.as_int() % n.as_int() == 0;
  });
  add("sameas", [](const Value& v, const CallArgs& a, CallContext&) -> absl::StatusOr<bool> {
    SQLMILL_RETURN_IF_ERROR(NeedArg("sameas", a));
    const Value& o = Arg0(a);
    if (v.is_int() && o.is_int()) return v.as_int() == o.as_int() && v.as_int() >= -5 && v.as_int() <= 256;
    if (v.is_string() || v.is_float()) return false;
    return v.SameAs(o);
  });
  add("in", [](const Value& v, const CallArgs& a, CallContext&) -> absl::StatusOr<bool> {
    SQLMILL_RETURN_IF_ERROR(NeedArg("in", a));
    return Contains(Arg0(a), v);
  });
  add("filter", [](const Value& v, const CallArgs&, CallContext& ctx) -> absl::StatusOr<bool> {
    return v.is_string() && static_cast<Evaluator&>(ctx).env().FindFilter(v.as_string()) != nullptr;
  });
  add("test", [](const Value& v, const CallArgs&, CallContext& ctx) -> absl::StatusOr<bool> {
    return v.is_string() && static_cast<Evaluator&>(ctx).env().FindTest(v.as_string()) != nullptr;
  });
  const std::pair<std::vector<std::string>, int> kCompares[] = {
      {{"eq", "equalto", "=="}, 0}, {{"ne", "!="}, 1}, {{"lt", "lessthan", "<"}, 2},
      {{"le", "<="}, 3},           {{"gt", "greaterthan", ">"}, 4}, {{"ge", ">="}, 5}};
  for (const auto& [names, op] : kCompares) {
    for (const auto& n : names) {
      int o = op;
      add(n, [o](const Value& v, const CallArgs& a, CallContext&) { return Compare(v, a, o); });
    }
  }
}

void RegisterBuiltinGlobals(EnvState* env) {
  env->globals["range"] = MakeFunction("range", Range);
  env->globals["dict"] = MakeFunction("dict", DictGlobal);
  env->globals["namespace"] = MakeFunction("namespace", NamespaceGlobal);
  env->globals["lipsum"] = MakeFunction("lipsum", Lipsum);
  env->globals["cycler"] = MakeFunction("cycler", [](const CallArgs& a, CallContext&) -> absl::StatusOr<Value> {
    if (a.args.empty()) return TypeError("at least one item has to be provided");
    return Value::FromObject(std::make_shared<CyclerObject>(a.args));
  });
  env->globals["joiner"] = MakeFunction("joiner", [](const CallArgs& a, CallContext&) -> absl::StatusOr<Value> {
    std::string sep = ", ";
    if (!a.args.empty()) sep = a.args[0].Str();
    if (const Value* s = a.Kwarg("sep")) sep = s->Str();
    return Value::FromObject(std::make_shared<JoinerObject>(sep));
  });
}

}  // namespace sqlmill::jinja::internal

// Implementation of the dbt stand-ins. See dbt_standins.h.
#include "services/dbt_compiler/jinja/tools/dbt_standins.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace sqlmill::jinja {
namespace {

std::string ReprArgs(const CallArgs& a) {
  std::vector<std::string> parts;
  for (const auto& v : a.args) parts.push_back(v.Repr());
  for (const auto& [k, v] : a.kwargs) parts.push_back(absl::StrCat(k, "=", v.Repr()));
  return absl::StrJoin(parts, ", ");
}

// Any attribute is a function printing its own call: `name(args)`.
class GenericNamespace : public Object {
 public:
  explicit GenericNamespace(std::string name) : name_(std::move(name)) {}
  std::string_view TypeName() const override { return "GenericNamespace"; }
  Value GetAttr(std::string_view attr) const override {
    std::string full = absl::StrCat(name_, ".", std::string(attr));
    return MakeFunction(full, [full](const CallArgs& a, CallContext&) -> absl::StatusOr<Value> {
      return Value::String(absl::StrCat(full, "(", ReprArgs(a), ")"));
    });
  }
  std::string Str() const override { return name_; }

 private:
  std::string name_;
};

class ConfigObject : public Object {
 public:
  std::string_view TypeName() const override { return "Config"; }
  bool IsCallable() const override { return true; }
  absl::StatusOr<Value> Call(const CallArgs&, CallContext&) override { return Value::String(""); }
  Value GetAttr(std::string_view name) const override {
    if (name == "get" || name == "require") {
      return MakeFunction("get", [](const CallArgs& a, CallContext&) -> absl::StatusOr<Value> {
        if (a.args.size() > 1) return a.args[1];
        if (const Value* d = a.Kwarg("default")) return *d;
        return Value::None();
      });
    }
    return Object::GetAttr(name);
  }
};

class AdapterObject : public Object {
 public:
  std::string_view TypeName() const override { return "Adapter"; }
  Value GetAttr(std::string_view name) const override {
    if (name == "dispatch") {
      return MakeFunction("dispatch", [](const CallArgs& a, CallContext& ctx) -> absl::StatusOr<Value> {
        if (a.args.empty()) return absl::InvalidArgumentError("dispatch needs a macro name");
        std::string macro = a.args[0].Str();
        Value found = ctx.Resolve("default__" + macro);
        if (!found.is_undefined()) return found;
        return MakeFunction(macro, [macro](const CallArgs& b, CallContext&) -> absl::StatusOr<Value> {
          return Value::String(absl::StrCat(macro, "(", ReprArgs(b), ")"));
        });
      });
    }
    if (name == "quote") {
      return MakeFunction("quote", [](const CallArgs& a, CallContext&) -> absl::StatusOr<Value> {
        return Value::String(absl::StrCat("\"", a.args.empty() ? "" : a.args[0].Str(), "\""));
      });
    }
    return GenericNamespace("adapter").GetAttr(name);
  }
};

}  // namespace

void InstallDbtStandins(Environment* env) {
  env->AddFunction("ref", [](const CallArgs& a, CallContext&) -> absl::StatusOr<Value> {
    std::string name = a.args.empty() ? "" : a.args.back().Str();
    return Value::String(absl::StrCat("\"db\".\"analytics\".\"", name, "\""));
  });
  env->AddFunction("source", [](const CallArgs& a, CallContext&) -> absl::StatusOr<Value> {
    std::string s = a.args.size() > 0 ? a.args[0].Str() : "";
    std::string t = a.args.size() > 1 ? a.args[1].Str() : "";
    return Value::String(absl::StrCat("\"db\".\"", s, "\".\"", t, "\""));
  });
  env->AddFunction("var", [](const CallArgs& a, CallContext&) -> absl::StatusOr<Value> {
    if (a.args.size() > 1) return a.args[1];
    return Value::String(absl::StrCat("var_", a.args.empty() ? "" : a.args[0].Str()));
  });
  env->AddFunction("is_incremental", [](const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
    return Value::Bool(false);
  });
  env->AddFunction("log", [](const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
    return Value::String("");
  });
  env->AddFunction("return", [](const CallArgs& a, CallContext& ctx) -> absl::StatusOr<Value> {
    return ctx.ReturnFromMacro(a.args.empty() ? Value::None() : a.args[0]);
  });
  env->AddFunction("run_query", [](const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
    return Value::None();
  });
  env->AddFunction("load_result", [](const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
    return Value::None();
  });
  env->AddFunction("statement", [](const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
    return Value::String("");
  });
  env->AddGlobal("config", Value::FromObject(std::make_shared<ConfigObject>()));
  env->AddGlobal("adapter", Value::FromObject(std::make_shared<AdapterObject>()));
  for (const char* ns : {"dbt_utils", "dbt", "exceptions", "dbt_date", "dbt_expectations",
                         "tsql_utils", "audit_helper", "api", "modules", "dbt_audit_helper"}) {
    env->AddGlobal(ns, Value::FromObject(std::make_shared<GenericNamespace>(ns)));
  }
  Value target = Value::Dict();
  target.dict()->SetStr("name", Value::String("dev"));
  target.dict()->SetStr("schema", Value::String("analytics"));
  target.dict()->SetStr("database", Value::String("db"));
  target.dict()->SetStr("type", Value::String("postgres"));
  env->AddGlobal("target", target);
  env->AddGlobal("this", Value::String("\"db\".\"analytics\".\"this_model\""));
  env->AddGlobal("execute", Value::Bool(false));
  env->AddGlobal("flags", Value::Dict());
  Value model = Value::Dict();
  model.dict()->SetStr("name", Value::String("this_model"));
  model.dict()->SetStr("unique_id", Value::String("model.proj.this_model"));
  env->AddGlobal("model", model);
  BlockTag materialization{"materialization",
                           [](std::string_view name, const std::vector<std::pair<std::string, Value>>& opts)
                               -> absl::StatusOr<std::string> {
                             std::string adapter = "default";
                             for (const auto& [k, v] : opts) {
                               if (k == "adapter") adapter = v.Str();
                             }
                             return absl::StrCat("materialization_", std::string(name), "_", adapter);
                           }};
  env->AddBlockTag(materialization);
  env->AddBlockTag(BlockTag{"test", [](std::string_view name, const auto&) -> absl::StatusOr<std::string> {
                              return absl::StrCat("test_", std::string(name));
                            }});
  env->AddBlockTag(BlockTag{"docs", [](std::string_view name, const auto&) -> absl::StatusOr<std::string> {
                              return absl::StrCat("docs_", std::string(name));
                            }});
  env->AddBlockTag(BlockTag{"snapshot", [](std::string_view name, const auto&) -> absl::StatusOr<std::string> {
                              return absl::StrCat("snapshot_", std::string(name));
                            }});
}


}  // namespace sqlmill::jinja

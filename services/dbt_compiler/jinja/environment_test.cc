// Unit tests of the public API: host functions/filters/tests/objects, host block tags,
// return(), native results, loaders (include/import/extends), error info, each limit,
// strict undefined, and concurrent rendering of one compiled template.
#include "services/dbt_compiler/jinja/environment.h"

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/dbt_compiler/jinja/json.h"

namespace sqlmill::jinja {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<std::string> Render(const Environment& env, std::string_view src,
                                   Value ctx = Value::Dict(), RenderOptions ro = {}) {
  auto tpl = env.Compile(src, "t.sql");
  if (!tpl.ok()) return tpl.status();
  auto out = env.Render(**tpl, ctx, ro);
  if (!out.ok()) return out.status();
  return out->text;
}

class Relation : public Object {
 public:
  std::string_view TypeName() const override { return "Relation"; }
  Value GetAttr(std::string_view name) const override {
    if (name == "schema") return Value::String("analytics");
    if (name == "identifier") return Value::String("orders");
    if (name == "quoted") {
      return MakeFunction("quoted", [](const CallArgs& a, CallContext&) -> absl::StatusOr<Value> {
        return Value::String(absl::StrCat("\"", a.args.at(0).Str(), "\""));
      });
    }
    return Object::GetAttr(name);
  }
  std::string Str() const override { return "analytics.orders"; }
};

TEST(Environment, HostFunctionWithPositionalAndKeywordArgs) {
  Environment env;
  env.AddFunction("greet", [](const CallArgs& a, CallContext&) -> absl::StatusOr<Value> {
    std::string who = a.args.empty() ? "?" : a.args[0].Str();
    const Value* punct = a.Kwarg("punct");
    return Value::String(absl::StrCat("hi ", who, punct ? punct->Str() : "."));
  });
  EXPECT_EQ(*Render(env, "{{ greet('ann') }} {{ greet('bo', punct='!') }}"), "hi ann. hi bo!");
}

TEST(Environment, HostFilterTestAndObject) {
  Environment env;
  env.AddFilter("twice", [](const Value& v, const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
    return Value::String(v.Str() + v.Str());
  });
  env.AddTest("short", [](const Value& v, const CallArgs& a, CallContext&) -> absl::StatusOr<bool> {
    return v.Str().size() < static_cast<size_t>(a.args.empty() ? 3 : a.args[0].as_int());
  });
  env.AddGlobal("rel", Value::FromObject(std::make_shared<Relation>()));
  EXPECT_EQ(*Render(env, "{{ 'ab'|twice }} {{ 'ab' is short }} {{ 'abcd' is short(4) }}"),
            "abab True False");
  EXPECT_EQ(*Render(env, "{{ rel }} {{ rel.schema }} {{ rel.quoted('x') }} [{{ rel.nope }}]"),
            "analytics.orders analytics \"x\" []");
}

// A host object with value equality: two Codes with the same text are equal.
class Code : public Object {
 public:
  explicit Code(std::string text) : text_(std::move(text)) {}
  std::string Str() const override { return text_; }
  bool Equals(const Object& other) const override {
    const auto* o = dynamic_cast<const Code*>(&other);
    return o != nullptr && o->text_ == text_;
  }
  size_t Hash() const override { return std::hash<std::string>()(text_); }

 private:
  std::string text_;
};

TEST(Environment, HostObjectsCompareByIdentityUnlessTheyDefineEquality) {
  Environment env;
  env.AddGlobal("a1", Value::FromObject(std::make_shared<Code>("a")));
  env.AddGlobal("a2", Value::FromObject(std::make_shared<Code>("a")));
  env.AddGlobal("b", Value::FromObject(std::make_shared<Code>("b")));
  env.AddGlobal("r1", Value::FromObject(std::make_shared<Relation>()));
  env.AddGlobal("r2", Value::FromObject(std::make_shared<Relation>()));
  EXPECT_EQ(*Render(env, "{{ a1 == a2 }} {{ a1 != b }} {{ a2 in [b, a1] }} {{ r1 == r1 }} {{ r1 == r2 }}"),
            "True True True True False");
  // Equal objects are one dict key.
  EXPECT_EQ(*Render(env, "{% set d = {} %}{% do d.update({a1: 1}) %}{% do d.update({a2: 2}) %}"
                         "{{ d | length }} {{ d[a1] }}"),
            "1 2");
}

TEST(Environment, HostBlockTagDefinesAMacro) {
  Environment env;
  env.AddBlockTag(BlockTag{"materialization",
                           [](std::string_view name, const std::vector<std::pair<std::string, Value>>& o)
                               -> absl::StatusOr<std::string> {
                             std::string adapter = "default";
                             for (const auto& [k, v] : o) {
                               if (k == "adapter") adapter = v.Str();
                             }
                             return absl::StrCat("materialization_", std::string(name), "_", adapter);
                           }});
  EXPECT_EQ(*Render(env,
                    "{% materialization view, adapter='pg' %}V{{ 1 + 1 }}{% endmaterialization %}"
                    "{{ materialization_view_pg() }}"),
            "V2");
  auto tpl = env.Compile("{% materialization t, default %}x{% endmaterialization %}", "m.sql");
  ASSERT_TRUE(tpl.ok());
  auto module = env.MakeModule(**tpl, Value::Dict());
  ASSERT_TRUE(module.ok()) << module.status();
  EXPECT_TRUE(module->object()->GetAttr("materialization_t_default").is_callable());
}

TEST(Environment, ReturnEndsTheMacroWithAValue) {
  Environment env;
  env.AddFunction("return", [](const CallArgs& a, CallContext& ctx) -> absl::StatusOr<Value> {
    return ctx.ReturnFromMacro(a.args.at(0));
  });
  EXPECT_EQ(*Render(env,
                    "{% macro m(x) %}{% if x %}{{ return({'k': x}) }}{% endif %}tail{% endmacro %}"
                    "{{ m(1).k }}|{{ m(0) }}|{% do m(2) %}"),
            "1|tail|");
}

TEST(Environment, NativeResults) {
  EXPECT_TRUE(ParseNative("42").is_int());
  EXPECT_EQ(ParseNative("42").as_int(), 42);
  EXPECT_EQ(ParseNative("[1, 'a']").Repr(), "[1, 'a']");
  EXPECT_EQ(ParseNative("{'a': (1, 2.5)}").Repr(), "{'a': (1, 2.5)}");
  EXPECT_TRUE(ParseNative("select 1").is_string());
  EXPECT_TRUE(ParseNative("True").is_bool());
  EXPECT_TRUE(ParseNativeBool("True"));
  EXPECT_FALSE(ParseNativeBool("False"));
  EXPECT_FALSE(ParseNativeBool("0"));
  Environment env;
  auto tpl = env.Compile("{{ 40 + 2 }}");
  ASSERT_TRUE(tpl.ok());
  auto v = env.RenderNative(**tpl, Value::Dict());
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->is_int());
  EXPECT_EQ(v->as_int(), 42);
}

TEST(Environment, LoaderIncludeImportExtends) {
  Environment env;
  auto loader = std::make_shared<MapLoader>();
  loader->Add("macros.sql", "{% macro hello(n) %}hello {{ n }}{% endmacro %}{% set answer = 42 %}");
  loader->Add("part.sql", "[{{ x }}]");
  loader->Add("base.sql", "A{% block b %}base{% endblock %}Z");
  loader->Add("mid.sql", "{% extends 'base.sql' %}{% block b %}mid({{ super() }}){% endblock %}");
  env.SetLoader(loader);
  EXPECT_EQ(*Render(env, "{% import 'macros.sql' as m %}{{ m.hello('x') }} {{ m.answer }}"),
            "hello x 42");
  EXPECT_EQ(*Render(env, "{% from 'macros.sql' import hello as h %}{{ h(1) }}"), "hello 1");
  EXPECT_EQ(*Render(env, "{% for x in [1, 2] %}{% include 'part.sql' %}{% endfor %}"), "[1][2]");
  EXPECT_EQ(*Render(env, "{% extends 'mid.sql' %}{% block b %}leaf+{{ super() }}{% endblock %}"),
            "Aleaf+mid(base)Z");
  auto missing = Render(env, "{% include 'nope.sql' %}");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
}

TEST(Environment, ErrorInfoCarriesLocationAndStack) {
  Environment env;
  auto loader = std::make_shared<MapLoader>();
  loader->Add("lib.sql", "{% macro boom() %}\n  {{ 1 // 0 }}\n{% endmacro %}");
  env.SetLoader(loader);
  auto r = Render(env, "line1\n{% from 'lib.sql' import boom %}{{ boom() }}");
  ASSERT_FALSE(r.ok());
  auto info = GetErrorInfo(r.status());
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->template_name, "lib.sql");
  EXPECT_EQ(info->location.line, 2);
  EXPECT_EQ(info->location.column, 6);
  EXPECT_THAT(info->message, HasSubstr("division or modulo by zero"));
  ASSERT_EQ(info->call_stack.size(), 1u);
  EXPECT_EQ(info->call_stack[0], "in macro 'boom' called at t.sql:2:36");
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("2 |   {{ 1 // 0 }}"));
}

TEST(Environment, StrictUndefined) {
  Environment lax;
  EXPECT_EQ(*Render(lax, "[{{ nope }}]"), "[]");
  Environment strict({.undefined = UndefinedMode::kStrict});
  EXPECT_FALSE(Render(strict, "[{{ nope }}]").ok());
  EXPECT_EQ(*Render(strict, "{{ nope is defined }} {{ nope|default('d') }}"), "False d");
}

TEST(Limits, RecursionDepth) {
  Environment env;
  RenderOptions ro;
  ro.limits.max_nesting_depth = 20;
  auto r = Render(env, "{% macro r(n) %}{{ r(n + 1) }}{% endmacro %}{{ r(0) }}", Value::Dict(), ro);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(Render(env, "{% macro r(n) %}{% if n < 10 %}{{ r(n + 1) }}{% endif %}{% endmacro %}{{ r(0) }}",
                     Value::Dict(), ro).ok());
}

TEST(Limits, Fuel) {
  Environment env;
  RenderOptions ro;
  ro.limits.max_work_units = 10'000;
  auto r = Render(env, "{% for i in range(100000) %}{{ i }}{% endfor %}", Value::Dict(), ro);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(Render(env, "{% for i in range(100) %}{{ i }}{% endfor %}", Value::Dict(), ro).ok());
}

// With default limits a nested loop of 10^10 iterations stops at --max_template_steps, and
// the error says which flag to raise; the tighter of the two budgets is the one named.
TEST(Limits, DefaultTemplateStepBudgetIsFiniteAndNamed) {
  Environment env;
  RenderOptions ro;
  ro.limits.max_template_steps = 200'000;  // the default is 100x larger; same code path
  auto r = Render(env,
                  "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
                  Value::Dict(), ro);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(r.status().message()), testing::HasSubstr("--max_template_steps"));
  EXPECT_EQ(Limits().max_template_steps, 20'000'000u);
  ro.limits.max_work_units = 1'000;
  r = Render(env, "{% for i in range(100000) %}{{ i }}{% endfor %}", Value::Dict(), ro);
  EXPECT_THAT(std::string(r.status().message()), testing::HasSubstr("--max_work_units"));
}

TEST(Limits, OutputSize) {
  Environment env;
  RenderOptions ro;
  ro.limits.max_output_bytes = 1000;
  auto r = Render(env, "{% for i in range(1000) %}xxxxxxxxxx{% endfor %}", Value::Dict(), ro);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);
  // Output captured inside macros counts too.
  auto m = Render(env, "{% macro m() %}{% for i in range(1000) %}xxxx{% endfor %}{% endmacro %}{% set s = m() %}",
                  Value::Dict(), ro);
  EXPECT_EQ(m.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(Limits, InputSizeAndParseDepth) {
  Environment env;
  std::string deep(1000, '(');
  auto r = env.Compile("{{ " + deep + "1" + std::string(1000, ')') + " }}");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("nesting"));
}

TEST(Limits, Cancellation) {
  Environment env;
  CancellationToken token;
  token.Cancel();
  RenderOptions ro;
  ro.cancel = &token;
  auto r = Render(env, "{% for i in range(100000) %}{{ i }}{% endfor %}", Value::Dict(), ro);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kCancelled);
}

TEST(Environment, ManyThreadsRenderOneTemplate) {
  Environment env;
  env.AddFunction("ref", [](const CallArgs& a, CallContext&) -> absl::StatusOr<Value> {
    return Value::String("s." + a.args.at(0).Str());
  });
  auto tpl = env.Compile(
      "{% macro cols(xs) %}{% for x in xs %}{{ x|upper }}{{ ',' if not loop.last }}{% endfor %}{% endmacro %}"
      "{% set ns = namespace(n=0) %}{% for i in range(n) %}{% set ns.n = ns.n + i %}{% endfor %}"
      "select {{ cols(names) }} from {{ ref(t) }} -- {{ ns.n }}");
  ASSERT_TRUE(tpl.ok());
  constexpr int kThreads = 8;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int iter = 0; iter < 200; ++iter) {
        Value ctx = Value::Dict();
        ctx.dict()->SetStr("n", Value::Int(t + iter));
        ctx.dict()->SetStr("t", Value::String(absl::StrCat("tbl", t)));
        ctx.dict()->SetStr("names", Value::List({Value::String("a"), Value::String(absl::StrCat("c", t))}));
        auto out = env.Render(**tpl, ctx);
        int n = t + iter;
        std::string want = absl::StrCat("select A,C", t, " from s.tbl", t, " -- ", n * (n - 1) / 2);
        if (!out.ok() || out->text != want) failures.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(Json, RoundTrip) {
  auto v = ParseJson(R"({"b": [1, 2.5, "x\u00e9", null, true], "a": {"n": -3}})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->Repr(), "{'b': [1, 2.5, 'xé', None, True], 'a': {'n': -3}}");
  EXPECT_EQ(*ToJson(*v, {}), R"({"b": [1, 2.5, "x\u00e9", null, true], "a": {"n": -3}})");
  JsonWriteOptions sorted;
  sorted.sort_keys = true;
  EXPECT_EQ(*ToJson(*v, sorted), R"({"a": {"n": -3}, "b": [1, 2.5, "x\u00e9", null, true]})");
  EXPECT_FALSE(ParseJson("{\"a\": }").ok());
  EXPECT_FALSE(ParseJson("[1, 2").ok());
}

TEST(Value, PythonFloatRepr) {
  EXPECT_EQ(FormatFloat(1.0), "1.0");
  EXPECT_EQ(FormatFloat(1e20), "1e+20");
  EXPECT_EQ(FormatFloat(1e16), "1e+16");
  EXPECT_EQ(FormatFloat(1e15), "1000000000000000.0");
  EXPECT_EQ(FormatFloat(0.0001), "0.0001");
  EXPECT_EQ(FormatFloat(0.00001), "1e-05");
  EXPECT_EQ(FormatFloat(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(FormatFloat(-2.5), "-2.5");
  EXPECT_EQ(FormatFloat(1.0 / 0.0), "inf");
}

}  // namespace
}  // namespace sqlmill::jinja

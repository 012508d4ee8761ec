// Adapter specs, relation rendering and the Relation/Column template objects.
// Immutable data; thread-safe.
#include "services/dbt_compiler/engine/adapter.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/strings.h"

namespace sqlmill::dbt {
namespace {

using jinja::CallArgs;
using jinja::CallContext;
using jinja::Value;

std::vector<AdapterSpec> BuildSpecs() {
  std::vector<AdapterSpec> specs;
  auto add = [&](std::string type, std::vector<std::string> chain, char open, char close,
                 bool quote) {
    AdapterSpec s;
    s.type = std::move(type);
    s.dispatch_chain = std::move(chain);
    s.quote_open = open;
    s.quote_close = close;
    s.quote_database = s.quote_schema = s.quote_identifier = quote;
    specs.push_back(std::move(s));
  };
  add("postgres", {"postgres", "default"}, '"', '"', true);
  add("redshift", {"redshift", "postgres", "default"}, '"', '"', true);
  add("snowflake", {"snowflake", "default"}, '"', '"', false);
  add("bigquery", {"bigquery", "default"}, '`', '`', true);
  add("duckdb", {"duckdb", "default"}, '"', '"', true);
  // dbt-sqlserver (1.7+) and dbt-synapse build on dbt-fabric.
  add("fabric", {"fabric", "default"}, '"', '"', true);
  add("sqlserver", {"sqlserver", "fabric", "default"}, '"', '"', true);
  add("synapse", {"synapse", "fabric", "default"}, '"', '"', true);
  add("databricks", {"databricks", "spark", "default"}, '`', '`', false);
  add("spark", {"spark", "default"}, '`', '`', false);
  add("trino", {"trino", "default"}, '"', '"', false);
  return specs;
}

const std::vector<AdapterSpec>& Specs() {
  static const auto* specs = new std::vector<AdapterSpec>(BuildSpecs());
  return *specs;
}

Value StrOrNone(bool has, const std::string& s) { return has ? Value::String(s) : Value::None(); }

// Reads an optional bool keyword; keeps `current` when absent or None.
bool KwBool(const CallArgs& args, std::string_view name, bool current) {
  const Value* v = args.Kwarg(name);
  if (v == nullptr || v->is_none() || v->is_undefined()) return current;
  return v->Truthy();
}

void SetPart(const Value& v, bool* has, std::string* out) {
  if (v.is_none() || v.is_undefined()) {
    *has = false;
    out->clear();
  } else {
    *has = true;
    *out = v.Str();
  }
}

// Applies a {database, schema, identifier} dict (as incorporate(path=...) takes).
void ApplyPath(const Value& path, RelationParts* p) {
  if (!path.is_dict()) return;
  if (const Value* v = path.dict()->FindStr("database")) SetPart(*v, &p->has_database, &p->database);
  if (const Value* v = path.dict()->FindStr("schema")) SetPart(*v, &p->has_schema, &p->schema);
  if (const Value* v = path.dict()->FindStr("identifier")) {
    bool has = true;
    SetPart(*v, &has, &p->identifier);
  }
}

Value Method(std::string name, jinja::NativeFunction fn) {
  return jinja::MakeFunction(std::move(name), std::move(fn));
}

class RelationFactory : public jinja::Object {
 public:
  RelationFactory(const AdapterSpec* spec, Value quoting) : spec_(spec), quoting_(std::move(quoting)) {}
  std::string_view TypeName() const override { return "RelationFactory"; }
  Value GetAttr(std::string_view name) const override {
    const AdapterSpec* spec = spec_;
    Value quoting = quoting_;
    if (name == "create") {
      return Method("create", [spec, quoting](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
        RelationParts p;
        ApplyQuoting(*spec, quoting, &p);
        const char* names[] = {"database", "schema", "identifier", "type"};
        for (size_t i = 0; i < args.args.size() && i < 4; ++i) {
          const Value& v = args.args[i];
          if (i == 0) SetPart(v, &p.has_database, &p.database);
          if (i == 1) SetPart(v, &p.has_schema, &p.schema);
          if (i == 2) {
            bool has = true;
            SetPart(v, &has, &p.identifier);
          }
          if (i == 3 && !v.is_none()) p.type = v.Str();
        }
        (void)names;
        if (const Value* v = args.Kwarg("database")) SetPart(*v, &p.has_database, &p.database);
        if (const Value* v = args.Kwarg("schema")) SetPart(*v, &p.has_schema, &p.schema);
        if (const Value* v = args.Kwarg("identifier")) {
          bool has = true;
          SetPart(*v, &has, &p.identifier);
        }
        if (const Value* v = args.Kwarg("type"); v && !v->is_none()) p.type = v->Str();
        if (const Value* qp = args.Kwarg("quote_policy"); qp && qp->is_dict()) {
          if (const Value* q = qp->dict()->FindStr("database")) p.quote_database = q->Truthy();
          if (const Value* q = qp->dict()->FindStr("schema")) p.quote_schema = q->Truthy();
          if (const Value* q = qp->dict()->FindStr("identifier")) p.quote_identifier = q->Truthy();
        }
        return RelationObject::Make(spec, std::move(p));
      });
    }
    if (name == "add_ephemeral_prefix") {
      return Method("add_ephemeral_prefix", [](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
        return Value::String(absl::StrCat("__dbt__cte__", args.args.empty() ? "" : args.args[0].Str()));
      });
    }
    if (name == "Table") return Value::String("table");
    if (name == "View") return Value::String("view");
    if (name == "CTE") return Value::String("cte");
    return Object::GetAttr(name);
  }

 private:
  const AdapterSpec* spec_;
  Value quoting_;
};

class ColumnFactory : public jinja::Object {
 public:
  explicit ColumnFactory(const AdapterSpec* spec) : spec_(spec) {}
  std::string_view TypeName() const override { return "ColumnFactory"; }
  bool IsCallable() const override { return true; }
  absl::StatusOr<Value> Call(const CallArgs& args, CallContext&) override { return Create(args); }
  Value GetAttr(std::string_view name) const override {
    const AdapterSpec* spec = spec_;
    if (name == "create" || name == "from_description") {
      return Method(std::string(name), [this](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
        return Create(args);
      });
    }
    if (name == "translate_type") {
      return Method("translate_type", [spec](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
        if (args.args.empty()) return Value::None();
        return Value::String(TranslateType(*spec, args.args[0].Str()));
      });
    }
    (void)spec;
    return Object::GetAttr(name);
  }

 private:
  absl::StatusOr<Value> Create(const CallArgs& args) const {
    ColumnInfo info;
    if (!args.args.empty()) info.name = args.args[0].Str();
    if (args.args.size() > 1) info.data_type = args.args[1].Str();
    if (const Value* v = args.Kwarg("column")) info.name = v->Str();
    if (const Value* v = args.Kwarg("name")) info.name = v->Str();
    if (const Value* v = args.Kwarg("dtype")) info.data_type = v->Str();
    if (const Value* v = args.Kwarg("data_type")) info.data_type = v->Str();
    return Value::FromObject(std::make_shared<ColumnObject>(spec_, std::move(info)));
  }
  const AdapterSpec* spec_;
};

}  // namespace

std::string TranslateType(const AdapterSpec& spec, const std::string& dtype) {
  const std::string upper = absl::AsciiStrToUpper(dtype);
  // Each adapter's Column.TYPE_LABELS: generic names → the warehouse's spelling.
  if (spec.type == "bigquery") {
    if (upper == "STRING" || upper == "TEXT") return "STRING";
    if (upper == "TIMESTAMP") return "TIMESTAMP";
    if (upper == "FLOAT") return "FLOAT64";
    if (upper == "INTEGER" || upper == "INT") return "INT64";
    if (upper == "BOOLEAN") return "BOOL";
    return dtype;
  }
  if (spec.type == "sqlserver" || spec.type == "synapse" || spec.type == "fabric") {
    if (upper == "STRING" || upper == "TEXT") return "VARCHAR(8000)";
    if (upper == "TIMESTAMP") return "DATETIME2(6)";
    if (upper == "FLOAT") return "FLOAT";
    if (upper == "INTEGER") return "INT";
    if (upper == "BOOLEAN") return "BIT";
    return dtype;
  }
  if (spec.type == "databricks" || spec.type == "spark") {
    if (upper == "STRING" || upper == "TEXT") return "STRING";
    if (upper == "INTEGER") return "INT";
    return dtype;
  }
  if (upper == "STRING") return "TEXT";
  if (upper == "TIMESTAMP") return "TIMESTAMP";
  if (upper == "FLOAT") return "FLOAT";
  if (upper == "INTEGER") return "INT";
  return dtype;
}

const AdapterSpec* FindAdapter(std::string_view type) {
  for (const auto& s : Specs()) {
    if (s.type == type) return &s;
  }
  return nullptr;
}

std::string SupportedAdapters() {
  std::vector<std::string> names;
  for (const auto& s : Specs()) names.push_back(s.type);
  return absl::StrJoin(names, ", ");
}

void ApplyQuoting(const AdapterSpec& spec, const Value& quoting, RelationParts* parts) {
  parts->quote_database = spec.quote_database;
  parts->quote_schema = spec.quote_schema;
  parts->quote_identifier = spec.quote_identifier;
  if (!quoting.is_dict()) return;
  auto apply = [&](std::string_view key, bool* flag) {
    const Value* v = quoting.dict()->FindStr(key);
    if (v != nullptr && !v->is_none() && !v->is_undefined()) *flag = v->Truthy();
  };
  apply("database", &parts->quote_database);
  apply("schema", &parts->quote_schema);
  apply("identifier", &parts->quote_identifier);
}

std::string QuoteIdentifier(const AdapterSpec& spec, std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  out.push_back(spec.quote_open);
  out.append(name);
  out.push_back(spec.quote_close);
  return out;
}

std::string RenderRelation(const AdapterSpec& spec, const RelationParts& p) {
  std::string out;
  auto add = [&](bool include, bool has, const std::string& part, bool quote) {
    if (!include || !has) return;
    if (!out.empty()) out.push_back('.');
    if (quote) {
      out.append(QuoteIdentifier(spec, part));
    } else {
      out.append(part);
    }
  };
  add(p.include_database, p.has_database && !p.database.empty(), p.database, p.quote_database);
  add(p.include_schema, p.has_schema && !p.schema.empty(), p.schema, p.quote_schema);
  add(p.include_identifier, !p.identifier.empty(), p.identifier, p.quote_identifier);
  return out;
}

Value RelationObject::GetAttr(std::string_view name) const {
  const RelationParts& p = parts_;
  const AdapterSpec* spec = spec_;
  if (name == "database") return StrOrNone(p.has_database, p.database);
  if (name == "schema") return StrOrNone(p.has_schema, p.schema);
  if (name == "identifier" || name == "name" || name == "table") {
    return p.identifier.empty() ? Value::None() : Value::String(p.identifier);
  }
  if (name == "type") return p.type.empty() ? Value::None() : Value::String(p.type);
  if (name == "is_table") return Value::Bool(p.type == "table");
  if (name == "is_view") return Value::Bool(p.type == "view");
  if (name == "is_cte") return Value::Bool(p.type == "cte");
  if (name == "is_materialized_view") return Value::Bool(p.type == "materialized_view");
  if (name == "metadata") {
    Value md = Value::Dict();
    std::string type = spec->type;
    if (!type.empty()) type[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(type[0])));
    md.dict()->SetStr("type", Value::String(absl::StrCat(type, "Relation")));
    return md;
  }
  if (name == "quote_character") return Value::String(std::string(1, spec->quote_open));
  if (name == "path") {
    Value d = Value::Dict();
    d.dict()->SetStr("database", StrOrNone(p.has_database, p.database));
    d.dict()->SetStr("schema", StrOrNone(p.has_schema, p.schema));
    d.dict()->SetStr("identifier", Value::String(p.identifier));
    return d;
  }
  if (name == "quote_policy" || name == "include_policy") {
    const bool q = name == "quote_policy";
    Value d = Value::Dict();
    d.dict()->SetStr("database", Value::Bool(q ? p.quote_database : p.include_database));
    d.dict()->SetStr("schema", Value::Bool(q ? p.quote_schema : p.include_schema));
    d.dict()->SetStr("identifier", Value::Bool(q ? p.quote_identifier : p.include_identifier));
    return d;
  }
  if (name == "render") {
    return Method("render", [spec, p](const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
      return Value::String(RenderRelation(*spec, p));
    });
  }
  if (name == "include" || name == "quote") {
    const bool inc = name == "include";
    return Method(std::string(name), [spec, p, inc](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
      RelationParts q = p;
      bool* flags[3] = {inc ? &q.include_database : &q.quote_database,
                        inc ? &q.include_schema : &q.quote_schema,
                        inc ? &q.include_identifier : &q.quote_identifier};
      for (size_t i = 0; i < args.args.size() && i < 3; ++i) {
        if (!args.args[i].is_none()) *flags[i] = args.args[i].Truthy();
      }
      *flags[0] = KwBool(args, "database", *flags[0]);
      *flags[1] = KwBool(args, "schema", *flags[1]);
      *flags[2] = KwBool(args, "identifier", *flags[2]);
      return RelationObject::Make(spec, std::move(q));
    });
  }
  if (name == "incorporate" || name == "replace_path" || name == "replace") {
    return Method(std::string(name), [spec, p](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
      RelationParts q = p;
      if (const Value* path = args.Kwarg("path")) ApplyPath(*path, &q);
      Value direct = Value::Dict();
      for (const auto& [k, v] : args.kwargs) {
        if (k == "database" || k == "schema" || k == "identifier") direct.dict()->SetStr(k, v);
      }
      ApplyPath(direct, &q);
      if (const Value* t = args.Kwarg("type")) q.type = t->is_none() ? "" : t->Str();
      return RelationObject::Make(spec, std::move(q));
    });
  }
  if (name == "without_identifier") {
    return Method("without_identifier", [spec, p](const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
      RelationParts q = p;
      q.include_identifier = false;
      return RelationObject::Make(spec, std::move(q));
    });
  }
  if (name == "get") {
    return Method("get", [this](const CallArgs& args, CallContext&) -> absl::StatusOr<Value> {
      if (args.args.empty()) return Value::None();
      Value v = GetAttr(args.args[0].Str());
      if (v.is_undefined()) return args.args.size() > 1 ? args.args[1] : Value::None();
      return v;
    });
  }
  return Object::GetAttr(name);
}

Value MakeRelationFactory(const AdapterSpec* spec, Value quoting) {
  return Value::FromObject(std::make_shared<RelationFactory>(spec, std::move(quoting)));
}

Value ColumnObject::GetAttr(std::string_view name) const {
  const std::string lower = absl::AsciiStrToLower(info_.data_type);
  auto starts = [&](std::initializer_list<std::string_view> prefixes) {
    for (auto pfx : prefixes) {
      if (AsStd(lower).substr(0, pfx.size()) == pfx) return true;
    }
    return false;
  };
  const bool is_string = starts({"text", "character varying", "varchar", "char", "character",
                                  "string", "nvarchar", "nchar"});
  const bool is_integer = starts({"int", "integer", "bigint", "smallint", "tinyint", "serial",
                                  "bigserial", "int64"});
  const bool is_float = starts({"float", "double", "real", "float64"});
  const bool is_numeric = starts({"numeric", "decimal", "number", "bignumeric"});
  if (name == "name" || name == "column") return Value::String(info_.name);
  if (name == "quoted") return Value::String(QuoteIdentifier(*spec_, info_.name));
  if (name == "dtype" || name == "data_type") return Value::String(info_.data_type);
  if (name == "char_size" || name == "numeric_precision" || name == "numeric_scale") return Value::None();
  auto pred = [](bool b) {
    return Method("is", [b](const CallArgs&, CallContext&) -> absl::StatusOr<Value> { return Value::Bool(b); });
  };
  if (name == "is_string") return pred(is_string);
  if (name == "is_integer") return pred(is_integer);
  if (name == "is_float") return pred(is_float);
  if (name == "is_numeric") return pred(is_numeric);
  if (name == "is_number") return pred(is_integer || is_float || is_numeric);
  if (name == "string_size") {
    return Method("string_size", [](const CallArgs&, CallContext&) -> absl::StatusOr<Value> {
      return Value::Int(256);
    });
  }
  return Object::GetAttr(name);
}

std::string ColumnObject::Str() const {
  return absl::StrCat("<Column ", info_.name, " (", info_.data_type, ")>");
}

Value MakeColumnFactory(const AdapterSpec* spec) {
  return Value::FromObject(std::make_shared<ColumnFactory>(spec));
}

}  // namespace sqlmill::dbt

// What differs between the warehouses dbt targets, as far as compiling goes: the adapter's
// dispatch chain (redshift → postgres → default), its quote character and default quoting,
// and how a relation renders (`"db"."schema"."x"`, `db.schema.x`, `` `p`.`d`.`x` ``). Also the
// Relation and Column objects templates see (`this`, `ref()`'s result, api.Relation.create,
// adapter.get_columns_in_relation).
//
// AdapterSpec values are immutable and shared; RelationObject/ColumnObject are immutable
// after construction. Thread-safe.
//
//   const AdapterSpec* spec = FindAdapter("snowflake");
//   RelationParts p{.database = "db", .schema = "s", .identifier = "x"};
//   std::string text = RenderRelation(*spec, ApplyQuoting(*spec, p, project_quoting));
#ifndef SQLMILL_SERVICES_DBT_COMPILER_ENGINE_ADAPTER_H_
#define SQLMILL_SERVICES_DBT_COMPILER_ENGINE_ADAPTER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "services/dbt_compiler/jinja/value.h"

namespace sqlmill::dbt {

struct AdapterSpec {
  std::string type;
  // Dispatch prefixes in search order, ending with "default".
  std::vector<std::string> dispatch_chain;
  char quote_open = '"';
  char quote_close = '"';
  bool quote_database = true;
  bool quote_schema = true;
  bool quote_identifier = true;
};

// Returns the spec for postgres, redshift, snowflake, bigquery, duckdb, sqlserver, synapse,
// fabric (also databricks/spark/trino as approximations), or null.
const AdapterSpec* FindAdapter(std::string_view type);
// Comma-separated list of supported adapter types (for messages).
std::string SupportedAdapters();

struct RelationParts {
  std::string database, schema, identifier;
  bool quote_database = true, quote_schema = true, quote_identifier = true;
  bool include_database = true, include_schema = true, include_identifier = true;
  std::string type;  // table, view, cte, materialized_view, external or ""
  bool has_database = true;  // false: database None
  bool has_schema = true;
};

// Sets the quote flags from the adapter defaults overridden by a quoting dict
// ({database, schema, identifier: bool|None}).
void ApplyQuoting(const AdapterSpec& spec, const jinja::Value& quoting, RelationParts* parts);
// Renders a relation as the adapter's Relation.render() does.
std::string RenderRelation(const AdapterSpec& spec, const RelationParts& parts);
// api.Column.translate_type: "string" → TEXT (postgres), STRING (bigquery), VARCHAR(8000)
// (sqlserver/fabric); unknown names pass through.
std::string TranslateType(const AdapterSpec& spec, const std::string& dtype);
// Quotes one identifier with the adapter's quote characters.
std::string QuoteIdentifier(const AdapterSpec& spec, std::string_view name);

// The Relation objects templates use.
class RelationObject : public jinja::Object {
 public:
  RelationObject(const AdapterSpec* spec, RelationParts parts)
      : spec_(spec), parts_(std::move(parts)) {}
  static jinja::Value Make(const AdapterSpec* spec, RelationParts parts) {
    return jinja::Value::FromObject(std::make_shared<RelationObject>(spec, std::move(parts)));
  }
  std::string_view TypeName() const override { return "Relation"; }
  jinja::Value GetAttr(std::string_view name) const override;
  std::string Str() const override { return RenderRelation(*spec_, parts_); }
  const RelationParts& parts() const { return parts_; }
  const AdapterSpec* spec() const { return spec_; }

 private:
  const AdapterSpec* spec_;
  RelationParts parts_;
};

// api.Relation: create(...), and a few class-level helpers.
jinja::Value MakeRelationFactory(const AdapterSpec* spec, jinja::Value quoting);

struct ColumnInfo {
  std::string name;
  std::string data_type;
};

class ColumnObject : public jinja::Object {
 public:
  ColumnObject(const AdapterSpec* spec, ColumnInfo info) : spec_(spec), info_(std::move(info)) {}
  std::string_view TypeName() const override { return "Column"; }
  jinja::Value GetAttr(std::string_view name) const override;
  std::string Str() const override;

 private:
  const AdapterSpec* spec_;
  ColumnInfo info_;
};

// api.Column: create(name, dtype) and the translate-type helpers.
jinja::Value MakeColumnFactory(const AdapterSpec* spec);

}  // namespace sqlmill::dbt

#endif  // SQLMILL_SERVICES_DBT_COMPILER_ENGINE_ADAPTER_H_

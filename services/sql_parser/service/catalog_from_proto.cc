// Field-by-field conversion, the inverse of services/sql_parser/service/catalog_to_proto.cc.
// The C++ enums mirror the proto enums value for value; out-of-range values (from a newer
// client) become kUnspecified.
#include "services/sql_parser/service/catalog_from_proto.h"

#include <map>

namespace sqlmill {
namespace {

template <typename E>
E EnumFrom(int value, E max) {
  return value >= 0 && value <= static_cast<int>(max) ? static_cast<E>(value) : static_cast<E>(0);
}

class Converter {
 public:
  explicit Converter(tsql::Catalog* catalog) : catalog_(catalog) {}

  tsql::CatalogSpan Span(const v1::SourceSpan& s) {
    tsql::CatalogSpan out;
    // Spans without a position (unset messages) name no file; don't intern "" for them.
    if (!s.file().empty() || s.line() > 0) out.file = File(s.file());
    out.span = {s.offset(), s.length()};
    out.begin = {static_cast<int>(s.line()), static_cast<int>(s.column())};
    out.end = {static_cast<int>(s.end_line()), static_cast<int>(s.end_column())};
    return out;
  }

  static tsql::ObjectName Name(const v1::ObjectName& n) {
    return {n.server(), n.database(), n.schema(), n.name()};
  }

  tsql::Constraint Constraint(const v1::Constraint& c) {
    tsql::Constraint out;
    out.name = c.name();
    out.kind = EnumFrom(c.kind(), tsql::ConstraintKind::kEdge);
    for (const auto& k : c.columns()) out.columns.push_back({k.name(), k.descending()});
    out.clustering = EnumFrom(c.clustering(), tsql::Clustering::kHash);
    out.referenced_table = Name(c.referenced_table());
    out.referenced_columns.assign(c.referenced_columns().begin(), c.referenced_columns().end());
    out.on_delete = EnumFrom(c.on_delete(), tsql::ReferentialAction::kSetDefault);
    out.on_update = EnumFrom(c.on_update(), tsql::ReferentialAction::kSetDefault);
    out.not_for_replication = c.not_for_replication();
    out.expression = c.expression();
    out.not_trusted = c.not_trusted();
    out.disabled = c.disabled();
    out.options.insert(c.options().begin(), c.options().end());
    out.data_space = c.data_space();
    out.span = Span(c.span());
    out.bucket_count = c.bucket_count();
    return out;
  }

  tsql::Column Column(const v1::Column& c) {
    tsql::Column out;
    out.name = c.name();
    out.ordinal = c.ordinal();
    if (c.has_data_type()) out.data_type = DataTypeFromProto(c.data_type());
    out.nullability = EnumFrom(c.nullability(), tsql::Nullability::kNotNull);
    if (c.has_identity()) {
      out.identity = tsql::Identity{c.identity().seed(), c.identity().increment(), c.identity().not_for_replication()};
    }
    if (c.has_computed()) out.computed = tsql::ComputedColumn{c.computed().expression(), c.computed().persisted()};
    if (c.has_default_()) out.default_constraint = Constraint(c.default_());
    out.collation = c.collation();
    out.description = c.description();
    out.rowguidcol = c.rowguidcol();
    out.sparse = c.sparse();
    out.filestream = c.filestream();
    out.masking_function = c.masking_function();
    out.generated_always = EnumFrom(c.generated_always(), tsql::GeneratedAlways::kSequenceNumberEnd);
    out.hidden = c.hidden();
    out.column_set = c.column_set();
    out.span = Span(c.span());
    out.encrypted_with = c.encrypted_with();
    return out;
  }

  tsql::Index Index(const v1::Index& i) {
    tsql::Index out;
    out.name = i.name();
    out.kind = EnumFrom(i.kind(), tsql::IndexKind::kHash);
    out.unique = i.unique();
    for (const auto& k : i.columns()) out.columns.push_back({k.name(), k.descending()});
    out.included_columns.assign(i.included_columns().begin(), i.included_columns().end());
    out.filter = i.filter();
    out.options.insert(i.options().begin(), i.options().end());
    out.data_space = i.data_space();
    out.span = Span(i.span());
    out.primary_xml = i.primary_xml();
    return out;
  }

  std::vector<tsql::ObjectReference> References(
      const google::protobuf::RepeatedPtrField<v1::ObjectReference>& refs) {
    std::vector<tsql::ObjectReference> out;
    for (const auto& r : refs) out.push_back({Name(r.name()), Span(r.span())});
    return out;
  }

  tsql::Table Table(const v1::Table& t) {
    tsql::Table out;
    out.name = t.name();
    for (const auto& c : t.columns()) out.columns.push_back(Column(c));
    if (t.has_primary_key()) out.primary_key = Constraint(t.primary_key());
    for (const auto& c : t.unique_constraints()) out.unique_constraints.push_back(Constraint(c));
    for (const auto& c : t.foreign_keys()) out.foreign_keys.push_back(Constraint(c));
    for (const auto& c : t.check_constraints()) out.check_constraints.push_back(Constraint(c));
    for (const auto& i : t.indexes()) out.indexes.push_back(Index(i));
    out.data_space = t.data_space();
    out.textimage_on = t.textimage_on();
    out.filestream_on = t.filestream_on();
    out.graph_kind = EnumFrom(t.graph_kind(), tsql::GraphKind::kEdge);
    out.memory_optimized = t.memory_optimized();
    out.durability = t.durability();
    out.period_start_column = t.period_start_column();
    out.period_end_column = t.period_end_column();
    out.system_versioned = t.system_versioned();
    out.history_table = Name(t.history_table());
    out.options.insert(t.options().begin(), t.options().end());
    out.description = t.description();
    out.span = Span(t.span());
    for (const auto& m : t.modified_by()) out.modified_by.push_back(Span(m));
    out.ledger = t.ledger();
    for (const auto& c : t.edge_constraints()) out.edge_constraints.push_back(Constraint(c));
    return out;
  }

  tsql::Schema Schema(const v1::Schema& s) {
    tsql::Schema out;
    out.name = s.name();
    out.authorization = s.authorization();
    if (s.has_span()) out.span = Span(s.span());
    out.description = s.description();
    for (const auto& t : s.tables()) out.tables.push_back(Table(t));
    for (const auto& v : s.views()) {
      tsql::View x;
      x.name = v.name();
      x.columns.assign(v.columns().begin(), v.columns().end());
      x.schemabinding = v.schemabinding();
      x.with_check_option = v.with_check_option();
      x.references = References(v.references());
      x.body = Span(v.body());
      x.description = v.description();
      x.span = Span(v.span());
      for (const auto& i : v.indexes()) x.indexes.push_back(Index(i));
      x.options.insert(v.options().begin(), v.options().end());
      out.views.push_back(std::move(x));
    }
    for (const auto& r : s.routines()) {
      tsql::Routine x;
      x.name = r.name();
      x.kind = EnumFrom(r.kind(), tsql::RoutineKind::kClr);
      for (const auto& p : r.parameters()) {
        tsql::Parameter q;
        q.name = p.name();
        q.data_type = DataTypeFromProto(p.data_type());
        q.default_value = p.default_();
        q.output = p.output();
        q.readonly = p.readonly();
        q.varying = p.varying();
        x.parameters.push_back(std::move(q));
      }
      if (r.has_return_type()) x.return_type = DataTypeFromProto(r.return_type());
      for (const auto& c : r.return_columns()) x.return_columns.push_back(Column(c));
      x.return_variable = r.return_variable();
      x.options.insert(r.options().begin(), r.options().end());
      x.references = References(r.references());
      x.body = Span(r.body());
      x.description = r.description();
      x.span = Span(r.span());
      x.external_name = r.external_name();
      out.routines.push_back(std::move(x));
    }
    for (const auto& t : s.triggers()) {
      tsql::Trigger x;
      x.name = t.name();
      x.parent = Name(t.parent());
      x.database_level = t.database_level();
      x.timing = EnumFrom(t.timing(), tsql::TriggerTiming::kInsteadOf);
      x.events.assign(t.events().begin(), t.events().end());
      x.references = References(t.references());
      x.body = Span(t.body());
      x.span = Span(t.span());
      x.disabled = t.disabled();
      x.options.insert(t.options().begin(), t.options().end());
      out.triggers.push_back(std::move(x));
    }
    for (const auto& q : s.sequences()) {
      tsql::Sequence x;
      x.name = q.name();
      if (q.has_data_type()) x.data_type = DataTypeFromProto(q.data_type());
      x.start = q.start();
      x.increment = q.increment();
      x.min_value = q.min_value();
      x.max_value = q.max_value();
      x.cycle = q.cycle();
      x.cache = q.cache();
      x.span = Span(q.span());
      out.sequences.push_back(std::move(x));
    }
    for (const auto& u : s.types()) {
      tsql::UserDefinedType x;
      x.name = u.name();
      x.kind = EnumFrom(u.kind(), tsql::TypeKind::kClr);
      if (u.has_base_type()) x.base_type = DataTypeFromProto(u.base_type());
      x.nullability = EnumFrom(u.nullability(), tsql::Nullability::kNotNull);
      for (const auto& c : u.columns()) x.columns.push_back(Column(c));
      for (const auto& c : u.constraints()) x.constraints.push_back(Constraint(c));
      for (const auto& i : u.indexes()) x.indexes.push_back(Index(i));
      x.memory_optimized = u.memory_optimized();
      x.span = Span(u.span());
      x.external_name = u.external_name();
      out.types.push_back(std::move(x));
    }
    for (const auto& y : s.synonyms()) {
      tsql::Synonym x;
      x.name = y.name();
      x.target = Name(y.target());
      x.span = Span(y.span());
      out.synonyms.push_back(std::move(x));
    }
    return out;
  }

 private:
  uint32_t File(const std::string& name) {
    auto [it, inserted] = files_.try_emplace(name, static_cast<uint32_t>(catalog_->files.size()));
    if (inserted) catalog_->files.push_back(name);
    return it->second;
  }

  tsql::Catalog* catalog_;
  std::map<std::string, uint32_t> files_;
};

}  // namespace

tsql::DataType DataTypeFromProto(const v1::DataType& p) {
  tsql::DataType t;
  t.name = p.name();
  t.schema = p.schema();
  t.is_user_defined = p.is_user_defined();
  t.length = p.length();
  t.is_max = p.is_max();
  t.precision = p.precision();
  t.scale = p.scale();
  t.has_precision = p.has_precision();
  t.has_scale = p.has_scale();
  t.text = p.text();
  t.xml_schema_collection = p.xml_schema_collection();
  return t;
}

tsql::Catalog CatalogFromProto(const v1::Catalog& proto) {
  tsql::Catalog catalog;
  Converter c(&catalog);
  for (const auto& d : proto.databases()) {
    tsql::Database db;
    db.name = d.name();
    if (d.has_span()) db.span = c.Span(d.span());
    for (const auto& s : d.schemas()) db.schemas.push_back(c.Schema(s));
    catalog.databases.push_back(std::move(db));
  }
  return catalog;
}

}  // namespace sqlmill

// Field-by-field conversion of the catalog model; enums map by name.
#include "services/sql_parser/service/catalog_to_proto.h"

#include "google/protobuf/io/coded_stream.h"

#include "common/server/status_mapping.h"

namespace sqlmill {

namespace {

using namespace tsql;  // NOLINT: the engine's catalog types are converted here one by one

// The enums converted by value share their numbering with the proto enums.
static_assert(static_cast<int>(GeneratedAlways::kSequenceNumberEnd) == v1::GENERATED_ALWAYS_SEQUENCE_NUMBER_END);
static_assert(static_cast<int>(IndexKind::kHash) == v1::INDEX_KIND_HASH);
static_assert(static_cast<int>(IndexKind::kXml) == v1::INDEX_KIND_XML);
static_assert(static_cast<int>(GraphKind::kEdge) == v1::GRAPH_KIND_EDGE);
static_assert(static_cast<int>(RoutineKind::kClr) == v1::ROUTINE_KIND_CLR);
static_assert(static_cast<int>(RoutineKind::kTableFunction) == v1::ROUTINE_KIND_TABLE_FUNCTION);
static_assert(static_cast<int>(TriggerTiming::kInsteadOf) == v1::TRIGGER_TIMING_INSTEAD_OF);
static_assert(static_cast<int>(TypeKind::kClr) == v1::TYPE_KIND_CLR);

class Converter {
 public:
  explicit Converter(const Catalog& catalog) : catalog_(catalog) {}

  void Span(const CatalogSpan& s, v1::SourceSpan* out) const {
    const std::string& file = s.file < catalog_.files.size() ? catalog_.files[s.file] : kEmpty;
    SpanToProto(file, s.span, s.begin, s.end, out);
  }

  static void Type(const DataType& t, v1::DataType* out) { DataTypeToProto(t, out); }

  static v1::Nullability Null(Nullability n) {
    switch (n) {
      case Nullability::kNull: return v1::NULLABILITY_NULL;
      case Nullability::kNotNull: return v1::NULLABILITY_NOT_NULL;
      case Nullability::kUnspecified: break;
    }
    return v1::NULLABILITY_UNSPECIFIED;
  }

  void Key(const std::vector<KeyColumn>& keys, google::protobuf::RepeatedPtrField<v1::KeyColumn>* out) const {
    for (const KeyColumn& k : keys) {
      v1::KeyColumn* p = out->Add();
      if (!k.name.empty()) p->set_name(k.name);
      p->set_descending(k.descending);
    }
  }

  static v1::ReferentialAction Action(ReferentialAction a) {
    switch (a) {
      case ReferentialAction::kNoAction: return v1::REFERENTIAL_ACTION_NO_ACTION;
      case ReferentialAction::kCascade: return v1::REFERENTIAL_ACTION_CASCADE;
      case ReferentialAction::kSetNull: return v1::REFERENTIAL_ACTION_SET_NULL;
      case ReferentialAction::kSetDefault: return v1::REFERENTIAL_ACTION_SET_DEFAULT;
      case ReferentialAction::kUnspecified: break;
    }
    return v1::REFERENTIAL_ACTION_UNSPECIFIED;
  }

  void ConstraintTo(const Constraint& c, v1::Constraint* out) const {
    if (!c.name.empty()) out->set_name(c.name);
    switch (c.kind) {
      case ConstraintKind::kPrimaryKey: out->set_kind(v1::CONSTRAINT_KIND_PRIMARY_KEY); break;
      case ConstraintKind::kUnique: out->set_kind(v1::CONSTRAINT_KIND_UNIQUE); break;
      case ConstraintKind::kForeignKey: out->set_kind(v1::CONSTRAINT_KIND_FOREIGN_KEY); break;
      case ConstraintKind::kCheck: out->set_kind(v1::CONSTRAINT_KIND_CHECK); break;
      case ConstraintKind::kDefault: out->set_kind(v1::CONSTRAINT_KIND_DEFAULT); break;
      case ConstraintKind::kEdge: out->set_kind(v1::CONSTRAINT_KIND_EDGE); break;
      case ConstraintKind::kUnspecified: break;
    }
    Key(c.columns, out->mutable_columns());
    switch (c.clustering) {
      case Clustering::kClustered: out->set_clustering(v1::CLUSTERING_CLUSTERED); break;
      case Clustering::kNonclustered: out->set_clustering(v1::CLUSTERING_NONCLUSTERED); break;
      case Clustering::kHash: out->set_clustering(v1::CLUSTERING_HASH); break;
      case Clustering::kUnspecified: break;
    }
    if (!c.referenced_table.empty()) ObjectNameToProto(c.referenced_table, out->mutable_referenced_table());
    for (const std::string& r : c.referenced_columns) out->add_referenced_columns(r);
    out->set_on_delete(Action(c.on_delete));
    out->set_on_update(Action(c.on_update));
    out->set_not_for_replication(c.not_for_replication);
    if (!c.expression.empty()) out->set_expression(c.expression);
    out->set_not_trusted(c.not_trusted);
    out->set_disabled(c.disabled);
    for (const auto& [k, v] : c.options) (*out->mutable_options())[k] = v;
    if (!c.data_space.empty()) out->set_data_space(c.data_space);
    Span(c.span, out->mutable_span());
    out->set_bucket_count(c.bucket_count);
    if (!c.description.empty()) out->set_description(c.description);
  }

  void ColumnTo(const Column& c, v1::Column* out) const {
    if (!c.name.empty()) out->set_name(c.name);
    out->set_ordinal(c.ordinal);
    if (c.data_type) Type(*c.data_type, out->mutable_data_type());
    out->set_nullability(Null(c.nullability));
    if (c.identity) {
      out->mutable_identity()->set_seed(c.identity->seed);
      out->mutable_identity()->set_increment(c.identity->increment);
      out->mutable_identity()->set_not_for_replication(c.identity->not_for_replication);
    }
    if (c.computed) {
      out->mutable_computed()->set_expression(c.computed->expression);
      out->mutable_computed()->set_persisted(c.computed->persisted);
    }
    if (c.default_constraint) ConstraintTo(*c.default_constraint, out->mutable_default_());
    if (!c.collation.empty()) out->set_collation(c.collation);
    if (!c.description.empty()) out->set_description(c.description);
    out->set_rowguidcol(c.rowguidcol);
    out->set_sparse(c.sparse);
    out->set_filestream(c.filestream);
    if (!c.masking_function.empty()) out->set_masking_function(c.masking_function);
    out->set_generated_always(static_cast<v1::GeneratedAlways>(static_cast<int>(c.generated_always)));
    out->set_hidden(c.hidden);
    out->set_column_set(c.column_set);
    Span(c.span, out->mutable_span());
    if (!c.encrypted_with.empty()) out->set_encrypted_with(c.encrypted_with);
  }

  void IndexTo(const Index& i, v1::Index* out) const {
    if (!i.name.empty()) out->set_name(i.name);
    out->set_kind(static_cast<v1::IndexKind>(static_cast<int>(i.kind)));
    out->set_unique(i.unique);
    Key(i.columns, out->mutable_columns());
    for (const std::string& c : i.included_columns) out->add_included_columns(c);
    if (!i.filter.empty()) out->set_filter(i.filter);
    for (const auto& [k, v] : i.options) (*out->mutable_options())[k] = v;
    if (!i.data_space.empty()) out->set_data_space(i.data_space);
    Span(i.span, out->mutable_span());
    out->set_primary_xml(i.primary_xml);
    if (!i.description.empty()) out->set_description(i.description);
  }

  void References(const std::vector<ObjectReference>& refs,
                  google::protobuf::RepeatedPtrField<v1::ObjectReference>* out) const {
    for (const ObjectReference& r : refs) {
      v1::ObjectReference* p = out->Add();
      ObjectNameToProto(r.name, p->mutable_name());
      Span(r.span, p->mutable_span());
    }
  }

  void TableTo(const Table& t, v1::Table* out) const {
    if (!t.name.empty()) out->set_name(t.name);
    for (const Column& c : t.columns) ColumnTo(c, out->add_columns());
    if (t.primary_key) ConstraintTo(*t.primary_key, out->mutable_primary_key());
    for (const Constraint& c : t.unique_constraints) ConstraintTo(c, out->add_unique_constraints());
    for (const Constraint& c : t.foreign_keys) ConstraintTo(c, out->add_foreign_keys());
    for (const Constraint& c : t.check_constraints) ConstraintTo(c, out->add_check_constraints());
    for (const Index& i : t.indexes) IndexTo(i, out->add_indexes());
    if (!t.data_space.empty()) out->set_data_space(t.data_space);
    if (!t.textimage_on.empty()) out->set_textimage_on(t.textimage_on);
    if (!t.filestream_on.empty()) out->set_filestream_on(t.filestream_on);
    out->set_graph_kind(static_cast<v1::GraphKind>(static_cast<int>(t.graph_kind)));
    out->set_memory_optimized(t.memory_optimized);
    if (!t.durability.empty()) out->set_durability(t.durability);
    if (!t.period_start_column.empty()) out->set_period_start_column(t.period_start_column);
    if (!t.period_end_column.empty()) out->set_period_end_column(t.period_end_column);
    out->set_system_versioned(t.system_versioned);
    if (!t.history_table.empty()) ObjectNameToProto(t.history_table, out->mutable_history_table());
    for (const auto& [k, v] : t.options) (*out->mutable_options())[k] = v;
    if (!t.description.empty()) out->set_description(t.description);
    Span(t.span, out->mutable_span());
    for (const CatalogSpan& m : t.modified_by) Span(m, out->add_modified_by());
    out->set_ledger(t.ledger);
    for (const Constraint& c : t.edge_constraints) ConstraintTo(c, out->add_edge_constraints());
  }

  void ViewTo(const View& v, v1::View* out) const {
    if (!v.name.empty()) out->set_name(v.name);
    for (const std::string& c : v.columns) out->add_columns(c);
    out->set_schemabinding(v.schemabinding);
    out->set_with_check_option(v.with_check_option);
    References(v.references, out->mutable_references());
    Span(v.body, out->mutable_body());
    if (!v.description.empty()) out->set_description(v.description);
    Span(v.span, out->mutable_span());
    for (const Index& i : v.indexes) IndexTo(i, out->add_indexes());
    for (const auto& [k, val] : v.options) (*out->mutable_options())[k] = val;
  }

  void RoutineTo(const Routine& r, v1::Routine* out) const {
    if (!r.name.empty()) out->set_name(r.name);
    out->set_kind(static_cast<v1::RoutineKind>(static_cast<int>(r.kind)));
    for (const Parameter& p : r.parameters) {
      v1::Parameter* q = out->add_parameters();
      if (!p.name.empty()) q->set_name(p.name);
      Type(p.data_type, q->mutable_data_type());
      if (!p.default_value.empty()) q->set_default_(p.default_value);
      q->set_output(p.output);
      q->set_readonly(p.readonly);
      q->set_varying(p.varying);
    }
    if (r.return_type) Type(*r.return_type, out->mutable_return_type());
    for (const Column& c : r.return_columns) ColumnTo(c, out->add_return_columns());
    if (!r.return_variable.empty()) out->set_return_variable(r.return_variable);
    for (const auto& [k, v] : r.options) (*out->mutable_options())[k] = v;
    References(r.references, out->mutable_references());
    Span(r.body, out->mutable_body());
    if (!r.description.empty()) out->set_description(r.description);
    Span(r.span, out->mutable_span());
    if (!r.external_name.empty()) out->set_external_name(r.external_name);
  }

  void TriggerTo(const Trigger& t, v1::Trigger* out) const {
    if (!t.name.empty()) out->set_name(t.name);
    if (!t.parent.empty()) ObjectNameToProto(t.parent, out->mutable_parent());
    out->set_database_level(t.database_level);
    out->set_timing(static_cast<v1::TriggerTiming>(static_cast<int>(t.timing)));
    for (const std::string& e : t.events) out->add_events(e);
    References(t.references, out->mutable_references());
    Span(t.body, out->mutable_body());
    Span(t.span, out->mutable_span());
    out->set_disabled(t.disabled);
    for (const auto& [k, v] : t.options) (*out->mutable_options())[k] = v;
  }

  // `release`, when given, is `s` itself: each table's contents are freed as soon as it is
  // converted, so the answer does not sit beside the whole C++ catalog. `budget`, when
  // given, is what the answer may still take: each table's size is taken from it, and the
  // conversion stops (returning false) once it is spent.
  bool SchemaTo(const Schema& s, v1::Schema* out, Schema* release = nullptr,
                int64_t* budget = nullptr) const {
    if (!s.name.empty()) out->set_name(s.name);
    if (!s.authorization.empty()) out->set_authorization(s.authorization);
    if (s.span) Span(*s.span, out->mutable_span());
    for (size_t i = 0; i < s.tables.size(); ++i) {
      v1::Table* table = out->add_tables();
      TableTo(s.tables[i], table);
      if (release != nullptr) release->tables[i] = Table();
      if (budget != nullptr) {
        // What the table takes in the answer: its bytes, its length and its one-byte tag
        // (Schema.tables is field 4). The sum never exceeds the serialized answer.
        const size_t bytes = table->ByteSizeLong();
        *budget -= static_cast<int64_t>(
            bytes + 1 + google::protobuf::io::CodedOutputStream::VarintSize64(bytes));
        if (*budget < 0) return false;
      }
    }
    for (const View& v : s.views) ViewTo(v, out->add_views());
    for (const Routine& r : s.routines) RoutineTo(r, out->add_routines());
    for (const Trigger& t : s.triggers) TriggerTo(t, out->add_triggers());
    for (const Sequence& q : s.sequences) {
      v1::Sequence* p = out->add_sequences();
      if (!q.name.empty()) p->set_name(q.name);
      if (q.data_type) Type(*q.data_type, p->mutable_data_type());
      if (!q.start.empty()) p->set_start(q.start);
      if (!q.increment.empty()) p->set_increment(q.increment);
      if (!q.min_value.empty()) p->set_min_value(q.min_value);
      if (!q.max_value.empty()) p->set_max_value(q.max_value);
      p->set_cycle(q.cycle);
      if (!q.cache.empty()) p->set_cache(q.cache);
      Span(q.span, p->mutable_span());
    }
    for (const UserDefinedType& t : s.types) {
      v1::UserDefinedType* p = out->add_types();
      if (!t.name.empty()) p->set_name(t.name);
      p->set_kind(static_cast<v1::TypeKind>(static_cast<int>(t.kind)));
      if (t.base_type) Type(*t.base_type, p->mutable_base_type());
      p->set_nullability(Null(t.nullability));
      for (const Column& c : t.columns) ColumnTo(c, p->add_columns());
      for (const Constraint& c : t.constraints) ConstraintTo(c, p->add_constraints());
      for (const Index& i : t.indexes) IndexTo(i, p->add_indexes());
      p->set_memory_optimized(t.memory_optimized);
      Span(t.span, p->mutable_span());
      if (!t.external_name.empty()) p->set_external_name(t.external_name);
    }
    for (const Synonym& y : s.synonyms) {
      v1::Synonym* p = out->add_synonyms();
      if (!y.name.empty()) p->set_name(y.name);
      ObjectNameToProto(y.target, p->mutable_target());
      Span(y.span, p->mutable_span());
    }
    if (!s.description.empty()) out->set_description(s.description);
    return true;
  }

 private:
  static inline const std::string kEmpty;
  const Catalog& catalog_;
};

}  // namespace

void DataTypeToProto(const tsql::DataType& t, v1::DataType* out) {
  if (!t.name.empty()) out->set_name(t.name);
  if (!t.schema.empty()) out->set_schema(t.schema);
  out->set_is_user_defined(t.is_user_defined);
  out->set_length(t.length);
  out->set_is_max(t.is_max);
  out->set_precision(t.precision);
  out->set_scale(t.scale);
  out->set_has_precision(t.has_precision);
  out->set_has_scale(t.has_scale);
  if (!t.text.empty()) out->set_text(t.text);
  if (!t.xml_schema_collection.empty()) out->set_xml_schema_collection(t.xml_schema_collection);
}

void CatalogSpanToProto(const tsql::Catalog& catalog, const tsql::CatalogSpan& span, v1::SourceSpan* out) {
  Converter(catalog).Span(span, out);
}

void ObjectNameToProto(const tsql::ObjectName& name, v1::ObjectName* out) {
  if (!name.server.empty()) out->set_server(name.server);
  if (!name.database.empty()) out->set_database(name.database);
  if (!name.schema.empty()) out->set_schema(name.schema);
  if (!name.name.empty()) out->set_name(name.name);
}

void CatalogToProto(const tsql::Catalog& catalog, v1::Catalog* out) {
  Converter converter(catalog);
  for (const tsql::Database& db : catalog.databases) {
    v1::Database* d = out->add_databases();
    if (!db.name.empty()) d->set_name(db.name);
    if (db.span) converter.Span(*db.span, d->mutable_span());
    for (const tsql::Schema& s : db.schemas) converter.SchemaTo(s, d->add_schemas());
  }
}

bool ReleasingCatalogToProto(tsql::Catalog* catalog, v1::Catalog* out, uint64_t max_bytes) {
  Converter converter(*catalog);
  int64_t budget = max_bytes == 0 ? 0 : static_cast<int64_t>(max_bytes);
  for (tsql::Database& db : catalog->databases) {
    v1::Database* d = out->add_databases();
    if (!db.name.empty()) d->set_name(db.name);
    if (db.span) converter.Span(*db.span, d->mutable_span());
    for (tsql::Schema& s : db.schemas) {
      if (!converter.SchemaTo(s, d->add_schemas(), &s, max_bytes == 0 ? nullptr : &budget)) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace sqlmill

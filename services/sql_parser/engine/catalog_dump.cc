// The text dump: one object per line, nested by indentation, spans as @line:col-line:col.
#include "services/sql_parser/engine/catalog_dump.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace sqlmill::tsql {

namespace {

std::string At(const CatalogSpan& s) {
  return absl::StrCat(" @", s.begin.line, ":", s.begin.column, "-", s.end.line, ":", s.end.column);
}

std::string Keys(const std::vector<KeyColumn>& columns) {
  std::vector<std::string> parts;
  for (const KeyColumn& k : columns) parts.push_back(k.descending ? k.name + " DESC" : k.name);
  return absl::StrCat("(", absl::StrJoin(parts, ", "), ")");
}

std::string Options(const std::map<std::string, std::string>& options) {
  if (options.empty()) return "";
  std::vector<std::string> parts;
  for (const auto& [k, v] : options) parts.push_back(v.empty() ? k : absl::StrCat(k, "=", v));
  return absl::StrCat(" WITH(", absl::StrJoin(parts, ", "), ")");
}

const char* ClusteringName(Clustering c) {
  switch (c) {
    case Clustering::kClustered: return " CLUSTERED";
    case Clustering::kNonclustered: return " NONCLUSTERED";
    case Clustering::kHash: return " NONCLUSTERED HASH";
    case Clustering::kUnspecified: return "";
  }
  return "";
}

const char* ActionName(ReferentialAction a) {
  switch (a) {
    case ReferentialAction::kNoAction: return "NO ACTION";
    case ReferentialAction::kCascade: return "CASCADE";
    case ReferentialAction::kSetNull: return "SET NULL";
    case ReferentialAction::kSetDefault: return "SET DEFAULT";
    case ReferentialAction::kUnspecified: return "";
  }
  return "";
}

const char* IndexKindName(IndexKind k) {
  switch (k) {
    case IndexKind::kClustered: return "CLUSTERED";
    case IndexKind::kNonclustered: return "NONCLUSTERED";
    case IndexKind::kClusteredColumnstore: return "CLUSTERED COLUMNSTORE";
    case IndexKind::kNonclusteredColumnstore: return "NONCLUSTERED COLUMNSTORE";
    case IndexKind::kXml: return "XML";
    case IndexKind::kSpatial: return "SPATIAL";
    case IndexKind::kFulltext: return "FULLTEXT";
    case IndexKind::kHash: return "HASH";
    case IndexKind::kUnspecified: return "UNSPECIFIED";
  }
  return "";
}

const char* GeneratedName(GeneratedAlways g) {
  switch (g) {
    case GeneratedAlways::kRowStart: return " GENERATED ROW START";
    case GeneratedAlways::kRowEnd: return " GENERATED ROW END";
    case GeneratedAlways::kTransactionIdStart: return " GENERATED TRANSACTION_ID START";
    case GeneratedAlways::kTransactionIdEnd: return " GENERATED TRANSACTION_ID END";
    case GeneratedAlways::kSequenceNumberStart: return " GENERATED SEQUENCE_NUMBER START";
    case GeneratedAlways::kSequenceNumberEnd: return " GENERATED SEQUENCE_NUMBER END";
    case GeneratedAlways::kUnspecified: return "";
  }
  return "";
}

void DumpConstraint(const Constraint& c, const std::string& indent, std::string* out) {
  const char* kind = "";
  switch (c.kind) {
    case ConstraintKind::kPrimaryKey: kind = "primary key"; break;
    case ConstraintKind::kUnique: kind = "unique"; break;
    case ConstraintKind::kForeignKey: kind = "foreign key"; break;
    case ConstraintKind::kCheck: kind = "check"; break;
    case ConstraintKind::kDefault: kind = "default"; break;
    case ConstraintKind::kEdge: kind = "connection"; break;
    case ConstraintKind::kUnspecified: kind = "constraint"; break;
  }
  absl::StrAppend(out, indent, kind, " ", c.name.empty() ? "<unnamed>" : c.name,
                  ClusteringName(c.clustering));
  if (c.kind != ConstraintKind::kDefault && !c.columns.empty()) absl::StrAppend(out, " ", Keys(c.columns));
  if (c.kind == ConstraintKind::kForeignKey) {
    absl::StrAppend(out, " -> ", c.referenced_table.ToString(), " (",
                    absl::StrJoin(c.referenced_columns, ", "), ")");
    if (c.on_delete != ReferentialAction::kUnspecified) absl::StrAppend(out, " ON DELETE ", ActionName(c.on_delete));
    if (c.on_update != ReferentialAction::kUnspecified) absl::StrAppend(out, " ON UPDATE ", ActionName(c.on_update));
  }
  if (c.kind == ConstraintKind::kEdge && c.on_delete == ReferentialAction::kCascade) {
    absl::StrAppend(out, " ON DELETE CASCADE");
  }
  if (!c.expression.empty()) absl::StrAppend(out, " ", c.expression);
  if (c.not_for_replication) absl::StrAppend(out, " NOT FOR REPLICATION");
  if (c.not_trusted) absl::StrAppend(out, " NOT TRUSTED");
  if (c.disabled) absl::StrAppend(out, " DISABLED");
  if (c.bucket_count != 0) absl::StrAppend(out, " BUCKET_COUNT=", c.bucket_count);
  absl::StrAppend(out, Options(c.options));
  if (!c.data_space.empty()) absl::StrAppend(out, " ON ", c.data_space);
  absl::StrAppend(out, At(c.span), "\n");
  if (!c.description.empty()) absl::StrAppend(out, indent, "  description \"", c.description, "\"\n");
}

void DumpColumn(const Column& c, const std::string& indent, std::string* out) {
  absl::StrAppend(out, indent, "column ", c.ordinal, " ", c.name);
  if (c.data_type) absl::StrAppend(out, " ", c.data_type->text);
  if (c.computed) absl::StrAppend(out, " AS ", c.computed->expression, c.computed->persisted ? " PERSISTED" : "");
  if (!c.collation.empty()) absl::StrAppend(out, " COLLATE ", c.collation);
  if (c.nullability == Nullability::kNull) absl::StrAppend(out, " NULL");
  if (c.nullability == Nullability::kNotNull) absl::StrAppend(out, " NOT NULL");
  if (c.identity) {
    absl::StrAppend(out, " IDENTITY(", c.identity->seed, ",", c.identity->increment, ")",
                    c.identity->not_for_replication ? " NOT FOR REPLICATION" : "");
  }
  if (c.rowguidcol) absl::StrAppend(out, " ROWGUIDCOL");
  if (c.sparse) absl::StrAppend(out, " SPARSE");
  if (c.filestream) absl::StrAppend(out, " FILESTREAM");
  if (c.column_set) absl::StrAppend(out, " COLUMN_SET");
  if (!c.masking_function.empty()) absl::StrAppend(out, " MASKED(", c.masking_function, ")");
  absl::StrAppend(out, GeneratedName(c.generated_always));
  if (c.hidden) absl::StrAppend(out, " HIDDEN");
  if (!c.encrypted_with.empty()) absl::StrAppend(out, " ENCRYPTED(", c.encrypted_with, ")");
  absl::StrAppend(out, At(c.span), "\n");
  if (c.default_constraint) DumpConstraint(*c.default_constraint, indent + "  ", out);
  if (!c.description.empty()) absl::StrAppend(out, indent, "  description \"", c.description, "\"\n");
}

void DumpIndex(const Index& i, const std::string& indent, std::string* out) {
  absl::StrAppend(out, indent, "index ", i.name, " ", i.unique ? "UNIQUE " : "",
                  i.primary_xml ? "PRIMARY " : "", IndexKindName(i.kind));
  if (!i.columns.empty()) absl::StrAppend(out, " ", Keys(i.columns));
  if (!i.included_columns.empty()) absl::StrAppend(out, " INCLUDE (", absl::StrJoin(i.included_columns, ", "), ")");
  if (!i.filter.empty()) absl::StrAppend(out, " WHERE ", i.filter);
  absl::StrAppend(out, Options(i.options));
  if (!i.data_space.empty()) absl::StrAppend(out, " ON ", i.data_space);
  absl::StrAppend(out, At(i.span), "\n");
  if (!i.description.empty()) absl::StrAppend(out, indent, "  description \"", i.description, "\"\n");
}

void DumpReferences(const std::vector<ObjectReference>& refs, const std::string& indent, std::string* out) {
  for (const ObjectReference& r : refs) absl::StrAppend(out, indent, "reads ", r.name.ToString(), At(r.span), "\n");
}

void DumpParameters(const std::vector<Parameter>& params, const std::string& indent, std::string* out) {
  for (const Parameter& p : params) {
    absl::StrAppend(out, indent, "parameter ", p.name, " ", p.data_type.text);
    if (p.varying) absl::StrAppend(out, " VARYING");
    if (!p.default_value.empty()) absl::StrAppend(out, " = ", p.default_value);
    if (p.output) absl::StrAppend(out, " OUTPUT");
    if (p.readonly) absl::StrAppend(out, " READONLY");
    absl::StrAppend(out, "\n");
  }
}

const char* RoutineKindName(RoutineKind k) {
  switch (k) {
    case RoutineKind::kProcedure: return "procedure";
    case RoutineKind::kScalarFunction: return "scalar function";
    case RoutineKind::kInlineTableFunction: return "inline table function";
    case RoutineKind::kTableFunction: return "table function";
    case RoutineKind::kClr: return "clr routine";
    case RoutineKind::kUnspecified: return "routine";
  }
  return "routine";
}

}  // namespace

std::string SummarizeCounts(const CatalogCounts& c) {
  std::vector<std::string> parts;
  auto add = [&](int n, const char* one, const char* many) {
    if (n > 0) parts.push_back(absl::StrCat(n, " ", n == 1 ? one : many));
  };
  add(c.schemas, "schema", "schemas");
  add(c.tables, "table", "tables");
  add(c.columns, "column", "columns");
  add(c.primary_keys, "primary key", "primary keys");
  add(c.unique_constraints, "unique constraint", "unique constraints");
  add(c.foreign_keys, "foreign key", "foreign keys");
  add(c.check_constraints, "check constraint", "check constraints");
  add(c.default_constraints, "default", "defaults");
  add(c.indexes, "index", "indexes");
  add(c.views, "view", "views");
  add(c.procedures, "procedure", "procedures");
  add(c.functions, "function", "functions");
  add(c.triggers, "trigger", "triggers");
  add(c.sequences, "sequence", "sequences");
  add(c.types, "type", "types");
  add(c.synonyms, "synonym", "synonyms");
  if (parts.empty()) return "no objects";
  return absl::StrJoin(parts, ", ");
}

std::string DumpCatalog(const Catalog& catalog) {
  std::string out;
  for (const Database& db : catalog.databases) {
    absl::StrAppend(&out, "database \"", db.name, "\"", db.span ? At(*db.span) : "", "\n");
    for (const Schema& s : db.schemas) {
      absl::StrAppend(&out, "  schema ", s.name);
      if (!s.authorization.empty()) absl::StrAppend(&out, " AUTHORIZATION ", s.authorization);
      absl::StrAppend(&out, s.span ? At(*s.span) : "", "\n");
      if (!s.description.empty()) absl::StrAppend(&out, "    description \"", s.description, "\"\n");
      for (const Table& t : s.tables) {
        absl::StrAppend(&out, "    table ", s.name, ".", t.name);
        if (t.graph_kind == GraphKind::kNode) absl::StrAppend(&out, " AS NODE");
        if (t.graph_kind == GraphKind::kEdge) absl::StrAppend(&out, " AS EDGE");
        if (!t.data_space.empty()) absl::StrAppend(&out, " ON ", t.data_space);
        if (!t.textimage_on.empty()) absl::StrAppend(&out, " TEXTIMAGE_ON ", t.textimage_on);
        if (!t.filestream_on.empty()) absl::StrAppend(&out, " FILESTREAM_ON ", t.filestream_on);
        if (t.memory_optimized) absl::StrAppend(&out, " MEMORY_OPTIMIZED");
        if (!t.durability.empty()) absl::StrAppend(&out, " DURABILITY=", t.durability);
        if (t.system_versioned) absl::StrAppend(&out, " SYSTEM_VERSIONED");
        if (!t.history_table.empty()) absl::StrAppend(&out, " HISTORY=", t.history_table.ToString());
        if (t.ledger) absl::StrAppend(&out, " LEDGER");
        absl::StrAppend(&out, Options(t.options), At(t.span), "\n");
        if (!t.description.empty()) absl::StrAppend(&out, "      description \"", t.description, "\"\n");
        if (!t.period_start_column.empty()) {
          absl::StrAppend(&out, "      period SYSTEM_TIME (", t.period_start_column, ", ",
                          t.period_end_column, ")\n");
        }
        for (const Column& c : t.columns) DumpColumn(c, "      ", &out);
        if (t.primary_key) DumpConstraint(*t.primary_key, "      ", &out);
        for (const Constraint& c : t.unique_constraints) DumpConstraint(c, "      ", &out);
        for (const Constraint& c : t.foreign_keys) DumpConstraint(c, "      ", &out);
        for (const Constraint& c : t.check_constraints) DumpConstraint(c, "      ", &out);
        for (const Constraint& c : t.edge_constraints) DumpConstraint(c, "      ", &out);
        for (const Index& i : t.indexes) DumpIndex(i, "      ", &out);
        for (const CatalogSpan& m : t.modified_by) absl::StrAppend(&out, "      modified by", At(m), "\n");
      }
      for (const View& v : s.views) {
        absl::StrAppend(&out, "    view ", s.name, ".", v.name);
        if (!v.columns.empty()) absl::StrAppend(&out, " (", absl::StrJoin(v.columns, ", "), ")");
        if (v.schemabinding) absl::StrAppend(&out, " SCHEMABINDING");
        if (v.with_check_option) absl::StrAppend(&out, " WITH CHECK OPTION");
        absl::StrAppend(&out, Options(v.options), At(v.span), "\n");
        if (!v.description.empty()) absl::StrAppend(&out, "      description \"", v.description, "\"\n");
        absl::StrAppend(&out, "      body", At(v.body), "\n");
        DumpReferences(v.references, "      ", &out);
        for (const Index& i : v.indexes) DumpIndex(i, "      ", &out);
      }
      for (const Routine& r : s.routines) {
        absl::StrAppend(&out, "    ", RoutineKindName(r.kind), " ", s.name, ".", r.name);
        if (r.return_type) absl::StrAppend(&out, " RETURNS ", r.return_type->text);
        if (!r.return_variable.empty()) absl::StrAppend(&out, " RETURNS ", r.return_variable, " TABLE");
        if (!r.external_name.empty()) absl::StrAppend(&out, " EXTERNAL NAME ", r.external_name);
        absl::StrAppend(&out, Options(r.options), At(r.span), "\n");
        if (!r.description.empty()) absl::StrAppend(&out, "      description \"", r.description, "\"\n");
        DumpParameters(r.parameters, "      ", &out);
        for (const Column& c : r.return_columns) DumpColumn(c, "      ", &out);
        absl::StrAppend(&out, "      body", At(r.body), "\n");
        DumpReferences(r.references, "      ", &out);
      }
      for (const Trigger& t : s.triggers) {
        absl::StrAppend(&out, "    trigger ", s.name, ".", t.name, " ON ",
                        t.database_level ? "DATABASE" : t.parent.ToString(),
                        t.timing == TriggerTiming::kInsteadOf ? " INSTEAD OF " : " AFTER ",
                        absl::StrJoin(t.events, ", "), t.disabled ? " DISABLED" : "", Options(t.options),
                        At(t.span), "\n");
        absl::StrAppend(&out, "      body", At(t.body), "\n");
        DumpReferences(t.references, "      ", &out);
      }
      for (const Sequence& q : s.sequences) {
        absl::StrAppend(&out, "    sequence ", s.name, ".", q.name);
        if (q.data_type) absl::StrAppend(&out, " AS ", q.data_type->text);
        if (!q.start.empty()) absl::StrAppend(&out, " START ", q.start);
        if (!q.increment.empty()) absl::StrAppend(&out, " INCREMENT ", q.increment);
        if (!q.min_value.empty()) absl::StrAppend(&out, " MIN ", q.min_value);
        if (!q.max_value.empty()) absl::StrAppend(&out, " MAX ", q.max_value);
        if (q.cycle) absl::StrAppend(&out, " CYCLE");
        if (!q.cache.empty()) {
          const bool size = q.cache != "CACHE" && q.cache != "NO CACHE";
          absl::StrAppend(&out, size ? " CACHE " : " ", q.cache);
        }
        absl::StrAppend(&out, At(q.span), "\n");
      }
      for (const UserDefinedType& t : s.types) {
        absl::StrAppend(&out, "    type ", s.name, ".", t.name);
        if (t.kind == TypeKind::kAlias && t.base_type) absl::StrAppend(&out, " FROM ", t.base_type->text);
        if (t.nullability == Nullability::kNotNull) absl::StrAppend(&out, " NOT NULL");
        if (t.nullability == Nullability::kNull) absl::StrAppend(&out, " NULL");
        if (t.kind == TypeKind::kTable) absl::StrAppend(&out, " AS TABLE");
        if (t.kind == TypeKind::kClr) absl::StrAppend(&out, " EXTERNAL NAME ", t.external_name);
        if (t.memory_optimized) absl::StrAppend(&out, " MEMORY_OPTIMIZED");
        absl::StrAppend(&out, At(t.span), "\n");
        for (const Column& c : t.columns) DumpColumn(c, "      ", &out);
        for (const Constraint& c : t.constraints) DumpConstraint(c, "      ", &out);
        for (const Index& i : t.indexes) DumpIndex(i, "      ", &out);
      }
      for (const Synonym& y : s.synonyms) {
        absl::StrAppend(&out, "    synonym ", s.name, ".", y.name, " FOR ", y.target.ToString(), At(y.span), "\n");
      }
    }
  }
  return out;
}

std::string DumpParseOutput(const ParseOutput& output) {
  std::string out = DumpCatalog(output.catalog);
  if (!output.statements.empty()) {
    absl::StrAppend(&out, "statements\n");
    for (const StatementInfo& s : output.statements) {
      absl::StrAppend(&out, "  ", s.batch, " ", s.kind);
      if (!s.target.empty()) absl::StrAppend(&out, " ", s.target.ToString());
      if (s.applied) absl::StrAppend(&out, " [applied]");
      if (s.error) absl::StrAppend(&out, " [error]");
      absl::StrAppend(&out, At(s.span), "\n");
    }
  }
  if (!output.diagnostics.empty()) {
    absl::StrAppend(&out, "diagnostics\n");
    for (const Diagnostic& d : output.diagnostics) absl::StrAppend(&out, FormatDiagnostic(d), "\n");
  }
  return out;
}

}  // namespace sqlmill::tsql

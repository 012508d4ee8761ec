// AstBuilder, indexes: CREATE [UNIQUE] [CLUSTERED|NONCLUSTERED] [COLUMNSTORE] INDEX, XML and
// spatial indexes (on tables and indexed views), and DROP INDEX in both spellings.
#include "absl/strings/str_cat.h"
#include "services/sql_parser/engine/internal/ast_builder.h"

namespace sqlmill::tsql::internal {

namespace {

std::vector<Index>* ViewIndexesOf(Schema* schema, std::string_view object) {
  if (schema == nullptr) return nullptr;
  for (View& v : schema->views) {
    if (EqualsIgnoreCase(v.name, object)) return &v.indexes;
  }
  return nullptr;
}

bool EraseIndex(std::vector<Index>* indexes, std::string_view name) {
  for (auto it = indexes->begin(); it != indexes->end(); ++it) {
    if (EqualsIgnoreCase(it->name, name)) {
      indexes->erase(it);
      return true;
    }
  }
  return false;
}

}  // namespace

BuildResult AstBuilder::BuildCreateIndex(P::CreateIndexContext* ctx) {
  Index index;
  index.span = statement_span();
  P::QualifiedNameContext* on = nullptr;
  if (auto* r = dynamic_cast<P::RegularIndexContext*>(ctx)) {
    index.name = Ident(r->identifier());
    on = r->qualifiedName();
    index.unique = r->K_UNIQUE() != nullptr;
    P::ClusteringContext* cl = r->clustering();
    const bool clustered = cl != nullptr && cl->K_CLUSTERED() != nullptr;
    if (r->K_COLUMNSTORE() != nullptr) {
      index.kind = clustered ? IndexKind::kClusteredColumnstore : IndexKind::kNonclusteredColumnstore;
    } else if (cl != nullptr && cl->K_HASH() != nullptr) {
      index.kind = IndexKind::kHash;
    } else {
      index.kind = clustered ? IndexKind::kClustered : IndexKind::kNonclustered;
    }
    index.columns = BuildKeyColumns(r->keyColumn());
    if (r->identifierList() != nullptr) {
      for (auto* id : r->identifierList()->identifier()) index.included_columns.push_back(Ident(id));
    }
    if (r->expression() != nullptr) index.filter = TextOf(r->expression());
    int32_t bucket_count = 0;
    BuildIndexWith(r->indexWith(), &index.options, &bucket_count);
    if (r->onDataSpace() != nullptr) {
      index.data_space = DataSpace(r->onDataSpace());
    }
  } else if (auto* x = dynamic_cast<P::XmlIndexContext*>(ctx)) {
    index.name = Ident(x->identifier(0));
    on = x->qualifiedName();
    index.kind = IndexKind::kXml;
    index.primary_xml = x->K_PRIMARY() != nullptr;
    index.columns.push_back(KeyColumn{Ident(x->identifier(1)), false});
    BuildIndexWith(x->indexWith(), &index.options, nullptr);
  } else if (auto* s = dynamic_cast<P::SpatialIndexContext*>(ctx)) {
    index.name = Ident(s->identifier(0));
    on = s->qualifiedName();
    index.kind = IndexKind::kSpatial;
    index.columns.push_back(KeyColumn{Ident(s->identifier(1)), false});
    BuildIndexWith(s->indexWith(), &index.options, nullptr);
  }
  const ObjectName written = Name(on);
  const ResolvedName name = Resolve(written);
  Table* table = FindTable(name);
  std::vector<Index>* indexes =
      table != nullptr ? &table->indexes : ViewIndexesOf(FindSchema(name), name.name);
  if (indexes == nullptr) {
    Warn("unknown-table",
         absl::StrCat("CREATE INDEX ", index.name, " is on ", written.ToString(),
                      ", which this script has not created; the index is not recorded"),
         on);
    return {written, false};
  }
  for (Index& existing : *indexes) {
    if (EqualsIgnoreCase(existing.name, index.name)) {
      existing = std::move(index);  // DROP_EXISTING = ON, or a later definition
      return {written, true};
    }
  }
  indexes->push_back(std::move(index));
  if (table != nullptr) table->modified_by.push_back(statement_span());
  return {written, true};
}

BuildResult AstBuilder::BuildDropIndexes(P::DropIndexesContext* ctx) {
  BuildResult result;
  for (P::DropIndexItemContext* item : ctx->dropIndexItem()) {
    ObjectName table_name;
    std::string index_name;
    if (item->K_ON() != nullptr) {
      index_name = Ident(item->identifier());
      table_name = Name(item->qualifiedName());
    } else {
      // DROP INDEX table.index (the old spelling)
      ObjectName n = Name(item->qualifiedName());
      index_name = n.name;
      table_name.name = n.schema;
      table_name.schema = n.database;
      table_name.database = n.server;
    }
    if (result.target.empty()) result.target = table_name;
    const ResolvedName resolved = Resolve(table_name);
    Table* table = FindTable(resolved);
    std::vector<Index>* indexes =
        table != nullptr ? &table->indexes : ViewIndexesOf(FindSchema(resolved), resolved.name);
    if (indexes != nullptr && EraseIndex(indexes, index_name)) result.applied = true;
  }
  return result;
}

}  // namespace sqlmill::tsql::internal

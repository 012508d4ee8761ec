// Conversion of the catalog model (engine/catalog.h) to the sqlmill.v1 messages of
// catalog.proto; catalog_from_proto.h is the inverse. Mechanical, field for field. Needs
// only the catalog model, not the parser, so the validator shares it. Stateless; thread-safe.
//
//   v1::Catalog proto;
//   CatalogToProto(catalog, &proto);
#ifndef SQLMILL_SERVICES_SQL_PARSER_SERVICE_CATALOG_TO_PROTO_H_
#define SQLMILL_SERVICES_SQL_PARSER_SERVICE_CATALOG_TO_PROTO_H_

#include "services/sql_parser/engine/catalog.h"
#include "sqlmill/v1/catalog.pb.h"

namespace sqlmill {

void CatalogToProto(const tsql::Catalog& catalog, v1::Catalog* out);
// The same, freeing each table's contents once it is converted (the tables stay, empty):
// for a server answering a big script, where the C++ catalog is not needed afterwards.
// Returns false, leaving the conversion unfinished, as soon as the tables converted so far
// take more than max_bytes serialized (0 = no limit).
bool ReleasingCatalogToProto(tsql::Catalog* catalog, v1::Catalog* out, uint64_t max_bytes);
void ObjectNameToProto(const tsql::ObjectName& name, v1::ObjectName* out);
void DataTypeToProto(const tsql::DataType& type, v1::DataType* out);
// A span of `catalog` (its file index resolved through catalog.files).
void CatalogSpanToProto(const tsql::Catalog& catalog, const tsql::CatalogSpan& span, v1::SourceSpan* out);

}  // namespace sqlmill

#endif  // SQLMILL_SERVICES_SQL_PARSER_SERVICE_CATALOG_TO_PROTO_H_

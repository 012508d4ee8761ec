// Converts a sqlmill.v1.Catalog (the message sql_parser returns, e.g. sent back by a client
// to the validator) into the plain-C++ catalog; the inverse of catalog_to_proto.h. File names in the spans are interned into Catalog::files.
//
// Stateless; thread-safe.
//
//   tsql::Catalog catalog = CatalogFromProto(request.schema().catalog());
#ifndef SQLMILL_SERVICES_SQL_PARSER_SERVICE_CATALOG_FROM_PROTO_H_
#define SQLMILL_SERVICES_SQL_PARSER_SERVICE_CATALOG_FROM_PROTO_H_

#include "services/sql_parser/engine/catalog.h"
#include "sqlmill/v1/catalog.pb.h"

namespace sqlmill {

tsql::Catalog CatalogFromProto(const v1::Catalog& proto);
tsql::DataType DataTypeFromProto(const v1::DataType& proto);

}  // namespace sqlmill

#endif  // SQLMILL_SERVICES_SQL_PARSER_SERVICE_CATALOG_FROM_PROTO_H_

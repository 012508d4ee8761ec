// SqlParserServiceImpl: the thin gRPC adapter over the sql_parser engine.
//
// Each RPC validates the request, turns its options into tsql::ParseOptions (with the
// service's limits), runs the engine with a CancellationToken tied to the call (the
// client's deadline and ServerContext::IsCancelled), and converts the result with
// catalog_to_proto. Content findings come back as diagnostics in an OK response; absl
// statuses map one-to-one onto gRPC codes (ToGrpcStatus). No metrics here: the server's
// interceptor records them.
//
// Thread-safety: the service object is immutable after construction; gRPC may call it from
// many threads at once.
//
//   SqlParserServiceImpl service(SqlParserServiceOptions{});
//   builder.RegisterService(&service);
#ifndef SQLMILL_SERVICES_SQL_PARSER_SERVICE_SQL_PARSER_SERVICE_H_
#define SQLMILL_SERVICES_SQL_PARSER_SERVICE_SQL_PARSER_SERVICE_H_

#include <cstdint>

#include "common/base/limits.h"
#include "sqlmill/v1/sql_parser.grpc.pb.h"

namespace sqlmill {

struct SqlParserServiceOptions {
  // limits.max_input_bytes bounds one script (and each file of ParseFiles);
  // max_nesting_depth and max_work_units are passed to the engine.
  Limits limits;
  uint64_t max_total_bytes = 256ull << 20;  // all files of one ParseFiles request
  int max_files = 10000;                    // files in one ParseFiles request
};

class SqlParserServiceImpl : public v1::SqlParserService::Service {
 public:
  explicit SqlParserServiceImpl(SqlParserServiceOptions options) : options_(options) {}

  grpc::Status ParseScript(grpc::ServerContext* context, const v1::ParseScriptRequest* request,
                           v1::ParseScriptResponse* response) override;
  grpc::Status ParseFiles(grpc::ServerContext* context, const v1::ParseFilesRequest* request,
                          v1::ParseFilesResponse* response) override;
  grpc::Status ParseScriptStream(grpc::ServerContext* context,
                                 grpc::ServerReader<v1::ParseScriptChunk>* reader,
                                 v1::ParseScriptResponse* response) override;

 private:
  SqlParserServiceOptions options_;
};

}  // namespace sqlmill

#endif  // SQLMILL_SERVICES_SQL_PARSER_SERVICE_SQL_PARSER_SERVICE_H_

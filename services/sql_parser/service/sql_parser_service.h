// SqlParserServiceImpl: the thin gRPC adapter over the sql_parser engine.
//
// A callback-API service: each RPC's work runs on the server's worker pool through the
// CallScheduler (queued, shed when the queue is full, expired when its deadline passes in
// the queue); ParseScriptStream reads its chunks on gRPC's threads and queues the parse
// once the script is complete. The work validates the request, turns its options into
// tsql::ParseOptions (with the service's limits), runs the engine with a CancellationToken
// tied to the call (the client's deadline and IsCancelled), and converts the result with
// parse_output_to_proto. Content findings come back as diagnostics in an OK response; absl
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
#include "common/server/arena_allocator.h"
#include "common/server/call_scheduler.h"
#include "sqlmill/v1/sql_parser.grpc.pb.h"

namespace sqlmill {

struct SqlParserServiceOptions {
  // limits.max_input_bytes bounds one script (and each file of ParseFiles);
  // max_nesting_depth and max_work_units are passed to the engine.
  Limits limits;
  uint64_t max_total_bytes = 256ull << 20;  // all files of one ParseFiles request
  int max_files = 10000;                    // files in one ParseFiles request
  CallScheduler* scheduler = nullptr;       // null: a pool of the service's own
};

class SqlParserServiceImpl : public v1::SqlParserService::CallbackService {
 public:
  explicit SqlParserServiceImpl(SqlParserServiceOptions options);

  grpc::ServerUnaryReactor* ParseScript(grpc::CallbackServerContext* context,
                                        const v1::ParseScriptRequest* request,
                                        v1::ParseScriptResponse* response) override;
  grpc::ServerUnaryReactor* ParseFiles(grpc::CallbackServerContext* context,
                                       const v1::ParseFilesRequest* request,
                                       v1::ParseFilesResponse* response) override;
  grpc::ServerReadReactor<v1::ParseScriptChunk>* ParseScriptStream(
      grpc::CallbackServerContext* context, v1::ParseScriptResponse* response) override;

 private:
  class StreamReactor;

  grpc::Status DoParseScript(grpc::CallbackServerContext* context,
                             const v1::ParseScriptRequest* request,
                             v1::ParseScriptResponse* response) const;
  grpc::Status DoParseFiles(grpc::CallbackServerContext* context,
                            const v1::ParseFilesRequest* request,
                            v1::ParseFilesResponse* response) const;

  SqlParserServiceOptions options_;
  OwnedScheduler own_scheduler_;
  // Each unary call's messages on one arena (they must outlive the server, as the service does).
  ArenaMessageAllocator<v1::ParseScriptRequest, v1::ParseScriptResponse> parse_script_allocator_;
  ArenaMessageAllocator<v1::ParseFilesRequest, v1::ParseFilesResponse> parse_files_allocator_;
  CallScheduler* scheduler_;
  const CallScheduler::Method* parse_script_;
  const CallScheduler::Method* parse_files_;
  const CallScheduler::Method* parse_script_stream_;
};

}  // namespace sqlmill

#endif  // SQLMILL_SERVICES_SQL_PARSER_SERVICE_SQL_PARSER_SERVICE_H_

// Per-call interceptor: timing, byte counts, status code → metrics and a JSON log line.
#include "common/server/rpc_interceptor.h"

#include <chrono>
#include <string>

#include "google/protobuf/message_lite.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/byte_buffer.h"

namespace sqlmill {
namespace {

using grpc::experimental::InterceptionHookPoints;

class RpcInterceptor : public grpc::experimental::Interceptor {
 public:
  RpcInterceptor(grpc::experimental::ServerRpcInfo* info, GrpcServerMetrics* metrics,
                 JsonLogger* logger)
      : info_(info),
        metrics_(metrics),
        logger_(logger),
        method_(&metrics->Find(info->method())),
        start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      start_ = std::chrono::steady_clock::now();
      metrics_->Started(*method_);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      // The received message is type-erased. sqlmill's services and reflection are
      // protobuf-generated (a MessageLite); gRPC's built-in health service is written over
      // raw ByteBuffers, so its messages must be read as such.
      void* msg = methods->GetRecvMessage();
      // A unary request arrives with the call; no message means its bytes did not parse.
      if (msg == nullptr && method_->unary) malformed_request_ = true;
      if (msg != nullptr) {
        const uint64_t bytes =
            method_->raw_messages ? static_cast<grpc::ByteBuffer*>(msg)->Length()
                         : static_cast<google::protobuf::MessageLite*>(msg)->ByteSizeLong();
        request_bytes_ += bytes;
        metrics_->MessageReceived(*method_, bytes);
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      if (grpc::ByteBuffer* buffer = methods->GetSerializedSendMessage()) {
        const uint64_t bytes = buffer->Length();
        response_bytes_ += bytes;
        metrics_->MessageSent(*method_, bytes);
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = methods->GetSendStatus();
      if (malformed_request_ && status.error_message().empty() &&
          (status.error_code() == grpc::StatusCode::INTERNAL ||
           status.error_code() == grpc::StatusCode::UNIMPLEMENTED)) {
        // gRPC answers a registered method's request it cannot deserialize with an empty
        // INTERNAL (sync API) or UNIMPLEMENTED (callback API); it is the client's error.
        status = grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            "request is not a valid " +
                (method_->request_type.empty() ? std::string("request message")
                                               : method_->request_type) +
                " (the protobuf bytes do not decode) for " + method_->path);
        methods->ModifySendStatus(status);
      }
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      const std::string_view code = GrpcCodeName(status.error_code());
      metrics_->Handled(*method_, static_cast<int>(status.error_code()), code, seconds);
      if (logger_ != nullptr) {
        const std::string peer =
            info_->server_context() != nullptr ? info_->server_context()->peer() : "";
        // Only a registered method's path is logged: an unknown path is client text.
        logger_->Batched(LogLevel::kInfo, "rpc", {{"method", method_->path},
                              {"code", std::string(code)},
                              {"duration_ms", seconds * 1000.0},
                              {"request_bytes", request_bytes_},
                              {"response_bytes", response_bytes_},
                              {"peer", peer}});
      }
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  GrpcServerMetrics* metrics_;
  JsonLogger* logger_;
  const GrpcServerMetrics::Method* method_;
  std::chrono::steady_clock::time_point start_;
  uint64_t request_bytes_ = 0;
  bool malformed_request_ = false;
  uint64_t response_bytes_ = 0;
};

}  // namespace

std::string_view GrpcCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return "OK";
    case grpc::StatusCode::CANCELLED: return "CANCELLED";
    case grpc::StatusCode::UNKNOWN: return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND: return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED: return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE: return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED: return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL: return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS: return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED: return "UNAUTHENTICATED";
    default: return "UNKNOWN";
  }
}

grpc::experimental::Interceptor* RpcInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RpcInterceptor(info, metrics_, logger_);
}

}  // namespace sqlmill

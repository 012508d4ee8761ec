// The adapter: validate → options → engine → proto.
#include "services/sql_parser/service/sql_parser_service.h"

#include <chrono>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/server/call_scheduler.h"
#include "common/server/status_mapping.h"
#include "services/sql_parser/engine/parser.h"
#include "services/sql_parser/service/parse_output_to_proto.h"

namespace sqlmill {

namespace {

constexpr char kDefaultName[] = "script.sql";

absl::Status ValidateOptions(const v1::ParseOptions& options) {
  for (const auto& [name, value] : options.sqlcmd_variables()) {
    if (name.empty()) return absl::InvalidArgumentError("sqlcmd variable with an empty name");
    for (char c : name) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-';
      if (!ok) {
        return absl::InvalidArgumentError(
            absl::StrCat("sqlcmd variable name '", name, "' has a character other than letters, digits, '_' or '-'"));
      }
    }
  }
  if (!v1::DetailLevel_IsValid(options.detail())) {
    return absl::InvalidArgumentError(absl::StrCat("unknown detail level ", options.detail()));
  }
  return absl::OkStatus();
}

}  // namespace

SqlParserServiceImpl::SqlParserServiceImpl(SqlParserServiceOptions options)
    : options_(options), scheduler_(own_scheduler_.Resolve(options.scheduler, options.limits)) {
  constexpr char kService[] = "sqlmill.v1.SqlParserService";
  parse_script_ = scheduler_->RegisterMethod(kService, "ParseScript");
  parse_files_ = scheduler_->RegisterMethod(kService, "ParseFiles");
  parse_script_stream_ = scheduler_->RegisterMethod(kService, "ParseScriptStream");
  SetMessageAllocatorFor_ParseScript(&parse_script_allocator_);
  SetMessageAllocatorFor_ParseFiles(&parse_files_allocator_);
}

// Parsing is linear in the input: a script this small takes well under a millisecond, so
// it may run on the gRPC thread that read it (CallScheduler::Unary's `small`).
constexpr size_t kSmallInputBytes = 16 * 1024;

grpc::ServerUnaryReactor* SqlParserServiceImpl::ParseScript(grpc::CallbackServerContext* context,
                                                            const v1::ParseScriptRequest* request,
                                                            v1::ParseScriptResponse* response) {
  return scheduler_->Unary(context, parse_script_, response,
                           [=, this] { return DoParseScript(context, request, response); },
                           request->file().content().size() <= kSmallInputBytes);
}

grpc::ServerUnaryReactor* SqlParserServiceImpl::ParseFiles(grpc::CallbackServerContext* context,
                                                           const v1::ParseFilesRequest* request,
                                                           v1::ParseFilesResponse* response) {
  return scheduler_->Unary(context, parse_files_, response,
                           [=, this] { return DoParseFiles(context, request, response); });
}

grpc::Status SqlParserServiceImpl::DoParseScript(grpc::CallbackServerContext* context,
                                                 const v1::ParseScriptRequest* request,
                                                 v1::ParseScriptResponse* response) const {
  if (absl::Status s = ValidateOptions(request->options()); !s.ok()) return ToGrpcStatus(s);
  if (absl::Status s = CheckInputSize("script", request->file().content().size(),
                                      options_.limits.max_input_bytes);
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  CancellationToken cancel;
  scheduler_->Bind(context, &cancel);
  const std::string name = request->file().name().empty() ? kDefaultName : request->file().name();
  absl::StatusOr<tsql::ParseOutput> output =
      tsql::ParseScript({name, request->file().content()},
                        ParseOptionsFromProto(request->options(), options_.limits), &cancel);
  if (!output.ok()) return ToGrpcStatus(output.status());
  if (absl::Status s = ParseOutputToProto(std::move(*output), response,
                                         options_.limits.max_response_bytes);
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  // The answer is built: over the memory budget now, it is not sent.
  return ToGrpcStatus(cancel.Check());
}

grpc::Status SqlParserServiceImpl::DoParseFiles(grpc::CallbackServerContext* context,
                                                const v1::ParseFilesRequest* request,
                                                v1::ParseFilesResponse* response) const {
  if (absl::Status s = ValidateOptions(request->options()); !s.ok()) return ToGrpcStatus(s);
  if (request->files_size() == 0) {
    return ToGrpcStatus(absl::InvalidArgumentError("ParseFiles needs at least one file"));
  }
  if (request->files_size() > options_.max_files) {
    return ToGrpcStatus(absl::ResourceExhaustedError(absl::StrCat(
        "request has ", request->files_size(), " files, over the limit of ", options_.max_files)));
  }
  uint64_t total = 0;
  std::vector<tsql::ScriptInput> inputs;
  inputs.reserve(request->files_size());
  for (int i = 0; i < request->files_size(); ++i) {
    const v1::SourceFile& f = request->files(i);
    total += f.content().size();
    inputs.push_back({f.name().empty() ? absl::StrCat("file", i, ".sql") : f.name(), f.content()});
  }
  if (absl::Status s = CheckInputSize("all files together", total, options_.max_total_bytes); !s.ok()) {
    return ToGrpcStatus(s);
  }
  CancellationToken cancel;
  scheduler_->Bind(context, &cancel);
  absl::StatusOr<tsql::ParseOutput> output =
      tsql::ParseFiles(inputs, ParseOptionsFromProto(request->options(), options_.limits), &cancel);
  if (!output.ok()) return ToGrpcStatus(output.status());
  if (absl::Status s = ParseOutputToProto(std::move(*output), response,
                                         options_.limits.max_response_bytes);
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  // The answer is built: over the memory budget now, it is not sent.
  return ToGrpcStatus(cancel.Check());
}

// Reads the chunks on gRPC's threads (appending is cheap; no worker is held while the
// client sends), then queues the parse on the pool once the stream is complete.
class SqlParserServiceImpl::StreamReactor : public grpc::ServerReadReactor<v1::ParseScriptChunk> {
 public:
  StreamReactor(const SqlParserServiceImpl* service, grpc::CallbackServerContext* context,
                v1::ParseScriptResponse* response)
      : service_(service), context_(context), response_(response) {
    StartRead(&chunk_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client has sent everything (or gone away: the queue checks that)
      service_->scheduler_->Submit(
          context_, service_->parse_script_stream_,
          [this] {
            grpc::Status status = Parse();
            return status.ok() ? service_->scheduler_->CheckResponseSize(*response_) : status;
          },
          [this](const grpc::Status& status) { Finish(status); });
      return;
    }
    if (first_) {
      name_ = chunk_.name();
      options_ = chunk_.options();
      first_ = false;
    } else if (!chunk_.name().empty() || chunk_.has_options()) {
      Finish(ToGrpcStatus(absl::InvalidArgumentError(
          "only the first ParseScriptChunk may carry a name and options")));
      return;
    }
    // Stop reading as soon as the script is too big (or cannot fit the memory budget),
    // before buffering the rest.
    const uint64_t size = content_.size() + chunk_.content().size();
    absl::Status s = CheckInputSize("script", size, service_->options_.limits.max_input_bytes);
    if (s.ok()) {
      s = CheckMemoryEstimate(
          absl::StrCat("script ", name_.empty() ? kDefaultName : name_, " (so far)"), size,
          tsql::kParseBytesPerInputByte, service_->options_.limits.max_call_memory_bytes);
    }
    if (!s.ok()) {
      Finish(ToGrpcStatus(s));
      return;
    }
    content_ += chunk_.content();
    StartRead(&chunk_);
  }

  void OnDone() override { delete this; }

 private:
  grpc::Status Parse() {
    if (absl::Status s = ValidateOptions(options_); !s.ok()) return ToGrpcStatus(s);
    CancellationToken cancel;
    service_->scheduler_->Bind(context_, &cancel);
    absl::StatusOr<tsql::ParseOutput> output = tsql::ParseScript(
        {name_.empty() ? kDefaultName : name_, content_},
        ParseOptionsFromProto(options_, service_->options_.limits), &cancel);
    if (!output.ok()) return ToGrpcStatus(output.status());
    if (absl::Status s = ParseOutputToProto(std::move(*output), response_,
                                           service_->options_.limits.max_response_bytes);
        !s.ok()) {
      return ToGrpcStatus(s);
    }
    return ToGrpcStatus(cancel.Check());
  }

  const SqlParserServiceImpl* service_;
  grpc::CallbackServerContext* context_;
  v1::ParseScriptResponse* response_;
  v1::ParseScriptChunk chunk_;
  bool first_ = true;
  std::string name_;
  v1::ParseOptions options_;
  std::string content_;
};

grpc::ServerReadReactor<v1::ParseScriptChunk>* SqlParserServiceImpl::ParseScriptStream(
    grpc::CallbackServerContext* context, v1::ParseScriptResponse* response) {
  return new StreamReactor(this, context, response);
}

}  // namespace sqlmill

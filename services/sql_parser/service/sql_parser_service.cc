// The adapter: validate → options → engine → proto.
#include "services/sql_parser/service/sql_parser_service.h"

#include <chrono>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/server/status_mapping.h"
#include "services/sql_parser/engine/parser.h"
#include "services/sql_parser/service/parse_output_to_proto.h"

namespace sqlmill {

namespace {

constexpr char kDefaultName[] = "script.sql";

// Ties a token to the call: the client's deadline and its cancellation.
void BindToCall(grpc::ServerContext* context, CancellationToken* cancel) {
  const auto deadline = context->deadline();
  if (deadline != std::chrono::system_clock::time_point::max()) {
    const auto remaining = deadline - std::chrono::system_clock::now();
    cancel->set_deadline(CancellationToken::Clock::now() +
                         std::chrono::duration_cast<CancellationToken::Clock::duration>(remaining));
  }
  cancel->set_probe([context] { return context->IsCancelled(); });
}

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

grpc::Status SqlParserServiceImpl::ParseScript(grpc::ServerContext* context,
                                               const v1::ParseScriptRequest* request,
                                               v1::ParseScriptResponse* response) {
  if (absl::Status s = ValidateOptions(request->options()); !s.ok()) return ToGrpcStatus(s);
  if (absl::Status s = CheckInputSize("script", request->file().content().size(),
                                      options_.limits.max_input_bytes);
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  CancellationToken cancel;
  BindToCall(context, &cancel);
  const std::string name = request->file().name().empty() ? kDefaultName : request->file().name();
  absl::StatusOr<tsql::ParseOutput> output =
      tsql::ParseScript({name, request->file().content()},
                        ParseOptionsFromProto(request->options(), options_.limits), &cancel);
  if (!output.ok()) return ToGrpcStatus(output.status());
  ParseOutputToProto(*output, response);
  return grpc::Status::OK;
}

grpc::Status SqlParserServiceImpl::ParseFiles(grpc::ServerContext* context,
                                              const v1::ParseFilesRequest* request,
                                              v1::ParseFilesResponse* response) {
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
  BindToCall(context, &cancel);
  absl::StatusOr<tsql::ParseOutput> output =
      tsql::ParseFiles(inputs, ParseOptionsFromProto(request->options(), options_.limits), &cancel);
  if (!output.ok()) return ToGrpcStatus(output.status());
  ParseOutputToProto(*output, response);
  return grpc::Status::OK;
}

grpc::Status SqlParserServiceImpl::ParseScriptStream(grpc::ServerContext* context,
                                                     grpc::ServerReader<v1::ParseScriptChunk>* reader,
                                                     v1::ParseScriptResponse* response) {
  CancellationToken cancel;
  BindToCall(context, &cancel);
  v1::ParseScriptChunk chunk;
  std::string name;
  v1::ParseOptions options;
  std::string content;
  bool first = true;
  while (reader->Read(&chunk)) {
    if (first) {
      name = chunk.name();
      options = chunk.options();
      first = false;
    } else if (!chunk.name().empty() || chunk.has_options()) {
      return ToGrpcStatus(absl::InvalidArgumentError(
          "only the first ParseScriptChunk may carry a name and options"));
    }
    // Stop reading as soon as the script is too big, before buffering the rest.
    if (absl::Status s = CheckInputSize("script", content.size() + chunk.content().size(),
                                        options_.limits.max_input_bytes);
        !s.ok()) {
      return ToGrpcStatus(s);
    }
    content += chunk.content();
    if (absl::Status s = cancel.Check(); !s.ok()) return ToGrpcStatus(s);
  }
  if (absl::Status s = ValidateOptions(options); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<tsql::ParseOutput> output = tsql::ParseScript(
      {name.empty() ? kDefaultName : name, content}, ParseOptionsFromProto(options, options_.limits),
      &cancel);
  if (!output.ok()) return ToGrpcStatus(output.status());
  ParseOutputToProto(*output, response);
  return grpc::Status::OK;
}

}  // namespace sqlmill

// `sqlmill batch [--server host:port]`: the same units, each call sent to a running server.
#include "absl/strings/str_cat.h"
#include "common/server/status_mapping.h"
#include "sqlmill/v1/dbt_compiler.grpc.pb.h"
#include "sqlmill/v1/schema_validator.grpc.pb.h"
#include "sqlmill/v1/sql_parser.grpc.pb.h"
#include "tools/batch/batch_command.h"
#include "tools/batch/batch_remote.h"
#include "tools/remote.h"

namespace sqlmill {

int RunBatchCli(std::vector<std::string> args, std::ostream& out, std::ostream& err) {
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      out << batch::BatchUsage() << "\n" << RemoteFlagsHelp();
      return 0;
    }
  }
  RemoteOptions remote;
  if (absl::Status s = ParseRemoteFlags(&args, &remote); !s.ok()) {
    err << "sqlmill batch: " << s.message() << "\n";
    return batch::kExitUsage;
  }
  if (remote.server.empty()) return batch::RunBatchCommand(args, batch::InProcessCalls(), out, err);
  auto channel = MakeChannel(remote);
  if (!channel.ok()) {
    err << "sqlmill batch: " << channel.status().message() << "\n";
    return batch::kExitUsage;
  }
  auto parser = v1::SqlParserService::NewStub(*channel);
  auto validator = v1::SchemaValidatorService::NewStub(*channel);
  auto dbt = v1::DbtCompilerService::NewStub(*channel);
  auto answered = [&remote](const grpc::Status& status) {
    absl::Status s = FromGrpcStatus(status);
    if (s.ok() || status.error_code() != grpc::StatusCode::UNAVAILABLE) return s;
    return absl::UnavailableError(absl::StrCat(remote.server, " is unavailable: ", s.message()));
  };
  batch::BatchCalls calls;
  calls.parse = [&](const v1::ParseFilesRequest& r) -> absl::StatusOr<v1::ParseFilesResponse> {
    v1::ParseFilesResponse response;
    auto context = MakeContext(remote);
    if (absl::Status s = answered(parser->ParseFiles(context.get(), r, &response)); !s.ok()) return s;
    return response;
  };
  calls.validate = [&](const v1::ValidateRequest& r) -> absl::StatusOr<v1::ValidateResponse> {
    v1::ValidateResponse response;
    auto context = MakeContext(remote);
    if (absl::Status s = answered(validator->Validate(context.get(), r, &response)); !s.ok()) return s;
    return response;
  };
  calls.scaffold = [&](const v1::ScaffoldProjectRequest& r) -> absl::StatusOr<v1::ScaffoldProjectResponse> {
    v1::ScaffoldProjectResponse response;
    auto context = MakeContext(remote);
    if (absl::Status s = answered(dbt->ScaffoldProject(context.get(), r, &response)); !s.ok()) return s;
    return response;
  };
  return batch::RunBatchCommand(args, calls, out, err);
}

}  // namespace sqlmill

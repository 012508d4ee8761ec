// `sqlmill validate|diff [--server host:port]`.
#include "tools/validate_remote.h"

#include "absl/strings/str_cat.h"
#include "common/server/status_mapping.h"
#include "services/schema_validator/validate_command.h"
#include "sqlmill/v1/schema_validator.grpc.pb.h"
#include "tools/remote.h"

namespace sqlmill {
namespace {

enum class Command { kValidate, kDiff };

int Run(Command command, std::vector<std::string> args, std::ostream& out, std::ostream& err) {
  const char* name = command == Command::kValidate ? "validate" : "diff";
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      out << (command == Command::kValidate ? validator::ValidateUsage() : validator::DiffUsage()) << "\n"
          << RemoteFlagsHelp();
      return 0;
    }
  }
  RemoteOptions remote;
  if (absl::Status s = ParseRemoteFlags(&args, &remote); !s.ok()) {
    err << "sqlmill " << name << ": " << s.message() << "\n";
    return 2;
  }
  if (remote.server.empty()) {
    return command == Command::kValidate ? validator::RunValidateCommand(args, out, err)
                                         : validator::RunDiffCommand(args, out, err);
  }
  auto channel = MakeChannel(remote);
  if (!channel.ok()) {
    err << "sqlmill " << name << ": " << channel.status().message() << "\n";
    return 2;
  }
  std::shared_ptr<v1::SchemaValidatorService::Stub> stub = v1::SchemaValidatorService::NewStub(*channel);
  // A failed call names the server, so a CI log tells a bad schema from an unreachable one.
  auto answered = [&remote](const grpc::Status& status) {
    absl::Status s = FromGrpcStatus(status);
    if (s.ok() || status.error_code() != grpc::StatusCode::UNAVAILABLE) return s;
    return absl::UnavailableError(absl::StrCat(remote.server, " is unavailable: ", s.message()));
  };
  validator::ValidatorCalls calls;
  calls.validate = [&](const v1::ValidateRequest& request) -> absl::StatusOr<v1::ValidateResponse> {
    v1::ValidateResponse response;
    auto context = MakeContext(remote);
    if (absl::Status s = answered(stub->Validate(context.get(), request, &response)); !s.ok()) return s;
    return response;
  };
  calls.diff = [&](const v1::DiffRequest& request) -> absl::StatusOr<v1::DiffResponse> {
    v1::DiffResponse response;
    auto context = MakeContext(remote);
    if (absl::Status s = answered(stub->Diff(context.get(), request, &response)); !s.ok()) return s;
    return response;
  };
  return command == Command::kValidate ? validator::RunValidateCommandVia(args, calls, out, err)
                                       : validator::RunDiffCommandVia(args, calls, out, err);
}

}  // namespace

int RunValidateCli(std::vector<std::string> args, std::ostream& out, std::ostream& err) {
  return Run(Command::kValidate, std::move(args), out, err);
}

int RunDiffCli(std::vector<std::string> args, std::ostream& out, std::ostream& err) {
  return Run(Command::kDiff, std::move(args), out, err);
}

}  // namespace sqlmill

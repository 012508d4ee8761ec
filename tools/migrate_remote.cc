// `sqlmill migrate [--server host:port]`.
#include "tools/migrate_remote.h"

#include "absl/strings/str_cat.h"
#include "common/server/status_mapping.h"
#include "services/dbt_compiler/migrate_command.h"
#include "sqlmill/v1/dbt_compiler.grpc.pb.h"
#include "tools/remote.h"

namespace sqlmill {

int RunMigrateCli(std::vector<std::string> args, std::ostream& out, std::ostream& err) {
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      out << dbt::MigrateUsage() << "\n" << RemoteFlagsHelp();
      return 0;
    }
  }
  RemoteOptions remote;
  if (absl::Status s = ParseRemoteFlags(&args, &remote); !s.ok()) {
    err << "sqlmill migrate: " << s.message() << "\n";
    return 2;
  }
  if (remote.server.empty()) return dbt::RunMigrateCommand(args, out, err);
  auto channel = MakeChannel(remote);
  if (!channel.ok()) {
    err << "sqlmill migrate: " << channel.status().message() << "\n";
    return 2;
  }
  std::shared_ptr<v1::DbtCompilerService::Stub> stub = v1::DbtCompilerService::NewStub(*channel);
  return dbt::RunMigrateCommandVia(
      args,
      [&](const v1::ScaffoldProjectRequest& request) -> absl::StatusOr<v1::ScaffoldProjectResponse> {
        v1::ScaffoldProjectResponse response;
        auto context = MakeContext(remote);
        const grpc::Status status = stub->ScaffoldProject(context.get(), request, &response);
        if (status.ok()) return response;
        absl::Status s = FromGrpcStatus(status);
        if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
          return absl::UnavailableError(absl::StrCat(remote.server, " is unavailable: ", s.message()));
        }
        return s;
      },
      out, err);
}

}  // namespace sqlmill

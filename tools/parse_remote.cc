// `sqlmill parse [--server host:port]`.
#include "tools/parse_remote.h"

#include "common/server/status_mapping.h"
#include "services/sql_parser/parse_command.h"
#include "sqlmill/v1/sql_parser.grpc.pb.h"
#include "tools/remote.h"

namespace sqlmill {

int RunParseCli(std::vector<std::string> args, std::ostream& out, std::ostream& err) {
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      RunParseCommand({"--help"}, out, err);
      out << "\n" << RemoteFlagsHelp();
      return 0;
    }
  }
  RemoteOptions remote;
  if (absl::Status s = ParseRemoteFlags(&args, &remote); !s.ok()) {
    err << "sqlmill parse: " << s.message() << "\n";
    return 2;
  }
  if (remote.server.empty()) return RunParseCommand(args, out, err);

  auto parsed = ParseParseCommandArgs(args);
  if (!parsed.ok()) {
    err << "sqlmill parse: " << parsed.status().message() << "\n";
    return 2;
  }
  auto request = BuildParseFilesRequest(*parsed);
  if (!request.ok()) {
    err << "sqlmill parse: " << request.status().message() << "\n";
    return 2;
  }
  auto channel = MakeChannel(remote);
  if (!channel.ok()) {
    err << "sqlmill parse: " << channel.status().message() << "\n";
    return 2;
  }
  auto stub = v1::SqlParserService::NewStub(*channel);
  v1::ParseFilesResponse response;
  auto context = MakeContext(remote);
  grpc::Status status = stub->ParseFiles(context.get(), *request, &response);
  if (!status.ok()) {
    err << "sqlmill parse: " << remote.server << " answered "
        << static_cast<int>(status.error_code()) << " (" << status.error_message() << ")\n";
    return 2;
  }
  if (parsed->json) {
    if (absl::Status s = PrintParseJson(response, out); !s.ok()) {
      err << "sqlmill parse: " << s.message() << "\n";
      return 2;
    }
  } else {
    PrintParseSummary(response, out);
  }
  return ParseExitCode(response);
}

}  // namespace sqlmill

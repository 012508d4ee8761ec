// civetweb handlers for /metrics, /healthz and /readyz.
#include "common/server/admin_http.h"

#include <functional>

#include "CivetServer.h"
#include "absl/strings/str_cat.h"
#include "common/metrics/exposition.h"

namespace sqlmill {
namespace {

class TextHandler : public CivetHandler {
 public:
  using Producer = std::function<std::pair<int, std::string>()>;
  TextHandler(std::string content_type, Producer producer)
      : content_type_(std::move(content_type)), producer_(std::move(producer)) {}

  bool handleGet(CivetServer*, mg_connection* conn) override { return Answer(conn, true); }
  // HEAD is what many probes and load balancers send: the same status and headers.
  bool handleHead(CivetServer*, mg_connection* conn) override { return Answer(conn, false); }

 private:
  bool Answer(mg_connection* conn, bool with_body) {
    auto [code, body] = producer_();
    mg_printf(conn,
              "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
              "Connection: close\r\n\r\n",
              code, code == 200 ? "OK" : "Service Unavailable", content_type_.c_str(),
              body.size());
    if (with_body) mg_write(conn, body.data(), body.size());
    return true;
  }

  std::string content_type_;
  Producer producer_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<AdminHttpServer>> AdminHttpServer::Start(
    const std::string& host, int port,
    std::vector<std::shared_ptr<prometheus::Collectable>> collectables) {
  std::unique_ptr<AdminHttpServer> admin(new AdminHttpServer());
  admin->collectables_ = std::move(collectables);
  const std::string listen = absl::StrCat(host == "0.0.0.0" || host.empty() ? "" : host + ":",
                                          port);
  std::vector<std::string> options = {"listening_ports", listen, "num_threads", "2",
                                      "enable_keep_alive", "no"};
  try {
    admin->server_ = std::make_unique<CivetServer>(options);
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve admin HTTP on ", listen, ": ", e.what()));
  }
  std::vector<int> ports = admin->server_->getListeningPorts();
  admin->port_ = ports.empty() ? port : ports[0];

  AdminHttpServer* self = admin.get();
  auto add = [&](const char* uri, const char* type, TextHandler::Producer p) {
    admin->handlers_.push_back(std::make_unique<TextHandler>(type, std::move(p)));
    admin->server_->addHandler(uri, admin->handlers_.back().get());
  };
  add("/metrics", "text/plain; version=0.0.4; charset=utf-8",
      [self] { return std::make_pair(200, RenderPrometheusText(self->collectables_)); });
  add("/healthz", "text/plain", [] { return std::make_pair(200, std::string("ok\n")); });
  add("/readyz", "text/plain", [self] {
    return self->ready() ? std::make_pair(200, std::string("ready\n"))
                         : std::make_pair(503, std::string("draining\n"));
  });
  return admin;
}

AdminHttpServer::~AdminHttpServer() {
  if (server_) server_->close();
}

}  // namespace sqlmill

// Server option validation and flag parsing.
#include "common/server/server_options.h"

#include <charconv>
#include <cstdlib>
#include <functional>
#include <map>

#include "absl/strings/str_cat.h"

namespace sqlmill {
namespace {

absl::Status BadValue(const std::string& flag, const std::string& value, const char* expected) {
  return absl::InvalidArgumentError(
      absl::StrCat("flag --", flag, ": expected ", expected, " but found '", value, "'"));
}

absl::Status ParseInt(const std::string& flag, const std::string& v, int64_t* out) {
  const char* end = v.data() + v.size();
  auto [ptr, ec] = std::from_chars(v.data(), end, *out);
  if (ec != std::errc() || ptr != end) return BadValue(flag, v, "an integer");
  return absl::OkStatus();
}

absl::Status ParseDouble(const std::string& flag, const std::string& v, double* out) {
  char* end = nullptr;
  *out = std::strtod(v.c_str(), &end);
  if (v.empty() || end != v.c_str() + v.size()) return BadValue(flag, v, "a number");
  return absl::OkStatus();
}

absl::Status ParseBool(const std::string& flag, const std::string& v, bool* out) {
  if (v == "true" || v == "1" || v.empty()) {
    *out = true;
  } else if (v == "false" || v == "0") {
    *out = false;
  } else {
    return BadValue(flag, v, "true or false");
  }
  return absl::OkStatus();
}

using Setter = std::function<absl::Status(const std::string& flag, const std::string& value,
                                          ServerOptions* o)>;

Setter Int(int ServerOptions::*field) {
  return [field](const std::string& f, const std::string& v, ServerOptions* o) {
    int64_t x;
    absl::Status s = ParseInt(f, v, &x);
    if (s.ok()) o->*field = static_cast<int>(x);
    return s;
  };
}
Setter Double(double ServerOptions::*field) {
  return [field](const std::string& f, const std::string& v, ServerOptions* o) {
    return ParseDouble(f, v, &(o->*field));
  };
}
Setter String(std::string ServerOptions::*field) {
  return [field](const std::string&, const std::string& v, ServerOptions* o) {
    o->*field = v;
    return absl::OkStatus();
  };
}
Setter TlsString(std::string TlsOptions::*field) {
  return [field](const std::string&, const std::string& v, ServerOptions* o) {
    o->tls.*field = v;
    return absl::OkStatus();
  };
}

struct FlagSpec {
  Setter set;
  bool is_bool;
  const char* help;
};

const std::map<std::string, FlagSpec>& Flags() {
  static const auto* flags = new std::map<std::string, FlagSpec>{
      {"host", {String(&ServerOptions::host), false, "address to listen on (default 0.0.0.0)"}},
      {"port", {Int(&ServerOptions::port), false, "gRPC port; 0 picks a free one (default 50051)"}},
      {"admin_port",
       {Int(&ServerOptions::admin_port), false,
        "HTTP port for /metrics /healthz /readyz; -1 disables (default 9090)"}},
      {"admin_host", {String(&ServerOptions::admin_host), false, "admin address (default: --host)"}},
      {"max_message_bytes",
       {[](const std::string& f, const std::string& v, ServerOptions* o) {
          return ParseInt(f, v, &o->max_message_bytes);
        },
        false, "largest request or response message (default 67108864)"}},
      {"workers",
       {Int(&ServerOptions::workers), false,
        "threads that run calls (parse, compile, validate, render); 0 = one per core"}},
      {"max_queued_calls",
       {Int(&ServerOptions::max_queued_calls), false,
        "calls that may wait for a worker; beyond it calls are shed with RESOURCE_EXHAUSTED "
        "and a retry pushback (default 512)"}},
      {"keepalive_time_seconds", {Int(&ServerOptions::keepalive_time_seconds), false,
                                  "server keepalive ping interval (default 60)"}},
      {"keepalive_timeout_seconds", {Int(&ServerOptions::keepalive_timeout_seconds), false,
                                     "keepalive ping timeout (default 20)"}},
      {"max_connection_age_seconds", {Int(&ServerOptions::max_connection_age_seconds), false,
                                      "close connections after this age (default 300)"}},
      {"max_connection_age_grace_seconds",
       {Int(&ServerOptions::max_connection_age_grace_seconds), false,
        "time given to calls on an aged connection (default 30)"}},
      {"shutdown_drain_seconds", {Double(&ServerOptions::shutdown_drain_seconds), false,
                                  "on SIGTERM, seconds NOT_SERVING before stopping (default 0)"}},
      {"shutdown_grace_seconds", {Double(&ServerOptions::shutdown_grace_seconds), false,
                                  "on SIGTERM, seconds in-flight calls get to finish (default 25)"}},
      {"tls_cert_file", {TlsString(&TlsOptions::cert_file), false, "PEM certificate chain"}},
      {"tls_key_file", {TlsString(&TlsOptions::key_file), false, "PEM private key"}},
      {"tls_ca_file", {TlsString(&TlsOptions::ca_file), false, "PEM CA for client certificates"}},
      {"tls_require_client_cert",
       {[](const std::string& f, const std::string& v, ServerOptions* o) {
          return ParseBool(f, v, &o->tls.require_client_cert);
        },
        true, "require and verify client certificates (mTLS)"}},
      {"log_rpcs",
       {[](const std::string& f, const std::string& v, ServerOptions* o) {
          return ParseBool(f, v, &o->log_rpcs);
        },
        true, "log one JSON line per RPC (default true)"}},
      {"log_level",
       {[](const std::string& f, const std::string& v, ServerOptions* o) {
          if (v == "debug") o->log_level = LogLevel::kDebug;
          else if (v == "info") o->log_level = LogLevel::kInfo;
          else if (v == "warning") o->log_level = LogLevel::kWarning;
          else if (v == "error") o->log_level = LogLevel::kError;
          else return BadValue(f, v, "debug, info, warning or error");
          return absl::OkStatus();
        },
        false, "debug, info, warning or error (default info)"}},
  };
  return *flags;
}

}  // namespace

absl::Status ValidateServerOptions(const ServerOptions& o) {
  auto bad = [](const char* what) { return absl::InvalidArgumentError(what); };
  if (o.port < 0 || o.port > 65535) return bad("--port must be between 0 and 65535");
  if (o.admin_port < -1 || o.admin_port > 65535) {
    return bad("--admin_port must be -1 (disabled) or between 0 and 65535");
  }
  if (o.admin_port > 0 && o.admin_port == o.port) {
    return bad("--admin_port must differ from --port");
  }
  if (o.max_message_bytes <= 0 || o.max_message_bytes > (int64_t{1} << 31) - 1) {
    return bad("--max_message_bytes must be between 1 and 2147483647");
  }
  if (o.workers < 0) return bad("--workers must be >= 0");
  if (o.max_queued_calls < 0) return bad("--max_queued_calls must be >= 0");
  if (o.keepalive_time_seconds <= 0 || o.keepalive_timeout_seconds <= 0) {
    return bad("--keepalive_time_seconds and --keepalive_timeout_seconds must be > 0");
  }
  if (o.max_connection_age_seconds <= 0 || o.max_connection_age_grace_seconds < 0) {
    return bad("--max_connection_age_seconds must be > 0 and its grace >= 0");
  }
  if (o.shutdown_drain_seconds < 0 || o.shutdown_grace_seconds < 0) {
    return bad("--shutdown_drain_seconds and --shutdown_grace_seconds must be >= 0");
  }
  if (o.tls.enabled() && (o.tls.cert_file.empty() || o.tls.key_file.empty())) {
    return bad("TLS needs both --tls_cert_file and --tls_key_file");
  }
  if (o.tls.require_client_cert && (o.tls.ca_file.empty() || !o.tls.enabled())) {
    return bad("--tls_require_client_cert needs --tls_ca_file, --tls_cert_file and --tls_key_file");
  }
  return absl::OkStatus();
}

absl::Status ParseServerFlags(std::vector<std::string>* args, ServerOptions* options) {
  std::vector<std::string> rest;
  for (size_t i = 0; i < args->size(); ++i) {
    const std::string& arg = (*args)[i];
    if (arg.rfind("--", 0) != 0) {
      rest.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    bool has_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    auto it = Flags().find(name);
    if (it == Flags().end()) {
      rest.push_back(arg);
      continue;
    }
    if (!has_value && !it->second.is_bool) {
      if (i + 1 >= args->size()) {
        return absl::InvalidArgumentError(absl::StrCat("flag --", name, " needs a value"));
      }
      value = (*args)[++i];
    }
    absl::Status s = it->second.set(name, value, options);
    if (!s.ok()) return s;
  }
  *args = std::move(rest);
  return absl::OkStatus();
}

std::string ServerFlagsHelp() {
  std::string out = "Server flags:\n";
  for (const auto& [name, spec] : Flags()) {
    std::string left = absl::StrCat("  --", name, spec.is_bool ? "" : "=VALUE");
    if (left.size() < 40) left.resize(40, ' ');
    absl::StrAppend(&out, left, " ", spec.help, "\n");
  }
  return out;
}

}  // namespace sqlmill

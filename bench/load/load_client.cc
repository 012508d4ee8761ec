// sqlmill_load: a closed-loop gRPC load generator for bench/load/run_load.py.
//
// Keeps exactly --concurrency calls in flight over --connections HTTP/2 connections, each
// call sending the same serialized request (--request, the bytes of the request message)
// to --method, for --seconds after --warmup_seconds. One thread drives a completion queue
// through gRPC's generic stub, so the client costs little CPU beside the server on the
// same machine. Prints one JSON object: calls, seconds, calls_per_second, latency
// percentiles in microseconds and the count of each gRPC status code the client saw.
// With --rate, calls start on a fixed schedule (open loop) with at most --concurrency in
// flight; a latency counts from the scheduled start, so a server that falls behind shows
// it (no coordinated omission), and starts that found every slot busy are counted.
// A client-streaming method (ParseScriptStream) gets the request as the stream's one
// message: on the wire that is byte-identical to a unary call of the same message.
//
//   sqlmill-load --target=127.0.0.1:50051 --method=/sqlmill.v1.SqlParserService/ParseScript
//                --request=req.bin --concurrency=32 --seconds=5
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Flags {
  std::string target = "127.0.0.1:50051";
  std::string method;
  std::string request;
  int concurrency = 1;
  int connections = 0;  // 0 = min(4, concurrency)
  double seconds = 5;
  double warmup_seconds = 1;
  int deadline_ms = 0;  // 0 = none
  double rate = 0;      // > 0: open loop, start calls at this many per second
};

const char* CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::OK: return "OK";
    case grpc::CANCELLED: return "CANCELLED";
    case grpc::UNKNOWN: return "UNKNOWN";
    case grpc::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::NOT_FOUND: return "NOT_FOUND";
    case grpc::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case grpc::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case grpc::ABORTED: return "ABORTED";
    case grpc::OUT_OF_RANGE: return "OUT_OF_RANGE";
    case grpc::UNIMPLEMENTED: return "UNIMPLEMENTED";
    case grpc::INTERNAL: return "INTERNAL";
    case grpc::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::DATA_LOSS: return "DATA_LOSS";
    case grpc::UNAUTHENTICATED: return "UNAUTHENTICATED";
    default: return "UNKNOWN";
  }
}

bool ParseFlags(int argc, char** argv, Flags* f) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    const size_t eq = a.find('=');
    if (a.rfind("--", 0) != 0 || eq == std::string::npos) {
      std::cerr << "sqlmill_load: expected --name=value, got '" << a << "'\n";
      return false;
    }
    const std::string name = a.substr(2, eq - 2), v = a.substr(eq + 1);
    if (name == "target") f->target = v;
    else if (name == "method") f->method = v;
    else if (name == "request") f->request = v;
    else if (name == "concurrency") f->concurrency = std::atoi(v.c_str());
    else if (name == "connections") f->connections = std::atoi(v.c_str());
    else if (name == "seconds") f->seconds = std::atof(v.c_str());
    else if (name == "warmup_seconds") f->warmup_seconds = std::atof(v.c_str());
    else if (name == "deadline_ms") f->deadline_ms = std::atoi(v.c_str());
    else if (name == "rate") f->rate = std::atof(v.c_str());
    else {
      std::cerr << "sqlmill_load: unknown flag --" << name << "\n";
      return false;
    }
  }
  if (f->method.empty() || f->request.empty() || f->concurrency < 1) {
    std::cerr << "usage: sqlmill_load --method=/pkg.Service/Method --request=FILE "
                 "[--target=HOST:PORT --concurrency=N --connections=N --seconds=S "
                 "--warmup_seconds=S --deadline_ms=MS --rate=CALLS_PER_SECOND]\n";
    return false;
  }
  return true;
}

// One call slot: re-armed with a new call as soon as the previous one finishes.
struct Slot {
  grpc::GenericStub* stub = nullptr;
  std::unique_ptr<grpc::ClientContext> context;
  std::unique_ptr<grpc::GenericClientAsyncResponseReader> reader;
  grpc::ByteBuffer response;
  grpc::Status status;
  Clock::time_point started;
};

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, &flags)) return 2;
  std::ifstream in(flags.request, std::ios::binary);
  if (!in) {
    std::cerr << "sqlmill_load: cannot read " << flags.request << "\n";
    return 2;
  }
  std::stringstream bytes;
  bytes << in.rdbuf();
  const std::string payload = bytes.str();
  grpc::Slice slice(payload);
  const grpc::ByteBuffer request(&slice, 1);

  const int connections =
      flags.connections > 0 ? flags.connections : std::min(4, flags.concurrency);
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  for (int i = 0; i < connections; ++i) {
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(-1);
    args.SetMaxSendMessageSize(-1);
    args.SetInt("sqlmill.load.connection", i);  // a distinct argument: a distinct connection
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    channels.push_back(
        grpc::CreateCustomChannel(flags.target, grpc::InsecureChannelCredentials(), args));
    if (!channels.back()->WaitForConnected(std::chrono::system_clock::now() +
                                           std::chrono::seconds(10))) {
      std::cerr << "sqlmill_load: cannot connect to " << flags.target << "\n";
      return 1;
    }
    stubs.push_back(std::make_unique<grpc::GenericStub>(channels.back()));
  }

  grpc::CompletionQueue cq;
  std::vector<Slot> slots(flags.concurrency);
  auto start_call = [&](Slot* s) {
    s->context = std::make_unique<grpc::ClientContext>();
    if (flags.deadline_ms > 0) {
      s->context->set_deadline(std::chrono::system_clock::now() +
                               std::chrono::milliseconds(flags.deadline_ms));
    }
    s->response.Clear();
    s->started = Clock::now();
    s->reader = s->stub->PrepareUnaryCall(s->context.get(), flags.method, request, &cq);
    s->reader->StartCall();
    s->reader->Finish(&s->response, &s->status, s);
  };
  const Clock::time_point begin = Clock::now();
  const Clock::time_point measure_from =
      begin + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(flags.warmup_seconds));
  const Clock::time_point end =
      measure_from + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(flags.seconds));
  const bool paced = flags.rate > 0;
  const Clock::duration interval =
      paced ? std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(1.0 / flags.rate))
            : Clock::duration::zero();
  std::vector<Slot*> idle;
  for (int i = 0; i < flags.concurrency; ++i) {
    slots[i].stub = stubs[i % connections].get();
    if (paced) {
      idle.push_back(&slots[i]);
    } else {
      start_call(&slots[i]);
    }
  }
  Clock::time_point next_start = begin;
  uint64_t missed_starts = 0;  // paced starts that found every slot busy
  std::vector<uint32_t> latencies_us;
  latencies_us.reserve(1 << 20);
  std::map<std::string, uint64_t> codes;
  std::map<std::string, std::string> first_message;
  int in_flight = paced ? 0 : flags.concurrency;
  bool stopping = false;
  Clock::time_point measured_end = end;
  void* tag = nullptr;
  bool ok = false;
  auto record = [&](Slot* s, Clock::time_point now) {
    if (s->started >= measure_from && now <= end) {
      latencies_us.push_back(static_cast<uint32_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(now - s->started).count()));
      const std::string code = CodeName(s->status.error_code());
      ++codes[code];
      if (!s->status.ok() && !first_message.count(code)) {
        first_message[code] = s->status.error_message();
      }
    }
  };
  if (paced) {
    for (;;) {
      Clock::time_point now = Clock::now();
      while (now < end && next_start <= now) {
        if (idle.empty()) {
          if (next_start >= measure_from) ++missed_starts;
        } else {
          Slot* s = idle.back();
          idle.pop_back();
          start_call(s);
          s->started = next_start;  // latency from the schedule, not from the start
          ++in_flight;
        }
        next_start += interval;
      }
      if (now >= end && in_flight == 0) break;
      const Clock::time_point wake = now >= end ? now + std::chrono::seconds(60) : next_start;
      const auto status = cq.AsyncNext(
          &tag, &ok, std::chrono::system_clock::now() +
                         std::chrono::duration_cast<std::chrono::system_clock::duration>(
                             wake - Clock::now()));
      if (status == grpc::CompletionQueue::SHUTDOWN) break;
      if (status == grpc::CompletionQueue::TIMEOUT) continue;
      Slot* s = static_cast<Slot*>(tag);
      record(s, Clock::now());
      --in_flight;
      idle.push_back(s);
    }
  } else {
    while (in_flight > 0 && cq.Next(&tag, &ok)) {
      Slot* s = static_cast<Slot*>(tag);
      const Clock::time_point now = Clock::now();
      record(s, now);
      if (!stopping && now > end) {
        stopping = true;
        measured_end = now;
      }
      if (stopping) {
        --in_flight;
      } else {
        start_call(s);
      }
    }
  }
  const double seconds = std::chrono::duration<double>(std::min(measured_end, end) - measure_from).count();
  std::sort(latencies_us.begin(), latencies_us.end());
  auto pct = [&](double p) -> uint32_t {
    if (latencies_us.empty()) return 0;
    const size_t i = std::min(latencies_us.size() - 1,
                              static_cast<size_t>(p * static_cast<double>(latencies_us.size())));
    return latencies_us[i];
  };
  std::printf("{\"calls\": %zu, \"seconds\": %.3f, \"calls_per_second\": %.1f, "
              "\"p50_us\": %u, \"p90_us\": %u, \"p99_us\": %u, \"max_us\": %u, \"codes\": {",
              latencies_us.size(), seconds,
              seconds > 0 ? static_cast<double>(latencies_us.size()) / seconds : 0.0, pct(0.50),
              pct(0.90), pct(0.99), latencies_us.empty() ? 0 : latencies_us.back());
  bool first = true;
  for (const auto& [code, n] : codes) {
    std::printf("%s\"%s\": %llu", first ? "" : ", ", code.c_str(),
                static_cast<unsigned long long>(n));
    first = false;
  }
  std::printf("}, \"missed_starts\": %llu, \"messages\": {",
              static_cast<unsigned long long>(missed_starts));
  first = true;
  for (const auto& [code, message] : first_message) {
    std::string escaped;
    for (char c : message) {
      if (c == '"' || c == '\\') escaped += '\\';
      if (static_cast<unsigned char>(c) >= 0x20) escaped += c;
    }
    std::printf("%s\"%s\": \"%s\"", first ? "" : ", ", code.c_str(), escaped.c_str());
    first = false;
  }
  std::printf("}}\n");
  return 0;
}

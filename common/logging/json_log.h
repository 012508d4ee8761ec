// Structured logs: one JSON object per line, to stderr by default.
//
// The server writes one line per RPC (method, code, duration, bytes, peer) and a line per
// lifecycle event. Never log SQL or template text by default (STYLE.md).
// JsonLogger is thread-safe: lines from many threads never interleave.
//
// Log() (and Info() …) writes and flushes the line at once. Batched() is for the per-RPC
// lines of a busy server: the line is buffered and written, in order, at most 50 ms later
// by a writer thread (or at once when 32 KiB are pending, before any immediate line, on
// Flush() and when the logger is destroyed), so a server answering tens of thousands of
// calls a second does not make a write() for each.
//
//   JsonLogger log(&std::cerr);
//   log.Info("rpc", {{"method", "/sqlmill.v1.SqlParserService/ParseScript"},
//                    {"code", "OK"}, {"duration_ms", 12.5}, {"request_bytes", int64_t{4096}}});
//   // {"ts":"2026-11-22T20:01:10.123Z","level":"info","msg":"rpc","method":...}
#ifndef SQLMILL_COMMON_LOGGING_JSON_LOG_H_
#define SQLMILL_COMMON_LOGGING_JSON_LOG_H_

#include <condition_variable>
#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <variant>

namespace sqlmill {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

struct LogField {
  using Value = std::variant<std::string, int64_t, double, bool>;
  LogField(std::string_view k, std::string_view v) : key(k), value(std::string(v)) {}
  LogField(std::string_view k, const char* v) : key(k), value(std::string(v)) {}
  LogField(std::string_view k, const std::string& v) : key(k), value(v) {}
  LogField(std::string_view k, int64_t v) : key(k), value(v) {}
  LogField(std::string_view k, int v) : key(k), value(int64_t{v}) {}
  LogField(std::string_view k, uint64_t v) : key(k), value(static_cast<int64_t>(v)) {}
  LogField(std::string_view k, double v) : key(k), value(v) {}
  LogField(std::string_view k, bool v) : key(k), value(v) {}
  std::string key;
  Value value;
};

// Appends `s` to `out` as a JSON string literal (quotes included), escaping as RFC 8259
// requires; invalid UTF-8 bytes become U+FFFD so the line stays valid JSON.
void AppendJsonString(std::string_view s, std::string* out);

class JsonLogger {
 public:
  // `out` is not owned and must outlive the logger; null discards everything.
  explicit JsonLogger(std::ostream* out, LogLevel min_level = LogLevel::kInfo)
      : out_(out), min_level_(min_level) {}

  ~JsonLogger();
  JsonLogger(const JsonLogger&) = delete;
  JsonLogger& operator=(const JsonLogger&) = delete;

  void Log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields);
  // Buffers the line for the writer thread (see the file comment).
  void Batched(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields);
  // Writes every buffered line now.
  void Flush();
  void Debug(std::string_view msg, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kDebug, msg, fields);
  }
  void Info(std::string_view msg, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kInfo, msg, fields);
  }
  void Warning(std::string_view msg, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kWarning, msg, fields);
  }
  void Error(std::string_view msg, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kError, msg, fields);
  }

  // Formats one line (without writing it); exposed for tests.
  static std::string FormatLine(std::string_view timestamp, LogLevel level, std::string_view msg,
                                std::initializer_list<LogField> fields);

 private:
  void WriteLocked(std::string_view text);  // mu_ held
  void WriterLoop();

  std::ostream* out_;
  LogLevel min_level_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::string pending_;   // guarded by mu_: batched lines not yet written
  bool stopping_ = false;  // guarded by mu_
  std::thread writer_;    // started with the first batched line
};

}  // namespace sqlmill

#endif  // SQLMILL_COMMON_LOGGING_JSON_LOG_H_

// JSON line formatting and the locked writer.
#include "common/logging/json_log.h"

#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace sqlmill {
namespace {

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "info";
}

std::string NowUtc() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  return buf;
}

// Returns the length of the valid UTF-8 sequence at s[i], or 0 if invalid.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return n;
}

}  // namespace

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const size_t n = Utf8SequenceLength(s, i);
      if (n == 0) {
        out->append("\\ufffd");
        ++i;
      } else {
        out->append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out->append(buf);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out->push_back('"');
}

std::string JsonLogger::FormatLine(std::string_view timestamp, LogLevel level,
                                   std::string_view msg, std::initializer_list<LogField> fields) {
  std::string line = "{\"ts\":";
  AppendJsonString(timestamp, &line);
  line.append(",\"level\":");
  AppendJsonString(LevelName(level), &line);
  line.append(",\"msg\":");
  AppendJsonString(msg, &line);
  for (const LogField& f : fields) {
    line.push_back(',');
    AppendJsonString(f.key, &line);
    line.push_back(':');
    if (const auto* s = std::get_if<std::string>(&f.value)) {
      AppendJsonString(*s, &line);
    } else if (const auto* i = std::get_if<int64_t>(&f.value)) {
      line.append(std::to_string(*i));
    } else if (const auto* d = std::get_if<double>(&f.value)) {
      if (std::isfinite(*d)) {
        char buf[32];
        std::snprintf(buf, sizeof(buf), "%.6g", *d);
        line.append(buf);
      } else {
        line.append("null");
      }
    } else {
      line.append(std::get<bool>(f.value) ? "true" : "false");
    }
  }
  line.push_back('}');
  return line;
}

void JsonLogger::WriteLocked(std::string_view text) {
  out_->write(text.data(), static_cast<std::streamsize>(text.size()));
}

void JsonLogger::Log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields) {
  if (out_ == nullptr || level < min_level_) return;
  std::string line = FormatLine(NowUtc(), level, msg, fields);
  line.push_back('\n');
  std::lock_guard<std::mutex> lock(mu_);
  if (!pending_.empty()) {  // keep the order: batched lines first
    WriteLocked(pending_);
    pending_.clear();
  }
  WriteLocked(line);
  out_->flush();
}

void JsonLogger::Batched(LogLevel level, std::string_view msg,
                         std::initializer_list<LogField> fields) {
  if (out_ == nullptr || level < min_level_) return;
  std::string line = FormatLine(NowUtc(), level, msg, fields);
  line.push_back('\n');
  constexpr size_t kFlushBytes = 32 * 1024;
  std::lock_guard<std::mutex> lock(mu_);
  const bool was_empty = pending_.empty();
  pending_.append(line);
  if (pending_.size() >= kFlushBytes) {
    WriteLocked(pending_);
    pending_.clear();
    out_->flush();
    return;
  }
  if (!writer_.joinable() && !stopping_) {
    // The writer takes no process signals (they belong to the thread that waits for them).
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    writer_ = std::thread([this] { WriterLoop(); });
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  }
  if (was_empty) wake_.notify_one();
}

void JsonLogger::WriterLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    // Sleep until a line is pending (no wake-ups on an idle server), then let more lines
    // gather for up to 50 ms and write them with one write().
    wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    wake_.wait_for(lock, std::chrono::milliseconds(50), [this] { return stopping_; });
    if (!pending_.empty()) {
      WriteLocked(pending_);
      pending_.clear();
      out_->flush();
    }
  }
}

void JsonLogger::Flush() {
  std::lock_guard<std::mutex> lock(mu_);
  if (out_ == nullptr) return;
  if (!pending_.empty()) {
    WriteLocked(pending_);
    pending_.clear();
  }
  out_->flush();
}

JsonLogger::~JsonLogger() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (writer_.joinable()) writer_.join();
  Flush();
}

}  // namespace sqlmill

// Diagnostics: content findings (a parse error, a Jinja error, a rule violation) as data.
//
// A parse, compile or validation that finds problems still succeeds and returns its
// diagnostics; a non-OK status is for request-level failure only (docs/error_model.md).
// Engines record findings with byte spans into a DiagnosticSink; the boundary (service
// adapter or CLI) calls Resolve() once to fill in line:column and the caret excerpt.
//
// DiagnosticSink is not thread-safe: use one per worker and Merge() the results.
//
//   DiagnosticSink sink(/*max_diagnostics=*/1000);
//   sink.Error("parse-error", "expected ')' but found 'GO'", "orders.sql", span);
//   sink.Resolve("orders.sql", LineIndex(text));
//   std::cerr << FormatDiagnostic(sink.diagnostics()[0]);
//   // orders.sql:3:17: error: expected ')' but found 'GO' [parse-error]
//   //     3 | CREATE TABLE t (a int GO
//   //       |                       ^~
#ifndef SQLMILL_COMMON_BASE_DIAGNOSTIC_H_
#define SQLMILL_COMMON_BASE_DIAGNOSTIC_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/source_span.h"

namespace sqlmill {

enum class Severity { kError, kWarning, kInfo, kHint };

// Returns "error", "warning", "info" or "hint".
std::string_view SeverityName(Severity severity);

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string code;     // stable kebab-case id, e.g. "parse-error", "pk-required"
  std::string message;  // what was found and what was expected
  std::string file;     // the file (or template) name the span refers to; may be empty
  SourceSpan span;      // byte range in that file's text
  Location location;    // 1-based; line 0 until Resolve() fills it
  Location end_location;
  std::string excerpt;  // the source line(s) with a caret line under the span
  // Where it arose, innermost first: "in macro 'star' at macros/star.sql:12:5".
  std::vector<std::string> context;
};

// Renders the line(s) a span covers with a caret underline, e.g.
//     3 | CREATE TABLE t (a int GO
//       |                       ^~
// Multi-line spans show the first line and mark to its end. Tabs are kept so the caret
// lines up in a terminal.
std::string RenderExcerpt(const LineIndex& index, SourceSpan span);

// Formats "file:line:col: severity: message [code]" followed by the excerpt, if any.
std::string FormatDiagnostic(const Diagnostic& d);

class DiagnosticSink {
 public:
  // max_diagnostics bounds memory on pathological input; further ones are counted in
  // dropped() and a single note says how many were dropped.
  explicit DiagnosticSink(size_t max_diagnostics = 10000) : max_(max_diagnostics) {}

  void Add(Diagnostic d);
  void Error(std::string code, std::string message, std::string file, SourceSpan span);
  void Warning(std::string code, std::string message, std::string file, SourceSpan span);
  void Info(std::string code, std::string message, std::string file, SourceSpan span);

  // Fills location, end_location and excerpt of every diagnostic whose file equals `file`
  // (an empty `file` matches diagnostics with an empty file) from that file's line index.
  void Resolve(std::string_view file, const LineIndex& index);
  // Appends another sink's diagnostics (respecting this sink's bound).
  void Merge(DiagnosticSink&& other);

  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  std::vector<Diagnostic> TakeDiagnostics() { return std::move(diagnostics_); }
  size_t error_count() const { return errors_; }
  size_t warning_count() const { return warnings_; }
  size_t dropped() const { return dropped_; }
  bool has_errors() const { return errors_ > 0; }

 private:
  size_t max_;
  std::vector<Diagnostic> diagnostics_;
  size_t errors_ = 0;
  size_t warnings_ = 0;
  size_t dropped_ = 0;
};

}  // namespace sqlmill

#endif  // SQLMILL_COMMON_BASE_DIAGNOSTIC_H_

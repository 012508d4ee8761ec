// Diagnostic formatting and the bounded sink.
#include "common/base/diagnostic.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/strings.h"

namespace sqlmill {

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "info";
    case Severity::kHint: return "hint";
  }
  return "error";
}

std::string RenderExcerpt(const LineIndex& index, SourceSpan span) {
  if (index.text().empty() && span.length == 0) return {};
  const Location start = index.LocationOf(span.offset);
  const std::string_view line = index.LineText(start.line);
  const auto continuation = [&](size_t i) {
    return (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80;
  };
  // A window of the line around the caret: a script written on one line of megabytes must
  // not put the whole line into every diagnostic. Lines that fit are shown whole.
  constexpr int kBefore = 60;   // code points shown before the caret
  constexpr int kAfter = 100;   // and from the caret on
  const uint32_t line_start = static_cast<uint32_t>(line.data() - index.text().data());
  const size_t caret = std::min<size_t>(span.offset - std::min(span.offset, line_start), line.size());
  size_t from = caret;
  for (int n = 0; from > 0 && n < kBefore; ++n) {
    --from;
    while (from > 0 && continuation(from)) --from;
  }
  size_t to = caret;
  for (int n = 0; to < line.size() && n < kAfter; ++n) {
    ++to;
    while (to < line.size() && continuation(to)) ++to;
  }
  const std::string_view before_mark = from > 0 ? "..." : "";
  const std::string_view after_mark = to < line.size() ? "..." : "";
  const std::string_view shown = line.substr(from, to - from);
  const std::string number = std::to_string(start.line);
  const std::string gutter(number.size(), ' ');
  std::string out = absl::StrCat(" ", number, " | ", AsAbsl(before_mark), AsAbsl(shown),
                                 AsAbsl(after_mark), "\n ", gutter, " | ");
  out.append(before_mark.size(), ' ');
  // Walk the shown text to the caret, copying tabs so the caret lines up.
  for (size_t i = from; i < caret; ++i) {
    if (!continuation(i)) out.push_back(line[i] == '\t' ? '\t' : ' ');
  }
  out.push_back('^');
  // Underline the rest of the span within the shown text.
  const uint32_t shown_end = line_start + static_cast<uint32_t>(to);
  const uint32_t span_end = std::min(span.end(), shown_end);
  int tildes = 0;
  for (uint32_t b = span.offset + 1; b < span_end; ++b) {
    if ((static_cast<unsigned char>(index.text()[b]) & 0xC0) != 0x80) ++tildes;
  }
  out.append(static_cast<size_t>(tildes), '~');
  return out;
}

std::string FormatDiagnostic(const Diagnostic& d) {
  std::string out;
  if (!d.file.empty()) absl::StrAppend(&out, d.file, ":");
  if (d.location.line > 0) absl::StrAppend(&out, d.location.line, ":", d.location.column, ":");
  if (!out.empty()) out.push_back(' ');
  absl::StrAppend(&out, AsAbsl(SeverityName(d.severity)), ": ", d.message);
  if (!d.code.empty()) absl::StrAppend(&out, " [", d.code, "]");
  if (!d.excerpt.empty()) absl::StrAppend(&out, "\n", d.excerpt);
  return out;
}

namespace {
Diagnostic Make(Severity severity, std::string code, std::string message, std::string file,
                SourceSpan span) {
  Diagnostic d;
  d.severity = severity;
  d.code = std::move(code);
  d.message = std::move(message);
  d.file = std::move(file);
  d.span = span;
  return d;
}
}  // namespace

void DiagnosticSink::Add(Diagnostic d) {
  if (d.severity == Severity::kError) ++errors_;
  if (d.severity == Severity::kWarning) ++warnings_;
  if (diagnostics_.size() >= max_) {
    ++dropped_;
    return;
  }
  diagnostics_.push_back(std::move(d));
}

void DiagnosticSink::Error(std::string code, std::string message, std::string file,
                           SourceSpan span) {
  Add(Make(Severity::kError, std::move(code), std::move(message), std::move(file), span));
}

void DiagnosticSink::Warning(std::string code, std::string message, std::string file,
                             SourceSpan span) {
  Add(Make(Severity::kWarning, std::move(code), std::move(message), std::move(file), span));
}

void DiagnosticSink::Info(std::string code, std::string message, std::string file,
                          SourceSpan span) {
  Add(Make(Severity::kInfo, std::move(code), std::move(message), std::move(file), span));
}

void DiagnosticSink::Resolve(std::string_view file, const LineIndex& index) {
  for (Diagnostic& d : diagnostics_) {
    if (d.file != file) continue;
    d.location = index.LocationOf(d.span.offset);
    d.end_location = index.LocationOf(d.span.end());
    d.excerpt = RenderExcerpt(index, d.span);
  }
}

void DiagnosticSink::Merge(DiagnosticSink&& other) {
  for (Diagnostic& d : other.diagnostics_) Add(std::move(d));
  dropped_ += other.dropped_;
  other.diagnostics_.clear();
}

}  // namespace sqlmill

// The sqlcmd pre-pass: splits a decoded script into GO batches, applies sqlcmd directives
// (:setvar, :on error, :r, ...) and substitutes $(var), before any T-SQL lexing.
//
// GO (or `GO n`) is a separator only alone on its line (leading/trailing blanks and a
// trailing `--` comment allowed, any letter case) and never inside a /* */ comment (which
// nests), a '...' string, a "..." or a [...] identifier. Directive and GO lines are blanked
// to spaces in the prepared text, so only $(var) substitutions shift offsets; OffsetMap
// maps prepared-text offsets back to the decoded file so diagnostics point at the real
// source. Variables are case-insensitive, as in sqlcmd. $(var) is not substituted inside
// comments (commented-out code must not warn about undefined variables).
//
// Thread-safety: PrepareScript is reentrant; its result is a plain value.
//
//   PrepassOptions opts;  opts.variables["DatabaseName"] = "Sales";
//   SQLMILL_ASSIGN_OR_RETURN(PreparedScript p, PrepareScript(text, opts, "x.sql", &sink, &cancel));
//   for (const Batch& b : p.batches) Lex(p.text.substr(b.begin, b.end - b.begin));
#ifndef SQLMILL_SERVICES_SQL_PARSER_ENGINE_SCRIPT_PREPASS_H_
#define SQLMILL_SERVICES_SQL_PARSER_ENGINE_SCRIPT_PREPASS_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/base/diagnostic.h"
#include "common/base/limits.h"
#include "common/base/source_span.h"

namespace sqlmill::tsql {

// Maps offsets of the prepared (substituted) text back to the decoded file. Offsets inside
// a substituted value map into the `$(name)` it replaced.
class OffsetMap {
 public:
  // Records that prepared text [text_start, text_start + text_len) replaced the original
  // [orig_start, orig_start + orig_len). Calls must come in increasing text order.
  void AddReplacement(uint32_t text_start, uint32_t text_len, uint32_t orig_start,
                      uint32_t orig_len);
  uint32_t ToOriginal(uint32_t text_offset) const;
  SourceSpan ToOriginal(SourceSpan span) const;
  bool identity() const { return replacements_.empty(); }

 private:
  struct Replacement {
    uint32_t text_start;
    uint32_t text_len;
    uint32_t orig_start;
    uint32_t orig_len;
  };
  std::vector<Replacement> replacements_;
};

struct Batch {
  uint32_t begin = 0;  // offsets in PreparedScript::text
  uint32_t end = 0;
  int repeat = 1;      // GO n runs the batch n times; the catalog applies it once
};

struct PreparedScript {
  std::string text;
  OffsetMap offsets;
  std::vector<Batch> batches;
};

struct PrepassOptions {
  // sqlcmd variables from the request; :setvar in the script overrides them.
  std::map<std::string, std::string> variables;
};

// Splits and substitutes. Findings (directives reported, undefined variables) go to `sink`
// with spans in the decoded file; returns non-OK only when `cancel` says so.
absl::StatusOr<PreparedScript> PrepareScript(std::string_view decoded, const PrepassOptions& options,
                                             std::string_view file, DiagnosticSink* sink,
                                             const CancellationToken* cancel);

}  // namespace sqlmill::tsql

#endif  // SQLMILL_SERVICES_SQL_PARSER_ENGINE_SCRIPT_PREPASS_H_

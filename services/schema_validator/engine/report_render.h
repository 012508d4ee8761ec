// Text renderers over a ValidationReport: a human-readable listing (grouped by severity,
// with file:line), SARIF 2.1.0 for code-scanning UIs, and JUnit XML for CI test reports.
// (Protobuf's canonical JSON is produced by the service layer from the proto response.)
//
// Stateless functions; thread-safe. Output is deterministic: no timestamps or timings.
//
//   std::cout << RenderSarif(report);
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_REPORT_RENDER_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_REPORT_RENDER_H_

#include <string>
#include <string_view>

#include "services/schema_validator/engine/report.h"

namespace sqlmill::validator {

// Findings grouped by severity (errors first) as
//   orders.sql:3:1: warning: table 'Orders' has no primary key [pk-required] (dbo.Orders)
//       fix: add a PRIMARY KEY ...
// followed by a summary line and PASSED/FAILED.
std::string RenderText(const ValidationReport& report);
// The change list of a Diff, one line per change, then its findings as RenderText.
std::string RenderDiffText(const DiffReport& diff);
// A SARIF 2.1.0 log with one run: the rules that ran and one result per finding.
std::string RenderSarif(const ValidationReport& report);
// JUnit XML: one <testsuite> per rule that ran, one failing <testcase> per finding (a
// passing one when the rule found nothing).
std::string RenderJunit(const ValidationReport& report);

// Escapes a string for a JSON string literal (without the quotes).
std::string JsonEscape(std::string_view s);
// The same, appended to *out (no temporary string).
void AppendJsonEscaped(std::string_view s, std::string* out);
// Escapes text for XML character data and attribute values.
std::string XmlEscape(std::string_view s);

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_REPORT_RENDER_H_

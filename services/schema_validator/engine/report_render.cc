// Renderers. SARIF and JUnit are written by hand (both are small fixed shapes) so the
// engine needs no JSON or XML library; report_render_test parses the output back.
#include "services/schema_validator/engine/report_render.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "common/base/strings.h"

namespace sqlmill::validator {
namespace {

std::string Where(const Finding& f) {
  if (!f.location.known()) return f.location.file.empty() ? std::string("<catalog>") : f.location.file;
  return absl::StrCat(f.location.file.empty() ? "<catalog>" : f.location.file, ":", f.location.begin.line, ":",
                      f.location.begin.column);
}

std::string_view SarifLevel(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
    case Severity::kHint:
      return "note";
  }
  return "warning";
}

std::string Quote(std::string_view s) { return absl::StrCat("\"", JsonEscape(s), "\""); }

}  // namespace

std::string JsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  AppendJsonEscaped(s, &out);
  return out;
}

void AppendJsonEscaped(std::string_view s, std::string* out_ptr) {
  std::string& out = *out_ptr;
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          static const char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 15]);
        } else {
          out.push_back(ch);
        }
    }
  }
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\n': out += "&#10;"; break;
      case '\t': out += "&#9;"; break;
      case '\r': out += "&#13;"; break;
      default:
        if (c < 0x20) continue;  // not allowed in XML 1.0
        out.push_back(ch);
    }
  }
  return out;
}

std::string RenderText(const ValidationReport& report) {
  std::string out;
  for (Severity sev : {Severity::kError, Severity::kWarning, Severity::kInfo, Severity::kHint}) {
    bool header = false;
    for (const Finding& f : report.findings) {
      if (f.severity != sev) continue;
      if (!header) {
        size_t n = 0;
        for (const Finding& g : report.findings) n += g.severity == sev ? 1 : 0;
        absl::StrAppend(&out, out.empty() ? "" : "\n", "== ", AsAbsl(SeverityName(sev)), "s (", n, ") ==\n");
        header = true;
      }
      absl::StrAppend(&out, Where(f), ": ", AsAbsl(SeverityName(f.severity)), ": ", f.message, " [", f.rule_id,
                      "] (", f.object_path, ")\n");
      if (!f.suggestion.empty()) absl::StrAppend(&out, "    fix: ", f.suggestion, "\n");
    }
  }
  const Summary& s = report.summary;
  absl::StrAppend(&out, out.empty() ? "" : "\n", s.errors, " error(s), ", s.warnings, " warning(s), ", s.infos,
                  " info(s)", s.hints > 0 ? absl::StrCat(", ", s.hints, " hint(s)") : "", "; ",
                  s.objects_checked, " object(s) checked",
                  report.target.empty() ? "" : absl::StrCat(" for ", report.target),
                  s.suppressed > 0 ? absl::StrCat("; ", s.suppressed, " suppressed") : "", "\n",
                  report.passed ? "PASSED" : "FAILED", " (threshold: ",
                  AsAbsl(SeverityName(report.fail_threshold)), ")\n");
  return out;
}

std::string RenderDiffText(const DiffReport& diff) {
  std::string out;
  absl::StrAppend(&out, "== changes (", diff.changes.size(), ") ==\n");
  for (const SchemaChange& c : diff.changes) {
    absl::StrAppend(&out, AsAbsl(ChangeClassName(c.classification)), "\t", AsAbsl(ChangeKindName(c.kind)), " ",
                    c.object_kind, " ", c.object_path, ": ", c.detail, "\n");
  }
  absl::StrAppend(&out, "\n", RenderText(diff.report));
  return out;
}

std::string RenderSarif(const ValidationReport& report) {
  std::map<std::string, size_t> rule_index;
  std::string rules;
  for (size_t i = 0; i < report.rules_run.size(); ++i) {
    const RuleInfo& r = report.rules_run[i];
    rule_index[r.id] = i;
    absl::StrAppend(&rules, i ? ",\n" : "\n", "          {\"id\": ", Quote(r.id),
                    ", \"shortDescription\": {\"text\": ", Quote(r.summary),
                    "}, \"fullDescription\": {\"text\": ", Quote(r.doc),
                    "}, \"defaultConfiguration\": {\"level\": \"", AsAbsl(SarifLevel(r.default_severity)),
                    "\"}, \"properties\": {\"category\": \"", AsAbsl(CategoryName(r.category)), "\"}}");
  }
  std::string results;
  for (size_t i = 0; i < report.findings.size(); ++i) {
    const Finding& f = report.findings[i];
    std::string location;
    if (!f.location.file.empty()) {
      absl::StrAppend(&location, "\"physicalLocation\": {\"artifactLocation\": {\"uri\": ", Quote(f.location.file),
                      "}");
      if (f.location.known()) {
        absl::StrAppend(&location, ", \"region\": {\"startLine\": ", f.location.begin.line,
                        ", \"startColumn\": ", f.location.begin.column);
        if (f.location.end.line > 0) {
          absl::StrAppend(&location, ", \"endLine\": ", f.location.end.line, ", \"endColumn\": ",
                          f.location.end.column);
        }
        absl::StrAppend(&location, "}");
      }
      absl::StrAppend(&location, "}, ");
    }
    absl::StrAppend(&location, "\"logicalLocations\": [{\"fullyQualifiedName\": ", Quote(f.object_path),
                    ", \"kind\": ", Quote(f.object_kind), "}]");
    absl::StrAppend(&results, i ? ",\n" : "\n", "        {\"ruleId\": ", Quote(f.rule_id));
    if (auto it = rule_index.find(f.rule_id); it != rule_index.end()) {
      absl::StrAppend(&results, ", \"ruleIndex\": ", it->second);
    }
    absl::StrAppend(&results, ", \"level\": \"", AsAbsl(SarifLevel(f.severity)), "\", \"message\": {\"text\": ",
                    Quote(f.suggestion.empty() ? f.message : absl::StrCat(f.message, ". Fix: ", f.suggestion)),
                    "}, \"locations\": [{", location, "}]");
    if (!f.suggestion.empty()) {
      absl::StrAppend(&results, ", \"properties\": {\"suggestion\": ", Quote(f.suggestion), "}");
    }
    absl::StrAppend(&results, "}");
  }
  return absl::StrCat(
      "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n"
      "  \"runs\": [\n    {\n      \"tool\": {\"driver\": {\"name\": \"sqlmill-schema-validator\", "
      "\"informationUri\": \"https://github.com/sqlmill/sqlmill\", \"version\": \"0.1.0\", \"rules\": [",
      rules, rules.empty() ? "" : "\n        ", "]}},\n      \"results\": [", results,
      results.empty() ? "" : "\n      ", "],\n      \"properties\": {\"target\": ", Quote(report.target),
      ", \"passed\": ", report.passed ? "true" : "false", "}\n    }\n  ]\n}\n");
}

std::string RenderJunit(const ValidationReport& report) {
  std::map<std::string, std::vector<const Finding*>> by_rule;
  for (const Finding& f : report.findings) by_rule[f.rule_id].push_back(&f);
  // Every rule that ran is a suite; findings of rules not in rules_run (none expected) too.
  std::map<std::string, std::string> suites;  // id → category
  for (const RuleInfo& r : report.rules_run) suites[r.id] = std::string(CategoryName(r.category));
  for (const auto& [id, v] : by_rule) suites.try_emplace(id, "");

  size_t tests = 0;
  size_t failures = 0;
  std::string body;
  for (const auto& [id, category] : suites) {
    const auto it = by_rule.find(id);
    const size_t n = it == by_rule.end() ? 0 : it->second.size();
    tests += n == 0 ? 1 : n;
    failures += n;
    absl::StrAppend(&body, "  <testsuite name=\"", XmlEscape(id), "\" tests=\"", n == 0 ? 1 : n, "\" failures=\"", n,
                    "\" errors=\"0\" skipped=\"0\">\n");
    if (n == 0) {
      absl::StrAppend(&body, "    <testcase classname=\"", XmlEscape(id), "\" name=\"", XmlEscape(id),
                      "\"/>\n");
    } else {
      for (const Finding* f : it->second) {
        absl::StrAppend(&body, "    <testcase classname=\"", XmlEscape(id), "\" name=\"", XmlEscape(f->object_path),
                        "\" file=\"", XmlEscape(f->location.file), "\"",
                        f->location.known() ? absl::StrCat(" line=\"", f->location.begin.line, "\"") : "", ">\n",
                        "      <failure type=\"", AsAbsl(SeverityName(f->severity)), "\" message=\"",
                        XmlEscape(f->message), "\">", XmlEscape(Where(*f)), ": ", XmlEscape(f->message));
        if (!f->suggestion.empty()) absl::StrAppend(&body, "&#10;fix: ", XmlEscape(f->suggestion));
        absl::StrAppend(&body, "</failure>\n    </testcase>\n");
      }
    }
    absl::StrAppend(&body, "  </testsuite>\n");
    (void)category;
  }
  return absl::StrCat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"sqlmill schema validator",
                      report.target.empty() ? "" : absl::StrCat(" (", XmlEscape(report.target), ")"),
                      "\" tests=\"", tests, "\" failures=\"", failures, "\">\n", body, "</testsuites>\n");
}

}  // namespace sqlmill::validator

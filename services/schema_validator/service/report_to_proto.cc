// Engine report ↔ proto conversion and report rendering for the service and the CLI.
#include "services/schema_validator/service/report_to_proto.h"

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "common/server/status_mapping.h"
#include "google/protobuf/util/json_util.h"
#include "services/schema_validator/engine/report_render.h"

namespace sqlmill::validator {
namespace {

void SpanOut(const LocatedSpan& s, v1::SourceSpan* out) {
  SpanToProto(s.file, s.span, s.begin, s.end, out);
}

void FindingToProto(const Finding& f, v1::Finding* out) {
  out->set_rule_id(f.rule_id);
  out->set_severity(SeverityToProto(f.severity));
  out->set_object_path(f.object_path);
  out->set_object_kind(f.object_kind);
  out->set_message(f.message);
  out->set_suggestion(f.suggestion);
  if (!f.location.file.empty() || f.location.known()) SpanOut(f.location, out->mutable_span());
}

void SummaryToProto(const Summary& s, v1::Summary* out) {
  out->set_errors(s.errors);
  out->set_warnings(s.warnings);
  out->set_infos(s.infos + s.hints);
  for (const auto& [id, n] : s.by_rule) (*out->mutable_by_rule())[id] = n;
  out->set_objects_checked(s.objects_checked);
  out->set_suppressed(s.suppressed);
}

template <typename M>
absl::Status ToJson(const M& message, std::string* out) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = false;
  auto status = google::protobuf::util::MessageToJsonString(message, out, options);
  if (!status.ok()) return absl::InternalError(absl::StrCat("JSON rendering failed: ", status.ToString()));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RuleConfig> RuleConfigFromProto(const v1::RuleConfig& proto) {
  RuleConfig config;
  config.file = "rules.yaml";
  if (!proto.yaml().empty()) {
    SQLMILL_ASSIGN_OR_RETURN(config, ParseRuleConfigYaml(proto.yaml(), "rules.yaml"));
  }
  RuleConfig structured;
  structured.file = "RuleConfig";
  for (const auto& [id, s] : proto.rules()) {
    RuleSetting setting;
    if (s.has_enabled()) setting.enabled = s.enabled();
    if (s.severity() != v1::SEVERITY_UNSPECIFIED) setting.severity = SeverityFromProto(s.severity());
    for (const auto& [k, v] : s.parameters()) setting.parameters[k] = v;
    structured.rules[id] = std::move(setting);
  }
  for (const auto& e : proto.ignore()) {
    structured.ignore.push_back({e.rule_id().empty() ? "*" : e.rule_id(),
                                 e.object_pattern().empty() ? "**" : e.object_pattern(), 0});
  }
  for (const auto& c : proto.custom_rules()) {
    CustomRuleSpec spec;
    spec.id = c.id();
    spec.description = c.description();
    if (c.severity() != v1::SEVERITY_UNSPECIFIED) spec.severity = SeverityFromProto(c.severity());
    spec.object_kind = c.object_kind();
    spec.name_pattern = c.name_pattern();
    spec.require.assign(c.require().begin(), c.require().end());
    spec.forbid.assign(c.forbid().begin(), c.forbid().end());
    spec.message = c.message();
    if (spec.id.empty() || spec.object_kind.empty() || (spec.require.empty() && spec.forbid.empty())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "RuleConfig.custom_rules: custom rule '", spec.id,
          "' needs an id, an object_kind and at least one require or forbid condition"));
    }
    structured.custom_rules.push_back(std::move(spec));
  }
  MergeRuleConfig(structured, &config);
  return config;
}

Severity ThresholdFromProto(v1::Severity severity) {
  return severity == v1::SEVERITY_UNSPECIFIED ? Severity::kError : SeverityFromProto(severity);
}

void ReportToProto(const ValidationReport& report, v1::ValidateResponse* out) {
  for (const Finding& f : report.findings) FindingToProto(f, out->add_findings());
  SummaryToProto(report.summary, out->mutable_summary());
  out->set_passed(report.passed);
  for (const Diagnostic& d : report.diagnostics) DiagnosticToProto(d, out->add_diagnostics());
}

void DiffReportToProto(const DiffReport& diff, v1::DiffResponse* out) {
  for (const SchemaChange& c : diff.changes) {
    v1::SchemaChange* p = out->add_changes();
    p->set_kind(static_cast<v1::ChangeKind>(static_cast<int>(c.kind) + 1));
    p->set_classification(static_cast<v1::ChangeClass>(static_cast<int>(c.classification) + 1));
    p->set_object_kind(c.object_kind);
    p->set_object_path(c.object_path);
    p->set_detail(c.detail);
    if (c.old_span.known()) SpanOut(c.old_span, p->mutable_old_span());
    if (c.new_span.known()) SpanOut(c.new_span, p->mutable_new_span());
  }
  for (const Finding& f : diff.report.findings) FindingToProto(f, out->add_findings());
  SummaryToProto(diff.report.summary, out->mutable_summary());
  out->set_passed(diff.report.passed);
  for (const Diagnostic& d : diff.report.diagnostics) DiagnosticToProto(d, out->add_diagnostics());
}

void RuleInfoToProto(const RuleInfo& info, v1::RuleInfo* out) {
  out->set_id(info.id);
  out->set_category(CategoryName(info.category));
  out->set_doc(info.doc);
  out->set_default_severity(SeverityToProto(info.default_severity));
  out->set_enabled_by_default(info.enabled_by_default);
  for (const RuleParameter& p : info.parameters) {
    v1::RuleParameterInfo* q = out->add_parameters();
    q->set_name(p.name);
    q->set_doc(p.doc);
    q->set_default_value(p.default_value);
  }
}

v1::TypeLoss TypeLossToProto(TypeLoss loss) {
  switch (loss) {
    case TypeLoss::kNone:
      return v1::TYPE_LOSS_NONE;
    case TypeLoss::kPrecision:
      return v1::TYPE_LOSS_PRECISION;
    case TypeLoss::kRange:
      return v1::TYPE_LOSS_RANGE;
    case TypeLoss::kSemantics:
      return v1::TYPE_LOSS_SEMANTICS;
    case TypeLoss::kNoEquivalent:
      return v1::TYPE_LOSS_NO_EQUIVALENT;
  }
  return v1::TYPE_LOSS_UNSPECIFIED;
}

absl::Status RenderReport(v1::ReportFormat format, const ValidationReport& report, v1::ValidateResponse* out) {
  switch (format) {
    case v1::REPORT_FORMAT_JSON: {
      std::string json;
      SQLMILL_RETURN_IF_ERROR(ToJson(*out, &json));
      out->set_report(std::move(json));
      return absl::OkStatus();
    }
    case v1::REPORT_FORMAT_SARIF:
      out->set_report(RenderSarif(report));
      return absl::OkStatus();
    case v1::REPORT_FORMAT_JUNIT:
      out->set_report(RenderJunit(report));
      return absl::OkStatus();
    default:
      return absl::OkStatus();
  }
}

absl::Status RenderReport(v1::ReportFormat format, const DiffReport& diff, v1::DiffResponse* out) {
  switch (format) {
    case v1::REPORT_FORMAT_JSON: {
      std::string json;
      SQLMILL_RETURN_IF_ERROR(ToJson(*out, &json));
      out->set_report(std::move(json));
      return absl::OkStatus();
    }
    case v1::REPORT_FORMAT_SARIF:
      out->set_report(RenderSarif(diff.report));
      return absl::OkStatus();
    case v1::REPORT_FORMAT_JUNIT:
      out->set_report(RenderJunit(diff.report));
      return absl::OkStatus();
    default:
      return absl::OkStatus();
  }
}

}  // namespace sqlmill::validator

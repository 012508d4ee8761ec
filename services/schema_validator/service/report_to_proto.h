// Conversions between the validator engine's plain types and sqlmill.v1 messages: rule
// configuration in, findings/summary/changes/rule info out, and the report formats
// (canonical JSON of the response, SARIF, JUnit).
//
// Stateless; thread-safe.
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_SERVICE_REPORT_TO_PROTO_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_SERVICE_REPORT_TO_PROTO_H_

#include "absl/status/statusor.h"
#include "services/schema_validator/engine/config.h"
#include "services/schema_validator/engine/report.h"
#include "services/schema_validator/engine/target_profile.h"
#include "sqlmill/v1/schema_validator.pb.h"

namespace sqlmill::validator {

// Builds the engine configuration: the YAML field parsed first (errors name its lines),
// then the structured fields applied on top.
absl::StatusOr<RuleConfig> RuleConfigFromProto(const v1::RuleConfig& proto);

// Maps UNSPECIFIED to ERROR, as the contract says.
Severity ThresholdFromProto(v1::Severity severity);

void ReportToProto(const ValidationReport& report, v1::ValidateResponse* out);
void DiffReportToProto(const DiffReport& diff, v1::DiffResponse* out);
void RuleInfoToProto(const RuleInfo& info, v1::RuleInfo* out);
v1::TypeLoss TypeLossToProto(TypeLoss loss);

// Fills `report` of the response in the requested format. JSON is the response itself in
// protobuf's canonical JSON mapping (with the report field left empty).
absl::Status RenderReport(v1::ReportFormat format, const ValidationReport& report, v1::ValidateResponse* out);
absl::Status RenderReport(v1::ReportFormat format, const DiffReport& diff, v1::DiffResponse* out);

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_SERVICE_REPORT_TO_PROTO_H_

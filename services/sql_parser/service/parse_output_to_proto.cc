// ParseOutput (catalog, diagnostics, statements, stats) to the sql_parser.proto responses.
#include "services/sql_parser/service/parse_output_to_proto.h"

#include "absl/strings/str_cat.h"
#include "common/server/status_mapping.h"
#include "services/sql_parser/service/catalog_to_proto.h"

namespace sqlmill {
namespace {

using namespace tsql;  // NOLINT: the engine's result types are converted here one by one

template <typename Response>
void FillResponse(const ParseOutput& output, Response* out, bool catalog_done = false) {
  if (!catalog_done) CatalogToProto(output.catalog, out->mutable_catalog());
  for (const Diagnostic& d : output.diagnostics) DiagnosticToProto(d, out->add_diagnostics());
  for (const StatementInfo& s : output.statements) {
    v1::Statement* p = out->add_statements();
    p->set_kind(s.kind);
    CatalogSpanToProto(output.catalog, s.span, p->mutable_span());
    p->set_batch(s.batch);
    if (!s.target.empty()) ObjectNameToProto(s.target, p->mutable_target());
    p->set_applied(s.applied);
    p->set_error(s.error);
  }
  v1::ParseStats* stats = out->mutable_stats();
  stats->set_input_bytes(output.stats.input_bytes);
  stats->set_files(output.stats.files);
  stats->set_batches(output.stats.batches);
  stats->set_statements(output.stats.statements);
  stats->set_statements_applied(output.stats.statements_applied);
  stats->set_errors(output.stats.errors);
  stats->set_warnings(output.stats.warnings);
  stats->set_parse_micros(output.stats.parse_micros);
  stats->set_ll_fallbacks(output.stats.ll_fallbacks);
}

}  // namespace

void ParseOutputToProto(const tsql::ParseOutput& output, v1::ParseScriptResponse* out) {
  FillResponse(output, out);
}

void ParseOutputToProto(const tsql::ParseOutput& output, v1::ParseFilesResponse* out) {
  FillResponse(output, out);
}

namespace {

template <typename Response>
absl::Status FillReleasing(tsql::ParseOutput&& output, Response* out, uint64_t max_bytes) {
  if (!ReleasingCatalogToProto(&output.catalog, out->mutable_catalog(), max_bytes)) {
    out->Clear();
    return absl::ResourceExhaustedError(absl::StrCat(
        "the response would be over ", max_bytes, " bytes, the server's limit (",
        "--max_message_bytes; its tables alone pass it, so the catalog was not finished): raise "
        "it on the server and the client's receive limit, or send fewer or smaller scripts in "
        "one call"));
  }
  FillResponse(output, out, /*catalog_done=*/true);
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseOutputToProto(tsql::ParseOutput&& output, v1::ParseScriptResponse* out,
                                uint64_t max_bytes) {
  return FillReleasing(std::move(output), out, max_bytes);
}

absl::Status ParseOutputToProto(tsql::ParseOutput&& output, v1::ParseFilesResponse* out,
                                uint64_t max_bytes) {
  return FillReleasing(std::move(output), out, max_bytes);
}

tsql::ParseOptions ParseOptionsFromProto(const v1::ParseOptions& options, const Limits& limits) {
  tsql::ParseOptions out;
  for (const auto& [k, v] : options.sqlcmd_variables()) out.sqlcmd_variables[k] = v;
  out.include_statements = options.detail() == v1::DETAIL_LEVEL_STATEMENTS;
  if (!options.default_schema().empty()) out.default_schema = options.default_schema();
  out.default_database = options.default_database();
  if (options.has_quoted_identifier()) out.quoted_identifier = options.quoted_identifier();
  out.limits = limits;
  return out;
}

}  // namespace sqlmill

// AstBuilder, views: CREATE / ALTER / CREATE OR ALTER VIEW — header from the grammar, body
// kept as a span and scanned for the objects it reads.
#include "services/sql_parser/engine/internal/ast_builder.h"
#include "services/sql_parser/engine/internal/body_scanner.h"

namespace sqlmill::tsql::internal {

std::vector<ObjectReference> AstBuilder::BodyReferences() const {
  std::vector<ObjectReference> out;
  if (!split_->has_body) return out;
  for (const BodyReference& r : ScanReferences(file_->text, *tokens_, split_->header_end, split_->end)) {
    out.push_back(ObjectReference{r.name, SpanOfTokens(r.first_token, r.last_token)});
  }
  return out;
}

BuildResult AstBuilder::BuildCreateView(P::CreateViewContext* ctx) {
  const ObjectName written = Name(ctx->qualifiedName());
  const ResolvedName name = Resolve(written);
  View view;
  view.name = name.name;
  view.span = statement_span();
  if (ctx->identifierList() != nullptr) {
    for (auto* id : ctx->identifierList()->identifier()) view.columns.push_back(Ident(id));
  }
  std::map<std::string, std::string> options;
  BuildRoutineOptions(ctx->routineOption(), &options);
  view.schemabinding = options.erase("SCHEMABINDING") > 0;
  view.options = std::move(options);
  if (split_->has_body) {
    view.body = SpanOfTokens(split_->header_end, split_->end - 1);
    // ... WITH CHECK OPTION closes the body.
    const uint32_t n = split_->end;
    if (n >= split_->header_end + 3 && (*tokens_)[n - 3].type == P::K_WITH &&
        (*tokens_)[n - 2].type == P::K_CHECK &&
        EqualsIgnoreCase(file_->text.substr((*tokens_)[n - 1].offset, (*tokens_)[n - 1].length), "OPTION")) {
      view.with_check_option = true;
    }
  }
  view.references = BodyReferences();
  Schema& schema = GetOrAddSchema(name);
  for (View& existing : schema.views) {
    if (EqualsIgnoreCase(existing.name, view.name)) {
      view.description = existing.description;
      view.indexes = std::move(existing.indexes);
      existing = std::move(view);
      return {written, true};
    }
  }
  schema.views.push_back(std::move(view));
  return {written, true};
}

}  // namespace sqlmill::tsql::internal

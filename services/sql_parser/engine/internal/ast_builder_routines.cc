// AstBuilder, routines: procedures, functions (scalar, inline and multi-statement table-
// valued, CLR) and triggers — signature from the grammar, body as a span plus references.
#include "absl/strings/str_cat.h"
#include "services/sql_parser/engine/internal/ast_builder.h"

namespace sqlmill::tsql::internal {

namespace {

template <typename T>
T* FindNamed(std::vector<T>& items, std::string_view name) {
  for (T& item : items) {
    if (EqualsIgnoreCase(item.name, name)) return &item;
  }
  return nullptr;
}

}  // namespace

Parameter AstBuilder::BuildParameter(P::ParameterContext* ctx) const {
  Parameter p;
  p.name = TokenText(ctx->VARIABLE());
  p.data_type = BuildDataType(ctx->dataType());
  p.varying = ctx->K_VARYING() != nullptr;
  if (ctx->expression() != nullptr) p.default_value = TextOf(ctx->expression());
  for (P::ParameterFlagContext* flag : ctx->parameterFlag()) {
    if (flag->K_READONLY() != nullptr) p.readonly = true;
    else p.output = true;
  }
  return p;
}

void AstBuilder::BuildRoutineOptions(const std::vector<P::RoutineOptionContext*>& ctxs,
                                     std::map<std::string, std::string>* options) const {
  for (P::RoutineOptionContext* o : ctxs) {
    if (!o->K_AS().empty()) {
      std::string who = o->identifier() != nullptr ? Ident(o->identifier())
                        : o->STRING() != nullptr   ? TokenText(o->STRING())
                        : o->K_CALLER() != nullptr ? "CALLER"
                                                   : "OWNER";
      (*options)["EXECUTE AS"] = who;
    } else {
      // Normalise white space: RETURNS NULL ON NULL INPUT, NATIVE_COMPILATION, INLINE = OFF.
      std::string key;
      for (size_t i = 0; i < o->children.size(); ++i) {
        auto* node = dynamic_cast<antlr4::tree::TerminalNode*>(o->children[i]);
        if (node == nullptr) continue;
        if (!key.empty()) key.push_back(' ');
        key += ToUpperAscii(TokenText(node));
      }
      (*options)[key] = "";
    }
  }
}

void AstBuilder::BuildReturnColumns(const std::vector<P::TableElementContext*>& elements,
                                    Routine* routine) {
  std::vector<Constraint> constraints;  // a return table's keys are not catalog objects
  std::vector<Index> indexes;
  for (P::TableElementContext* e : elements) {
    BuildTableElement(e, nullptr, &routine->return_columns, &constraints, &indexes);
  }
  int32_t ordinal = 1;
  for (Column& c : routine->return_columns) c.ordinal = ordinal++;
}

void AstBuilder::StoreRoutine(const ResolvedName& name, Routine r) {
  if (split_->has_body) {
    r.body = SpanOfTokens(split_->header_end, split_->end - 1);
    const std::vector<Token>& t = *tokens_;
    if (t[split_->header_end].type == P::K_EXTERNAL && split_->header_end + 2 < split_->end) {
      r.kind = RoutineKind::kClr;
      const Token& a = t[split_->header_end + 2];
      const Token& b = t[split_->end - 1];
      r.external_name = std::string(file_->text.substr(a.offset, b.end() - a.offset));
    }
  }
  r.references = BodyReferences();
  Schema& schema = GetOrAddSchema(name);
  if (Routine* existing = FindNamed(schema.routines, r.name)) {
    r.description = existing->description;
    *existing = std::move(r);
  } else {
    schema.routines.push_back(std::move(r));
  }
}

BuildResult AstBuilder::BuildCreateProcedure(P::CreateProcedureContext* ctx) {
  const ObjectName written = Name(ctx->qualifiedName());
  const ResolvedName name = Resolve(written);
  if (!name.name.empty() && name.name[0] == '#') return {written, false};  // temporary procedure
  Routine r;
  r.name = name.name;
  r.kind = RoutineKind::kProcedure;
  r.span = statement_span();
  for (P::ParameterContext* p : ctx->parameter()) r.parameters.push_back(BuildParameter(p));
  BuildRoutineOptions(ctx->routineOption(), &r.options);
  if (ctx->K_REPLICATION() != nullptr) r.options["FOR REPLICATION"] = "";
  StoreRoutine(name, std::move(r));
  return {written, true};
}

BuildResult AstBuilder::BuildCreateFunction(P::CreateFunctionContext* ctx) {
  const ObjectName written = Name(ctx->qualifiedName());
  const ResolvedName name = Resolve(written);
  Routine r;
  r.name = name.name;
  r.span = statement_span();
  for (P::ParameterContext* p : ctx->parameter()) r.parameters.push_back(BuildParameter(p));
  BuildRoutineOptions(ctx->routineOption(), &r.options);
  P::FunctionReturnContext* ret = ctx->functionReturn();
  if (dynamic_cast<P::InlineTableReturnContext*>(ret)) {
    r.kind = RoutineKind::kInlineTableFunction;
  } else if (auto* tv = dynamic_cast<P::TableVariableReturnContext*>(ret)) {
    r.kind = RoutineKind::kTableFunction;
    r.return_variable = TokenText(tv->VARIABLE());
    BuildReturnColumns(tv->tableElement(), &r);
  } else if (auto* clr = dynamic_cast<P::ClrTableReturnContext*>(ret)) {
    r.kind = RoutineKind::kTableFunction;  // becomes kClr below: only CLR functions say this
    BuildReturnColumns(clr->tableElement(), &r);
  } else if (auto* sc = dynamic_cast<P::ScalarReturnContext*>(ret)) {
    r.kind = RoutineKind::kScalarFunction;
    r.return_type = BuildDataType(sc->dataType());
  }
  StoreRoutine(name, std::move(r));
  return {written, true};
}

BuildResult AstBuilder::BuildCreateTrigger(P::CreateTriggerContext* ctx) {
  const std::vector<P::QualifiedNameContext*> names = ctx->qualifiedName();
  const ObjectName written = Name(names[0]);
  Trigger trigger;
  trigger.name = written.name;
  trigger.span = statement_span();
  ResolvedName home;
  if (names.size() > 1) {
    trigger.parent = Name(names[1]);
    const ResolvedName parent = Resolve(trigger.parent);
    // A trigger lives in its table's schema unless its own name says otherwise.
    home = Resolve(written);
    if (written.schema.empty()) home.schema = parent.schema;
  } else {
    trigger.database_level = true;
    home = Resolve(written);
    if (ctx->K_SERVER() != nullptr) trigger.options["ALL SERVER"] = "";
  }
  BuildRoutineOptions(ctx->routineOption(), &trigger.options);
  if (ctx->K_INSTEAD() != nullptr) {
    trigger.timing = TriggerTiming::kInsteadOf;
  } else {
    trigger.timing = TriggerTiming::kAfter;
  }
  for (P::TriggerEventContext* e : ctx->triggerEvent()) trigger.events.push_back(ToUpperAscii(TextOf(e)));
  if (ctx->K_APPEND() != nullptr) trigger.options["APPEND"] = "";
  if (ctx->notForReplication() != nullptr) trigger.options["NOT FOR REPLICATION"] = "";
  if (split_->has_body) trigger.body = SpanOfTokens(split_->header_end, split_->end - 1);
  trigger.references = BodyReferences();
  Schema& schema = GetOrAddSchema(home);
  if (Trigger* existing = FindNamed(schema.triggers, trigger.name)) {
    *existing = std::move(trigger);
  } else {
    schema.triggers.push_back(std::move(trigger));
  }
  return {written, true};
}

}  // namespace sqlmill::tsql::internal

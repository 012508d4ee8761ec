// AstBuilder, the rest: CREATE SCHEMA / TYPE / SEQUENCE / SYNONYM, DROP of named objects,
// and EXEC sp_addextendedproperty & co (MS_Description → descriptions).
#include <array>

#include "absl/strings/str_cat.h"
#include "services/sql_parser/engine/internal/ast_builder.h"

namespace sqlmill::tsql::internal {

namespace {

template <typename T>
bool EraseNamed(std::vector<T>* items, std::string_view name) {
  for (auto it = items->begin(); it != items->end(); ++it) {
    if (EqualsIgnoreCase(it->name, name)) {
      items->erase(it);
      return true;
    }
  }
  return false;
}

// Returns the value of a string literal token's text: N'it''s' -> it's.
std::string StringValue(std::string_view raw) {
  if (!raw.empty() && (raw[0] == 'N' || raw[0] == 'n')) raw.remove_prefix(1);
  if (raw.size() >= 2 && (raw.front() == '\'' || raw.front() == '"')) {
    const char q = raw.front();
    raw = raw.substr(1, raw.size() - 2);
    std::string out;
    for (size_t i = 0; i < raw.size(); ++i) {
      out.push_back(raw[i]);
      if (raw[i] == q && i + 1 < raw.size() && raw[i + 1] == q) ++i;
    }
    return out;
  }
  return std::string(raw);
}

}  // namespace

BuildResult AstBuilder::BuildCreateSchema(P::CreateSchemaContext* ctx) {
  const std::vector<P::IdentifierContext*> ids = ctx->identifier();
  std::string schema_name;
  std::string authorization;
  if (ctx->K_AUTHORIZATION() != nullptr) {
    authorization = Ident(ids.back());
    schema_name = ids.size() > 1 ? Ident(ids[0]) : authorization;  // CREATE SCHEMA AUTHORIZATION x
  } else if (!ids.empty()) {
    schema_name = Ident(ids[0]);
  }
  Schema& schema = catalog_->GetOrAddDatabase(database_).GetOrAddSchema(schema_name);
  schema.authorization = authorization;
  schema.span = statement_span();
  ObjectName target;
  target.name = schema_name;
  return {target, true};
}

BuildResult AstBuilder::BuildCreateType(P::CreateTypeContext* ctx) {
  const ObjectName written = Name(ctx->qualifiedName());
  const ResolvedName name = Resolve(written);
  UserDefinedType type;
  type.name = name.name;
  type.span = statement_span();
  P::TypeDefinitionContext* def = ctx->typeDefinition();
  if (auto* alias = dynamic_cast<P::AliasTypeContext*>(def)) {
    type.kind = TypeKind::kAlias;
    type.base_type = BuildDataType(alias->dataType());
    if (alias->K_NOT() != nullptr) type.nullability = Nullability::kNotNull;
    else if (alias->K_NULL() != nullptr) type.nullability = Nullability::kNull;
  } else if (auto* table = dynamic_cast<P::TableTypeContext*>(def)) {
    type.kind = TypeKind::kTable;
    for (P::TableElementContext* e : table->tableElement()) {
      BuildTableElement(e, nullptr, &type.columns, &type.constraints, &type.indexes);
    }
    int32_t ordinal = 1;
    for (Column& c : type.columns) c.ordinal = ordinal++;
    for (P::OptionItemContext* item : table->optionItem()) {
      if (OptionKey(item) == "MEMORY_OPTIMIZED") type.memory_optimized = EqualsIgnoreCase(OptionValue(item), "ON");
    }
  } else if (auto* clr = dynamic_cast<P::ClrTypeContext*>(def)) {
    type.kind = TypeKind::kClr;
    type.external_name = Name(clr->qualifiedName()).ToString();
  }
  Schema& schema = GetOrAddSchema(name);
  EraseNamed(&schema.types, type.name);
  schema.types.push_back(std::move(type));
  return {written, true};
}

BuildResult AstBuilder::BuildCreateSequence(P::CreateSequenceContext* ctx) {
  const ObjectName written = Name(ctx->qualifiedName());
  const ResolvedName name = Resolve(written);
  Sequence seq;
  seq.name = name.name;
  seq.span = statement_span();
  for (P::SequenceOptionContext* o : ctx->sequenceOption()) {
    if (auto* t = dynamic_cast<P::SequenceTypeContext*>(o)) {
      seq.data_type = BuildDataType(t->dataType());
    } else if (auto* s = dynamic_cast<P::SequenceStartContext*>(o)) {
      seq.start = TextOf(s->signedNumber());
    } else if (auto* i = dynamic_cast<P::SequenceIncrementContext*>(o)) {
      seq.increment = TextOf(i->signedNumber());
    } else if (auto* mn = dynamic_cast<P::SequenceMinContext*>(o)) {
      seq.min_value = TextOf(mn->signedNumber());
    } else if (auto* mx = dynamic_cast<P::SequenceMaxContext*>(o)) {
      seq.max_value = TextOf(mx->signedNumber());
    } else if (dynamic_cast<P::SequenceCycleContext*>(o)) {
      seq.cycle = true;
    } else if (auto* c = dynamic_cast<P::SequenceCacheContext*>(o)) {
      seq.cache = c->signedNumber() != nullptr ? TextOf(c->signedNumber()) : "CACHE";
    } else if (dynamic_cast<P::SequenceNoCacheContext*>(o)) {
      seq.cache = "NO CACHE";
    }
  }
  Schema& schema = GetOrAddSchema(name);
  EraseNamed(&schema.sequences, seq.name);
  schema.sequences.push_back(std::move(seq));
  return {written, true};
}

BuildResult AstBuilder::BuildCreateSynonym(P::CreateSynonymContext* ctx) {
  const ObjectName written = Name(ctx->qualifiedName(0));
  const ResolvedName name = Resolve(written);
  Synonym syn;
  syn.name = name.name;
  syn.target = Name(ctx->qualifiedName(1));
  syn.span = statement_span();
  Schema& schema = GetOrAddSchema(name);
  EraseNamed(&schema.synonyms, syn.name);
  schema.synonyms.push_back(std::move(syn));
  return {written, true};
}

BuildResult AstBuilder::BuildDropObjects(P::DropObjectsContext* ctx) {
  BuildResult result;
  const int kind = static_cast<int>(ctx->dropObjectKind()->getStart()->getType());
  for (P::QualifiedNameContext* q : ctx->qualifiedName()) {
    const ObjectName written = Name(q);
    if (result.target.empty()) result.target = written;
    if (kind == P::K_SCHEMA) {
      if (Database* db = catalog_->FindDatabase(database_)) {
        for (auto it = db->schemas.begin(); it != db->schemas.end(); ++it) {
          if (EqualsIgnoreCase(it->name, written.name)) {
            db->schemas.erase(it);
            result.applied = true;
            break;
          }
        }
      }
      continue;
    }
    const ResolvedName name = Resolve(written);
    Schema* schema = FindSchema(name);
    if (schema == nullptr) continue;
    bool removed = false;
    switch (kind) {
      case P::K_TABLE:
        removed = EraseNamed(&schema->tables, name.name);
        if (removed) {
          // Its triggers go with it.
          std::erase_if(schema->triggers, [&](const Trigger& t) {
            return !t.database_level && EqualsIgnoreCase(t.parent.name, name.name) &&
                   EqualsIgnoreCase(Resolve(t.parent).schema, name.schema);
          });
        }
        break;
      case P::K_VIEW:
        removed = EraseNamed(&schema->views, name.name);
        break;
      case P::K_PROC:
      case P::K_PROCEDURE:
      case P::K_FUNCTION: {
        const bool procedure = kind != P::K_FUNCTION;
        for (auto it = schema->routines.begin(); it != schema->routines.end(); ++it) {
          if (EqualsIgnoreCase(it->name, name.name) &&
              (it->kind == RoutineKind::kProcedure) == procedure) {
            schema->routines.erase(it);
            removed = true;
            break;
          }
        }
        break;
      }
      case P::K_TRIGGER:
        removed = EraseNamed(&schema->triggers, name.name);
        break;
      case P::K_TYPE:
        removed = EraseNamed(&schema->types, name.name);
        break;
      case P::K_SEQUENCE:
        removed = EraseNamed(&schema->sequences, name.name);
        break;
      case P::K_SYNONYM:
        removed = EraseNamed(&schema->synonyms, name.name);
        break;
      default:
        break;
    }
    result.applied = result.applied || removed;
  }
  return result;
}

BuildResult AstBuilder::BuildExecProcedure(P::ExecProcedureContext* ctx) {
  const ObjectName proc = Name(ctx->qualifiedName());
  const std::string proc_name = ToLowerAscii(proc.name);
  BuildResult result;
  result.target = proc;
  // Arguments by name or by position: @name, @value, @level0type, @level0name, ...
  static constexpr std::array<std::string_view, 8> kParams = {
      "@name", "@value", "@level0type", "@level0name", "@level1type", "@level1name",
      "@level2type", "@level2name"};
  std::map<std::string, std::string> args;
  size_t position = 0;
  for (P::ExecArgumentContext* a : ctx->execArgument()) {
    std::string key;
    if (a->EQ() != nullptr) {
      key = ToLowerAscii(TokenText(a->VARIABLE(0)));
    } else if (position < kParams.size()) {
      key = std::string(kParams[position]);
    }
    ++position;
    std::string value;
    if (a->literal() != nullptr) {
      value = a->literal()->K_NULL() != nullptr ? "" : StringValue(TextOf(a->literal()));
    } else if (a->identifier() != nullptr) {
      value = Ident(a->identifier());
    }
    args[key] = value;
  }
  const std::string property = ToLowerAscii(args["@name"]);
  if (property != "ms_description" && property != "description") return result;
  const bool drop = proc_name == "sp_dropextendedproperty";
  const std::string description = drop ? "" : args["@value"];
  const std::string level0 = ToUpperAscii(args["@level0type"]);
  const std::string level1 = ToUpperAscii(args["@level1type"]);
  const std::string level2 = ToUpperAscii(args["@level2type"]);
  if (level0 != "SCHEMA") return result;
  ObjectName object;
  object.schema = args["@level0name"];
  object.name = args["@level1name"];
  result.target = object;
  Database* db = catalog_->FindDatabase(database_);
  Schema* schema = db == nullptr ? nullptr : db->FindSchema(object.schema);
  if (schema == nullptr) return result;
  if (level1.empty()) {
    schema->description = description;
    result.target.name = object.schema;
    result.target.schema.clear();
    result.applied = true;
    return result;
  }
  const std::string& level2_name = args["@level2name"];
  if (level1 == "TABLE") {
    for (Table& t : schema->tables) {
      if (!EqualsIgnoreCase(t.name, object.name)) continue;
      if (level2.empty()) {
        t.description = description;
        result.applied = true;
      } else if (level2 == "COLUMN") {
        if (Column* c = t.FindColumn(level2_name)) {
          c->description = description;
          result.applied = true;
        }
      }
    }
  } else if (level1 == "VIEW" && level2.empty()) {
    for (View& v : schema->views) {
      if (EqualsIgnoreCase(v.name, object.name)) {
        v.description = description;
        result.applied = true;
      }
    }
  } else if ((level1 == "PROCEDURE" || level1 == "FUNCTION") && level2.empty()) {
    for (Routine& r : schema->routines) {
      if (EqualsIgnoreCase(r.name, object.name)) {
        r.description = description;
        result.applied = true;
      }
    }
  }
  return result;
}

}  // namespace sqlmill::tsql::internal

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
    type.external_name = TextOf(clr->qualifiedName());  // as written: Asm.[Ns.Class]
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
            for (const Table& t : it->tables) table_index_.erase(TableKey({database_, it->name, t.name}));
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
        removed = EraseTable(name);
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
  static constexpr std::array<std::string_view, 3> kRenameParams = {"@objname", "@newname",
                                                                    "@objtype"};
  static constexpr std::array<std::string_view, 4> kAddTypeParams = {"@typename", "@phystype",
                                                                     "@nulltype", "@owner"};
  const bool rename = proc_name == "sp_rename";
  const bool add_type = proc_name == "sp_addtype" || proc_name == "sp_droptype";
  std::map<std::string, std::string> args;
  size_t position = 0;
  for (P::ExecArgumentContext* a : ctx->execArgument()) {
    std::string key;
    if (a->EQ() != nullptr) {
      key = ToLowerAscii(TokenText(a->VARIABLE(0)));
    } else if (rename && position < kRenameParams.size()) {
      key = std::string(kRenameParams[position]);
    } else if (add_type && position < kAddTypeParams.size()) {
      key = std::string(kAddTypeParams[position]);
    } else if (!rename && !add_type && position < kParams.size()) {
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
  if (rename) return BuildRename(args);
  if (proc_name == "sp_addtype") return BuildAddType(args, ctx);
  if (proc_name == "sp_droptype") return BuildDropType(args);
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
    if (Table* t = FindTable(ResolvedName{database_, object.schema, object.name})) {
      if (level2.empty()) {
        t->description = description;
        result.applied = true;
      } else if (level2 == "COLUMN") {
        if (Column* c = t->FindColumn(level2_name)) {
          c->description = description;
          result.applied = true;
        }
      } else if (level2 == "INDEX") {
        for (Index& i : t->indexes) {
          if (EqualsIgnoreCase(i.name, level2_name)) {
            i.description = description;
            result.applied = true;
          }
        }
      } else if (level2 == "CONSTRAINT") {
        auto describe = [&](Constraint& c) {
          if (!EqualsIgnoreCase(c.name, level2_name)) return;
          c.description = description;
          result.applied = true;
        };
        if (t->primary_key) describe(*t->primary_key);
        for (Constraint& c : t->unique_constraints) describe(c);
        for (Constraint& c : t->foreign_keys) describe(c);
        for (Constraint& c : t->check_constraints) describe(c);
        for (Column& c : t->columns) {
          if (c.default_constraint) describe(*c.default_constraint);
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

BuildResult AstBuilder::BuildAddType(const std::map<std::string, std::string>& args,
                                     P::ExecProcedureContext* ctx) {
  BuildResult result;
  auto get = [&args](const char* key) {
    auto it = args.find(key);
    return it == args.end() ? std::string() : it->second;
  };
  ObjectName written;
  written.name = get("@typename");
  written.schema = get("@owner");
  result.target = written;
  std::optional<DataType> base = DataTypeFromText(get("@phystype"));
  if (written.name.empty()) return result;
  if (!base || base->is_user_defined) {
    // SQL Server rejects the call; the columns declared with the type stay unknown.
    Warn("bad-type", absl::StrCat("sp_addtype: '", get("@phystype"), "' is not a built-in data type; type '",
                                  written.name, "' is not created"),
         ctx);
    return result;
  }
  const ResolvedName name = Resolve(written);
  UserDefinedType type;
  type.name = name.name;
  type.kind = TypeKind::kAlias;
  type.base_type = std::move(*base);
  const std::string null_type = ToUpperAscii(get("@nulltype"));
  if (null_type == "NOT NULL" || null_type == "NONULL") {
    type.nullability = Nullability::kNotNull;
  } else if (null_type == "NULL") {
    type.nullability = Nullability::kNull;
  }
  type.span = statement_span();
  Schema& schema = GetOrAddSchema(name);
  EraseNamed(&schema.types, type.name);
  schema.types.push_back(std::move(type));
  result.applied = true;
  return result;
}

BuildResult AstBuilder::BuildDropType(const std::map<std::string, std::string>& args) {
  BuildResult result;
  auto it = args.find("@typename");
  if (it == args.end() || it->second.empty()) return result;
  std::vector<std::string> parts(1);
  for (char c : it->second) {
    if (c == '.') parts.emplace_back();
    else if (c != '[' && c != ']') parts.back().push_back(c);
  }
  ObjectName written;
  written.name = parts.back();
  if (parts.size() > 1) written.schema = parts[parts.size() - 2];
  result.target = written;
  const ResolvedName name = Resolve(written);
  Database* db = catalog_->FindDatabase(name.database);
  Schema* schema = db == nullptr ? nullptr : db->FindSchema(name.schema);
  if (schema == nullptr) return result;
  result.applied = EraseNamed(&schema->types, name.name);
  return result;
}

BuildResult AstBuilder::BuildRename(const std::map<std::string, std::string>& args) {
  // sp_rename 'schema.object', 'new' [, 'OBJECT'] | 'schema.table.column', 'new', 'COLUMN'
  // | 'schema.table.index', 'new', 'INDEX'. The new name is never qualified.
  BuildResult result;
  auto get = [&args](const char* key) {
    auto it = args.find(key);
    return it == args.end() ? std::string() : it->second;
  };
  const std::string objtype = ToUpperAscii(get("@objtype"));
  const std::string new_name = get("@newname");
  // Split the (possibly bracketed) dotted name.
  std::vector<std::string> parts(1);
  bool in_bracket = false;
  for (char c : get("@objname")) {
    if (c == '[' && !in_bracket) in_bracket = true;
    else if (c == ']' && in_bracket) in_bracket = false;
    else if (c == '.' && !in_bracket) parts.emplace_back();
    else parts.back().push_back(c);
  }
  if (new_name.empty() || parts.back().empty()) return result;
  const bool member = objtype == "COLUMN" || objtype == "INDEX";
  if (member && parts.size() < 2) return result;
  ObjectName object;
  const size_t n = parts.size() - (member ? 1 : 0);
  object.name = parts[n - 1];
  if (n >= 2) object.schema = parts[n - 2];
  if (n >= 3) object.database = parts[n - 3];
  result.target = object;
  const ResolvedName name = Resolve(object);
  Schema* schema = FindSchema(name);
  if (schema == nullptr) return result;
  if (member) {
    Table* table = FindTable(name);
    if (table == nullptr) return result;
    const std::string& old_member = parts.back();
    if (objtype == "COLUMN") {
      if (Column* c = table->FindColumn(old_member)) {
        c->name = new_name;
        result.applied = true;
        // Keys, indexes and foreign keys refer to columns by id: they follow the rename.
        auto keys = [&](std::vector<KeyColumn>& cols) {
          for (KeyColumn& k : cols) {
            if (EqualsIgnoreCase(k.name, old_member)) k.name = new_name;
          }
        };
        if (table->primary_key) keys(table->primary_key->columns);
        for (Constraint& u : table->unique_constraints) keys(u.columns);
        for (Constraint& f : table->foreign_keys) keys(f.columns);
        for (Index& i : table->indexes) {
          keys(i.columns);
          for (std::string& inc : i.included_columns) {
            if (EqualsIgnoreCase(inc, old_member)) inc = new_name;
          }
        }
        if (Database* db = catalog_->FindDatabase(name.database)) {
          for (Schema& other : db->schemas) {
            for (Table& t : other.tables) {
              for (Constraint& f : t.foreign_keys) {
                const ResolvedName ref = Resolve(f.referenced_table);
                if (!EqualsIgnoreCase(ref.schema, name.schema) || !EqualsIgnoreCase(ref.name, name.name)) continue;
                for (std::string& rc : f.referenced_columns) {
                  if (EqualsIgnoreCase(rc, old_member)) rc = new_name;
                }
              }
            }
          }
        }
      }
    } else {
      for (Index& i : table->indexes) {
        if (EqualsIgnoreCase(i.name, old_member)) {
          i.name = new_name;
          result.applied = true;
        }
      }
    }
    if (result.applied) table->modified_by.push_back(statement_span());
    return result;
  }
  if (!objtype.empty() && objtype != "OBJECT") return result;  // USERDATATYPE, DATABASE, ...
  if (Table* table = FindTable(name)) {
    Table renamed = std::move(*table);
    EraseTable(name);
    renamed.name = new_name;
    renamed.modified_by.push_back(statement_span());
    AddTable(ResolvedName{name.database, name.schema, new_name}, std::move(renamed));
    // Foreign keys and triggers refer to the table by id: they follow the rename.
    if (Database* db = catalog_->FindDatabase(name.database)) {
      for (Schema& other : db->schemas) {
        for (Table& t : other.tables) {
          for (Constraint& f : t.foreign_keys) {
            const ResolvedName ref = Resolve(f.referenced_table);
            if (EqualsIgnoreCase(ref.schema, name.schema) && EqualsIgnoreCase(ref.name, name.name)) {
              f.referenced_table.name = new_name;
            }
          }
        }
        for (Trigger& tr : other.triggers) {
          const ResolvedName parent = Resolve(tr.parent);
          if (!tr.database_level && EqualsIgnoreCase(parent.schema, name.schema) &&
              EqualsIgnoreCase(parent.name, name.name)) {
            tr.parent.name = new_name;
          }
        }
      }
    }
    result.applied = true;
    return result;
  }
  auto rename_in = [&](auto& items) {
    for (auto& item : items) {
      if (EqualsIgnoreCase(item.name, name.name)) {
        item.name = new_name;
        return true;
      }
    }
    return false;
  };
  if (rename_in(schema->views) || rename_in(schema->routines) || rename_in(schema->sequences) ||
      rename_in(schema->synonyms) || rename_in(schema->triggers) || rename_in(schema->types)) {
    result.applied = true;
    return result;
  }
  // Constraints are objects too.
  for (Table& t : schema->tables) {
    auto rename_constraint = [&](Constraint& c) {
      if (!EqualsIgnoreCase(c.name, name.name)) return;
      c.name = new_name;
      result.applied = true;
    };
    if (t.primary_key) rename_constraint(*t.primary_key);
    for (Constraint& c : t.unique_constraints) rename_constraint(c);
    for (Constraint& c : t.foreign_keys) rename_constraint(c);
    for (Constraint& c : t.check_constraints) rename_constraint(c);
    for (Column& c : t.columns) {
      if (c.default_constraint) rename_constraint(*c.default_constraint);
    }
  }
  return result;
}

}  // namespace sqlmill::tsql::internal

// AstBuilder, tables: CREATE TABLE (columns, constraints, inline indexes, table options)
// and ALTER TABLE (ADD / ALTER COLUMN / DROP / CHECK|NOCHECK / ENABLE|DISABLE TRIGGER / SET).
#include "absl/strings/str_cat.h"
#include "services/sql_parser/engine/internal/ast_builder.h"
#include "services/sql_parser/engine/internal/body_scanner.h"

namespace sqlmill::tsql::internal {

namespace {

// Strips one pair of outer parentheses: "((0))" -> "(0)".
std::string StripOuterParens(std::string s) {
  if (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
    int depth = 0;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '(') ++depth;
      if (s[i] == ')' && --depth == 0 && i + 1 < s.size()) return s;  // (a) + (b)
    }
    return s.substr(1, s.size() - 2);
  }
  return s;
}

Clustering ClusteringOf(P::ClusteringContext* ctx) {
  if (ctx == nullptr) return Clustering::kUnspecified;
  if (ctx->K_HASH() != nullptr) return Clustering::kHash;
  if (ctx->K_CLUSTERED() != nullptr) return Clustering::kClustered;
  return Clustering::kNonclustered;
}

ReferentialAction ActionOf(P::ReferentialActionContext* ctx) {
  if (ctx->K_CASCADE() != nullptr) return ReferentialAction::kCascade;
  if (ctx->K_NULL() != nullptr) return ReferentialAction::kSetNull;
  if (ctx->K_DEFAULT() != nullptr) return ReferentialAction::kSetDefault;
  return ReferentialAction::kNoAction;
}

template <typename T>
bool EraseByName(std::vector<T>* items, std::string_view name) {
  for (auto it = items->begin(); it != items->end(); ++it) {
    if (EqualsIgnoreCase(it->name, name)) {
      items->erase(it);
      return true;
    }
  }
  return false;
}

void Renumber(Table* table) {
  int32_t ordinal = 1;
  for (Column& c : table->columns) c.ordinal = ordinal++;
}

}  // namespace

std::vector<KeyColumn> AstBuilder::BuildKeyColumns(const std::vector<P::KeyColumnContext*>& ctxs) const {
  std::vector<KeyColumn> out;
  out.reserve(ctxs.size());
  for (P::KeyColumnContext* k : ctxs) out.push_back(KeyColumn{Ident(k->identifier()), k->K_DESC() != nullptr});
  return out;
}

void AstBuilder::BuildIndexWith(P::IndexWithContext* ctx, std::map<std::string, std::string>* options,
                                int32_t* bucket_count) {
  if (ctx == nullptr) return;
  for (P::OptionItemContext* item : ctx->optionItem()) {
    const std::string key = OptionKey(item);
    const std::string value = OptionValue(item);
    if (key == "BUCKET_COUNT" && bucket_count != nullptr) {
      *bucket_count = static_cast<int32_t>(std::strtol(value.c_str(), nullptr, 10));
    }
    (*options)[key] = value;
  }
  // Old style: WITH FILLFACTOR = 90, IGNORE_DUP_KEY. A value belongs to the word before it.
  std::string key;
  for (antlr4::tree::ParseTree* child : ctx->children) {
    if (auto* w = dynamic_cast<P::OptionWordContext*>(child)) {
      key = ToUpperAscii(TextOf(w));
      (*options)[key] = "";
    } else if (auto* v = dynamic_cast<P::OptionValueContext*>(child)) {
      (*options)[key] = TextOf(v);
    }
  }
}

void AstBuilder::AddConstraint(Table* table, Constraint constraint) {
  switch (constraint.kind) {
    case ConstraintKind::kPrimaryKey:
      table->primary_key = std::move(constraint);
      break;
    case ConstraintKind::kUnique:
      table->unique_constraints.push_back(std::move(constraint));
      break;
    case ConstraintKind::kForeignKey:
      table->foreign_keys.push_back(std::move(constraint));
      break;
    case ConstraintKind::kCheck:
      table->check_constraints.push_back(std::move(constraint));
      break;
    case ConstraintKind::kEdge:
      table->edge_constraints.push_back(std::move(constraint));
      break;
    case ConstraintKind::kDefault: {
      if (constraint.columns.empty()) break;
      if (Column* column = table->FindColumn(constraint.columns[0].name)) {
        column->default_constraint = std::move(constraint);
      }
      break;
    }
    case ConstraintKind::kUnspecified:
      break;
  }
}

bool AstBuilder::DropConstraint(Table* table, std::string_view name) {
  if (table->primary_key && EqualsIgnoreCase(table->primary_key->name, name)) {
    table->primary_key.reset();
    return true;
  }
  if (EraseByName(&table->unique_constraints, name) || EraseByName(&table->foreign_keys, name) ||
      EraseByName(&table->check_constraints, name) || EraseByName(&table->edge_constraints, name)) {
    return true;
  }
  for (Column& c : table->columns) {
    if (c.default_constraint && EqualsIgnoreCase(c.default_constraint->name, name)) {
      c.default_constraint.reset();
      return true;
    }
  }
  return false;
}

Constraint AstBuilder::BuildColumnConstraint(P::ColumnConstraintContext* ctx, const Column& column) {
  Constraint c;
  c.name = Ident(ctx->identifier());
  c.span = SpanOf(ctx);
  if (ctx->K_PRIMARY() != nullptr || ctx->K_UNIQUE() != nullptr) {
    c.kind = ctx->K_PRIMARY() != nullptr ? ConstraintKind::kPrimaryKey : ConstraintKind::kUnique;
    c.clustering = ClusteringOf(ctx->clustering());
    c.columns = ctx->keyColumn().empty() ? std::vector<KeyColumn>{KeyColumn{column.name, false}}
                                         : BuildKeyColumns(ctx->keyColumn());
    BuildIndexWith(ctx->indexWith(), &c.options, &c.bucket_count);
    if (ctx->onDataSpace() != nullptr) c.data_space = DataSpace(ctx->onDataSpace());
  } else if (ctx->K_REFERENCES() != nullptr) {
    c.kind = ConstraintKind::kForeignKey;
    c.columns.push_back(KeyColumn{column.name, false});
    c.referenced_table = Name(ctx->qualifiedName());
    if (ctx->identifierList() != nullptr) {
      for (auto* id : ctx->identifierList()->identifier()) c.referenced_columns.push_back(Ident(id));
    }
    for (auto* a : ctx->referentialAction()) {
      (a->K_DELETE() != nullptr ? c.on_delete : c.on_update) = ActionOf(a);
    }
    c.not_for_replication = ctx->notForReplication() != nullptr;
  } else if (ctx->K_CHECK() != nullptr) {
    c.kind = ConstraintKind::kCheck;
    c.columns.push_back(KeyColumn{column.name, false});
    c.expression = TextOf(ctx->parenTokens());
    c.not_for_replication = ctx->notForReplication() != nullptr;
  } else if (ctx->K_DEFAULT() != nullptr) {
    c.kind = ConstraintKind::kDefault;
    c.columns.push_back(KeyColumn{column.name, false});
    c.expression = TextOf(ctx->expression());
  }
  return c;
}

void AstBuilder::ApplyColumnOption(P::ColumnOptionContext* ctx, Column* column,
                                   std::vector<Constraint>* constraints, std::vector<Index>* indexes) {
  // Each alternative of columnOption starts with its own keyword, so the first token says
  // which labeled context this is (cheaper than a chain of dynamic_casts on a hot path).
  const size_t first = ctx->getStart()->getType();
  if (first == P::K_NULL) {
    column->nullability = Nullability::kNull;
  } else if (first == P::K_NOT) {
    column->nullability = Nullability::kNotNull;
  } else if (first == P::K_IDENTITY) {
    auto* o = static_cast<P::IdentityOptionContext*>(ctx);
    Identity identity;
    const auto nums = o->signedNumber();
    if (nums.size() == 2) {
      identity.seed = std::strtoll(TextOf(nums[0]).c_str(), nullptr, 10);
      identity.increment = std::strtoll(TextOf(nums[1]).c_str(), nullptr, 10);
    }
    identity.not_for_replication = o->notForReplication() != nullptr;
    column->identity = identity;
  } else if (first == P::K_COLLATE) {
    auto* o = static_cast<P::CollateOptionContext*>(ctx);
    column->collation = Ident(o->identifier());
  } else if (first == P::K_ROWGUIDCOL) {
    column->rowguidcol = true;
  } else if (first == P::K_SPARSE) {
    column->sparse = true;
  } else if (first == P::K_FILESTREAM) {
    column->filestream = true;
  } else if (first == P::K_PERSISTED) {
    if (column->computed) column->computed->persisted = true;
  } else if (first == P::K_HIDDEN) {
    column->hidden = true;
  } else if (first == P::K_MASKED) {
    auto* o = static_cast<P::MaskedOptionContext*>(ctx);
    std::string f = TokenText(o->STRING());
    if (f.size() >= 2) f = f.substr(1, f.size() - 2);
    column->masking_function = f;
  } else if (first == P::K_GENERATED) {
    auto* o = static_cast<P::GeneratedOptionContext*>(ctx);
    const bool start = o->K_START() != nullptr;
    if (o->K_ROW() != nullptr) {
      column->generated_always = start ? GeneratedAlways::kRowStart : GeneratedAlways::kRowEnd;
    } else if (o->K_TRANSACTION_ID() != nullptr) {
      column->generated_always =
          start ? GeneratedAlways::kTransactionIdStart : GeneratedAlways::kTransactionIdEnd;
    } else {
      column->generated_always =
          start ? GeneratedAlways::kSequenceNumberStart : GeneratedAlways::kSequenceNumberEnd;
    }
    if (o->K_HIDDEN() != nullptr) column->hidden = true;
  } else if (first == P::K_COLUMN_SET) {
    column->column_set = true;
  } else if (first == P::K_ENCRYPTED) {
    auto* o = static_cast<P::EncryptedOptionContext*>(ctx);
    std::string text = TextOf(o->parenTokens());
    column->encrypted_with = text.size() >= 2 ? text.substr(1, text.size() - 2) : text;
  } else if (first == P::K_INDEX) {
    auto* o = static_cast<P::InlineIndexOptionContext*>(ctx);
    BuildInlineIndex(o, column, indexes);
  } else {
    auto* o = static_cast<P::ConstraintOptionContext*>(ctx);
    Constraint c = BuildColumnConstraint(o->columnConstraint(), *column);
    if (c.kind == ConstraintKind::kDefault) {
      column->default_constraint = std::move(c);
    } else {
      constraints->push_back(std::move(c));
    }
  }
}

void AstBuilder::BuildInlineIndex(P::InlineIndexOptionContext* o, Column* column,
                                  std::vector<Index>* indexes) {
    Index index;
    index.name = Ident(o->identifier());
    const Clustering cl = ClusteringOf(o->clustering());
    index.kind = cl == Clustering::kClustered ? IndexKind::kClustered
               : cl == Clustering::kHash      ? IndexKind::kHash
                                              : IndexKind::kNonclustered;
    index.columns = o->keyColumn().empty() ? std::vector<KeyColumn>{KeyColumn{column->name, false}}
                                           : BuildKeyColumns(o->keyColumn());
    int32_t bucket_count = 0;
    BuildIndexWith(o->indexWith(), &index.options, &bucket_count);
    if (o->onDataSpace() != nullptr) index.data_space = DataSpace(o->onDataSpace());
    index.span = SpanOf(o);
    indexes->push_back(std::move(index));
}

Column AstBuilder::BuildColumn(P::ColumnDefinitionContext* ctx, std::vector<Constraint>* constraints,
                               std::vector<Index>* indexes) {
  Column column;
  column.span = SpanOf(ctx);
  // One pass over the children instead of one accessor (a scan with dynamic_casts) each.
  for (antlr4::tree::ParseTree* child : ctx->children) {
    auto* rule = dynamic_cast<antlr4::ParserRuleContext*>(child);
    if (rule == nullptr) continue;  // the AS keyword
    switch (rule->getRuleIndex()) {
      case P::RuleIdentifier:
        column.name = Ident(static_cast<P::IdentifierContext*>(rule));
        break;
      case P::RuleDataType:
        column.data_type = BuildDataType(static_cast<P::DataTypeContext*>(rule));
        break;
      case P::RuleExpression:
        column.computed = ComputedColumn{StripOuterParens(TextOf(rule)), false};
        break;
      case P::RuleColumnOption:
        ApplyColumnOption(static_cast<P::ColumnOptionContext*>(rule), &column, constraints, indexes);
        break;
      default:
        break;
    }
  }
  return column;
}

Constraint AstBuilder::BuildTableConstraint(P::TableConstraintContext* ctx) {
  Constraint c;
  c.name = Ident(ctx->identifier());
  c.span = SpanOf(ctx);
  P::TableConstraintBodyContext* body = ctx->tableConstraintBody();
  if (auto* k = dynamic_cast<P::KeyConstraintContext*>(body)) {
    c.kind = k->K_PRIMARY() != nullptr ? ConstraintKind::kPrimaryKey : ConstraintKind::kUnique;
    c.clustering = ClusteringOf(k->clustering());
    c.columns = BuildKeyColumns(k->keyColumn());
    BuildIndexWith(k->indexWith(), &c.options, &c.bucket_count);
    if (k->onDataSpace() != nullptr) c.data_space = DataSpace(k->onDataSpace());
  } else if (auto* f = dynamic_cast<P::ForeignKeyConstraintContext*>(body)) {
    c.kind = ConstraintKind::kForeignKey;
    const auto lists = f->identifierList();
    for (auto* id : lists[0]->identifier()) c.columns.push_back(KeyColumn{Ident(id), false});
    if (lists.size() > 1) {
      for (auto* id : lists[1]->identifier()) c.referenced_columns.push_back(Ident(id));
    }
    c.referenced_table = Name(f->qualifiedName());
    for (auto* a : f->referentialAction()) {
      (a->K_DELETE() != nullptr ? c.on_delete : c.on_update) = ActionOf(a);
    }
    c.not_for_replication = f->notForReplication() != nullptr;
  } else if (auto* ch = dynamic_cast<P::CheckConstraintContext*>(body)) {
    c.kind = ConstraintKind::kCheck;
    c.expression = TextOf(ch->parenTokens());
    c.not_for_replication = ch->notForReplication() != nullptr;
  } else if (auto* d = dynamic_cast<P::DefaultConstraintContext*>(body)) {
    c.kind = ConstraintKind::kDefault;
    c.expression = TextOf(d->expression());
    c.columns.push_back(KeyColumn{Ident(d->identifier()), false});
  } else if (auto* e = dynamic_cast<P::EdgeConstraintContext*>(body)) {
    c.kind = ConstraintKind::kEdge;
    std::string pairs;
    for (auto* p : e->edgePair()) {
      if (!pairs.empty()) pairs += ", ";
      pairs += Name(p->qualifiedName(0)).ToString() + " TO " + Name(p->qualifiedName(1)).ToString();
    }
    c.expression = pairs;
    if (e->K_CASCADE() != nullptr) c.on_delete = ReferentialAction::kCascade;
  }
  return c;
}

Index AstBuilder::BuildTableIndex(P::TableIndexContext* ctx) {
  Index index;
  index.name = Ident(ctx->identifier());
  index.unique = ctx->K_UNIQUE() != nullptr;
  const Clustering cl = ClusteringOf(ctx->clustering());
  if (ctx->K_COLUMNSTORE() != nullptr) {
    index.kind = cl == Clustering::kClustered ? IndexKind::kClusteredColumnstore
                                              : IndexKind::kNonclusteredColumnstore;
  } else {
    index.kind = cl == Clustering::kClustered ? IndexKind::kClustered
               : cl == Clustering::kHash      ? IndexKind::kHash
                                              : IndexKind::kNonclustered;
  }
  index.columns = BuildKeyColumns(ctx->keyColumn());
  if (ctx->identifierList() != nullptr) {
    for (auto* id : ctx->identifierList()->identifier()) index.included_columns.push_back(Ident(id));
  }
  if (ctx->expression() != nullptr) index.filter = TextOf(ctx->expression());
  int32_t bucket_count = 0;
  BuildIndexWith(ctx->indexWith(), &index.options, &bucket_count);
  if (ctx->onDataSpace() != nullptr) index.data_space = DataSpace(ctx->onDataSpace());
  index.span = SpanOf(ctx);
  return index;
}

void AstBuilder::BuildTableElement(P::TableElementContext* ctx, Table* table, std::vector<Column>* columns,
                                   std::vector<Constraint>* constraints, std::vector<Index>* indexes) {
  auto* rule = static_cast<antlr4::ParserRuleContext*>(ctx->children[0]);
  switch (rule->getRuleIndex()) {
    case P::RuleColumnDefinition:
      columns->push_back(BuildColumn(static_cast<P::ColumnDefinitionContext*>(rule), constraints, indexes));
      break;
    case P::RuleTableConstraint:
      constraints->push_back(BuildTableConstraint(static_cast<P::TableConstraintContext*>(rule)));
      break;
    case P::RuleTableIndex:
      indexes->push_back(BuildTableIndex(static_cast<P::TableIndexContext*>(rule)));
      break;
    case P::RulePeriodForSystemTime: {
      auto* p = static_cast<P::PeriodForSystemTimeContext*>(rule);
      if (table != nullptr) {
        table->period_start_column = Ident(p->identifier(0));
        table->period_end_column = Ident(p->identifier(1));
      }
      break;
    }
    default:
      break;
  }
}

void AstBuilder::ApplyTableOption(P::OptionItemContext* item, Table* table) {
  const std::string key = OptionKey(item);
  const std::string value = OptionValue(item);
  const std::string upper_value = ToUpperAscii(value);
  if (key == "MEMORY_OPTIMIZED") {
    table->memory_optimized = upper_value == "ON";
  } else if (key == "DURABILITY") {
    table->durability = upper_value;
  } else if (key == "SYSTEM_VERSIONING") {
    table->system_versioned = upper_value.rfind("ON", 0) == 0;
    // ON (HISTORY_TABLE = [s].[t], DATA_CONSISTENCY_CHECK = ON)
    const size_t at = upper_value.find("HISTORY_TABLE");
    if (at != std::string::npos) {
      size_t eq = value.find('=', at);
      size_t end = value.find_first_of(",)", eq == std::string::npos ? at : eq);
      if (eq != std::string::npos) {
        std::string name(value.substr(eq + 1, (end == std::string::npos ? value.size() : end) - eq - 1));
        // Split on dots outside brackets.
        std::vector<std::string> parts(1);
        bool in_bracket = false;
        for (char ch : name) {
          if (ch == '[') in_bracket = true;
          else if (ch == ']') in_bracket = false;
          else if (ch == '.' && !in_bracket) parts.emplace_back();
          else if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n' && ch != '"') parts.back().push_back(ch);
        }
        ObjectName history;
        history.name = parts.back();
        if (parts.size() >= 2) history.schema = parts[parts.size() - 2];
        if (parts.size() >= 3) history.database = parts[parts.size() - 3];
        table->history_table = history;
      }
    }
  } else if (key == "LEDGER") {
    table->ledger = upper_value.rfind("ON", 0) == 0;
  } else {
    table->options[key] = value;
  }
}

void AstBuilder::DeriveCtasColumns(Table* table) {
  const std::vector<Token>& t = *tokens_;
  const uint32_t k = split_->header_end;  // the token after AS
  const uint32_t end = split_->end;
  if (k + 4 > end || t[k].type != P::K_SELECT || t[k + 1].type != P::STAR || t[k + 2].type != P::K_FROM) return;
  const std::vector<BodyReference> refs = ScanReferences(file_->text, t, k, end);
  // One table, right after FROM; joins and subqueries produce columns we cannot type.
  if (refs.size() != 1 || refs[0].first_token != k + 3) return;
  uint32_t after = refs[0].last_token + 1;
  auto word = [&](uint32_t i, std::string_view w) {
    return i < end && EqualsIgnoreCase(file_->text.substr(t[i].offset, t[i].length), w);
  };
  if (after < end && t[after].type == P::K_AS) ++after;  // [AS] alias
  if (after < end && t[after].type != P::K_WHERE && t[after].type != P::SEMI && !word(after, "OPTION")) ++after;
  if (after < end && t[after].type != P::K_WHERE && t[after].type != P::SEMI && !word(after, "OPTION")) return;
  const Table* source = FindTable(Resolve(refs[0].name));
  if (source == nullptr) return;
  const CatalogSpan star = SpanOfTokens(k + 1, k + 1);
  for (const Column& c : source->columns) {
    Column copy;
    copy.name = c.name;
    copy.ordinal = static_cast<int32_t>(table->columns.size()) + 1;
    copy.data_type = c.data_type;
    copy.nullability = c.nullability;
    copy.collation = c.collation;
    copy.span = star;
    table->columns.push_back(std::move(copy));
  }
}

BuildResult AstBuilder::BuildCreateTable(P::CreateTableContext* ctx) {
  const ObjectName written = Name(ctx->qualifiedName());
  const ResolvedName name = Resolve(written);
  // #temp and ##global temp tables live in tempdb for the session, not in the schema.
  if (!name.name.empty() && name.name[0] == '#') return {written, false};
  Table table;
  table.name = name.name;
  table.span = statement_span();
  std::vector<Constraint> constraints;
  std::vector<Index> indexes;
  const std::vector<P::TableElementContext*> elements = ctx->tableElement();
  table.columns.reserve(elements.size());
  for (size_t i = 0; i < elements.size(); ++i) {
    if (ShouldStop(i)) return {written, false};
    BuildTableElement(elements[i], &table, &table.columns, &constraints, &indexes);
  }
  Renumber(&table);
  for (Constraint& c : constraints) AddConstraint(&table, std::move(c));
  table.indexes = std::move(indexes);
  for (P::TableTailContext* tail : ctx->tableTail()) {
    if (auto* g = dynamic_cast<P::GraphTailContext*>(tail)) {
      if (g->K_NODE() != nullptr) table.graph_kind = GraphKind::kNode;
      if (g->K_EDGE() != nullptr) table.graph_kind = GraphKind::kEdge;
      if (g->K_FILETABLE() != nullptr) table.options["FILETABLE"] = "ON";
    } else if (auto* d = dynamic_cast<P::DataSpaceTailContext*>(tail)) {
      table.data_space = DataSpace(d->onDataSpace());
    } else if (auto* t = dynamic_cast<P::TextImageTailContext*>(tail)) {
      table.textimage_on = DataSpaceName(t->dataSpaceName());
    } else if (auto* f = dynamic_cast<P::FileStreamTailContext*>(tail)) {
      table.filestream_on = DataSpaceName(f->dataSpaceName());
    } else if (auto* o = dynamic_cast<P::OptionsTailContext*>(tail)) {
      for (P::OptionItemContext* item : o->optionItem()) ApplyTableOption(item, &table);
    } else if (dynamic_cast<P::AsSelectTailContext*>(tail)) {
      table.options["AS SELECT"] = "ON";  // CTAS: columns come from the query
    }
  }
  if (ctx->K_EXTERNAL() != nullptr) table.options["EXTERNAL"] = "ON";
  if (table.options.count("AS SELECT") > 0 && table.columns.empty()) DeriveCtasColumns(&table);
  AddTable(name, std::move(table));
  return {written, true};
}

BuildResult AstBuilder::BuildAlterTable(P::AlterTableContext* ctx) {
  const ObjectName written = Name(ctx->qualifiedName());
  const ResolvedName name = Resolve(written);
  Schema* schema = FindSchema(name);
  Table* table = FindTable(name);
  if (table == nullptr) {
    Warn("unknown-table",
         absl::StrCat("ALTER TABLE names ", written.ToString(),
                      ", which this script has not created; the change is not recorded"),
         ctx->qualifiedName());
    return {written, false};
  }
  P::AlterTableActionContext* action = ctx->alterTableAction();
  bool applied = true;
  if (auto* add = dynamic_cast<P::AddActionContext*>(action)) {
    const bool nocheck = add->K_NOCHECK() != nullptr;
    for (P::AlterTableAddItemContext* item : add->alterTableAddItem()) {
      if (auto* col = item->columnDefinition()) {
        std::vector<Constraint> constraints;
        std::vector<Index> indexes;
        Column column = BuildColumn(col, &constraints, &indexes);
        table->columns.push_back(std::move(column));
        Renumber(table);
        for (Constraint& c : constraints) AddConstraint(table, std::move(c));
        for (Index& i : indexes) table->indexes.push_back(std::move(i));
      } else if (auto* tc = item->tableConstraint()) {
        Constraint c = BuildTableConstraint(tc);
        c.not_trusted = nocheck && (c.kind == ConstraintKind::kForeignKey || c.kind == ConstraintKind::kCheck);
        if (c.kind == ConstraintKind::kDefault && !c.columns.empty() &&
            table->FindColumn(c.columns[0].name) == nullptr) {
          Warn("unknown-column",
               absl::StrCat("DEFAULT ... FOR names column ", c.columns[0].name, ", which ",
                            table->name, " does not have"),
               tc);
          applied = false;
        }
        AddConstraint(table, std::move(c));
      } else if (auto* ti = item->tableIndex()) {
        table->indexes.push_back(BuildTableIndex(ti));
      } else if (auto* p = item->periodForSystemTime()) {
        table->period_start_column = Ident(p->identifier(0));
        table->period_end_column = Ident(p->identifier(1));
      }
    }
  } else if (auto* alter = dynamic_cast<P::AlterColumnActionContext*>(action)) {
    const std::string column_name = Ident(alter->identifier());
    Column* column = table->FindColumn(column_name);
    if (column == nullptr) {
      Warn("unknown-column",
           absl::StrCat("ALTER COLUMN names ", column_name, ", which ", table->name, " does not have"),
           alter->identifier());
      applied = false;
    } else {
      P::AlterColumnChangeContext* change = alter->alterColumnChange();
      if (change->dataType() != nullptr) {
        column->data_type = BuildDataType(change->dataType());
        column->nullability = Nullability::kUnspecified;
        column->collation.clear();
        std::vector<Constraint> constraints;
        std::vector<Index> indexes;
        for (auto* option : change->columnOption()) ApplyColumnOption(option, column, &constraints, &indexes);
      } else {
        const bool add = change->K_ADD() != nullptr;
        if (change->K_ROWGUIDCOL() != nullptr) column->rowguidcol = add;
        if (change->K_SPARSE() != nullptr) column->sparse = add;
        if (change->K_HIDDEN() != nullptr) column->hidden = add;
        if (change->K_PERSISTED() != nullptr && column->computed) column->computed->persisted = add;
        if (change->K_MASKED() != nullptr && !add) column->masking_function.clear();
        if (change->notForReplication() != nullptr && column->identity) {
          column->identity->not_for_replication = add;
        }
      }
    }
  } else if (auto* drop = dynamic_cast<P::DropActionContext*>(action)) {
    bool columns_mode = false;
    for (P::AlterTableDropItemContext* item : drop->alterTableDropItem()) {
      if (auto* c = dynamic_cast<P::DropColumnItemContext*>(item)) {
        columns_mode = true;
        for (auto* id : c->identifierList()->identifier()) {
          EraseByName(&table->columns, Ident(id));
        }
        Renumber(table);
      } else if (auto* k = dynamic_cast<P::DropConstraintItemContext*>(item)) {
        const std::string item_name = Ident(k->identifier());
        if (columns_mode && k->K_CONSTRAINT() == nullptr) {
          EraseByName(&table->columns, item_name);  // DROP COLUMN a, b
          Renumber(table);
        } else {
          columns_mode = false;
          DropConstraint(table, item_name);
        }
      } else if (dynamic_cast<P::DropPeriodItemContext*>(item)) {
        table->period_start_column.clear();
        table->period_end_column.clear();
      }
    }
  } else if (auto* check = dynamic_cast<P::CheckActionContext*>(action)) {
    // [WITH CHECK|NOCHECK] CHECK|NOCHECK CONSTRAINT ALL|names
    const auto checks = check->K_CHECK();
    const auto nochecks = check->K_NOCHECK();
    const bool enable = nochecks.empty() || (check->K_WITH() != nullptr && checks.size() == 1 &&
                                             nochecks.size() == 1 &&
                                             checks[0]->getSymbol()->getTokenIndex() >
                                                 nochecks[0]->getSymbol()->getTokenIndex());
    const bool with_check = check->K_WITH() != nullptr && checks.size() >= 1 &&
                            checks[0]->getSymbol()->getTokenIndex() <
                                (nochecks.empty() ? SIZE_MAX : nochecks[0]->getSymbol()->getTokenIndex());
    std::vector<std::string> names;
    if (check->identifierList() != nullptr) {
      for (auto* id : check->identifierList()->identifier()) names.push_back(Ident(id));
    }
    auto apply = [&](Constraint& c) {
      bool selected = check->K_ALL() != nullptr;
      for (const std::string& n : names) selected = selected || EqualsIgnoreCase(n, c.name);
      if (!selected) return;
      c.disabled = !enable;
      if (enable && with_check) c.not_trusted = false;
      if (!enable) c.not_trusted = true;
    };
    for (Constraint& c : table->foreign_keys) apply(c);
    for (Constraint& c : table->check_constraints) apply(c);
  } else if (auto* trig = dynamic_cast<P::TriggerActionContext*>(action)) {
    const bool disable = trig->K_DISABLE() != nullptr;
    std::vector<std::string> names;
    if (trig->identifierList() != nullptr) {
      for (auto* id : trig->identifierList()->identifier()) names.push_back(Ident(id));
    }
    for (Trigger& t : schema->triggers) {
      if (!EqualsIgnoreCase(t.parent.name, table->name)) continue;
      bool selected = trig->K_ALL() != nullptr;
      for (const std::string& n : names) selected = selected || EqualsIgnoreCase(n, t.name);
      if (selected) t.disabled = disable;
    }
  } else if (auto* set = dynamic_cast<P::SetActionContext*>(action)) {
    for (P::OptionItemContext* item : set->optionItem()) ApplyTableOption(item, table);
  } else {
    applied = false;  // SWITCH, REBUILD, ...: recognised, no catalog change
  }
  if (applied) table->modified_by.push_back(statement_span());
  return {written, applied};
}

}  // namespace sqlmill::tsql::internal

// AstBuilder core: dispatch, names, data types, spans and option text.
#include "services/sql_parser/engine/internal/ast_builder.h"

#include <algorithm>
#include <charconv>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/strings.h"

namespace sqlmill::tsql::internal {

namespace {

constexpr std::string_view kBuiltinTypes[] = {
    "bigint", "int", "smallint", "tinyint", "bit", "decimal", "numeric", "money", "smallmoney",
    "float", "real", "date", "datetime", "datetime2", "datetimeoffset", "smalldatetime", "time",
    "char", "varchar", "text", "nchar", "nvarchar", "ntext", "binary", "varbinary", "image",
    "cursor", "rowversion", "timestamp", "hierarchyid", "uniqueidentifier", "sql_variant", "xml",
    "geometry", "geography", "table", "sysname", "json", "vector", "double", "character",
    "national", "integer", "dec"};

// Returns the canonical name SQL Server itself records for an ISO synonym
// (INTEGER → int, DEC → decimal, CHARACTER → char, DOUBLE [PRECISION] → float), so that
// DataType.name is the one spelling consumers compare against.
std::string_view CanonicalTypeName(std::string_view lower) {
  if (lower == "integer") return "int";
  if (lower == "dec") return "decimal";
  if (lower == "character") return "char";
  if (lower == "double") return "float";
  return lower;
}

bool IsBuiltinType(std::string_view lower) {
  return std::find(std::begin(kBuiltinTypes), std::end(kBuiltinTypes), lower) !=
         std::end(kBuiltinTypes);
}

int64_t ParseInt(std::string_view s) {
  int64_t value = 0;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  std::from_chars(s.data(), s.data() + s.size(), value);
  return negative ? -value : value;
}

}  // namespace

CatalogSpan AstBuilder::MakeSpan(SourceSpan prepared) const {
  CatalogSpan out;
  out.file = file_->file_index;
  out.span = file_->offsets != nullptr ? file_->offsets->ToOriginal(prepared) : prepared;
  if (file_->lines != nullptr) {
    out.begin = file_->lines->LocationOf(out.span.offset);
    out.end = file_->lines->LocationOf(out.span.end());
  }
  return out;
}

namespace {
// Byte range [begin, end) of a rule context in the prepared text.
std::pair<uint32_t, uint32_t> RangeOf(antlr4::ParserRuleContext* ctx) {
  antlr4::Token* start = ctx->getStart();
  antlr4::Token* stop = ctx->getStop();
  const auto begin = static_cast<uint32_t>(start->getStartIndex());
  if (stop == nullptr || stop->getTokenIndex() < start->getTokenIndex()) return {begin, begin};
  auto end = static_cast<uint32_t>(stop->getStopIndex() + 1);
  if (stop->getType() == antlr4::Token::EOF) end = static_cast<uint32_t>(stop->getStartIndex());
  return {begin, std::max(begin, end)};
}
}  // namespace

CatalogSpan AstBuilder::SpanOf(antlr4::ParserRuleContext* ctx) const {
  const auto [begin, end] = RangeOf(ctx);
  return MakeSpan(SourceSpan{begin, end - begin});
}

CatalogSpan AstBuilder::SpanOfTokens(uint32_t first_token, uint32_t last_token) const {
  const Token& a = (*tokens_)[first_token];
  const Token& b = (*tokens_)[last_token];
  return MakeSpan(SourceSpan{a.offset, b.end() - a.offset});
}

std::string AstBuilder::TextOf(antlr4::ParserRuleContext* ctx) const {
  if (ctx == nullptr) return {};
  const auto [begin, end] = RangeOf(ctx);
  return std::string(file_->text.substr(begin, end - begin));
}

std::string AstBuilder::TokenText(antlr4::tree::TerminalNode* node) const {
  if (node == nullptr) return {};
  antlr4::Token* t = node->getSymbol();
  const Token token{static_cast<int>(t->getType()), static_cast<uint32_t>(t->getStartIndex()),
                    static_cast<uint32_t>(t->getStopIndex() + 1 - t->getStartIndex())};
  if (IsIdentifierToken(token.type)) return IdentifierText(file_->text, token);
  return std::string(file_->text.substr(token.offset, token.length));
}

std::string AstBuilder::Ident(P::IdentifierContext* ctx) const {
  if (ctx == nullptr) return {};
  antlr4::Token* t = ctx->getStart();
  const Token token{static_cast<int>(t->getType()), static_cast<uint32_t>(t->getStartIndex()),
                    static_cast<uint32_t>(t->getStopIndex() + 1 - t->getStartIndex())};
  return IdentifierText(file_->text, token);
}

ObjectName AstBuilder::Name(P::QualifiedNameContext* ctx) const {
  ObjectName out;
  if (ctx == nullptr) return out;
  std::vector<std::string> parts;
  int dots = 0;
  for (antlr4::tree::ParseTree* child : ctx->children) {
    if (auto* id = dynamic_cast<P::IdentifierContext*>(child)) {
      for (int k = 1; k < dots; ++k) parts.emplace_back();  // db..name
      parts.push_back(Ident(id));
      dots = 0;
    } else {
      ++dots;
    }
  }
  const size_t n = parts.size();
  if (n >= 1) out.name = parts[n - 1];
  if (n >= 2) out.schema = parts[n - 2];
  if (n >= 3) out.database = parts[n - 3];
  if (n >= 4) out.server = parts[n - 4];
  return out;
}

ResolvedName AstBuilder::Resolve(const ObjectName& name) const {
  ResolvedName out;
  out.database = name.database.empty() ? database_ : name.database;
  out.schema = name.schema.empty() ? file_->default_schema : name.schema;
  out.name = name.name;
  return out;
}

Schema* AstBuilder::FindSchema(const ResolvedName& name) {
  Database* db = catalog_->FindDatabase(name.database);
  return db == nullptr ? nullptr : db->FindSchema(name.schema);
}

Schema& AstBuilder::GetOrAddSchema(const ResolvedName& name) {
  return catalog_->GetOrAddDatabase(name.database).GetOrAddSchema(name.schema);
}

std::string AstBuilder::TableKey(const ResolvedName& name) {
  std::string key = ToLowerAscii(name.database);
  key.push_back('\x1f');
  key += ToLowerAscii(name.schema);
  key.push_back('\x1f');
  key += ToLowerAscii(name.name);
  return key;
}

Table* AstBuilder::FindTable(const ResolvedName& name) {
  auto it = table_index_.find(TableKey(name));
  if (it == table_index_.end()) return nullptr;
  Schema* schema = FindSchema(name);
  if (schema == nullptr || it->second >= schema->tables.size()) return nullptr;
  Table* table = &schema->tables[it->second];
  return EqualsIgnoreCase(table->name, name.name) ? table : nullptr;
}

Table& AstBuilder::AddTable(const ResolvedName& name, Table table) {
  Schema& schema = GetOrAddSchema(name);
  const std::string key = TableKey(name);
  auto it = table_index_.find(key);
  if (it != table_index_.end() && it->second < schema.tables.size()) {
    schema.tables[it->second] = std::move(table);
    return schema.tables[it->second];
  }
  table_index_[key] = schema.tables.size();
  schema.tables.push_back(std::move(table));
  return schema.tables.back();
}

bool AstBuilder::EraseTable(const ResolvedName& name) {
  auto it = table_index_.find(TableKey(name));
  Schema* schema = FindSchema(name);
  if (it == table_index_.end() || schema == nullptr || it->second >= schema->tables.size()) return false;
  const size_t at = it->second;
  table_index_.erase(it);
  schema->tables.erase(schema->tables.begin() + static_cast<std::ptrdiff_t>(at));
  // Later tables moved down by one.
  for (size_t i = at; i < schema->tables.size(); ++i) {
    ResolvedName moved{name.database, name.schema, schema->tables[i].name};
    table_index_[TableKey(moved)] = i;
  }
  return true;
}

DataType AstBuilder::BuildDataType(P::DataTypeContext* ctx) const {
  if (ctx == nullptr) return {};
  TypeArguments args;
  if (P::TypeArgumentsContext* a = ctx->typeArguments()) {
    if (a->K_MAX() != nullptr) {
      args.is_max = true;
    } else if (a->qualifiedName() != nullptr) {
      args.xml_schema_collection = Name(a->qualifiedName()).ToString();
      args.xml_text = TextOf(a);
    } else {
      for (P::SignedNumberContext* n : a->signedNumber()) args.numbers.push_back(ParseInt(TextOf(n)));
    }
  }
  return MakeDataType(Name(ctx->qualifiedName()), args);
}

DataType MakeDataType(const ObjectName& name, const TypeArguments& a) {
  DataType out;
  const std::string lower = ToLowerAscii(name.name);
  if ((name.schema.empty() || EqualsIgnoreCase(name.schema, "sys")) && IsBuiltinType(lower)) {
    out.name = std::string(CanonicalTypeName(lower));
  } else {
    out.name = name.name;
    out.schema = name.schema;
    out.is_user_defined = true;
  }
  std::string args;
  if (a.is_max) {
    out.is_max = true;
    args = "max";
  } else if (!a.xml_schema_collection.empty()) {
    out.xml_schema_collection = a.xml_schema_collection;
    args = a.xml_text;
  } else if (!a.numbers.empty()) {
    const int64_t first = a.numbers[0];
    const bool precision_type = out.name == "decimal" || out.name == "numeric" || out.name == "float";
    const bool scale_type = out.name == "datetime2" || out.name == "time" || out.name == "datetimeoffset";
    if (precision_type) {
      out.precision = static_cast<int32_t>(first);
      out.has_precision = true;
      if (a.numbers.size() > 1) {
        out.scale = static_cast<int32_t>(a.numbers[1]);
        out.has_scale = true;
      }
    } else if (scale_type) {
      out.scale = static_cast<int32_t>(first);
      out.has_scale = true;
    } else {
      out.length = first;
    }
    args = absl::StrCat(first);
    if (a.numbers.size() > 1) absl::StrAppend(&args, ",", a.numbers[1]);
  }
  out.text = out.is_user_defined ? name.ToString() : out.name;
  if (!args.empty()) absl::StrAppend(&out.text, "(", args, ")");
  return out;
}

std::optional<DataType> DataTypeFromText(std::string_view text) {
  // name [ ( max | n [, n] ) ], the name possibly [bracketed], schema-qualified or two words
  // (double precision); anything else is not a type.
  const size_t open = text.find('(');
  std::string_view head = text.substr(0, open);
  while (!head.empty() && (head.back() == ' ' || head.back() == '\t')) head.remove_suffix(1);
  while (!head.empty() && (head.front() == ' ' || head.front() == '\t')) head.remove_prefix(1);
  if (head.empty()) return std::nullopt;
  ObjectName name;
  std::vector<std::string> parts(1);
  bool in_bracket = false;
  for (char c : head) {
    if (c == '[' && !in_bracket) in_bracket = true;
    else if (c == ']' && in_bracket) in_bracket = false;
    else if (c == '.' && !in_bracket) parts.emplace_back();
    else parts.back().push_back(c);
  }
  if (parts.size() > 2 || parts.back().empty()) return std::nullopt;
  name.name = parts.back();
  if (parts.size() == 2) name.schema = parts[0];
  const size_t space = name.name.find(' ');
  if (space != std::string::npos && name.schema.empty()) {
    // Two-word spellings: keep the first word when it names a built-in (double precision,
    // char varying is not accepted by sp_addtype either way).
    const std::string first = ToLowerAscii(name.name.substr(0, space));
    if (!IsBuiltinType(first)) return std::nullopt;
    name.name = first;
  }
  TypeArguments args;
  if (open != std::string_view::npos) {
    const size_t close = text.find(')', open);
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view inside = text.substr(open + 1, close - open - 1);
    std::string compact;
    for (char c : inside) {
      if (c != ' ' && c != '\t') compact.push_back(c);
    }
    if (EqualsIgnoreCase(compact, "max")) {
      args.is_max = true;
    } else {
      for (absl::string_view piece : absl::StrSplit(compact, ',')) {
        const std::string_view n(piece.data(), piece.size());
        if (n.empty() || n.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
        args.numbers.push_back(ParseInt(n));
      }
    }
  }
  return MakeDataType(name, args);
}

std::string AstBuilder::DataSpaceName(P::DataSpaceNameContext* ctx) const {
  if (ctx == nullptr) return {};
  if (ctx->identifier() != nullptr) return Ident(ctx->identifier());
  return TextOf(ctx);
}

std::string AstBuilder::DataSpace(P::OnDataSpaceContext* ctx) const {
  if (ctx == nullptr) return {};
  std::string out = DataSpaceName(ctx->dataSpaceName());
  if (ctx->identifier() != nullptr) out += "(" + Ident(ctx->identifier()) + ")";
  return out;
}

std::string AstBuilder::OptionKey(P::OptionItemContext* ctx) const {
  std::string key;
  for (antlr4::tree::ParseTree* child : ctx->children) {
    auto* node = dynamic_cast<antlr4::tree::TerminalNode*>(child);
    if (node != nullptr && node->getSymbol()->getType() == P::EQ) break;
    if (!key.empty()) key.push_back(' ');
    if (node != nullptr) {
      key += ToUpperAscii(TokenText(node));
    } else {
      key += TextOf(dynamic_cast<antlr4::ParserRuleContext*>(child));
    }
  }
  return key;
}

std::string AstBuilder::OptionValue(P::OptionItemContext* ctx) const {
  bool after_eq = false;
  uint32_t begin = 0;
  for (antlr4::tree::ParseTree* child : ctx->children) {
    auto* node = dynamic_cast<antlr4::tree::TerminalNode*>(child);
    if (!after_eq && node != nullptr && node->getSymbol()->getType() == P::EQ) {
      after_eq = true;
      begin = static_cast<uint32_t>(node->getSymbol()->getStopIndex() + 1);
    }
  }
  if (!after_eq) return {};
  const auto [start, end] = RangeOf(ctx);
  (void)start;
  std::string_view value = file_->text.substr(begin, end - begin);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t' ||
                            value.front() == '\r' || value.front() == '\n')) {
    value.remove_prefix(1);
  }
  return std::string(value);
}

void AstBuilder::Warn(std::string code, std::string message, antlr4::ParserRuleContext* ctx) {
  if (file_->sink == nullptr) return;
  const CatalogSpan span = ctx != nullptr ? SpanOf(ctx) : statement_span_;
  file_->sink->Warning(std::move(code), std::move(message), file_->file_name, span.span);
}

BuildResult AstBuilder::Build(P::DdlStatementContext* tree, const std::vector<Token>& tokens,
                              uint32_t first, const SplitStatement& split) {
  tokens_ = &tokens;
  first_ = first;
  split_ = &split;
  statement_span_ = SpanOfTokens(split.begin, split.end - 1);
  if (auto* c = tree->createTable()) return BuildCreateTable(c);
  if (auto* c = tree->alterTable()) return BuildAlterTable(c);
  if (auto* c = tree->createIndex()) return BuildCreateIndex(c);
  if (auto* c = tree->dropStatement()) {
    if (auto* d = dynamic_cast<P::DropObjectsContext*>(c)) return BuildDropObjects(d);
    if (auto* d = dynamic_cast<P::DropIndexesContext*>(c)) return BuildDropIndexes(d);
  }
  if (auto* c = tree->createSchema()) return BuildCreateSchema(c);
  if (auto* c = tree->createView()) return BuildCreateView(c);
  if (auto* c = tree->createProcedure()) return BuildCreateProcedure(c);
  if (auto* c = tree->createFunction()) return BuildCreateFunction(c);
  if (auto* c = tree->createTrigger()) return BuildCreateTrigger(c);
  if (auto* c = tree->createType()) return BuildCreateType(c);
  if (auto* c = tree->createSequence()) return BuildCreateSequence(c);
  if (auto* c = tree->createSynonym()) return BuildCreateSynonym(c);
  if (auto* c = tree->execProcedure()) return BuildExecProcedure(c);
  return {};
}

}  // namespace sqlmill::tsql::internal

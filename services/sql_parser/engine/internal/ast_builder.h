// AstBuilder: turns one parsed DDL statement (a TSqlParser tree) into changes to the
// Catalog, in script order: CREATE adds or replaces, ALTER modifies, DROP removes.
//
// One class, split by construct family as DuckDB splits its transformer:
//   ast_builder.cc           names, data types, spans, expression text, dispatch
//   ast_builder_tables.cc    CREATE/ALTER TABLE, columns, constraints
//   ast_builder_indexes.cc   CREATE INDEX, DROP INDEX
//   ast_builder_views.cc     CREATE/ALTER VIEW
//   ast_builder_routines.cc  procedures, functions, triggers
//   ast_builder_misc.cc      schemas, types, sequences, synonyms, DROP, extended properties
//
// Ownership: the builder borrows the catalog, the statement context and the sink.
// Thread-safety: one builder per parse (per thread).
#ifndef SQLMILL_SERVICES_SQL_PARSER_ENGINE_INTERNAL_AST_BUILDER_H_
#define SQLMILL_SERVICES_SQL_PARSER_ENGINE_INTERNAL_AST_BUILDER_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"

#include "TSqlParser.h"
#include "common/base/diagnostic.h"
#include "common/base/limits.h"
#include "common/base/source_span.h"
#include "services/sql_parser/engine/catalog.h"
#include "services/sql_parser/engine/internal/lexer.h"
#include "services/sql_parser/engine/internal/statement_splitter.h"
#include "services/sql_parser/engine/script_prepass.h"

namespace sqlmill::tsql::internal {

using P = gen::TSqlParser;

// Where the statement's text lives and how its offsets map back to the file.
struct FileContext {
  std::string_view text;       // the prepared (substituted) text
  const OffsetMap* offsets = nullptr;
  const LineIndex* lines = nullptr;  // over the decoded file text
  uint32_t file_index = 0;
  std::string file_name;
  std::string default_schema = "dbo";
  DiagnosticSink* sink = nullptr;
};

// A type's arguments as written: (max), (n[, n]) or (CONTENT|DOCUMENT schema_collection).
struct TypeArguments {
  bool is_max = false;
  std::vector<int64_t> numbers;
  std::string xml_schema_collection;
  std::string xml_text;  // the xml arguments as written
};

// Builds a DataType from a (possibly schema-qualified) name and its arguments: built-in
// names lower-cased under SQL Server's canonical spelling, anything else user-defined;
// `text` is the canonical spelling.
DataType MakeDataType(const ObjectName& name, const TypeArguments& args);

// Parses a type written in a string, as sp_addtype takes it: "varchar(11)", "[dbo].[x]",
// "decimal(18, 2)", "nvarchar(max)". Returns nullopt when the text is not a type.
std::optional<DataType> DataTypeFromText(std::string_view text);

struct BuildResult {
  ObjectName target;
  bool applied = false;
};

// A name resolved against the current database and default schema.
struct ResolvedName {
  std::string database;
  std::string schema;
  std::string name;
};

class AstBuilder {
 public:
  // One builder serves a whole ParseFiles request (its table index spans the files);
  // set_file() points it at the file being parsed.
  AstBuilder(Catalog* catalog, const FileContext* file) : catalog_(catalog), file_(file) {}
  void set_file(const FileContext* file) { file_ = file; }

  // Sets the database that USE selected (objects without a database part land there).
  void set_database(std::string database) { database_ = std::move(database); }
  const std::string& database() const { return database_; }

  // Polled every 1024 elements of a long list (a table's columns): once it says stop, the
  // statement is left unbuilt and stopped() holds the status.
  void set_cancel(const CancellationToken* cancel) { cancel_ = cancel; }
  absl::Status TakeStopped() { return std::exchange(stopped_, absl::OkStatus()); }

  // Applies one statement. `tokens`/`first` locate the statement's tokens (tree token
  // index i is tokens[first + i]); `split` says where its body is.
  BuildResult Build(P::DdlStatementContext* tree, const std::vector<Token>& tokens,
                    uint32_t first, const SplitStatement& split);

  // Maps a span of the prepared text to a catalog span (file offsets, line:column).
  CatalogSpan MakeSpan(SourceSpan prepared) const;

 private:
  // ast_builder.cc
  CatalogSpan SpanOf(antlr4::ParserRuleContext* ctx) const;
  CatalogSpan SpanOfTokens(uint32_t first_token, uint32_t last_token) const;  // absolute indexes
  std::string TextOf(antlr4::ParserRuleContext* ctx) const;
  std::string TokenText(antlr4::tree::TerminalNode* node) const;
  std::string Ident(P::IdentifierContext* ctx) const;
  ObjectName Name(P::QualifiedNameContext* ctx) const;
  ResolvedName Resolve(const ObjectName& name) const;
  Schema* FindSchema(const ResolvedName& name);
  Schema& GetOrAddSchema(const ResolvedName& name);
  // Tables by name through an index (scripts with tens of thousands of tables would make
  // linear scans quadratic). The index maps db/schema/name (lower-case) to the position in
  // Schema::tables; AddTable and EraseTable keep it right.
  Table* FindTable(const ResolvedName& name);
  Table& AddTable(const ResolvedName& name, Table table);  // appends or replaces in place
  bool EraseTable(const ResolvedName& name);
  static std::string TableKey(const ResolvedName& name);
  DataType BuildDataType(P::DataTypeContext* ctx) const;
  std::string OptionKey(P::OptionItemContext* ctx) const;
  // ON [PRIMARY] -> "PRIMARY"; ON ps_Date(col) -> "ps_Date(col)".
  std::string DataSpaceName(P::DataSpaceNameContext* ctx) const;
  std::string DataSpace(P::OnDataSpaceContext* ctx) const;
  std::string OptionValue(P::OptionItemContext* ctx) const;
  void Warn(std::string code, std::string message, antlr4::ParserRuleContext* ctx);
  CatalogSpan statement_span() const { return statement_span_; }

  // ast_builder_tables.cc
  BuildResult BuildCreateTable(P::CreateTableContext* ctx);
  BuildResult BuildAlterTable(P::AlterTableContext* ctx);
  void BuildTableElement(P::TableElementContext* ctx, Table* table, std::vector<Column>* columns,
                         std::vector<Constraint>* constraints, std::vector<Index>* indexes);
  Column BuildColumn(P::ColumnDefinitionContext* ctx, std::vector<Constraint>* constraints,
                     std::vector<Index>* indexes);
  void ApplyColumnOption(P::ColumnOptionContext* ctx, Column* column,
                         std::vector<Constraint>* constraints, std::vector<Index>* indexes);
  void BuildInlineIndex(P::InlineIndexOptionContext* ctx, Column* column, std::vector<Index>* indexes);
  Constraint BuildColumnConstraint(P::ColumnConstraintContext* ctx, const Column& column);
  Constraint BuildTableConstraint(P::TableConstraintContext* ctx);
  Index BuildTableIndex(P::TableIndexContext* ctx);
  void BuildIndexWith(P::IndexWithContext* ctx, std::map<std::string, std::string>* options,
                      int32_t* bucket_count);
  std::vector<KeyColumn> BuildKeyColumns(const std::vector<P::KeyColumnContext*>& ctxs) const;
  void ApplyTableOption(P::OptionItemContext* ctx, Table* table);
  // CREATE TABLE t ... AS SELECT * FROM s [alias] [WHERE ...] [OPTION (...)]: copies the
  // columns (name, type, nullability, collation) of the known table s, as the statement
  // creates them; any other query leaves the columns unknown.
  void DeriveCtasColumns(Table* table);
  static void AddConstraint(Table* table, Constraint constraint);
  bool DropConstraint(Table* table, std::string_view name);

  // ast_builder_indexes.cc
  BuildResult BuildCreateIndex(P::CreateIndexContext* ctx);
  BuildResult BuildDropIndexes(P::DropIndexesContext* ctx);

  // ast_builder_views.cc
  BuildResult BuildCreateView(P::CreateViewContext* ctx);
  std::vector<ObjectReference> BodyReferences() const;

  // ast_builder_routines.cc
  BuildResult BuildCreateProcedure(P::CreateProcedureContext* ctx);
  BuildResult BuildCreateFunction(P::CreateFunctionContext* ctx);
  BuildResult BuildCreateTrigger(P::CreateTriggerContext* ctx);
  Parameter BuildParameter(P::ParameterContext* ctx) const;
  void BuildRoutineOptions(const std::vector<P::RoutineOptionContext*>& ctxs,
                           std::map<std::string, std::string>* options) const;
  // Fills a table-valued function's return columns from its TABLE (...) elements.
  void BuildReturnColumns(const std::vector<P::TableElementContext*>& elements,
                          Routine* routine);
  // Records the body span (and EXTERNAL NAME), the body's references, and stores the routine
  // in its schema, replacing an earlier definition but keeping its description.
  void StoreRoutine(const ResolvedName& name, Routine routine);

  // ast_builder_misc.cc
  BuildResult BuildCreateSchema(P::CreateSchemaContext* ctx);
  BuildResult BuildCreateType(P::CreateTypeContext* ctx);
  BuildResult BuildCreateSequence(P::CreateSequenceContext* ctx);
  BuildResult BuildCreateSynonym(P::CreateSynonymContext* ctx);
  BuildResult BuildDropObjects(P::DropObjectsContext* ctx);
  BuildResult BuildExecProcedure(P::ExecProcedureContext* ctx);
  BuildResult BuildRename(const std::map<std::string, std::string>& args);
  // EXEC sp_addtype name, 'phystype' [, 'NULL' | 'NOT NULL'] [, owner] / sp_droptype name.
  BuildResult BuildAddType(const std::map<std::string, std::string>& args, P::ExecProcedureContext* ctx);
  BuildResult BuildDropType(const std::map<std::string, std::string>& args);

  // True when the token says stop (checked every 1024 calls with a counter of i).
  bool ShouldStop(size_t i) {
    if (cancel_ == nullptr || (i & 1023) != 1023) return false;
    stopped_ = cancel_->Check();
    return !stopped_.ok();
  }

  Catalog* catalog_;
  const FileContext* file_;
  const CancellationToken* cancel_ = nullptr;
  absl::Status stopped_;
  std::string database_;
  // Per statement:
  const std::vector<Token>* tokens_ = nullptr;
  uint32_t first_ = 0;
  const SplitStatement* split_ = nullptr;
  CatalogSpan statement_span_;
  absl::flat_hash_map<std::string, size_t> table_index_;
};

}  // namespace sqlmill::tsql::internal

#endif  // SQLMILL_SERVICES_SQL_PARSER_ENGINE_INTERNAL_AST_BUILDER_H_

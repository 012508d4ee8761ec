// TSqlParser: sqlmill's grammar for the T-SQL statements that shape a schema, written for
// sqlmill (issue #4) from the SQL Server documentation.
//
// Ownership: services/sql_parser. The engine splits every batch into statements itself
// (engine/internal/statement_splitter.cc) and hands this parser only the statements that
// change the catalog, one at a time, each ending in EOF. Routine, view and trigger bodies
// are cut off by the engine after the header's AS (the body is kept as a span and scanned
// for references), so this grammar covers headers, not procedural code. Everything that
// only needs its text (CHECK predicates, option values, defaults) is matched loosely as
// balanced tokens, which keeps the generated parser small and fast to compile.
//
// Generated with: antlr4 -Dlanguage=Cpp -visitor -no-listener -package sqlmill::tsql::gen
// Thread-safety: one parser instance per thread, each thread with its own prediction cache
// (engine/internal/antlr_runner.cc).
parser grammar TSqlParser;

options { tokenVocab = TSqlLexer; }

// ---------------------------------------------------------------------------------------
// Entry point: exactly one DDL statement.

ddlStatement
  : ( createTable
    | alterTable
    | createIndex
    | dropStatement
    | createSchema
    | createView
    | createProcedure
    | createFunction
    | createTrigger
    | createType
    | createSequence
    | createSynonym
    | execProcedure
    ) SEMI* EOF
  ;

// ---------------------------------------------------------------------------------------
// Names.

// T-SQL reserves only some keywords; the rest may name things without brackets.
identifier
  : ID | BRACKET_ID | QUOTED_ID | nonReservedKeyword
  ;

nonReservedKeyword
  : K_ACTION | K_AFTER | K_ALL_SPARSE_COLUMNS | K_ALWAYS | K_APPEND | K_APPLY | K_CACHE | K_CALLER
  | K_CATCH | K_COLUMNSTORE | K_COLUMN_SET | K_CONNECTION | K_CONTENT | K_CONVERSATION | K_CYCLE
  | K_DIALOG | K_DISABLE | K_DOCUMENT | K_EDGE | K_ENABLE | K_ENCRYPTED | K_FILESTREAM_ON
  | K_FILETABLE | K_GENERATED | K_HASH | K_HIDDEN | K_INCLUDE | K_INCREMENT | K_INSTEAD | K_MASKED
  | K_MAX | K_MAXVALUE | K_MINVALUE | K_NAME | K_NEXT | K_NO | K_NODE | K_OUT | K_OUTPUT | K_OWNER
  | K_PERIOD | K_PERSISTED | K_QUOTED_IDENTIFIER | K_READONLY | K_RECEIVE | K_RETURNS | K_ROW
  | K_ROWS | K_SEND | K_SEQUENCE | K_SEQUENCE_NUMBER | K_SERVER | K_SPARSE | K_SPATIAL | K_START
  | K_SWITCH | K_SYNONYM | K_SYSTEM_TIME | K_TEXTIMAGE_ON | K_THROW | K_TRANSACTION_ID | K_TRY
  | K_TYPE | K_USING | K_VALUE | K_XML
  ;

// a.b.c, with empty parts allowed as in db..table.
qualifiedName
  : identifier (DOT+ identifier)*
  ;

identifierList
  : identifier (COMMA identifier)*
  ;

// ---------------------------------------------------------------------------------------
// Data types: int, nvarchar(max), decimal(18,2), [dbo].[Flag], xml(CONTENT dbo.Schema).

dataType
  : qualifiedName (LPAREN typeArguments RPAREN)?
  ;

typeArguments
  : K_MAX
  | signedNumber (COMMA signedNumber)?
  | (K_CONTENT | K_DOCUMENT)? qualifiedName
  ;

signedNumber
  : (PLUS | MINUS)? (INT | DECIMAL | FLOAT)
  ;

// ---------------------------------------------------------------------------------------
// Expressions: enough structure to know where an unparenthesized DEFAULT, computed column
// or filtered-index predicate ends; parenthesized parts are balanced token runs.

expression
  : primaryExpression                                                       # primaryExpr
  | (PLUS | MINUS | TILDE) expression                                       # unaryExpr
  | expression (STAR | SLASH | PERCENT_SIGN) expression                     # binaryExpr
  | expression (PLUS | MINUS | AMP | PIPE | CARET) expression               # binaryExpr
  | expression (EQ | NE | LT | GT | LE | GE | NLT | NGT) expression         # binaryExpr
  | expression K_IS K_NOT? K_NULL                                           # isNullExpr
  | expression K_NOT? K_IN parenTokens                                      # inExpr
  | expression K_NOT? K_LIKE expression                                     # likeExpr
  | expression K_NOT? K_BETWEEN expression K_AND expression                 # betweenExpr
  | K_NOT expression                                                        # notExpr
  | expression K_AND expression                                             # binaryExpr
  | expression K_OR expression                                              # binaryExpr
  ;

primaryExpression
  : literal
  | VARIABLE
  | K_NEXT K_VALUE K_FOR qualifiedName
  | qualifiedName parenTokens?
  | parenTokens
  | caseTokens
  | K_EXISTS parenTokens
  ;

literal
  : STRING | INT | DECIMAL | FLOAT | BINARY | MONEY | K_NULL
  ;

// A balanced run of tokens in parentheses; its text is what the catalog keeps.
parenTokens
  : LPAREN (parenTokens | ~(LPAREN | RPAREN))* RPAREN
  ;

caseTokens
  : K_CASE (caseTokens | parenTokens | ~(K_CASE | K_END | LPAREN | RPAREN))* K_END
  ;

// ---------------------------------------------------------------------------------------
// CREATE TABLE (also CREATE EXTERNAL TABLE and the header of CREATE TABLE ... AS SELECT).

createTable
  : K_CREATE K_EXTERNAL? K_TABLE qualifiedName
    (LPAREN tableElement (COMMA tableElement)* COMMA? RPAREN)?
    tableTail*
  ;

tableElement
  : columnDefinition
  | tableConstraint
  | tableIndex
  | periodForSystemTime
  ;

tableTail
  : K_AS (K_NODE | K_EDGE | K_FILETABLE)                                    # graphTail
  | onDataSpace                                                             # dataSpaceTail
  | K_TEXTIMAGE_ON dataSpaceName                                            # textImageTail
  | K_FILESTREAM_ON dataSpaceName                                           # fileStreamTail
  | K_WITH LPAREN optionItem (COMMA optionItem)* RPAREN                     # optionsTail
  | K_AS                                                                    # asSelectTail
  ;

columnDefinition
  : identifier
    ( dataType columnOption*
    | K_AS expression columnOption*
    | columnOption*
    )
  ;

columnOption
  : K_NULL                                                                  # nullOption
  | K_NOT K_NULL                                                            # notNullOption
  | K_IDENTITY (LPAREN signedNumber COMMA signedNumber RPAREN)? notForReplication?  # identityOption
  | K_COLLATE identifier                                                    # collateOption
  | K_ROWGUIDCOL                                                            # rowGuidColOption
  | K_SPARSE                                                                # sparseOption
  | K_FILESTREAM                                                            # fileStreamOption
  | K_PERSISTED                                                             # persistedOption
  | K_HIDDEN                                                                # hiddenOption
  | K_MASKED K_WITH LPAREN K_FUNCTION EQ STRING RPAREN                      # maskedOption
  | K_GENERATED K_ALWAYS K_AS (K_ROW | K_TRANSACTION_ID | K_SEQUENCE_NUMBER) (K_START | K_END) K_HIDDEN?  # generatedOption
  | K_COLUMN_SET K_FOR K_ALL_SPARSE_COLUMNS                                 # columnSetOption
  | K_ENCRYPTED K_WITH parenTokens                                          # encryptedOption
  | columnConstraint                                                        # constraintOption
  | K_INDEX identifier clustering? (LPAREN keyColumn (COMMA keyColumn)* RPAREN)? indexWith? onDataSpace?  # inlineIndexOption
  ;

columnConstraint
  : (K_CONSTRAINT identifier)?
    ( (K_PRIMARY K_KEY | K_UNIQUE) clustering? (LPAREN keyColumn (COMMA keyColumn)* RPAREN)? indexWith? onDataSpace?
    | (K_FOREIGN K_KEY)? K_REFERENCES qualifiedName (LPAREN identifierList RPAREN)? referentialAction* notForReplication?
    | K_CHECK notForReplication? parenTokens
    | K_DEFAULT expression (K_WITH K_VALUES)?
    )
  ;

tableConstraint
  : (K_CONSTRAINT identifier)? tableConstraintBody
  ;

tableConstraintBody
  : (K_PRIMARY K_KEY | K_UNIQUE) clustering? LPAREN keyColumn (COMMA keyColumn)* RPAREN indexWith? onDataSpace?   # keyConstraint
  | K_FOREIGN K_KEY LPAREN identifierList RPAREN K_REFERENCES qualifiedName (LPAREN identifierList RPAREN)? referentialAction* notForReplication?  # foreignKeyConstraint
  | K_CHECK notForReplication? parenTokens                                  # checkConstraint
  | K_DEFAULT expression K_FOR identifier (K_WITH K_VALUES)?                # defaultConstraint
  | K_CONNECTION LPAREN edgePair (COMMA edgePair)* RPAREN (K_ON K_DELETE K_CASCADE)?  # edgeConstraint
  ;

edgePair
  : qualifiedName K_TO qualifiedName
  ;

tableIndex
  : K_INDEX identifier K_UNIQUE? clustering? K_COLUMNSTORE? (LPAREN keyColumn (COMMA keyColumn)* RPAREN)?
    (K_INCLUDE LPAREN identifierList RPAREN)? (K_WHERE expression)? indexWith? onDataSpace?
  ;

periodForSystemTime
  : K_PERIOD K_FOR K_SYSTEM_TIME LPAREN identifier COMMA identifier RPAREN
  ;

clustering
  : K_CLUSTERED
  | K_NONCLUSTERED K_HASH?
  | K_HASH
  ;

keyColumn
  : identifier (K_ASC | K_DESC)?
  ;

referentialAction
  : K_ON (K_DELETE | K_UPDATE) (K_NO K_ACTION | K_CASCADE | K_SET K_NULL | K_SET K_DEFAULT)
  ;

notForReplication
  : K_NOT K_FOR K_REPLICATION
  ;

// WITH (FILLFACTOR = 80, PAD_INDEX = OFF) or the old WITH FILLFACTOR = 90.
indexWith
  : K_WITH LPAREN optionItem (COMMA optionItem)* RPAREN
  | K_WITH optionWord (EQ optionValue)? (COMMA optionWord (EQ optionValue)?)*
  ;

// KEY = value, KEY = ON (SUB = value), CLUSTERED COLUMNSTORE INDEX, DISTRIBUTION = HASH(c).
optionItem
  : (parenTokens | ~(COMMA | LPAREN | RPAREN))+
  ;

optionWord
  : identifier | K_ALL | K_PRIMARY
  ;

optionValue
  : signedNumber | identifier | STRING | K_ON | K_OFF
  ;

onDataSpace
  : K_ON dataSpaceName (LPAREN identifier RPAREN)?
  ;

dataSpaceName
  : identifier | K_PRIMARY | K_DEFAULT | STRING
  ;

// ---------------------------------------------------------------------------------------
// ALTER TABLE.

alterTable
  : K_ALTER K_TABLE qualifiedName alterTableAction
  ;

alterTableAction
  : (K_WITH (K_CHECK | K_NOCHECK))? K_ADD alterTableAddItem (COMMA alterTableAddItem)*   # addAction
  | K_ALTER K_COLUMN identifier alterColumnChange                                          # alterColumnAction
  | K_DROP alterTableDropItem (COMMA alterTableDropItem)*                                  # dropAction
  | (K_WITH (K_CHECK | K_NOCHECK))? (K_CHECK | K_NOCHECK) K_CONSTRAINT (K_ALL | identifierList)  # checkAction
  | (K_ENABLE | K_DISABLE) K_TRIGGER (K_ALL | identifierList)                             # triggerAction
  | K_SET LPAREN optionItem (COMMA optionItem)* RPAREN                                     # setAction
  | (K_SWITCH | identifier) ~(SEMI)*                               # otherAction
  ;

alterTableAddItem
  : tableConstraint
  | periodForSystemTime
  | tableIndex
  | columnDefinition
  ;

alterColumnChange
  : dataType columnOption*
  | (K_ADD | K_DROP) (K_ROWGUIDCOL | K_PERSISTED | notForReplication | K_SPARSE | K_HIDDEN | K_MASKED (K_WITH parenTokens)?)
  ;

alterTableDropItem
  : K_CONSTRAINT? (K_IF K_EXISTS)? identifier (K_WITH parenTokens)?                        # dropConstraintItem
  | K_COLUMN (K_IF K_EXISTS)? identifierList                                               # dropColumnItem
  | K_PERIOD K_FOR K_SYSTEM_TIME                                                           # dropPeriodItem
  ;

// ---------------------------------------------------------------------------------------
// CREATE INDEX.

createIndex
  : K_CREATE K_UNIQUE? clustering? K_COLUMNSTORE? K_INDEX identifier K_ON qualifiedName
    (LPAREN keyColumn (COMMA keyColumn)* RPAREN)?
    (K_INCLUDE LPAREN identifierList RPAREN)?
    (K_WHERE expression)?
    indexWith?
    onDataSpace?
    (K_FILESTREAM_ON dataSpaceName)?
                                                                            # regularIndex
  | K_CREATE K_PRIMARY? K_XML K_INDEX identifier K_ON qualifiedName LPAREN identifier RPAREN
    (K_USING K_XML K_INDEX identifier (K_FOR identifier)?)? indexWith?       # xmlIndex
  | K_CREATE K_SPATIAL K_INDEX identifier K_ON qualifiedName LPAREN identifier RPAREN
    (K_USING identifier)? indexWith? onDataSpace?                            # spatialIndex
  ;

// ---------------------------------------------------------------------------------------
// DROP.

dropStatement
  : K_DROP dropObjectKind (K_IF K_EXISTS)? qualifiedName (COMMA qualifiedName)*
    (K_ON (K_DATABASE | K_ALL K_SERVER))?                                   # dropObjects
  | K_DROP K_INDEX (K_IF K_EXISTS)? dropIndexItem (COMMA dropIndexItem)*     # dropIndexes
  ;

dropObjectKind
  : K_TABLE | K_VIEW | K_PROC | K_PROCEDURE | K_FUNCTION | K_TRIGGER | K_SCHEMA | K_TYPE
  | K_SEQUENCE | K_SYNONYM
  ;

dropIndexItem
  : identifier K_ON qualifiedName (K_WITH parenTokens)?
  | qualifiedName
  ;

// ---------------------------------------------------------------------------------------
// CREATE SCHEMA, TYPE, SEQUENCE, SYNONYM.

createSchema
  : K_CREATE K_SCHEMA identifier? (K_AUTHORIZATION identifier)?
  ;

createType
  : K_CREATE K_TYPE qualifiedName typeDefinition
  ;

typeDefinition
  : K_FROM dataType (K_NULL | K_NOT K_NULL)?                                # aliasType
  | K_AS K_TABLE LPAREN tableElement (COMMA tableElement)* COMMA? RPAREN
    (K_WITH LPAREN optionItem (COMMA optionItem)* RPAREN)?                  # tableType
  | K_EXTERNAL K_NAME qualifiedName                                         # clrType
  ;

createSequence
  : K_CREATE K_SEQUENCE qualifiedName sequenceOption*
  ;

sequenceOption
  : K_AS dataType                                                           # sequenceType
  | K_START K_WITH signedNumber                                             # sequenceStart
  | K_INCREMENT K_BY signedNumber                                           # sequenceIncrement
  | K_MINVALUE signedNumber?                                                # sequenceMin
  | K_NO K_MINVALUE                                                         # sequenceNoMin
  | K_MAXVALUE signedNumber?                                                # sequenceMax
  | K_NO K_MAXVALUE                                                         # sequenceNoMax
  | K_CYCLE                                                                 # sequenceCycle
  | K_NO K_CYCLE                                                            # sequenceNoCycle
  | K_CACHE signedNumber?                                                   # sequenceCache
  | K_NO K_CACHE                                                            # sequenceNoCache
  ;

createSynonym
  : K_CREATE K_SYNONYM qualifiedName K_FOR qualifiedName
  ;

// ---------------------------------------------------------------------------------------
// Views, procedures, functions, triggers: the header up to and including AS.

createOrAlter
  : K_CREATE (K_OR K_ALTER)?
  | K_ALTER
  ;

createView
  : createOrAlter K_VIEW qualifiedName (LPAREN identifierList RPAREN)?
    (K_WITH routineOption (COMMA routineOption)*)? K_AS
  ;

createProcedure
  : createOrAlter (K_PROC | K_PROCEDURE) qualifiedName (SEMI INT)?
    (LPAREN (parameter (COMMA parameter)*)? RPAREN | parameter (COMMA parameter)*)?
    (K_WITH routineOption (COMMA routineOption)*)?
    (K_FOR K_REPLICATION)? K_AS
  ;

createFunction
  : createOrAlter K_FUNCTION qualifiedName LPAREN (parameter (COMMA parameter)*)? RPAREN
    K_RETURNS functionReturn
    (K_WITH routineOption (COMMA routineOption)*)? K_AS?
  ;

functionReturn
  : K_TABLE                                                                 # inlineTableReturn
  | VARIABLE K_TABLE LPAREN tableElement (COMMA tableElement)* COMMA? RPAREN # tableVariableReturn
  | K_TABLE LPAREN tableElement (COMMA tableElement)* COMMA? RPAREN          # clrTableReturn
  | dataType                                                                # scalarReturn
  ;

parameter
  : VARIABLE K_AS? dataType K_VARYING? (EQ expression)? parameterFlag*
  ;

parameterFlag
  : K_OUT | K_OUTPUT | K_READONLY
  ;

// EXECUTE AS OWNER, SCHEMABINDING, RETURNS NULL ON NULL INPUT, NATIVE_COMPILATION ...
routineOption
  : (K_EXEC | K_EXECUTE) K_AS (identifier | STRING | K_CALLER | K_OWNER)
  | ~(COMMA | K_AS | K_EXEC | K_EXECUTE | K_FOR | SEMI)+
  ;

createTrigger
  : createOrAlter K_TRIGGER qualifiedName K_ON (K_DATABASE | K_ALL K_SERVER | qualifiedName)
    (K_WITH routineOption (COMMA routineOption)*)?
    (K_FOR | K_AFTER | K_INSTEAD K_OF) triggerEvent (COMMA triggerEvent)*
    (K_WITH K_APPEND)? notForReplication? K_AS
  ;

triggerEvent
  : K_INSERT | K_UPDATE | K_DELETE | identifier | K_CREATE | K_ALTER | K_DROP
  ;

// ---------------------------------------------------------------------------------------
// EXEC of the catalog procedures the engine understands (sp_addextendedproperty & co).

execProcedure
  : (K_EXEC | K_EXECUTE) (VARIABLE EQ)? qualifiedName (execArgument (COMMA execArgument)*)?
  ;

execArgument
  : (VARIABLE EQ)? (literal | VARIABLE | identifier | K_DEFAULT | MINUS (INT | DECIMAL | FLOAT)) (K_OUT | K_OUTPUT)?
  ;

// TSqlLexer: the token vocabulary of sqlmill's T-SQL grammar, written for sqlmill (issue #4).
//
// Ownership: services/sql_parser. The engine does NOT run this generated lexer on scripts:
// engine/internal/lexer.cc is a hand-written lexer that produces exactly these token types
// (it maps keyword text to the K_* types through the generated vocabulary), because it is
// several times faster, knows QUOTED_IDENTIFIER per batch and nests /* */ comments.
// This grammar stays the normative definition of the tokens: lexer_test.cc checks that
// both lexers agree on the corpus. Generated code is thread-compatible (one instance per
// thread).
//
// Keywords are case-insensitive (ANTLR 4.7.2 has no caseInsensitive option, so each
// keyword is spelled with letter fragments). Keyword token names carry a K_ prefix so that
// none of them (NULL, DELETE, IN, ...) collides with a C++ macro or keyword in the
// generated code. A keyword listed here is a token; whether it may also be used as an
// identifier is decided by the parser rule `identifier`.
lexer grammar TSqlLexer;

K_ACTION: A C T I O N;
K_ADD: A D D;
K_AFTER: A F T E R;
K_ALL: A L L;
K_ALL_SPARSE_COLUMNS: A L L UNDERSCORE S P A R S E UNDERSCORE C O L U M N S;
K_ALTER: A L T E R;
K_ALWAYS: A L W A Y S;
K_AND: A N D;
K_APPEND: A P P E N D;
K_APPLY: A P P L Y;
K_AS: A S;
K_ASC: A S C;
K_AUTHORIZATION: A U T H O R I Z A T I O N;
K_BACKUP: B A C K U P;
K_BEGIN: B E G I N;
K_BETWEEN: B E T W E E N;
K_BREAK: B R E A K;
K_BULK: B U L K;
K_BY: B Y;
K_CACHE: C A C H E;
K_CALLER: C A L L E R;
K_CASCADE: C A S C A D E;
K_CASE: C A S E;
K_CATCH: C A T C H;
K_CHECK: C H E C K;
K_CHECKPOINT: C H E C K P O I N T;
K_CLOSE: C L O S E;
K_CLUSTERED: C L U S T E R E D;
K_COLLATE: C O L L A T E;
K_COLUMN: C O L U M N;
K_COLUMNSTORE: C O L U M N S T O R E;
K_COLUMN_SET: C O L U M N UNDERSCORE S E T;
K_COMMIT: C O M M I T;
K_CONNECTION: C O N N E C T I O N;
K_CONSTRAINT: C O N S T R A I N T;
K_CONTENT: C O N T E N T;
K_CONTINUE: C O N T I N U E;
K_CONVERSATION: C O N V E R S A T I O N;
K_CREATE: C R E A T E;
K_CROSS: C R O S S;
K_CURSOR: C U R S O R;
K_CYCLE: C Y C L E;
K_DATABASE: D A T A B A S E;
K_DBCC: D B C C;
K_DEALLOCATE: D E A L L O C A T E;
K_DECLARE: D E C L A R E;
K_DEFAULT: D E F A U L T;
K_DELETE: D E L E T E;
K_DENY: D E N Y;
K_DESC: D E S C;
K_DIALOG: D I A L O G;
K_DISABLE: D I S A B L E;
K_DISTRIBUTED: D I S T R I B U T E D;
K_DOCUMENT: D O C U M E N T;
K_DROP: D R O P;
K_EDGE: E D G E;
K_ELSE: E L S E;
K_ENABLE: E N A B L E;
K_ENCRYPTED: E N C R Y P T E D;
K_END: E N D;
K_EXCEPT: E X C E P T;
K_EXEC: E X E C;
K_EXECUTE: E X E C U T E;
K_EXISTS: E X I S T S;
K_EXTERNAL: E X T E R N A L;
K_FETCH: F E T C H;
K_FILESTREAM: F I L E S T R E A M;
K_FILESTREAM_ON: F I L E S T R E A M UNDERSCORE O N;
K_FILETABLE: F I L E T A B L E;
K_FOR: F O R;
K_FOREIGN: F O R E I G N;
K_FROM: F R O M;
K_FUNCTION: F U N C T I O N;
K_GENERATED: G E N E R A T E D;
K_GOTO: G O T O;
K_GRANT: G R A N T;
K_HASH: H A S H;
K_HIDDEN: H I D D E N;
K_IDENTITY: I D E N T I T Y;
K_IF: I F;
K_IN: I N;
K_INCLUDE: I N C L U D E;
K_INCREMENT: I N C R E M E N T;
K_INDEX: I N D E X;
K_INSERT: I N S E R T;
K_INSTEAD: I N S T E A D;
K_INTERSECT: I N T E R S E C T;
K_INTO: I N T O;
K_IS: I S;
K_JOIN: J O I N;
K_KEY: K E Y;
K_KILL: K I L L;
K_LIKE: L I K E;
K_MASKED: M A S K E D;
K_MAX: M A X;
K_MAXVALUE: M A X V A L U E;
K_MERGE: M E R G E;
K_MINVALUE: M I N V A L U E;
K_NAME: N A M E;
K_NEXT: N E X T;
K_NO: N O;
K_NOCHECK: N O C H E C K;
K_NODE: N O D E;
K_NONCLUSTERED: N O N C L U S T E R E D;
K_NOT: N O T;
K_NULL: N U L L;
K_OF: O F;
K_OFF: O F F;
K_ON: O N;
K_OPEN: O P E N;
K_OR: O R;
K_OUT: O U T;
K_OUTPUT: O U T P U T;
K_OWNER: O W N E R;
K_PERIOD: P E R I O D;
K_PERSISTED: P E R S I S T E D;
K_PRIMARY: P R I M A R Y;
K_PRINT: P R I N T;
K_PROC: P R O C;
K_PROCEDURE: P R O C E D U R E;
K_QUOTED_IDENTIFIER: Q U O T E D UNDERSCORE I D E N T I F I E R;
K_RAISERROR: R A I S E R R O R;
K_READONLY: R E A D O N L Y;
K_RECEIVE: R E C E I V E;
K_RECONFIGURE: R E C O N F I G U R E;
K_REFERENCES: R E F E R E N C E S;
K_REPLICATION: R E P L I C A T I O N;
K_RESTORE: R E S T O R E;
K_RETURN: R E T U R N;
K_RETURNS: R E T U R N S;
K_REVERT: R E V E R T;
K_REVOKE: R E V O K E;
K_ROLLBACK: R O L L B A C K;
K_ROW: R O W;
K_ROWGUIDCOL: R O W G U I D C O L;
K_ROWS: R O W S;
K_SAVE: S A V E;
K_SCHEMA: S C H E M A;
K_SELECT: S E L E C T;
K_SEND: S E N D;
K_SEQUENCE: S E Q U E N C E;
K_SEQUENCE_NUMBER: S E Q U E N C E UNDERSCORE N U M B E R;
K_SERVER: S E R V E R;
K_SET: S E T;
K_SETUSER: S E T U S E R;
K_SHUTDOWN: S H U T D O W N;
K_SPARSE: S P A R S E;
K_SPATIAL: S P A T I A L;
K_START: S T A R T;
K_STATISTICS: S T A T I S T I C S;
K_SWITCH: S W I T C H;
K_SYNONYM: S Y N O N Y M;
K_SYSTEM_TIME: S Y S T E M UNDERSCORE T I M E;
K_TABLE: T A B L E;
K_TEXTIMAGE_ON: T E X T I M A G E UNDERSCORE O N;
K_THEN: T H E N;
K_THROW: T H R O W;
K_TO: T O;
K_TRAN: T R A N;
K_TRANSACTION: T R A N S A C T I O N;
K_TRANSACTION_ID: T R A N S A C T I O N UNDERSCORE I D;
K_TRIGGER: T R I G G E R;
K_TRUNCATE: T R U N C A T E;
K_TRY: T R Y;
K_TYPE: T Y P E;
K_UNION: U N I O N;
K_UNIQUE: U N I Q U E;
K_UPDATE: U P D A T E;
K_USE: U S E;
K_USING: U S I N G;
K_VALUE: V A L U E;
K_VALUES: V A L U E S;
K_VARYING: V A R Y I N G;
K_VIEW: V I E W;
K_WAITFOR: W A I T F O R;
K_WHEN: W H E N;
K_WHERE: W H E R E;
K_WHILE: W H I L E;
K_WITH: W I T H;
K_XML: X M L;

// Identifiers: regular, [bracketed] (]] escapes ]) and "double-quoted" (QUOTED_IDENTIFIER ON).
// Non-ASCII letters are identifier characters, except the no-break space and the BOM,
// which are white space. $node_id and friends (graph pseudo-columns) are identifiers.
ID: (ID_START | '$' [a-zA-Z_]) ID_PART*;
BRACKET_ID: '[' (~']' | ']]')* ']';
QUOTED_ID: '"' (~'"' | '""')* '"';
VARIABLE: '@' ID_PART*;

// Literals.
STRING: [nN]? '\'' (~'\'' | '\'\'')* '\'';
BINARY: '0' [xX] [0-9a-fA-F]*;
FLOAT: (DEC_DIGITS ('.' [0-9]*)? | '.' DEC_DIGITS) [eE] [+-]? DEC_DIGITS;
DECIMAL: DEC_DIGITS '.' [0-9]* | '.' DEC_DIGITS;
INT: DEC_DIGITS;
MONEY: '$' [+-]? (DEC_DIGITS ('.' [0-9]*)? | '.' DEC_DIGITS);

// Operators and punctuation (longest match first).
DCOLON: '::';
LE: '<=';
GE: '>=';
NE: '<>' | '!=';
NLT: '!<';
NGT: '!>';
COMPOUND_ASSIGN: '+=' | '-=' | '*=' | '/=' | '%=' | '&=' | '^=' | '|=';
EQ: '=';
LT: '<';
GT: '>';
LPAREN: '(';
RPAREN: ')';
LBRACE: '{';
RBRACE: '}';
COMMA: ',';
DOT: '.';
SEMI: ';';
COLON: ':';
PLUS: '+';
MINUS: '-';
STAR: '*';
SLASH: '/';
PERCENT_SIGN: '%';
AMP: '&';
PIPE: '|';
CARET: '^';
TILDE: '~';
BANG: '!';

// Trivia.
LINE_COMMENT: '--' ~[\r\n]* -> skip;
BLOCK_COMMENT: '/*' (BLOCK_COMMENT | .)*? '*/' -> skip;
WS: [ \t\r\n\f\u000B\u00A0\uFEFF]+ -> skip;

// Anything else is one UNKNOWN token, so lexing never fails.
UNKNOWN: .;

fragment DEC_DIGITS: [0-9]+;
fragment ID_START: [a-zA-Z_#] | NON_ASCII_LETTER;
fragment ID_PART: [a-zA-Z_#@$0-9] | NON_ASCII_LETTER;
fragment NON_ASCII_LETTER: [\u0080-\u009F\u00A1-\uFEFE\uFF00-\uFFFF\u{10000}-\u{10FFFF}];
fragment UNDERSCORE: '_';
fragment A: [aA];
fragment B: [bB];
fragment C: [cC];
fragment D: [dD];
fragment E: [eE];
fragment F: [fF];
fragment G: [gG];
fragment H: [hH];
fragment I: [iI];
fragment J: [jJ];
fragment K: [kK];
fragment L: [lL];
fragment M: [mM];
fragment N: [nN];
fragment O: [oO];
fragment P: [pP];
fragment Q: [qQ];
fragment R: [rR];
fragment S: [sS];
fragment T: [tT];
fragment U: [uU];
fragment V: [vV];
fragment W: [wW];
fragment X: [xX];
fragment Y: [yY];
fragment Z: [zZ];

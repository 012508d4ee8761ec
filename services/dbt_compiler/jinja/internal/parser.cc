// Implementation of the Jinja parser. See parser.h. Thread-safe (no shared state).
#include "services/dbt_compiler/jinja/internal/parser.h"

#include <functional>
#include <initializer_list>

#include "absl/strings/str_cat.h"
#include "services/dbt_compiler/jinja/internal/env_state.h"

namespace sqlmill::jinja::internal {
namespace {

SourceSpan Cover(SourceSpan a, SourceSpan b) { return SourceSpan::Cover(a, b); }

class Parser {
 public:
  Parser(const std::vector<Token>& tokens, const EnvState* env, int max_depth, SyntaxError* error)
      : toks_(tokens), env_(env), max_depth_(max_depth), error_(error) {}

  bool ParseTemplate(StmtList* out) {
    if (!ParseBody({}, out)) return false;
    if (Cur().kind != TokenKind::kEof) {
      return Fail(absl::StrCat("unexpected ", DescribeToken(Cur())), Cur().span);
    }
    for (const auto& [e, soft] : unresolved_) {
      if (soft) continue;
      return Fail(absl::StrCat("No ", e->kind == ExprKind::kFilter ? "filter" : "test", " named '",
                               e->name, "'."),
                  e->span);
    }
    return true;
  }

  ExprPtr ParseLiteralExpr() {
    ExprPtr e = ParseTuple(false, true, {}, false);
    if (!e) return nullptr;
    if (Cur().kind != TokenKind::kEof) {
      Fail("trailing input", Cur().span);
      return nullptr;
    }
    return e;
  }

  void StartAtExpression() { in_tag_ = true; }

 private:
  // ---- token helpers ----
  const Token& Cur() const { return toks_[pos_]; }
  const Token& Peek(size_t k = 1) const {
    size_t i = pos_ + k;
    return i < toks_.size() ? toks_[i] : toks_.back();
  }
  void Next() {
    if (pos_ + 1 < toks_.size()) ++pos_;
  }
  bool IsOp(std::string_view op) const {
    return Cur().kind == TokenKind::kOperator && Cur().text == op;
  }
  bool IsName(std::string_view name) const {
    return Cur().kind == TokenKind::kName && Cur().text == name;
  }
  bool SkipOp(std::string_view op) {
    if (!IsOp(op)) return false;
    Next();
    return true;
  }
  bool SkipName(std::string_view name) {
    if (!IsName(name)) return false;
    Next();
    return true;
  }
  bool Fail(std::string message, SourceSpan span) {
    if (!failed_) {
      failed_ = true;
      error_->message = std::move(message);
      error_->span = span;
    }
    return false;
  }
  bool FailUnexpected(std::string_view expected) {
    return Fail(absl::StrCat("expected ", std::string(expected), " but found ",
                             DescribeToken(Cur())),
                Cur().span);
  }
  bool ExpectOp(std::string_view op) {
    if (SkipOp(op)) return true;
    return FailUnexpected(absl::StrCat("'", std::string(op), "'"));
  }
  bool ExpectName(std::string_view name) {
    if (SkipName(name)) return true;
    return FailUnexpected(absl::StrCat("'", std::string(name), "'"));
  }
  bool ExpectBlockEnd() {
    if (Cur().kind == TokenKind::kBlockEnd) {
      Next();
      return true;
    }
    return FailUnexpected("end of statement block '%}'");
  }
  bool ExpectIdentifier(std::string* out) {
    if (Cur().kind != TokenKind::kName) return FailUnexpected("a name");
    *out = std::string(Cur().text);
    Next();
    return true;
  }
  bool IsTupleEnd(std::initializer_list<std::string_view> extra) const {
    if (Cur().kind == TokenKind::kVariableEnd || Cur().kind == TokenKind::kBlockEnd ||
        Cur().kind == TokenKind::kEof || IsOp(")")) {
      return true;
    }
    for (auto name : extra) {
      if (IsName(name)) return true;
    }
    return false;
  }

  // Unknown filters and tests are compile errors unless inside an if statement or
  // conditional expression (Jinja2 defers those to run time).
  struct SoftGuard {
    SoftGuard(Parser* p, bool soft) : p(p), saved(p->soft_depth_) { p->soft_depth_ = soft ? saved + 1 : 0; }
    ~SoftGuard() { p->soft_depth_ = saved; }
    Parser* p;
    int saved;
  };

  struct DepthGuard {
    explicit DepthGuard(Parser* p) : p(p) { ++p->depth_; }
    ~DepthGuard() { --p->depth_; }
    Parser* p;
  };
  bool CheckDepth() {
    if (depth_ > max_depth_) {
      return Fail(absl::StrCat("template nesting is deeper than the limit of ", max_depth_),
                  Cur().span);
    }
    return true;
  }

  // ---- statements ----

  // Parses statements until a block tag whose name is in `end_tags` (left current, after
  // the '{%'), or EOF when end_tags is empty.
  bool ParseBody(std::initializer_list<std::string_view> end_tags, StmtList* out) {
    DepthGuard guard(this);
    if (!CheckDepth()) return false;
    while (true) {
      const Token& t = Cur();
      switch (t.kind) {
        case TokenKind::kEof: {
          if (end_tags.size() == 0) return true;
          std::string expected;
          size_t i = 0;
          for (auto tag : end_tags) {
            if (i++) expected += i == end_tags.size() ? " or " : ", ";
            absl::StrAppend(&expected, "'", std::string(tag), "'");
          }
          return Fail(absl::StrCat("unexpected end of template: the '", open_tag_,
                                   "' block is not closed (expected ", expected, ")"),
                      open_block_span_);
        }
        case TokenKind::kData: {
          auto s = std::make_unique<Stmt>(StmtKind::kData, t.span);
          s->text = t.value;
          out->push_back(std::move(s));
          Next();
          break;
        }
        case TokenKind::kVariableBegin: {
          SourceSpan begin = t.span;
          Next();
          ExprPtr e = ParseTuple(false, true, {}, false);
          if (!e) return false;
          if (Cur().kind != TokenKind::kVariableEnd) return FailUnexpected("end of print statement '}}'");
          auto s = std::make_unique<Stmt>(StmtKind::kPrint, Cover(begin, Cur().span));
          s->expr = std::move(e);
          out->push_back(std::move(s));
          Next();
          break;
        }
        case TokenKind::kBlockBegin: {
          const Token& tag = Peek();
          if (tag.kind == TokenKind::kName) {
            for (auto end : end_tags) {
              if (tag.text == end) {
                Next();  // leave the tag name current
                return true;
              }
            }
          }
          StmtPtr s;
          if (!ParseStatement(&s)) return false;
          if (s) out->push_back(std::move(s));
          break;
        }
        default:
          return Fail(absl::StrCat("unexpected ", DescribeToken(t)), t.span);
      }
    }
  }

  bool ParseStatement(StmtPtr* out) {
    SourceSpan begin = Cur().span;
    Next();  // '{%'
    if (Cur().kind != TokenKind::kName) {
      return Fail("tag name expected", Cur().span);
    }
    std::string_view tag = Cur().text;
    SourceSpan tag_span = Cover(begin, Cur().span);
    SourceSpan saved_open = open_block_span_;
    std::string saved_tag = open_tag_;
    open_block_span_ = tag_span;
    open_tag_ = std::string(tag);
    Next();
    bool ok;
    if (tag == "if") {
      ok = ParseIf(tag_span, out);
    } else if (tag == "for") {
      ok = ParseFor(tag_span, out);
    } else if (tag == "set") {
      ok = ParseSet(tag_span, out);
    } else if (tag == "macro") {
      ok = ParseMacro(tag_span, out);
    } else if (tag == "call") {
      ok = ParseCallBlock(tag_span, out);
    } else if (tag == "filter") {
      ok = ParseFilterBlock(tag_span, out);
    } else if (tag == "with") {
      ok = ParseWith(tag_span, out);
    } else if (tag == "do") {
      auto s = std::make_unique<Stmt>(StmtKind::kDo, tag_span);
      s->expr = ParseTuple(false, true, {}, false);
      ok = s->expr && ExpectBlockEnd();
      *out = std::move(s);
    } else if (tag == "include") {
      ok = ParseInclude(tag_span, out);
    } else if (tag == "import") {
      ok = ParseImport(tag_span, out);
    } else if (tag == "from") {
      ok = ParseFromImport(tag_span, out);
    } else if (tag == "extends") {
      auto s = std::make_unique<Stmt>(StmtKind::kExtends, tag_span);
      s->expr = ParseExpression(true);
      ok = s->expr && ExpectBlockEnd();
      *out = std::move(s);
    } else if (tag == "block") {
      ok = ParseBlock(tag_span, out);
    } else if (tag == "break" || tag == "continue") {
      *out = std::make_unique<Stmt>(tag == "break" ? StmtKind::kBreak : StmtKind::kContinue,
                                    tag_span);
      ok = ExpectBlockEnd();
    } else if (tag == "autoescape") {
      // Autoescaping is not supported; the block is transparent (COMPATIBILITY.md).
      ExprPtr e = ParseExpression(true);
      ok = e && ExpectBlockEnd();
      auto s = std::make_unique<Stmt>(StmtKind::kIf, tag_span);
      auto t = std::make_unique<Expr>(ExprKind::kConst, tag_span);
      t->value = Value::Bool(true);
      s->expr = std::move(t);
      ok = ok && ParseBody({"endautoescape"}, &s->body) && EndTag();
      *out = std::move(s);
    } else if (auto it = env_->block_tags.find(std::string(tag)); it != env_->block_tags.end()) {
      ok = ParseCustomBlock(std::string(tag), tag_span, out);
    } else {
      ok = Fail(absl::StrCat("encountered unknown tag '", std::string(tag), "'"), tag_span);
    }
    open_block_span_ = saved_open;
    open_tag_ = saved_tag;
    return ok;
  }

  // Consumes the end tag name (current) and the '%}'.
  bool EndTag() {
    Next();
    return ExpectBlockEnd();
  }

  bool ParseIf(SourceSpan span, StmtPtr* out) {
    SoftGuard soft(this, true);
    auto s = std::make_unique<Stmt>(StmtKind::kIf, span);
    s->expr = ParseTuple(false, true, {}, false);
    if (!s->expr || !ExpectBlockEnd()) return false;
    if (!ParseBody({"elif", "else", "endif"}, &s->body)) return false;
    Stmt* cur = s.get();
    while (true) {
      if (IsName("elif")) {
        SourceSpan es = Cur().span;
        Next();
        auto e = std::make_unique<Stmt>(StmtKind::kIf, es);
        e->expr = ParseTuple(false, true, {}, false);
        if (!e->expr || !ExpectBlockEnd()) return false;
        if (!ParseBody({"elif", "else", "endif"}, &e->body)) return false;
        Stmt* next = e.get();
        cur->else_body.push_back(std::move(e));
        cur = next;
      } else if (IsName("else")) {
        Next();
        if (!ExpectBlockEnd()) return false;
        if (!ParseBody({"endif"}, &cur->else_body)) return false;
      } else {
        if (!EndTag()) return false;
        break;
      }
    }
    *out = std::move(s);
    return true;
  }

  bool ParseFor(SourceSpan span, StmtPtr* out) {
    SoftGuard soft(this, false);
    auto s = std::make_unique<Stmt>(StmtKind::kFor, span);
    s->target = ParseAssignTarget(true, false, {"in"}, false);
    if (!s->target || !ExpectName("in")) return false;
    s->expr = ParseTuple(false, false, {"recursive"}, false);
    if (!s->expr) return false;
    if (SkipName("if")) {
      s->cond = ParseExpression(true);
      if (!s->cond) return false;
    }
    s->recursive = SkipName("recursive");
    if (!ExpectBlockEnd()) return false;
    if (!ParseBody({"endfor", "else"}, &s->body)) return false;
    if (IsName("else")) {
      Next();
      if (!ExpectBlockEnd()) return false;
      if (!ParseBody({"endfor"}, &s->else_body)) return false;
    }
    if (!EndTag()) return false;
    *out = std::move(s);
    return true;
  }

  bool ParseSet(SourceSpan span, StmtPtr* out) {
    ExprPtr target = ParseAssignTarget(true, false, {}, true);
    if (!target) return false;
    if (SkipOp("=")) {
      auto s = std::make_unique<Stmt>(StmtKind::kSet, span);
      s->target = std::move(target);
      s->expr = ParseTuple(false, true, {}, false);
      if (!s->expr || !ExpectBlockEnd()) return false;
      *out = std::move(s);
      return true;
    }
    auto s = std::make_unique<Stmt>(StmtKind::kSetBlock, span);
    s->target = std::move(target);
    if (IsOp("|")) {
      s->expr = ParseFilterChain(nullptr);
      if (!s->expr) return false;
    }
    if (!ExpectBlockEnd()) return false;
    if (!ParseBody({"endset"}, &s->body) || !EndTag()) return false;
    *out = std::move(s);
    return true;
  }

  bool ParseSignature(MacroDef* m) {
    if (!ExpectOp("(")) return false;
    while (!IsOp(")")) {
      if (!m->params.empty() && !ExpectOp(",")) return false;
      if (IsOp(")")) break;
      std::string name;
      if (!ExpectIdentifier(&name)) return false;
      m->params.push_back(name);
      if (SkipOp("=")) {
        ExprPtr d = ParseExpression(true);
        if (!d) return false;
        m->defaults.push_back(std::move(d));
      } else if (!m->defaults.empty()) {
        return Fail("non-default argument follows default argument", Cur().span);
      }
    }
    Next();
    return true;
  }

  bool ParseMacro(SourceSpan span, StmtPtr* out) {
    SoftGuard soft(this, false);
    auto s = std::make_unique<Stmt>(StmtKind::kMacro, span);
    s->macro = std::make_unique<MacroDef>();
    s->macro->span = span;
    if (!ExpectIdentifier(&s->macro->name)) return false;
    if (!ParseSignature(s->macro.get()) || !ExpectBlockEnd()) return false;
    if (!ParseBody({"endmacro"}, &s->macro->body)) return false;
    Next();
    if (Cur().kind == TokenKind::kName) Next();  // optional macro name after endmacro
    if (!ExpectBlockEnd()) return false;
    ScanMacro(s->macro.get());
    *out = std::move(s);
    return true;
  }

  bool ParseCallBlock(SourceSpan span, StmtPtr* out) {
    SoftGuard soft(this, false);
    auto s = std::make_unique<Stmt>(StmtKind::kCallBlock, span);
    s->macro = std::make_unique<MacroDef>();
    s->macro->name = "caller";
    s->macro->span = span;
    if (IsOp("(")) {
      if (!ParseSignature(s->macro.get())) return false;
    }
    s->expr = ParseExpression(true);
    if (!s->expr) return false;
    if (s->expr->kind != ExprKind::kCall) return Fail("expected call", s->expr->span);
    if (!ExpectBlockEnd()) return false;
    if (!ParseBody({"endcall"}, &s->macro->body) || !EndTag()) return false;
    ScanMacro(s->macro.get());
    *out = std::move(s);
    return true;
  }

  bool ParseFilterBlock(SourceSpan span, StmtPtr* out) {
    SoftGuard soft(this, false);
    auto s = std::make_unique<Stmt>(StmtKind::kFilterBlock, span);
    s->expr = ParseFilterChain(nullptr, /*start_inline=*/true);
    if (!s->expr || !ExpectBlockEnd()) return false;
    if (!ParseBody({"endfilter"}, &s->body) || !EndTag()) return false;
    *out = std::move(s);
    return true;
  }

  bool ParseWith(SourceSpan span, StmtPtr* out) {
    SoftGuard soft(this, false);
    auto s = std::make_unique<Stmt>(StmtKind::kWith, span);
    while (Cur().kind != TokenKind::kBlockEnd) {
      if (!s->assignments.empty() && !ExpectOp(",")) return false;
      ExprPtr target = ParseAssignTarget(true, false, {}, false);
      if (!target || !ExpectOp("=")) return false;
      ExprPtr value = ParseExpression(true);
      if (!value) return false;
      s->assignments.emplace_back(std::move(target), std::move(value));
    }
    Next();
    if (!ParseBody({"endwith"}, &s->body) || !EndTag()) return false;
    *out = std::move(s);
    return true;
  }

  bool ParseContext(Stmt* s) {
    if ((IsName("with") || IsName("without")) && Peek().kind == TokenKind::kName &&
        Peek().text == "context") {
      s->with_context = IsName("with");
      Next();
      Next();
      return true;
    }
    return false;
  }

  bool ParseInclude(SourceSpan span, StmtPtr* out) {
    auto s = std::make_unique<Stmt>(StmtKind::kInclude, span);
    s->expr = ParseExpression(true);
    if (!s->expr) return false;
    if (IsName("ignore") && Peek().kind == TokenKind::kName && Peek().text == "missing") {
      s->ignore_missing = true;
      Next();
      Next();
    }
    s->with_context = true;
    ParseContext(s.get());
    if (!ExpectBlockEnd()) return false;
    *out = std::move(s);
    return true;
  }

  bool ParseImport(SourceSpan span, StmtPtr* out) {
    auto s = std::make_unique<Stmt>(StmtKind::kImport, span);
    s->expr = ParseExpression(true);
    if (!s->expr || !ExpectName("as") || !ExpectIdentifier(&s->name)) return false;
    ParseContext(s.get());
    if (!ExpectBlockEnd()) return false;
    *out = std::move(s);
    return true;
  }

  bool ParseFromImport(SourceSpan span, StmtPtr* out) {
    auto s = std::make_unique<Stmt>(StmtKind::kFromImport, span);
    s->expr = ParseExpression(true);
    if (!s->expr || !ExpectName("import")) return false;
    while (true) {
      if (!s->names.empty() && !ExpectOp(",")) return false;
      if (Cur().kind != TokenKind::kName) {
        if (!s->names.empty() && Cur().kind == TokenKind::kBlockEnd) break;
        return FailUnexpected("a name");
      }
      if (ParseContext(s.get())) break;
      std::string name(Cur().text);
      if (!name.empty() && name[0] == '_') {
        return Fail("names starting with an underline can not be imported", Cur().span);
      }
      Next();
      std::string alias = name;
      if (SkipName("as")) {
        if (!ExpectIdentifier(&alias)) return false;
      }
      s->names.emplace_back(name, alias);
      if (ParseContext(s.get()) || !IsOp(",")) break;
    }
    if (!ExpectBlockEnd()) return false;
    *out = std::move(s);
    return true;
  }

  bool ParseBlock(SourceSpan span, StmtPtr* out) {
    auto s = std::make_unique<Stmt>(StmtKind::kBlock, span);
    if (!ExpectIdentifier(&s->name)) return false;
    while (Cur().kind == TokenKind::kName) {
      if (SkipName("scoped")) {
        s->scoped = true;
      } else if (SkipName("required")) {
        s->required = true;
      } else {
        break;
      }
    }
    if (!ExpectBlockEnd()) return false;
    if (!ParseBody({"endblock"}, &s->body)) return false;
    Next();
    if (Cur().kind == TokenKind::kName) {
      if (Cur().text != s->name) {
        return Fail(absl::StrCat("mismatched endblock: expected '", s->name, "' but found '",
                                 std::string(Cur().text), "'"),
                    Cur().span);
      }
      Next();
    }
    if (!ExpectBlockEnd()) return false;
    blocks_seen_.push_back(s.get());
    *out = std::move(s);
    return true;
  }

  bool ParseCustomBlock(std::string tag, SourceSpan span, StmtPtr* out) {
    SoftGuard soft(this, false);
    auto s = std::make_unique<Stmt>(StmtKind::kCustomBlock, span);
    s->name = tag;
    s->macro = std::make_unique<MacroDef>();
    s->macro->span = span;
    if (!ExpectIdentifier(&s->macro->name)) return false;
    if (IsOp("(")) {
      if (!ParseSignature(s->macro.get())) return false;
    }
    while (Cur().kind != TokenKind::kBlockEnd) {
      if (!ExpectOp(",")) return false;
      std::string key;
      if (!ExpectIdentifier(&key)) return false;
      ExprPtr value;
      if (SkipOp("=")) {
        value = ParseExpression(true);
        if (!value) return false;
      } else {
        value = std::make_unique<Expr>(ExprKind::kConst, Cur().span);
        value->value = Value::Bool(true);
      }
      s->options.emplace_back(key, std::move(value));
    }
    Next();
    std::string end = "end" + tag;
    if (!ParseBody({end}, &s->macro->body) || !EndTag()) return false;
    ScanMacro(s->macro.get());
    *out = std::move(s);
    return true;
  }

  // ---- expressions ----

  ExprPtr ParseAssignTarget(bool with_tuple, bool name_only,
                            std::initializer_list<std::string_view> extra_end, bool with_namespace) {
    if (with_namespace && Cur().kind == TokenKind::kName && Peek().kind == TokenKind::kOperator &&
        Peek().text == "." && Peek(2).kind == TokenKind::kName) {
      auto e = std::make_unique<Expr>(ExprKind::kGetAttr, Cover(Cur().span, Peek(2).span));
      auto base = std::make_unique<Expr>(ExprKind::kName, Cur().span);
      base->name = std::string(Cur().text);
      e->name = std::string(Peek(2).text);
      e->children.push_back(std::move(base));
      Next();
      Next();
      Next();
      return e;
    }
    ExprPtr target;
    if (name_only) {
      if (Cur().kind != TokenKind::kName) {
        FailUnexpected("a name");
        return nullptr;
      }
      target = ParsePrimary();
    } else if (with_tuple) {
      target = ParseTuple(true, true, extra_end, false);
    } else {
      target = ParsePrimary();
    }
    if (!target) return nullptr;
    if (!CheckAssignable(*target)) return nullptr;
    return target;
  }

  bool CheckAssignable(const Expr& e) {
    if (e.kind == ExprKind::kName) {
      if (e.name == "true" || e.name == "false" || e.name == "none" || e.name == "True" ||
          e.name == "False" || e.name == "None") {
        return Fail(absl::StrCat("can't assign to '", e.name, "'"), e.span);
      }
      return true;
    }
    if (e.kind == ExprKind::kTuple) {
      for (const auto& c : e.children) {
        if (!CheckAssignable(*c)) return false;
      }
      return true;
    }
    return Fail("can't assign to this expression", e.span);
  }

  ExprPtr ParseExpression(bool with_condexpr) {
    DepthGuard guard(this);
    if (!CheckDepth()) return nullptr;
    return with_condexpr ? ParseCondExpr() : ParseOr();
  }

  ExprPtr ParseCondExpr() {
    const size_t unresolved_mark = unresolved_.size();
    ExprPtr expr1 = ParseOr();
    if (!expr1) return nullptr;
    while (IsName("if")) {
      Next();
      ++soft_depth_;
      for (size_t i = unresolved_mark; i < unresolved_.size(); ++i) unresolved_[i].second = true;
      ExprPtr cond = ParseOr();
      if (!cond) return nullptr;
      ExprPtr otherwise;
      if (SkipName("else")) {
        otherwise = ParseCondExpr();
        if (!otherwise) return nullptr;
      }
      --soft_depth_;
      SourceSpan span = Cover(expr1->span, otherwise ? otherwise->span : cond->span);
      auto e = std::make_unique<Expr>(ExprKind::kCondExpr, span);
      e->children.push_back(std::move(expr1));
      e->children.push_back(std::move(cond));
      e->children.push_back(std::move(otherwise));
      expr1 = std::move(e);
    }
    return expr1;
  }

  ExprPtr Binary(ExprKind kind, ExprPtr left, ExprPtr right, uint8_t op = 0) {
    auto e = std::make_unique<Expr>(kind, Cover(left->span, right->span));
    e->op = op;
    e->children.push_back(std::move(left));
    e->children.push_back(std::move(right));
    return e;
  }

  ExprPtr ParseOr() {
    ExprPtr left = ParseAnd();
    while (left && IsName("or")) {
      Next();
      ExprPtr right = ParseAnd();
      if (!right) return nullptr;
      left = Binary(ExprKind::kOr, std::move(left), std::move(right));
    }
    return left;
  }

  ExprPtr ParseAnd() {
    ExprPtr left = ParseNot();
    while (left && IsName("and")) {
      Next();
      ExprPtr right = ParseNot();
      if (!right) return nullptr;
      left = Binary(ExprKind::kAnd, std::move(left), std::move(right));
    }
    return left;
  }

  ExprPtr ParseNot() {
    if (IsName("not")) {
      SourceSpan span = Cur().span;
      Next();
      DepthGuard guard(this);
      if (!CheckDepth()) return nullptr;
      ExprPtr operand = ParseNot();
      if (!operand) return nullptr;
      auto e = std::make_unique<Expr>(ExprKind::kNot, Cover(span, operand->span));
      e->children.push_back(std::move(operand));
      return e;
    }
    return ParseCompare();
  }

  ExprPtr ParseCompare() {
    ExprPtr expr = ParseMath1();
    if (!expr) return nullptr;
    std::unique_ptr<Expr> cmp;
    while (true) {
      CmpOp op;
      if (IsOp("==")) {
        op = CmpOp::kEq;
      } else if (IsOp("!=")) {
        op = CmpOp::kNe;
      } else if (IsOp("<")) {
        op = CmpOp::kLt;
      } else if (IsOp("<=")) {
        op = CmpOp::kLe;
      } else if (IsOp(">")) {
        op = CmpOp::kGt;
      } else if (IsOp(">=")) {
        op = CmpOp::kGe;
      } else if (IsName("in")) {
        op = CmpOp::kIn;
      } else if (IsName("not") && Peek().kind == TokenKind::kName && Peek().text == "in") {
        Next();
        op = CmpOp::kNotIn;
      } else {
        break;
      }
      Next();
      ExprPtr right = ParseMath1();
      if (!right) return nullptr;
      if (!cmp) {
        cmp = std::make_unique<Expr>(ExprKind::kCompare, expr->span);
        cmp->children.push_back(std::move(expr));
      }
      cmp->span = Cover(cmp->span, right->span);
      cmp->ops.push_back(op);
      cmp->children.push_back(std::move(right));
    }
    return cmp ? std::move(cmp) : std::move(expr);
  }

  ExprPtr ParseMath1() {
    ExprPtr left = ParseConcat();
    while (left && (IsOp("+") || IsOp("-"))) {
      BinOp op = IsOp("+") ? BinOp::kAdd : BinOp::kSub;
      Next();
      ExprPtr right = ParseConcat();
      if (!right) return nullptr;
      left = Binary(ExprKind::kBinary, std::move(left), std::move(right), static_cast<uint8_t>(op));
    }
    return left;
  }

  ExprPtr ParseConcat() {
    ExprPtr left = ParseMath2();
    while (left && IsOp("~")) {
      Next();
      ExprPtr right = ParseMath2();
      if (!right) return nullptr;
      left = Binary(ExprKind::kBinary, std::move(left), std::move(right),
                    static_cast<uint8_t>(BinOp::kConcat));
    }
    return left;
  }

  ExprPtr ParseMath2() {
    ExprPtr left = ParsePow();
    while (left && (IsOp("*") || IsOp("/") || IsOp("//") || IsOp("%"))) {
      BinOp op = IsOp("*") ? BinOp::kMul : IsOp("/") ? BinOp::kDiv : IsOp("//") ? BinOp::kFloorDiv
                                                                                : BinOp::kMod;
      Next();
      ExprPtr right = ParsePow();
      if (!right) return nullptr;
      left = Binary(ExprKind::kBinary, std::move(left), std::move(right), static_cast<uint8_t>(op));
    }
    return left;
  }

  ExprPtr ParsePow() {
    ExprPtr left = ParseUnary(true);
    while (left && IsOp("**")) {
      Next();
      ExprPtr right = ParseUnary(true);
      if (!right) return nullptr;
      left = Binary(ExprKind::kBinary, std::move(left), std::move(right),
                    static_cast<uint8_t>(BinOp::kPow));
    }
    return left;
  }

  ExprPtr ParseUnary(bool with_filter) {
    DepthGuard guard(this);
    if (!CheckDepth()) return nullptr;
    ExprPtr node;
    if (IsOp("-") || IsOp("+")) {
      SourceSpan span = Cur().span;
      ExprKind kind = IsOp("-") ? ExprKind::kNeg : ExprKind::kPos;
      Next();
      ExprPtr operand = ParseUnary(false);
      if (!operand) return nullptr;
      node = std::make_unique<Expr>(kind, Cover(span, operand->span));
      node->children.push_back(std::move(operand));
    } else {
      node = ParsePrimary();
    }
    if (!node) return nullptr;
    node = ParsePostfix(std::move(node));
    if (node && with_filter) node = ParseFilterExpr(std::move(node));
    return node;
  }

  ExprPtr Const(Value v, SourceSpan span) {
    auto e = std::make_unique<Expr>(ExprKind::kConst, span);
    e->value = std::move(v);
    return e;
  }

  ExprPtr ParsePrimary() {
    const Token& t = Cur();
    switch (t.kind) {
      case TokenKind::kName: {
        SourceSpan span = t.span;
        std::string_view n = t.text;
        Next();
        if (n == "true" || n == "True") return Const(Value::Bool(true), span);
        if (n == "false" || n == "False") return Const(Value::Bool(false), span);
        if (n == "none" || n == "None") return Const(Value::None(), span);
        auto e = std::make_unique<Expr>(ExprKind::kName, span);
        e->name = std::string(n);
        return e;
      }
      case TokenKind::kString: {
        SourceSpan span = t.span;
        std::string s = t.value;
        Next();
        while (Cur().kind == TokenKind::kString) {
          s += Cur().value;
          span = Cover(span, Cur().span);
          Next();
        }
        return Const(Value::String(std::move(s)), span);
      }
      case TokenKind::kInt: {
        auto e = Const(Value::Int(t.int_value), t.span);
        Next();
        return e;
      }
      case TokenKind::kFloat: {
        auto e = Const(Value::Float(t.float_value), t.span);
        Next();
        return e;
      }
      case TokenKind::kOperator:
        if (t.text == "(") {
          SourceSpan span = t.span;
          Next();
          ExprPtr e = ParseTuple(false, true, {}, true);
          if (!e) return nullptr;
          if (!IsOp(")")) {
            FailUnexpected("')'");
            return nullptr;
          }
          if (e->kind == ExprKind::kTuple) e->span = Cover(span, Cur().span);
          Next();
          return e;
        }
        if (t.text == "[") return ParseList();
        if (t.text == "{") return ParseDict();
        break;
      default:
        break;
    }
    Fail(absl::StrCat("unexpected ", DescribeToken(t)), t.span);
    return nullptr;
  }

  ExprPtr ParseTuple(bool simplified, bool with_condexpr,
                     std::initializer_list<std::string_view> extra_end, bool explicit_parens) {
    SourceSpan span = Cur().span;
    std::vector<ExprPtr> items;
    bool is_tuple = false;
    while (true) {
      if (!items.empty() && !ExpectOp(",")) return nullptr;
      if (IsTupleEnd(extra_end)) break;
      ExprPtr e = simplified ? ParsePrimary() : ParseExpression(with_condexpr);
      if (!e) return nullptr;
      items.push_back(std::move(e));
      if (IsOp(",")) {
        is_tuple = true;
      } else {
        break;
      }
    }
    if (!is_tuple) {
      if (!items.empty()) return std::move(items[0]);
      if (!explicit_parens) {
        Fail(absl::StrCat("expected an expression but found ", DescribeToken(Cur())), Cur().span);
        return nullptr;
      }
    }
    if (!items.empty()) span = Cover(span, items.back()->span);
    auto e = std::make_unique<Expr>(ExprKind::kTuple, span);
    e->children = std::move(items);
    return e;
  }

  ExprPtr ParseList() {
    SourceSpan span = Cur().span;
    Next();
    auto e = std::make_unique<Expr>(ExprKind::kList, span);
    while (!IsOp("]")) {
      if (!e->children.empty() && !ExpectOp(",")) return nullptr;
      if (IsOp("]")) break;
      ExprPtr item = ParseExpression(true);
      if (!item) return nullptr;
      e->children.push_back(std::move(item));
    }
    e->span = Cover(span, Cur().span);
    Next();
    return e;
  }

  ExprPtr ParseDict() {
    SourceSpan span = Cur().span;
    Next();
    auto e = std::make_unique<Expr>(ExprKind::kDict, span);
    while (!IsOp("}")) {
      if (!e->children.empty() && !ExpectOp(",")) return nullptr;
      if (IsOp("}")) break;
      ExprPtr key = ParseExpression(true);
      if (!key || !ExpectOp(":")) return nullptr;
      ExprPtr value = ParseExpression(true);
      if (!value) return nullptr;
      e->children.push_back(std::move(key));
      e->children.push_back(std::move(value));
    }
    e->span = Cover(span, Cur().span);
    Next();
    return e;
  }

  ExprPtr ParsePostfix(ExprPtr node) {
    while (node) {
      if (IsOp(".")) {
        Next();
        const Token& t = Cur();
        if (t.kind == TokenKind::kName) {
          auto e = std::make_unique<Expr>(ExprKind::kGetAttr, Cover(node->span, t.span));
          e->name = std::string(t.text);
          e->children.push_back(std::move(node));
          Next();
          node = std::move(e);
        } else if (t.kind == TokenKind::kInt) {
          auto e = std::make_unique<Expr>(ExprKind::kGetItem, Cover(node->span, t.span));
          e->children.push_back(std::move(node));
          e->children.push_back(Const(Value::Int(t.int_value), t.span));
          Next();
          node = std::move(e);
        } else {
          FailUnexpected("a name or number after '.'");
          return nullptr;
        }
      } else if (IsOp("[")) {
        node = ParseSubscript(std::move(node));
      } else if (IsOp("(")) {
        node = ParseCall(std::move(node));
      } else {
        break;
      }
    }
    return node;
  }

  ExprPtr ParseSubscript(ExprPtr node) {
    Next();  // '['
    std::vector<ExprPtr> items;
    while (!IsOp("]")) {
      if (!items.empty()) {
        if (!ExpectOp(",")) return nullptr;
        if (IsOp("]")) break;
      }
      ExprPtr item = ParseSubscribed();
      if (!item) return nullptr;
      items.push_back(std::move(item));
    }
    if (items.empty()) {
      FailUnexpected("a subscript");
      return nullptr;
    }
    SourceSpan span = Cover(node->span, Cur().span);
    Next();
    if (items.size() == 1 && items[0]->kind == ExprKind::kSlice) {
      items[0]->span = span;
      items[0]->children[0] = std::move(node);
      return std::move(items[0]);
    }
    auto e = std::make_unique<Expr>(ExprKind::kGetItem, span);
    e->children.push_back(std::move(node));
    if (items.size() == 1) {
      e->children.push_back(std::move(items[0]));
    } else {
      auto t = std::make_unique<Expr>(ExprKind::kTuple, span);
      t->children = std::move(items);
      e->children.push_back(std::move(t));
    }
    return e;
  }

  ExprPtr ParseSubscribed() {
    SourceSpan span = Cur().span;
    ExprPtr start;
    if (!IsOp(":")) {
      start = ParseExpression(true);
      if (!start) return nullptr;
      if (!IsOp(":")) return start;
    }
    Next();  // ':'
    auto e = std::make_unique<Expr>(ExprKind::kSlice, span);
    e->children.push_back(nullptr);  // the sliced value, filled by the caller
    e->children.push_back(std::move(start));
    ExprPtr stop;
    if (!IsOp("]") && !IsOp(",") && !IsOp(":")) {
      stop = ParseExpression(true);
      if (!stop) return nullptr;
    }
    e->children.push_back(std::move(stop));
    ExprPtr step;
    if (SkipOp(":")) {
      if (!IsOp("]") && !IsOp(",")) {
        step = ParseExpression(true);
        if (!step) return nullptr;
      }
    }
    e->children.push_back(std::move(step));
    return e;
  }

  bool ParseCallArgs(Expr* e) {
    if (!ExpectOp("(")) return false;
    bool first = true;
    while (!IsOp(")")) {
      if (!first && !ExpectOp(",")) return false;
      first = false;
      if (IsOp(")")) break;
      if (IsOp("*") || IsOp("**")) {
        bool star2 = IsOp("**");
        Next();
        ExprPtr v = ParseExpression(true);
        if (!v) return false;
        (star2 ? e->dyn_kwargs : e->dyn_args) = std::move(v);
        continue;
      }
      if (Cur().kind == TokenKind::kName && Peek().kind == TokenKind::kOperator &&
          Peek().text == "=") {
        std::string key(Cur().text);
        Next();
        Next();
        ExprPtr v = ParseExpression(true);
        if (!v) return false;
        e->kwargs.emplace_back(std::move(key), std::move(v));
        continue;
      }
      if (!e->kwargs.empty() || e->dyn_args || e->dyn_kwargs) {
        return Fail("invalid syntax for function call expression", Cur().span);
      }
      ExprPtr v = ParseExpression(true);
      if (!v) return false;
      e->args.push_back(std::move(v));
    }
    e->span = Cover(e->span, Cur().span);
    Next();
    return true;
  }

  ExprPtr ParseCall(ExprPtr node) {
    auto e = std::make_unique<Expr>(ExprKind::kCall, node->span);
    e->children.push_back(std::move(node));
    if (!ParseCallArgs(e.get())) return nullptr;
    return e;
  }

  bool ParseDottedName(std::string* name, SourceSpan* span) {
    if (Cur().kind != TokenKind::kName) return FailUnexpected("a filter or test name");
    *name = std::string(Cur().text);
    *span = Cur().span;
    Next();
    while (IsOp(".") && Peek().kind == TokenKind::kName) {
      Next();
      *name += "." + std::string(Cur().text);
      *span = Cover(*span, Cur().span);
      Next();
    }
    return true;
  }

  // Parses `| f(args) | g ...` applied to `node` (null for {% filter %} / set blocks).
  ExprPtr ParseFilterChain(ExprPtr node, bool start_inline = false) {
    while (IsOp("|") || start_inline) {
      if (!start_inline) Next();
      start_inline = false;
      std::string name;
      SourceSpan span;
      if (!ParseDottedName(&name, &span)) return nullptr;
      auto e = std::make_unique<Expr>(ExprKind::kFilter, node ? Cover(node->span, span) : span);
      e->name = name;
      e->filter = env_->FindFilter(name);
      if (e->filter == nullptr) unresolved_.push_back({e.get(), soft_depth_ > 0});
      e->children.push_back(std::move(node));
      if (IsOp("(") && !ParseCallArgs(e.get())) return nullptr;
      node = std::move(e);
    }
    return node;
  }

  ExprPtr ParseFilterExpr(ExprPtr node) {
    while (node) {
      if (IsOp("|")) {
        node = ParseFilterChain(std::move(node));
      } else if (IsName("is")) {
        node = ParseTest(std::move(node));
      } else if (IsOp("(")) {
        node = ParseCall(std::move(node));
      } else {
        break;
      }
    }
    return node;
  }

  ExprPtr ParseTest(ExprPtr node) {
    Next();  // 'is'
    bool negated = SkipName("not");
    std::string name;
    SourceSpan span;
    if (!ParseDottedName(&name, &span)) return nullptr;
    auto e = std::make_unique<Expr>(ExprKind::kTest, Cover(node->span, span));
    e->name = name;
    e->op = negated ? 1 : 0;
    e->test = env_->FindTest(name);
    if (e->test == nullptr) unresolved_.push_back({e.get(), soft_depth_ > 0});
    e->children.push_back(std::move(node));
    if (IsOp("(")) {
      if (!ParseCallArgs(e.get())) return nullptr;
    } else {
      const Token& t = Cur();
      bool arg_start = t.kind == TokenKind::kName || t.kind == TokenKind::kString ||
                       t.kind == TokenKind::kInt || t.kind == TokenKind::kFloat ||
                       (t.kind == TokenKind::kOperator && (t.text == "[" || t.text == "{"));
      if (arg_start && !IsName("else") && !IsName("or") && !IsName("and")) {
        if (IsName("is")) {
          Fail("you cannot chain multiple tests with is", t.span);
          return nullptr;
        }
        ExprPtr arg = ParsePrimary();
        if (arg) arg = ParsePostfix(std::move(arg));
        if (!arg) return nullptr;
        e->span = Cover(e->span, arg->span);
        e->args.push_back(std::move(arg));
      }
    }
    return e;
  }

  // Records whether a macro body refers to varargs, kwargs or caller (not counting nested
  // macros, which have their own).
  void ScanMacro(MacroDef* m) {
    std::function<void(const Expr*)> scan_expr = [&](const Expr* e) {
      if (e == nullptr) return;
      if (e->kind == ExprKind::kName) {
        if (e->name == "varargs") m->uses_varargs = true;
        if (e->name == "kwargs") m->uses_kwargs = true;
        if (e->name == "caller") m->uses_caller = true;
      }
      for (const auto& c : e->children) scan_expr(c.get());
      for (const auto& c : e->args) scan_expr(c.get());
      for (const auto& c : e->kwargs) scan_expr(c.second.get());
      scan_expr(e->dyn_args.get());
      scan_expr(e->dyn_kwargs.get());
    };
    std::function<void(const StmtList&)> scan_body = [&](const StmtList& body) {
      for (const auto& s : body) {
        scan_expr(s->expr.get());
        scan_expr(s->target.get());
        scan_expr(s->cond.get());
        for (const auto& [t, v] : s->assignments) {
          scan_expr(t.get());
          scan_expr(v.get());
        }
        for (const auto& o : s->options) scan_expr(o.second.get());
        scan_body(s->body);
        scan_body(s->else_body);
        if (s->macro && s->kind == StmtKind::kCallBlock) {
          for (const auto& d : s->macro->defaults) scan_expr(d.get());
        }
      }
    };
    for (const auto& d : m->defaults) scan_expr(d.get());
    scan_body(m->body);
  }

 public:
  std::vector<const Stmt*> blocks_seen_;

 private:
  const std::vector<Token>& toks_;
  const EnvState* env_;
  int max_depth_;
  SyntaxError* error_;
  size_t pos_ = 0;
  int depth_ = 0;
  bool failed_ = false;
  bool in_tag_ = false;
  int soft_depth_ = 0;
  std::vector<std::pair<const Expr*, bool>> unresolved_;
  SourceSpan open_block_span_;
  std::string open_tag_;
};

}  // namespace

bool Parse(const std::vector<Token>& tokens, const EnvState& env, int max_depth, StmtList* out,
           SyntaxError* error) {
  Parser parser(tokens, &env, max_depth, error);
  return parser.ParseTemplate(out);
}

namespace {

bool EvalLiteral(const Expr& e, Value* out) {
  switch (e.kind) {
    case ExprKind::kConst:
      *out = e.value;
      return true;
    case ExprKind::kNeg:
    case ExprKind::kPos: {
      Value v;
      if (!EvalLiteral(*e.children[0], &v) || !(v.is_int() || v.is_float())) return false;
      if (e.kind == ExprKind::kPos) {
        *out = v;
      } else {
        *out = v.is_int() ? Value::Int(-v.as_int()) : Value::Float(-v.as_double());
      }
      return true;
    }
    case ExprKind::kList:
    case ExprKind::kTuple: {
      std::vector<Value> items;
      for (const auto& c : e.children) {
        Value v;
        if (!EvalLiteral(*c, &v)) return false;
        items.push_back(std::move(v));
      }
      *out = e.kind == ExprKind::kList ? Value::List(std::move(items))
                                       : Value::Tuple(std::move(items));
      return true;
    }
    case ExprKind::kDict: {
      Value d = Value::Dict();
      for (size_t i = 0; i + 1 < e.children.size(); i += 2) {
        Value k, v;
        if (!EvalLiteral(*e.children[i], &k) || !EvalLiteral(*e.children[i + 1], &v)) return false;
        if (k.is_list() || k.is_dict()) return false;
        d.dict()->Set(std::move(k), std::move(v));
      }
      *out = std::move(d);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace

bool ParseLiteral(std::string_view text, Value* out) {
  // Lex as the inside of a {{ }} tag, then accept only literal expressions.
  std::string src = absl::StrCat("{{ ", std::string(text), "\n}}");
  std::vector<Token> tokens;
  SyntaxError error;
  if (!Lex(src, LexOptions{}, &tokens, &error)) return false;
  if (tokens.size() < 3 || tokens[0].kind != TokenKind::kVariableBegin) return false;
  // Drop the delimiters so the parser sees a bare expression.
  std::vector<Token> inner(tokens.begin() + 1, tokens.end());
  if (inner.size() < 2 || inner[inner.size() - 2].kind != TokenKind::kVariableEnd) return false;
  inner.erase(inner.end() - 2);
  for (const auto& t : inner) {
    if (t.kind == TokenKind::kName) {
      if (t.text != "True" && t.text != "False" && t.text != "None") return false;
    }
  }
  EnvState env;
  Parser parser(inner, &env, 100, &error);
  ExprPtr e = parser.ParseLiteralExpr();
  if (!e) return false;
  return EvalLiteral(*e, out);
}

}  // namespace sqlmill::jinja::internal

// Implementation of the public Environment API: configuration, compilation (normalize
// newlines → lex → parse → index blocks), rendering through the evaluator, loaders, native
// conversion and error introspection. Thread-safety: see environment.h.
#include "services/dbt_compiler/jinja/environment.h"

#include <fstream>
#include <sstream>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/diagnostic.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "services/dbt_compiler/jinja/internal/env_state.h"
#include "services/dbt_compiler/jinja/internal/evaluator.h"
#include "services/dbt_compiler/jinja/internal/lexer.h"
#include "services/dbt_compiler/jinja/internal/parser.h"

namespace sqlmill::jinja {
namespace {

constexpr char kLocationPayload[] = "sqlmill.jinja/location";
constexpr char kStackPayload[] = "sqlmill.jinja/stack";

std::string NormalizeNewlines(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

absl::Status SyntaxStatus(const internal::TemplateData& tpl, SourceSpan span, const std::string& message) {
  Location loc = tpl.line_index.LocationOf(span.offset);
  absl::Status s = absl::InvalidArgumentError(absl::StrCat(tpl.name, ":", loc.line, ":", loc.column,
                                                           ": error: ", message, "\n",
                                                           RenderExcerpt(tpl.line_index, span)));
  s.SetPayload(kLocationPayload, absl::Cord(absl::StrCat(tpl.name, "\x1f", loc.line, "\x1f",
                                                          loc.column, "\x1f", message)));
  return s;
}

void CollectBlocks(const internal::StmtList& body, internal::TemplateData* tpl,
                   std::vector<const internal::Stmt*>* dups) {
  for (const auto& s : body) {
    if (s->kind == internal::StmtKind::kBlock) {
      if (!tpl->blocks.emplace(s->name, s.get()).second) dups->push_back(s.get());
    }
    CollectBlocks(s->body, tpl, dups);
    CollectBlocks(s->else_body, tpl, dups);
  }
}

}  // namespace

namespace internal {

absl::StatusOr<std::shared_ptr<const Template>> CompileWithState(std::shared_ptr<const EnvState> env,
                                                                 std::string_view source,
                                                                 std::string_view name) {
  SQLMILL_RETURN_IF_ERROR(CheckInputSize(absl::StrCat("template '", AsAbsl(name), "'"),
                                         source.size(), Limits().max_input_bytes));
  auto data = std::make_shared<TemplateData>(std::string(name), NormalizeNewlines(source));
  data->env = env;
  std::string_view lex_source = data->source;
  if (!env->options.keep_trailing_newline && !lex_source.empty() && lex_source.back() == '\n') {
    lex_source.remove_suffix(1);
  }
  std::vector<Token> tokens;
  SyntaxError error;
  LexOptions lex_options{env->options.trim_blocks, env->options.lstrip_blocks};
  if (!Lex(lex_source, lex_options, &tokens, &error)) {
    return SyntaxStatus(*data, error.span, error.message);
  }
  if (!Parse(tokens, *env, Limits().max_nesting_depth, &data->body, &error)) {
    return SyntaxStatus(*data, error.span, error.message);
  }
  std::vector<const Stmt*> dups;
  CollectBlocks(data->body, data.get(), &dups);
  if (!dups.empty()) {
    return SyntaxStatus(*data, dups[0]->span,
                        absl::StrCat("block '", dups[0]->name, "' defined twice"));
  }
  return std::make_shared<const Template>(std::move(data));
}

}  // namespace internal

const std::string& Template::name() const { return data_->name; }
const std::string& Template::source() const { return data_->source; }
const LineIndex& Template::line_index() const { return data_->line_index; }

MapLoader::MapLoader(std::vector<std::pair<std::string, std::string>> templates)
    : templates_(std::move(templates)) {}

void MapLoader::Add(std::string name, std::string source) {
  templates_.emplace_back(std::move(name), std::move(source));
}

absl::StatusOr<std::string> MapLoader::Load(std::string_view name) const {
  for (const auto& [n, src] : templates_) {
    if (n == name) return src;
  }
  return absl::NotFoundError(absl::StrCat("template not found: ", AsAbsl(name)));
}

absl::StatusOr<std::string> FileSystemLoader::Load(std::string_view name) const {
  std::string n(name);
  for (const auto& part : absl::StrSplit(n, '/')) {
    if (part == "..") return absl::NotFoundError(absl::StrCat("template not found: ", n));
  }
  for (const auto& dir : search_path_) {
    std::ifstream in(dir + "/" + n, std::ios::binary);
    if (!in) continue;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  return absl::NotFoundError(absl::StrCat("template not found: ", n));
}

Environment::Environment(EnvironmentOptions options) : state_(std::make_shared<internal::EnvState>()) {
  state_->options = options;
  internal::RegisterBuiltinFilters(state_.get());
  internal::RegisterBuiltinTests(state_.get());
  internal::RegisterBuiltinGlobals(state_.get());
}

Environment::~Environment() {
  // Cached templates point back at the registry (TemplateData::env), so the cache and the
  // registry keep each other alive; drop the cache with the Environment to break the cycle.
  // Templates a caller still holds keep the registry, and stay renderable.
  absl::MutexLock lock(&state_->cache_mu);
  state_->cache.clear();
}

const EnvironmentOptions& Environment::options() const { return state_->options; }

void Environment::AddGlobal(std::string_view name, Value value) {
  state_->globals[std::string(name)] = std::move(value);
}

void Environment::AddFunction(std::string_view name, NativeFunction fn) {
  state_->globals[std::string(name)] = MakeFunction(std::string(name), std::move(fn));
}

void Environment::AddFilter(std::string_view name, NativeFilter fn) {
  state_->filters[std::string(name)] = internal::FilterEntry{std::string(name), std::move(fn)};
}

void Environment::AddTest(std::string_view name, NativeTest fn) {
  state_->tests[std::string(name)] = internal::TestEntry{std::string(name), std::move(fn)};
}

void Environment::AddBlockTag(BlockTag tag) {
  std::string name = tag.tag;
  state_->block_tags[name] = std::move(tag);
}

void Environment::SetLoader(std::shared_ptr<const Loader> loader) { state_->loader = std::move(loader); }

absl::StatusOr<std::shared_ptr<const Template>> Environment::Compile(std::string_view source,
                                                                     std::string_view name) const {
  return internal::CompileWithState(state_, source, name);
}

absl::StatusOr<std::shared_ptr<const Template>> Environment::GetTemplate(std::string_view name) const {
  {
    absl::MutexLock lock(&state_->cache_mu);
    auto it = state_->cache.find(std::string(name));
    if (it != state_->cache.end()) return it->second;
  }
  if (!state_->loader) return absl::NotFoundError("no loader for this environment specified");
  SQLMILL_ASSIGN_OR_RETURN(std::string source, state_->loader->Load(name));
  SQLMILL_ASSIGN_OR_RETURN(auto tpl, Compile(source, name));
  absl::MutexLock lock(&state_->cache_mu);
  state_->cache.emplace(std::string(name), tpl);
  return tpl;
}

absl::StatusOr<RenderOutput> Environment::Render(const Template& tpl, const Value& context,
                                                 const RenderOptions& options) const {
  if (tpl.data().env != state_) {
    return absl::InvalidArgumentError("template was compiled by a different environment");
  }
  internal::Evaluator ev(state_, options);
  RenderOutput out;
  SQLMILL_RETURN_IF_ERROR(ev.Render(tpl.shared_data(), context, &out.text, &out.returned));
  out.work_units = ev.work_used();
  return out;
}

absl::StatusOr<Value> Environment::RenderNative(const Template& tpl, const Value& context,
                                                const RenderOptions& options) const {
  SQLMILL_ASSIGN_OR_RETURN(RenderOutput out, Render(tpl, context, options));
  if (out.returned) return *out.returned;
  return ParseNative(out.text);
}

absl::StatusOr<Value> Environment::MakeModule(const Template& tpl, const Value& context,
                                              const RenderOptions& options) const {
  internal::Evaluator ev(state_, options);
  return ev.MakeModule(tpl.shared_data(), context);
}

Value ParseNative(std::string_view text) {
  Value v;
  if (internal::ParseLiteral(text, &v)) return v;
  return Value::String(text);
}

bool ParseNativeBool(std::string_view text) {
  Value v = ParseNative(text);
  if (v.is_bool()) return v.as_bool();
  return v.Truthy();
}

std::optional<ErrorInfo> GetErrorInfo(const absl::Status& status) {
  auto loc = status.GetPayload(kLocationPayload);
  if (!loc.has_value()) return std::nullopt;
  std::vector<std::string> parts = absl::StrSplit(std::string(*loc), '\x1f');
  if (parts.size() < 4) return std::nullopt;
  ErrorInfo info;
  info.template_name = parts[0];
  info.location.line = std::atoi(parts[1].c_str());
  info.location.column = std::atoi(parts[2].c_str());
  info.message = parts[3];
  if (auto stack = status.GetPayload(kStackPayload)) {
    info.call_stack = absl::StrSplit(std::string(*stack), '\n');
  }
  return info;
}

}  // namespace sqlmill::jinja

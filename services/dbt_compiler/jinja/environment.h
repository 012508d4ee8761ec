// The public API of sqlmill's Jinja2-compatible template engine: an Environment holds the
// configuration (options, globals, functions, filters, tests, host block tags, a loader),
// compiles templates, and renders them.
//
// The engine knows nothing of dbt: a host (the dbt compiler) brings its functions through
// AddFunction/AddGlobal, its block tags (materialization, test, docs, snapshot) through
// AddBlockTag, template files through a Loader, and dbt's `return()` through
// CallContext::ReturnFromMacro. There is no file system or environment access except
// through the loader and host functions.
//
// Ownership and thread-safety: configure an Environment on one thread (Add*, SetLoader),
// then share it. Compile/GetTemplate/Render/RenderNative/MakeModule are thread-safe; a
// compiled Template is immutable and can be rendered from many threads at once.
//
//   Environment env({.trim_blocks = true});
//   env.AddFunction("ref", [](const CallArgs& a, CallContext&) -> absl::StatusOr<Value> {
//     return Value::String("analytics." + a.args[0].Str());
//   });
//   SQLMILL_ASSIGN_OR_RETURN(auto tpl, env.Compile("select * from {{ ref('x') }}", "m.sql"));
//   Value ctx = Value::Dict();
//   SQLMILL_ASSIGN_OR_RETURN(RenderOutput out, env.Render(*tpl, ctx));
//   // out.text == "select * from analytics.x"
//
// Errors are absl::Status values whose message reads
// "name:line:column: error: message", then a caret excerpt, then the macro/include call
// stack ("  in macro 'm' called at other.sql:3:5"). INVALID_ARGUMENT for template errors,
// NOT_FOUND for a missing template, RESOURCE_EXHAUSTED for a limit, CANCELLED /
// DEADLINE_EXCEEDED from the cancellation token. GetErrorInfo() returns the parts.
#ifndef SQLMILL_SERVICES_DBT_COMPILER_JINJA_ENVIRONMENT_H_
#define SQLMILL_SERVICES_DBT_COMPILER_JINJA_ENVIRONMENT_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/base/limits.h"
#include "common/base/source_span.h"
#include "services/dbt_compiler/jinja/value.h"

namespace sqlmill::jinja {

namespace internal {
struct EnvState;
struct TemplateData;
class Evaluator;
}  // namespace internal

enum class UndefinedMode {
  kDefault,  // Jinja2's Undefined: prints as "", iterates as empty, fails on attribute access
  kStrict,   // Jinja2's StrictUndefined: any use other than `is defined`/default fails
};

struct EnvironmentOptions {
  bool trim_blocks = false;
  bool lstrip_blocks = false;
  bool keep_trailing_newline = false;
  UndefinedMode undefined = UndefinedMode::kDefault;
};

// A filter: `value | name(args)`.
using NativeFilter =
    std::function<absl::StatusOr<Value>(const Value& input, const CallArgs& args, CallContext& ctx)>;
// A test: `value is name(args)`.
using NativeTest =
    std::function<absl::StatusOr<bool>(const Value& input, const CallArgs& args, CallContext& ctx)>;

// A host block tag, e.g. dbt's `{% materialization view, adapter='x' %}...{% endmaterialization %}`.
// Parsed as `TAG NAME ['(' params ')'] [',' option]*` where an option is `key=expr` or a
// bare name (value True). The body becomes a macro (with the params) defined under the name
// `macro_name` returns when the tag is executed; it is exported like a top-level macro.
struct BlockTag {
  std::string tag;
  std::function<absl::StatusOr<std::string>(
      std::string_view name, const std::vector<std::pair<std::string, Value>>& options)>
      macro_name;
};

// Supplies template sources by name for extends/include/import and GetTemplate.
class Loader {
 public:
  virtual ~Loader() = default;
  // Returns the source of the named template, or NOT_FOUND. Must be thread-safe.
  virtual absl::StatusOr<std::string> Load(std::string_view name) const = 0;
};

// Templates from memory.
class MapLoader : public Loader {
 public:
  MapLoader() = default;
  explicit MapLoader(std::vector<std::pair<std::string, std::string>> templates);
  void Add(std::string name, std::string source);
  absl::StatusOr<std::string> Load(std::string_view name) const override;

 private:
  std::vector<std::pair<std::string, std::string>> templates_;
};

// Templates from files under one or more directories (names may not contain "..").
class FileSystemLoader : public Loader {
 public:
  explicit FileSystemLoader(std::vector<std::string> search_path)
      : search_path_(std::move(search_path)) {}
  absl::StatusOr<std::string> Load(std::string_view name) const override;

 private:
  std::vector<std::string> search_path_;
};

struct RenderOptions {
  // max_nesting_depth bounds macro/include/recursive-loop depth; the tighter of
  // max_template_steps and max_work_units is the fuel (one step per statement executed,
  // expression evaluated and loop iteration); max_output_bytes
  // bounds the rendered text (and every captured macro/block output).
  Limits limits;
  const CancellationToken* cancel = nullptr;
};

struct RenderOutput {
  std::string text;
  // Set when the template (outside any macro) called the host's return function.
  std::optional<Value> returned;
  uint64_t work_units = 0;
};

// A compiled template: immutable, shareable between threads.
class Template {
 public:
  const std::string& name() const;
  // The source as compiled (newlines normalized to '\n').
  const std::string& source() const;
  const LineIndex& line_index() const;

  explicit Template(std::shared_ptr<internal::TemplateData> data) : data_(std::move(data)) {}
  const internal::TemplateData& data() const { return *data_; }
  std::shared_ptr<const internal::TemplateData> shared_data() const { return data_; }

 private:
  std::shared_ptr<const internal::TemplateData> data_;
};

class Environment {
 public:
  explicit Environment(EnvironmentOptions options = {});
  ~Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;

  const EnvironmentOptions& options() const;

  // Configuration: call before compiling or rendering.
  void AddGlobal(std::string_view name, Value value);
  void AddFunction(std::string_view name, NativeFunction fn);
  void AddFilter(std::string_view name, NativeFilter fn);
  void AddTest(std::string_view name, NativeTest fn);
  void AddBlockTag(BlockTag tag);
  void SetLoader(std::shared_ptr<const Loader> loader);

  // Compiles source into a template. Syntax errors are INVALID_ARGUMENT with location.
  absl::StatusOr<std::shared_ptr<const Template>> Compile(std::string_view source,
                                                          std::string_view name = "<template>") const;
  // Loads a template through the loader and compiles it, caching by name.
  absl::StatusOr<std::shared_ptr<const Template>> GetTemplate(std::string_view name) const;

  // Renders `tpl` with `context` (a dict; undefined or none means empty).
  absl::StatusOr<RenderOutput> Render(const Template& tpl, const Value& context,
                                      const RenderOptions& options = {}) const;
  // Renders and converts the text to a native value (see ParseNative).
  absl::StatusOr<Value> RenderNative(const Template& tpl, const Value& context,
                                     const RenderOptions& options = {}) const;
  // Renders `tpl` as a module and returns an object whose attributes are its exported
  // names (top-level macros and sets not starting with '_'), as `{% import %}` does.
  absl::StatusOr<Value> MakeModule(const Template& tpl, const Value& context,
                                   const RenderOptions& options = {}) const;

  const internal::EnvState& state() const { return *state_; }

 private:
  std::shared_ptr<internal::EnvState> state_;
};

// Converts rendered text to a native value as dbt's as_native does: text that is a Python
// literal (number, string, list, tuple, dict, True/False/None) becomes that value; anything
// else stays the string.
Value ParseNative(std::string_view text);
// Returns the truthiness dbt's as_bool gives rendered text: ParseNative, then a bool if it
// is one, else the value's truthiness.
bool ParseNativeBool(std::string_view text);

// The parts of an engine error status.
struct ErrorInfo {
  std::string template_name;
  Location location;
  std::string message;  // without location, excerpt or stack
  std::vector<std::string> call_stack;
};
// Returns the parts of a status produced by this engine, if it carries them.
std::optional<ErrorInfo> GetErrorInfo(const absl::Status& status);

}  // namespace sqlmill::jinja

#endif  // SQLMILL_SERVICES_DBT_COMPILER_JINJA_ENVIRONMENT_H_

// Implementation of `sqlmill jinja render`. See jinja_command.h.
#include "services/dbt_compiler/jinja/jinja_command.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "services/dbt_compiler/jinja/environment.h"
#include "services/dbt_compiler/jinja/json.h"

namespace sqlmill::jinja {
namespace {

constexpr char kUsage[] =
    "usage: sqlmill jinja render TEMPLATE_FILE [--context ctx.json] [--search-path DIR]\n"
    "                            [--strict] [--trim-blocks] [--lstrip-blocks]\n";

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return static_cast<bool>(in) || in.eof();
}

void PrintError(const absl::Status& status, std::ostream& err) {
  std::string message(status.message());
  if (GetErrorInfo(status).has_value()) {
    err << message;
    if (message.empty() || message.back() != '\n') err << "\n";
  } else {
    err << "error: " << message << "\n";
  }
}

}  // namespace

int RunJinjaCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] != "render") {
    err << kUsage;
    return 2;
  }
  std::string template_path, context_path;
  std::vector<std::string> search_path;
  EnvironmentOptions options;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--context" || a == "--search-path") {
      if (i + 1 >= args.size()) {
        err << "error: " << a << " needs a value\n" << kUsage;
        return 2;
      }
      (a == "--context" ? context_path : (search_path.emplace_back(), search_path.back())) = args[++i];
    } else if (a == "--strict") {
      options.undefined = UndefinedMode::kStrict;
    } else if (a == "--trim-blocks") {
      options.trim_blocks = true;
    } else if (a == "--lstrip-blocks") {
      options.lstrip_blocks = true;
    } else if (!a.empty() && a[0] == '-') {
      err << "error: unknown option " << a << "\n" << kUsage;
      return 2;
    } else if (template_path.empty()) {
      template_path = a;
    } else {
      err << "error: unexpected argument " << a << "\n" << kUsage;
      return 2;
    }
  }
  if (template_path.empty()) {
    err << kUsage;
    return 2;
  }
  std::string source;
  if (!ReadFile(template_path, &source)) {
    err << template_path << ": error: cannot read template file\n";
    return 1;
  }
  Value context = Value::Dict();
  if (!context_path.empty()) {
    std::string text;
    if (!ReadFile(context_path, &text)) {
      err << context_path << ": error: cannot read context file\n";
      return 1;
    }
    auto parsed = ParseJson(text);
    if (!parsed.ok()) {
      err << context_path << ": error: " << parsed.status().message() << "\n";
      return 1;
    }
    if (!parsed->is_dict()) {
      err << context_path << ": error: the context must be a JSON object\n";
      return 1;
    }
    context = *parsed;
  }
  if (search_path.empty()) {
    std::filesystem::path dir = std::filesystem::path(template_path).parent_path();
    search_path.push_back(dir.empty() ? "." : dir.string());
  }
  Environment env(options);
  env.SetLoader(std::make_shared<FileSystemLoader>(search_path));
  auto tpl = env.Compile(source, template_path);
  if (!tpl.ok()) {
    PrintError(tpl.status(), err);
    return 1;
  }
  auto rendered = env.Render(**tpl, context);
  if (!rendered.ok()) {
    PrintError(rendered.status(), err);
    return 1;
  }
  out << rendered->text;
  return 0;
}

}  // namespace sqlmill::jinja

// The parse command: arguments → request → engine (through the same conversion the
// service uses) → JSON or summary.
#include "services/sql_parser/parse_command.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/strings.h"
#include "google/protobuf/util/json_util.h"
#include "services/sql_parser/service/parse_output_to_proto.h"

namespace sqlmill {

namespace {

namespace fs = std::filesystem;

constexpr char kUsage[] =
    "usage: sqlmill parse PATH... [--json|--summary] [--statements] [--var name=value]...\n"
    "  PATH        a .sql file or a folder (searched recursively for *.sql)\n"
    "  --json      print the ParseFilesResponse as canonical Protobuf JSON\n"
    "  --summary   print object counts and diagnostics (the default)\n"
    "  --statements  include the statement list (JSON) / statement counts (summary)\n"
    "  --var n=v   set the sqlcmd variable $(n)\n";

bool IsSqlFile(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".sql";
}

absl::StatusOr<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path.string()));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string SeverityWord(v1::Severity s) {
  switch (s) {
    case v1::SEVERITY_ERROR: return "error";
    case v1::SEVERITY_WARNING: return "warning";
    case v1::SEVERITY_INFO: return "info";
    case v1::SEVERITY_HINT: return "hint";
    default: return "error";
  }
}

}  // namespace

absl::StatusOr<ParseCommandArgs> ParseParseCommandArgs(const std::vector<std::string>& args) {
  ParseCommandArgs out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--json") {
      out.json = true;
    } else if (a == "--summary") {
      out.json = false;
    } else if (a == "--statements") {
      out.statements = true;
    } else if (a == "--var" || a.rfind("--var=", 0) == 0) {
      std::string kv;
      if (a == "--var") {
        if (i + 1 >= args.size()) return absl::InvalidArgumentError(absl::StrCat("--var needs name=value\n", kUsage));
        kv = args[++i];
      } else {
        kv = a.substr(6);
      }
      const size_t eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) {
        return absl::InvalidArgumentError(absl::StrCat("--var expects name=value but got '", kv, "'\n", kUsage));
      }
      out.variables[kv.substr(0, eq)] = kv.substr(eq + 1);
    } else if (a == "--help" || a == "-h") {
      return absl::InvalidArgumentError(kUsage);
    } else if (a.rfind("--", 0) == 0) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag ", a, "\n", kUsage));
    } else {
      out.paths.push_back(a);
    }
  }
  if (out.paths.empty()) return absl::InvalidArgumentError(absl::StrCat("no PATH given\n", kUsage));
  return out;
}

absl::StatusOr<v1::ParseFilesRequest> BuildParseFilesRequest(const ParseCommandArgs& args) {
  v1::ParseFilesRequest request;
  for (const std::string& arg : args.paths) {
    const fs::path path(arg);
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<fs::path> files;
      for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file() && IsSqlFile(it->path())) files.push_back(it->path());
      }
      if (ec) return absl::NotFoundError(absl::StrCat("cannot list ", arg, ": ", ec.message()));
      std::sort(files.begin(), files.end());
      for (const fs::path& f : files) {
        absl::StatusOr<std::string> content = ReadFile(f);
        if (!content.ok()) return content.status();
        v1::SourceFile* file = request.add_files();
        file->set_name(f.generic_string());
        file->set_content(*std::move(content));
      }
    } else if (fs::is_regular_file(path, ec)) {
      absl::StatusOr<std::string> content = ReadFile(path);
      if (!content.ok()) return content.status();
      v1::SourceFile* file = request.add_files();
      file->set_name(path.generic_string());
      file->set_content(*std::move(content));
    } else {
      return absl::NotFoundError(absl::StrCat("no such file or folder: ", arg));
    }
  }
  if (request.files_size() == 0) return absl::NotFoundError("no .sql files found");
  for (const auto& [k, v] : args.variables) (*request.mutable_options()->mutable_sqlcmd_variables())[k] = v;
  request.mutable_options()->set_detail(args.statements ? v1::DETAIL_LEVEL_STATEMENTS : v1::DETAIL_LEVEL_CATALOG);
  return request;
}

void PrintParseSummary(const v1::ParseFilesResponse& response, std::ostream& out) {
  const v1::ParseStats& st = response.stats();
  out << "parsed " << st.files() << (st.files() == 1 ? " file, " : " files, ") << st.batches()
      << " batches, " << st.statements() << " statements (" << st.statements_applied()
      << " changed the catalog) in " << (st.parse_micros() / 1000.0) << " ms\n";
  for (const v1::Database& db : response.catalog().databases()) {
    for (const v1::Schema& s : db.schemas()) {
      int columns = 0, pks = 0, fks = 0, indexes = 0, procedures = 0, functions = 0;
      for (const v1::Table& t : s.tables()) {
        columns += t.columns_size();
        pks += t.has_primary_key() ? 1 : 0;
        fks += t.foreign_keys_size();
        indexes += t.indexes_size();
      }
      for (const v1::Routine& r : s.routines()) {
        (r.kind() == v1::ROUTINE_KIND_PROCEDURE ? procedures : functions) += 1;
      }
      std::vector<std::string> parts;
      auto add = [&parts](int n, const char* what) {
        if (n > 0) parts.push_back(absl::StrCat(n, " ", what));
      };
      add(s.tables_size(), "tables");
      add(columns, "columns");
      add(pks, "primary keys");
      add(fks, "foreign keys");
      add(indexes, "indexes");
      add(s.views_size(), "views");
      add(procedures, "procedures");
      add(functions, "functions");
      add(s.triggers_size(), "triggers");
      add(s.sequences_size(), "sequences");
      add(s.types_size(), "types");
      add(s.synonyms_size(), "synonyms");
      out << "  " << (db.name().empty() ? "" : db.name() + ".") << s.name() << ": "
          << (parts.empty() ? "empty" : absl::StrJoin(parts, ", ")) << "\n";
    }
  }
  if (response.statements_size() > 0) {
    std::map<std::string, int> kinds;
    for (const v1::Statement& s : response.statements()) ++kinds[s.kind()];
    out << "statements:";
    for (const auto& [kind, n] : kinds) out << " " << kind << "=" << n;
    out << "\n";
  }
  out << st.errors() << (st.errors() == 1 ? " error, " : " errors, ") << st.warnings()
      << (st.warnings() == 1 ? " warning\n" : " warnings\n");
  for (const v1::Diagnostic& d : response.diagnostics()) {
    out << d.span().file() << ":" << d.span().line() << ":" << d.span().column() << ": "
        << SeverityWord(d.severity()) << ": " << d.message() << " [" << d.code() << "]\n";
    if (!d.excerpt().empty()) out << d.excerpt() << "\n";
  }
}

absl::Status PrintParseJson(const v1::ParseFilesResponse& response, std::ostream& out) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string json;
  const auto status = google::protobuf::util::MessageToJsonString(response, &json, options);
  if (!status.ok()) return absl::InternalError(absl::StrCat("JSON conversion failed: ", status.ToString()));
  out << json;
  return absl::OkStatus();
}

int ParseExitCode(const v1::ParseFilesResponse& response) {
  for (const v1::Diagnostic& d : response.diagnostics()) {
    if (d.severity() == v1::SEVERITY_ERROR) return 1;
  }
  return response.stats().errors() > 0 ? 1 : 0;
}

int RunParseCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  absl::StatusOr<ParseCommandArgs> parsed = ParseParseCommandArgs(args);
  if (!parsed.ok()) {
    err << parsed.status().message();
    return 2;
  }
  absl::StatusOr<v1::ParseFilesRequest> request = BuildParseFilesRequest(*parsed);
  if (!request.ok()) {
    err << "sqlmill parse: " << request.status().message() << "\n";
    return 2;
  }
  std::vector<tsql::ScriptInput> inputs;
  for (const v1::SourceFile& f : request->files()) inputs.push_back({f.name(), f.content()});
  const tsql::ParseOptions options = ParseOptionsFromProto(request->options(), Limits());
  absl::StatusOr<tsql::ParseOutput> output = tsql::ParseFiles(inputs, options);
  if (!output.ok()) {
    err << "sqlmill parse: " << output.status().message() << "\n";
    return 2;
  }
  v1::ParseFilesResponse response;
  ParseOutputToProto(*output, &response);
  if (parsed->json) {
    if (absl::Status s = PrintParseJson(response, out); !s.ok()) {
      err << "sqlmill parse: " << s.message() << "\n";
      return 2;
    }
  } else {
    PrintParseSummary(response, out);
  }
  return ParseExitCode(response);
}

}  // namespace sqlmill

// migration_report.json: the scaffold's report as JSON, keys in a fixed order, two-space
// indentation with each column, test, finding, rename and skipped object on one line (a
// 2,000-table schema's report stays a few megabytes and greps well), no timestamps — the
// same input gives the same bytes.
#include <string>

#include "absl/strings/str_cat.h"
#include "services/dbt_compiler/scaffold/scaffold.h"
#include "services/schema_validator/engine/report_render.h"

namespace sqlmill::dbt {
namespace {

class JsonOut {
 public:
  std::string Take() { return std::move(out_); }

  // inline: the object's members (and anything nested) stay on its line.
  void Open(char bracket, bool inline_members = false) {
    out_.push_back(bracket);
    ++depth_;
    first_ = true;
    if (inline_members && inline_depth_ == 0) inline_depth_ = depth_;
  }
  void Close(char bracket) {
    const bool was_inline = inline_depth_ != 0;
    if (inline_depth_ == depth_) inline_depth_ = 0;
    --depth_;
    if (!first_ && !was_inline) Newline();
    out_.push_back(bracket);
    first_ = false;
  }
  void Key(std::string_view key) {
    Item();
    Str(key);
    out_ += ": ";
  }
  // Starts a list element.
  void Item() {
    if (!first_) out_.push_back(',');
    if (inline_depth_ != 0) {
      if (!first_) out_.push_back(' ');
    } else {
      Newline();
    }
    first_ = false;
  }
  void Str(std::string_view s) {
    out_.push_back('"');
    validator::AppendJsonEscaped(s, &out_);
    out_.push_back('"');
  }
  void Raw(std::string_view s) { out_.append(s.data(), s.size()); }

  void Field(std::string_view key, std::string_view value) {
    Key(key);
    Str(value);
  }
  void Field(std::string_view key, const char* value) { Field(key, std::string_view(value)); }
  void Field(std::string_view key, bool value) {
    Key(key);
    Raw(value ? "true" : "false");
  }
  void Field(std::string_view key, uint64_t value) {
    Key(key);
    Raw(std::to_string(value));
  }
  void StringList(std::string_view key, const std::vector<std::string>& items) {
    Key(key);
    Open('[');
    for (const std::string& s : items) {
      Item();
      Str(s);
    }
    Close(']');
  }

 private:
  void Newline() {
    out_.push_back('\n');
    out_.append(static_cast<size_t>(depth_) * 2, ' ');
  }
  std::string out_;
  int depth_ = 0;
  int inline_depth_ = 0;  // depth of the outermost inline object, 0 when none
  bool first_ = true;
};

void Location(JsonOut& j, const validator::LocatedSpan& at) {
  j.Key("location");
  if (!at.known()) {
    j.Raw("null");
    return;
  }
  j.Open('{', /*inline_members=*/true);
  j.Field("file", at.file);
  j.Field("line", static_cast<uint64_t>(at.begin.line));
  j.Field("column", static_cast<uint64_t>(at.begin.column));
  j.Close('}');
}

void Findings(JsonOut& j, std::string_view key, const std::vector<validator::Finding>& findings) {
  j.Key(key);
  j.Open('[');
  for (const validator::Finding& f : findings) {
    j.Item();
    j.Open('{', /*inline_members=*/true);
    j.Field("rule", f.rule_id);
    j.Field("severity", SeverityName(f.severity));
    j.Field("object", f.object_path);
    j.Field("kind", f.object_kind);
    j.Field("message", f.message);
    j.Field("suggestion", f.suggestion);
    Location(j, f.location);
    j.Close('}');
  }
  j.Close(']');
}

}  // namespace

std::string ScaffoldReportJson(const ScaffoldReport& report) {
  JsonOut j;
  j.Open('{');
  j.Field("target", report.target);
  j.Field("target_display_name", report.target_display_name);
  j.Field("project", report.project_name);
  j.Field("passed", report.passed);
  j.Field("fail_threshold", SeverityName(report.fail_threshold));
  const ScaffoldSummary& s = report.summary;
  j.Key("summary");
  j.Open('{');
  j.Field("sources", static_cast<uint64_t>(s.sources));
  j.Field("tables", static_cast<uint64_t>(s.tables));
  j.Field("columns", static_cast<uint64_t>(s.columns));
  j.Key("columns_by_loss");
  j.Open('{');
  for (const auto& [loss, n] : s.columns_by_loss) j.Field(loss, static_cast<uint64_t>(n));
  j.Close('}');
  j.Field("tests", static_cast<uint64_t>(s.tests));
  j.Key("tests_by_name");
  j.Open('{');
  for (const auto& [name, n] : s.tests_by_name) j.Field(name, static_cast<uint64_t>(n));
  j.Close('}');
  j.Field("renames", static_cast<uint64_t>(s.renames));
  j.Field("skipped", static_cast<uint64_t>(s.skipped));
  j.Field("findings", static_cast<uint64_t>(s.findings));
  j.Close('}');

  j.Key("tables");
  j.Open('[');
  for (const ScaffoldTable& t : report.tables) {
    j.Item();
    j.Open('{');
    j.Field("database", t.database);
    j.Field("schema", t.schema);
    j.Field("name", t.name);
    j.Field("source", t.source_name);
    j.Field("model", t.model_name);
    j.Field("model_path", t.model_path);
    j.Field("loaded_at_field", t.loaded_at_field);
    Location(j, t.location);
    j.Key("columns");
    j.Open('[');
    for (const ScaffoldColumn& c : t.columns) {
      j.Item();
      j.Open('{', /*inline_members=*/true);
      j.Field("name", c.name);
      j.Field("model_name", c.model_name);
      j.Field("source_type", c.source_type);
      j.Field("base_type", c.base_type);
      j.Field("target_type", c.target_type);
      j.Field("loss", c.loss);
      j.Field("why", c.why);
      j.Field("suggestion", c.suggestion);
      j.Field("nullable", c.nullable);
      Location(j, c.location);
      j.Close('}');
    }
    j.Close(']');
    j.Key("tests");
    j.Open('[');
    for (const ScaffoldTest& test : t.tests) {
      j.Item();
      j.Open('{', /*inline_members=*/true);
      j.Field("test", test.name);
      j.StringList("columns", test.columns);
      j.Field("constraint", test.constraint);
      if (!test.to_model.empty()) {
        j.Field("to_model", test.to_model);
        j.StringList("to_columns", test.to_columns);
      }
      if (!test.values.empty()) j.StringList("values", test.values);
      j.Field("severity", test.severity);
      j.Close('}');
    }
    j.Close(']');
    j.StringList("notes", t.notes);
    Findings(j, "findings", t.findings);
    j.Close('}');
  }
  j.Close(']');

  j.Key("renames");
  j.Open('[');
  for (const ScaffoldRename& r : report.renames) {
    j.Item();
    j.Open('{', /*inline_members=*/true);
    j.Field("kind", r.kind);
    j.Field("object", r.object);
    j.Field("from", r.original);
    j.Field("to", r.name);
    j.Field("reason", r.reason);
    j.Close('}');
  }
  j.Close(']');
  j.Key("not_scaffolded");
  j.Open('[');
  for (const ScaffoldSkipped& k : report.skipped) {
    j.Item();
    j.Open('{', /*inline_members=*/true);
    j.Field("kind", k.kind);
    j.Field("object", k.object);
    j.Field("reason", k.reason);
    Location(j, k.location);
    j.Close('}');
  }
  j.Close(']');
  Findings(j, "other_findings", report.other_findings);
  j.Close('}');
  std::string out = j.Take();
  out.push_back('\n');
  return out;
}

}  // namespace sqlmill::dbt

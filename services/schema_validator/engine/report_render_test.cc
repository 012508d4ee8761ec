// Tests for the text, SARIF 2.1.0 and JUnit XML renderers: structure and well-formedness
// (SARIF parsed back with protobuf's JSON parser, JUnit with a strict little XML checker).
#include "services/schema_validator/engine/report_render.h"

#include <regex>

#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/schema_validator/engine/testing/catalog_fixture.h"
#include "services/schema_validator/engine/validator.h"

namespace sqlmill::validator {
namespace {

using ::testing::HasSubstr;

ValidationReport Report() {
  auto catalog = testing::ParseCatalogFixture(
      "tables:\n  dbo.\"Order <&> Lines\":\n    columns: [\"[Qty \\\"x\\\"] money\", b text]\n", "a&b.sql");
  EXPECT_TRUE(catalog.ok()) << catalog.status();
  ValidateOptions options;
  options.target = "postgres";
  options.fail_threshold = Severity::kWarning;
  auto report = Validate(*catalog, options);
  EXPECT_TRUE(report.ok()) << report.status();
  return *report;
}

// Checks XML well-formedness: one root, balanced tags, quoted attributes, known entities.
bool WellFormedXml(const std::string& xml, std::string* error) {
  std::vector<std::string> stack;
  size_t i = 0;
  int roots = 0;
  auto fail = [&](const std::string& e) {
    *error = e + " at " + std::to_string(i);
    return false;
  };
  auto check_text = [&](std::string_view text) {
    static const std::regex kEntity("&(amp|lt|gt|quot|apos|#[0-9]+);");
    for (size_t k = 0; k < text.size(); ++k) {
      if (text[k] == '<') return false;
      if (text[k] == '&') {
        std::cmatch m;
        if (!std::regex_search(text.data() + k, text.data() + text.size(), m, kEntity,
                               std::regex_constants::match_continuous)) {
          return false;
        }
      }
    }
    return true;
  };
  while (i < xml.size()) {
    if (xml[i] != '<') {
      size_t next = xml.find('<', i);
      if (next == std::string::npos) next = xml.size();
      if (!check_text(std::string_view(xml).substr(i, next - i))) return fail("bad character data");
      if (stack.empty() && xml.substr(i, next - i).find_first_not_of(" \n") != std::string::npos) {
        return fail("text outside the root");
      }
      i = next;
      continue;
    }
    size_t end = xml.find('>', i);
    if (end == std::string::npos) return fail("unterminated tag");
    std::string tag = xml.substr(i + 1, end - i - 1);
    if (tag[0] == '?') {
      i = end + 1;
      continue;
    }
    if (tag[0] == '/') {
      if (stack.empty() || stack.back() != tag.substr(1)) return fail("mismatched </" + tag.substr(1) + ">");
      stack.pop_back();
    } else {
      const bool self_closing = tag.back() == '/';
      if (self_closing) tag.pop_back();
      static const std::regex kTag(R"(^([A-Za-z_][\w.-]*)((\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*$)");
      std::smatch m;
      if (!std::regex_match(tag, m, kTag)) return fail("malformed tag <" + tag + ">");
      if (!check_text(m[2].str())) return fail("bad attribute value");
      if (stack.empty()) ++roots;
      if (!self_closing) stack.push_back(m[1].str());
    }
    i = end + 1;
  }
  if (!stack.empty()) return fail("unclosed <" + stack.back() + ">");
  if (roots != 1) return fail("expected one root element");
  return true;
}

TEST(ReportRenderTest, SarifIsValidJsonWithTheExpectedShape) {
  ValidationReport report = Report();
  ASSERT_FALSE(report.findings.empty());
  const std::string sarif = RenderSarif(report);
  google::protobuf::Struct parsed;
  auto status = google::protobuf::util::JsonStringToMessage(sarif, &parsed);
  ASSERT_TRUE(status.ok()) << status.ToString() << "\n" << sarif;
  EXPECT_EQ(parsed.fields().at("version").string_value(), "2.1.0");
  const auto& run = parsed.fields().at("runs").list_value().values(0).struct_value();
  const auto& driver = run.fields().at("tool").struct_value().fields().at("driver").struct_value();
  EXPECT_EQ(driver.fields().at("name").string_value(), "sqlmill-schema-validator");
  EXPECT_EQ(driver.fields().at("rules").list_value().values_size(), static_cast<int>(report.rules_run.size()));
  const auto& results = run.fields().at("results").list_value();
  ASSERT_EQ(results.values_size(), static_cast<int>(report.findings.size()));
  const auto& first = results.values(0).struct_value();
  const auto& location = first.fields().at("locations").list_value().values(0).struct_value();
  const auto& physical = location.fields().at("physicalLocation").struct_value();
  EXPECT_EQ(physical.fields().at("artifactLocation").struct_value().fields().at("uri").string_value(), "a&b.sql");
  EXPECT_GE(physical.fields().at("region").struct_value().fields().at("startLine").number_value(), 1);
  const std::string level = first.fields().at("level").string_value();
  EXPECT_TRUE(level == "error" || level == "warning" || level == "note") << level;
  // ruleIndex points at the rule with that id.
  const int index = static_cast<int>(first.fields().at("ruleIndex").number_value());
  EXPECT_EQ(driver.fields().at("rules").list_value().values(index).struct_value().fields().at("id").string_value(),
            first.fields().at("ruleId").string_value());
}

TEST(ReportRenderTest, EmptySarifIsValid) {
  ValidationReport empty;
  google::protobuf::Struct parsed;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(RenderSarif(empty), &parsed).ok()) << RenderSarif(empty);
}

TEST(ReportRenderTest, JunitIsWellFormed) {
  ValidationReport report = Report();
  const std::string xml = RenderJunit(report);
  std::string error;
  EXPECT_TRUE(WellFormedXml(xml, &error)) << error << "\n" << xml;
  EXPECT_THAT(xml, HasSubstr("<testsuites name=\"sqlmill schema validator (postgres)\""));
  EXPECT_THAT(xml, HasSubstr("failures=\"" + std::to_string(report.findings.size()) + "\""));
  EXPECT_THAT(xml, HasSubstr("Order &lt;&amp;&gt; Lines"));
  EXPECT_THAT(xml, HasSubstr("<testsuite name=\"pk-required\""));
  std::string bad;
  EXPECT_FALSE(WellFormedXml("<a><b></a></b>", &bad));
  EXPECT_FALSE(WellFormedXml("<a x=\"1&2\"/>", &bad));
}

TEST(ReportRenderTest, TextGroupsBySeverity) {
  ValidationReport report = Report();
  const std::string text = RenderText(report);
  EXPECT_THAT(text, HasSubstr("== warnings ("));
  EXPECT_THAT(text, HasSubstr("a&b.sql:2:"));
  EXPECT_THAT(text, HasSubstr("[pk-required]"));
  EXPECT_THAT(text, HasSubstr("    fix: "));
  EXPECT_THAT(text, HasSubstr("FAILED (threshold: warning)"));
  EXPECT_LT(text.find("== warnings"), text.find("== infos"));
}

TEST(ReportRenderTest, Escaping) {
  EXPECT_EQ(JsonEscape("a\"b\\c\n\x01"), "a\\\"b\\\\c\\n\\u0001");
  EXPECT_EQ(XmlEscape("<a & 'b'>\x02"), "&lt;a &amp; &apos;b&apos;&gt;");
}

}  // namespace
}  // namespace sqlmill::validator

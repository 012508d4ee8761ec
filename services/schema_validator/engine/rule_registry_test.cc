// Tests for the built-in rule registry: stable kebab-case ids, documentation, one source
// file and one golden file per rule.
#include <filesystem>
#include <set>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/schema_validator/engine/rule.h"

namespace sqlmill::validator {
namespace {

TEST(RuleRegistryTest, BuiltinRulesAreDocumentedAndHaveTheirOwnFiles) {
  const auto rules = RuleRegistry::Builtin().rules();
  EXPECT_GE(rules.size(), 30u);
  std::set<std::string> categories;
  for (const RuleFactory* f : rules) {
    const RuleInfo& info = f->info;
    EXPECT_TRUE(IsKebabCaseId(info.id)) << info.id;
    EXPECT_FALSE(info.summary.empty()) << info.id;
    EXPECT_GT(info.doc.size(), 40u) << info.id;
    categories.insert(CategoryName(info.category));
    const std::string stem = absl::StrReplaceAll(info.id, {{"-", "_"}});
    EXPECT_TRUE(std::filesystem::exists("services/schema_validator/engine/rules/" + stem + ".cc"))
        << info.id << " is not in a file of its own";
    const std::string golden = info.category == RuleCategory::kChange
                                   ? "services/schema_validator/engine/testdata/diff/" + stem + ".test"
                                   : "services/schema_validator/engine/testdata/rules/" + stem + ".test";
    EXPECT_TRUE(std::filesystem::exists(golden)) << info.id << " has no golden test " << golden;
    for (const RuleParameter& p : info.parameters) EXPECT_FALSE(p.doc.empty()) << info.id << "." << p.name;
    // Every rule can be created from its defaults.
    std::map<std::string, std::string> defaults;
    for (const RuleParameter& p : info.parameters) defaults[p.name] = p.default_value;
    EXPECT_TRUE(f->create(RuleParams(info.id, defaults)).ok()) << info.id;
  }
  EXPECT_THAT(categories, ::testing::ElementsAre("change", "compatibility", "design", "integrity", "naming"));
}

TEST(RuleRegistryTest, RejectsBadAndDuplicateIds) {
  RuleRegistry registry;
  RuleFactory f;
  f.info.id = "Bad_Id";
  EXPECT_FALSE(registry.Register(f).ok());
  f.info.id = "good-id";
  EXPECT_TRUE(registry.Register(f).ok());
  EXPECT_FALSE(registry.Register(f).ok());
  EXPECT_FALSE(IsKebabCaseId("a--b"));
  EXPECT_FALSE(IsKebabCaseId("-a"));
  EXPECT_TRUE(IsKebabCaseId("fk-missing-index"));
}

}  // namespace
}  // namespace sqlmill::validator

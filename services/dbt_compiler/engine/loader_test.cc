// Unit tests of the pieces that must reproduce dbt's identifiers and text exactly: generic
// test names and unique_id hashes (values from dbt-core manifests), source normalization,
// digests, CTE injection, YAML typing and tar reading.
#include <cstdio>
#include "services/dbt_compiler/engine/loader.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/dbt_compiler/engine/internal/cte.h"
#include "services/dbt_compiler/engine/internal/hash.h"
#include "services/dbt_compiler/engine/tar.h"
#include "services/dbt_compiler/engine/yaml_value.h"

namespace sqlmill::dbt {
namespace {

using jinja::Value;

Value Args(std::vector<std::pair<std::string, Value>> kv) {
  Value d = Value::Dict();
  for (auto& [k, v] : kv) d.dict()->SetStr(k, v);
  return d;
}

TEST(HashTest, KnownDigests) {
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Md5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(std::string(1000, 'a')).substr(0, 16), "41edece42d63e8d9");
}

TEST(GenericTestNamesTest, ShortAndLongNamesAsDbt) {
  // From dbt-core's manifest for yuweisung/dbtlearn.
  auto [s1, f1] = GenericTestNames("not_null_dim_listings_cleansed", Args({{"column_name", Value::String("host_id")}}));
  EXPECT_EQ(f1, "not_null_dim_listings_cleansed_host_id");
  EXPECT_EQ(s1, f1);
  auto [s2, f2] = GenericTestNames(
      "relationships_dim_listings_cleansed",
      Args({{"field", Value::String("host_id")}, {"to", Value::String("ref('dim_hosts_cleansed')")},
            {"column_name", Value::String("host_id")}}));
  EXPECT_EQ(f2, "relationships_dim_listings_cleansed_host_id__host_id__ref_dim_hosts_cleansed_");
  EXPECT_EQ(s2, "relationships_dim_listings_cle_05e2397b186a7b9306fc747b3cc4ef83");
  auto [s3, f3] = GenericTestNames("dbt_expectations_expect_column_quantile_values_to_be_between_dim_host_listings",
                                   Args({{"quantile", Value::Float(0.99)},
                                         {"min_value", Value::Int(50)},
                                         {"max_value", Value::Int(500)},
                                         {"column_name", Value::String("price")}}));
  EXPECT_EQ(f3, "dbt_expectations_expect_column_quantile_values_to_be_between_dim_host_listings_price__500__50__0_99");
}

TEST(GenericTestHashTest, MatchesDbtUniqueIds) {
  GenericTest t;
  t.test_name = "not_null";
  t.kwargs = Args({{"column_name", Value::String("listing_id")},
                   {"model", Value::String("{{ get_where_subquery(ref('dim_listings_cleansed')) }}")}});
  EXPECT_EQ(GenericTestHash("not_null_dim_listings_cleansed_listing_id", t), "2da437bec9");
  GenericTest ns;
  ns.test_name = "expect_column_distinct_count_to_equal";
  ns.namespace_name = "dbt_expectations";
  ns.kwargs = Args({{"value", Value::Int(4)},
                    {"column_name", Value::String("room_type")},
                    {"model", Value::String("{{ get_where_subquery(source('airbnb', 'listings')) }}")}});
  EXPECT_EQ(GenericTestHash("dbt_expectations_source_expect_column_distinct_count_to_equal_airbnb_listings_room_type__4", ns),
            "1e56c20a65");
}

TEST(NormalizeSourceTest, StripsAndUnifiesLineEnds) {
  EXPECT_EQ(NormalizeSource("\r\n  select 1\r\n from t \r\n\r\n"), "select 1\n from t");
  EXPECT_EQ(NormalizeSource("\xEF\xBB\xBFselect 1"), "select 1");
}

TEST(InjectCtesTest, AfterWithOrInFront) {
  EXPECT_EQ(InjectCtes("with a as (select 1) select * from a", {" __dbt__cte__e as (\nselect 2\n)"}),
            "with  __dbt__cte__e as (\nselect 2\n), a as (select 1) select * from a");
  EXPECT_EQ(InjectCtes("\n-- c\nWITH RECURSIVE r as (x) select 1", {" __dbt__cte__e as (\ny\n)"}),
            "\n-- c\nWITH RECURSIVE  __dbt__cte__e as (\ny\n), r as (x) select 1");
  EXPECT_EQ(InjectCtes("select '(with' from t", {" __dbt__cte__e as (\ny\n)"}),
            "with __dbt__cte__e as (\ny\n) select '(with' from t");
}

TEST(YamlTest, PyYamlScalarTyping) {
  auto v = ParseYaml("a: yes\nb: '1'\nc: 1.50\nd: ~\ne: 0x1f\nf: .99\ng: text\nh: [1, 'x']\n", "t.yml");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->Repr(), "{'a': True, 'b': '1', 'c': 1.5, 'd': None, 'e': 31, 'f': 0.99, 'g': 'text', 'h': [1, 'x']}");
  auto bad = ParseYaml("a: [1,\n", "bad.yml");
  EXPECT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()), ::testing::StartsWith("bad.yml:"));
}

// Found by yaml_fuzzer: a mapping inside a list inside a mapping inside a list was written
// with its first key indented past the "- ", which no YAML reader accepts.
TEST(YamlTest, ToYamlWritesNestedListsOfMappingsAsPyYamlDoes) {
  auto v = ParseYaml("models:\n  - name: m\n    columns:\n      - name: id\n        tests: [unique, {accepted_values: {values: [a]}}]\n",
                     "t.yml");
  ASSERT_TRUE(v.ok()) << v.status();
  const std::string yaml = ToYaml(*v);
  EXPECT_EQ(yaml,
            "models:\n"
            "- name: m\n"
            "  columns:\n"
            "  - name: id\n"
            "    tests:\n"
            "    - unique\n"
            "    - accepted_values:\n"
            "        values:\n"
            "        - a\n");
  auto again = ParseYaml(yaml, "again.yml");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->Repr(), v->Repr());
}

// Found by yaml_fuzzer: bytes that are not UTF-8 were handed to yaml-cpp, which read a
// written "\xFE\xFF" at the start as a UTF-16 byte order mark. dbt decodes files as UTF-8
// first, so such a file is an error naming the place; a UTF-8 BOM is skipped, as PyYAML does.
TEST(YamlTest, InvalidUtf8IsAnErrorWithLineAndColumnAndABomIsSkipped) {
  auto bad = ParseYaml("name: ok\nvars:\n  x: caf\xE9\n", "dbt_project.yml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(bad.status().message()),
            "dbt_project.yml:3:9: not valid UTF-8 (byte 0xe9); dbt reads project files as UTF-8");
  // Raw control characters are refused as PyYAML's reader refuses them; escaped they are fine.
  auto raw = ParseYaml(std::string("\0\0\0\1version: 2\n", 15), "nul.yml");
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(std::string(raw.status().message()),
            "nul.yml:1:1: unacceptable character #x0000: special characters are not allowed");
  auto c1 = ParseYaml("a: x\xC2\x9Fy\n", "c1.yml");
  ASSERT_FALSE(c1.ok());
  EXPECT_THAT(std::string(c1.status().message()), ::testing::StartsWith("c1.yml:1:5: unacceptable character #x009f"));
  auto escaped = ParseYaml("a: \"\\x9f\\N\\L\\uFFFE\\x01\"\n", "esc.yml");
  ASSERT_TRUE(escaped.ok()) << escaped.status();
  const std::string written = ToYaml(*escaped);
  EXPECT_EQ(written, "a: \"\\x9f\\N\\L\\ufffe\\x01\"\n");
  auto reread = ParseYaml(written, "again.yml");
  ASSERT_TRUE(reread.ok()) << reread.status();
  EXPECT_EQ(reread->Repr(), escaped->Repr());
  auto bom = ParseYaml("\xEF\xBB\xBFname: ok\n", "bom.yml");
  ASSERT_TRUE(bom.ok()) << bom.status();
  EXPECT_EQ(bom->Repr(), "{'name': 'ok'}");
  // A string that starts with U+FEFF is written quoted, so it reads back with its BOM.
  auto inner = ParseYaml("\"\\ufeffvalue\"\n", "inner.yml");
  ASSERT_TRUE(inner.ok()) << inner.status();
  const std::string yaml = ToYaml(*inner);
  EXPECT_EQ(yaml, "'\xEF\xBB\xBFvalue'\n");
  auto again = ParseYaml(yaml, "again.yml");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->Repr(), inner->Repr());
}

// Merge keys as PyYAML's safe_load (dbt's reader) applies them; found by yaml_fuzzer.
TEST(YamlTest, MergeKeysAndControlCharacters) {
  auto v = ParseYaml(
      "base: &b {x: 1, y: 1}\nmore: &m {y: 2, z: 2}\none: {<<: *b, y: 3}\ntwo: {<<: [*b, *m], w: 0}\n", "t.yml");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->Repr(),
            "{'base': {'x': 1, 'y': 1}, 'more': {'y': 2, 'z': 2}, 'one': {'x': 1, 'y': 3}, "
            "'two': {'y': 1, 'z': 2, 'x': 1, 'w': 0}}");
  // Control characters and line breaks are written double-quoted, and read back the same.
  auto text = ParseYaml("a: \"1.0.\\x02\"\nb: \"two\\nlines\\t!\"\n", "c.yml");
  ASSERT_TRUE(text.ok()) << text.status();
  const std::string yaml = ToYaml(*text);
  EXPECT_EQ(yaml, "a: \"1.0.\\x02\"\nb: \"two\\nlines\\t!\"\n");
  auto again = ParseYaml(yaml, "again.yml");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->Repr(), text->Repr());
  auto floats = ParseYaml("a: [.inf, -.inf, .nan, 1.5]\n", "f.yml");
  ASSERT_TRUE(floats.ok()) << floats.status();
  EXPECT_EQ(ToYaml(*floats), "a:\n- .inf\n- -.inf\n- .nan\n- 1.5\n");
  // A sequence or mapping as a key is refused, as PyYAML refuses it (found by yaml_fuzzer).
  auto unhashable = ParseYaml("a: 1\n? [x, y]\n: 2\n", "k.yml");
  ASSERT_FALSE(unhashable.ok());
  EXPECT_THAT(std::string(unhashable.status().message()), ::testing::HasSubstr("k.yml:2:"));
  EXPECT_THAT(std::string(unhashable.status().message()), ::testing::HasSubstr("unhashable key"));
}

// Found by tar_fuzzer: absolute member names and directory-like names never become files
// outside (or without a name in) the project.
TEST(TarTest, AbsoluteAndDirectoryNamesStayInsideTheProject) {
  auto entry = [](std::string name, std::string body) {
    std::string h(512, '\0');
    h.replace(0, name.size(), name);
    char size[12];
    std::snprintf(size, sizeof(size), "%011o", static_cast<unsigned>(body.size()));
    h.replace(124, 11, size);
    h[156] = '0';
    h.replace(257, 5, "ustar");
    unsigned sum = 0;
    h.replace(148, 8, "        ");
    for (unsigned char c : h) sum += c;
    char chk[8];
    std::snprintf(chk, sizeof(chk), "%06o", sum);
    h.replace(148, 7, std::string(chk, 6) + '\0');
    body.resize((body.size() + 511) / 512 * 512, '\0');
    return h + body;
  };
  const std::string tar = entry("/abs/a.sql", "select 1") + entry("dir/", "") + entry("./b.sql", "select 2") +
                          std::string(1024, '\0');
  auto files = ReadTar(tar);
  ASSERT_TRUE(files.ok()) << files.status();
  std::vector<std::string> names;
  for (const auto& [k, v] : *files) names.push_back(k);
  EXPECT_THAT(names, ::testing::ElementsAre("abs/a.sql", "b.sql"));
}

TEST(TarTest, RejectsBrokenGzipAndTruncation) {
  EXPECT_EQ(ReadTar(std::string("\x1f\x8b rest", 7)).status().code(), absl::StatusCode::kInvalidArgument);
  std::string h(512, '\0');
  h.replace(0, 5, "a.sql");
  h.replace(124, 11, "00000001000");
  h[156] = '0';
  EXPECT_EQ(ReadTar(h).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sqlmill::dbt

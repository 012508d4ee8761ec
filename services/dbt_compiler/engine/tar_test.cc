// ReadTar on plain and gzip-compressed archives, and the limits on what a gzip stream may
// inflate to.
#include "services/dbt_compiler/engine/tar.h"

#include <zlib.h>

#include <cstdio>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sqlmill::dbt {
namespace {

using ::testing::HasSubstr;

std::string TarEntry(const std::string& name, const std::string& body) {
  std::string h(512, '\0');
  h.replace(0, name.size(), name);
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%011zo", body.size());
  h.replace(124, 11, buf);
  h[156] = '0';
  h.replace(257, 5, "ustar");
  std::string e = h + body;
  e.append((512 - body.size() % 512) % 512, '\0');
  return e;
}

std::string Tar() {
  return TarEntry("proj/dbt_project.yml", "name: t\n") + TarEntry("proj/models/m.sql", "select 1 as one") +
         std::string(1024, '\0');
}

// Compresses with a gzip wrapper, as `gzip` / `tar czf` write.
std::string Gzip(const std::string& data) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

TEST(TarTest, PlainAndGzipArchivesGiveTheSameFiles) {
  auto plain = ReadTar(Tar());
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->size(), 2u);
  EXPECT_EQ(plain->at("models/m.sql"), "select 1 as one");
  const std::string gz = Gzip(Tar());
  ASSERT_TRUE(IsGzip(gz));
  auto unzipped = ReadTar(gz);
  ASSERT_TRUE(unzipped.ok()) << unzipped.status();
  EXPECT_EQ(*unzipped, *plain);
}

TEST(TarTest, ConcatenatedGzipMembersAreOneStream) {
  const std::string tar = Tar();
  const std::string gz = Gzip(tar.substr(0, 700)) + Gzip(tar.substr(700));
  auto files = ReadTar(gz);
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_EQ(files->at("dbt_project.yml"), "name: t\n");
}

TEST(TarTest, GzipBombStopsAtTheLimit) {
  // 16 MB of zeros compress to ~16 KB; the limit is 1 MB.
  const std::string bomb = Gzip(std::string(16 << 20, 0));
  ASSERT_LT(bomb.size(), 64u << 10);
  auto files = ReadTar(bomb, 1 << 20);
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(files.status().message(), HasSubstr("gzip archive inflates to more than 1048576 bytes"));
}

TEST(TarTest, InflatedContentsCountAgainstTheLimit) {
  // Under the limit compressed and inflated, but the files inside exceed it.
  auto files = ReadTar(Gzip(Tar()), 600);
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(TarTest, CorruptAndTruncatedGzipAreInvalid) {
  std::string gz = Gzip(Tar());
  std::string truncated = gz.substr(0, gz.size() / 2);
  auto t = ReadTar(truncated);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(t.status().message(), HasSubstr("truncated"));
  std::string corrupt = gz;
  for (size_t i = 10; i < corrupt.size() - 8; ++i) corrupt[i] = static_cast<char>(0xff);
  auto c = ReadTar(corrupt);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(), HasSubstr("gzip archive is corrupt"));
  // A bad checksum in the trailer is caught too.
  std::string bad_crc = gz;
  bad_crc[bad_crc.size() - 6] ^= 0x55;
  auto b = ReadTar(bad_crc);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sqlmill::dbt

// Tar reading (see tar.h), with gzip inflated through zlib. Stateless; thread-safe.
#include "services/dbt_compiler/engine/tar.h"

#include <zlib.h>

#include <algorithm>
#include <cstdlib>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/strings.h"

namespace sqlmill::dbt {
namespace {

uint64_t Octal(std::string_view field) {
  uint64_t v = 0;
  for (char c : field) {
    if (c < '0' || c > '7') {
      if (c == '\0' || c == ' ') {
        if (v > 0) break;
        continue;
      }
      break;
    }
    v = v * 8 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

std::string CString(std::string_view field) {
  size_t n = field.find('\0');
  return std::string(n == std::string_view::npos ? field : field.substr(0, n));
}

}  // namespace

bool IsGzip(std::string_view data) {
  return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
         static_cast<unsigned char>(data[1]) == 0x8b;
}

absl::StatusOr<std::string> Gunzip(std::string_view data, uint64_t max_bytes) {
  z_stream zs{};
  // 16 + MAX_WBITS: a gzip wrapper (header and CRC checked), not zlib or raw deflate.
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return absl::InternalError("zlib inflateInit2 failed");
  struct End {
    z_stream* zs;
    ~End() { inflateEnd(zs); }
  } end{&zs};
  std::string out;
  const size_t kChunk = 256 << 10;
  size_t consumed = 0;
  while (true) {
    // Feed at most uInt's range at a time (archives may be larger than 4 GB in principle).
    const size_t avail = std::min<size_t>(data.size() - consumed, 1u << 30);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + consumed));
    zs.avail_in = static_cast<uInt>(avail);
    const size_t old = out.size();
    if (out.capacity() < old + kChunk) {
      // Grow geometrically but never past the limit (plus one chunk), so a bomb cannot make
      // the buffer's capacity twice the limit.
      out.reserve(std::min<uint64_t>(std::max<uint64_t>(out.capacity() * 2, old + kChunk), max_bytes + kChunk));
    }
    out.resize(old + kChunk);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + old);
    zs.avail_out = static_cast<uInt>(kChunk);
    const int rc = inflate(&zs, Z_NO_FLUSH);
    consumed += avail - zs.avail_in;
    out.resize(old + (kChunk - zs.avail_out));
    if (out.size() > max_bytes) {
      return absl::ResourceExhaustedError(absl::StrCat("gzip archive inflates to more than ", max_bytes,
                                                       " bytes (the limit for an uncompressed project); ",
                                                       "send a smaller project"));
    }
    if (rc == Z_STREAM_END) {
      // Concatenated gzip members (`cat a.gz b.gz`) form one stream, as gzip -d reads them.
      if (consumed < data.size() && IsGzip(data.substr(consumed))) {
        if (inflateReset(&zs) != Z_OK) return absl::InternalError("zlib inflateReset failed");
        continue;
      }
      return out;
    }
    if (rc == Z_BUF_ERROR && consumed >= data.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("gzip archive is truncated: it ends after ", data.size(), " bytes inside the compressed data"));
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return absl::InvalidArgumentError(absl::StrCat("gzip archive is corrupt at compressed byte ", consumed, ": ",
                                                     zs.msg != nullptr ? zs.msg : "inflate failed"));
    }
  }
}

absl::StatusOr<FileMap> ReadTar(std::string_view data, uint64_t max_bytes) {
  std::string inflated;
  if (IsGzip(data)) {
    auto raw = Gunzip(data, max_bytes);
    if (!raw.ok()) return raw.status();
    inflated = std::move(*raw);
    data = inflated;
  }
  FileMap files;
  uint64_t total = 0;
  size_t off = 0;
  std::string long_name;
  while (off + 512 <= data.size()) {
    std::string_view h = data.substr(off, 512);
    if (h.find_first_not_of('\0') == std::string_view::npos) break;
    std::string name = CString(h.substr(0, 100));
    const std::string prefix = CString(h.substr(345, 155));
    const uint64_t size = Octal(h.substr(124, 12));
    const char type = h[156];
    if (absl::StartsWith(AsAbsl(h.substr(257, 5)), "ustar") && !prefix.empty()) name = prefix + "/" + name;
    off += 512;
    if (off + size > data.size()) return absl::InvalidArgumentError("tar archive is truncated");
    std::string_view body = data.substr(off, size);
    off += (size + 511) / 512 * 512;
    if (type == 'L') {  // GNU long name
      long_name = CString(body);
      continue;
    }
    if (type == 'x') {  // pax header: look for path=
      std::string_view rest = body;
      while (!rest.empty()) {
        size_t sp = rest.find(' ');
        if (sp == std::string_view::npos) break;
        const size_t len = std::strtoul(std::string(rest.substr(0, sp)).c_str(), nullptr, 10);
        if (len == 0 || len > rest.size()) break;
        std::string_view rec = rest.substr(sp + 1, len - sp - 2);
        if (absl::StartsWith(AsAbsl(rec), "path=")) long_name = std::string(rec.substr(5));
        rest.remove_prefix(len);
      }
      continue;
    }
    if (type == 'g') continue;
    if (!long_name.empty()) {
      name = long_name;
      long_name.clear();
    }
    if (type != '0' && type != '\0' && type != '7') continue;
    // As GNU tar extracts: leading "/" and "./" dropped, so every path is relative.
    while (absl::StartsWith(name, "/") || absl::StartsWith(name, "./")) name = name.substr(name[0] == '/' ? 1 : 2);
    if (name.empty() || name.back() == '/' || name.find("..") != std::string::npos) continue;
    total += size;
    if (total > max_bytes) {
      return absl::ResourceExhaustedError(absl::StrCat("tar archive contents exceed ", max_bytes, " bytes"));
    }
    files[name] = std::string(body);
  }
  // Strip one top-level directory shared by all entries when dbt_project.yml lies below it.
  if (!files.empty() && files.find("dbt_project.yml") == files.end()) {
    const std::string& first = files.begin()->first;
    const size_t slash = first.find('/');
    if (slash != std::string::npos) {
      const std::string top = first.substr(0, slash + 1);
      bool shared = true;
      for (const auto& [k, v] : files) shared = shared && absl::StartsWith(k, top);
      if (shared && files.count(top + "dbt_project.yml")) {
        FileMap stripped;
        for (auto& [k, v] : files) {
          if (k.size() > top.size()) stripped[k.substr(top.size())] = std::move(v);
        }
        files = std::move(stripped);
      }
    }
  }
  return files;
}

}  // namespace sqlmill::dbt

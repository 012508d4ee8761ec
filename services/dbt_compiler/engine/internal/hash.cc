#include "services/dbt_compiler/engine/internal/hash.h"

#include <openssl/evp.h>

#include <cstdlib>
#include <iostream>

namespace sqlmill::dbt {
namespace {

std::string DigestHex(const EVP_MD* md, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // One-shot EVP_Digest: no context to leak; fails only on allocation failure.
  if (EVP_Digest(data.data(), data.size(), digest, &size, md, nullptr) != 1) {
    std::cerr << "sqlmill: OpenSSL EVP_Digest failed\n";
    std::abort();
  }
  static const char kHex[] = "0123456789abcdef";
  std::string out(static_cast<size_t>(size) * 2, '0');
  for (unsigned int i = 0; i < size; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 15];
  }
  return out;
}

}  // namespace

std::string Sha256Hex(std::string_view data) { return DigestHex(EVP_sha256(), data); }

std::string Md5Hex(std::string_view data) { return DigestHex(EVP_md5(), data); }

}  // namespace sqlmill::dbt

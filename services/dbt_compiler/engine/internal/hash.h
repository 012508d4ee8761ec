// Message digests the dbt compiler needs to reproduce dbt's identifiers: SHA-256 (file
// checksums, project content hashes) and MD5 (generic-test unique_id suffixes, shortened
// test names, local_md5()). Computed with OpenSSL's EVP digests (libcrypto, which gRPC
// already links).
//
// Free functions; thread-safe.
#ifndef SQLMILL_SERVICES_DBT_COMPILER_ENGINE_INTERNAL_HASH_H_
#define SQLMILL_SERVICES_DBT_COMPILER_ENGINE_INTERNAL_HASH_H_

#include <string>
#include <string_view>

namespace sqlmill::dbt {

// Returns the lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);
// Returns the lowercase hex MD5 of `data`.
std::string Md5Hex(std::string_view data);

}  // namespace sqlmill::dbt

#endif  // SQLMILL_SERVICES_DBT_COMPILER_ENGINE_INTERNAL_HASH_H_

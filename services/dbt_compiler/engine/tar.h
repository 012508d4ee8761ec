// Reads a project sent as one tar archive (ustar / GNU / pax, as `tar cf` writes) into a
// FileMap. Gzip-compressed archives are recognised and refused with UNIMPLEMENTED (no zlib
// dependency in the engine). Free function; thread-safe.
//
//   SQLMILL_ASSIGN_OR_RETURN(FileMap files, ReadTar(request.tar_archive()));
#ifndef SQLMILL_SERVICES_DBT_COMPILER_ENGINE_TAR_H_
#define SQLMILL_SERVICES_DBT_COMPILER_ENGINE_TAR_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "services/dbt_compiler/engine/project.h"

namespace sqlmill::dbt {

// Regular files only; a single leading directory shared by every entry (`proj/...`) and
// "./" prefixes are stripped so paths are relative to the project root.
absl::StatusOr<FileMap> ReadTar(std::string_view data, uint64_t max_bytes = 512ull << 20);

}  // namespace sqlmill::dbt

#endif  // SQLMILL_SERVICES_DBT_COMPILER_ENGINE_TAR_H_

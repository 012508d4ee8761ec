// Reads a project sent as one tar archive (ustar / GNU / pax, as `tar cf` writes) into a
// FileMap. A gzip-compressed archive (`tar czf`, recognised by its magic bytes) is inflated
// first, with the inflated size bounded by the same max_bytes, so a gzip bomb stops at the
// limit (RESOURCE_EXHAUSTED) and a corrupt or truncated stream is INVALID_ARGUMENT. Free
// functions; thread-safe.
//
//   SQLMILL_ASSIGN_OR_RETURN(FileMap files, ReadTar(request.tar_archive()));
#ifndef SQLMILL_SERVICES_DBT_COMPILER_ENGINE_TAR_H_
#define SQLMILL_SERVICES_DBT_COMPILER_ENGINE_TAR_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/dbt_compiler/engine/project.h"

namespace sqlmill::dbt {

// Regular files only; a single leading directory shared by every entry (`proj/...`) and
// "./" prefixes are stripped so paths are relative to the project root.
absl::StatusOr<FileMap> ReadTar(std::string_view data, uint64_t max_bytes = 512ull << 20);

// True when `data` starts with the gzip magic bytes (1f 8b).
bool IsGzip(std::string_view data);
// Inflates a gzip stream (one or more members), failing with RESOURCE_EXHAUSTED as soon as
// the output would exceed `max_bytes`.
absl::StatusOr<std::string> Gunzip(std::string_view data, uint64_t max_bytes);

}  // namespace sqlmill::dbt

#endif  // SQLMILL_SERVICES_DBT_COMPILER_ENGINE_TAR_H_

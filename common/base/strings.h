// Bridges between std::string_view and absl::string_view.
//
// Debian 12's Abseil is built with ABSL_OPTION_USE_STD_STRING_VIEW=0, so absl::string_view
// is its own class and absl::StrCat / StrAppend / StrJoin do not accept std::string_view.
// sqlmill code uses std::string_view and converts at the call with AsAbsl(). Header-only.
#ifndef SQLMILL_COMMON_BASE_STRINGS_H_
#define SQLMILL_COMMON_BASE_STRINGS_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace sqlmill {

inline absl::string_view AsAbsl(std::string_view s) { return absl::string_view(s.data(), s.size()); }
inline std::string_view AsStd(absl::string_view s) { return std::string_view(s.data(), s.size()); }

}  // namespace sqlmill

#endif  // SQLMILL_COMMON_BASE_STRINGS_H_

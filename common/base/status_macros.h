// Status propagation macros for absl::Status / absl::StatusOr code.
//
// Abseil 20220623 ships no RETURN_IF_ERROR / ASSIGN_OR_RETURN, so sqlmill defines its own,
// prefixed to avoid clashing with any other project's. Header-only; thread-safe (no state).
//
//   absl::StatusOr<Catalog> Build(const Script& s) {
//     SQLMILL_RETURN_IF_ERROR(Validate(s));
//     SQLMILL_ASSIGN_OR_RETURN(auto tokens, Lex(s));
//     SQLMILL_RET_CHECK(!tokens.empty()) << "lexer returned no EOF token";
//     ...
//   }
#ifndef SQLMILL_COMMON_BASE_STATUS_MACROS_H_
#define SQLMILL_COMMON_BASE_STATUS_MACROS_H_

#include <sstream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace sqlmill::internal {

// Builds an INTERNAL status from a failed invariant; streams extra context with <<.
// Converts implicitly to absl::Status and to any absl::StatusOr<T>.
class RetCheckFailure {
 public:
  RetCheckFailure(const char* condition, const char* file, int line) {
    stream_ << "RET_CHECK failed: " << condition << " at " << file << ":" << line;
  }
  template <typename T>
  RetCheckFailure& operator<<(const T& value) {
    if (!has_extra_) {
      stream_ << ": ";
      has_extra_ = true;
    }
    stream_ << value;
    return *this;
  }
  operator absl::Status() const {  // NOLINT(google-explicit-constructor)
    return absl::InternalError(stream_.str());
  }
  template <typename T>
  operator absl::StatusOr<T>() const {  // NOLINT(google-explicit-constructor)
    return absl::StatusOr<T>(absl::InternalError(stream_.str()));
  }

 private:
  std::ostringstream stream_;
  bool has_extra_ = false;
};

inline const absl::Status& ToStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& ToStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

}  // namespace sqlmill::internal

#define SQLMILL_STATUS_CONCAT_INNER_(a, b) a##b
#define SQLMILL_STATUS_CONCAT_(a, b) SQLMILL_STATUS_CONCAT_INNER_(a, b)

// Returns the status of `expr` (a Status or StatusOr) from the enclosing function if not OK.
#define SQLMILL_RETURN_IF_ERROR(expr)                                             \
  do {                                                                            \
    ::absl::Status sqlmill_status_ = ::sqlmill::internal::ToStatus((expr));       \
    if (!sqlmill_status_.ok()) return sqlmill_status_;                            \
  } while (false)

#define SQLMILL_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                                   \
  if (!tmp.ok()) return std::move(tmp).status();        \
  lhs = std::move(tmp).value()

// Evaluates `rexpr` (a StatusOr<T>); returns its status if not OK, else assigns the value
// to `lhs`, which may be a declaration (`auto x`) or an existing variable.
#define SQLMILL_ASSIGN_OR_RETURN(lhs, rexpr) \
  SQLMILL_ASSIGN_OR_RETURN_IMPL_(SQLMILL_STATUS_CONCAT_(sqlmill_statusor_, __LINE__), lhs, rexpr)

// Returns INTERNAL (never crashes) when an invariant does not hold. Extra context may be
// streamed: SQLMILL_RET_CHECK(i < n) << "index " << i;
#define SQLMILL_RET_CHECK(cond) \
  if (cond) {                   \
  } else /* NOLINT */           \
    return ::sqlmill::internal::RetCheckFailure(#cond, __FILE__, __LINE__)

// Returns INTERNAL unconditionally (for unreachable branches).
#define SQLMILL_RET_CHECK_FAIL() \
  return ::sqlmill::internal::RetCheckFailure("unreachable", __FILE__, __LINE__)

#endif  // SQLMILL_COMMON_BASE_STATUS_MACROS_H_

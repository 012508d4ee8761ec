// Tests for the status propagation macros.
#include "common/base/status_macros.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sqlmill {
namespace {

absl::Status FailIf(bool fail) {
  return fail ? absl::InvalidArgumentError("bad") : absl::OkStatus();
}
absl::StatusOr<int> Half(int x) {
  if (x % 2 != 0) return absl::InvalidArgumentError("odd");
  return x / 2;
}

absl::Status Chain(bool fail) {
  SQLMILL_RETURN_IF_ERROR(FailIf(fail));
  return absl::NotFoundError("reached the end");
}

absl::StatusOr<int> Quarter(int x) {
  SQLMILL_ASSIGN_OR_RETURN(int half, Half(x));
  SQLMILL_ASSIGN_OR_RETURN(half, Half(half));  // assigns an existing variable
  return half;
}

absl::StatusOr<int> Checked(int x) {
  SQLMILL_RET_CHECK(x >= 0) << "x was " << x;
  return x;
}

absl::Status CheckedStatus(bool ok) {
  SQLMILL_RET_CHECK(ok);
  return absl::OkStatus();
}

TEST(StatusMacros, ReturnIfErrorPropagatesFailure) {
  EXPECT_EQ(Chain(true).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Chain(false).code(), absl::StatusCode::kNotFound);
}

TEST(StatusMacros, ReturnIfErrorAcceptsStatusOr) {
  auto f = [](int x) -> absl::Status {
    SQLMILL_RETURN_IF_ERROR(Half(x));
    return absl::OkStatus();
  };
  EXPECT_TRUE(f(2).ok());
  EXPECT_EQ(f(3).message(), "odd");
}

TEST(StatusMacros, AssignOrReturn) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).status().message(), "odd");
  EXPECT_EQ(Quarter(5).status().message(), "odd");
}

TEST(StatusMacros, RetCheckGivesInternalWithContext) {
  EXPECT_EQ(*Checked(3), 3);
  absl::Status s = Checked(-1).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(s.message()), ::testing::HasSubstr("x >= 0"));
  EXPECT_THAT(std::string(s.message()), ::testing::HasSubstr("x was -1"));
  EXPECT_EQ(CheckedStatus(false).code(), absl::StatusCode::kInternal);
  EXPECT_TRUE(CheckedStatus(true).ok());
}

}  // namespace
}  // namespace sqlmill

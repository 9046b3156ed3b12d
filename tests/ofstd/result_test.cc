// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/ofstd/result.h"

#include <gtest/gtest.h>

#include <string>

namespace dcmkit::ofstd {
namespace {

Result<int> parse_positive(int v) {
  if (v <= 0) return Error(ErrorCode::InvalidArgument, "not positive");
  return v;
}

Result<int> doubled(int v) {
  DCMKIT_ASSIGN_OR_RETURN(const int checked, parse_positive(v));
  return checked * 2;
}

Status check_both(int a, int b) {
  DCMKIT_TRY(parse_positive(a));
  DCMKIT_TRY(parse_positive(b));
  return {};
}

TEST(ResultTest, HoldsValue) {
  Result<int> r = 5;
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(*r, 5);
  EXPECT_EQ(r.value_or(7), 5);
}

TEST(ResultTest, HoldsError) {
  Result<int> r = Error(ErrorCode::NotFound, "missing");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::NotFound);
  EXPECT_EQ(r.error().message(), "missing");
  EXPECT_EQ(r.value_or(7), 7);
}

TEST(ResultTest, AssignOrReturnPropagatesErrorAndValue) {
  EXPECT_EQ(*doubled(4), 8);
  const auto failed = doubled(-1);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code(), ErrorCode::InvalidArgument);
}

TEST(ResultTest, TryPropagatesFirstError) {
  EXPECT_TRUE(check_both(1, 2));
  const Status s = check_both(1, -2);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message(), "not positive");
}

TEST(ResultTest, ContextChainsOutermostFirst) {
  Error e(ErrorCode::MalformedData, "value length exceeds remaining input");
  e = std::move(e).with_context("offset 12, (0008,1115)[2]");
  e = std::move(e).with_context("reading a.dcm");
  EXPECT_EQ(e.context(), "reading a.dcm: offset 12, (0008,1115)[2]");
  EXPECT_EQ(e.to_string(),
            "reading a.dcm: offset 12, (0008,1115)[2]: value length exceeds remaining input");
}

TEST(ResultTest, ErrorCopiesAreIndependent) {
  const Error original(ErrorCode::IoError, "disk");
  Error copy = original;
  copy = std::move(copy).with_context("x");
  EXPECT_EQ(original.context(), "");
  EXPECT_EQ(copy.context(), "x");
}

TEST(ResultTest, AndThenChains) {
  Result<int> r = 3;
  auto r2 = r.and_then([](int v) -> Result<std::string> { return std::to_string(v * 3); });
  ASSERT_TRUE(r2);
  EXPECT_EQ(*r2, "9");
  Result<int> bad = Error(ErrorCode::Internal, "x");
  auto r3 = bad.and_then([](int v) -> Result<std::string> { return std::to_string(v); });
  ASSERT_FALSE(r3);
  EXPECT_EQ(r3.error().code(), ErrorCode::Internal);
}

TEST(ResultTest, MoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(4);
  ASSERT_TRUE(r);
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 4);
}

TEST(ResultTest, StatusCopies) {
  Status s = Error(ErrorCode::Network, "reset");
  Status copy = s;
  ASSERT_FALSE(copy);
  EXPECT_EQ(copy.error().code(), ErrorCode::Network);
  EXPECT_TRUE(ok_status());
}

TEST(ResultTest, ErrorCodeNamesAreDistinct) {
  EXPECT_EQ(to_string(ErrorCode::MalformedData), "malformed data");
  EXPECT_NE(to_string(ErrorCode::IoError), to_string(ErrorCode::Network));
}

TEST(ResultTest, ErrorIsPointerSized) {
  EXPECT_EQ(sizeof(Error), sizeof(void*));
  EXPECT_LE(sizeof(Result<std::uint16_t>), 2 * sizeof(void*));
}

}  // namespace
}  // namespace dcmkit::ofstd

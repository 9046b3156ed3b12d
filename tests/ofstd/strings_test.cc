// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/ofstd/strings.h"

#include <gtest/gtest.h>

namespace dcmkit::ofstd {
namespace {

TEST(StringsTest, TrimsSpacesAndNuls) {
  EXPECT_EQ(trim(std::string_view(" ab c \0", 7)), "ab c");
  EXPECT_EQ(trim("   "), "");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim_left("  x "), "x ");
  EXPECT_EQ(trim_right("  x "), "  x");
  EXPECT_EQ(trim("xxaxx", "x"), "a");
}

TEST(StringsTest, SplitsOnBackslash) {
  const auto parts = split("1\\2\\\\3");
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts[0], "1");
  EXPECT_EQ(parts[2], "");
  EXPECT_EQ(parts[3], "3");
  EXPECT_EQ(split("").size(), 1u);
  EXPECT_EQ(split("a\\").size(), 2u);
  EXPECT_EQ(split("a^b", '^').size(), 2u);
}

TEST(StringsTest, JoinsParts) {
  EXPECT_EQ(join({"a", "b", "c"}, "\\"), "a\\b\\c");
  EXPECT_EQ(join({}, ","), "");
}

TEST(StringsTest, ComparesCaseInsensitively) {
  EXPECT_TRUE(iequals("PatientName", "patientname"));
  EXPECT_FALSE(iequals("abc", "abd"));
  EXPECT_FALSE(iequals("abc", "ab"));
  EXPECT_EQ(to_upper("iso_ir 100"), "ISO_IR 100");
  EXPECT_EQ(to_lower("ABC1"), "abc1");
}

TEST(StringsTest, MatchesWildcards) {
  EXPECT_TRUE(wildcard_match("*.dcm", "image.dcm"));
  EXPECT_TRUE(wildcard_match("IM?", "IM1"));
  EXPECT_FALSE(wildcard_match("IM?", "IM12"));
  EXPECT_TRUE(wildcard_match("*", ""));
  EXPECT_TRUE(wildcard_match("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(wildcard_match("a*b*c", "aXXbYY"));
  EXPECT_TRUE(starts_with("DICM", "DI"));
  EXPECT_TRUE(ends_with("file.dcm", ".dcm"));
  EXPECT_FALSE(ends_with("dcm", "file.dcm"));
}

TEST(StringsTest, ParsesNumbersStrictly) {
  unsigned long long u = 0;
  EXPECT_TRUE(parse_uint("4096", u));
  EXPECT_EQ(u, 4096u);
  EXPECT_FALSE(parse_uint("-1", u));
  EXPECT_FALSE(parse_uint("12a", u));
  EXPECT_FALSE(parse_uint("", u));
  EXPECT_FALSE(parse_uint("99999999999999999999999", u));
  long long i = 0;
  EXPECT_TRUE(parse_int("-12", i));
  EXPECT_EQ(i, -12);
  EXPECT_TRUE(parse_int("+7", i));
  EXPECT_EQ(i, 7);
  EXPECT_FALSE(parse_int("+-7", i));
  double d = 0;
  EXPECT_TRUE(parse_double("1.5e3", d));
  EXPECT_DOUBLE_EQ(d, 1500.0);
  EXPECT_TRUE(parse_double("+0.25", d));
  EXPECT_DOUBLE_EQ(d, 0.25);
  EXPECT_FALSE(parse_double("1.5x", d));
  EXPECT_FALSE(parse_double("", d));
}

}  // namespace
}  // namespace dcmkit::ofstd

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/ofstd/safe_path.h"

#include <gtest/gtest.h>

namespace dcmkit::ofstd {
namespace {

TEST(SafePathTest, KeepsOrdinaryUids) {
  EXPECT_EQ(safe_path_component("1.2.840.113619.2.5"), "1.2.840.113619.2.5");
  EXPECT_EQ(safe_path_component("Doe^John"), "Doe^John");
}

TEST(SafePathTest, NeverEscapesTheDirectory) {
  for (const char* hostile : {"..", ".", "", "../../etc/passwd", "/etc/passwd", "a/../../b",
                              "..\\..\\x", "-rf", ".hidden", "a.", "CON:"}) {
    const std::string safe = safe_path_component(hostile);
    EXPECT_FALSE(safe.empty()) << hostile;
    EXPECT_NE(safe, ".") << hostile;
    EXPECT_NE(safe, "..") << hostile;
    EXPECT_EQ(safe.find('/'), std::string::npos) << hostile;
    EXPECT_EQ(safe.find('\\'), std::string::npos) << hostile;
    EXPECT_NE(safe.front(), '.') << hostile;
    EXPECT_NE(safe.front(), '-') << hostile;
    EXPECT_NE(safe.back(), '.') << hostile;
  }
}

TEST(SafePathTest, ReplacesControlCharactersAndNul) {
  const std::string s = safe_path_component(std::string_view("a\0b\nc", 5));
  EXPECT_EQ(s, "a_b_c");
}

TEST(SafePathTest, LimitsLength) {
  EXPECT_EQ(safe_path_component(std::string(1000, 'x')).size(), 200u);
}

}  // namespace
}  // namespace dcmkit::ofstd

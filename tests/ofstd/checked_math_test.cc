// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/ofstd/checked_math.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace dcmkit::ofstd {
namespace {

TEST(CheckedMathTest, DetectsOverflow) {
  constexpr auto kMax = std::numeric_limits<std::uint32_t>::max();
  EXPECT_EQ(checked_add<std::uint32_t>(1, 2), 3u);
  EXPECT_FALSE(checked_add<std::uint32_t>(kMax, 1));
  EXPECT_EQ(checked_mul<std::uint64_t>(512, 512), 262144u);
  EXPECT_FALSE(checked_mul<std::uint32_t>(65536, 65536));
  EXPECT_EQ(checked_sub<std::uint32_t>(5, 3), 2u);
  EXPECT_FALSE(checked_sub<std::uint32_t>(3, 5));
}

TEST(CheckedMathTest, CastsOnlyWhatFits) {
  EXPECT_EQ(checked_cast<std::uint16_t>(65535), 65535);
  EXPECT_FALSE(checked_cast<std::uint16_t>(65536));
  EXPECT_FALSE(checked_cast<std::uint32_t>(-1));
  EXPECT_EQ(checked_cast<std::int8_t>(-128), -128);
}

}  // namespace
}  // namespace dcmkit::ofstd

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/ofstd/uid_generator.h"

#include <gtest/gtest.h>

#include <set>

namespace dcmkit::ofstd {
namespace {

TEST(UidGeneratorTest, ProducesValidUniqueUids) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string uid = generate_uid();
    ASSERT_EQ(uid.rfind("2.25.", 0), 0u);
    ASSERT_LE(uid.size(), 64u);
    for (char c : uid.substr(5)) ASSERT_TRUE(c >= '0' && c <= '9') << uid;
    ASSERT_NE(uid[5], '0') << "no leading zero in a UID component";
    seen.insert(uid);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(UidGeneratorTest, ConvertsUuidToDecimal) {
  std::array<std::uint8_t, 16> uuid{};
  EXPECT_EQ(uid_from_uuid(uuid), "2.25.0");
  uuid[15] = 255;
  uuid[14] = 1;
  EXPECT_EQ(uid_from_uuid(uuid), "2.25.511");
  uuid.fill(0xFF);
  EXPECT_EQ(uid_from_uuid(uuid), "2.25.340282366920938463463374607431768211455");
}

}  // namespace
}  // namespace dcmkit::ofstd

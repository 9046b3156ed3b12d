// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/ofstd/byte_order.h"

#include <gtest/gtest.h>

#include <array>

namespace dcmkit::ofstd {
namespace {

TEST(ByteOrderTest, SwapsIntegers) {
  EXPECT_EQ(byte_swap<std::uint16_t>(0x1234), 0x3412);
  EXPECT_EQ(byte_swap<std::uint32_t>(0x12345678u), 0x78563412u);
  EXPECT_EQ(byte_swap<std::uint64_t>(0x0102030405060708ull), 0x0807060504030201ull);
}

TEST(ByteOrderTest, StoreThenLoadRoundTrips) {
  std::array<std::byte, 8> buffer{};
  store<std::uint32_t>(buffer.data(), 0xAABBCCDDu, Endian::Big);
  EXPECT_EQ(buffer[0], std::byte{0xAA});
  EXPECT_EQ(load_u32(buffer.data(), Endian::Big), 0xAABBCCDDu);
  EXPECT_EQ(load_u32(buffer.data(), Endian::Little), 0xDDCCBBAAu);
  store<std::uint64_t>(buffer.data(), 42, Endian::Little);
  EXPECT_EQ(load_u64(buffer.data(), Endian::Little), 42u);
}

TEST(ByteOrderTest, SwapWordsLeavesPartialWord) {
  std::array<std::byte, 5> b{std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4}, std::byte{5}};
  swap_words(b, 2);
  EXPECT_EQ(b[0], std::byte{2});
  EXPECT_EQ(b[1], std::byte{1});
  EXPECT_EQ(b[2], std::byte{4});
  EXPECT_EQ(b[4], std::byte{5});
  swap_words(b, 4);
  EXPECT_EQ(b[0], std::byte{3});
  EXPECT_EQ(b[3], std::byte{2});
}

}  // namespace
}  // namespace dcmkit::ofstd

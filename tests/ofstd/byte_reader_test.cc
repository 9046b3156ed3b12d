// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/ofstd/byte_reader.h"

#include <gtest/gtest.h>

#include <vector>

namespace dcmkit::ofstd {
namespace {

std::vector<std::byte> bytes(std::initializer_list<int> values) {
  std::vector<std::byte> out;
  for (int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

TEST(ByteReaderTest, ReadsIntegersInBothByteOrders) {
  const auto data = bytes({0x34, 0x12, 0x12, 0x34, 0x78, 0x56, 0x34, 0x12});
  ByteReader in(data);
  EXPECT_EQ(*in.read_u16(Endian::Little), 0x1234);
  EXPECT_EQ(*in.read_u16(Endian::Big), 0x1234);
  EXPECT_EQ(*in.read_u32(Endian::Little), 0x12345678u);
  EXPECT_TRUE(in.at_end());
}

TEST(ByteReaderTest, Reads64BitValues) {
  const auto data = bytes({1, 0, 0, 0, 0, 0, 0, 0x80});
  ByteReader in(data);
  EXPECT_EQ(*in.read_u64(Endian::Little), 0x8000000000000001ull);
}

TEST(ByteReaderTest, FailsWhenIntegerExceedsInput) {
  const auto data = bytes({1, 2, 3});
  ByteReader in(data, 100);
  ASSERT_TRUE(in.read_u16(Endian::Little));
  const auto r = in.read_u16(Endian::Little);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::MalformedData);
  EXPECT_NE(r.error().message().find("offset 102"), std::string::npos) << r.error().message();
  EXPECT_EQ(in.position(), 2u) << "a failed read consumes nothing";
}

TEST(ByteReaderTest, FailsWhenLengthExceedsInput) {
  const auto data = bytes({1, 2, 3, 4});
  ByteReader in(data);
  EXPECT_FALSE(in.read_bytes(5));
  EXPECT_FALSE(in.skip(5));
  auto view = in.read_bytes(4);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->size(), 4u);
  EXPECT_EQ(view->data(), data.data()) << "views, not copies";
  EXPECT_FALSE(in.read_u8());
}

TEST(ByteReaderTest, HugeLengthsDoNotWrap) {
  const auto data = bytes({1, 2});
  ByteReader in(data);
  ASSERT_TRUE(in.skip(1));
  EXPECT_FALSE(in.read_bytes(static_cast<std::size_t>(-1)));
  EXPECT_FALSE(in.skip(static_cast<std::size_t>(-1)));
}

TEST(ByteReaderTest, SeekAndStartsWith) {
  std::vector<std::byte> data(132);
  const auto magic = as_bytes("DICM");
  std::copy(magic.begin(), magic.end(), data.begin() + 128);
  ByteReader in(data);
  EXPECT_FALSE(in.starts_with(as_bytes("DICM")));
  ASSERT_TRUE(in.seek(128));
  EXPECT_TRUE(in.starts_with(as_bytes("DICM")));
  EXPECT_FALSE(in.seek(133));
  EXPECT_TRUE(in.seek(132));
  EXPECT_TRUE(in.at_end());
  EXPECT_EQ(in.rest().size(), 0u);
}

TEST(ByteReaderTest, ReadsEmptyInputSafely) {
  ByteReader in(std::span<const std::byte>{});
  EXPECT_TRUE(in.at_end());
  EXPECT_FALSE(in.read_u8());
  EXPECT_TRUE(in.read_bytes(0));
  EXPECT_TRUE(in.starts_with({}));
}

}  // namespace
}  // namespace dcmkit::ofstd

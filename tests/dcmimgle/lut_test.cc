// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimgle/lut.h"

#include <gtest/gtest.h>

#include <vector>

#include "dcmkit/dcmdata/dict/tags.h"

namespace dcmkit::dcmimgle {
namespace {

using dcmdata::VR;
namespace tags = dcmdata::tags;

dcmdata::SharedBytes words(std::initializer_list<std::uint16_t> values) {
  std::vector<std::byte> out;
  for (std::uint16_t v : values) {
    out.push_back(static_cast<std::byte>(v & 0xFF));
    out.push_back(static_cast<std::byte>(v >> 8));
  }
  return dcmdata::SharedBytes::from_vector(std::move(out));
}

TEST(LutTest, ReadsDescriptorAndClampsOutsideTheTable) {
  dcmdata::DataSet item;
  ASSERT_TRUE(item.set_bytes(tags::LUTDescriptor, VR::US, words({3, 10, 8})));
  ASSERT_TRUE(item.set_bytes(tags::LUTData, VR::OW, words({5, 6, 7})));
  auto lut = LookupTable::from_item(item);
  ASSERT_TRUE(lut) << lut.error().to_string();
  EXPECT_EQ((*lut)(0), 5);
  EXPECT_EQ((*lut)(11), 6);
  EXPECT_EQ((*lut)(1000), 7);
  EXPECT_EQ(lut->bits, 8u);
}

TEST(LutTest, RejectsMissingData) {
  dcmdata::DataSet item;
  ASSERT_TRUE(item.set_bytes(tags::LUTDescriptor, VR::US, words({3, 0, 8})));
  auto lut = LookupTable::from_item(item);
  ASSERT_FALSE(lut);
  EXPECT_EQ(lut.error().code(), ofstd::ErrorCode::MalformedData);
}

TEST(LutTest, ExpandsSegmentedPalettes) {
  // Discrete 0, 100; linear to 200 over 2; indirect copy of the first segment.
  const std::vector<std::uint16_t> segments{0, 2, 0, 100, 1, 2, 200, 2, 1, 0, 0};
  auto lut = expand_segmented_lut(segments, 6);
  ASSERT_TRUE(lut) << lut.error().to_string();
  EXPECT_EQ(*lut, (std::vector<std::uint16_t>{0, 100, 150, 200, 0, 100}));
}

TEST(LutTest, RejectsSegmentsThatRunPastTheData) {
  EXPECT_FALSE(expand_segmented_lut(std::vector<std::uint16_t>{0, 5, 1}, 5));
  EXPECT_FALSE(expand_segmented_lut(std::vector<std::uint16_t>{7, 1, 1}, 1));
  EXPECT_FALSE(expand_segmented_lut(std::vector<std::uint16_t>{2, 1, 0xFFFF, 0xFFFF}, 1));
}

}  // namespace
}  // namespace dcmkit::dcmimgle

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimgle/lut.h"

#include <gtest/gtest.h>

#include <vector>

#include "dcmkit/dcmdata/dict/tags.h"

namespace dcmkit::dcmimgle {
namespace {

using dcmdata::VR;
using ofstd::Result;
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

Result<LookupTable> item_lut(std::uint16_t count, std::uint16_t bits,
                             std::initializer_list<std::uint16_t> data, LutOptions options = {}) {
  dcmdata::DataSet item;
  EXPECT_TRUE(item.set_bytes(tags::LUTDescriptor, VR::US, words({count, 0, bits})));
  EXPECT_TRUE(item.set_bytes(tags::LUTData, VR::OW, words(data)));
  return LookupTable::from_item(item, options);
}

TEST(LutTest, ItemLutsTakeTheirBitsAsDcmtkDoes) {
  // Entries wider than the descriptor's bits lose their high bits.
  auto lut = item_lut(2, 8, {0x1FF, 0x0FFF});
  ASSERT_TRUE(lut);
  EXPECT_EQ(lut->bits, 8u);
  EXPECT_EQ(lut->entries, (std::vector<std::uint16_t>{0xFF, 0xFF}));
  lut = item_lut(2, 12, {0x1234, 0xFFFF});
  ASSERT_TRUE(lut);
  EXPECT_EQ(lut->bits, 12u);
  EXPECT_EQ(lut->entries, (std::vector<std::uint16_t>{0x234, 0xFFF}));
  // Bits outside 8..16 become those of the largest entry, at least 8.
  lut = item_lut(2, 4, {1, 4095});
  ASSERT_TRUE(lut);
  EXPECT_EQ(lut->bits, 12u);
  EXPECT_EQ(lut->entries.back(), 4095);
  lut = item_lut(2, 0, {1, 15});
  ASSERT_TRUE(lut);
  EXPECT_EQ(lut->bits, 8u);
  lut = item_lut(2, 20, {1, 0x8000});
  ASSERT_TRUE(lut);
  EXPECT_EQ(lut->bits, 16u);
  // Ignored depth (+Mm/+Mv): the largest entry's bits, at least 8.
  LutOptions ignore;
  ignore.ignore_depth = true;
  lut = item_lut(2, 16, {1, 1023}, ignore);
  ASSERT_TRUE(lut);
  EXPECT_EQ(lut->bits, 10u);
  lut = item_lut(2, 16, {1, 100}, ignore);
  ASSERT_TRUE(lut);
  EXPECT_EQ(lut->bits, 8u);
  // Checked depth (+Mc): 16 becomes 8 when every entry fits 8 bits, 8 becomes 16 when one does
  // not; other descriptors hold.
  LutOptions check;
  check.check_depth = true;
  lut = item_lut(2, 16, {1, 255}, check);
  ASSERT_TRUE(lut);
  EXPECT_EQ(lut->bits, 8u);
  lut = item_lut(2, 16, {1, 256}, check);
  ASSERT_TRUE(lut);
  EXPECT_EQ(lut->bits, 16u);
  lut = item_lut(2, 8, {1, 4095}, check);
  ASSERT_TRUE(lut);
  EXPECT_EQ(lut->bits, 16u);
  EXPECT_EQ(lut->entries.back(), 4095);
  lut = item_lut(2, 12, {1, 255}, check);
  ASSERT_TRUE(lut);
  EXPECT_EQ(lut->bits, 12u);
}

TEST(LutTest, PalettesKeepEntriesWiderThanEightBits) {
  dcmdata::DataSet data;
  ASSERT_TRUE(data.set_bytes(tags::RedPaletteColorLookupTableDescriptor, VR::US, words({2, 0, 8})));
  ASSERT_TRUE(data.set_bytes(tags::RedPaletteColorLookupTableData, VR::OW, words({0x100, 0xFF00})));
  auto lut = LookupTable::from_elements(data, tags::RedPaletteColorLookupTableDescriptor,
                                        tags::RedPaletteColorLookupTableData);
  ASSERT_TRUE(lut);
  EXPECT_EQ(lut->bits, 16u);
  EXPECT_EQ(lut->entries.back(), 0xFF00);
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

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimgle/pixel_frames.h"

#include <gtest/gtest.h>

#include <vector>

#include "dcmkit/dcmdata/dict/tags.h"

namespace dcmkit::dcmimgle {
namespace {

using dcmdata::DataSet;
using dcmdata::SharedBytes;
using dcmdata::VR;
namespace tags = dcmdata::tags;

DataSet image(std::uint16_t rows, std::uint16_t columns, std::uint16_t allocated,
              std::uint16_t stored, std::uint16_t high, bool is_signed,
              std::vector<std::byte> pixels, const char* photometric = "MONOCHROME2",
              std::uint16_t samples = 1) {
  DataSet ds;
  EXPECT_TRUE(ds.set_int(tags::SamplesPerPixel, VR::US, samples));
  EXPECT_TRUE(ds.set_string(tags::PhotometricInterpretation, photometric));
  EXPECT_TRUE(ds.set_int(tags::Rows, VR::US, rows));
  EXPECT_TRUE(ds.set_int(tags::Columns, VR::US, columns));
  EXPECT_TRUE(ds.set_int(tags::BitsAllocated, VR::US, allocated));
  EXPECT_TRUE(ds.set_int(tags::BitsStored, VR::US, stored));
  EXPECT_TRUE(ds.set_int(tags::HighBit, VR::US, high));
  EXPECT_TRUE(ds.set_int(tags::PixelRepresentation, VR::US, is_signed ? 1 : 0));
  EXPECT_TRUE(ds.set_bytes(tags::PixelData, allocated > 8 ? VR::OW : VR::OB,
                           SharedBytes::from_vector(std::move(pixels))));
  return ds;
}

std::vector<std::byte> bytes(std::initializer_list<int> values) {
  std::vector<std::byte> out;
  for (int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

TEST(PixelFramesTest, ExtractsBitsStoredAtHighBitAndSignExtends) {
  // 12 bits stored at high bit 13 (shifted by 2), signed: 0x3FFC -> -1, 0x0004 -> 1.
  const DataSet ds = image(1, 2, 16, 12, 13, true, bytes({0xFC, 0x3F, 0x04, 0x00}));
  auto frames = PixelFrames::open(ds, dcmdata::explicit_vr_little_endian());
  ASSERT_TRUE(frames) << frames.error().to_string();
  std::vector<std::int32_t> values;
  ASSERT_TRUE(frames->unpack(0, values));
  EXPECT_EQ(values, (std::vector<std::int32_t>{-1, 1}));
  EXPECT_EQ(frames->min_storable(), -2048);
  EXPECT_EQ(frames->max_storable(), 2047);
}

TEST(PixelFramesTest, FrameWordsMappedByStoredValueGiveUnpack) {
  const DataSet ds = image(1, 3, 16, 12, 13, true, bytes({0xFC, 0x3F, 0x04, 0x00, 0x01, 0xC0}));
  auto frames = PixelFrames::open(ds, dcmdata::explicit_vr_little_endian());
  ASSERT_TRUE(frames) << frames.error().to_string();
  std::vector<std::byte> scratch;
  auto words = frames->frame_words(0, scratch);
  ASSERT_TRUE(words) << words.error().to_string();
  ASSERT_EQ(words->size(), 6u);
  std::vector<std::int32_t> values;
  ASSERT_TRUE(frames->unpack(0, values));
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto word = std::to_integer<std::uint32_t>((*words)[2 * i]) |
                      (std::to_integer<std::uint32_t>((*words)[2 * i + 1]) << 8);
    EXPECT_EQ(frames->stored_value(word), values[i]) << i;
  }
  EXPECT_EQ(frames->stored_value(0xC001), 0) << "bits outside Bits Stored are ignored";
  EXPECT_FALSE(frames->frame_words(1, scratch)) << "no second frame";
}

TEST(PixelFramesTest, FrameWordsRefuseBitStreams) {
  const DataSet ds = image(1, 3, 1, 1, 0, false, bytes({0b101, 0}));
  auto frames = PixelFrames::open(ds, dcmdata::explicit_vr_little_endian());
  ASSERT_TRUE(frames);
  std::vector<std::byte> scratch;
  auto words = frames->frame_words(0, scratch);
  ASSERT_FALSE(words);
  EXPECT_EQ(words.error().code(), ofstd::ErrorCode::Unsupported);
}

TEST(PixelFramesTest, UnpacksOneBitFramesThatStartInsideAByte) {
  // 3 frames of 1 x 3 pixels: bits 101 110 100 (least significant bit first).
  const DataSet base = image(1, 3, 1, 1, 0, false, bytes({0b01011101, 0b00000000}));
  DataSet ds = base;
  ASSERT_TRUE(ds.set_int(tags::NumberOfFrames, VR::IS, 3));
  auto frames = PixelFrames::open(ds, dcmdata::explicit_vr_little_endian());
  ASSERT_TRUE(frames) << frames.error().to_string();
  std::vector<std::int32_t> values;
  ASSERT_TRUE(frames->unpack(1, values));
  EXPECT_EQ(values, (std::vector<std::int32_t>{1, 1, 0}));
  ASSERT_TRUE(frames->unpack(2, values));
  EXPECT_EQ(values, (std::vector<std::int32_t>{1, 0, 0}));
  EXPECT_FALSE(frames->unpack(3, values));
}

TEST(PixelFramesTest, ExpandsNativeYbrFull422) {
  const DataSet ds = image(1, 2, 8, 8, 7, false, bytes({10, 20, 30, 40}), "YBR_FULL_422", 3);
  auto frames = PixelFrames::open(ds, dcmdata::explicit_vr_little_endian());
  ASSERT_TRUE(frames) << frames.error().to_string();
  std::vector<std::int32_t> values;
  ASSERT_TRUE(frames->unpack(0, values));
  EXPECT_EQ(values, (std::vector<std::int32_t>{10, 30, 40, 20, 30, 40}));
}

TEST(PixelFramesTest, RejectsPixelDataShorterThanOneFrame) {
  const DataSet ds = image(100, 100, 16, 16, 15, false, bytes({1, 2, 3, 4}));
  auto frames = PixelFrames::open(ds, dcmdata::explicit_vr_little_endian());
  ASSERT_FALSE(frames);
  EXPECT_EQ(frames.error().code(), ofstd::ErrorCode::MalformedData);
}

TEST(PixelFramesTest, RejectsHighBitOutsideBitsAllocated) {
  const DataSet ds = image(1, 1, 8, 8, 8, false, bytes({1, 2}));
  EXPECT_FALSE(PixelFrames::open(ds, dcmdata::explicit_vr_little_endian()));
}

TEST(PixelFramesTest, ReportsMissingPixelData) {
  DataSet ds = image(1, 1, 8, 8, 7, false, bytes({1, 2}));
  ds.erase(tags::PixelData);
  auto frames = PixelFrames::open(ds, dcmdata::explicit_vr_little_endian());
  ASSERT_FALSE(frames);
  EXPECT_EQ(frames.error().code(), ofstd::ErrorCode::NotFound);
}

TEST(PixelFramesTest, TrailingValuesIncludeExtraBytesAndThePadOfAnOddLength) {
  // A 1 x 2 image stored in 5 bytes: 3 more values, then the pad byte a reader adds.
  const DataSet ds = image(1, 2, 8, 8, 7, false, bytes({1, 2, 30, 40, 50}));
  auto frames = PixelFrames::open(ds, dcmdata::explicit_vr_little_endian());
  ASSERT_TRUE(frames);
  EXPECT_EQ(frames->element_value_count(), 6u);
  std::vector<std::int32_t> trailing;
  ASSERT_TRUE(frames->unpack_trailing(trailing));
  EXPECT_EQ(trailing, (std::vector<std::int32_t>{30, 40, 50, 0}));
  // 16-bit words: only whole words count.
  const DataSet words = image(1, 1, 16, 12, 11, false, bytes({1, 0, 0x34, 0x12}));
  auto word_frames = PixelFrames::open(words, dcmdata::explicit_vr_little_endian());
  ASSERT_TRUE(word_frames);
  ASSERT_TRUE(word_frames->unpack_trailing(trailing));
  EXPECT_EQ(trailing, (std::vector<std::int32_t>{0x234}));
}

}  // namespace
}  // namespace dcmkit::dcmimgle

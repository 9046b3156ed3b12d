// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/color.h"

#include <gtest/gtest.h>

namespace dcmkit::dcmimage {
namespace {

dcmdata::PixelDescription description(const char* photometric, std::uint32_t samples) {
  dcmdata::PixelDescription d;
  d.rows = 1;
  d.columns = 1;
  d.samples_per_pixel = samples;
  d.bits_allocated = 8;
  d.bits_stored = 8;
  d.high_bit = 7;
  d.photometric_interpretation = photometric;
  return d;
}

TEST(ColorTest, ConvertsYbrFullWithDcmtksTables) {
  auto c = ColorConverter::create({}, description("YBR_FULL", 3));
  ASSERT_TRUE(c) << c.error().to_string();
  dcmimgle::Raster<std::uint32_t> rgb;
  c->convert(std::vector<std::int32_t>{121, 66, 189}, rgb);
  EXPECT_EQ(rgb.samples, (std::vector<std::uint32_t>{207, 99, 13}));
  c->convert(std::vector<std::int32_t>{240, 132, 119}, rgb);
  EXPECT_EQ(rgb.samples, (std::vector<std::uint32_t>{229, 244, 247}));
}

TEST(ColorTest, ConvertsYbrFull422WithThePlainFormula) {
  // DCMTK truncates the whole sum here, not each term (dcm4che's YBR_422.dcm shows it).
  auto c = ColorConverter::create({}, description("YBR_FULL_422", 3));
  ASSERT_TRUE(c) << c.error().to_string();
  dcmimgle::Raster<std::uint32_t> rgb;
  c->convert(std::vector<std::int32_t>{121, 66, 189}, rgb);
  EXPECT_EQ(rgb.samples, (std::vector<std::uint32_t>{207, 98, 12}));
}

TEST(ColorTest, RejectsWrongSampleCounts) {
  auto c = ColorConverter::create({}, description("RGB", 1));
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code(), ofstd::ErrorCode::MalformedData);
  EXPECT_FALSE(ColorConverter::create({}, description("MONOCHROME2", 1)));
}

TEST(ColorTest, PaletteWithoutTablesIsAnError) {
  EXPECT_FALSE(ColorConverter::create({}, description("PALETTE COLOR", 1)));
}

}  // namespace
}  // namespace dcmkit::dcmimage

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/quantize.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

namespace dcmkit::dcmimage {
namespace {

using Pixel = std::array<std::uint8_t, 3>;

// One frame of `pixels` (count each) as interleaved RGB bytes.
std::vector<std::uint8_t> frame_of(const std::vector<std::pair<Pixel, int>>& runs) {
  std::vector<std::uint8_t> bytes;
  for (const auto& [pixel, count] : runs) {
    for (int i = 0; i < count; ++i) bytes.insert(bytes.end(), pixel.begin(), pixel.end());
  }
  return bytes;
}

std::uint32_t pixel_count(const std::vector<std::uint8_t>& frame) {
  return static_cast<std::uint32_t>(frame.size() / 3);
}

TEST(QuantizeTest, RejectsColorCountsOutsideTwoTo65536) {
  const std::vector<std::vector<std::uint8_t>> frames{frame_of({{{1, 2, 3}, 4}})};
  for (const std::uint32_t colors : {0u, 1u, 65537u}) {
    QuantizeOptions options;
    options.colors = colors;
    auto result = quantize(frames, 4, 1, options);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code(), ofstd::ErrorCode::InvalidArgument);
  }
}

TEST(QuantizeTest, RejectsMissingOrMisSizedFrames) {
  EXPECT_FALSE(quantize({}, 4, 1).has_value());
  const std::vector<std::vector<std::uint8_t>> frames{frame_of({{{1, 2, 3}, 3}})};
  auto result = quantize(frames, 4, 1);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code(), ofstd::ErrorCode::InvalidArgument);
}

TEST(QuantizeTest, KeepsTheColorsOfAnImageWithFewerColorsThanAskedFor) {
  const std::vector<std::vector<std::uint8_t>> frames{
      frame_of({{{10, 20, 30}, 2}, {{200, 100, 0}, 5}, {{0, 0, 255}, 1}})};
  auto result = quantize(frames, 8, 1);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->maxval, 255u);
  EXPECT_EQ(result->histogram_colors, 3u);
  ASSERT_EQ(result->palette.size(), 256u);
  // Boxes by pixel count, largest first; the entries beyond them are black.
  EXPECT_EQ(result->palette[0], (RgbColor{200, 100, 0}));
  EXPECT_EQ(result->palette[1], (RgbColor{10, 20, 30}));
  EXPECT_EQ(result->palette[2], (RgbColor{0, 0, 255}));
  EXPECT_EQ(result->palette[3], (RgbColor{0, 0, 0}));
  ASSERT_EQ(result->frames.size(), 1u);
  EXPECT_EQ(result->frames[0], (std::vector<std::uint16_t>{1, 1, 0, 0, 0, 0, 0, 2}));
}

// The orders below are DCMTK's dcmquant +pc 4 output for these images.
TEST(QuantizeTest, SplitsTheLargestBoxAtTheMedianOfItsWidestComponent) {
  const std::vector<std::vector<std::uint8_t>> frames{
      frame_of({{{255, 0, 0}, 8}, {{0, 255, 0}, 4}, {{0, 0, 255}, 4}})};
  QuantizeOptions options;
  options.colors = 4;
  auto result = quantize(frames, 16, 1, options);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->palette[0], (RgbColor{255, 0, 0}));
  EXPECT_EQ(result->palette[1], (RgbColor{0, 0, 255}));
  EXPECT_EQ(result->palette[2], (RgbColor{0, 255, 0}));
}

TEST(QuantizeTest, KeepsBoxesOfEqualPixelCountsInTheOrderTheyWereMade) {
  const std::vector<std::vector<std::uint8_t>> frames{
      frame_of({{{255, 0, 0}, 4}, {{0, 255, 0}, 4}, {{0, 0, 255}, 4}})};
  QuantizeOptions options;
  options.colors = 4;
  auto result = quantize(frames, 12, 1, options);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->palette[0], (RgbColor{0, 0, 255}));
  EXPECT_EQ(result->palette[1], (RgbColor{255, 0, 0}));
  EXPECT_EQ(result->palette[2], (RgbColor{0, 255, 0}));
}

TEST(QuantizeTest, RepresentsABoxByItsColorsItsPixelsOrItsCenter) {
  // Three colours into two boxes: {A, B} (split along red) and {C}.
  const std::vector<std::vector<std::uint8_t>> frames{
      frame_of({{{0, 50, 0}, 3}, {{100, 0, 0}, 1}, {{200, 0, 0}, 4}})};
  QuantizeOptions options;
  options.colors = 2;
  options.representative = RepresentativeColor::AverageColors;
  auto colors = quantize(frames, 8, 1, options);
  ASSERT_TRUE(colors.has_value());
  EXPECT_EQ(colors->palette[0], (RgbColor{50, 25, 0}));
  EXPECT_EQ(colors->palette[1], (RgbColor{200, 0, 0}));
  options.representative = RepresentativeColor::AveragePixels;
  auto pixels = quantize(frames, 8, 1, options);
  ASSERT_TRUE(pixels.has_value());
  EXPECT_EQ(pixels->palette[0], (RgbColor{25, 37, 0}));
  options.representative = RepresentativeColor::BoxCenter;
  auto center = quantize(frames, 8, 1, options);
  ASSERT_TRUE(center.has_value());
  // DCMTK's centre: the mean of the smallest value and the value of the box's last colour (the
  // last in red order has green 0), not the middle of the green range (25).
  EXPECT_EQ(center->palette[0], (RgbColor{50, 0, 0}));
}

TEST(QuantizeTest, SplitsAlongTheLargestLuminanceWeightedRangeWhenAsked) {
  // Blue spans 200, green 100: by range blue is split, by luminance (0.114 * 200 < 0.587 * 100)
  // green.
  const std::vector<std::vector<std::uint8_t>> frames{
      frame_of({{{0, 0, 0}, 1}, {{0, 100, 200}, 2}, {{0, 0, 200}, 1}})};
  QuantizeOptions options;
  options.colors = 2;
  auto by_range = quantize(frames, 4, 1, options);
  options.split = SplitDimension::Luminance;
  auto by_luminance = quantize(frames, 4, 1, options);
  ASSERT_TRUE(by_range.has_value());
  ASSERT_TRUE(by_luminance.has_value());
  // Blue split: {black, (0,100,200)} and {(0,0,200)}; green split: {black, (0,0,200)} and
  // {(0,100,200)}.
  EXPECT_EQ(by_range->palette[0], (RgbColor{0, 50, 100}));
  EXPECT_EQ(by_range->palette[1], (RgbColor{0, 0, 200}));
  EXPECT_EQ(by_luminance->palette[0], (RgbColor{0, 0, 100}));
  EXPECT_EQ(by_luminance->palette[1], (RgbColor{0, 100, 200}));
}

TEST(QuantizeTest, SearchEndsInsideAnEntrysRadiusAsDcmtksDoes) {
  // DCMTK's dcmquant +pc 3 +Cp maps (100,100,130) to entry 0 (distance 900) although entry 1 is
  // nearer (distance 841): the search stops at entry 0, which is within half the squared
  // distance between entries 0 and 1.
  const std::vector<std::vector<std::uint8_t>> frames{frame_of({{{100, 100, 100}, 3997},
                                                                {{100, 100, 160}, 2000},
                                                                {{160, 100, 160}, 1000},
                                                                {{100, 100, 130}, 1},
                                                                {{100, 100, 131}, 1},
                                                                {{120, 100, 140}, 1}})};
  QuantizeOptions options;
  options.colors = 3;
  options.representative = RepresentativeColor::AveragePixels;
  auto result = quantize(frames, pixel_count(frames[0]), 1, options);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->palette[0], (RgbColor{100, 100, 100}));
  EXPECT_EQ(result->palette[1], (RgbColor{100, 100, 159}));
  EXPECT_EQ(result->palette[2], (RgbColor{159, 100, 159}));
  const std::vector<std::uint16_t>& indices = result->frames[0];
  EXPECT_EQ(indices[6997], 0);
  EXPECT_EQ(indices[6998], 0);
  EXPECT_EQ(indices[6999], 1);
}

TEST(QuantizeTest, ScalesImagesWithMoreThan65536ColorsDown) {
  // 2 * 256 * 256 distinct colours: too many at 255, fine at 127.
  std::vector<std::uint8_t> frame;
  for (int r = 0; r < 2; ++r) {
    for (int g = 0; g < 256; ++g) {
      for (int b = 0; b < 256; ++b) {
        frame.push_back(static_cast<std::uint8_t>(r * 255));
        frame.push_back(static_cast<std::uint8_t>(g));
        frame.push_back(static_cast<std::uint8_t>(b));
      }
    }
  }
  const std::vector<std::vector<std::uint8_t>> frames{frame};
  auto result = quantize(frames, 512, 256);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->maxval, 127u);
  EXPECT_LE(result->histogram_colors, 65536u);
  for (const RgbColor& color : result->palette) {
    for (const std::uint16_t v : color) EXPECT_LE(v, 127);
  }
}

TEST(QuantizeTest, FloydSteinbergSpreadsTheErrorOverNeighbours) {
  // A red ramp quantized to two colours: without diffusion each column gets one colour; with it
  // the columns' mean red follows the ramp more closely.
  std::vector<std::uint8_t> frame;
  for (int y = 0; y < 16; ++y) {
    for (int x = 0; x < 64; ++x) {
      frame.push_back(static_cast<std::uint8_t>(x * 4));
      frame.push_back(0);
      frame.push_back(0);
    }
  }
  const std::vector<std::vector<std::uint8_t>> frames{frame};
  QuantizeOptions options;
  options.colors = 2;
  auto plain = quantize(frames, 64, 16, options);
  options.floyd_steinberg = true;
  auto dithered = quantize(frames, 64, 16, options);
  ASSERT_TRUE(plain.has_value());
  ASSERT_TRUE(dithered.has_value());
  EXPECT_EQ(plain->palette, dithered->palette);
  const auto column_error = [](const QuantizedImage& image) {
    long error = 0;
    for (int x = 0; x < 64; ++x) {
      long sum = 0;
      for (int y = 0; y < 16; ++y) {
        sum += image.palette[image.frames[0][static_cast<std::size_t>(y * 64 + x)]][0];
      }
      error += std::labs(sum / 16 - x * 4);
    }
    return error;
  };
  EXPECT_LT(column_error(*dithered), column_error(*plain) * 3 / 4);
}

TEST(QuantizeTest, UsesOnePaletteForAllFrames) {
  const std::vector<std::vector<std::uint8_t>> frames{frame_of({{{255, 0, 0}, 4}}),
                                                      frame_of({{{0, 0, 255}, 4}})};
  auto result = quantize(frames, 2, 2);
  ASSERT_TRUE(result.has_value());
  ASSERT_EQ(result->frames.size(), 2u);
  EXPECT_EQ(result->palette[result->frames[0][0]], (RgbColor{255, 0, 0}));
  EXPECT_EQ(result->palette[result->frames[1][3]], (RgbColor{0, 0, 255}));
}

TEST(QuantizeTest, ConvertsPaletteValuesToLookupTableEntriesAsDcmtk) {
  EXPECT_EQ(palette_entry_8(255, 255), 255);
  EXPECT_EQ(palette_entry_8(25, 31), 205);  // 205.6 truncated
  EXPECT_EQ(palette_entry_16(0xDA, 255), 0xDADA);
  // At a reduced scale DCMTK ORs the low byte of value * 65535 / maxval into its high byte
  // (measured: 25 at maxval 31 is written as 0xFE72).
  EXPECT_EQ(palette_entry_16(25, 31), 0xFE72);
  EXPECT_EQ(palette_entry_16(1, 31), 0x4A42);
}

}  // namespace
}  // namespace dcmkit::dcmimage

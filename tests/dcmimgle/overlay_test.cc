// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimgle/overlay.h"

#include <gtest/gtest.h>

namespace dcmkit::dcmimgle {
namespace {

// A 4-pixel plane with the overlay set on pixels 1 and 3, over output values 5, 6, 200, 250.
const Raster<std::uint8_t> kPlane{4, 1, 1, {0, 1, 0, 1}};

std::vector<std::uint32_t> draw(OverlayMode mode, double foreground = 1.0, double threshold = 0.5,
                                std::uint32_t bits = 8) {
  std::vector<std::uint32_t> out{5, 6, 200, 250};
  apply_overlay(kPlane, mode, false, foreground, threshold, bits, out);
  return out;
}

TEST(OverlayTest, ReplaceDrawsFullIntensityWhateverTheForegroundDensity) {
  EXPECT_EQ(draw(OverlayMode::Replace), (std::vector<std::uint32_t>{5, 255, 200, 255}));
  EXPECT_EQ(draw(OverlayMode::Replace, 0.3), (std::vector<std::uint32_t>{5, 255, 200, 255}));
}

TEST(OverlayTest, ThresholdReplaceUsesForegroundForDarkPixelsAndOneForBright) {
  EXPECT_EQ(draw(OverlayMode::ThresholdReplace, 0.3), (std::vector<std::uint32_t>{5, 76, 200, 1}));
}

TEST(OverlayTest, ComplementThresholdIsHalfTheOutputBits) {
  // 8 bits: values up to 15 become white, the rest black.
  EXPECT_EQ(draw(OverlayMode::Complement), (std::vector<std::uint32_t>{5, 255, 200, 0}));
}

TEST(OverlayTest, InvertBitmapPaintsThePixelsOutsideTheOverlay) {
  EXPECT_EQ(draw(OverlayMode::InvertBitmap, 0.3), (std::vector<std::uint32_t>{76, 6, 76, 250}));
}

TEST(OverlayTest, RegionOfInterestDimsTheOutsideByHalfTheBits) {
  EXPECT_EQ(draw(OverlayMode::RegionOfInterest), (std::vector<std::uint32_t>{0, 6, 12, 250}));
  std::vector<std::uint32_t> out{5, 6, 200, 250};
  apply_overlay(kPlane, OverlayMode::Default, true, 1.0, 0.5, 8, out);
  EXPECT_EQ(out, (std::vector<std::uint32_t>{0, 6, 12, 250}));
}

}  // namespace
}  // namespace dcmkit::dcmimgle

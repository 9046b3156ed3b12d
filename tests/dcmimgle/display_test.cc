// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimgle/display.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "dcmkit/dcmimgle/mono.h"

namespace dcmkit::dcmimgle {
namespace {

TEST(DisplayTest, GsdfLuminanceAndJndIndexFollowPs314) {
  // PS3.14 Table B-1: JND 1 is 0.0500 cd/m², JND 1023 is 3993.4 cd/m².
  EXPECT_NEAR(gsdf_luminance(1), 0.0500, 0.0001);
  EXPECT_NEAR(gsdf_luminance(1023), 3993.4, 0.5);
  for (const double j : {1.0, 10.0, 100.0, 500.0, 1000.0}) {
    EXPECT_NEAR(gsdf_jnd_index(gsdf_luminance(j)), j, 0.5) << j;
  }
}

TEST(DisplayTest, FilmLuminanceIsAmbientPlusTransmittedLight) {
  const FilmParameters film;
  EXPECT_DOUBLE_EQ(film_luminance(film, 0.0), 2010.0);
  EXPECT_NEAR(film_luminance(film, 3.0), 12.0, 1e-9);
}

TEST(DisplayTest, LinOdLutIsDcmtksTable) {
  // Entries of DCMTK 3.6.7's LIN OD table, read from `dcm2pnm +opw +Pod` of a 12-bit ramp.
  const std::vector<std::uint16_t> lut = lin_od_lut();
  ASSERT_EQ(lut.size(), 4096u);
  const std::pair<std::size_t, std::uint16_t> expected[] = {
      {0, 65535},    {1, 65509},   {2, 65484},  {100, 62990}, {1000, 40851},
      {2047, 18926}, {3000, 6007}, {4000, 262}, {4094, 2},    {4095, 0}};
  for (const auto& [index, value] : expected) EXPECT_EQ(lut[index], value) << index;
  for (std::size_t i = 1; i < lut.size(); ++i) ASSERT_LE(lut[i], lut[i - 1]) << i;
}

TEST(DisplayTest, PresentationLutScalesToTheOutputBitsAndInvertsAsDcmtk) {
  const std::vector<std::uint16_t> lut = lin_od_lut();
  // An 8-bit ramp without window: value x indexes entry 16 x.
  std::vector<std::int32_t> values(256);
  for (std::int32_t i = 0; i < 256; ++i) values[static_cast<std::size_t>(i)] = i;
  std::vector<std::uint32_t> out;
  render_mono(values, {0, 255}, VoiSetting::none(), {16, false, false, &lut}, out);
  EXPECT_EQ(out[1], lut[16]);
  EXPECT_EQ(out[255], lut[4080]);
  render_mono(values, {0, 255}, VoiSetting::none(), {8, false, false, &lut}, out);
  EXPECT_EQ(out[1], lut[16] >> 8u);
  // Reversed polarity: max - v (max - 1) / 65536, truncated (measured: 1, 409, ... for 16 bits).
  render_mono(values, {0, 255}, VoiSetting::none(), {16, true, false, &lut}, out);
  EXPECT_EQ(out[0], 1u);
  EXPECT_EQ(out[1], 409u);
  // With a window, entries are rescaled to the output range (measured: 255 253 251 250 for
  // +Wm of an 8-bit ramp, 8-bit output).
  const VoiSetting window = VoiSetting::from_window({128, 256, VoiFunction::Linear});
  render_mono(values, {0, 255}, window, {8, false, false, &lut}, out);
  EXPECT_EQ(out[0], 255u);
  EXPECT_EQ(out[1], 253u);
  EXPECT_EQ(out[3], 250u);
  render_mono(values, {0, 255}, window, {8, true, false, &lut}, out);
  EXPECT_EQ(out[1], 1u);
  EXPECT_EQ(out[2], 3u);
  std::vector<std::uint32_t> floats;
  const std::vector<double> real{0.0, 1.0, 255.0};
  render_mono_float(real, {0, 255}, VoiSetting::none(), {16, false, false, &lut}, floats);
  EXPECT_EQ(floats, (std::vector<std::uint32_t>{lut[0], lut[16], lut[4080]}));
}

TEST(DisplayTest, DegenerateFilmGivesAFlatTable) {
  FilmParameters film;
  film.max_density = film.min_density;
  const std::vector<std::uint16_t> lut = lin_od_lut(film, 16);
  ASSERT_EQ(lut.size(), 16u);
  for (const std::uint16_t v : lut) EXPECT_EQ(v, 0u);
  EXPECT_EQ(lin_od_lut(film, 0).size(), 2u);
}

}  // namespace
}  // namespace dcmkit::dcmimgle

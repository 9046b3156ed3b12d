// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimgle/display.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iterator>
#include <string>
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

TEST(DisplayTest, CharacteristicFileIsParsed) {
  auto c = Characteristic::parse(
      "# monitor\n  max 255\n  amb\t1.5\n  ord 0 # spline\n0 0.5\n128 40\n255 100\n");
  ASSERT_TRUE(c) << c.error().message();
  EXPECT_EQ(c->max_ddl, 255u);
  EXPECT_EQ(c->ambient, 1.5);
  EXPECT_FALSE(c->illumination);
  ASSERT_EQ(c->points.size(), 3u);
  EXPECT_EQ(c->points[1].first, 128u);
  EXPECT_DOUBLE_EQ(c->points[1].second, 40.0);
  // Entries past max are skipped with a warning; a trailing word ends the file.
  c = Characteristic::parse("max 255\n0 1\n300 5\n255 100\nfoo\n");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->points.size(), 2u);
  EXPECT_EQ(c->warnings.size(), 2u);
}

TEST(DisplayTest, BrokenCharacteristicFilesAreErrorsNotCrashes) {
  for (const char* text : {"", "max", "max 0\n0 1\n1 2", "max abc\n0 1\n", "max 70000\n0 1\n",
                           "0 1\n255 100\n", "max 255\n", "max 255\n0 1\n",
                           "max 255\n0 1\n100 abc\n", "max 255\nmax 255\n0 1\n255 2\n"}) {
    EXPECT_FALSE(Characteristic::parse(text)) << text;
  }
  // Random mutations of a valid file: parse and build without crashing.
  const std::string valid = "max 255\namb 1\nlum 2000\nord 3\n0 3.0\n64 2.0\n128 1.0\n255 0.2\n";
  std::uint32_t seed = 12345;
  const auto next = [&] { return seed = seed * 1103515245u + 12345u; };
  const char alphabet[] = " \n#-.0123456789eamxlurdo";
  for (int round = 0; round < 2000; ++round) {
    std::string text = valid;
    for (int k = 0; k < 4; ++k) {
      const std::size_t at = (next() >> 8) % text.size();
      text[at] = alphabet[(next() >> 8) % (sizeof alphabet - 1)];
    }
    auto c = Characteristic::parse(text);
    if (!c) continue;
    for (const DeviceType type : {DeviceType::Monitor, DeviceType::Printer}) {
      for (const CalibrationFunction f : {CalibrationFunction::Gsdf, CalibrationFunction::Cielab}) {
        auto lut = display_lut(*c, {type, f, {}, {}, {}, {}}, 256);
        if (lut) {
          ASSERT_EQ(lut->size(), 256u);
          for (const std::uint16_t ddl : *lut) ASSERT_LE(ddl, c->max_ddl);
        }
      }
    }
  }
}

TEST(DisplayTest, GsdfLutOfAMonitorIsDcmtks) {
  // A linear monitor from 1 to 256 cd/m² in 256 DDLs: entries rise from DDL 0 to DDL 255, and
  // with 256 entries the first and last map to the ends.
  std::string text = "max 255\n";
  for (int i = 0; i <= 255; ++i) text += std::to_string(i) + " " + std::to_string(i + 1) + "\n";
  auto c = Characteristic::parse(text);
  ASSERT_TRUE(c);
  for (const CalibrationFunction f : {CalibrationFunction::Gsdf, CalibrationFunction::Cielab}) {
    auto lut = display_lut(*c, {DeviceType::Monitor, f, {}, {}, {}, {}}, 256);
    ASSERT_TRUE(lut) << lut.error().message();
    EXPECT_EQ(lut->front(), 0u);
    EXPECT_EQ(lut->back(), 255u);
    for (std::size_t i = 1; i < lut->size(); ++i) ASSERT_GE((*lut)[i], (*lut)[i - 1]);
  }
  EXPECT_TRUE(display_fits(255, 8));
  EXPECT_FALSE(display_fits(255, 16));
  EXPECT_FALSE(display_fits(200, 8));
  // A flat curve has no JND range.
  c = Characteristic::parse("max 255\n0 5\n255 5\n");
  ASSERT_TRUE(c);
  EXPECT_FALSE(display_lut(*c, {}, 256));
  // A printer without illumination or ambient light emits nothing.
  c = Characteristic::parse("max 255\n0 3\n255 0.2\n");
  ASSERT_TRUE(c);
  EXPECT_FALSE(check_characteristic(*c, DeviceType::Printer));
  EXPECT_TRUE(check_characteristic(*c, DeviceType::Monitor));
}

TEST(DisplayTest, InstalledCharacteristicFilesGiveDcmtksTables) {
  // Entries of DCMTK 3.6.7's tables, read from dcm2pnm +Dm/+Dp renderings of a 16-bit ramp.
  auto monitor = read_characteristic("/usr/share/dcmtk/monitor.lut");
  if (!monitor) GTEST_SKIP() << "DCMTK's monitor.lut is not installed";
  auto lut = display_lut(*monitor, {}, 256);
  ASSERT_TRUE(lut);
  const std::uint16_t expected[] = {0, 3, 6, 9, 11, 13, 14, 16, 17, 18, 20};
  for (std::size_t i = 0; i < std::size(expected); ++i) EXPECT_EQ((*lut)[i], expected[i]) << i;
  lut = display_lut(*monitor, {}, 65536);
  ASSERT_TRUE(lut);
  EXPECT_EQ((*lut)[39], 0u);
  EXPECT_EQ((*lut)[40], 1u);
  EXPECT_EQ((*lut)[117], 2u);
}

}  // namespace
}  // namespace dcmkit::dcmimgle

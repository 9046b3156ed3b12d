// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimgle/geometry.h"

#include <gtest/gtest.h>

namespace dcmkit::dcmimgle {
namespace {

Raster<int> row(std::vector<int> values) {
  Raster<int> r;
  r.width = static_cast<std::uint32_t>(values.size());
  r.height = 1;
  r.samples = std::move(values);
  return r;
}

TEST(GeometryTest, RotatesClockwise) {
  Raster<int> r{2, 1, 1, {1, 2}};
  const Raster<int> turned = rotate(r, 90);
  EXPECT_EQ(turned.width, 1u);
  EXPECT_EQ(turned.height, 2u);
  EXPECT_EQ(turned.samples, (std::vector<int>{1, 2}));
  EXPECT_EQ(rotate(r, 270).samples, (std::vector<int>{2, 1}));
  EXPECT_EQ(rotate(r, 180).samples, (std::vector<int>{2, 1}));
}

TEST(GeometryTest, FlipsAndClips) {
  Raster<int> r{3, 2, 1, {1, 2, 3, 4, 5, 6}};
  flip(r, true, false);
  EXPECT_EQ(r.samples, (std::vector<int>{3, 2, 1, 6, 5, 4}));
  flip(r, false, true);
  EXPECT_EQ(r.samples, (std::vector<int>{6, 5, 4, 3, 2, 1}));
  const Raster<int> c = clip(r, 1, 1, 2, 1);
  EXPECT_EQ(c.width, 2u);
  EXPECT_EQ(c.samples, (std::vector<int>{2, 1}));
  // DCMTK keeps the requested size and fills what lies outside the image.
  const Raster<int> wide = clip(r, 1, 1, 3, 2, -7);
  EXPECT_EQ(wide.width, 3u);
  EXPECT_EQ(wide.height, 2u);
  EXPECT_EQ(wide.samples, (std::vector<int>{2, 1, -7, -7, -7, -7}));
  EXPECT_EQ(clip(r, 9, 0, 2, 1, 5).samples, (std::vector<int>{5, 5}));
}

TEST(GeometryTest, NearestNeighbourSpreadsTheRemainderEvenly) {
  // 5 -> 37: groups of 7, 8, 7, 8, 7 as DCMTK makes them.
  const Raster<int> out = scale(row({0, 1, 2, 3, 4}), 37, 1, Interpolation::None, 0, 4);
  std::vector<int> counts(5);
  for (int v : out.samples) ++counts[static_cast<std::size_t>(v)];
  EXPECT_EQ(counts, (std::vector<int>{7, 8, 7, 8, 7}));
  // 13 -> 5 keeps columns 0, 3, 5, 8, 10.
  const Raster<int> small =
      scale(row({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}), 5, 1, Interpolation::None, 0, 12);
  EXPECT_EQ(small.samples, (std::vector<int>{0, 3, 5, 8, 10}));
}

TEST(GeometryTest, PbmplusAveragesAreas) {
  const Raster<int> out =
      scale(row({0, 1000, 2000, 3000, 4000}), 8, 1, Interpolation::Pbmplus, 0, 4000);
  EXPECT_EQ(out.samples, (std::vector<int>{0, 400, 1000, 1800, 2200, 3000, 3601, 4000}));
}

// A 5 x 4 image of 8-bit values and what DCMTK 3.6.7's dcmscale made of it (+Sxv 7 / +Sxf 2 /
// +Sxv 3 -a with +i 1..4, Pixel Data of the output read back): the expected values below are
// that output, pasted.
Raster<int> sample_image() {
  return Raster<int>{5, 4, 1, {68,  32,  130, 60,  253,  // row 0
                               230, 241, 194, 107, 48,   // row 1
                               249, 14,  199, 221, 1,    // row 2
                               228, 136, 117, 52,  162}};
}

TEST(GeometryTest, CtAreaInterpolationEnlarges) {
  const Raster<int> out = scale(sample_image(), 7, 5, Interpolation::Ct, 0, 255);
  EXPECT_EQ(out.samples, (std::vector<int>{68,  46,  52,  130, 74,  137, 253,  //
                                           190, 189, 187, 178, 112, 97,  99,   //
                                           240, 172, 141, 197, 171, 108, 25,   //
                                           244, 124, 71,  179, 179, 124, 41,   //
                                           228, 173, 132, 117, 65,  96,  162}));
  // Whole factors replicate pixels.
  const Raster<int> twice = scale(sample_image(), 10, 8, Interpolation::Ct, 0, 255);
  EXPECT_EQ(twice.at(2, 0), 32);
  EXPECT_EQ(twice.at(3, 1), 32);
  EXPECT_EQ(twice.at(9, 7), 162);
}

TEST(GeometryTest, CtAreaInterpolationReduces) {
  // +i 2, 3 and 4 all reduce this way (pnmscale, +i 1, gives 104 for the last pixel).
  for (const Interpolation i :
       {Interpolation::Ct, Interpolation::Bilinear, Interpolation::Bicubic}) {
    const Raster<int> out = scale(sample_image(), 3, 2, i, 0, 255);
    EXPECT_EQ(out.samples, (std::vector<int>{144, 141, 124, 173, 137, 103}));
  }
  EXPECT_EQ(scale(sample_image(), 3, 2, Interpolation::Pbmplus, 0, 255).samples.back(), 104);
}

TEST(GeometryTest, BilinearEnlargesWithDcmtksEdges) {
  // DCMTK copies the first output of each source interval, and the last column shows the
  // second last source column.
  const Raster<int> out = scale(sample_image(), 10, 8, Interpolation::Bilinear, 0, 255);
  EXPECT_EQ(out.samples, (std::vector<int>{68,  50,  32,  81,  130, 95,  60,  156, 253, 60,   //
                                           149, 142, 136, 149, 162, 122, 83,  116, 150, 83,   //
                                           230, 235, 241, 217, 194, 150, 107, 77,  48,  107,  //
                                           239, 183, 127, 161, 196, 180, 164, 94,  24,  164,  //
                                           249, 131, 14,  106, 199, 210, 221, 111, 1,   221,  //
                                           238, 156, 75,  116, 158, 147, 136, 109, 81,  136,  //
                                           228, 182, 136, 126, 117, 84,  52,  107, 162, 52,   //
                                           228, 182, 136, 126, 117, 84,  52,  107, 162, 52}));
  const Raster<int> seven = scale(sample_image(), 7, 5, Interpolation::Bilinear, 0, 255);
  EXPECT_EQ(seven.samples, (std::vector<int>{68,  42,  32,  130, 70,  60,  60,   //
                                             197, 198, 199, 181, 109, 97,  97,   //
                                             230, 237, 241, 194, 119, 107, 107,  //
                                             249, 81,  14,  199, 217, 221, 221,  //
                                             228, 162, 136, 117, 61,  52,  52}));
}

TEST(GeometryTest, BicubicEnlargesWithDcmtksEdges) {
  const Raster<int> out = scale(sample_image(), 10, 8, Interpolation::Bicubic, 0, 255);
  EXPECT_EQ(out.samples, (std::vector<int>{68,  50,  32,  83,  130, 89,  60,  156, 253, 253,  //
                                           149, 142, 136, 153, 162, 120, 83,  116, 150, 150,  //
                                           230, 235, 241, 223, 194, 151, 107, 77,  48,  48,   //
                                           250, 191, 132, 163, 205, 206, 177, 89,  1,   1,    //
                                           249, 131, 14,  90,  199, 235, 221, 111, 1,   1,    //
                                           228, 182, 136, 124, 117, 76,  52,  107, 162, 162,  //
                                           228, 182, 136, 124, 117, 76,  52,  107, 162, 162,  //
                                           228, 182, 136, 124, 117, 76,  52,  107, 162, 162}));
  // Overshoot is clamped to [lo, hi] (the 0 below).
  const Raster<int> seven = scale(sample_image(), 7, 5, Interpolation::Bicubic, 0, 255);
  EXPECT_EQ(seven.samples, (std::vector<int>{68,  42,  73,  130, 57,  60,  253,  //
                                             197, 198, 196, 181, 105, 97,  89,   //
                                             251, 143, 133, 206, 204, 192, 0,    //
                                             228, 162, 125, 117, 52,  52,  162,  //
                                             228, 162, 125, 117, 52,  52,  162}));
}

TEST(GeometryTest, InterpolationFallsBackAsDcmtk) {
  // One axis grows, the other shrinks: pnmscale for +i 2..4.
  const Raster<int> pbm = scale(sample_image(), 8, 3, Interpolation::Pbmplus, 0, 255);
  for (const Interpolation i :
       {Interpolation::Ct, Interpolation::Bilinear, Interpolation::Bicubic}) {
    EXPECT_EQ(scale(sample_image(), 8, 3, i, 0, 255).samples, pbm.samples);
  }
  // Bicubic needs 3 source rows, bilinear 2: below that the next algorithm applies.
  const Raster<int> two{3, 2, 1, {0, 90, 30, 60, 0, 200}};
  EXPECT_EQ(scale(two, 7, 4, Interpolation::Bicubic, 0, 255).samples,
            scale(two, 7, 4, Interpolation::Bilinear, 0, 255).samples);
  const Raster<int> one = row({0, 90, 30});
  EXPECT_EQ(scale(one, 7, 2, Interpolation::Bilinear, 0, 255).samples,
            scale(one, 7, 2, Interpolation::Ct, 0, 255).samples);
}

TEST(GeometryTest, InterpolatesEachChannel) {
  Raster<int> rgb{5, 4, 3, {}};
  const Raster<int> grey = sample_image();
  for (int v : grey.samples) {
    rgb.samples.insert(rgb.samples.end(), {v, 255 - v, v / 2});
  }
  const Raster<int> out = scale(rgb, 7, 5, Interpolation::Bicubic, 0, 255);
  const Raster<int> expected = scale(grey, 7, 5, Interpolation::Bicubic, 0, 255);
  for (std::uint32_t y = 0; y < 5; ++y) {
    for (std::uint32_t x = 0; x < 7; ++x) EXPECT_EQ(out.at(x, y, 0), expected.at(x, y));
  }
}

// DCMTK 3.6.7's dcmscale +i 4 +Sxv 9 of a 5 x 4 image of 16-bit values with Rescale Slope 4: the
// 18-bit unsigned values are kept as 32-bit unsigned integers, and a falling step in the linear
// parts (the first source interval) wraps to about 2^32; cubic values built on such a step are
// clamped to 2^18 - 1, as are the copies at the start of later intervals, but not the linear
// values, nor the copy at the position exactly 1.0, nor copies of the last row.
TEST(GeometryTest, BicubicOfUnsigned32BitValuesWrapsAsDcmtk) {
  Raster<std::int32_t> image{5, 4, 1, {124040, 134168, 197960, 249156, 9136,   //
                                       37788,  215728, 248680, 65332,  81744,  //
                                       227808, 110972, 71608,  216976, 67368,  //
                                       107268, 168772, 144072, 22476,  7224}};
  const Raster<std::int32_t> out = scale(image, 9, 7, Interpolation::Bicubic, 0, 262143, 18);
  const std::vector<std::uint32_t> dcmtk = {
      124040,      129666, 138969, 175641, 197960, 257595,      249156,      249156,      9136,   //
      2454341779u, 133652, 189238, 223325, 226942, 2454432739u, 2454411140u, 2454411140u,         //
      50626,                                                                                      //
      53151,       262143, 218593, 243716, 233155, 100058,      72418,       72418,       84655,  //
      188097,      262143, 129968, 109918, 110653, 182485,      189097,      189097,      77347,  //
      227808,      262143, 102183, 68176,  71608,  200951,      216976,      216976,      67368,  //
      107268,      141436, 170343, 162675, 144072, 44210,       22476,       22476,       7224,   //
      107268,      141436, 170343, 162675, 144072, 44210,       22476,       22476,       7224};
  ASSERT_EQ(out.samples.size(), dcmtk.size());
  for (std::size_t i = 0; i < dcmtk.size(); ++i) {
    EXPECT_EQ(static_cast<std::uint32_t>(out.samples[i]), dcmtk[i]) << i;
  }
  // Values that fit 16 bits are kept as 16-bit integers: no wrap, overshoot clamped to 65535.
  Raster<std::int32_t> narrow = image;
  for (std::int32_t& v : narrow.samples) v /= 4;
  for (const std::int32_t v : scale(narrow, 9, 7, Interpolation::Bicubic, 0, 262143).samples) {
    EXPECT_GE(v, 0);
    EXPECT_LE(v, 65535);
  }
}

// The clamp range of bicubic overshoot: the bits of the possible range, within the type of the
// actual values; unsigned actual values in a signed possible range [lo, hi] use [0, hi - lo].
TEST(GeometryTest, BicubicClampsToTheTypeOfTheActualValues) {
  const std::vector<int> step = {0, 0, 0, 250, 250, 250};
  Raster<int> image{6, 3, 1, {}};
  for (int y = 0; y < 3; ++y) image.samples.insert(image.samples.end(), step.begin(), step.end());
  const auto extremes = [](const Raster<int>& r) {
    return std::make_pair(*std::min_element(r.samples.begin(), r.samples.end()),
                          *std::max_element(r.samples.begin(), r.samples.end()));
  };
  // 8-bit unsigned values: [0, 255] even where the possible range is wider.
  EXPECT_EQ(extremes(scale(image, 17, 9, Interpolation::Bicubic, -1024, 1023)),
            std::make_pair(0, 255));
  // Without clamping, the overshoot goes below 0 and above 255.
  Raster<int> shifted = image;
  for (int& v : shifted.samples) v -= 1000;
  const auto [low, high] = extremes(scale(shifted, 17, 9, Interpolation::Bicubic, -1024, 1023));
  EXPECT_LT(low, -1000);
  EXPECT_GT(high, -750);
  // Signed 16-bit values in a 17-bit range are clamped to 32767.
  Raster<int> wide = image;
  for (int& v : wide.samples) v = v * 200 - 20000;
  EXPECT_EQ(extremes(scale(wide, 17, 9, Interpolation::Bicubic, -65536, 65535)).second, 32767);
}

// DCMTK chooses the bicubic value type over all frames it holds: a frame of small values in an
// image whose other frame is wider than 16 bits is scaled in unsigned 32 bits, so its falling
// steps wrap (dcmscale +i 4 +Sxv 9 of a 4 x 4 x 2 image with Rescale Slope 2, measured).
TEST(GeometryTest, BicubicValueTypeComesFromTheRangeOfAllFrames) {
  const Raster<std::int32_t> small{4,
                                   4,
                                   1,
                                   {200, 0, 200, 0, 0, 200, 0, 200,  //
                                    200, 100, 0, 200, 0, 0, 200, 200}};
  const Raster<std::int32_t> alone = scale(small, 9, 9, Interpolation::Bicubic, 0, 131071, 8);
  for (const std::int32_t v : alone.samples) EXPECT_LE(v, 255);  // 8-bit type: clamped
  const Raster<std::int32_t> with_others =
      scale(small, 9, 9, Interpolation::Bicubic, 0, 131071, 17, ValueRange{0, 70000});
  const std::vector<std::uint32_t> dcmtk_first_rows = {
      200,        1908874464, 3817748729, 51, 174,        200,        2863311597, 0,  0,  //
      1908874464, 2969360206, 4029845948, 94, 1908874461, 1908874464, 3499603077, 88, 88};
  for (std::size_t i = 0; i < dcmtk_first_rows.size(); ++i) {
    EXPECT_EQ(static_cast<std::uint32_t>(with_others.samples[i]), dcmtk_first_rows[i]) << i;
  }
  // The same on unsigned samples (how the renderer holds values from 2^31).
  Raster<std::uint32_t> unsigned_small{4, 4, 1, {}};
  unsigned_small.samples.assign(small.samples.begin(), small.samples.end());
  const Raster<std::uint32_t> unsigned_out =
      scale(unsigned_small, 9, 9, Interpolation::Bicubic, 0, 131071, 17, ValueRange{0, 70000});
  for (std::size_t i = 0; i < dcmtk_first_rows.size(); ++i) {
    EXPECT_EQ(unsigned_out.samples[i], dcmtk_first_rows[i]) << i;
  }
  EXPECT_EQ(sample_range(Raster<std::int32_t>{2, 1, 1, {-1, 5}}, 0).max, 4294967295);
  EXPECT_EQ(sample_range(Raster<std::int32_t>{2, 1, 1, {-1, 5}}, -8).min, -1);
}

TEST(GeometryTest, BitsLimitsAsDcmtkCountsBits) {
  EXPECT_EQ(bits_limits(0, 255).hi, 255);
  EXPECT_EQ(bits_limits(0, 1000).hi, 1023);
  EXPECT_EQ(bits_limits(-2048, 2047).lo, -2048);
  EXPECT_EQ(bits_limits(-2048, 2047).hi, 2047);
  EXPECT_EQ(bits_limits(-1024, 3071).lo, -4096);
  EXPECT_EQ(bits_limits(-1024, 3071).hi, 4095);
}

}  // namespace
}  // namespace dcmkit::dcmimgle

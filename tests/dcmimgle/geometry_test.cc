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

}  // namespace
}  // namespace dcmkit::dcmimgle

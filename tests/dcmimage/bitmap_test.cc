// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/bitmap.h"

#include <gtest/gtest.h>

namespace dcmkit::dcmimage {
namespace {

Bitmap gray() {
  Bitmap b;
  b.width = 2;
  b.height = 1;
  b.samples = {0, 255};
  return b;
}

TEST(BitmapTest, WritesPnmAsDcmtkDoes) {
  std::string out;
  ASSERT_TRUE(write_bitmap(gray(), {.format = BitmapFormat::PnmAscii}, out));
  EXPECT_EQ(out, "P2\n2 1\n255\n0 255 ");
  ASSERT_TRUE(write_bitmap(gray(), {.format = BitmapFormat::PnmRaw}, out));
  EXPECT_EQ(out, std::string("P5\n2 1\n255\n\0\xFF", 13));
}

TEST(BitmapTest, WritesPngBmpAndTiff) {
  std::string out;
  ASSERT_TRUE(write_bitmap(gray(), {.format = BitmapFormat::Png}, out));
  EXPECT_EQ(out.substr(1, 3), "PNG");
  ASSERT_TRUE(write_bitmap(gray(), {.format = BitmapFormat::Bmp}, out));
  EXPECT_EQ(out.substr(0, 2), "BM");
  EXPECT_EQ(out.size(), 14u + 40 + 1024 + 4);
  ASSERT_TRUE(write_bitmap(gray(), {.format = BitmapFormat::Tiff}, out));
  EXPECT_EQ(out.substr(0, 2), "II");
}

TEST(BitmapTest, RejectsPaletteBmpOfColourImages) {
  Bitmap b = gray();
  b.channels = 3;
  b.width = 1;
  b.samples = {1, 2, 3};
  std::string out;
  EXPECT_FALSE(write_bitmap(b, {.format = BitmapFormat::Bmp8}, out));
}

}  // namespace
}  // namespace dcmkit::dcmimage

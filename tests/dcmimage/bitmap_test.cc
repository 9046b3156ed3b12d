// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/bitmap.h"

#include <gtest/gtest.h>
// clang-format off
#include <cstdio>  // libjpeg's header needs FILE first
#include <jpeglib.h>
// clang-format on

#include <cstdlib>
#include <vector>

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

// A smooth 32x16 image (grey or colour) whose JPEG round trip stays close to it.
Bitmap gradient(std::uint32_t channels) {
  Bitmap b;
  b.width = 32;
  b.height = 16;
  b.channels = channels;
  for (std::uint32_t y = 0; y < b.height; ++y) {
    for (std::uint32_t x = 0; x < b.width; ++x) {
      for (std::uint32_t c = 0; c < channels; ++c)
        b.samples.push_back((x * 6 + y * 3 + c * 40) % 256);
    }
  }
  return b;
}

struct Decoded {
  int width = 0;
  int height = 0;
  int components = 0;
  int h_luma = 0;
  int v_luma = 0;
  bool jfif = false;
  std::vector<std::uint8_t> samples;
};

Decoded decode(const std::string& jpeg) {
  jpeg_decompress_struct cinfo;
  jpeg_error_mgr error;
  cinfo.err = jpeg_std_error(&error);
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(jpeg.data()),  // NOLINT
               static_cast<unsigned long>(jpeg.size()));
  jpeg_read_header(&cinfo, TRUE);
  Decoded d;
  d.jfif = cinfo.saw_JFIF_marker != 0;
  d.h_luma = cinfo.comp_info[0].h_samp_factor;
  d.v_luma = cinfo.comp_info[0].v_samp_factor;
  jpeg_start_decompress(&cinfo);
  d.width = static_cast<int>(cinfo.output_width);
  d.height = static_cast<int>(cinfo.output_height);
  d.components = cinfo.output_components;
  const std::size_t stride =
      static_cast<std::size_t>(cinfo.output_width) * static_cast<std::size_t>(d.components);
  d.samples.resize(stride * cinfo.output_height);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = d.samples.data() + stride * cinfo.output_scanline;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return d;
}

TEST(BitmapTest, WritesBaselineJpegWithJfif) {
  for (const std::uint32_t channels : {1U, 3U}) {
    const Bitmap b = gradient(channels);
    std::string out;
    ASSERT_TRUE(write_bitmap(b, {.format = BitmapFormat::Jpeg}, out));
    ASSERT_GE(out.size(), 4U);
    EXPECT_EQ(out.substr(0, 2), "\xFF\xD8");
    EXPECT_EQ(out.substr(out.size() - 2), "\xFF\xD9");
    const Decoded d = decode(out);
    EXPECT_TRUE(d.jfif);
    EXPECT_EQ(d.width, 32);
    EXPECT_EQ(d.height, 16);
    ASSERT_EQ(d.components, static_cast<int>(channels));
    if (channels == 3) {
      EXPECT_EQ(d.h_luma, 2) << "4:2:2 by default, as dcmj2pnm";
      EXPECT_EQ(d.v_luma, 1);
    }
    long long error = 0;
    for (std::size_t i = 0; i < d.samples.size(); ++i) {
      error += std::abs(static_cast<int>(d.samples[i]) - static_cast<int>(b.samples[i]));
    }
    EXPECT_LT(static_cast<double>(error) / static_cast<double>(d.samples.size()), 6.0)
        << channels << " channels";
  }
}

TEST(BitmapTest, JpegQualityAndSamplingAreApplied) {
  const Bitmap b = gradient(3);
  std::string best;
  std::string worst;
  ASSERT_TRUE(write_bitmap(b, {.format = BitmapFormat::Jpeg, .jpeg_quality = 100}, best));
  ASSERT_TRUE(write_bitmap(b, {.format = BitmapFormat::Jpeg, .jpeg_quality = 10}, worst));
  EXPECT_LT(worst.size(), best.size());
  std::string full;
  ASSERT_TRUE(
      write_bitmap(b, {.format = BitmapFormat::Jpeg, .jpeg_sampling = JpegSampling::S444}, full));
  EXPECT_EQ(decode(full).h_luma, 1);
  std::string quarter;
  ASSERT_TRUE(write_bitmap(b, {.format = BitmapFormat::Jpeg, .jpeg_sampling = JpegSampling::S411},
                           quarter));
  EXPECT_EQ(decode(quarter).h_luma, 2);
  EXPECT_EQ(decode(quarter).v_luma, 2);
  Bitmap wide = gradient(1);
  wide.bits = 16;
  std::string out;
  EXPECT_FALSE(write_bitmap(wide, {.format = BitmapFormat::Jpeg}, out));
  EXPECT_EQ(bitmap_extension(BitmapFormat::Jpeg, 3), "jpg");
}

}  // namespace
}  // namespace dcmkit::dcmimage

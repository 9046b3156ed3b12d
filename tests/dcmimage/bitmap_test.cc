// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/bitmap.h"

#include <gtest/gtest.h>
#include <png.h>
// clang-format off
#include <cstdio>  // libjpeg's header needs FILE first
#include <jpeglib.h>
// clang-format on

#include <csetjmp>
#include <cstdlib>
#include <random>
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

// The PNG of `b` as libpng writes it when left to itself: whole rows through
// png_set_interlace_handling and png_write_image, each row's filter chosen by libpng (as DCMTK
// writes its PNGs). The tEXt chunks are dcmkit's.
void reference_append(png_structp png, png_bytep data, png_size_t length) {
  static_cast<std::string*>(png_get_io_ptr(png))
      ->append(reinterpret_cast<const char*>(data), length);  // NOLINT
}
void reference_flush(png_structp /*png*/) {}

bool reference_encode(std::string* out, png_bytepp rows, const Bitmap& b, bool interlace) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) {  // NOLINT: libpng's error protocol
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_set_write_fn(png, out, reference_append, reference_flush);
  png_set_IHDR(png, info, b.width, b.height, b.bits > 8 ? 16 : 8,
               b.channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY,
               interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  static char title_key[] = "Title";
  static char title[] = "Converted DICOM Image";
  static char software_key[] = "Software";
  static char software[] = "dcmkit";
  png_text texts[2] = {};
  texts[0].compression = PNG_TEXT_COMPRESSION_NONE;
  texts[0].key = title_key;
  texts[0].text = title;
  texts[1].compression = PNG_TEXT_COMPRESSION_NONE;
  texts[1].key = software_key;
  texts[1].text = software;
  png_set_text(png, info, texts, 2);
  png_write_info(png, info);
  png_write_image(png, rows);
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return true;
}

std::string reference_png(const Bitmap& b, bool interlace) {
  const std::size_t bytes = b.bits > 8 ? 2 : 1;
  const std::size_t row_bytes = std::size_t{b.width} * b.channels * bytes;
  std::vector<png_byte> pixels(row_bytes * b.height);
  for (std::size_t i = 0; i < b.samples.size(); ++i) {
    if (bytes == 1) {
      pixels[i] = static_cast<png_byte>(b.samples[i]);
    } else {
      pixels[2 * i] = static_cast<png_byte>(b.samples[i] >> 8);
      pixels[2 * i + 1] = static_cast<png_byte>(b.samples[i]);
    }
  }
  std::vector<png_bytep> rows(b.height);
  for (std::uint32_t y = 0; y < b.height; ++y) rows[y] = pixels.data() + y * row_bytes;
  std::string out;
  EXPECT_TRUE(reference_encode(&out, rows.data(), b, interlace));
  return out;
}

// Images on which libpng picks every one of its filters somewhere: noise, gradients, edges,
// flat areas.
Bitmap test_image(std::uint32_t width, std::uint32_t height, std::uint32_t channels,
                  std::uint32_t bits, int kind, std::mt19937& random) {
  Bitmap b;
  b.width = width;
  b.height = height;
  b.channels = channels;
  b.bits = bits;
  const std::uint32_t max = bits >= 16 ? 0xFFFF : (1u << bits) - 1;
  std::uniform_int_distribution<std::uint32_t> noise(0, max);
  for (std::uint32_t y = 0; y < height; ++y) {
    for (std::uint32_t x = 0; x < width; ++x) {
      for (std::uint32_t c = 0; c < channels; ++c) {
        std::uint32_t v = 0;
        switch (kind % 4) {
          case 0:
            v = noise(random);
            break;
          case 1:
            v = (x * 37 + y * 11 + c * 5) * (max / 255 + 1) % (max + 1);
            break;
          case 2:
            v = ((x / 3 + y / 5) % 2 == 0 ? max / 4 : max - max / 8) + (noise(random) % 7);
            break;
          default:
            v = (x * x + 3 * y * y + c) % (max + 1) / ((y % 3) + 1);
            break;
        }
        b.samples.push_back(std::min(v, max));
      }
    }
  }
  return b;
}

TEST(BitmapTest, PngBytesAreLibpngsOwnWhateverTheSizeDepthAndInterlacing) {
  std::mt19937 random(6);
  int checked = 0;
  for (const std::uint32_t channels : {1u, 3u}) {
    for (const std::uint32_t bits : {8u, 16u}) {
      for (const std::uint32_t width : {1u, 2u, 3u, 5u, 8u, 9u, 17u, 33u, 70u}) {
        for (const std::uint32_t height : {1u, 2u, 4u, 7u, 9u, 20u}) {
          const Bitmap b = test_image(width, height, channels, bits, checked, random);
          for (const bool interlace : {true, false}) {
            std::string ours;
            ASSERT_TRUE(
                write_bitmap(b, {.format = BitmapFormat::Png, .png_interlace = interlace}, ours));
            EXPECT_EQ(ours, reference_png(b, interlace))
                << width << "x" << height << " channels " << channels << " bits " << bits
                << (interlace ? " interlaced" : "");
            std::string libpng_choice;
            ASSERT_TRUE(write_bitmap(b,
                                     {.format = BitmapFormat::Png,
                                      .png_interlace = interlace,
                                      .png_choose_filters = false},
                                     libpng_choice));
            EXPECT_EQ(ours, libpng_choice);
            ++checked;
          }
        }
      }
    }
  }
  // A frame of the benchmark's size, grey 8 and 16 bits.
  for (const std::uint32_t bits : {8u, 16u}) {
    for (int kind = 0; kind < 4; ++kind) {
      const Bitmap b = test_image(512, 128, 1, bits, kind, random);
      std::string ours;
      ASSERT_TRUE(write_bitmap(b, {.format = BitmapFormat::Png}, ours));
      EXPECT_EQ(ours, reference_png(b, true)) << "kind " << kind << " bits " << bits;
    }
  }
  EXPECT_GT(checked, 400);
}

TEST(BitmapTest, RejectsPngOfInconsistentBitmaps) {
  Bitmap b = gray();
  b.samples.pop_back();
  std::string out;
  EXPECT_FALSE(write_bitmap(b, {.format = BitmapFormat::Png}, out));
  b = gray();
  b.channels = 2;
  b.width = 1;
  EXPECT_FALSE(write_bitmap(b, {.format = BitmapFormat::Png}, out));
}

}  // namespace
}  // namespace dcmkit::dcmimage

// SPDX-License-Identifier: BSD-3-Clause
// image_import.h and image_object.h on images made here: BMP by hand, PNG and TIFF through
// dcmimage's own writers, JPEG through libjpeg-turbo; and on damaged copies of them.
#include "dcmkit/dcmimage/image_import.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

// clang-format off
#include <jpeglib.h>  // needs <cstdio> first
// clang-format on

#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dict/uids.h"
#include "dcmkit/dcmimage/bitmap.h"
#include "dcmkit/dcmimage/image_object.h"

namespace dcmkit::dcmimage {
namespace {

namespace tags = dcmdata::tags;
using ofstd::ErrorCode;

std::vector<std::byte> bytes_of(const std::string& text) {
  std::vector<std::byte> out(text.size());
  std::memcpy(out.data(), text.data(), text.size());
  return out;
}

void put16(std::vector<std::byte>& out, std::uint32_t v) {
  out.push_back(static_cast<std::byte>(v & 0xFF));
  out.push_back(static_cast<std::byte>((v >> 8) & 0xFF));
}
void put32(std::vector<std::byte>& out, std::uint32_t v) {
  put16(out, v & 0xFFFF);
  put16(out, v >> 16);
}

// A BMP with the given palette (bpp <= 8) or none; `pixel(x, y)` gives the index or 0xRRGGBB.
template <class Pixel>
std::vector<std::byte> make_bmp(std::int32_t width, std::int32_t height, std::uint16_t bpp,
                                const std::vector<std::uint32_t>& palette, Pixel pixel) {
  const std::uint32_t rows = static_cast<std::uint32_t>(height < 0 ? -height : height);
  const std::uint32_t stride = (static_cast<std::uint32_t>(width) * bpp + 31) / 32 * 4;
  const std::uint32_t offset = 54 + static_cast<std::uint32_t>(palette.size()) * 4;
  std::vector<std::byte> out;
  out.push_back(std::byte{'B'});
  out.push_back(std::byte{'M'});
  put32(out, offset + stride * rows);
  put32(out, 0);
  put32(out, offset);
  put32(out, 40);
  put32(out, static_cast<std::uint32_t>(width));
  put32(out, static_cast<std::uint32_t>(height));
  put16(out, 1);
  put16(out, bpp);
  put32(out, 0);
  put32(out, stride * rows);
  put32(out, 2835);
  put32(out, 2835);
  put32(out, static_cast<std::uint32_t>(palette.size()));
  put32(out, 0);
  for (const std::uint32_t c : palette) put32(out, c);  // 0x00RRGGBB is B, G, R, 0 on disk
  for (std::uint32_t r = 0; r < rows; ++r) {
    const std::uint32_t y = height < 0 ? r : rows - 1 - r;
    std::vector<std::byte> line(stride);
    for (std::uint32_t x = 0; x < static_cast<std::uint32_t>(width); ++x) {
      const std::uint32_t v = pixel(x, y);
      if (bpp == 8) {
        line[x] = static_cast<std::byte>(v);
      } else {
        line[x * 3] = static_cast<std::byte>(v & 0xFF);
        line[x * 3 + 1] = static_cast<std::byte>((v >> 8) & 0xFF);
        line[x * 3 + 2] = static_cast<std::byte>(v >> 16);
      }
    }
    out.insert(out.end(), line.begin(), line.end());
  }
  return out;
}

std::vector<std::uint32_t> gray_palette() {
  std::vector<std::uint32_t> palette;
  for (std::uint32_t i = 0; i < 256; ++i) palette.push_back(i * 0x010101);
  return palette;
}

Bitmap test_bitmap(std::uint32_t channels, std::uint32_t bits) {
  Bitmap b;
  b.width = 7;
  b.height = 5;
  b.channels = channels;
  b.bits = bits;
  for (std::uint32_t i = 0; i < b.width * b.height * channels; ++i) {
    b.samples.push_back(bits == 16 ? (i * 2039u) % 65536u : (i * 37u) % 256u);
  }
  return b;
}

std::vector<std::byte> encode(const Bitmap& b, BitmapFormat format) {
  std::string out;
  BitmapOptions options;
  options.format = format;
  EXPECT_TRUE(write_bitmap(b, options, out));
  return bytes_of(out);
}

// The samples of a native import as numbers.
std::vector<std::uint32_t> samples_of(const ImportedImage& image) {
  std::vector<std::uint32_t> out;
  if (image.bits_allocated == 16) {
    for (std::size_t i = 0; i + 1 < image.pixel_data.size(); i += 2) {
      out.push_back(static_cast<std::uint32_t>(image.pixel_data[i]) |
                    (static_cast<std::uint32_t>(image.pixel_data[i + 1]) << 8));
    }
  } else {
    for (const std::byte b : image.pixel_data) out.push_back(static_cast<std::uint32_t>(b));
  }
  return out;
}

// A JPEG from libjpeg-turbo: `components` 1 or 3, optionally progressive, without JFIF, with an
// APP1 and a COM segment.
std::vector<std::byte> make_jpeg(int width, int height, int components, bool progressive,
                                 bool jfif = true, bool extras = false, bool arithmetic = false) {
  jpeg_compress_struct cinfo{};
  jpeg_error_mgr error{};
  cinfo.err = jpeg_std_error(&error);
  jpeg_create_compress(&cinfo);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;  // NOLINT(google-runtime-int): libjpeg's type
  jpeg_mem_dest(&cinfo, &buffer, &size);
  cinfo.image_width = static_cast<JDIMENSION>(width);
  cinfo.image_height = static_cast<JDIMENSION>(height);
  cinfo.input_components = components;
  cinfo.in_color_space = components == 3 ? JCS_RGB : JCS_GRAYSCALE;
  jpeg_set_defaults(&cinfo);
  cinfo.write_JFIF_header = jfif ? TRUE : FALSE;
  cinfo.arith_code = arithmetic ? TRUE : FALSE;
  if (progressive) jpeg_simple_progression(&cinfo);
  jpeg_start_compress(&cinfo, TRUE);
  if (extras) {
    static const char kExif[] = "Exif\0\0data";
    jpeg_write_marker(&cinfo, JPEG_APP0 + 1, reinterpret_cast<const JOCTET*>(kExif),  // NOLINT
                      sizeof kExif);
    jpeg_write_marker(&cinfo, JPEG_COM, reinterpret_cast<const JOCTET*>("note"), 4);  // NOLINT
  }
  std::vector<unsigned char> row(static_cast<std::size_t>(width * components));
  while (cinfo.next_scanline < cinfo.image_height) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      row[i] = static_cast<unsigned char>(i * 5 + cinfo.next_scanline * 3);
    }
    JSAMPROW pointer = row.data();
    jpeg_write_scanlines(&cinfo, &pointer, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::vector<std::byte> out(size);
  std::memcpy(out.data(), buffer, size);
  std::free(buffer);  // NOLINT(cppcoreguidelines-no-malloc): allocated by libjpeg
  return out;
}

bool contains_marker(const std::vector<std::byte>& stream, std::uint8_t marker) {
  for (std::size_t i = 0; i + 1 < stream.size(); ++i) {
    if (stream[i] == std::byte{0xFF} && stream[i + 1] == std::byte{marker}) return true;
  }
  return false;
}

// --- detection ---------------------------------------------------------------------------------

TEST(ImageImportTest, DetectsFormatsByTheirFirstBytes) {
  EXPECT_EQ(detect_image_format(make_jpeg(8, 8, 1, false)), ImageFileFormat::Jpeg);
  EXPECT_EQ(detect_image_format(encode(test_bitmap(1, 8), BitmapFormat::Png)),
            ImageFileFormat::Png);
  EXPECT_EQ(detect_image_format(encode(test_bitmap(1, 8), BitmapFormat::Tiff)),
            ImageFileFormat::Tiff);
  EXPECT_EQ(detect_image_format(encode(test_bitmap(1, 8), BitmapFormat::Bmp)),
            ImageFileFormat::Bmp);
  EXPECT_EQ(detect_image_format(bytes_of("GIF89a")), std::nullopt);
  EXPECT_EQ(image_format_from_name("bmp"), ImageFileFormat::Bmp);
  EXPECT_EQ(image_format_from_name("GIF"), std::nullopt);
}

// --- BMP ---------------------------------------------------------------------------------------

TEST(ImageImportTest, ReadsGrayPaletteBmpAsMonochrome) {
  const auto file = make_bmp(5, 3, 8, gray_palette(), [](auto x, auto y) { return x * 10 + y; });
  auto image = import_bmp(file);
  ASSERT_TRUE(image) << image.error().message();
  EXPECT_EQ(image->photometric_interpretation, "MONOCHROME2");
  EXPECT_EQ(image->columns, 5);
  EXPECT_EQ(image->rows, 3);
  EXPECT_EQ(image->samples_per_pixel, 1);
  EXPECT_TRUE(image->transfer_syntax_uid.empty());
  const auto samples = samples_of(*image);
  ASSERT_EQ(samples.size(), 15u);
  EXPECT_EQ(samples[0], 0u);       // top left
  EXPECT_EQ(samples[5 + 4], 41u);  // second row, last column
}

TEST(ImageImportTest, ReadsColourPaletteAnd24BitBmpAsRgb) {
  auto palette = gray_palette();
  palette[7] = 0x102030;
  const auto indexed = make_bmp(2, 2, 8, palette, [](auto x, auto) { return x == 0 ? 7u : 1u; });
  auto image = import_bmp(indexed);
  ASSERT_TRUE(image) << image.error().message();
  EXPECT_EQ(image->photometric_interpretation, "RGB");
  EXPECT_EQ(samples_of(*image),
            (std::vector<std::uint32_t>{0x10, 0x20, 0x30, 1, 1, 1, 0x10, 0x20, 0x30, 1, 1, 1}));
  for (const std::int32_t height : {2, -2}) {  // bottom-up and top-down
    const auto rgb = make_bmp(3, height, 24, {}, [](auto x, auto y) { return x * 0x10 + y; });
    auto colour = import_bmp(rgb);
    ASSERT_TRUE(colour) << colour.error().message();
    EXPECT_EQ(colour->samples_per_pixel, 3);
    const auto samples = samples_of(*colour);
    EXPECT_EQ(samples[2], 0u);          // pixel (0,0) blue
    EXPECT_EQ(samples[3 * 3 + 2], 1u);  // pixel (0,1) blue
    EXPECT_EQ(samples[2 * 3 + 2], 0x20u);
  }
}

TEST(ImageImportTest, RefusesDamagedBmp) {
  const auto good = make_bmp(5, 3, 24, {}, [](auto x, auto) { return x; });
  auto truncated = good;
  truncated.resize(truncated.size() - 4);
  EXPECT_EQ(import_bmp(truncated).error().code(), ErrorCode::MalformedData);
  EXPECT_EQ(import_bmp(bytes_of("XX not a bmp at all, no")).error().code(),
            ErrorCode::MalformedData);
  auto huge = good;  // width 100000: beyond DICOM's Columns
  huge[18] = std::byte{0xA0};
  huge[19] = std::byte{0x86};
  huge[20] = std::byte{0x01};
  EXPECT_EQ(import_bmp(huge).error().code(), ErrorCode::LimitExceeded);
  auto large = good;  // 60000 x 60000 claimed by a tiny file
  for (const std::size_t at : {18u, 22u}) {
    large[at] = std::byte{0x60};
    large[at + 1] = std::byte{0xEA};
    large[at + 2] = std::byte{0};
  }
  EXPECT_EQ(import_bmp(large).error().code(), ErrorCode::LimitExceeded);
  ImportOptions generous;
  generous.max_pixel_bytes = std::uint64_t{1} << 40;
  EXPECT_EQ(import_bmp(large, generous).error().code(), ErrorCode::MalformedData);
  auto rle = good;
  rle[30] = std::byte{1};
  EXPECT_EQ(import_bmp(rle).error().code(), ErrorCode::Unsupported);
  auto small_palette = gray_palette();
  small_palette.resize(4);
  const auto beyond = make_bmp(2, 1, 8, small_palette, [](auto, auto) { return 9u; });
  EXPECT_EQ(import_bmp(beyond).error().code(), ErrorCode::MalformedData);
}

// --- PNG ---------------------------------------------------------------------------------------

TEST(ImageImportTest, ReadsPngGray8Gray16AndRgb) {
  for (const auto& [channels, bits] : {std::pair{1u, 8u}, {1u, 16u}, {3u, 8u}, {3u, 16u}}) {
    const Bitmap source = test_bitmap(channels, bits);
    auto image = import_png(encode(source, BitmapFormat::Png));
    ASSERT_TRUE(image) << image.error().message();
    EXPECT_EQ(image->photometric_interpretation, channels == 3 ? "RGB" : "MONOCHROME2");
    EXPECT_EQ(image->bits_allocated, bits);
    EXPECT_EQ(image->bits_stored, bits);
    EXPECT_EQ(image->high_bit, bits - 1);
    EXPECT_EQ(image->columns, source.width);
    EXPECT_EQ(image->rows, source.height);
    EXPECT_EQ(samples_of(*image), source.samples) << channels << " x " << bits;
  }
}

TEST(ImageImportTest, RefusesDamagedPng) {
  const auto good = encode(test_bitmap(3, 8), BitmapFormat::Png);
  const auto full = import_png(good)->pixel_data;
  for (std::size_t size = 0; size < good.size(); ++size) {
    // Every truncation is an error, except after the image data (the text chunks and IEND).
    const std::vector<std::byte> prefix(good.begin(),
                                        good.begin() + static_cast<std::ptrdiff_t>(size));
    auto image = import_png(prefix);
    if (image) {
      EXPECT_EQ(image->pixel_data, full) << size;
    } else {
      EXPECT_EQ(image.error().code(), ErrorCode::MalformedData) << size;
    }
  }
  ImportOptions tight;
  tight.max_pixel_bytes = 50;  // 7 x 5 RGB needs 105
  EXPECT_EQ(import_png(good, tight).error().code(), ErrorCode::LimitExceeded);
  auto flipped = good;
  flipped[flipped.size() / 2] ^= std::byte{0x55};  // CRC or inflate error
  EXPECT_FALSE(import_png(flipped));
}

// --- TIFF --------------------------------------------------------------------------------------

TEST(ImageImportTest, ReadsTiffGrayAndRgb) {
  for (const std::uint32_t channels : {1u, 3u}) {
    const Bitmap source = test_bitmap(channels, 8);
    auto image = import_tiff(encode(source, BitmapFormat::Tiff));
    ASSERT_TRUE(image) << image.error().message();
    EXPECT_EQ(image->photometric_interpretation, channels == 3 ? "RGB" : "MONOCHROME2");
    EXPECT_EQ(samples_of(*image), source.samples);
  }
}

TEST(ImageImportTest, RefusesDamagedTiff) {
  const auto good = encode(test_bitmap(3, 8), BitmapFormat::Tiff);
  for (std::size_t size = 0; size < good.size(); size += 3) {
    const std::vector<std::byte> prefix(good.begin(),
                                        good.begin() + static_cast<std::ptrdiff_t>(size));
    auto image = import_tiff(prefix);  // an error or (strips cut short) an image; never a crash
    if (image) {
      EXPECT_EQ(image->pixel_data.size(), 7u * 5u * 3u);
    }
  }
  EXPECT_EQ(import_tiff(bytes_of("II*\0garbage")).error().code(), ErrorCode::MalformedData);
}

// --- JPEG --------------------------------------------------------------------------------------

TEST(ImageImportTest, TakesJpegStreamOverWithoutAppSegments) {
  const auto file = make_jpeg(40, 30, 3, false, true, true);
  auto image = import_jpeg(file);
  ASSERT_TRUE(image) << image.error().message();
  EXPECT_EQ(image->transfer_syntax_uid, dcmdata::uids::JPEGBaseline8Bit.str());
  EXPECT_EQ(image->photometric_interpretation, "YBR_FULL_422");
  EXPECT_EQ(image->rows, 30);
  EXPECT_EQ(image->columns, 40);
  EXPECT_EQ(image->bits_stored, 8);
  EXPECT_TRUE(image->lossy);
  EXPECT_FALSE(contains_marker(image->pixel_data, 0xE0));
  EXPECT_FALSE(contains_marker(image->pixel_data, 0xE1));
  EXPECT_TRUE(contains_marker(image->pixel_data, 0xFE));  // COM kept unless -rc
  EXPECT_EQ(image->pixel_data.front(), std::byte{0xFF});
  EXPECT_EQ(image->pixel_data.back(), std::byte{0xD9});

  JpegImportOptions remove_com;
  remove_com.remove_com = true;
  EXPECT_FALSE(contains_marker(import_jpeg(file, remove_com)->pixel_data, 0xFE));
  JpegImportOptions keep;
  keep.keep_appn = true;
  EXPECT_EQ(import_jpeg(file, keep)->pixel_data, file);  // copied as it is, as DCMTK 3.6.7 does
}

TEST(ImageImportTest, ChoosesTransferSyntaxByJpegProcess) {
  const auto gray = make_jpeg(9, 7, 1, false);
  auto image = import_jpeg(gray);
  ASSERT_TRUE(image);
  EXPECT_EQ(image->photometric_interpretation, "MONOCHROME2");
  const auto progressive = make_jpeg(16, 16, 3, true);
  EXPECT_EQ(import_jpeg(progressive)->transfer_syntax_uid, "1.2.840.10008.1.2.4.55");
  JpegImportOptions no_progressive;
  no_progressive.disable_progressive = true;
  EXPECT_EQ(import_jpeg(progressive, no_progressive).error().code(), ErrorCode::Unsupported);
  EXPECT_EQ(import_jpeg(make_jpeg(8, 8, 1, false, true, false, true)).error().code(),
            ErrorCode::Unsupported);  // arithmetic coding
  JpegImportOptions jfif;
  jfif.insist_on_jfif = true;
  EXPECT_EQ(import_jpeg(make_jpeg(8, 8, 1, false, false), jfif).error().code(),
            ErrorCode::MalformedData);
  EXPECT_TRUE(import_jpeg(make_jpeg(8, 8, 1, false, true), jfif));
}

TEST(ImageImportTest, RefusesDamagedJpeg) {
  const auto good = make_jpeg(16, 16, 3, true);
  for (std::size_t size = 0; size < good.size(); ++size) {
    const std::vector<std::byte> prefix(good.begin(),
                                        good.begin() + static_cast<std::ptrdiff_t>(size));
    EXPECT_EQ(import_jpeg(prefix).error().code(), ErrorCode::MalformedData) << size;
  }
  auto zero = good;  // height 0 in the SOF segment
  for (std::size_t i = 0; i + 1 < zero.size(); ++i) {
    if (zero[i] == std::byte{0xFF} && zero[i + 1] == std::byte{0xC2}) {
      zero[i + 5] = std::byte{0};
      zero[i + 6] = std::byte{0};
      break;
    }
  }
  EXPECT_EQ(import_jpeg(zero).error().message(), "Invalid image size (width or height = 0)");
}

// --- objects -----------------------------------------------------------------------------------

TEST(ImageObjectTest, BuildsSecondaryCaptureFromBmp) {
  const auto file = make_bmp(5, 3, 8, gray_palette(), [](auto x, auto y) { return x + y; });
  std::vector<ImportedImage> frames = {*import_bmp(file)};
  ImageObjectOptions options;
  auto object = make_image_object(frames, options);
  ASSERT_TRUE(object) << object.error().message();
  dcmdata::DataSet& data = object->data;
  EXPECT_EQ(object->transfer_syntax_uid, dcmdata::uids::ExplicitVRLittleEndian.str());
  EXPECT_EQ(data.get_uid(tags::SOPClassUID)->str(),
            dcmdata::uids::SecondaryCaptureImageStorage.str());
  EXPECT_TRUE(data.get_uid(tags::StudyInstanceUID));
  EXPECT_EQ(data.get_int(tags::Rows).value_or(0), 3);
  EXPECT_EQ(data.find(tags::PixelData)->length(), 16u);  // 15 bytes, padded
  EXPECT_TRUE(check_image_object(data, options).empty());
  EXPECT_EQ(data.get_string(tags::ConversionType).value_or(""), "WSD");
  EXPECT_TRUE(data.contains(tags::PatientName));
}

TEST(ImageObjectTest, ReportsMissingAttributesWhenNotInventing) {
  const auto file = make_bmp(2, 2, 24, {}, [](auto, auto) { return 0u; });
  std::vector<ImportedImage> frames = {*import_bmp(file)};
  ImageObjectOptions options;
  options.iod = ImageIod::OphthalmicPhotography;
  auto object = make_image_object(frames, options);
  ASSERT_TRUE(object) << object.error().message();
  auto problems = check_image_object(object->data, options);
  ASSERT_EQ(problems.size(), 2u);  // laterality and device type cannot be invented
  EXPECT_EQ(problems[0], "I2DOutputPlug: Missing type 1 attribute: ImageLaterality");
  options.insert_type2 = false;
  options.invent_type1 = false;
  auto again = make_image_object(frames, options);
  EXPECT_GT(check_image_object(again->data, options).size(), 10u);
}

TEST(ImageObjectTest, TakesStudyFromSourceIntoTemplateCharacterSet) {
  const auto file = make_bmp(2, 2, 24, {}, [](auto, auto) { return 0u; });
  std::vector<ImportedImage> frames = {*import_bmp(file)};
  dcmdata::DataSet latin1;  // the template: ISO_IR 100
  ASSERT_TRUE(latin1.set_string(tags::SpecificCharacterSet, "ISO_IR 100"));
  ASSERT_TRUE(latin1.refresh_character_set());
  dcmdata::DataSet source;  // the study: UTF-8 with a Greek letter Latin-1 does not have
  ASSERT_TRUE(source.set_string(tags::SpecificCharacterSet, "ISO_IR 192"));
  ASSERT_TRUE(source.refresh_character_set());
  ASSERT_TRUE(source.set_string(tags::PatientName, "M\xC3\xBCller^\xCE\xA9mega"));
  ASSERT_TRUE(source.set_string(tags::StudyInstanceUID, "1.2.3.4"));
  ASSERT_TRUE(source.set_string(tags::InstanceNumber, "4"));
  ImageObjectOptions options;
  options.template_data = &latin1;
  options.study_source = &source;
  EXPECT_EQ(make_image_object(frames, options).error().code(), ErrorCode::InvalidArgument);
  options.discard_illegal = true;  // -Cd
  options.increment_instance = true;
  auto object = make_image_object(frames, options);
  ASSERT_TRUE(object) << object.error().message();
  EXPECT_EQ(object->data.get_string(tags::PatientName).value_or(""), "M\xC3\xBCller^mega");
  EXPECT_EQ(object->data.get_string(tags::StudyInstanceUID).value_or(""), "1.2.3.4");
  EXPECT_EQ(object->data.get_int(tags::InstanceNumber).value_or(0), 5);
  EXPECT_EQ(object->data.get_string(tags::SpecificCharacterSet).value_or(""), "ISO_IR 100");
}

TEST(ImageObjectTest, BuildsMultiFrameObjectsAndChecksFrames) {
  const auto a = *import_jpeg(make_jpeg(16, 8, 3, false));
  const auto b = *import_jpeg(make_jpeg(16, 8, 3, false, false, true));
  std::vector<ImportedImage> frames = {a, b};
  ImageObjectOptions options;
  options.iod = ImageIod::MultiFrameSecondaryCapture;
  auto object = make_image_object(frames, options);
  ASSERT_TRUE(object) << object.error().message();
  EXPECT_EQ(object->data.get_uid(tags::SOPClassUID)->str(),
            dcmdata::uids::MultiFrameTrueColorSecondaryCaptureImageStorage.str());
  EXPECT_EQ(object->data.get_int(tags::NumberOfFrames).value_or(0), 2);
  EXPECT_EQ(object->data.find(tags::PixelData)->fragments().size(), 3u);
  ASSERT_TRUE(finish_image_object(object->data, frames));
  const double expected = (a.uncompressed_size() / static_cast<double>(a.pixel_data.size()) +
                           b.uncompressed_size() / static_cast<double>(b.pixel_data.size())) /
                          2;
  EXPECT_NEAR(object->data.get_double(tags::LossyImageCompressionRatio).value_or(0), expected,
              0.001);

  options.iod = ImageIod::SecondaryCapture;  // single frame only
  EXPECT_FALSE(make_image_object(frames, options));
  frames[1] = *import_jpeg(make_jpeg(16, 9, 3, false));
  options.iod = ImageIod::MultiFrameSecondaryCapture;
  EXPECT_EQ(make_image_object(frames, options).error().message(),
            "value of Rows not equal for all frames of the multi-frame image");
  std::vector<ImportedImage> deep = {*import_png(encode(test_bitmap(3, 16), BitmapFormat::Png))};
  options.iod = ImageIod::VLPhotographic;  // VL images have 8 bits
  EXPECT_EQ(make_image_object(deep, options).error().code(), ErrorCode::InvalidArgument);
}

}  // namespace
}  // namespace dcmkit::dcmimage

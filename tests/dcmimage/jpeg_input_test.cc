// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/jpeg_input.h"

#include <gtest/gtest.h>

#include "dcmkit/dcmdata/dict/tags.h"

namespace dcmkit::dcmimage {
namespace {

using dcmdata::VR;
namespace tags = dcmdata::tags;

// A `columns` x `rows` monochrome image of `bits` stored bits in 16-bit words.
dcmdata::DataSet mono(std::uint32_t columns, std::uint32_t rows, std::uint32_t bits,
                      const std::vector<std::uint16_t>& values, const char* sop_class) {
  dcmdata::DataSet ds;
  EXPECT_TRUE(ds.set_string(tags::SOPClassUID, VR::UI, sop_class));
  EXPECT_TRUE(ds.set_string(tags::SOPInstanceUID, VR::UI, "1.2.3.4"));
  EXPECT_TRUE(ds.set_int(tags::SamplesPerPixel, VR::US, 1));
  EXPECT_TRUE(ds.set_string(tags::PhotometricInterpretation, "MONOCHROME2"));
  EXPECT_TRUE(ds.set_int(tags::Rows, VR::US, rows));
  EXPECT_TRUE(ds.set_int(tags::Columns, VR::US, columns));
  EXPECT_TRUE(ds.set_int(tags::BitsAllocated, VR::US, 16));
  EXPECT_TRUE(ds.set_int(tags::BitsStored, VR::US, bits));
  EXPECT_TRUE(ds.set_int(tags::HighBit, VR::US, bits - 1));
  EXPECT_TRUE(ds.set_int(tags::PixelRepresentation, VR::US, 0));
  std::vector<std::byte> bytes;
  for (const std::uint16_t v : values) {
    bytes.push_back(static_cast<std::byte>(v & 0xFF));
    bytes.push_back(static_cast<std::byte>(v >> 8));
  }
  EXPECT_TRUE(
      ds.set_bytes(tags::PixelData, VR::OW, dcmdata::SharedBytes::from_vector(std::move(bytes))));
  return ds;
}

std::vector<std::uint8_t> bytes_of(const dcmdata::DataSet& ds) {
  const dcmdata::Element* e = ds.find(tags::PixelData);
  if (e == nullptr) return {};
  std::vector<std::uint8_t> out;
  for (const std::byte b : e->bytes().span()) out.push_back(std::to_integer<std::uint8_t>(b));
  return out;
}

constexpr const char* kMr = "1.2.840.10008.5.1.4.1.1.4";
constexpr const char* kCt = "1.2.840.10008.5.1.4.1.1.2";

TEST(JpegInputTest, NumberTextIsDcmtksNotPrintfs) {
  // Zeros right after the point do not count as significant digits in DCMTK's formatter.
  EXPECT_EQ(dcmtk_number_text(333.0 * 255 / 1023, 6), "83.005865");
  EXPECT_EQ(dcmtk_number_text(4095.0 / 255, 6), "16.05882");
  EXPECT_EQ(dcmtk_number_text(300.0 * 255 / 1023, 6), "74.7801");
  EXPECT_EQ(dcmtk_number_text(-1919, 6), "-1919");
  EXPECT_EQ(dcmtk_number_text(0, 6), "0");
  EXPECT_EQ(dcmtk_number_text(1.0, 6), "1");
  EXPECT_EQ(dcmtk_number_text(9.9999999, 6), "10");
  EXPECT_EQ(dcmtk_number_text(34816.0 / 2446, 5), "14.234");
}

TEST(JpegInputTest, RangeBitsCountsTheSignBit) {
  EXPECT_EQ(range_bits(0, 4095), 12u);
  EXPECT_EQ(range_bits(-33792, 31743), 17u);  // signed 16-bit CT with intercept -1024
  EXPECT_EQ(range_bits(-1024, 3071), 13u);
  EXPECT_EQ(range_bits(0, 0), 1u);
}

TEST(JpegInputTest, WithoutWindowShiftsThePixelsAndCorrectsTheWindows) {
  // 12-bit values 10..1000: the window is 1024 wide from 10, 8-bit output = (v - 10) * 255/1023.
  dcmdata::DataSet ds = mono(2, 2, 12, {10, 20, 500, 1000}, kMr);
  ASSERT_TRUE(ds.set_string(tags::WindowCenter, VR::DS, "300"));
  ASSERT_TRUE(ds.set_string(tags::WindowWidth, VR::DS, "333"));
  JpegInputOptions options;
  auto input = prepare_jpeg_input(ds, dcmdata::explicit_vr_little_endian(), options);
  ASSERT_TRUE(input) << input.error().to_string();
  EXPECT_EQ(input->depth, 12u);
  EXPECT_EQ(ds.get_int(tags::BitsAllocated).value_or(0), 8);
  EXPECT_EQ(ds.get_int(tags::BitsStored).value_or(0), 8);
  EXPECT_EQ(ds.get_int(tags::HighBit).value_or(0), 7);
  const std::vector<std::uint8_t> pixels = bytes_of(ds);
  ASSERT_GE(pixels.size(), 4u);
  EXPECT_EQ(pixels[0], 0);
  EXPECT_EQ(pixels[3], 246);  // (1000 - 10) * 255 / 1023, truncated
  EXPECT_FALSE(ds.contains(tags::RescaleSlope));
  EXPECT_EQ(ds.get_string(tags::WindowCenter).value_or(""), "72.2874");
  EXPECT_EQ(ds.get_string(tags::WindowWidth).value_or(""), "83.005865");
  EXPECT_EQ(ds.get_string(tags::WindowCenterWidthExplanation).value_or(""),
            "center=72.2874/width=83.005865");
}

TEST(JpegInputTest, RescaleMapKeepsTheValuesAndCtAlwaysMaps) {
  for (const bool ct : {false, true}) {
    dcmdata::DataSet ds = mono(2, 2, 12, {10, 20, 500, 1000}, ct ? kCt : kMr);
    JpegInputOptions options;
    options.rescale_map = !ct;  // CT maps even with +ri
    ASSERT_TRUE(prepare_jpeg_input(ds, dcmdata::explicit_vr_little_endian(), options));
    EXPECT_EQ(ds.get_string(tags::RescaleSlope).value_or(""), "4.011765");
    EXPECT_EQ(ds.get_string(tags::RescaleIntercept).value_or(""), "10");
    EXPECT_EQ(ds.get_string(tags::RescaleType).value_or(""), ct ? "HU" : "US");
  }
}

TEST(JpegInputTest, AWindowOptionMakesMonochrome2WithoutVoiAttributes) {
  dcmdata::DataSet ds = mono(2, 1, 12, {0, 4095}, kMr);
  ASSERT_TRUE(ds.set_string(tags::PhotometricInterpretation, "MONOCHROME1"));
  ASSERT_TRUE(ds.set_string(tags::WindowCenter, VR::DS, "2048"));
  ASSERT_TRUE(ds.set_string(tags::WindowWidth, VR::DS, "4096"));
  JpegInputOptions options;
  options.voi_mode = VoiMode::MinMax;
  ASSERT_TRUE(prepare_jpeg_input(ds, dcmdata::explicit_vr_little_endian(), options));
  EXPECT_EQ(ds.get_string(tags::PhotometricInterpretation).value_or(""), "MONOCHROME2");
  EXPECT_FALSE(ds.contains(tags::WindowCenter));
  const std::vector<std::uint8_t> pixels = bytes_of(ds);
  ASSERT_GE(pixels.size(), 2u);
  EXPECT_EQ(pixels[0], 255);  // MONOCHROME1 is inverted by the window's rendering
  EXPECT_EQ(pixels[1], 0);
}

TEST(JpegInputTest, MissingWindowIsAnError) {
  dcmdata::DataSet ds = mono(2, 1, 12, {0, 4095}, kMr);
  const dcmdata::DataSet before = ds;
  JpegInputOptions options;
  options.voi_mode = VoiMode::FileWindow;
  options.voi_index = 1;
  auto input = prepare_jpeg_input(ds, dcmdata::explicit_vr_little_endian(), options);
  ASSERT_FALSE(input);
  EXPECT_EQ(input.error().code(), ofstd::ErrorCode::InvalidArgument);
  EXPECT_EQ(ds.get_int(tags::BitsStored).value_or(0), 12);  // unchanged
}

TEST(JpegInputTest, Ycbcr422IsUpsampledAndKept) {
  dcmdata::DataSet ds;
  ASSERT_TRUE(ds.set_int(tags::SamplesPerPixel, VR::US, 3));
  ASSERT_TRUE(ds.set_string(tags::PhotometricInterpretation, "YBR_FULL_422"));
  ASSERT_TRUE(ds.set_int(tags::PlanarConfiguration, VR::US, 0));
  ASSERT_TRUE(ds.set_int(tags::Rows, VR::US, 1));
  ASSERT_TRUE(ds.set_int(tags::Columns, VR::US, 2));
  ASSERT_TRUE(ds.set_int(tags::BitsAllocated, VR::US, 8));
  ASSERT_TRUE(ds.set_int(tags::BitsStored, VR::US, 8));
  ASSERT_TRUE(ds.set_int(tags::HighBit, VR::US, 7));
  ASSERT_TRUE(ds.set_int(tags::PixelRepresentation, VR::US, 0));
  std::vector<std::byte> bytes = {std::byte{10}, std::byte{20}, std::byte{100}, std::byte{200}};
  ASSERT_TRUE(
      ds.set_bytes(tags::PixelData, VR::OB, dcmdata::SharedBytes::from_vector(std::move(bytes))));
  auto input = prepare_jpeg_input(ds, dcmdata::explicit_vr_little_endian(), {});
  ASSERT_TRUE(input) << input.error().to_string();
  EXPECT_TRUE(input->ycbcr);
  EXPECT_EQ(ds.get_string(tags::PhotometricInterpretation).value_or(""), "YBR_FULL");
  EXPECT_EQ(bytes_of(ds), (std::vector<std::uint8_t>{10, 100, 200, 20, 100, 200}));
}

}  // namespace
}  // namespace dcmkit::dcmimage

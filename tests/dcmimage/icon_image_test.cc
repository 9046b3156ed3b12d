// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/icon_image.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "dcmkit/dcmdata/dict/tags.h"

namespace dcmkit::dcmimage {
namespace {

using dcmdata::VR;
namespace tags = dcmdata::tags;

// A `columns` x `rows` 8-bit monochrome image of `frames` frames with stored values `values`.
dcmdata::DataSet mono8(std::uint32_t columns, std::uint32_t rows,
                       const std::vector<std::uint8_t>& values, std::uint32_t frames = 1,
                       const char* photometric = "MONOCHROME2") {
  dcmdata::DataSet ds;
  EXPECT_TRUE(ds.set_int(tags::SamplesPerPixel, VR::US, 1));
  EXPECT_TRUE(ds.set_string(tags::PhotometricInterpretation, photometric));
  EXPECT_TRUE(ds.set_int(tags::Rows, VR::US, rows));
  EXPECT_TRUE(ds.set_int(tags::Columns, VR::US, columns));
  if (frames > 1) {
    EXPECT_TRUE(ds.set_string(tags::NumberOfFrames, std::to_string(frames)));
  }
  EXPECT_TRUE(ds.set_int(tags::BitsAllocated, VR::US, 8));
  EXPECT_TRUE(ds.set_int(tags::BitsStored, VR::US, 8));
  EXPECT_TRUE(ds.set_int(tags::HighBit, VR::US, 7));
  EXPECT_TRUE(ds.set_int(tags::PixelRepresentation, VR::US, 0));
  std::vector<std::byte> bytes;
  for (const std::uint8_t v : values) bytes.push_back(static_cast<std::byte>(v));
  EXPECT_TRUE(
      ds.set_bytes(tags::PixelData, VR::OB, dcmdata::SharedBytes::from_vector(std::move(bytes))));
  return ds;
}

TEST(IconImageTest, ChoosesTheRepresentativeOrAThirdOfTheFrames) {
  dcmdata::DataSet ds = mono8(1, 1, {0});
  EXPECT_EQ(icon_frame(ds), 1u);
  ASSERT_TRUE(ds.set_string(tags::NumberOfFrames, "3"));
  EXPECT_EQ(icon_frame(ds), 1u);
  ASSERT_TRUE(ds.set_string(tags::NumberOfFrames, "10"));
  EXPECT_EQ(icon_frame(ds), 3u);
  ASSERT_TRUE(ds.set_int(tags::RepresentativeFrameNumber, VR::US, 7));
  EXPECT_EQ(icon_frame(ds), 7u);
  ASSERT_TRUE(ds.set_int(tags::RepresentativeFrameNumber, VR::US, 12));
  EXPECT_EQ(icon_frame(ds), 10u);
}

TEST(IconImageTest, SpreadsTheScaledValuesOverEightBits) {
  // 2 x 2 -> 2 x 2 keeps the values; DCMTK's min-max window (center 25.5, width 31) maps 10..40
  // to 0..254.
  auto icon = make_icon(mono8(2, 2, {10, 20, 30, 40}), dcmdata::explicit_vr_little_endian(), 2);
  ASSERT_TRUE(icon) << icon.error().to_string();
  ASSERT_EQ(icon->size(), 4u);
  EXPECT_EQ((*icon)[0], 0);
  EXPECT_EQ((*icon)[3], 254);
  EXPECT_LT((*icon)[1], (*icon)[2]);
  // 4 x 4 -> 2 x 2 averages blocks of four pixels.
  std::vector<std::uint8_t> values(16, 0);
  for (std::size_t i : {2u, 3u, 6u, 7u}) values[i] = 200;  // top right block
  icon = make_icon(mono8(4, 4, values), dcmdata::explicit_vr_little_endian(), 2);
  ASSERT_TRUE(icon) << icon.error().to_string();
  EXPECT_EQ(*icon, (std::vector<std::uint8_t>{0, 254, 0, 0}));
}

TEST(IconImageTest, UsesTheFirstWindowAndInvertsMonochrome1) {
  dcmdata::DataSet ds = mono8(2, 1, {0, 255}, 1, "MONOCHROME1");
  auto icon = make_icon(ds, dcmdata::explicit_vr_little_endian(), 2);
  ASSERT_TRUE(icon) << icon.error().to_string();
  EXPECT_EQ((*icon)[0], 255);  // stretched vertically: rows repeat
  EXPECT_EQ((*icon)[1], 0);
  // A window of 100..101 makes everything above white, below black.
  ds = mono8(2, 1, {50, 200});
  ASSERT_TRUE(ds.set_string(tags::WindowCenter, "100"));
  ASSERT_TRUE(ds.set_string(tags::WindowWidth, "2"));
  icon = make_icon(ds, dcmdata::explicit_vr_little_endian(), 2);
  ASSERT_TRUE(icon) << icon.error().to_string();
  EXPECT_EQ(*icon, (std::vector<std::uint8_t>{0, 255, 0, 255}));
}

TEST(IconImageTest, LeavesOutTheRescaleOfXRayAngiographyAsDcmtk) {
  // Stored 50 and 120 through the window 100..101: rescaled by +100 both are white; DCMTK's
  // image code ignores the rescale of XA/XRF images, so there the stored values are windowed.
  dcmdata::DataSet ds = mono8(2, 1, {50, 120});
  ASSERT_TRUE(ds.set_string(tags::WindowCenter, "100"));
  ASSERT_TRUE(ds.set_string(tags::WindowWidth, "2"));
  ASSERT_TRUE(ds.set_string(tags::RescaleIntercept, "100"));
  ASSERT_TRUE(ds.set_string(tags::RescaleSlope, "1"));
  ASSERT_TRUE(ds.set_string(tags::SOPClassUID, "1.2.840.10008.5.1.4.1.1.7"));
  auto icon = make_icon(ds, dcmdata::explicit_vr_little_endian(), 2);
  ASSERT_TRUE(icon) << icon.error().to_string();
  EXPECT_EQ(*icon, (std::vector<std::uint8_t>{255, 255, 255, 255}));
  for (const char* xray : {"1.2.840.10008.5.1.4.1.1.12.1", "1.2.840.10008.5.1.4.1.1.12.2",
                           "1.2.840.10008.5.1.4.1.1.12.3"}) {
    ASSERT_TRUE(ds.set_string(tags::SOPClassUID, xray));
    icon = make_icon(ds, dcmdata::explicit_vr_little_endian(), 2);
    ASSERT_TRUE(icon) << icon.error().to_string();
    EXPECT_EQ(*icon, (std::vector<std::uint8_t>{0, 255, 0, 255})) << xray;
  }
}

TEST(IconImageTest, ShowsTheChosenFrame) {
  // Six frames of 2 x 1 pixels: frame 6 / 3 = 2 holds 2 and 9, stretched to two rows.
  dcmdata::DataSet ds = mono8(2, 1, {1, 1, 2, 9, 3, 3, 4, 4, 5, 5, 6, 6}, 6);
  auto icon = make_icon(ds, dcmdata::explicit_vr_little_endian(), 2);
  ASSERT_TRUE(icon) << icon.error().to_string();
  EXPECT_EQ(*icon, (std::vector<std::uint8_t>{0, 255, 0, 255}));
}

// A 3 x 3 image of 24 bits stored in 32 (unsigned) with the given values.
dcmdata::DataSet mono24(const std::vector<std::uint32_t>& values) {
  dcmdata::DataSet ds = mono8(3, 3, {});
  EXPECT_TRUE(ds.set_int(tags::BitsAllocated, VR::US, 32));
  EXPECT_TRUE(ds.set_int(tags::BitsStored, VR::US, 24));
  EXPECT_TRUE(ds.set_int(tags::HighBit, VR::US, 23));
  std::vector<std::byte> bytes;
  for (const std::uint32_t v : values) {
    for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xFF));
  }
  EXPECT_TRUE(
      ds.set_bytes(tags::PixelData, VR::OB, dcmdata::SharedBytes::from_vector(std::move(bytes))));
  return ds;
}

TEST(IconImageTest, ScalesValuesOfMoreThanSixteenBitsByAreaAverages) {
  // The same 3 x 3 values, once as they are and once 100000 higher: DCMTK 3.6.7's dcmmkdir
  // (-Xs 2) scales the first with pbmplus, the second (more than 16 bits) with the c't area
  // interpolation (21, 19, 31, 13.44 -> 13), and its min-max window maps them to these icons.
  const std::vector<std::uint32_t> values{18, 20, 30, 38, 1, 5, 32, 37, 9};
  auto icon = make_icon(mono24(values), dcmdata::explicit_vr_little_endian(), 2);
  ASSERT_TRUE(icon) << icon.error().to_string();
  EXPECT_EQ(*icon, (std::vector<std::uint8_t>{105, 75, 255, 0}));
  std::vector<std::uint32_t> wide = values;
  for (std::uint32_t& v : wide) v += 100000;
  icon = make_icon(mono24(wide), dcmdata::explicit_vr_little_endian(), 2);
  ASSERT_TRUE(icon) << icon.error().to_string();
  EXPECT_EQ(*icon, (std::vector<std::uint8_t>{113, 85, 255, 0}));
}

TEST(IconImageTest, RefusesWhatIsNoImage) {
  dcmdata::DataSet ds = mono8(2, 2, {1, 2, 3, 4});
  EXPECT_EQ(make_icon(ds, dcmdata::explicit_vr_little_endian(), 0).error().code(),
            ofstd::ErrorCode::InvalidArgument);
  ASSERT_TRUE(ds.erase(tags::PixelData));
  EXPECT_FALSE(make_icon(ds, dcmdata::explicit_vr_little_endian(), 64));
  ds = mono8(2, 2, {1, 2});  // too little pixel data
  EXPECT_FALSE(make_icon(ds, dcmdata::explicit_vr_little_endian(), 64));
}

std::filesystem::path write_temp(const std::string& name, const std::string& bytes) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(IconImageTest, ReadsBinaryPgmIconsAndScalesThem) {
  const auto path =
      write_temp("dcmkit_icon_test.pgm", std::string("P5\n# made by a test\n2 2\n255\n") +
                                             std::string("\x00\xff\xff\x00", 4));
  auto icon = read_pgm_icon(path, 2);
  ASSERT_TRUE(icon) << icon.error().to_string();
  EXPECT_EQ(*icon, (std::vector<std::uint8_t>{0, 255, 255, 0}));
  icon = read_pgm_icon(path, 4);
  ASSERT_TRUE(icon) << icon.error().to_string();
  EXPECT_EQ(icon->size(), 16u);
  EXPECT_EQ((*icon)[0], 0);
  EXPECT_EQ((*icon)[3], 255);
  std::filesystem::remove(path);
}

TEST(IconImageTest, RefusesOtherFilesAsPgmIcons) {
  EXPECT_EQ(read_pgm_icon("/nonexistent/icon.pgm", 64).error().code(), ofstd::ErrorCode::IoError);
  auto path = write_temp("dcmkit_icon_p2.pgm", "P2\n2 2\n255\n0 1 2 3\n");
  EXPECT_EQ(read_pgm_icon(path, 64).error().message(),
            "wrong file format for external icon (pgm required)");
  std::filesystem::remove(path);
  path = write_temp("dcmkit_icon_16.pgm", "P5\n2 2\n65535\n12345678");
  EXPECT_EQ(read_pgm_icon(path, 64).error().message(),
            "corrupt file format for external icon (not pgm binary)");
  std::filesystem::remove(path);
  path = write_temp("dcmkit_icon_short.pgm", "P5\n200 200\n255\nabc");
  EXPECT_EQ(read_pgm_icon(path, 64).error().code(), ofstd::ErrorCode::MalformedData);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace dcmkit::dcmimage

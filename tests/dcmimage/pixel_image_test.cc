// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/pixel_image.h"

#include <gtest/gtest.h>

#include "dcmkit/dcmdata/dict/tags.h"

namespace dcmkit::dcmimage {
namespace {

using dcmdata::VR;
namespace tags = dcmdata::tags;

// A `columns` x `rows` 16-bit image whose stored values are `values`.
dcmdata::DataSet mono16(std::uint32_t columns, std::uint32_t rows,
                        const std::vector<std::uint16_t>& values, bool is_signed = false) {
  dcmdata::DataSet ds;
  EXPECT_TRUE(ds.set_string(tags::SOPClassUID, VR::UI, "1.2.840.10008.5.1.4.1.1.2"));
  EXPECT_TRUE(ds.set_string(tags::SOPInstanceUID, VR::UI, "1.2.3.4"));
  EXPECT_TRUE(ds.set_int(tags::SamplesPerPixel, VR::US, 1));
  EXPECT_TRUE(ds.set_string(tags::PhotometricInterpretation, "MONOCHROME2"));
  EXPECT_TRUE(ds.set_int(tags::Rows, VR::US, rows));
  EXPECT_TRUE(ds.set_int(tags::Columns, VR::US, columns));
  EXPECT_TRUE(ds.set_int(tags::BitsAllocated, VR::US, 16));
  EXPECT_TRUE(ds.set_int(tags::BitsStored, VR::US, 16));
  EXPECT_TRUE(ds.set_int(tags::HighBit, VR::US, 15));
  EXPECT_TRUE(ds.set_int(tags::PixelRepresentation, VR::US, is_signed ? 1 : 0));
  std::vector<std::byte> bytes;
  for (const std::uint16_t v : values) {
    bytes.push_back(static_cast<std::byte>(v & 0xFF));
    bytes.push_back(static_cast<std::byte>(v >> 8));
  }
  EXPECT_TRUE(
      ds.set_bytes(tags::PixelData, VR::OW, dcmdata::SharedBytes::from_vector(std::move(bytes))));
  return ds;
}

std::vector<std::int32_t> pixel_values(const dcmdata::DataSet& ds) {
  auto image = PixelImage::load(ds, dcmdata::explicit_vr_little_endian());
  EXPECT_TRUE(image) << image.error().to_string();
  if (!image) return {};
  return image->frame(0).samples;
}

TEST(PixelImageTest, HoldsModalityValuesAndWritesThemWithoutRescale) {
  dcmdata::DataSet ds = mono16(2, 2, {0, 10, 20, 1500});
  ASSERT_TRUE(ds.set_string(tags::RescaleIntercept, "-1024"));
  ASSERT_TRUE(ds.set_string(tags::RescaleSlope, "1"));
  auto image = PixelImage::load(ds, dcmdata::explicit_vr_little_endian());
  ASSERT_TRUE(image) << image.error().to_string();
  EXPECT_TRUE(image->is_monochrome());
  EXPECT_EQ(image->frame(0).samples, (std::vector<std::int32_t>{-1024, -1014, -1004, 476}));
  ASSERT_TRUE(image->write_to(ds));
  EXPECT_EQ(ds.get_string(tags::RescaleIntercept).value_or(""), "0");
  EXPECT_EQ(ds.get_string(tags::RescaleSlope).value_or(""), "1");
  // -1024..476 needs 11 bits with the sign; DCMTK's representation: signed 16 bits.
  EXPECT_EQ(ds.get_int(tags::BitsStored).value_or(0), 11);
  EXPECT_EQ(ds.get_int(tags::HighBit).value_or(0), 10);
  EXPECT_EQ(ds.get_int(tags::BitsAllocated).value_or(0), 16);
  EXPECT_EQ(ds.get_int(tags::PixelRepresentation).value_or(0), 1);
  EXPECT_EQ(ds.get_string(tags::NumberOfFrames).value_or(""), "1");
  EXPECT_EQ(pixel_values(ds), (std::vector<std::int32_t>{-1024, -1014, -1004, 476}));
}

TEST(PixelImageTest, SmallValuesGetEightBitsAllocated) {
  dcmdata::DataSet ds = mono16(2, 1, {0, 200});
  auto image = PixelImage::load(ds, dcmdata::explicit_vr_little_endian());
  ASSERT_TRUE(image);
  ASSERT_TRUE(image->write_to(ds));
  EXPECT_EQ(ds.get_int(tags::BitsAllocated).value_or(0), 8);
  EXPECT_EQ(ds.get_int(tags::BitsStored).value_or(0), 8);
  EXPECT_EQ(ds.find(tags::PixelData)->vr(), VR::OB);
  EXPECT_EQ(pixel_values(ds), (std::vector<std::int32_t>{0, 200}));
}

TEST(PixelImageTest, ScalesAndUpdatesPixelSpacing) {
  dcmdata::DataSet ds = mono16(4, 2, {1, 2, 3, 4, 5, 6, 7, 8});
  ASSERT_TRUE(ds.set_strings(tags::PixelSpacing, VR::DS, {"0.5", "0.5"}));
  auto image = PixelImage::load(ds, dcmdata::explicit_vr_little_endian());
  ASSERT_TRUE(image);
  GeometryOptions geometry;
  geometry.scale_mode = ScaleMode::XFactor;
  geometry.scale_factor = 0.5;
  geometry.interpolation = dcmimgle::Interpolation::None;
  ASSERT_TRUE(image->transform(geometry));
  EXPECT_EQ(image->width(), 2u);
  EXPECT_EQ(image->height(), 1u);
  ASSERT_TRUE(image->write_to(ds));
  EXPECT_EQ(ds.get_strings(tags::PixelSpacing).value_or(std::vector<std::string>{}),
            (std::vector<std::string>{"1.000000", "1.000000"}));
  EXPECT_EQ(ds.get_int(tags::Rows).value_or(0), 1);
  EXPECT_EQ(ds.get_int(tags::Columns).value_or(0), 2);
}

TEST(PixelImageTest, ClipsWithNegativeOffsetAndZeroWidthAsDcmtk) {
  dcmdata::DataSet ds = mono16(3, 2, {1, 2, 3, 4, 5, 6});
  auto image = PixelImage::load(ds, dcmdata::explicit_vr_little_endian());
  ASSERT_TRUE(image);
  GeometryOptions geometry;
  geometry.clip = ClipRegion{-1, 1, 0, 2};  // width 0: to the right edge (4 columns from -1)
  ASSERT_TRUE(image->transform(geometry));
  EXPECT_EQ(image->width(), 4u);
  EXPECT_EQ(image->height(), 2u);
  EXPECT_EQ(image->frame(0).samples, (std::vector<std::int32_t>{0, 4, 5, 6, 0, 0, 0, 0}));
}

TEST(PixelImageTest, KeepsPlanarConfigurationOfColourImages) {
  dcmdata::DataSet ds;
  ASSERT_TRUE(ds.set_int(tags::SamplesPerPixel, VR::US, 3));
  ASSERT_TRUE(ds.set_string(tags::PhotometricInterpretation, "RGB"));
  ASSERT_TRUE(ds.set_int(tags::PlanarConfiguration, VR::US, 1));
  ASSERT_TRUE(ds.set_int(tags::Rows, VR::US, 1));
  ASSERT_TRUE(ds.set_int(tags::Columns, VR::US, 2));
  ASSERT_TRUE(ds.set_int(tags::BitsAllocated, VR::US, 8));
  ASSERT_TRUE(ds.set_int(tags::BitsStored, VR::US, 8));
  ASSERT_TRUE(ds.set_int(tags::HighBit, VR::US, 7));
  ASSERT_TRUE(ds.set_int(tags::PixelRepresentation, VR::US, 0));
  // Planar: R R G G B B.
  std::vector<std::byte> bytes{std::byte{1}, std::byte{2}, std::byte{3},
                               std::byte{4}, std::byte{5}, std::byte{6}};
  ASSERT_TRUE(
      ds.set_bytes(tags::PixelData, VR::OB, dcmdata::SharedBytes::from_vector(std::move(bytes))));
  auto image = PixelImage::load(ds, dcmdata::explicit_vr_little_endian());
  ASSERT_TRUE(image) << image.error().to_string();
  EXPECT_FALSE(image->is_monochrome());
  EXPECT_EQ(image->frame(0).samples, (std::vector<std::int32_t>{1, 3, 5, 2, 4, 6}));
  ASSERT_TRUE(image->write_to(ds));
  EXPECT_EQ(ds.get_int(tags::PlanarConfiguration).value_or(0), 1);
  EXPECT_EQ(pixel_values(ds), (std::vector<std::int32_t>{1, 3, 5, 2, 4, 6}));
}

TEST(PixelImageTest, RejectsHostileImagesWithErrors) {
  // Too little pixel data for the size claimed.
  dcmdata::DataSet big = mono16(2, 2, {1, 2, 3, 4});
  ASSERT_TRUE(big.set_int(tags::Rows, VR::US, 65535));
  ASSERT_TRUE(big.set_int(tags::Columns, VR::US, 65535));
  auto image = PixelImage::load(big, dcmdata::explicit_vr_little_endian());
  ASSERT_FALSE(image);
  // No pixel data.
  dcmdata::DataSet none = mono16(2, 2, {1, 2, 3, 4});
  none.erase(tags::PixelData);
  image = PixelImage::load(none, dcmdata::explicit_vr_little_endian());
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().code(), ofstd::ErrorCode::NotFound);
  // Monochrome with three samples per pixel.
  dcmdata::DataSet samples = mono16(2, 2, {1, 2, 3, 4});
  ASSERT_TRUE(samples.set_int(tags::SamplesPerPixel, VR::US, 3));
  image = PixelImage::load(samples, dcmdata::explicit_vr_little_endian());
  ASSERT_FALSE(image);
  // High Bit beyond Bits Allocated.
  dcmdata::DataSet high = mono16(2, 2, {1, 2, 3, 4});
  ASSERT_TRUE(high.set_int(tags::HighBit, VR::US, 40));
  image = PixelImage::load(high, dcmdata::explicit_vr_little_endian());
  ASSERT_FALSE(image);
  // Beyond the memory limit.
  PixelImageOptions limited;
  limited.max_total_samples = 3;
  image =
      PixelImage::load(mono16(2, 2, {1, 2, 3, 4}), dcmdata::explicit_vr_little_endian(), limited);
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().code(), ofstd::ErrorCode::LimitExceeded);
}

TEST(PixelImageTest, RefusesSizesThatCannotBeWritten) {
  auto image = PixelImage::load(mono16(2, 2, {1, 2, 3, 4}), dcmdata::explicit_vr_little_endian());
  ASSERT_TRUE(image);
  GeometryOptions geometry;
  geometry.scale_mode = ScaleMode::XSize;
  geometry.scale_size = 100000;
  auto done = image->transform(geometry);
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code(), ofstd::ErrorCode::InvalidArgument);
  // Clipping outside the image while scaling without interpolation.
  geometry = {};
  geometry.scale_mode = ScaleMode::XFactor;
  geometry.scale_factor = 2;
  geometry.interpolation = dcmimgle::Interpolation::None;
  geometry.clip = ClipRegion{1, 1, 5, 5};
  done = image->transform(geometry);
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code(), ofstd::ErrorCode::InvalidArgument);
  // A size that truncates to 0 keeps the image's size (DCMTK).
  geometry = {};
  geometry.scale_mode = ScaleMode::XFactor;
  geometry.scale_factor = 0.01;
  ASSERT_TRUE(image->transform(geometry));
  EXPECT_EQ(image->width(), 2u);
  // One side truncating to 0 is an error (DCMTK: "cannot create new image").
  auto wide = PixelImage::load(mono16(4, 1, {1, 2, 3, 4}), dcmdata::explicit_vr_little_endian());
  ASSERT_TRUE(wide);
  geometry.scale_factor = 0.5;
  EXPECT_FALSE(wide->transform(geometry));
}

TEST(PixelImageTest, InterpolatedScalingClipsUnlessPnmscaleIsUsed) {
  // DCMTK 3.6.7's dcmscale +C 1 1 2 2 +Sxf 2: +i 2..4 scale the region, +i 1 (pnmscale)
  // ignores it and scales the whole 4 x 4 image to 4 x 4 (that is, keeps it).
  const std::vector<std::uint16_t> values = {0,  10, 20,  30,  40,  50,  60,  70,
                                             80, 90, 100, 110, 120, 130, 140, 150};
  GeometryOptions geometry;
  geometry.scale_mode = ScaleMode::XFactor;
  geometry.scale_factor = 2;
  geometry.clip = ClipRegion{1, 1, 2, 2};
  geometry.interpolation = dcmimgle::Interpolation::Ct;
  auto image = PixelImage::load(mono16(4, 4, values), dcmdata::explicit_vr_little_endian());
  ASSERT_TRUE(image);
  ASSERT_TRUE(image->transform(geometry));
  EXPECT_EQ(image->frame(0).samples,
            (std::vector<std::int32_t>{50, 50, 60, 60, 50, 50, 60, 60,  //
                                       90, 90, 100, 100, 90, 90, 100, 100}));
  geometry.interpolation = dcmimgle::Interpolation::Pbmplus;
  image = PixelImage::load(mono16(4, 4, values), dcmdata::explicit_vr_little_endian());
  ASSERT_TRUE(image);
  ASSERT_TRUE(image->transform(geometry));
  EXPECT_EQ(image->frame(0).samples, (std::vector<std::int32_t>(values.begin(), values.end())));
}

TEST(PixelImageTest, MarkDerivedReferencesTheSourceInstance) {
  dcmdata::DataSet ds = mono16(1, 1, {0});
  ASSERT_TRUE(ds.set_strings(tags::ImageType, VR::CS, {"ORIGINAL", "PRIMARY"}));
  ASSERT_TRUE(ds.set_string(tags::DerivationDescription, VR::ST, "earlier"));
  dcmdata::DataSet meta;
  ASSERT_TRUE(ds.set_string(tags::SOPInstanceUID, VR::UI, "1.2.3.4"));
  ASSERT_TRUE(meta.set_string(tags::MediaStorageSOPInstanceUID, VR::UI, "1.2.3.4"));
  ASSERT_TRUE(mark_derived(ds, "Scaled image", true, &meta));
  EXPECT_EQ(ds.get_strings(tags::ImageType).value_or(std::vector<std::string>{}),
            (std::vector<std::string>{"DERIVED", "PRIMARY"}));
  EXPECT_EQ(ds.get_string(tags::DerivationDescription).value_or(""), "Scaled image [earlier]");
  const std::string uid = ds.get_string(tags::SOPInstanceUID).value_or("");
  EXPECT_NE(uid, "1.2.3.4");
  EXPECT_EQ(meta.get_string(tags::MediaStorageSOPInstanceUID).value_or(""), uid);
  const dcmdata::Element* source = ds.find(tags::SourceImageSequence);
  ASSERT_NE(source, nullptr);
  ASSERT_EQ(source->items().size(), 1u);
  EXPECT_EQ(source->items()[0].get_string(tags::SOPInstanceUID).value_or(""), "1.2.3.4");
  // Without a new instance only Image Type and the description change.
  dcmdata::DataSet same = mono16(1, 1, {0});
  ASSERT_TRUE(mark_derived(same, "Clipped rectangular image region", false));
  EXPECT_EQ(same.get_string(tags::SOPInstanceUID).value_or(""), "1.2.3.4");
  EXPECT_FALSE(same.contains(tags::SourceImageSequence));
}

}  // namespace
}  // namespace dcmkit::dcmimage

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/renderer.h"

#include <gtest/gtest.h>

#include "dcmkit/dcmdata/dict/tags.h"

namespace dcmkit::dcmimage {
namespace {

using dcmdata::VR;
namespace tags = dcmdata::tags;

dcmdata::DataSet ramp(const char* photometric) {
  dcmdata::DataSet ds;
  EXPECT_TRUE(ds.set_int(tags::SamplesPerPixel, VR::US, 1));
  EXPECT_TRUE(ds.set_string(tags::PhotometricInterpretation, photometric));
  EXPECT_TRUE(ds.set_int(tags::Rows, VR::US, 1));
  EXPECT_TRUE(ds.set_int(tags::Columns, VR::US, 4));
  EXPECT_TRUE(ds.set_int(tags::BitsAllocated, VR::US, 8));
  EXPECT_TRUE(ds.set_int(tags::BitsStored, VR::US, 8));
  EXPECT_TRUE(ds.set_int(tags::HighBit, VR::US, 7));
  EXPECT_TRUE(ds.set_int(tags::PixelRepresentation, VR::US, 0));
  std::vector<std::byte> pixels{std::byte{0}, std::byte{10}, std::byte{20}, std::byte{255}};
  EXPECT_TRUE(
      ds.set_bytes(tags::PixelData, VR::OB, dcmdata::SharedBytes::from_vector(std::move(pixels))));
  return ds;
}

TEST(RendererTest, RendersMonochromeWithMinMaxWindowAndRotation) {
  const dcmdata::DataSet ds = ramp("MONOCHROME2");
  RenderOptions options;
  options.voi_mode = VoiMode::MinMax;
  options.rotation = 90;
  auto r = Renderer::create(ds, dcmdata::explicit_vr_little_endian(), options);
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_TRUE(r->prepare(0, 1));
  auto bitmap = r->render(0);
  ASSERT_TRUE(bitmap) << bitmap.error().to_string();
  EXPECT_EQ(bitmap->width, 1u);
  EXPECT_EQ(bitmap->height, 4u);
  EXPECT_EQ(bitmap->samples, (std::vector<std::uint32_t>{0, 10, 20, 255}));
}

TEST(RendererTest, InvertsMonochrome1) {
  const dcmdata::DataSet ds = ramp("MONOCHROME1");
  auto r = Renderer::create(ds, dcmdata::explicit_vr_little_endian(), {});
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->prepare(0, 1));
  auto bitmap = r->render(0);
  ASSERT_TRUE(bitmap);
  EXPECT_EQ(bitmap->samples.front(), 255u);
  // DCMTK's inverted output range is 0 - 255 + 1, so the brightest value ends at 1.
  EXPECT_EQ(bitmap->samples.back(), 1u);
}

TEST(RendererTest, RejectsUnknownPhotometricInterpretation) {
  const dcmdata::DataSet ds = ramp("XYZ");
  auto r = Renderer::create(ds, dcmdata::explicit_vr_little_endian(), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ofstd::ErrorCode::Unsupported);
}

TEST(RendererTest, ClippingKeepsTheRequestedSizeAndFillsWithModalityZero) {
  dcmdata::DataSet ds = ramp("MONOCHROME2");
  // Rescale intercept 100: the fill (modality value 0) lies below the range and wraps, as in
  // DCMTK, to 256 - 100.
  ASSERT_TRUE(ds.set_string(tags::RescaleIntercept, "100"));
  ASSERT_TRUE(ds.set_string(tags::RescaleSlope, "1"));
  RenderOptions options;
  options.clip = Region{2, 0, 4, 2};
  auto r = Renderer::create(ds, dcmdata::explicit_vr_little_endian(), options);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->prepare(0, 1));
  auto bitmap = r->render(0);
  ASSERT_TRUE(bitmap);
  EXPECT_EQ(bitmap->width, 4u);
  EXPECT_EQ(bitmap->height, 2u);
  EXPECT_EQ(bitmap->samples, (std::vector<std::uint32_t>{20, 255, 156, 156, 156, 156, 156, 156}));
}

TEST(RendererTest, MinMaxWithoutExtremesOfABinaryImageRendersWithoutWindow) {
  dcmdata::DataSet ds = ramp("MONOCHROME2");
  std::vector<std::byte> pixels{std::byte{0}, std::byte{1}, std::byte{1}, std::byte{0}};
  ASSERT_TRUE(
      ds.set_bytes(tags::PixelData, VR::OB, dcmdata::SharedBytes::from_vector(std::move(pixels))));
  RenderOptions options;
  options.voi_mode = VoiMode::MinMaxNoExtremes;
  auto r = Renderer::create(ds, dcmdata::explicit_vr_little_endian(), options);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->prepare(0, 1));
  auto bitmap = r->render(0);
  ASSERT_TRUE(bitmap);
  EXPECT_EQ(bitmap->samples, (std::vector<std::uint32_t>{0, 1, 1, 0}));
}

}  // namespace
}  // namespace dcmkit::dcmimage

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/renderer.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstring>
#include <string>

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

// ramp("MONOCHROME2/1") with a 10-bit VOI LUT of 256 entries: entry i is 1023 - 4 i.
dcmdata::DataSet ramp_with_voi_lut(const char* photometric) {
  dcmdata::DataSet ds = ramp(photometric);
  std::vector<std::byte> descriptor;
  std::vector<std::byte> entries;
  const auto put = [](std::vector<std::byte>& out, std::uint32_t v) {
    out.push_back(static_cast<std::byte>(v & 0xFFu));
    out.push_back(static_cast<std::byte>(v >> 8u));
  };
  for (const std::uint32_t v : {256u, 0u, 10u}) put(descriptor, v);
  for (std::uint32_t i = 0; i < 256; ++i) put(entries, 1023 - 4 * i);
  dcmdata::DataSet item;
  EXPECT_TRUE(item.set_bytes(tags::LUTDescriptor, VR::US,
                             dcmdata::SharedBytes::from_vector(std::move(descriptor))));
  EXPECT_TRUE(
      item.set_bytes(tags::LUTData, VR::OW, dcmdata::SharedBytes::from_vector(std::move(entries))));
  ds.insert(dcmdata::Element::sequence(tags::VOILUTSequence, {item}));
  return ds;
}

std::vector<std::uint32_t> render_first_frame(const dcmdata::DataSet& ds,
                                              const RenderOptions& options) {
  auto r = Renderer::create(ds, dcmdata::explicit_vr_little_endian(), options);
  EXPECT_TRUE(r) << r.error().to_string();
  if (!r) return {};
  EXPECT_TRUE(r->prepare(0, 1));
  auto bitmap = r->render(0);
  EXPECT_TRUE(bitmap) << bitmap.error().to_string();
  return bitmap ? bitmap->samples : std::vector<std::uint32_t>{};
}

TEST(RendererTest, VoiLutEntriesSpreadOverTheOutputAndIndexTheDisplayLut) {
  // Pixels 0, 10, 20, 255 pick entries 1023, 983, 943, 3 of the 10-bit VOI LUT.
  RenderOptions options;
  options.voi_mode = VoiMode::FileLut;
  // e 256 / 1024, truncated; MONOCHROME1: 255 - e 254 / 1024.
  EXPECT_EQ(render_first_frame(ramp_with_voi_lut("MONOCHROME2"), options),
            (std::vector<std::uint32_t>{255, 245, 235, 0}));
  EXPECT_EQ(render_first_frame(ramp_with_voi_lut("MONOCHROME1"), options),
            (std::vector<std::uint32_t>{1, 11, 21, 254}));
  // Calibrated to the GSDF, the entries index a display LUT of 2^10 entries (MONOCHROME1: from
  // its end).
  std::string text = "max 255\n";
  for (int i = 0; i <= 255; ++i)
    text += std::to_string(i) + " " + std::to_string(i * i / 64 + 1) + "\n";
  auto device = dcmimgle::Characteristic::parse(text);
  ASSERT_TRUE(device);
  options.display = *device;
  auto ddls = dcmimgle::display_lut(*device, options.display_settings, 1024);
  ASSERT_TRUE(ddls);
  const std::vector<std::uint16_t>& d = *ddls;
  EXPECT_EQ(render_first_frame(ramp_with_voi_lut("MONOCHROME2"), options),
            (std::vector<std::uint32_t>{d[1023], d[983], d[943], d[3]}));
  EXPECT_EQ(render_first_frame(ramp_with_voi_lut("MONOCHROME1"), options),
            (std::vector<std::uint32_t>{d[0], d[40], d[80], d[1020]}));
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

// A signed 16-bit image (12 bits stored at high bit 13, garbage in the other bits) with
// `frames` frames of `columns` x 3 pixels, rescaled.
dcmdata::DataSet signed_image(std::uint32_t columns, std::uint32_t frames) {
  dcmdata::DataSet ds;
  EXPECT_TRUE(ds.set_int(tags::SamplesPerPixel, VR::US, 1));
  EXPECT_TRUE(ds.set_string(tags::PhotometricInterpretation, "MONOCHROME2"));
  EXPECT_TRUE(ds.set_int(tags::Rows, VR::US, 3));
  EXPECT_TRUE(ds.set_int(tags::Columns, VR::US, columns));
  EXPECT_TRUE(ds.set_int(tags::BitsAllocated, VR::US, 16));
  EXPECT_TRUE(ds.set_int(tags::BitsStored, VR::US, 12));
  EXPECT_TRUE(ds.set_int(tags::HighBit, VR::US, 13));
  EXPECT_TRUE(ds.set_int(tags::PixelRepresentation, VR::US, 1));
  EXPECT_TRUE(ds.set_string(tags::NumberOfFrames, std::to_string(frames)));
  EXPECT_TRUE(ds.set_string(tags::RescaleSlope, "0.7"));
  EXPECT_TRUE(ds.set_string(tags::RescaleIntercept, "-3.5"));
  std::vector<std::byte> pixels;
  std::uint32_t seed = 12345;
  for (std::uint32_t i = 0; i < 3 * columns * frames; ++i) {
    seed = seed * 1103515245u + 12345u;
    const auto word = static_cast<std::uint16_t>(seed >> 8);
    pixels.push_back(static_cast<std::byte>(word & 0xFF));
    pixels.push_back(static_cast<std::byte>(word >> 8));
  }
  EXPECT_TRUE(
      ds.set_bytes(tags::PixelData, VR::OW, dcmdata::SharedBytes::from_vector(std::move(pixels))));
  return ds;
}

// The monochrome pipeline step by step, as the renderer runs it when geometry is involved.
std::vector<std::uint32_t> step_by_step(const Renderer& r, const dcmdata::DataSet& ds,
                                        std::uint64_t frame, const dcmimgle::VoiSetting& voi,
                                        std::uint32_t bits) {
  std::vector<std::int32_t> values;
  EXPECT_TRUE(r.frames().unpack(frame, values));
  auto modality = dcmimgle::ModalityTransform::from(ds);
  EXPECT_TRUE(modality);
  modality->apply(values, values);
  const dcmimgle::ModalityRange range =
      modality->range(r.frames().min_storable(), r.frames().max_storable());
  std::vector<std::uint32_t> out;
  dcmimgle::render_mono(values, range, voi,
                        {bits, false, dcmimgle::uses_dcmtk_table(range, values.size())}, out);
  return out;
}

TEST(RendererTest, OneTablePerImageGivesTheStepByStepResult) {
  for (const std::uint32_t columns : {5u, 40u}) {  // below and above DCMTK's table threshold
    const dcmdata::DataSet ds = signed_image(columns, 3);
    for (const std::uint32_t bits : {8u, 16u}) {
      RenderOptions options;
      options.voi_mode = VoiMode::Explicit;
      options.window = {-20.5, 900, dcmimgle::VoiFunction::Linear};
      options.output_bits = bits;
      auto r = Renderer::create(ds, dcmdata::explicit_vr_little_endian(), options);
      ASSERT_TRUE(r) << r.error().to_string();
      ASSERT_TRUE(r->prepare(0, 3));
      Bitmap reused;
      for (std::uint64_t f = 0; f < 3; ++f) {
        ASSERT_TRUE(r->render(f, reused));
        EXPECT_EQ(reused.width, columns);
        EXPECT_EQ(reused.height, 3u);
        EXPECT_EQ(reused.samples, step_by_step(*r, ds, f,
                                               dcmimgle::VoiSetting::from_window(
                                                   {-20.5, 900, dcmimgle::VoiFunction::Linear}),
                                               bits))
            << "frame " << f << " bits " << bits << " columns " << columns;
        auto fresh = r->render(f);
        ASSERT_TRUE(fresh);
        EXPECT_EQ(fresh->samples, reused.samples);
      }
    }
  }
}

TEST(RendererTest, RefusesPixelDataShorterThanOneFrame) {
  dcmdata::DataSet ds = signed_image(4, 1);
  // 12 pixels declared, 10 stored.
  const dcmdata::SharedBytes& stored = ds.find(tags::PixelData)->bytes();
  std::vector<std::byte> bytes(stored.data(), stored.data() + stored.size());
  bytes.resize(20);
  ASSERT_TRUE(
      ds.set_bytes(tags::PixelData, VR::OW, dcmdata::SharedBytes::from_vector(std::move(bytes))));
  RenderOptions options;
  options.voi_mode = VoiMode::Explicit;
  options.window = {0, 100, dcmimgle::VoiFunction::Linear};
  auto r = Renderer::create(ds, dcmdata::explicit_vr_little_endian(), options);
  // A frame must be complete (hostile Rows/Columns): refused.
  EXPECT_FALSE(r);
}

// Float or double pixel data (OF / OD) of `columns` x 2 pixels.
dcmdata::DataSet float_image(const std::vector<double>& values, bool doubles) {
  dcmdata::DataSet ds;
  EXPECT_TRUE(ds.set_int(tags::SamplesPerPixel, VR::US, 1));
  EXPECT_TRUE(ds.set_string(tags::PhotometricInterpretation, "MONOCHROME2"));
  EXPECT_TRUE(ds.set_int(tags::Rows, VR::US, 2));
  EXPECT_TRUE(ds.set_int(tags::Columns, VR::US, static_cast<std::int64_t>(values.size() / 2)));
  EXPECT_TRUE(ds.set_int(tags::BitsAllocated, VR::US, doubles ? 64 : 32));
  std::vector<std::byte> bytes;
  for (const double v : values) {
    std::uint64_t bits = doubles ? std::bit_cast<std::uint64_t>(v)
                                 : std::bit_cast<std::uint32_t>(static_cast<float>(v));
    for (int b = 0; b < (doubles ? 8 : 4); ++b) {
      bytes.push_back(static_cast<std::byte>(bits & 0xFF));
      bits >>= 8;
    }
  }
  EXPECT_TRUE(ds.set_bytes(doubles ? tags::DoubleFloatPixelData : tags::FloatPixelData,
                           doubles ? VR::OD : VR::OF,
                           dcmdata::SharedBytes::from_vector(std::move(bytes))));
  return ds;
}

TEST(RendererTest, FloatPixelDataGetsItsMinMaxWindowByDefault) {
  for (const bool doubles : {false, true}) {
    const dcmdata::DataSet ds = float_image({-1.0, -0.5, 0.0, 0.5, 1.0, 0.25}, doubles);
    auto r = Renderer::create(ds, dcmdata::explicit_vr_little_endian(), {});
    ASSERT_TRUE(r) << r.error().to_string();
    ASSERT_TRUE(r->prepare(0, 1));
    ASSERT_TRUE(r->value_range());
    EXPECT_EQ(r->value_range()->first, -1.0);
    EXPECT_EQ(r->value_range()->second, 1.0);
    auto bitmap = r->render(0);
    ASSERT_TRUE(bitmap) << bitmap.error().to_string();
    EXPECT_EQ(bitmap->width, 3u);
    EXPECT_EQ(bitmap->height, 2u);
    // LINEAR_EXACT over [-1, 1]: (x + 1) / 2 * 255, truncated.
    EXPECT_EQ(bitmap->samples, (std::vector<std::uint32_t>{0, 63, 127, 191, 255, 159}));
  }
}

TEST(RendererTest, FloatPixelDataTakesRescaleWindowsPolarityAndGeometry) {
  dcmdata::DataSet ds = float_image({0.0, 10.0, 20.0, 30.0, 40.0, 50.0}, false);
  ASSERT_TRUE(ds.set_string(tags::RescaleSlope, "2"));
  ASSERT_TRUE(ds.set_string(tags::RescaleIntercept, "-20"));  // -20 .. 80
  RenderOptions options;
  options.voi_mode = VoiMode::Explicit;
  options.window = {44, 128, dcmimgle::VoiFunction::LinearExact};  // -20 .. 108
  options.reverse_polarity = true;
  options.rotation = 180;
  auto r = Renderer::create(ds, dcmdata::explicit_vr_little_endian(), options);
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_TRUE(r->prepare(0, 1));
  auto bitmap = r->render(0);
  ASSERT_TRUE(bitmap) << bitmap.error().to_string();
  // Values -20 0 20 / 40 60 80 -> 255 215 175 / 135 95 55 (inverted: 255 - (x + 20) * 255 /
  // 128, truncated), rotated by 180 degrees.
  EXPECT_EQ(bitmap->samples, (std::vector<std::uint32_t>{55, 95, 135, 175, 215, 255}));
}

TEST(RendererTest, FloatPixelDataRefusesHistogramWindowsAndColour) {
  const dcmdata::DataSet ds = float_image({1, 2, 3, 4}, true);
  RenderOptions options;
  options.voi_mode = VoiMode::Histogram;
  auto r = Renderer::create(ds, dcmdata::explicit_vr_little_endian(), options);
  ASSERT_TRUE(r);
  auto prepared = r->prepare(0, 1);
  ASSERT_FALSE(prepared);
  EXPECT_EQ(prepared.error().code(), ofstd::ErrorCode::Unsupported);
  auto unprepared = Renderer::create(ds, dcmdata::explicit_vr_little_endian(), {});
  ASSERT_TRUE(unprepared);
  EXPECT_FALSE(unprepared->render(0)) << "float data needs prepare()";
  dcmdata::DataSet rgb = float_image({1, 2, 3, 4, 5, 6}, false);
  ASSERT_TRUE(rgb.set_string(tags::PhotometricInterpretation, "RGB"));
  ASSERT_TRUE(rgb.set_int(tags::SamplesPerPixel, VR::US, 3));
  ASSERT_TRUE(rgb.set_int(tags::Columns, VR::US, 1));
  EXPECT_FALSE(Renderer::create(rgb, dcmdata::explicit_vr_little_endian(), {}));
}

}  // namespace
}  // namespace dcmkit::dcmimage

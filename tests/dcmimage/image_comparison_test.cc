// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/image_comparison.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "dcmkit/dcmdata/dict/tags.h"

namespace dcmkit::dcmimage {
namespace {

using dcmdata::VR;
namespace tags = dcmdata::tags;

// A `columns` x `rows` 16-bit monochrome image of `frames` frames whose stored values are
// `values` (all frames one after the other).
dcmdata::DataSet mono16(std::uint32_t columns, std::uint32_t rows,
                        const std::vector<std::int32_t>& values, bool is_signed = false,
                        std::uint32_t frames = 1) {
  dcmdata::DataSet ds;
  EXPECT_TRUE(ds.set_int(tags::SamplesPerPixel, VR::US, 1));
  EXPECT_TRUE(ds.set_string(tags::PhotometricInterpretation, "MONOCHROME2"));
  EXPECT_TRUE(ds.set_int(tags::Rows, VR::US, rows));
  EXPECT_TRUE(ds.set_int(tags::Columns, VR::US, columns));
  if (frames > 1) {
    EXPECT_TRUE(ds.set_string(tags::NumberOfFrames, std::to_string(frames)));
  }
  EXPECT_TRUE(ds.set_int(tags::BitsAllocated, VR::US, 16));
  EXPECT_TRUE(ds.set_int(tags::BitsStored, VR::US, 16));
  EXPECT_TRUE(ds.set_int(tags::HighBit, VR::US, 15));
  EXPECT_TRUE(ds.set_int(tags::PixelRepresentation, VR::US, is_signed ? 1 : 0));
  std::vector<std::byte> bytes;
  for (const std::int32_t value : values) {
    const auto v = static_cast<std::uint16_t>(value);
    bytes.push_back(static_cast<std::byte>(v & 0xFF));
    bytes.push_back(static_cast<std::byte>(v >> 8));
  }
  EXPECT_TRUE(
      ds.set_bytes(tags::PixelData, VR::OW, dcmdata::SharedBytes::from_vector(std::move(bytes))));
  return ds;
}

// An 8-bit RGB image (interleaved samples).
dcmdata::DataSet rgb8(std::uint32_t columns, std::uint32_t rows,
                      const std::vector<std::uint8_t>& samples) {
  dcmdata::DataSet ds;
  EXPECT_TRUE(ds.set_int(tags::SamplesPerPixel, VR::US, 3));
  EXPECT_TRUE(ds.set_string(tags::PhotometricInterpretation, "RGB"));
  EXPECT_TRUE(ds.set_int(tags::PlanarConfiguration, VR::US, 0));
  EXPECT_TRUE(ds.set_int(tags::Rows, VR::US, rows));
  EXPECT_TRUE(ds.set_int(tags::Columns, VR::US, columns));
  EXPECT_TRUE(ds.set_int(tags::BitsAllocated, VR::US, 8));
  EXPECT_TRUE(ds.set_int(tags::BitsStored, VR::US, 8));
  EXPECT_TRUE(ds.set_int(tags::HighBit, VR::US, 7));
  EXPECT_TRUE(ds.set_int(tags::PixelRepresentation, VR::US, 0));
  std::vector<std::byte> bytes;
  for (const std::uint8_t v : samples) bytes.push_back(static_cast<std::byte>(v));
  if (bytes.size() % 2 != 0) bytes.push_back(std::byte{0});
  EXPECT_TRUE(
      ds.set_bytes(tags::PixelData, VR::OB, dcmdata::SharedBytes::from_vector(std::move(bytes))));
  return ds;
}

// Loads, configures and compares two images; the test fails on any error.
ImageComparison compare(const dcmdata::DataSet& a, const dcmdata::DataSet& b,
                        const ComparisonOptions& options = {}, bool keep = false) {
  auto reference = ComparisonImage::load(a, dcmdata::explicit_vr_little_endian(), options);
  auto test = ComparisonImage::load(b, dcmdata::explicit_vr_little_endian(), options);
  EXPECT_TRUE(reference) << reference.error().to_string();
  EXPECT_TRUE(test) << test.error().to_string();
  if (!reference || !test) return {};
  std::vector<std::string> warnings;
  EXPECT_TRUE(configure_comparison(*reference, *test, options, warnings));
  EXPECT_FALSE(find_mismatch(*reference, *test));
  auto result = compare_images(*reference, *test, keep);
  EXPECT_TRUE(result) << result.error().to_string();
  return result ? *result : ImageComparison{};
}

TEST(MetricAccumulatorTest, IdenticalValuesGiveZeroErrorAndInfiniteRatios) {
  MetricAccumulator sums;
  const std::vector<std::int32_t> values{1, 2, 3, -4};
  sums.add(values, values);
  const ComparisonMetrics m = sums.metrics();
  EXPECT_EQ(m.max_absolute_error, 0u);
  EXPECT_EQ(m.mean_absolute_error, 0.0);
  EXPECT_EQ(m.root_mean_square_error, 0.0);
  EXPECT_TRUE(std::isinf(m.peak_signal_to_noise_ratio) && m.peak_signal_to_noise_ratio > 0);
  EXPECT_TRUE(std::isinf(m.signal_to_noise_ratio) && m.signal_to_noise_ratio > 0);
}

TEST(MetricAccumulatorTest, ComputesErrorsAndRatiosAgainstTheReference) {
  MetricAccumulator sums;
  const std::vector<std::int32_t> reference{0, 1, 2, 3};
  const std::vector<std::int32_t> test{0, 1, 2, 5};
  sums.add(reference, test);
  const ComparisonMetrics m = sums.metrics();
  EXPECT_EQ(m.max_absolute_error, 2u);
  EXPECT_DOUBLE_EQ(m.mean_absolute_error, 0.5);
  EXPECT_DOUBLE_EQ(m.root_mean_square_error, 1.0);
  // Peak 3, MSE 1; signal (0 + 1 + 4 + 9) / 4.
  EXPECT_DOUBLE_EQ(m.peak_signal_to_noise_ratio, 10 * std::log10(9.0));
  EXPECT_DOUBLE_EQ(m.signal_to_noise_ratio, 10 * std::log10(3.5));
}

TEST(MetricAccumulatorTest, PeakIsTheLargestMagnitudeOfTheReference) {
  MetricAccumulator sums;
  sums.add(std::vector<std::int32_t>{-3000, 5}, std::vector<std::int32_t>{-3000, 6});
  EXPECT_EQ(sums.peak(), 3000u);
  // Only the reference counts.
  sums.add(std::vector<std::int32_t>{0}, std::vector<std::int32_t>{-5000});
  EXPECT_EQ(sums.peak(), 3000u);
  EXPECT_EQ(sums.metrics().max_absolute_error, 5000u);
}

TEST(MetricAccumulatorTest, ZeroReferenceGivesMinusInfinityAndBothZeroNan) {
  MetricAccumulator sums;
  sums.add(std::vector<std::uint32_t>{0, 0}, std::vector<std::uint32_t>{0, 7});
  const ComparisonMetrics m = sums.metrics();
  EXPECT_TRUE(std::isinf(m.peak_signal_to_noise_ratio) && m.peak_signal_to_noise_ratio < 0);
  EXPECT_TRUE(std::isinf(m.signal_to_noise_ratio) && m.signal_to_noise_ratio < 0);
  MetricAccumulator zeros;
  zeros.add(std::vector<std::uint32_t>{0, 0}, std::vector<std::uint32_t>{0, 0});
  EXPECT_TRUE(std::isnan(zeros.metrics().peak_signal_to_noise_ratio));
  EXPECT_TRUE(std::isnan(zeros.metrics().signal_to_noise_ratio));
}

TEST(MetricAccumulatorTest, ScaleDividesMeansButNotRatiosOfSums) {
  MetricAccumulator sums;
  sums.add(std::vector<std::int32_t>{10, 10}, std::vector<std::int32_t>{6, 10});
  const ComparisonMetrics m = sums.metrics(4);
  EXPECT_DOUBLE_EQ(m.mean_absolute_error, 4.0 / 8);
  EXPECT_DOUBLE_EQ(m.root_mean_square_error, std::sqrt(16.0 / 8));
  EXPECT_DOUBLE_EQ(m.signal_to_noise_ratio, 10 * std::log10(200.0 / 16));
}

TEST(MetricAccumulatorTest, NoSamplesGiveZeros) {
  const ComparisonMetrics m = MetricAccumulator{}.metrics();
  EXPECT_EQ(m.max_absolute_error, 0u);
  EXPECT_EQ(m.peak_signal_to_noise_ratio, 0.0);
}

TEST(ImageComparisonTest, ComparesModalityValuesWithoutWindow) {
  dcmdata::DataSet a = mono16(2, 2, {0, 10, 20, 30});
  dcmdata::DataSet b = mono16(2, 2, {0, 10, 20, 34});
  for (dcmdata::DataSet* ds : {&a, &b}) {
    ASSERT_TRUE(ds->set_string(tags::RescaleSlope, "2"));
    ASSERT_TRUE(ds->set_string(tags::RescaleIntercept, "-100"));
  }
  const ImageComparison result = compare(a, b, {}, true);
  EXPECT_EQ(result.metrics.max_absolute_error, 8u);
  EXPECT_DOUBLE_EQ(result.metrics.mean_absolute_error, 2.0);
  // Peak: |-100|, the largest magnitude of the reference's modality values.
  EXPECT_DOUBLE_EQ(result.metrics.peak_signal_to_noise_ratio, -10 * std::log10(16.0 / 10000));
  EXPECT_EQ(result.difference, (std::vector<std::uint32_t>{0, 0, 0, 8}));
  EXPECT_EQ(result.difference_bits, 16u);
  // -M compares stored values.
  ComparisonOptions stored;
  stored.ignore_modality = true;
  EXPECT_EQ(compare(a, b, stored).metrics.max_absolute_error, 4u);
}

TEST(ImageComparisonTest, MultiFrameWithoutWindowDividesByFramesTwiceAsDcmtk) {
  const dcmdata::DataSet a = mono16(2, 1, {1, 2, 3, 4}, false, 2);
  const dcmdata::DataSet b = mono16(2, 1, {1, 2, 3, 8}, false, 2);
  const ImageComparison result = compare(a, b);
  EXPECT_EQ(result.metrics.max_absolute_error, 4u);
  EXPECT_DOUBLE_EQ(result.metrics.mean_absolute_error, 4.0 / (4 * 2));
  // With a window the divisor is the number of values.
  ComparisonOptions window;
  window.voi = ComparisonVoi::Explicit;
  window.window = {4.5, 8, dcmimgle::VoiFunction::Linear};
  const ImageComparison windowed = compare(a, b, window);
  EXPECT_GT(windowed.metrics.max_absolute_error, 0u);
  EXPECT_DOUBLE_EQ(windowed.metrics.mean_absolute_error,
                   static_cast<double>(windowed.metrics.max_absolute_error) / 4);
}

TEST(ImageComparisonTest, WindowedValuesUseEightBitsForEightBitImages) {
  ComparisonOptions options;
  options.voi = ComparisonVoi::MinMax;
  // 16-bit data with a small range still counts as 16 bits (the stored range decides).
  const ImageComparison result =
      compare(mono16(2, 1, {0, 100}), mono16(2, 1, {0, 100}), options, true);
  EXPECT_EQ(result.difference_bits, 16u);
  EXPECT_EQ(result.metrics.max_absolute_error, 0u);
  // Min-max windows spread each image over the whole output range: 65535 is the peak.
  const ImageComparison spread = compare(mono16(2, 1, {0, 100}), mono16(2, 1, {0, 200}), options);
  EXPECT_EQ(spread.metrics.max_absolute_error, 0u);
}

TEST(ImageComparisonTest, ReferenceWindowIsUsedForTheTestImage) {
  ComparisonOptions own;
  own.voi = ComparisonVoi::MinMax;
  ComparisonOptions shared;
  shared.voi = ComparisonVoi::ReferenceMinMax;
  const dcmdata::DataSet a = mono16(2, 1, {0, 100});
  const dcmdata::DataSet b = mono16(2, 1, {0, 50});
  EXPECT_EQ(compare(a, b, own).metrics.max_absolute_error, 0u);
  // With the reference's window 0..100 the test's 50 maps to the middle of the output range.
  EXPECT_GT(compare(a, b, shared).metrics.max_absolute_error, 0u);
}

TEST(ImageComparisonTest, ColourImagesCompareRgbAndGiveOnePlanePerChannel) {
  const dcmdata::DataSet a = rgb8(2, 1, {10, 20, 30, 40, 50, 60});
  const dcmdata::DataSet b = rgb8(2, 1, {10, 25, 30, 40, 50, 66});
  const ImageComparison result = compare(a, b, {}, true);
  EXPECT_EQ(result.metrics.max_absolute_error, 6u);
  EXPECT_DOUBLE_EQ(result.metrics.mean_absolute_error, 11.0 / 6);
  EXPECT_EQ(result.difference_frames, 3u);
  EXPECT_EQ(result.difference_bits, 8u);
  EXPECT_EQ(result.difference, (std::vector<std::uint32_t>{0, 0, 5, 0, 0, 6}));
}

TEST(ImageComparisonTest, ColourImagesWarnAboutMonochromeSettings) {
  ComparisonOptions options;
  options.voi = ComparisonVoi::Explicit;
  options.window = {10, 20, dcmimgle::VoiFunction::Linear};
  options.shape = dcmimgle::PresentationShape::Inverse;
  const dcmdata::DataSet a = rgb8(1, 1, {1, 2, 3});
  auto reference = ComparisonImage::load(a, dcmdata::explicit_vr_little_endian(), options);
  auto test = ComparisonImage::load(a, dcmdata::explicit_vr_little_endian(), options);
  ASSERT_TRUE(reference && test);
  std::vector<std::string> warnings;
  ASSERT_TRUE(configure_comparison(*reference, *test, options, warnings));
  EXPECT_EQ(warnings,
            (std::vector<std::string>{
                "cannot set VOI window to specified values", "cannot set presentation LUT shape",
                "cannot set VOI window to specified values", "cannot set presentation LUT shape"}));
  options.voi = ComparisonVoi::FileWindow;
  options.voi_index = 2;
  const auto failed = configure_comparison(*reference, *test, options, warnings);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message(), "cannot select VOI window 2, only 0 window(s) in file");
}

TEST(ImageComparisonTest, FindsMismatchesInDcmtkOrder) {
  const ComparisonOptions options;
  const auto ts = dcmdata::explicit_vr_little_endian();
  const dcmdata::DataSet small = mono16(2, 1, {0, 1});
  const dcmdata::DataSet wide = mono16(3, 1, {0, 1, 2});
  const dcmdata::DataSet color = rgb8(2, 1, {1, 2, 3, 4, 5, 6});
  const dcmdata::DataSet frames = mono16(2, 1, {0, 1, 2, 3}, false, 2);
  auto a = ComparisonImage::load(small, ts, options);
  auto b = ComparisonImage::load(wide, ts, options);
  auto c = ComparisonImage::load(color, ts, options);
  auto d = ComparisonImage::load(frames, ts, options);
  ASSERT_TRUE(a && b && c && d);
  EXPECT_EQ(find_mismatch(*a, *b)->detail, "Resolution mismatch: 2 x 1 vs. 3 x 1");
  EXPECT_EQ(find_mismatch(*a, *c)->detail, "Color model mismatch: MONOCHROME2 vs. RGB");
  EXPECT_EQ(find_mismatch(*a, *d)->summary,
            "frame count mismatch between reference and test image");
  EXPECT_FALSE(find_mismatch(*a, *a));
}

TEST(ImageComparisonTest, RefusesModalityValuesBeyondThirtyBits) {
  dcmdata::DataSet a = mono16(2, 1, {0, 1});
  ASSERT_TRUE(a.set_string(tags::RescaleSlope, "32768"));
  ASSERT_TRUE(a.set_string(tags::RescaleIntercept, "0"));
  const ComparisonOptions options;
  const auto ts = dcmdata::explicit_vr_little_endian();
  auto reference = ComparisonImage::load(a, ts, options);
  ASSERT_TRUE(reference);
  EXPECT_EQ(reference->depth(), 31u);
  std::vector<std::string> warnings;
  ASSERT_TRUE(configure_comparison(*reference, *reference, options, warnings));
  auto result = compare_images(*reference, *reference, false);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ofstd::ErrorCode::Unsupported);
}

TEST(ImageComparisonTest, DepthCountsTheSignAsDcmtk) {
  const auto ts = dcmdata::explicit_vr_little_endian();
  const ComparisonOptions options;
  dcmdata::DataSet ct = mono16(1, 1, {0}, true);
  ASSERT_TRUE(ct.set_string(tags::RescaleSlope, "1"));
  ASSERT_TRUE(ct.set_string(tags::RescaleIntercept, "-1024"));
  EXPECT_EQ(ComparisonImage::load(ct, ts, options)->depth(), 17u);
  EXPECT_EQ(ComparisonImage::load(mono16(1, 1, {0}, true), ts, options)->depth(), 16u);
  EXPECT_EQ(ComparisonImage::load(mono16(1, 1, {0}), ts, options)->depth(), 16u);
}

TEST(ImageComparisonTest, ImagesWithoutPixelDataFailToLoad) {
  dcmdata::DataSet ds = mono16(1, 1, {0});
  ASSERT_TRUE(ds.erase(tags::PixelData));
  auto image = ComparisonImage::load(ds, dcmdata::explicit_vr_little_endian(), {});
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().code(), ofstd::ErrorCode::NotFound);
}

}  // namespace
}  // namespace dcmkit::dcmimage

// SPDX-License-Identifier: BSD-3-Clause
// Difference metrics of two DICOM images (dcmicmp): maximum and mean absolute error, root mean
// square error, PSNR and SNR, computed on the values DCMTK's dcmicmp compares: modality values of
// monochrome images without a VOI transformation, rendered values (8 or 16 bits) with one, and
// 8-bit RGB values of colour images. Also the absolute differences, for a difference image.
//
//   auto reference = ComparisonImage::load(ref_file->data, ref_file->transfer_syntax, options);
//   auto test = ComparisonImage::load(test_file->data, test_file->transfer_syntax, options);
//   std::vector<std::string> warnings;
//   DCMKIT_TRY(configure_comparison(*reference, *test, options, warnings));
//   if (auto mismatch = find_mismatch(*reference, *test)) return mismatch->summary;
//   DCMKIT_ASSIGN_OR_RETURN(ImageComparison result, compare_images(*reference, *test, false));
//   std::cout << result.metrics.peak_signal_to_noise_ratio;
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/transfer_syntax.h"
#include "dcmkit/dcmimage/pixel_image.h"
#include "dcmkit/dcmimage/renderer.h"
#include "dcmkit/dcmimgle/mono.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmimage {

/// The five metrics dcmicmp prints. PSNR and SNR are in dB; they are +inf for identical images,
/// -inf when the reference's peak (or signal) is 0, and NaN (printed "-nan" on x86, as DCMTK
/// prints it) when both are 0.
struct ComparisonMetrics {
  std::uint64_t max_absolute_error = 0;
  double mean_absolute_error = 0;
  double root_mean_square_error = 0;
  double peak_signal_to_noise_ratio = 0;
  double signal_to_noise_ratio = 0;
};

/// Sums the differences of pairs of sample values (reference, test). Regular value type.
class MetricAccumulator {
 public:
  /// Adds `reference[i]` against `test[i]` for every i. Precondition: equal sizes.
  void add(std::span<const std::int32_t> reference, std::span<const std::int32_t> test);
  void add(std::span<const std::uint32_t> reference, std::span<const std::uint32_t> test);

  /// Number of sample pairs added.
  std::uint64_t count() const noexcept { return count_; }
  /// Largest absolute reference value, the peak of the PSNR.
  std::uint64_t peak() const noexcept { return peak_; }

  /// The metrics: MAE = sum |r - t| / (count * scale), MSE = sum (r - t)^2 / (count * scale),
  /// RMSE = sqrt(MSE), PSNR = 10 log10(peak^2 / MSE), SNR = 10 log10(signal / MSE) where signal =
  /// sum r^2 / (count * scale). `scale` is 1 except for DCMTK's divisor quirk (see
  /// ImageComparison). All zero for no samples.
  ComparisonMetrics metrics(double scale = 1) const noexcept;

 private:
  template <class T>
  void add_values(std::span<const T> reference, std::span<const T> test);

  std::uint64_t count_ = 0;
  std::uint64_t max_error_ = 0;
  std::uint64_t peak_ = 0;
  double sum_absolute_ = 0;
  double sum_squared_ = 0;
  double sum_signal_ = 0;
};

/// dcmicmp's VOI options (-W, +Wi, +Wl, +Wm, +Wn, +Wr, +Wq, +Ww).
enum class ComparisonVoi : std::uint8_t {
  None,                       ///< compare modality values (-W)
  FileWindow,                 ///< window `voi_index` of each image (+Wi)
  FileLut,                    ///< VOI LUT `voi_index` of each image (+Wl)
  MinMax,                     ///< each image's own min-max window (+Wm)
  MinMaxNoExtremes,           ///< the same ignoring extreme values (+Wn)
  ReferenceMinMax,            ///< the reference's min-max window for both (+Wr)
  ReferenceMinMaxNoExtremes,  ///< the same ignoring extreme values (+Wq)
  Explicit,                   ///< `window` for both (+Ww)
};

/// How two images are compared (dcmicmp's image processing options).
struct ComparisonOptions {
  bool ignore_modality = false;  ///< -M
  ComparisonVoi voi = ComparisonVoi::None;
  std::uint32_t voi_index = 1;                    ///< 1-based, for FileWindow and FileLut
  dcmimgle::VoiWindow window;                     ///< for Explicit
  std::optional<dcmimgle::VoiFunction> function;  ///< +Wfl / +Wfs
  dcmimgle::PresentationShape shape = dcmimgle::PresentationShape::Default;
  dcmimgle::PixelLimits limits;
};

/// Why two images cannot be compared, in DCMTK's words.
struct ComparisonMismatch {
  std::string detail;   ///< "Resolution mismatch: 512 x 512 vs. 256 x 256"
  std::string summary;  ///< "resolution mismatch between reference and test image"
};

/// The result of compare_images().
struct ImageComparison {
  ComparisonMetrics metrics;
  /// |reference - test| of every sample, if asked for: frame by frame, colour frames as three
  /// planes (red, green, blue).
  std::vector<std::uint32_t> difference;
  std::uint32_t difference_frames = 0;  ///< planes in `difference`
  std::uint32_t difference_bits = 16;   ///< 8 or 16: the bits of the difference image
};

/// One image made ready for comparison. Holds views of the data set it was loaded from, which must
/// outlive it. Const methods are safe concurrently.
class ComparisonImage {
 public:
  /// Reads the image description of `data` and, for a monochrome image compared without a VOI
  /// transformation, all its modality values (as DCMTK loads them). The errors of
  /// Renderer::create() and PixelImage::load().
  static ofstd::Result<ComparisonImage> load(const dcmdata::DataSet& data,
                                             const dcmdata::TransferSyntax& ts,
                                             const ComparisonOptions& options);

  bool is_monochrome() const noexcept { return renderer_.is_monochrome(); }
  std::uint32_t width() const noexcept { return renderer_.info().columns; }
  std::uint32_t height() const noexcept { return renderer_.info().rows; }
  std::uint64_t frame_count() const noexcept { return renderer_.frame_count(); }
  /// The colour model as DCMTK names it ("MONOCHROME2", "RGB", "YBR_FULL", ...).
  const std::string& color_model() const noexcept { return renderer_.info().color_model; }
  /// Bits of the modality values (of the stored values with -M; a colour image's sample bits),
  /// as DCMTK counts the depth of an image.
  std::uint32_t depth() const noexcept { return depth_; }

 private:
  friend ofstd::Status configure_comparison(ComparisonImage&, ComparisonImage&,
                                            const ComparisonOptions&, std::vector<std::string>&);
  friend ofstd::Result<ImageComparison> compare_images(const ComparisonImage&,
                                                       const ComparisonImage&, bool);

  const dcmdata::DataSet* data_ = nullptr;
  std::optional<dcmdata::TransferSyntax> ts_;
  RenderOptions render_options_;
  Renderer renderer_;
  std::optional<PixelImage> values_;  // modality values, for ComparisonVoi::None
  std::uint32_t depth_ = 0;
  bool rendered_ = false;  // compared as rendered output (VOI or colour)
};

/// Sets up the display pipelines of both images as DCMTK's dcmicmp does: the VOI transformation,
/// VOI LUT function and presentation LUT shape of `options` (the reference's min-max window for
/// both with ReferenceMinMax*), output bits 8 when both images have at most 8 bits, else 16.
/// Colour images ignore these settings with DCMTK's warnings, appended to `warnings` (as are the
/// renderer's). InvalidArgument with DCMTK's message ("cannot select VOI window 2, only 1
/// window(s) in file") for a +Wi/+Wl index an image does not have; the errors of reading the
/// pixel data for min-max windows.
ofstd::Status configure_comparison(ComparisonImage& reference, ComparisonImage& test,
                                   const ComparisonOptions& options,
                                   std::vector<std::string>& warnings);

/// The first difference in size, colour (monochrome or not) and frame count, in that order.
std::optional<ComparisonMismatch> find_mismatch(const ComparisonImage& reference,
                                                const ComparisonImage& test);

/// Compares two configured images of the same size, colour and frame count (see
/// find_mismatch(); precondition). Monochrome images without a VOI transformation compare their
/// modality values; there DCMTK 3.6.7 divides the sums by the number of values times the number
/// of frames, which dcmkit reproduces (its figures for multi-frame images are those of DCMTK).
/// Unsupported ("unsupported internal pixel representation", as DCMTK) when modality values need
/// more than 30 bits there; the errors of decoding and rendering otherwise.
ofstd::Result<ImageComparison> compare_images(const ComparisonImage& reference,
                                              const ComparisonImage& test, bool keep_difference);

}  // namespace dcmkit::dcmimage

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/image_comparison.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <utility>

#include "dcmkit/dcmdata/dict/tags.h"
#include "xray.h"

namespace dcmkit::dcmimage {
namespace {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

// Bits of an integer magnitude, at least 1.
std::uint32_t bits_of(double magnitude) {
  std::uint32_t bits = 0;
  for (double v = std::floor(magnitude); v >= 1 && bits < 64; v = std::floor(v / 2)) ++bits;
  return std::max(bits, 1u);
}

// The bits DCMTK gives a range of values: the magnitude's bits, one more for a sign (a negative
// minimum counts one less, as -2^(n-1) still fits n bits).
std::uint32_t range_bits(double min, double max) {
  if (min < 0) {
    return std::fabs(min) > std::fabs(max) ? bits_of(std::fabs(min) - 1) + 1
                                           : bits_of(std::fabs(max)) + 1;
  }
  return bits_of(max);
}

// DCMTK's dcmicmp compares modality values in a signed 32-bit type of its own; wider ones it
// refuses (slope 2^15 on 16-bit data already does).
constexpr std::uint32_t kMaxModalityBits = 30;

bool uses_window(ComparisonVoi voi) { return voi != ComparisonVoi::None; }

RenderOptions base_render_options(const ComparisonOptions& options) {
  RenderOptions r;
  r.ignore_modality = options.ignore_modality;
  // DCMTK's dcmicmp shows no overlays.
  r.show_overlays = false;
  r.limits = options.limits;
  return r;
}

}  // namespace

template <class T>
void MetricAccumulator::add_values(std::span<const T> reference, std::span<const T> test) {
  const std::size_t n = std::min(reference.size(), test.size());
  // Exact integer sums per call (each term below 2^62 for 31-bit values; a chunk of 4 terms
  // fits), added to the running double sums as DCMTK accumulates in double.
  std::uint64_t max_error = max_error_;
  std::uint64_t peak = peak_;
  double sum_absolute = 0;
  double sum_squared = 0;
  double sum_signal = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t r = static_cast<std::int64_t>(reference[i]);
    const std::int64_t t = static_cast<std::int64_t>(test[i]);
    const std::uint64_t error = static_cast<std::uint64_t>(r > t ? r - t : t - r);
    const std::uint64_t magnitude = static_cast<std::uint64_t>(r < 0 ? -r : r);
    max_error = std::max(max_error, error);
    peak = std::max(peak, magnitude);
    const double e = static_cast<double>(error);
    const double m = static_cast<double>(magnitude);
    sum_absolute += e;
    sum_squared += e * e;
    sum_signal += m * m;
  }
  max_error_ = max_error;
  peak_ = peak;
  sum_absolute_ += sum_absolute;
  sum_squared_ += sum_squared;
  sum_signal_ += sum_signal;
  count_ += n;
}

void MetricAccumulator::add(std::span<const std::int32_t> reference,
                            std::span<const std::int32_t> test) {
  add_values(reference, test);
}

void MetricAccumulator::add(std::span<const std::uint32_t> reference,
                            std::span<const std::uint32_t> test) {
  add_values(reference, test);
}

ComparisonMetrics MetricAccumulator::metrics(double scale) const noexcept {
  ComparisonMetrics m;
  if (count_ == 0) return m;
  const double divisor = static_cast<double>(count_) * scale;
  const double mse = sum_squared_ / divisor;
  const double peak = static_cast<double>(peak_);
  m.max_absolute_error = max_error_;
  m.mean_absolute_error = sum_absolute_ / divisor;
  m.root_mean_square_error = std::sqrt(mse);
  // 0 / 0 gives NaN (with the sign bit set on x86, which DCMTK prints as "-nan"), x / 0 +inf and
  // 0 / x 0, whose logarithm is -inf: the values DCMTK prints. The PSNR is written as DCMTK
  // computes it, which makes equal peak and error "-0".
  m.peak_signal_to_noise_ratio = -10.0 * std::log10(mse / (peak * peak));
  m.signal_to_noise_ratio = 10.0 * std::log10((sum_signal_ / divisor) / mse);
  return m;
}

Result<ComparisonImage> ComparisonImage::load(const dcmdata::DataSet& data,
                                              const dcmdata::TransferSyntax& ts,
                                              const ComparisonOptions& options) {
  ComparisonImage image;
  image.data_ = &data;
  image.ts_ = ts;
  image.render_options_ = base_render_options(options);
  DCMKIT_ASSIGN_OR_RETURN(image.renderer_, Renderer::create(data, ts, image.render_options_));
  if (image.renderer_.frames().sample_kind() != dcmimgle::SampleKind::Integer) {
    return Error(ErrorCode::Unsupported, "float pixel data is not supported");
  }
  if (!image.renderer_.is_monochrome()) {
    image.depth_ = image.renderer_.info().bits_per_sample;
    image.rendered_ = true;
    return image;
  }
  dcmimgle::LutOptions lut;
  lut.signed_first_value = image.renderer_.frames().description().is_signed;
  DCMKIT_ASSIGN_OR_RETURN(
      const dcmimgle::ModalityTransform modality,
      dcmimgle::ModalityTransform::from(
          data,
          options.ignore_modality ||
              detail::is_xray_image(data.get_string(dcmdata::tags::SOPClassUID).value_or("")),
          lut));
  if (modality.kind == dcmimgle::ModalityTransform::Kind::Lut) {
    image.depth_ = modality.lut.bits;
  } else {
    const dcmimgle::ModalityRange range = modality.range(image.renderer_.frames().min_storable(),
                                                         image.renderer_.frames().max_storable());
    image.depth_ = range_bits(range.min, range.max);
  }
  image.rendered_ = uses_window(options.voi);
  if (!image.rendered_) {
    PixelImageOptions pixel_options;
    pixel_options.ignore_modality = options.ignore_modality;
    pixel_options.limits = options.limits;
    DCMKIT_ASSIGN_OR_RETURN(PixelImage values, PixelImage::load(data, ts, pixel_options));
    image.values_ = std::move(values);
  }
  return image;
}

Status configure_comparison(ComparisonImage& reference, ComparisonImage& test,
                            const ComparisonOptions& options, std::vector<std::string>& warnings) {
  const std::uint32_t bits = std::max(reference.depth_, test.depth_) > 8 ? 16 : 8;
  std::optional<dcmimgle::VoiWindow> reference_window;
  for (ComparisonImage* image : {&reference, &test}) {
    const bool is_reference = image == &reference;
    RenderOptions r = image->render_options_;
    if (!image->renderer_.is_monochrome()) {
      // DCMTK's colour images have no VOI or presentation LUT stage: each setting is refused
      // with a warning, the VOI index of +Wi/+Wl with an error.
      switch (options.voi) {
        case ComparisonVoi::None:
          break;
        case ComparisonVoi::FileWindow:
          return Error(ErrorCode::InvalidArgument, "cannot select VOI window " +
                                                       std::to_string(options.voi_index) +
                                                       ", only 0 window(s) in file");
        case ComparisonVoi::FileLut:
          return Error(ErrorCode::InvalidArgument, "cannot select VOI LUT " +
                                                       std::to_string(options.voi_index) +
                                                       ", only 0 LUT(s) in file");
        case ComparisonVoi::ReferenceMinMax:
        case ComparisonVoi::ReferenceMinMaxNoExtremes:
          if (!is_reference) {
            warnings.emplace_back("cannot set VOI window to specified values");
            break;
          }
          [[fallthrough]];
        case ComparisonVoi::MinMax:
        case ComparisonVoi::MinMaxNoExtremes:
          warnings.emplace_back("cannot compute min/max VOI window");
          warnings.emplace_back("cannot retrieve VOI window");
          break;
        case ComparisonVoi::Explicit:
          warnings.emplace_back("cannot set VOI window to specified values");
          break;
      }
      if (options.function) warnings.emplace_back("cannot set VOI LUT function");
      if (options.shape != dcmimgle::PresentationShape::Default) {
        warnings.emplace_back("cannot set presentation LUT shape");
      }
      r.output_bits = 8;
      DCMKIT_ASSIGN_OR_RETURN(image->renderer_, Renderer::create(*image->data_, *image->ts_, r));
      continue;
    }
    if (!image->rendered_) continue;
    r.output_bits = bits;
    r.voi_function = options.function;
    r.shape = options.shape;
    r.voi_index = options.voi_index;
    switch (options.voi) {
      case ComparisonVoi::None:
        break;
      case ComparisonVoi::FileWindow:
        r.voi_mode = VoiMode::FileWindow;
        break;
      case ComparisonVoi::FileLut:
        r.voi_mode = VoiMode::FileLut;
        break;
      case ComparisonVoi::MinMax:
        r.voi_mode = VoiMode::MinMax;
        break;
      case ComparisonVoi::MinMaxNoExtremes:
        // DCMTK 3.6.7's dcmicmp asks for the window without extremes but gets the plain min-max
        // window (its debug output says "min/max-n" with the full range); so does dcmkit.
        r.voi_mode = VoiMode::MinMax;
        break;
      case ComparisonVoi::ReferenceMinMax:
      case ComparisonVoi::ReferenceMinMaxNoExtremes:
        if (is_reference) {
          r.voi_mode = VoiMode::MinMax;
        } else if (reference_window) {
          r.voi_mode = VoiMode::Explicit;
          r.window = *reference_window;
        }
        break;
      case ComparisonVoi::Explicit:
        r.voi_mode = VoiMode::Explicit;
        r.window = options.window;
        break;
    }
    DCMKIT_ASSIGN_OR_RETURN(image->renderer_, Renderer::create(*image->data_, *image->ts_, r));
    DCMKIT_TRY(image->renderer_.prepare(0, image->renderer_.frame_count()));
    for (const std::string& w : image->renderer_.warnings()) warnings.push_back(w);
    if (is_reference) {
      const dcmimgle::VoiSetting& voi = image->renderer_.voi();
      if (voi.kind == dcmimgle::VoiSetting::Kind::Window) reference_window = voi.window;
    }
  }
  return {};
}

std::optional<ComparisonMismatch> find_mismatch(const ComparisonImage& reference,
                                                const ComparisonImage& test) {
  if (reference.width() != test.width() || reference.height() != test.height()) {
    return ComparisonMismatch{"Resolution mismatch: " + std::to_string(reference.width()) + " x " +
                                  std::to_string(reference.height()) + " vs. " +
                                  std::to_string(test.width()) + " x " +
                                  std::to_string(test.height()),
                              "resolution mismatch between reference and test image"};
  }
  if (reference.is_monochrome() != test.is_monochrome()) {
    return ComparisonMismatch{
        "Color model mismatch: " + reference.color_model() + " vs. " + test.color_model(),
        "color model mismatch between reference and test image"};
  }
  if (reference.frame_count() != test.frame_count()) {
    return ComparisonMismatch{"Frame count mismatch: " + std::to_string(reference.frame_count()) +
                                  " vs. " + std::to_string(test.frame_count()),
                              "frame count mismatch between reference and test image"};
  }
  return std::nullopt;
}

Result<ImageComparison> compare_images(const ComparisonImage& reference,
                                       const ComparisonImage& test, bool keep_difference) {
  ImageComparison result;
  MetricAccumulator sums;
  const std::uint64_t frames = reference.frame_count();
  const std::size_t plane = std::size_t{reference.width()} * reference.height();
  if (!reference.rendered_ || !test.rendered_) {
    if (reference.depth_ > kMaxModalityBits || test.depth_ > kMaxModalityBits ||
        !reference.values_ || !test.values_) {
      return Error(ErrorCode::Unsupported, "unsupported internal pixel representation");
    }
    result.difference_bits = 16;
    for (std::uint64_t f = 0; f < frames; ++f) {
      const auto& r = reference.values_->frame(f).samples;
      const auto& t = test.values_->frame(f).samples;
      if (r.size() != t.size()) {
        return Error(ErrorCode::MalformedData, "frame sizes of the images differ");
      }
      sums.add(r, t);
      if (keep_difference) {
        for (std::size_t i = 0; i < r.size(); ++i) {
          const std::int64_t d = std::int64_t{r[i]} - std::int64_t{t[i]};
          result.difference.push_back(static_cast<std::uint32_t>(d < 0 ? -d : d));
        }
      }
    }
    result.difference_frames = static_cast<std::uint32_t>(frames);
    // DCMTK 3.6.7 divides by the number of values of all frames times the number of frames.
    result.metrics = sums.metrics(static_cast<double>(frames));
    return result;
  }
  for (std::uint64_t f = 0; f < frames; ++f) {
    DCMKIT_ASSIGN_OR_RETURN(const Bitmap r, reference.renderer_.render(f));
    DCMKIT_ASSIGN_OR_RETURN(const Bitmap t, test.renderer_.render(f));
    if (r.samples.size() != t.samples.size() || r.channels != t.channels) {
      return Error(ErrorCode::MalformedData, "rendered frames of the images differ in size");
    }
    sums.add(r.samples, t.samples);
    result.difference_bits = r.bits;
    if (keep_difference) {
      const std::size_t base = result.difference.size();
      result.difference.resize(base + r.samples.size());
      for (std::size_t i = 0; i < r.samples.size(); ++i) {
        const std::uint32_t d =
            r.samples[i] > t.samples[i] ? r.samples[i] - t.samples[i] : t.samples[i] - r.samples[i];
        // Colour frames become one plane per channel.
        const std::size_t c = i % r.channels;
        result.difference[base + c * plane + i / r.channels] = d;
      }
    }
    result.difference_frames += r.channels;
  }
  result.metrics = sums.metrics();
  return result;
}

}  // namespace dcmkit::dcmimage

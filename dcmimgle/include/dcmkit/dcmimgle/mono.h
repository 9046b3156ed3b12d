// SPDX-License-Identifier: BSD-3-Clause
// The monochrome pipeline (PS3.4 N.2, PS3.3 C.11): stored values -> Modality LUT or rescale ->
// VOI window or VOI LUT -> Presentation LUT shape -> output values of n bits. The arithmetic
// follows DCMTK's dcmimgle exactly (integer modality values truncated toward zero, its window
// and scaling formulas), so that dcm2pnm's output is byte-identical to DCMTK's.
//
//   auto modality = ModalityTransform::from(file->data);
//   ModalityRange range = modality->range(frames.min_storable(), frames.max_storable());
//   modality->apply(samples, values);                           // in place is fine
//   VoiSetting voi = VoiSetting::window({40, 400});
//   std::vector<std::uint32_t> out;
//   render_mono(values, range, voi, {.bits = 8}, out);
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmimgle/lut.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmimgle {

/// The first item of functional group macro `macro` (e.g. Pixel Measures Sequence) in the first
/// item of Shared Functional Groups Sequence (5200,9229), or null (PS3.3 C.7.6.16). DCMTK 3.6.7
/// takes Rescale Slope/Intercept and Pixel Spacing from there when the top level has none; it
/// ignores the per-frame groups and the Frame VOI LUT macro, and so does dcmkit's renderer.
const dcmdata::DataSet* shared_functional_group(const dcmdata::DataSet& data, dcmdata::Tag macro);

/// The range of modality values the stored values can produce (DCMTK's "absolute" range); the
/// no-window mapping spreads it over the output range.
struct ModalityRange {
  double min = 0;
  double max = 0;
};

/// Modality LUT Sequence, Rescale Slope/Intercept, or nothing (PS3.3 C.11.1). Regular value type.
struct ModalityTransform {
  enum class Kind : std::uint8_t { Identity, Rescale, Lut };
  Kind kind = Kind::Identity;
  double slope = 1.0;
  double intercept = 0.0;
  LookupTable lut;

  /// Reads the transform of `data`: the first item of Modality LUT Sequence (0028,3000) if
  /// present, else Rescale Slope and Intercept (identity for slope 1 and intercept 0), taken from
  /// the shared Pixel Value Transformation macro when the top level has neither.
  /// `ignore` gives the identity (dcm2pnm -M). MalformedData for an unreadable LUT or a
  /// non-numeric rescale value.
  static ofstd::Result<ModalityTransform> from(const dcmdata::DataSet& data, bool ignore = false,
                                               const LutOptions& lut_options = {});

  /// The modality range for stored values in [min_stored, max_stored].
  ModalityRange range(std::int64_t min_stored, std::int64_t max_stored) const noexcept;
  /// Applies the transform to each value (`out` may alias `in`); rescaled values are truncated
  /// toward zero as DCMTK does.
  void apply(std::span<const std::int32_t> in, std::span<std::int32_t> out) const noexcept;
  /// Like apply(), with DCMTK's 32-bit storage (measured with DCMTK 3.6.7): `unsigned_stored`
  /// reads stored values from 2^31 (32-bit unsigned Pixel Representation) from their bits;
  /// `unsigned_values` (DCMTK's type is unsigned: the transformed smallest and largest actual
  /// stored values are not negative) keeps the results as unsigned 32-bit values (their bits;
  /// truncated, taken modulo 2^32 beyond 2^32 - 1), else they are signed, -2^31 for a result
  /// outside 32 bits.
  void apply(std::span<const std::int32_t> in, std::span<std::int32_t> out, bool unsigned_values,
             bool unsigned_stored) const noexcept;
};

/// Whether the modality values of `range` are kept as unsigned 32-bit values that may reach
/// 2^31 (a range without negative values wider than 16 bits, where DCMTK's bicubic scaling may
/// wrap too): the samples of std::int32_t rasters then hold their bits.
inline bool holds_unsigned_32(const ModalityRange& range) noexcept {
  return range.min >= 0 && range.max > 65535;
}

/// VOI LUT Function (0028,1056).
enum class VoiFunction : std::uint8_t { Linear, LinearExact, Sigmoid };

/// A VOI window (PS3.3 C.11.2.1.2).
struct VoiWindow {
  double center = 0;
  double width = 0;
  VoiFunction function = VoiFunction::Linear;
};

/// What the VOI stage does: nothing (the modality range is spread over the output range), a
/// window, or a VOI LUT.
struct VoiSetting {
  enum class Kind : std::uint8_t { None, Window, Lut };
  Kind kind = Kind::None;
  VoiWindow window;
  LookupTable lut;

  static VoiSetting none() { return {}; }
  static VoiSetting from_window(VoiWindow window) {
    VoiSetting s;
    s.kind = Kind::Window;
    s.window = window;
    return s;
  }
  static VoiSetting from_lut(LookupTable lut) {
    VoiSetting s;
    s.kind = Kind::Lut;
    s.lut = std::move(lut);
    return s;
  }
};

/// The windows and VOI LUTs a data set offers (Window Center/Width pairs and VOI LUT Sequence
/// items), and its VOI LUT Function.
struct VoiChoices {
  std::vector<VoiWindow> windows;
  std::vector<std::string> window_explanations;
  std::vector<LookupTable> luts;
  std::vector<std::string> lut_explanations;
  std::optional<VoiFunction> function;  ///< from the data set, if present and known
  /// How many windows the data set declares (the smaller value count of Window Center and Width,
  /// readable or not), as DCMTK counts them.
  std::size_t declared_windows = 0;

  /// Reads them from `data`; values that cannot be read are skipped (as DCMTK does).
  static VoiChoices from(const dcmdata::DataSet& data, const LutOptions& lut_options = {});
};

/// DCMTK's min-max window over `values`: center (min + max + 1) / 2, width max - min + 1.
/// `ignore_extremes` uses the second-smallest and second-largest values instead (+Wn).
/// Empty if there are no values.
std::optional<VoiWindow> min_max_window(std::span<const std::int32_t> values,
                                        bool ignore_extremes = false);
/// The same over a rectangle of a `width`-wide image (+Wr); the rectangle is clipped to the
/// image. Empty if it is empty.
std::optional<VoiWindow> roi_min_max_window(std::span<const std::int32_t> values,
                                            std::uint32_t width, std::uint32_t left,
                                            std::uint32_t top, std::uint32_t roi_width,
                                            std::uint32_t roi_height);
/// The same for unsigned values (see holds_unsigned_32()).
std::optional<VoiWindow> roi_min_max_window(std::span<const std::uint32_t> values,
                                            std::uint32_t width, std::uint32_t left,
                                            std::uint32_t top, std::uint32_t roi_width,
                                            std::uint32_t roi_height);
/// DCMTK's histogram window: the range left after ignoring `threshold` (0..1) of the pixels at
/// each end of the histogram. Empty if no range is left.
std::optional<VoiWindow> histogram_window(std::span<const std::int32_t> values, double threshold);
/// The same from a histogram: `counts[i]` pixels have value `lowest + i`, `total` in all.
std::optional<VoiWindow> histogram_window(std::span<const std::uint64_t> counts,
                                          std::int64_t lowest, std::uint64_t total,
                                          double threshold);

/// Presentation LUT Shape (2050,0020).
enum class PresentationShape : std::uint8_t { Default, Identity, Inverse, LinOd };

/// The output of render_mono(): `bits` per value (1..32), optionally inverted (MONOCHROME1 or an
/// INVERSE shape, flipped again by a reversed polarity).
struct MonoOutput {
  std::uint32_t bits = 8;
  bool inverse = false;
  /// Evaluate as DCMTK's lookup table does (see uses_dcmtk_table()): value x is mapped as
  /// range.min + (x - trunc(range.min)), which differs from x when the range starts at a
  /// fraction (a non-integer rescale).
  bool dcmtk_table = false;
  /// A presentation LUT of 2^n 16-bit entries (LIN OD, see display.h), or null. The VOI stage
  /// then produces n-bit indices into it, and an entry v becomes, as DCMTK computes it (truncated,
  /// max = 2^bits - 1): without VOI transformation low + v · (high - low + 1) / 65536 with low and
  /// high the ends of the output range (swapped when `inverse`); with one v · max / 65535, or
  /// (65535 - v) · max / 65535 when `inverse`. The table must outlive the call.
  const std::vector<std::uint16_t>* presentation_lut = nullptr;
  /// A display LUT of 2^n DDLs (display.h, output `bits` wide; n from display_lut_bits()), or
  /// null. It is indexed as DCMTK 3.6.7 does: without VOI transformation by x - min (inverted:
  /// max - (x - min), clamped to the table) for a modality value x of `range`; with one by the VOI
  /// stage's n-bit output (inverted by the window itself); after a presentation LUT by its 16-bit
  /// entry (inverted: 65535 - entry).
  const std::vector<std::uint16_t>* display_lut = nullptr;
};

/// The size (2^n entries, n returned) of the display LUT DCMTK 3.6.7 uses: without VOI
/// transformation n = the bits of the modality range `range`; with a window, the bits of the
/// integer type DCMTK keeps the modality values in (8 or 16), chosen by `values`, the smallest and
/// largest of them in the frames rendered; with a VOI LUT its bits per entry; after a
/// presentation LUT 16. 0 (no display LUT) when more than 16 bits would be needed.
std::uint32_t display_lut_bits(const ModalityRange& range, const ModalityRange& values,
                               const VoiSetting& voi, bool presentation_lut) noexcept;

/// True when DCMTK 3.6.7 would map `pixels` modality values of `range` through its lookup table
/// rather than one by one: the values fit 16 bits and there are more than three per possible
/// value. The result differs only when `range` starts at a fraction.
bool uses_dcmtk_table(const ModalityRange& range, std::uint64_t pixels) noexcept;

/// Maps modality values to output values through the VOI stage, with DCMTK's arithmetic.
void render_mono(std::span<const std::int32_t> values, const ModalityRange& range,
                 const VoiSetting& voi, const MonoOutput& output, std::vector<std::uint32_t>& out);
/// The same for unsigned values (see holds_unsigned_32()).
void render_mono(std::span<const std::uint32_t> values, const ModalityRange& range,
                 const VoiSetting& voi, const MonoOutput& output, std::vector<std::uint32_t>& out);

/// Like render_mono() for floating point modality values (Float Pixel Data), with a window or
/// (None) the given range.
void render_mono_float(std::span<const double> values, const ModalityRange& range,
                       const VoiSetting& voi, const MonoOutput& output,
                       std::vector<std::uint32_t>& out);

}  // namespace dcmkit::dcmimgle

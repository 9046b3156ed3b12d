// SPDX-License-Identifier: BSD-3-Clause
// Renderer: one DICOM image, monochrome or colour, turned into displayable bitmaps frame by frame
// as dcm2pnm does it: modality and VOI transformations, presentation shape, overlays, polarity,
// clipping, rotation, flipping and scaling. Each frame is unpacked and rendered on its own, so
// memory stays bounded by one frame, and render() may run on several threads at once.
//
//   auto renderer = Renderer::create(file->data, file->transfer_syntax, options);
//   if (!renderer) return renderer.error();
//   DCMKIT_TRY(renderer->prepare(0, renderer->frame_count()));   // min-max windows etc.
//   auto bitmap = renderer->render(0);                            // Result<Bitmap>
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/transfer_syntax.h"
#include "dcmkit/dcmimage/bitmap.h"
#include "dcmkit/dcmimage/color.h"
#include "dcmkit/dcmimgle/display.h"
#include "dcmkit/dcmimgle/geometry.h"
#include "dcmkit/dcmimgle/mono.h"
#include "dcmkit/dcmimgle/overlay.h"
#include "dcmkit/dcmimgle/pixel_frames.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmimage {

/// Which VOI transformation a monochrome image gets (dcm2pnm's -W, +Wi, +Wl, +Wm, +Wn, +Wr, +Wh,
/// +Ww).
enum class VoiMode : std::uint8_t {
  None,              ///< the modality range spread over the output range (-W)
  FileWindow,        ///< window `voi_index` of the data set (+Wi)
  FileLut,           ///< VOI LUT `voi_index` of the data set (+Wl)
  MinMax,            ///< min-max of the pixel values (+Wm)
  MinMaxNoExtremes,  ///< min-max ignoring the extreme values (+Wn)
  RoiMinMax,         ///< min-max of a region (+Wr)
  Histogram,         ///< histogram, ignoring `histogram_percent` at each end (+Wh)
  Explicit,          ///< `window` (+Ww)
};

/// A rectangle in pixels.
struct Region {
  std::uint32_t left = 0;
  std::uint32_t top = 0;
  std::uint32_t width = 0;
  std::uint32_t height = 0;
};

/// How to scale (dcm2pnm's -S, +Sxf, +Syf, +Sxv, +Syv).
enum class ScaleMode : std::uint8_t { None, XFactor, YFactor, XSize, YSize };

/// A size in pixels before the callers' checks (fractions truncated, possibly 0 or huge).
struct ScaledSize {
  double width = 0;
  double height = 0;
};

/// The size DCMTK scales a `columns` x `rows` image to (dcm2pnm's and dcmscale's +Sxf, +Syf,
/// +Sxv, +Syv): one axis from the option, the other from the image's proportions and
/// `aspect_ratio` (1 without +a), both truncated. {0, 0} for ScaleMode::None.
ScaledSize scaled_size(ScaleMode mode, double factor, std::uint32_t size, double columns,
                       double rows, double aspect_ratio);

/// Everything dcm2pnm's options control. Plain aggregate; defaults are dcm2pnm's.
struct RenderOptions {
  // Modality and VOI
  bool ignore_modality = false;  ///< -M
  VoiMode voi_mode = VoiMode::None;
  std::uint32_t voi_index = 1;  ///< 1-based, for FileWindow and FileLut
  Region roi;
  double histogram_percent = 0;
  dcmimgle::VoiWindow window;
  std::optional<dcmimgle::VoiFunction> voi_function;  ///< +Wfl / +Wfs
  dcmimgle::PresentationShape shape = dcmimgle::PresentationShape::Default;
  bool reverse_polarity = false;  ///< +P
  // Overlays
  bool show_overlays = true;
  std::vector<std::uint32_t> overlays;  ///< 1..16; empty or 0 = all
  dcmimgle::OverlayMode overlay_mode = dcmimgle::OverlayMode::Default;
  double overlay_foreground = 1.0;
  double overlay_threshold = 0.5;
  // Geometry, in DCMTK's order: rotate, flip, clip, scale
  int rotation = 0;  ///< clockwise degrees: 0, 90, 180, 270
  bool flip_horizontally = false;
  bool flip_vertically = false;
  std::optional<Region> clip;
  ScaleMode scale_mode = ScaleMode::None;
  double scale_factor = 1.0;
  std::uint32_t scale_size = 0;
  bool use_aspect_ratio = true;
  dcmimgle::Interpolation interpolation = dcmimgle::Interpolation::Pbmplus;
  // Colour
  bool grayscale = false;  ///< +G
  ColorOptions color;
  // Compatibility
  dcmimgle::LutOptions lut;  ///< +Mc, and +Mm/+Mv via the two below
  bool ignore_modality_lut_depth = false;
  bool ignore_voi_lut_depth = false;
  bool accept_acr_nema = false;  ///< +Ma: no Photometric Interpretation means MONOCHROME2
  // Display calibration (+Dm/+Dp, see dcmimgle/display.h) of monochrome output to a device,
  // used only when its largest DDL is 2^output_bits - 1 (DCMTK ignores it otherwise, warning).
  std::optional<dcmimgle::Characteristic> display;
  dcmimgle::DisplaySettings display_settings;
  // Output
  std::uint32_t output_bits = 8;  ///< 1..32
  dcmimgle::PixelLimits limits;
};

/// Facts about an image, for dcm2pnm's --image-info.
struct ImageInfo {
  std::uint32_t columns = 0;
  std::uint32_t rows = 0;
  std::uint32_t bits_per_sample = 0;
  std::string color_model;
  double pixel_aspect_ratio = 1.0;
  std::uint64_t frames = 1;
  std::string voi_function;  ///< as in the data set, "<default>" if absent
  std::size_t windows = 0;
  std::size_t voi_luts = 0;
  std::string presentation_shape;  ///< "<default>" if absent
  std::size_t overlays = 0;
  bool monochrome = true;
};

/// Renders the frames of one image. Holds views of the pixel data of the data set it was
/// created from (which must outlive it). Const methods are safe concurrently.
class Renderer {
 public:
  /// Reads the image description, transforms, palettes and overlays of `data`.
  /// NotFound without pixel data; MalformedData for inconsistent attributes; Unsupported for
  /// transfer syntaxes without a codec and photometric interpretations dcmkit does not handle.
  static ofstd::Result<Renderer> create(const dcmdata::DataSet& data,
                                        const dcmdata::TransferSyntax& ts,
                                        const RenderOptions& options);

  std::uint64_t frame_count() const noexcept { return frames_.frame_count(); }
  bool is_monochrome() const noexcept { return monochrome_; }
  const dcmimgle::PixelFrames& frames() const noexcept { return frames_; }
  dcmimgle::PixelFrames& frames() noexcept { return frames_; }
  const ImageInfo& info() const noexcept { return info_; }
  /// Non-fatal problems met while reading (unreadable overlays, ...), DCMTK's warnings.
  const std::vector<std::string>& warnings() const noexcept { return warnings_; }
  /// Smallest and largest modality value of the frames given to prepare() (monochrome only).
  std::optional<std::pair<double, double>> value_range() const noexcept { return value_range_; }
  /// The VOI transformation prepare() chose (monochrome only; None before prepare()).
  const dcmimgle::VoiSetting& voi() const noexcept { return voi_; }

  /// Computes what depends on the pixel values of the frames to be rendered, frames
  /// [first, first + count): the min-max and histogram windows (over all those frames, as DCMTK
  /// computes them) and the value range. Reads each frame once; cheap for other VOI modes.
  /// InvalidArgument if a +Wi/+Wl index does not exist.
  ofstd::Status prepare(std::uint64_t first, std::uint64_t count);

  /// Renders frame `index` (0-based). The errors of unpacking and decoding.
  ofstd::Result<Bitmap> render(std::uint64_t index) const;
  /// Like render(), into `bitmap` (replaced), reusing its storage: a caller rendering many
  /// frames keeps one Bitmap per thread and touches no fresh memory per frame.
  ofstd::Status render(std::uint64_t index, Bitmap& bitmap) const;

 private:
  ofstd::Status load_mono(std::uint64_t index, dcmimgle::Raster<std::int32_t>& values) const;
  ofstd::Status load_float(std::uint64_t index, dcmimgle::Raster<double>& values) const;
  ofstd::Status prepare_voi(std::uint64_t first, std::uint64_t count);
  ofstd::Status prepare_float(std::uint64_t first, std::uint64_t count);
  void build_word_table();
  ofstd::Status render_color(std::uint64_t index, Bitmap& bitmap) const;

  RenderOptions options_;
  dcmimgle::PixelFrames frames_;
  const dcmdata::DataSet* data_ = nullptr;
  bool monochrome_ = true;
  bool inverse_ = false;  // output inverted (MONOCHROME1 / INVERSE shape / polarity)
  std::optional<ColorConverter> color_;
  dcmimgle::ModalityTransform modality_;
  dcmimgle::ModalityRange range_;
  dcmimgle::VoiChoices choices_;
  dcmimgle::VoiSetting voi_;
  std::vector<dcmimgle::OverlayPlane> overlays_;
  double aspect_ratio_ = 1.0;
  ImageInfo info_;
  std::vector<std::string> warnings_;
  std::optional<std::pair<double, double>> value_range_;
  // The range of the modality values of the frames given to prepare(), when they are scaled
  // with interpolation (DCMTK's choice of algorithm and value type depends on it).
  std::optional<dcmimgle::ValueRange> scale_values_;
  // The modality values are unsigned 32-bit values held as their bits in std::int32_t
  // (dcmimgle::holds_unsigned_32()); the stored values are unsigned.
  bool unsigned_values_ = false;
  bool unsigned_type_ = false;  // DCMTK keeps the modality values unsigned
  bool unsigned_stored_ = false;
  // The rescaled range does not fit DCMTK's 32-bit type: values wrap around (unsigned) or
  // become -2^31 (signed).
  bool wraps_ = false;
  std::int64_t number(std::int32_t v) const noexcept {
    return unsigned_values_ ? std::int64_t{static_cast<std::uint32_t>(v)} : std::int64_t{v};
  }
  // The whole monochrome pipeline as one table, output value by stored word (2^Bits Allocated
  // entries), built once per image when no step depends on a pixel's position (no geometry):
  // a frame is then one lookup per pixel. Empty when not applicable.
  std::vector<std::uint32_t> word_table_;
  std::vector<std::uint16_t> presentation_lut_;  // LIN OD (+Pod), else empty
  const std::vector<std::uint16_t>* plut() const noexcept {
    return presentation_lut_.empty() ? nullptr : &presentation_lut_;
  }
  // The display LUT for this image (+Dm/+Dp), of 2^display_bits_ DDLs, else empty.
  bool use_display_ = false;
  std::uint32_t display_bits_ = 0;
  std::vector<std::uint16_t> display_lut_;
  void build_display_lut();
  const std::vector<std::uint16_t>* dlut() const noexcept {
    return display_lut_.empty() ? nullptr : &display_lut_;
  }
};

}  // namespace dcmkit::dcmimage

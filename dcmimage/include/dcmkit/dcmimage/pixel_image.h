// SPDX-License-Identifier: BSD-3-Clause
// Pixel values of a whole image as DCMTK's DicomImage keeps them in memory, for the programs that
// change an image and write it back as DICOM (dcmscale, dcmquant): monochrome images as modality
// values (rescale or Modality LUT applied), colour images as RGB. Geometry (clipping, scaling)
// works on these values, not on rendered bitmaps, and write_to() replaces the Image Pixel module
// of a data set with them as DCMTK's writeImageToDataset() does.
//
//   auto image = PixelImage::load(file->data, file->transfer_syntax);
//   if (!image) return image.error();
//   GeometryOptions geometry;
//   geometry.scale_mode = ScaleMode::XFactor;
//   geometry.scale_factor = 0.5;
//   DCMKIT_TRY(image->transform(geometry));
//   DCMKIT_TRY(image->write_to(file->data));
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/transfer_syntax.h"
#include "dcmkit/dcmimage/color.h"
#include "dcmkit/dcmimage/renderer.h"
#include "dcmkit/dcmimgle/geometry.h"
#include "dcmkit/dcmimgle/pixel_frames.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmimage {

/// How PixelImage::load() reads an image.
struct PixelImageOptions {
  bool ignore_modality = false;  ///< keep stored values (no rescale / Modality LUT)
  bool accept_acr_nema = false;  ///< no Photometric Interpretation means MONOCHROME2
  ColorOptions color;            ///< palettes (+Mp)
  dcmimgle::LutOptions lut;
  dcmimgle::PixelLimits limits;
  /// Largest number of samples (all frames together) held in memory; LimitExceeded beyond.
  std::uint64_t max_total_samples = std::uint64_t{1} << 31;
};

/// A rectangle to clip: `left` and `top` may be negative and the rectangle may leave the image
/// (those parts are 0); a `width` or `height` of 0 means "to the right / bottom edge".
struct ClipRegion {
  std::int64_t left = 0;
  std::int64_t top = 0;
  std::uint32_t width = 0;
  std::uint32_t height = 0;
};

/// What PixelImage::transform() does: clip, scale, or both (dcmscale's +C, +Sxf, +Syf, +Sxv,
/// +Syv, +a/-a, +i/-i). With interpolation and a region, DCMTK scales the whole image to the size
/// computed from the region; a computed size of 0 keeps the image's size.
struct GeometryOptions {
  std::optional<ClipRegion> clip;
  ScaleMode scale_mode = ScaleMode::None;
  double scale_factor = 1.0;
  std::uint32_t scale_size = 0;
  bool use_aspect_ratio = true;
  dcmimgle::Interpolation interpolation = dcmimgle::Interpolation::Pbmplus;
};

/// All frames of one image, as values. Regular value type; const methods are safe concurrently.
class PixelImage {
 public:
  /// Reads and converts every frame of `data` (read with `ts`; encapsulated frames are decoded by
  /// dcmdata's codec registry). NotFound without pixel data; MalformedData for inconsistent
  /// attributes; Unsupported for float pixel data, unknown photometric interpretations and
  /// transfer syntaxes without a codec; LimitExceeded for images beyond the limits.
  static ofstd::Result<PixelImage> load(const dcmdata::DataSet& data,
                                        const dcmdata::TransferSyntax& ts,
                                        const PixelImageOptions& options = {});

  bool is_monochrome() const noexcept { return monochrome_; }
  /// "MONOCHROME1", "MONOCHROME2" or "RGB" (the model of the values held).
  const std::string& photometric() const noexcept { return photometric_; }
  std::uint32_t width() const noexcept { return width_; }
  std::uint32_t height() const noexcept { return height_; }
  std::uint64_t frame_count() const noexcept { return frames_.size(); }
  /// 1 (monochrome) or 3 (RGB, interleaved).
  std::uint32_t channels() const noexcept { return monochrome_ ? 1 : 3; }
  /// Bits per RGB sample of a colour image (its converter's bits).
  std::uint32_t color_bits() const noexcept { return color_bits_; }
  /// Pixel height / pixel width as DCMTK takes it (Pixel Spacing, Imager Pixel Spacing, Nominal
  /// Scanned Pixel Spacing, Pixel Aspect Ratio), 1 without.
  double aspect_ratio() const noexcept { return aspect_ratio_; }
  /// Frame `index` (0-based; precondition: < frame_count()). Monochrome values of a range that
  /// dcmimgle::holds_unsigned_32() are unsigned 32-bit values held as their bits (see
  /// holds_unsigned()).
  const dcmimgle::Raster<std::int32_t>& frame(std::uint64_t index) const { return frames_[index]; }
  dcmimgle::Raster<std::int32_t>& frame(std::uint64_t index) { return frames_[index]; }
  /// Whether the samples of frame() hold unsigned 32-bit values.
  bool holds_unsigned() const noexcept { return unsigned_; }
  /// Smallest and largest value of all frames (all channels); {0, 0} for an empty image.
  std::pair<std::int64_t, std::int64_t> value_range() const noexcept;

  /// Applies `geometry` to every frame, as DCMTK's dcmscale does (see GeometryOptions).
  /// InvalidArgument for a size that cannot be made (more than 65535 pixels) and for a clipped
  /// region outside the image when scaling.
  ofstd::Status transform(const GeometryOptions& geometry);

  /// Replaces the Image Pixel module of `data` with this image, as DCMTK writes a DicomImage:
  /// Photometric Interpretation, Samples per Pixel, Rows, Columns, Number of Frames, Bits
  /// Allocated and Pixel Representation (monochrome: the smallest that holds the values as
  /// loaded), Bits Stored (monochrome: the bits of maximum - minimum of the values written),
  /// High Bit, Planar Configuration (colour: as it was, else 0) and Pixel Data. Rescale Slope and
  /// Intercept are reset and the Modality LUT Sequence removed; overlays embedded in the pixel
  /// data are removed (separate ones are kept, as DCMTK does); Pixel Spacing is scaled with the
  /// size (DCMTK's rule: old size over new size of the whole image, also for clipping); Pixel
  /// Aspect Ratio, palettes, Smallest/Largest Image Pixel Value and float pixel data are removed.
  /// InvalidArgument for an empty image.
  ofstd::Status write_to(dcmdata::DataSet& data) const;

 private:
  bool monochrome_ = true;
  std::string photometric_;
  std::uint32_t width_ = 0;
  std::uint32_t height_ = 0;
  std::uint32_t color_bits_ = 8;
  std::uint32_t original_width_ = 0;
  std::uint32_t original_height_ = 0;
  std::optional<std::uint16_t> planar_configuration_;
  double aspect_ratio_ = 1.0;
  bool has_pixel_spacing_ = false;
  bool has_aspect_ratio_ = false;
  bool unsigned_ = false;
  std::int64_t loaded_min_ = 0;
  std::int64_t loaded_max_ = 0;
  dcmimgle::ValueLimits value_limits_{std::numeric_limits<std::int32_t>::min(),
                                      std::numeric_limits<std::int32_t>::max()};
  double pixel_height_ = 1.0;  // row spacing
  double pixel_width_ = 1.0;   // column spacing
  std::vector<dcmimgle::Raster<std::int32_t>> frames_;
};

/// Marks `data` as derived from the image it held, as DCMTK's dcmscale and dcmquant do: the first
/// value of Image Type becomes DERIVED, Derivation Description becomes `description` followed by
/// the old description in brackets, and with `new_instance` the SOP Instance UID is replaced by a
/// new one and Source Image Sequence is replaced by one item with the old SOP Class and Instance
/// UID (when both are present; otherwise it is left alone). `meta`, if given, gets the new UID as
/// Media Storage SOP Instance UID.
ofstd::Status mark_derived(dcmdata::DataSet& data, std::string_view description, bool new_instance,
                           dcmdata::DataSet* meta = nullptr);

}  // namespace dcmkit::dcmimage

// SPDX-License-Identifier: BSD-3-Clause
// Colour models (PS3.3 C.7.6.3.1.2): RGB, YBR_FULL, YBR_FULL_422, YBR_PARTIAL_422/420, YBR_ICT and
// YBR_RCT (as decoders deliver them), PALETTE COLOR with normal or segmented tables, and the
// retired ARGB, CMYK and HSV models (read only). Every model is converted to RGB with DCMTK's
// arithmetic, so that dcm2pnm's colour output is byte-identical to DCMTK's.
//
//   auto converter = ColorConverter::create(file->data, frames.description());
//   Raster<std::uint32_t> rgb;
//   DCMKIT_TRY(converter->convert(samples, rgb));   // samples from PixelFrames::unpack()
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/pixel_data.h"
#include "dcmkit/dcmimgle/geometry.h"
#include "dcmkit/dcmimgle/lut.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmimage {

/// The colour models dcmimage knows.
enum class ColorModel : std::uint8_t {
  Rgb,
  YbrFull,
  YbrFull422,
  YbrPartial422,
  YbrPartial420,
  YbrIct,
  YbrRct,
  Palette,
  Argb,
  Cmyk,
  Hsv,
};

/// Parses a Photometric Interpretation; Unsupported for monochrome and unknown ones.
ofstd::Result<ColorModel> parse_color_model(std::string_view photometric);

/// Options for reading palettes (dcm2pnm's +Mp and +Mc).
struct ColorOptions {
  /// Accept the retired (0028,111x)/(0028,121x) palette tags of old producers.
  bool accept_palette_tags = false;
  dcmimgle::LutOptions lut;
};

/// Converts one frame's samples of a colour image to RGB. Built once per image (palettes are
/// read then); convert() may be called from several threads at once.
class ColorConverter {
 public:
  /// `description` is the description of the unpacked samples (PixelFrames::description()).
  /// Unsupported for models that are not colour; MalformedData for inconsistent attributes
  /// (Samples per Pixel not matching the model, palettes missing or unreadable).
  static ofstd::Result<ColorConverter> create(const dcmdata::DataSet& data,
                                              const dcmdata::PixelDescription& description,
                                              const ColorOptions& options = {});

  ColorModel model() const noexcept { return model_; }
  /// Bits per RGB sample of the result (bits stored; a palette's entry bits).
  std::uint32_t bits() const noexcept { return bits_; }

  /// Converts `samples` (as PixelFrames::unpack() gives them: interleaved or planar as the
  /// data set says) to interleaved RGB with bits() bits per sample.
  void convert(std::span<const std::int32_t> samples, dcmimgle::Raster<std::uint32_t>& rgb) const;

 private:
  ColorModel model_ = ColorModel::Rgb;
  dcmdata::PixelDescription description_;
  std::uint32_t bits_ = 8;
  dcmimgle::LookupTable red_;
  dcmimgle::LookupTable green_;
  dcmimgle::LookupTable blue_;
};

/// DCMTK's conversion of RGB to one luminance value (dcm2pnm +G): 0.299 R + 0.587 G + 0.114 B.
void rgb_to_gray(const dcmimgle::Raster<std::uint32_t>& rgb, std::vector<std::int32_t>& gray);

}  // namespace dcmkit::dcmimage

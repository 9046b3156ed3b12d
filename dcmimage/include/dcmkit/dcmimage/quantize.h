// SPDX-License-Identifier: BSD-3-Clause
// Colour quantization for dcmquant: Heckbert's median cut ("Color Image Quantization for Frame
// Buffer Display", SIGGRAPH 1982) over the colour histogram of all frames, with the choices
// DCMTK's dcmquant offers (split dimension, representative colour, Floyd-Steinberg error
// diffusion), and the conversion of the palette to DICOM Palette Color Lookup Table entries.
//
//   std::vector<std::vector<std::uint8_t>> frames = ...;   // 8-bit RGB, interleaved
//   auto quantized = quantize(frames, width, height, {.colors = 256});
//   if (!quantized) return quantized.error();
//   // quantized->palette[quantized->frames[0][i]] is the colour of pixel i of frame 0
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmimage {

/// Which component a box of the median cut is split along (dcmquant's +Dr, +Dl).
enum class SplitDimension : std::uint8_t {
  RgbRange,   ///< the component with the largest range of values
  Luminance,  ///< the component with the largest range weighted by its share of luminance
};

/// Which colour represents a box in the palette (dcmquant's +Cb, +Cp, +Cc).
enum class RepresentativeColor : std::uint8_t {
  AverageColors,  ///< the mean of the distinct colours in the box
  AveragePixels,  ///< the mean of the pixels in the box (colours weighted by their counts)
  BoxCenter,      ///< the middle of the box's range (as DCMTK computes it, see quantize.cc)
};

/// What quantize() does. Plain aggregate; the defaults are dcmquant's.
struct QuantizeOptions {
  std::uint32_t colors = 256;  ///< palette size, 2..65536 (+pc)
  SplitDimension split = SplitDimension::RgbRange;
  RepresentativeColor representative = RepresentativeColor::AverageColors;
  bool floyd_steinberg = false;  ///< error diffusion (+pf), with no random start errors
};

/// A colour on the scale 0..maxval of a QuantizedImage.
using RgbColor = std::array<std::uint16_t, 3>;

/// The result of quantize(). Regular value type.
struct QuantizedImage {
  /// The scale of the colours: 255, or less when the image had more than 65536 colours and
  /// its values were scaled down (halving the scale each time) until it had no more.
  std::uint32_t maxval = 255;
  std::size_t histogram_colors = 0;  ///< distinct colours at `maxval`
  /// QuantizeOptions::colors entries; entries beyond the boxes found (an image with fewer
  /// colours than asked for) are black.
  std::vector<RgbColor> palette;
  std::vector<std::vector<std::uint16_t>> frames;  ///< one palette index per pixel and frame
};

/// Quantizes `frames` (each `width` x `height` pixels of 8-bit RGB, interleaved) to one palette
/// for all frames. InvalidArgument for `colors` outside 2..65536, no frames, or frames of the
/// wrong size. Pure function; safe to call concurrently.
ofstd::Result<QuantizedImage> quantize(std::span<const std::vector<std::uint8_t>> frames,
                                       std::uint32_t width, std::uint32_t height,
                                       const QuantizeOptions& options = {});

/// A palette value on the scale 0..maxval as an 8-bit lookup table entry (value * 255 / maxval).
std::uint16_t palette_entry_8(std::uint16_t value, std::uint32_t maxval) noexcept;

/// A palette value on the scale 0..maxval as a 16-bit lookup table entry, as DCMTK's dcmquant
/// writes it (+pe): w = value * 65535 / maxval, then the low byte of w is ORed into its high byte
/// (w | w << 8, 16 bits), which replicates an 8-bit value exactly when maxval is 255.
std::uint16_t palette_entry_16(std::uint16_t value, std::uint32_t maxval) noexcept;

}  // namespace dcmkit::dcmimage

// SPDX-License-Identifier: BSD-3-Clause
// Overlay planes (PS3.3 C.9.2, repeating groups 60xx): separate bit planes in Overlay Data
// (60xx,3000) or, in old files, bits embedded in the unused high bits of Pixel Data. Each plane
// is read once and rasterized per frame onto the image's pixel grid, so that it follows the
// image through clipping, rotation, flipping and scaling.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/shared_bytes.h"
#include "dcmkit/dcmimgle/geometry.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmimgle {

class PixelFrames;

/// How an overlay plane changes the output (dcm2pnm's +Om...).
enum class OverlayMode : std::uint8_t {
  Default,           ///< Replace for graphics ("G"), RegionOfInterest for ROIs ("R")
  Replace,           ///< set pixels to the foreground value
  ThresholdReplace,  ///< foreground where the pixel is dark, else black
  Complement,        ///< black where the pixel is bright, else white
  InvertBitmap,      ///< invert pixels under the overlay
  RegionOfInterest,  ///< darken pixels outside the overlay
};

/// One overlay plane of a data set. Regular value type (the data is shared).
struct OverlayPlane {
  std::uint16_t group = 0x6000;
  std::uint32_t rows = 0;
  std::uint32_t columns = 0;
  std::int32_t origin_row = 1;     ///< (60xx,0050)[0], 1-based
  std::int32_t origin_column = 1;  ///< (60xx,0050)[1], 1-based
  bool roi = false;                ///< Overlay Type "R"
  std::uint32_t frames = 1;        ///< Number of Frames in Overlay
  std::uint32_t first_frame = 1;   ///< Image Frame Origin, 1-based
  std::uint32_t bits_allocated = 1;
  std::uint32_t bit_position = 0;
  bool embedded = false;      ///< in Pixel Data (no Overlay Data)
  dcmdata::SharedBytes data;  ///< Overlay Data, little endian
  std::string label;
  std::string description;

  /// The plane's index 0..15 ((group - 0x6000) / 2).
  std::uint32_t index() const noexcept { return (group - 0x6000u) / 2; }
  /// True if the plane covers image frame `frame` (0-based).
  bool covers_frame(std::uint64_t frame) const noexcept;
};

/// Reads every overlay plane of `data` (groups 6000..601E) in group order. Planes whose
/// attributes are missing or inconsistent are skipped and described in `problems` (DCMTK logs
/// them as warnings), as is a plane whose Overlay Data is shorter than its rows x columns x
/// frames bits (DCMTK drops those too).
std::vector<OverlayPlane> read_overlays(const dcmdata::DataSet& data,
                                        const dcmdata::DataSet* pixel_owner,
                                        std::vector<std::string>* problems = nullptr);

/// The plane's bits for image frame `frame` on an image of `width` × `height` pixels (origin
/// applied, clipped to the image): 1 where the overlay is set. For embedded planes `frames` and
/// the frame's raw words are used. Empty raster if the plane does not cover the frame.
ofstd::Result<Raster<std::uint8_t>> rasterize(const OverlayPlane& plane, std::uint64_t frame,
                                              std::uint32_t width, std::uint32_t height,
                                              const PixelFrames* frames);

/// Draws a rasterized plane onto `out` (final output values of `bits` bits, after polarity and
/// presentation shape) in `mode`, with the foreground and threshold densities (0..1) of
/// dcm2pnm's +Osf/+Ost, exactly as DCMTK 3.6.7 does (see docs/dcm2pnm.md for the rules).
void apply_overlay(const Raster<std::uint8_t>& bits_plane, OverlayMode mode, bool roi,
                   double foreground, double threshold, std::uint32_t bits,
                   std::vector<std::uint32_t>& out);

}  // namespace dcmkit::dcmimgle

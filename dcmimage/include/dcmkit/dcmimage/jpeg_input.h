// SPDX-License-Identifier: BSD-3-Clause
// The image a lossy (or pseudo-lossless) JPEG encoder takes, made as DCMTK's dcmcjpeg makes it:
// monochrome images are rendered to the encoder's 8, 12 or 16 bits through a VOI window (one
// that keeps the pixel values when no +W option is given, with Rescale Slope/Intercept or the
// windows of the data set adjusted to match), colour images to RGB, YCbCr images upsampled and
// kept as YCbCr. The data set's Image Pixel module is replaced by the result, which dcmdata's
// codec registry then encodes.
//
//   JpegInputOptions options;
//   options.bits = 8;                                  // JPEG baseline
//   DCMKIT_ASSIGN_OR_RETURN(JpegInput input, prepare_jpeg_input(file.data, file.transfer_syntax,
//                                                               options));
//   file.transfer_syntax = dcmdata::explicit_vr_little_endian();   // the pixels are native now
#pragma once

#include <cstdint>
#include <string>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/transfer_syntax.h"
#include "dcmkit/dcmimage/renderer.h"
#include "dcmkit/dcmimgle/mono.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmimage {

/// dcmcjpeg's options that shape the encoder's input (+W..., +sp/+sr, +ri/+rm, +cm, +cs, +Ma,
/// +Mp). Plain aggregate; defaults are dcmcjpeg's.
struct JpegInputOptions {
  /// Bits per sample of the encoder: 8 (baseline, 8-bit extended/progressive), 12 (12-bit
  /// extended/progressive, 9..12-bit lossless) or 16 (13..16-bit lossless).
  std::uint32_t bits = 8;
  /// The VOI transformation of monochrome images; None is dcmcjpeg's -W: a window of 2^n values
  /// that holds all pixel values (+sp) or the whole possible range (+sr).
  VoiMode voi_mode = VoiMode::None;
  std::uint32_t voi_index = 1;        ///< 1-based, +Wi / +Wl
  Region roi;                         ///< +Wr
  double histogram_percent = 0;       ///< +Wh, in percent
  dcmimgle::VoiWindow window;         ///< +Ww
  bool scale_by_pixel_values = true;  ///< -W: +sp (true) or +sr (false)
  bool rescale_map = false;           ///< -W: +rm (true) or +ri (false); CT always maps
  bool secondary_capture = false;     ///< +cs: the CT and XA rules do not apply
  bool to_monochrome = false;         ///< +cm: colour images become MONOCHROME2
  bool accept_acr_nema = false;       ///< +Ma
  bool accept_palette_tags = false;   ///< +Mp
};

/// What prepare_jpeg_input() made.
struct JpegInput {
  /// Bits per sample of the original image as DCMTK counts them for the compression ratio
  /// (Bits Stored, or the bits of the rescaled range or Modality LUT).
  std::uint32_t depth = 0;
  /// The samples are YCbCr (YBR_FULL): code them without colour conversion.
  bool ycbcr = false;
};

/// Replaces the top-level Image Pixel module of `data` (read with `ts`; encapsulated frames are
/// decoded by dcmdata's codec registry) with native pixels of `options.bits` bits, as DCMTK's
/// JPEG encoder prepares them, and fixes up what describes them: Bits Allocated/Stored, High
/// Bit, Pixel Representation, Planar Configuration, Photometric Interpretation (MONOCHROME2
/// after a +W window, YBR_FULL for YCbCr input, RGB for other colour models), Rescale
/// Slope/Intercept/Type, Window Center/Width/Explanation, VOI LUT Sequence, Presentation LUT
/// Shape, Pixel Intensity Relationship (XA), and removes the palette, padding and smallest /
/// largest value attributes. InvalidArgument when a +Wi/+Wl index does not exist or a window
/// cannot be computed (DCMTK then refuses the conversion); the Renderer's errors otherwise.
/// On error `data` is unchanged.
ofstd::Result<JpegInput> prepare_jpeg_input(dcmdata::DataSet& data,
                                            const dcmdata::TransferSyntax& ts,
                                            const JpegInputOptions& options);

/// DCMTK's number of bits for a range of values (DicomImageClass::rangeToBits): the bits of the
/// largest magnitude, plus a sign bit when the range goes below 0.
std::uint32_t range_bits(double min, double max);

/// Number text as DCMTK's encoders write Rescale Slope/Intercept and Window Center/Width
/// (OFStandard::ftoa, `precision` significant digits): ofstd::format_significant(), like
/// printf's %G except that zeros right after the decimal point are not counted ("83.005865"
/// where %.6G gives "83.0059").
std::string dcmtk_number_text(double value, int precision);

}  // namespace dcmkit::dcmimage

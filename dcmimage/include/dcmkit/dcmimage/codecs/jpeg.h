// SPDX-License-Identifier: BSD-3-Clause
// JPEG (ITU T.81 / ISO 10918-1) pixel data codecs for dcmdata's codec registry: baseline and
// 8-bit extended, spectral selection and progressive through libjpeg-turbo; 12-bit DCT and the
// lossless process (2..16 bits) by dcmkit's own coder. A program registers them once:
//
//   dcmimage::register_jpeg_codecs();  // defaults: dcmdjpeg's and dcmcjpeg's
//   auto file = dcmdata::read_file("in.dcm");
//   DCMKIT_TRY(dcmdata::transcode(*file, dcmdata::explicit_vr_little_endian()));
#pragma once

#include <cstdint>
#include <string>

#include "dcmkit/dcmdata/codec.h"

namespace dcmkit::dcmimage {

/// When decoded colour pixels are converted from YCbCr to RGB (dcmdjpeg +cp ... +cn).
enum class ColorConversion : std::uint8_t {
  Photometric,  ///< if Photometric Interpretation says YBR_* (default)
  Lossy,        ///< if the JPEG process is lossy
  Guess,        ///< if the JPEG library takes the data for YCbCr (JFIF, component IDs, ...)
  GuessLossy,   ///< Guess, and the process is lossy
  Always,       ///< always
  Never,        ///< never
};

/// The planar configuration of decoded colour pixels (dcmdjpeg +pa, +px, +pl).
enum class PlanarChoice : std::uint8_t {
  Auto,  ///< by plane where the IOD asks for it (US with YBR_FULL, Hardcopy Color), else by pixel
  ByPixel,  ///< always color-by-pixel
  ByPlane,  ///< always color-by-plane
};

/// Options of the JPEG decoders.
struct JpegDecodeParams {
  ColorConversion color = ColorConversion::Photometric;
  PlanarChoice planar = PlanarChoice::Auto;
  bool workaround_predictor6 = false;  ///< +w6: lossless predictor 6 with 16-bit overflow
  bool workaround_incomplete = false;  ///< +wi: accept truncated data (the rest is gray)
  bool workaround_cornell = false;     ///< +wc: 16-bit lossless with 16 extra bits after SSSS 16
};

/// The colour space of lossy encodings of colour images (dcmcjpeg +cy, +cr, +cm).
enum class JpegColorSpace : std::uint8_t { Ybr, Rgb, Monochrome };

/// Subsampling of lossy YCbCr encodings (dcmcjpeg +s2, +s4, +n2, +n1, +np).
enum class JpegSubsampling : std::uint8_t {
  Ybr422,   ///< 4:2:2, Photometric Interpretation YBR_FULL_422 (default)
  Full444,  ///< 4:4:4, YBR_FULL
  Full422,  ///< 4:2:2, YBR_FULL (non-standard)
  Full411,  ///< "4:1:1" in DCMTK's help: Y sampled 2x2 (4:2:0), YBR_FULL (non-standard)
  Ybr411,   ///< "4:1:1" in DCMTK's help: Y sampled 2x2 (4:2:0), YBR_FULL_422 (non-standard)
};

/// Compressed bits per sample (dcmcjpeg +ba, +be, +bt, +bs).
enum class JpegBits : std::uint8_t { Auto, Force8, Force12, Force16 };

/// Options of the JPEG encoders. The process comes from the transfer syntax: .50 baseline, .51
/// extended sequential, .53 spectral selection, .55 progressive, .57 lossless with
/// `selection_value`, .70 lossless with selection value 1.
struct JpegEncodeParams {
  int selection_value = 6;  ///< lossless predictor for .57 (1..7)
  int point_transform = 0;  ///< lossless point transform (0..15)
  int quality = 90;         ///< lossy: IJG quality factor (0..100)
  int smoothing = 0;        ///< lossy: IJG smoothing factor (0..100)
  bool optimize_huffman = true;
  JpegBits bits = JpegBits::Auto;
  JpegColorSpace color = JpegColorSpace::Ybr;
  JpegSubsampling subsampling = JpegSubsampling::Ybr422;
  /// DCMTK's "pseudo-lossless" codec (dcmcjpeg +pl): the lossless processes code what the
  /// program prepared (see jpeg_input.h), and the result is described as DCMTK describes it
  /// ("Pseudo-Lossless JPEG compression", Lossy Image Compression Method ISO_10918_1).
  bool pseudo_lossless = false;
};

/// Registers the JPEG codecs for the transfer syntaxes 1.2.840.10008.1.2.4.50, .51, .53, .55,
/// .57 and .70 in `registry`, replacing earlier registrations. The codecs keep copies of the
/// parameters; they are immutable and safe to use from several threads.
void register_jpeg_codecs(const JpegDecodeParams& decode = {}, const JpegEncodeParams& encode = {},
                          dcmdata::CodecRegistry& registry = dcmdata::CodecRegistry::global());

/// The JPEG library behind the 8-bit DCT codecs, for --version ("libjpeg-turbo 2.1.5").
std::string jpeg_library_version();

}  // namespace dcmkit::dcmimage

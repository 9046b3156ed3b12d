// SPDX-License-Identifier: BSD-3-Clause
// JPEG-LS (ITU T.87 / ISO 14495-1) pixel data codecs for dcmdata's codec registry, lossless
// (1.2.840.10008.1.2.4.80) and near-lossless (.81), through CharLS. A program registers them
// once:
//
//   dcmimage::register_jpeg_ls_codecs();  // defaults: dcmdjpls's and dcmcjpls's
//   auto file = dcmdata::read_file("in.dcm");
//   DCMKIT_TRY(dcmdata::transcode(*file, dcmdata::explicit_vr_little_endian()));
#pragma once

#include <cstdint>
#include <string>

#include "dcmkit/dcmdata/codec.h"

namespace dcmkit::dcmimage {

/// The planar configuration of decoded colour pixels (dcmdjpls +pr, +pa, +px, +pl).
enum class JpegLsPlanar : std::uint8_t {
  Restore,  ///< as Planar Configuration of the compressed data set says (default)
  Auto,  ///< by plane where the IOD asks for it (US with YBR_FULL, Hardcopy Color), else by pixel
  ByPixel,  ///< always color-by-pixel
  ByPlane,  ///< always color-by-plane
};

/// Options of the JPEG-LS decoders.
struct JpegLsDecodeParams {
  JpegLsPlanar planar = JpegLsPlanar::Restore;
  /// +wi: a stream without its end-of-image marker is decoded as if it had one.
  bool workaround_incomplete = false;
};

/// How the samples of colour images are interleaved in the stream (dcmcjpls +il, +is, +in, +iv).
enum class JpegLsInterleave : std::uint8_t {
  Line,     ///< line-interleaved (default)
  Sample,   ///< sample-interleaved
  None,     ///< one scan per component
  Default,  ///< the fastest for the pixels: none for color-by-plane, sample for color-by-pixel
};

/// Options of the JPEG-LS encoders.
struct JpegLsEncodeParams {
  int max_deviation = 2;  ///< NEAR for near-lossless (.81); lossless (.80) uses 0
  /// JPEG-LS preset coding parameters (T.87 C.2.4.1.1); 0 is the standard's default.
  int threshold1 = 0;
  int threshold2 = 0;
  int threshold3 = 0;
  int reset = 0;
  JpegLsInterleave interleave = JpegLsInterleave::Line;
  /// +pz: pad odd-length streams with a zero byte after the EOI marker (non-standard); by
  /// default a fill byte 0xFF is put before the EOI marker (T.81 B.1.1.2).
  bool pad_with_zero = false;
};

/// Registers the JPEG-LS codecs for 1.2.840.10008.1.2.4.80 and .81 in `registry`, replacing
/// earlier registrations. The codecs keep copies of the parameters; they are immutable and safe
/// to use from several threads.
void register_jpeg_ls_codecs(const JpegLsDecodeParams& decode = {},
                             const JpegLsEncodeParams& encode = {},
                             dcmdata::CodecRegistry& registry = dcmdata::CodecRegistry::global());

/// The JPEG-LS library, for --version ("CharLS 2.4.1").
std::string jpeg_ls_library_version();

}  // namespace dcmkit::dcmimage

// SPDX-License-Identifier: BSD-3-Clause
// JPEG 2000 (ISO 15444-1) and High-Throughput JPEG 2000 (ISO 15444-15) pixel data codecs for
// dcmdata's codec registry, through OpenJPEG: decoding of 1.2.840.10008.1.2.4.90 (lossless),
// .91 (lossy), .201 (HTJ2K lossless), .202 (HTJ2K lossless RPCL) and .203 (HTJ2K); encoding of
// all of them, HTJ2K through OpenJPH (Debian 12's OpenJPEG 2.5.0 decodes HTJ2K but cannot
// encode it). A program registers them once:
//
//   dcmimage::register_jpeg2000_codecs();
//   auto file = dcmdata::read_file("in.dcm");
//   DCMKIT_TRY(dcmdata::transcode(*file, dcmdata::explicit_vr_little_endian()));
#pragma once

#include <cstdint>
#include <string>

#include "dcmkit/dcmdata/codec.h"

namespace dcmkit::dcmimage {

/// The planar configuration of decoded colour pixels (dcmdj2k +pr, +pa, +px, +pl).
enum class Jpeg2000Planar : std::uint8_t {
  Restore,  ///< as Planar Configuration of the compressed data set says (default)
  Auto,  ///< by plane where the IOD asks for it (US with YBR_FULL, Hardcopy Color), else by pixel
  ByPixel,  ///< always color-by-pixel
  ByPlane,  ///< always color-by-plane
};

/// Options of the JPEG 2000 decoders.
struct Jpeg2000DecodeParams {
  Jpeg2000Planar planar = Jpeg2000Planar::Restore;
};

/// Options of the JPEG 2000 encoders.
struct Jpeg2000EncodeParams {
  /// Lossy (.91, .203): the target compression ratio (native size / compressed size), at
  /// least 1; for HTJ2K met by searching the quantization step (OpenJPH has no rate control).
  double compression_ratio = 10.0;
  /// Decomposition levels (resolutions - 1), reduced for small images.
  int levels = 5;
  /// Colour images in RGB are encoded with the multiple component transform (reversible for
  /// .90, irreversible for .91), and described as YBR_RCT / YBR_ICT (PS3.5 §8.2.4).
  bool color_transform = true;
};

/// Registers the JPEG 2000 and HTJ2K codecs in `registry`, replacing earlier registrations.
void register_jpeg2000_codecs(const Jpeg2000DecodeParams& decode = {},
                              const Jpeg2000EncodeParams& encode = {},
                              dcmdata::CodecRegistry& registry = dcmdata::CodecRegistry::global());

/// The JPEG 2000 libraries, for --version ("OpenJPEG 2.5.0, OpenJPH 0.9.0").
std::string jpeg2000_library_version();

}  // namespace dcmkit::dcmimage

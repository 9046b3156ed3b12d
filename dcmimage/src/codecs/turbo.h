// SPDX-License-Identifier: BSD-3-Clause
// 8-bit DCT JPEG through libjpeg-turbo's libjpeg API (Debian's libjpeg62-turbo): decoding into
// interleaved samples with a chosen colour conversion, and encoding baseline, extended,
// spectral selection and progressive streams. libjpeg reports errors by longjmp; the wrappers
// keep that inside functions without C++ objects, and turn it into an Error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmimage::detail {

/// How the decoder treats 3-component data.
enum class TurboColor : std::uint8_t {
  Keep,      ///< no colour conversion at all
  YccToRgb,  ///< take the data as YCbCr and convert it to RGB (the caller guesses, if asked to:
             ///< jpeg_stream.h's guesses_ycbcr(), as DCMTK's IJG build, which libjpeg-turbo's
             ///< own guess is not for lossless streams)
};

/// What the decoder found and did.
struct TurboInfo {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint32_t components = 0;
  bool converted = false;  ///< YCbCr was converted to RGB
  std::string warning;     ///< libjpeg's last warning (corrupt data it recovered from)
};

/// Reads the header only.
ofstd::Result<TurboInfo> turbo_read_header(std::span<const std::uint8_t> data);

/// Decodes an 8-bit DCT stream into `out` (width × height × components bytes, interleaved;
/// MalformedData if the image needs more). MalformedData with libjpeg's message for corrupt
/// data.
ofstd::Result<TurboInfo> turbo_decode(std::span<const std::uint8_t> data, TurboColor color,
                                      std::span<std::uint8_t> out);

/// Which 8-bit process to encode.
enum class TurboProcess : std::uint8_t { Baseline, Extended, Spectral, Progressive };

/// How colour is coded (dcmcjpeg +cy / +cr and the subsampling options).
struct TurboEncodeParams {
  TurboProcess process = TurboProcess::Baseline;
  int quality = 90;
  int smoothing = 0;
  bool optimize = true;
  bool ycc = true;  ///< 3 components: code RGB as YCbCr (else as RGB)
  /// 3 components: the samples are YCbCr already; code them as they are (implies ycc).
  bool ycc_input = false;
  int h_luma = 2;  ///< luminance sampling factors (2x1 = 4:2:2, 1x1 = 4:4:4, 2x2 = 4:2:0)
  int v_luma = 1;
  /// Write a JFIF marker (image files such as dcm2pnm's +oj output); DICOM streams have none.
  bool jfif = false;
};

/// Encodes interleaved 8-bit samples (1 or 3 components) as a JPEG stream.
ofstd::Result<std::vector<std::uint8_t>> turbo_encode(std::span<const std::uint8_t> samples,
                                                      std::uint32_t width, std::uint32_t height,
                                                      std::uint32_t components,
                                                      const TurboEncodeParams& params);

/// "libjpeg-turbo 2.1.5" for --version.
std::string turbo_version();

}  // namespace dcmkit::dcmimage::detail

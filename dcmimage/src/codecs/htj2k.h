// SPDX-License-Identifier: BSD-3-Clause
// HTJ2K (ISO 15444-15) encoding through OpenJPH, for the JPEG 2000 codec (jpeg2000.cc), which
// decodes HTJ2K through OpenJPEG.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmimage::detail {

/// What to encode: the components as planes of signed 32-bit samples (width × height each).
struct HtImage {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint32_t bits = 8;  ///< bits per sample (Bits Stored)
  bool is_signed = false;
  std::span<const std::int32_t* const> planes;  ///< 1 or 3 components
};

/// How to encode.
struct HtParams {
  bool reversible = true;       ///< 5/3 wavelet, lossless; otherwise 9/7 with quantization
  bool rpcl = false;            ///< PS3.5's RPCL options: RPCL progression and a TLM marker
  bool color_transform = true;  ///< 3 components: the multiple component transform
  int levels = 5;               ///< decomposition levels, reduced for small images
  /// Irreversible: the quantization step of the 9/7 transform (OpenJPH's "qstep").
  float quantization_step = 0.005F;
};

/// The HTJ2K codestream of `image`. InvalidArgument / Unsupported with OpenJPH's message when
/// it refuses the image.
ofstd::Result<std::vector<std::uint8_t>> htj2k_encode(const HtImage& image, const HtParams& params);

/// "OpenJPH 0.9.0".
std::string htj2k_library_version();

}  // namespace dcmkit::dcmimage::detail

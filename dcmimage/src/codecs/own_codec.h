// SPDX-License-Identifier: BSD-3-Clause
// dcmkit's own JPEG coders, for what libjpeg-turbo 2.1 cannot do: the lossless process (T.81
// Annex H; DICOM's 1.2.840.10008.1.2.4.57 and .70) at 2..16 bits, and DCT decoding and
// encoding at 12 bits (sequential and progressive Huffman, T.81 Annexes F and G; DICOM's .51,
// .53 and .55). Images are exchanged as component planes of 16-bit samples.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmimage::detail {

/// A decoded image: `components` planes of width × height samples, in frame order.
struct PlanarImage {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint32_t precision = 0;
  std::size_t components = 0;
  std::vector<std::uint16_t> samples;
  /// Zero bytes supplied past the end of the entropy-coded data (truncated input).
  std::size_t overrun = 0;

  std::uint16_t* plane(std::size_t c) noexcept {
    return samples.data() + c * std::size_t{width} * height;
  }
  const std::uint16_t* plane(std::size_t c) const noexcept {
    return samples.data() + c * std::size_t{width} * height;
  }
};

/// Options of the own decoders (dcmdjpeg's workarounds).
struct OwnDecodeOptions {
  bool predictor6_overflow = false;  ///< +w6: predictor 6 computed with 16-bit overflow
  bool cornell = false;              ///< +wc: SSSS 16 followed by 16 extra bits
  /// Convert 3-component data (DCT or lossless) from YCbCr to RGB, as DCMTK's IJG build for
  /// the stream's precision does (8, 12 or 16 bits).
  bool ycc_to_rgb = false;
  /// Refuse images with more samples than this (the caller's frame size) before allocating.
  std::uint64_t max_samples = 0;
};

/// Decodes a lossless (SOF3) or DCT (SOF0/1/2, any precision) JPEG stream. MalformedData for
/// corrupt data, Unsupported for what is not implemented (arithmetic coding, hierarchical
/// mode, fractional sampling factors), LimitExceeded beyond max_samples. Subsampled DCT
/// components are upsampled as the IJG library does by default ("fancy" 2x1 and 2x2).
ofstd::Result<PlanarImage> decode_own(std::span<const std::uint8_t> data,
                                      const OwnDecodeOptions& options);

/// The component IDs a lossless stream is written with. They matter to decoders that guess
/// the colour model from them (IJG, DCMTK's dcmdjpeg +cg): 1, 2, 3 say YCbCr, 'R', 'G', 'B'
/// RGB, and other IDs RGB for lossless streams.
enum class LosslessIds : std::uint8_t {
  FromOne,   ///< 1, 2, ... (DCMTK's YCbCr and grayscale streams)
  FromZero,  ///< 0, 1, 2 (DCMTK's true lossless colour streams: IJG's "unknown" colour space)
  Rgb,       ///< 'R', 'G', 'B' for 3 components (DCMTK's pseudo-lossless RGB), else FromOne
};

/// Parameters of the own lossless encoder.
struct LosslessParams {
  int predictor = 1;        ///< selection value 1..7
  int point_transform = 0;  ///< 0..15, less than precision
  LosslessIds ids = LosslessIds::FromOne;
};

/// Encodes component planes (each width × height samples of `precision` bits, 2..16) as one
/// interleaved lossless scan with optimal Huffman codes. InvalidArgument for bad parameters.
ofstd::Result<std::vector<std::uint8_t>> encode_lossless(const PlanarImage& image,
                                                         const LosslessParams& params);

/// Parameters of the own 12-bit DCT encoder.
struct DctParams {
  int quality = 90;            ///< 0..100, IJG's scaling of the T.81 Annex K tables
  bool ycc = false;            ///< 3 components: convert RGB to YCbCr before coding
  bool ycc_input = false;      ///< 3 components: the samples are YCbCr already (no conversion)
  bool progressive = false;    ///< SOF2 with a spectral-selection / successive scan script
  bool spectral_only = false;  ///< with progressive: spectral selection only (.53)
  /// YCbCr: the sampling factors of Y (1..4, h x v at most 8), Cb and Cr being 1x1; 2x1 codes
  /// 4:2:2, 2x2 4:2:0 (DCMTK's "4:1:1"). Ignored for other data (all components 1x1).
  int luma_h = 1;
  int luma_v = 1;
};

/// Encodes component planes (12-bit or 8-bit precision) with the extended sequential (one
/// interleaved scan) or progressive DCT process and optimal Huffman tables. YCbCr is converted
/// from RGB in IJG's fixed point and its chroma downsampled as IJG's encoder does without
/// smoothing. InvalidArgument for bad parameters or samples beyond the precision.
ofstd::Result<std::vector<std::uint8_t>> encode_dct(const PlanarImage& image,
                                                    const DctParams& params);

/// IJG's quality scaling of a T.81 Annex K quantization table (quality 0..100).
void scaled_quant_table(int quality, bool chroma, bool force_baseline,
                        std::span<std::uint16_t, 64> table);

}  // namespace dcmkit::dcmimage::detail

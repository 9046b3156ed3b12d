// SPDX-License-Identifier: BSD-3-Clause
// The RLE Lossless compression of PS3.5 Annex G on single frames, for codecs and tools that work
// below the registry (codec.h registers it as a PixelCodec with register_rle_codec()).
//
//   std::vector<std::byte> pixels;
//   DCMKIT_TRY(rle_decode_frame(fragment_bytes, description, pixels));
//   DCMKIT_ASSIGN_OR_RETURN(auto encoded, rle_encode_frame(pixels, description));
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "dcmkit/dcmdata/pixel_data.h"
#include "dcmkit/dcmdata/reader.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmdata {

/// The most bytes one RLE byte can expand to: a two-byte replicate run makes 128 (PS3.5 §G.3.1).
inline constexpr std::uint64_t kRleMaxExpansion = 64;

/// Decodes one RLE-compressed frame (the RLE header and its segments, PS3.5 §G.4/G.5) described
/// by `description` (rows, columns, samples, Bits Allocated a multiple of 8, Planar
/// Configuration) and appends the native little-endian pixels to `out`: rows × columns ×
/// samples × Bits Allocated / 8 bytes, interleaved or by plane as Planar Configuration says.
/// `reverse_byte_order` takes each sample's segments least significant byte first.
///
/// Errors: Unsupported for a description RLE cannot have (Bits Allocated not a multiple of 8,
/// more than 15 segments); MalformedData for a truncated header, a segment count that does not
/// fit the description, offsets outside the data, or data far too short for the frame. A
/// segment that ends before filling its plane, a truncated run and surplus segments are
/// Diagnostics in Lenient mode (missing pixels are zero) and MalformedData in Strict mode. On
/// error `out` is unchanged. Nothing is allocated before the input size has been checked against
/// the frame size (at most kRleMaxExpansion bytes per input byte).
ofstd::Status rle_decode_frame(std::span<const std::byte> encoded,
                               const PixelDescription& description, std::vector<std::byte>& out,
                               bool reverse_byte_order = false,
                               Strictness strictness = Strictness::Lenient,
                               std::vector<Diagnostic>* diagnostics = nullptr);

/// Encodes the native little-endian pixels of one frame (laid out as `description` says) as an
/// RLE frame: one segment per byte of each sample, most significant byte first, each row
/// encoded separately, segments padded to even length (PS3.5 §G.2-G.5). InvalidArgument if
/// `native` is shorter than a frame; Unsupported for Bits Allocated not a multiple of 8 or more
/// than 15 segments, or a subsampled Photometric Interpretation (YBR_*_422/420).
ofstd::Result<std::vector<std::byte>> rle_encode_frame(std::span<const std::byte> native,
                                                       const PixelDescription& description);

}  // namespace dcmkit::dcmdata

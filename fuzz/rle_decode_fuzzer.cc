// SPDX-License-Identifier: BSD-3-Clause
// Fuzz target for the RLE decoder (PS3.5 Annex G). The first 8 bytes of the input choose the
// image description (rows, columns, samples, Bits Allocated, planar configuration, byte order
// and strictness); the rest is the RLE frame. Whatever decodes must have exactly the frame's
// size, and must survive encoding and decoding again unchanged (the encoder and the decoder
// agree on every frame).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <vector>

#include "dcmkit/dcmdata/rle.h"

namespace {

using namespace dcmkit::dcmdata;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "rle_decode_fuzzer: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 8) return 0;
  PixelDescription d;
  d.rows = 1u + data[0] + (data[1] & 0x03u) * 256u;     // 1..1024
  d.columns = 1u + data[2] + (data[3] & 0x03u) * 256u;  // 1..1024
  d.samples_per_pixel = (data[4] & 0x01u) != 0 ? 3 : 1;
  d.bits_allocated = 8u * (1u + (data[4] >> 1 & 0x03u));  // 8, 16, 24, 32
  d.bits_stored = d.bits_allocated;
  d.high_bit = d.bits_allocated - 1;
  d.planar_configuration = (data[4] >> 3) & 0x01u;
  d.photometric_interpretation = d.samples_per_pixel == 3 ? "RGB" : "MONOCHROME2";
  const bool reverse = (data[5] & 0x01u) != 0;
  const Strictness strictness = (data[5] & 0x02u) != 0 ? Strictness::Strict : Strictness::Lenient;
  // A copy the size of the frame, so that reads past its end are caught by ASan.
  const std::vector<std::byte> frame(reinterpret_cast<const std::byte*>(data) + 8,      // NOLINT
                                     reinterpret_cast<const std::byte*>(data) + size);  // NOLINT

  std::vector<std::byte> decoded;
  std::vector<Diagnostic> diagnostics;
  auto status = rle_decode_frame(frame, d, decoded, reverse, strictness, &diagnostics);
  const std::size_t frame_size =
      std::size_t{d.rows} * d.columns * d.samples_per_pixel * (d.bits_allocated / 8);
  if (!status) {
    if (!decoded.empty()) fail("output changed on error");
    return 0;
  }
  if (decoded.size() != frame_size) fail("decoded size is not the frame size");
  if (strictness == Strictness::Strict && !diagnostics.empty()) fail("diagnostics when strict");

  auto encoded = rle_encode_frame(decoded, d);
  if (!encoded) fail("cannot encode what was decoded");
  std::vector<std::byte> again;
  auto status_again = rle_decode_frame(*encoded, d, again, false, Strictness::Strict);
  if (!status_again) fail("cannot decode what was encoded");
  // The encoder writes the standard byte order, whatever order the input was read in.
  if (again != decoded) fail("round trip changed the pixels");
  return 0;
}

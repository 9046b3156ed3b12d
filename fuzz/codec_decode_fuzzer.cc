// SPDX-License-Identifier: BSD-3-Clause
// Fuzz target for one of dcmimage's decoders, chosen at build time by DCMKIT_FUZZ_TS (a transfer
// syntax UID): jpeg_decode (.57, which also reads every JPEG process), jpls_decode (.80),
// j2k_decode (.90) and htj2k_decode (.203: OpenJPEG decodes HTJ2K code-blocks with a separate
// decoder). The first 8 bytes choose the image description (rows, columns, samples, Bits
// Allocated) and, for JPEG, whether the colour model is guessed from the stream (dcmdjpeg +cg);
// the rest is the frame. Decoding must fail cleanly or give exactly one frame.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "dcmkit/dcmdata/codec.h"
#include "dcmkit/dcmimage/codecs/jpeg.h"
#include "dcmkit/dcmimage/codecs/jpeg2000.h"
#include "dcmkit/dcmimage/codecs/jpeg_ls.h"

namespace {

using namespace dcmkit;  // NOLINT: a fuzz target

// The codecs with their default options, or (`guess`) the JPEG decoders guessing the colour
// model from the stream's markers, as dcmdjpeg +cg does.
const dcmdata::CodecRegistry& registry(bool guess) {
  static const auto make = [](bool guessing) {
    auto* made = new dcmdata::CodecRegistry;  // NOLINT: lives for the process
    dcmimage::JpegDecodeParams jpeg;
    if (guessing) jpeg.color = dcmimage::ColorConversion::Guess;
    dcmimage::register_jpeg_codecs(jpeg, {}, *made);
    dcmimage::register_jpeg_ls_codecs({}, {}, *made);
    dcmimage::register_jpeg2000_codecs({}, {}, *made);
    return made;
  };
  static dcmdata::CodecRegistry* plain = make(false);
  static dcmdata::CodecRegistry* guessing = make(true);
  return guess ? *guessing : *plain;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 8) return 0;
  const auto ts = dcmdata::TransferSyntax::lookup(DCMKIT_FUZZ_TS);
  if (!ts) std::abort();
  dcmdata::PixelDescription d;
  d.rows = 1u + data[0] + (data[1] & 0x01u) * 256u;     // 1..512
  d.columns = 1u + data[2] + (data[3] & 0x01u) * 256u;  // 1..512
  d.samples_per_pixel = (data[4] & 0x01u) != 0 ? 3 : 1;
  d.bits_allocated = (data[4] & 0x02u) != 0 ? 16 : 8;
  d.bits_stored = d.bits_allocated;
  d.high_bit = d.bits_allocated - 1;
  d.photometric_interpretation = d.samples_per_pixel == 3 ? "RGB" : "MONOCHROME2";
  dcmdata::Frame frame;
  frame.encapsulated = true;
  frame.pieces.push_back(dcmdata::SharedBytes::copy_of(
      std::span<const std::byte>(reinterpret_cast<const std::byte*>(data) + 8,  // NOLINT
                                 size - 8)));
  const auto codec = registry((data[5] & 0x01u) != 0).decoder(ts->uid());
  std::vector<std::byte> out;
  auto target = codec->decoded_description(*ts, d, {});
  if (!target) return 0;
  auto status = codec->decode_frame(*ts, frame, d, {}, out, nullptr);
  if (!status) {
    if (!out.empty()) {
      std::fprintf(stderr, "codec_decode_fuzzer: output changed on error\n");
      std::abort();
    }
    return 0;
  }
  const std::size_t expected =
      std::size_t{d.rows} * d.columns * d.samples_per_pixel * (target->bits_allocated / 8);
  if (out.size() != expected) {
    std::fprintf(stderr, "codec_decode_fuzzer: decoded size is not the frame size\n");
    std::abort();
  }
  return 0;
}

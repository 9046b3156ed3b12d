// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/rle.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "dcmkit/ofstd/byte_order.h"

namespace dcmkit::dcmdata {
namespace {

using ofstd::ErrorCode;

PixelDescription describe(std::uint32_t rows, std::uint32_t columns, std::uint32_t samples,
                          std::uint32_t bits, std::uint32_t planar = 0) {
  PixelDescription d;
  d.rows = rows;
  d.columns = columns;
  d.samples_per_pixel = samples;
  d.bits_allocated = bits;
  d.bits_stored = bits;
  d.high_bit = bits - 1;
  d.planar_configuration = planar;
  d.photometric_interpretation = samples == 3 ? "RGB" : "MONOCHROME2";
  return d;
}

std::vector<std::byte> bytes(std::initializer_list<int> values) {
  std::vector<std::byte> out;
  for (int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

// An RLE frame with the given segments (each already PackBits-encoded).
std::vector<std::byte> frame_of(const std::vector<std::vector<std::byte>>& segments) {
  std::vector<std::byte> out(64);
  ofstd::store(out.data(), static_cast<std::uint32_t>(segments.size()), ofstd::Endian::Little);
  for (std::size_t i = 0; i < segments.size(); ++i) {
    ofstd::store(out.data() + 4 + 4 * i, static_cast<std::uint32_t>(out.size()),
                 ofstd::Endian::Little);
    out.insert(out.end(), segments[i].begin(), segments[i].end());
  }
  return out;
}

std::vector<std::byte> random_pixels(std::size_t size, unsigned seed, int runs) {
  std::mt19937 engine(seed);
  std::vector<std::byte> out(size);
  for (std::size_t i = 0; i < size; ++i) {
    // Mixed content: runs of equal bytes and noise, to exercise both kinds of runs.
    if (runs > 0 && (i / static_cast<std::size_t>(runs)) % 2 == 0 && i > 0) {
      out[i] = out[i - 1];
    } else {
      out[i] = static_cast<std::byte>(engine() & 0xFF);
    }
  }
  return out;
}

TEST(RleTest, DecodesTheStandardsRunKinds) {
  // Literal run of 3, replicate run of 4, no-op (-128), literal run of 1 (PS3.5 §G.3).
  const auto frame = frame_of({bytes({2, 1, 2, 3, -3 & 0xFF, 9, 0x80, 0, 7, 0})});
  std::vector<std::byte> out;
  ASSERT_TRUE(rle_decode_frame(frame, describe(1, 8, 1, 8), out));
  EXPECT_EQ(out, bytes({1, 2, 3, 9, 9, 9, 9, 7}));
}

TEST(RleTest, PutsTheFirstSegmentIntoTheMostSignificantByte) {
  const auto frame = frame_of({bytes({1, 0x12, 0x34}), bytes({1, 0x56, 0x78})});
  std::vector<std::byte> out;
  ASSERT_TRUE(rle_decode_frame(frame, describe(1, 2, 1, 16), out));
  EXPECT_EQ(out, bytes({0x56, 0x12, 0x78, 0x34}));  // little endian 0x1256, 0x3478
  std::vector<std::byte> reversed;
  ASSERT_TRUE(rle_decode_frame(frame, describe(1, 2, 1, 16), reversed, true));
  EXPECT_EQ(reversed, bytes({0x12, 0x56, 0x34, 0x78}));
}

TEST(RleTest, InterleavesOrKeepsPlanesAsPlanarConfigurationSays) {
  const auto frame = frame_of({bytes({1, 'R', 'r'}), bytes({1, 'G', 'g'}), bytes({1, 'B', 'b'})});
  std::vector<std::byte> by_pixel;
  ASSERT_TRUE(rle_decode_frame(frame, describe(1, 2, 3, 8, 0), by_pixel));
  EXPECT_EQ(by_pixel, bytes({'R', 'G', 'B', 'r', 'g', 'b'}));
  std::vector<std::byte> by_plane;
  ASSERT_TRUE(rle_decode_frame(frame, describe(1, 2, 3, 8, 1), by_plane));
  EXPECT_EQ(by_plane, bytes({'R', 'r', 'G', 'g', 'B', 'b'}));
}

TEST(RleTest, AppendsToWhatIsAlreadyThere) {
  const auto frame = frame_of({bytes({-1 & 0xFF, 5})});
  std::vector<std::byte> out = bytes({42});
  ASSERT_TRUE(rle_decode_frame(frame, describe(1, 2, 1, 8), out));
  EXPECT_EQ(out, bytes({42, 5, 5}));
}

TEST(RleTest, RoundTripsEverySupportedLayout) {
  struct Case {
    std::uint32_t rows, columns, samples, bits, planar;
    int runs;
  };
  const Case cases[] = {{7, 13, 1, 8, 0, 5},    {16, 16, 1, 16, 0, 3}, {5, 300, 1, 32, 0, 200},
                        {9, 11, 3, 8, 0, 4},    {9, 11, 3, 8, 1, 0},   {4, 6, 3, 16, 1, 2},
                        {3, 129, 1, 8, 0, 129}, {1, 1, 1, 8, 0, 0},    {2, 300, 1, 64, 0, 0}};
  unsigned seed = 1;
  for (const Case& c : cases) {
    const PixelDescription d = describe(c.rows, c.columns, c.samples, c.bits, c.planar);
    const auto native =
        random_pixels(std::size_t{c.rows} * c.columns * c.samples * c.bits / 8, seed++, c.runs);
    auto encoded = rle_encode_frame(native, d);
    ASSERT_TRUE(encoded) << encoded.error().to_string();
    EXPECT_EQ(encoded->size() % 2, 0u);
    std::vector<std::byte> decoded;
    auto status = rle_decode_frame(*encoded, d, decoded, false, Strictness::Strict, nullptr);
    ASSERT_TRUE(status) << status.error().to_string();
    EXPECT_EQ(decoded, native) << c.rows << "x" << c.columns << " " << c.samples << "x" << c.bits;
  }
}

TEST(RleTest, EncodesRowsSeparatelyAndLongRunsCompactly) {
  // Two rows of 200 equal bytes: each row is 128 + 72, never a run across the rows.
  const std::vector<std::byte> native(400, std::byte{7});
  auto encoded = rle_encode_frame(native, describe(2, 200, 1, 8));
  ASSERT_TRUE(encoded);
  const auto expected = frame_of({bytes({0x81, 7, 0xB9, 7, 0x81, 7, 0xB9, 7})});
  EXPECT_EQ(*encoded, expected);
}

TEST(RleTest, RejectsWhatRleCannotEncode) {
  const std::vector<std::byte> native(64);
  auto one_bit = rle_encode_frame(native, describe(8, 8, 1, 1));
  ASSERT_FALSE(one_bit);
  EXPECT_EQ(one_bit.error().code(), ErrorCode::Unsupported);
  PixelDescription subsampled = describe(2, 2, 3, 8);
  subsampled.photometric_interpretation = "YBR_FULL_422";
  EXPECT_EQ(rle_encode_frame(native, subsampled).error().code(), ErrorCode::Unsupported);
  auto too_many = rle_encode_frame(std::vector<std::byte>(4096), describe(2, 2, 4, 32));
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().code(), ErrorCode::Unsupported);
  auto short_input = rle_encode_frame(std::vector<std::byte>(3), describe(2, 2, 1, 8));
  ASSERT_FALSE(short_input);
  EXPECT_EQ(short_input.error().code(), ErrorCode::InvalidArgument);
}

TEST(RleTest, RejectsBrokenHeaders) {
  std::vector<std::byte> out;
  const PixelDescription d = describe(2, 2, 1, 8);
  EXPECT_EQ(rle_decode_frame(bytes({1, 0, 0, 0}), d, out).error().code(), ErrorCode::MalformedData);
  auto no_segments = frame_of({});
  EXPECT_EQ(rle_decode_frame(no_segments, d, out).error().code(), ErrorCode::MalformedData);
  auto too_few = frame_of({bytes({3, 1, 2, 3, 4})});
  EXPECT_EQ(rle_decode_frame(too_few, describe(2, 2, 1, 16), out).error().code(),
            ErrorCode::MalformedData);
  auto outside = frame_of({bytes({3, 1, 2, 3, 4})});
  ofstd::store(outside.data() + 4, std::uint32_t{1000}, ofstd::Endian::Little);
  EXPECT_EQ(rle_decode_frame(outside, d, out).error().code(), ErrorCode::MalformedData);
  auto backwards = frame_of({bytes({0, 1}), bytes({0, 2})});
  ofstd::store(backwards.data() + 8, std::uint32_t{64}, ofstd::Endian::Little);
  ofstd::store(backwards.data() + 4, std::uint32_t{66}, ofstd::Endian::Little);
  EXPECT_EQ(rle_decode_frame(backwards, describe(1, 1, 1, 16), out).error().code(),
            ErrorCode::MalformedData);
  EXPECT_TRUE(out.empty()) << "nothing appended on error";
}

TEST(RleTest, RefusesFramesTheDataCannotPossiblyHold) {
  // 70 bytes of input expand to at most 4480 bytes; a 65535 x 65535 frame is refused before
  // anything is allocated for it.
  const auto frame = frame_of({bytes({0x81, 0, 0x81, 0, 0x81})});
  std::vector<std::byte> out;
  auto status = rle_decode_frame(frame, describe(65535, 65535, 1, 8), out);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code(), ErrorCode::MalformedData);
  EXPECT_TRUE(out.empty());
}

TEST(RleTest, ShortSegmentsAreDiagnosticsWhenLenientAndErrorsWhenStrict) {
  const auto frame = frame_of({bytes({1, 5, 6})});  // 2 of 4 bytes
  const PixelDescription d = describe(2, 2, 1, 8);
  std::vector<std::byte> out;
  std::vector<Diagnostic> diagnostics;
  ASSERT_TRUE(rle_decode_frame(frame, d, out, false, Strictness::Lenient, &diagnostics));
  EXPECT_EQ(out, bytes({5, 6, 0, 0}));
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_NE(diagnostics[0].message.find("2 of 4"), std::string::npos) << diagnostics[0].message;
  std::vector<std::byte> strict_out;
  auto strict = rle_decode_frame(frame, d, strict_out, false, Strictness::Strict);
  ASSERT_FALSE(strict);
  EXPECT_EQ(strict.error().code(), ErrorCode::MalformedData);
  EXPECT_TRUE(strict_out.empty());

  // A literal run cut off by the end of the segment.
  const auto cut = frame_of({bytes({5, 1, 2})});
  diagnostics.clear();
  out.clear();
  ASSERT_TRUE(rle_decode_frame(cut, d, out, false, Strictness::Lenient, &diagnostics));
  EXPECT_EQ(out, bytes({1, 2, 0, 0}));
  EXPECT_EQ(diagnostics.size(), 2u);
}

TEST(RleTest, IgnoresSurplusSegmentsAndTrailingBytes) {
  // Padding after a full plane is normal; a segment more than needed is a Diagnostic.
  const auto frame = frame_of({bytes({0, 1, 0, 9}), bytes({0, 2})});
  std::vector<std::byte> out;
  std::vector<Diagnostic> diagnostics;
  ASSERT_TRUE(
      rle_decode_frame(frame, describe(1, 1, 1, 8), out, false, Strictness::Lenient, &diagnostics));
  EXPECT_EQ(out, bytes({1}));
  EXPECT_EQ(diagnostics.size(), 1u);
}

// Seeds for fuzz/rle_decode_fuzzer.cc: an 8-byte description prefix (see the fuzzer) and a frame
// made by the encoder. Run with DCMKIT_WRITE_FUZZ_SEEDS=fuzz/corpus/rle_decode.
TEST(RleTest, WritesFuzzSeedsWhenAsked) {
  const char* directory = std::getenv("DCMKIT_WRITE_FUZZ_SEEDS");
  if (directory == nullptr) GTEST_SKIP() << "DCMKIT_WRITE_FUZZ_SEEDS is not set";
  struct Seed {
    const char* name;
    std::uint8_t prefix[8];
  };
  // rows-1, rows high bits, columns-1, columns high bits, samples|bits|planar, reverse|strict.
  const Seed seeds[] = {
      {"mono8", {15, 0, 19, 0, 0x00, 0, 0, 0}},    {"mono16", {9, 0, 9, 0, 0x02, 0, 0, 0}},
      {"rgb8-pixel", {7, 0, 5, 0, 0x01, 0, 0, 0}}, {"rgb8-plane", {7, 0, 5, 0, 0x09, 0, 0, 0}},
      {"mono32", {3, 0, 40, 0, 0x06, 0, 0, 0}},    {"rgb16-strict", {4, 0, 4, 0, 0x03, 2, 0, 0}}};
  unsigned seed_number = 100;
  for (const Seed& seed : seeds) {
    PixelDescription d =
        describe(1u + seed.prefix[0], 1u + seed.prefix[2], (seed.prefix[4] & 1u) != 0 ? 3 : 1,
                 8u * (1u + (seed.prefix[4] >> 1 & 3u)), (seed.prefix[4] >> 3) & 1u);
    const auto native =
        random_pixels(std::size_t{d.rows} * d.columns * d.samples_per_pixel * d.bits_allocated / 8,
                      seed_number++, 4);
    auto encoded = rle_encode_frame(native, d);
    ASSERT_TRUE(encoded);
    std::ofstream out(std::string(directory) + "/dcmkit-" + seed.name + ".rle", std::ios::binary);
    out.write(reinterpret_cast<const char*>(seed.prefix), 8);  // NOLINT: bytes to a file
    out.write(reinterpret_cast<const char*>(encoded->data()),  // NOLINT: bytes to a file
              static_cast<std::streamsize>(encoded->size()));
  }
}

}  // namespace
}  // namespace dcmkit::dcmdata

// SPDX-License-Identifier: BSD-3-Clause
// The JPEG, JPEG-LS and JPEG 2000 codecs through dcmdata's codec interface: lossless round trips
// are bit-exact for 8/12/16 bits and 1/3 samples, lossy ones stay close, and corrupt streams give
// errors (never a crash). Comparisons with DCMTK live in tests/interop/compare_codecs.py.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "dcmkit/dcmdata/codec.h"
#include "dcmkit/dcmimage/codecs/jpeg.h"
#include "dcmkit/dcmimage/codecs/jpeg2000.h"
#include "dcmkit/dcmimage/codecs/jpeg_ls.h"
#include "jpeg12_subsampled_data.h"

namespace dcmkit::dcmimage {
namespace {

using dcmdata::Frame;
using dcmdata::PixelDescription;
using dcmdata::TransferSyntax;

constexpr std::string_view kJpegLossless = "1.2.840.10008.1.2.4.57";
constexpr std::string_view kJpegSV1 = "1.2.840.10008.1.2.4.70";
constexpr std::string_view kJpegBaseline = "1.2.840.10008.1.2.4.50";
constexpr std::string_view kJpegExtended = "1.2.840.10008.1.2.4.51";
constexpr std::string_view kJpegSpectral = "1.2.840.10008.1.2.4.53";
constexpr std::string_view kJpegProgressive = "1.2.840.10008.1.2.4.55";
constexpr std::string_view kJpegLs = "1.2.840.10008.1.2.4.80";
constexpr std::string_view kJpegLsNear = "1.2.840.10008.1.2.4.81";
constexpr std::string_view kJ2kLossless = "1.2.840.10008.1.2.4.90";
constexpr std::string_view kHtLossless = "1.2.840.10008.1.2.4.201";
constexpr std::string_view kHtLosslessRpcl = "1.2.840.10008.1.2.4.202";
constexpr std::string_view kHtLossy = "1.2.840.10008.1.2.4.203";

PixelDescription description(std::uint32_t rows, std::uint32_t columns, std::uint32_t samples,
                             std::uint32_t bits_allocated, std::uint32_t bits_stored,
                             std::uint32_t planar = 0, bool is_signed = false) {
  PixelDescription d;
  d.rows = rows;
  d.columns = columns;
  d.samples_per_pixel = samples;
  d.bits_allocated = bits_allocated;
  d.bits_stored = bits_stored;
  d.high_bit = bits_stored - 1;
  d.planar_configuration = planar;
  d.is_signed = is_signed;
  d.photometric_interpretation = samples == 3 ? "RGB" : "MONOCHROME2";
  return d;
}

// A smooth gradient with noise, every sample within bits_stored (signed values sign-extended).
std::vector<std::byte> pixels(const PixelDescription& d, unsigned seed = 1) {
  const std::size_t bytes = d.bits_allocated / 8;
  const std::size_t count = std::size_t{d.rows} * d.columns * d.samples_per_pixel;
  std::vector<std::byte> out(count * bytes);
  const std::uint32_t max = (1u << d.bits_stored) - 1;
  std::uint32_t state = seed;
  for (std::size_t i = 0; i < count; ++i) {
    state = state * 1103515245u + 12345u;
    const std::size_t x = (i / d.samples_per_pixel) % d.columns;
    const std::size_t y = (i / d.samples_per_pixel) / d.columns;
    std::uint32_t v =
        static_cast<std::uint32_t>((x * 7 + y * 3) * (max / 64 + 1) / 4) + ((state >> 16) % 16);
    v &= max;
    if (d.is_signed && (v >> (d.bits_stored - 1)) != 0) {
      v |= ~max;  // sign-extend into the unused high bits, as stored
    }
    for (std::size_t b = 0; b < bytes; ++b)
      out[i * bytes + b] = static_cast<std::byte>(v >> (8 * b));
  }
  return out;
}

Frame frame_of(std::vector<std::byte> bytes) {
  Frame frame;
  frame.pieces.push_back(dcmdata::SharedBytes::from_vector(std::move(bytes)));
  frame.encapsulated = true;
  return frame;
}

std::uint32_t sample(const std::vector<std::byte>& p, const PixelDescription& d, std::size_t i) {
  const std::size_t bytes = d.bits_allocated / 8;
  std::uint32_t v = 0;
  for (std::size_t b = 0; b < bytes; ++b)
    v |= std::to_integer<std::uint32_t>(p[i * bytes + b]) << (8 * b);
  return d.bits_stored >= 32 ? v : v & ((1u << d.bits_stored) - 1);
}

class CodecsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    register_jpeg_codecs({}, {}, registry_);
    register_jpeg_ls_codecs({}, {}, registry_);
    register_jpeg2000_codecs({}, {}, registry_);
  }

  // The codestream the codec of `uid` makes of `native`.
  std::vector<std::uint8_t> encode(std::string_view uid, const PixelDescription& d,
                                   const std::vector<std::byte>& native) {
    const TransferSyntax ts = *TransferSyntax::lookup(uid);
    auto encoded = registry_.encoder(uid)->encode_frame(ts, native, d, {});
    EXPECT_TRUE(encoded.has_value()) << encoded.error().to_string();
    if (!encoded) return {};
    std::vector<std::uint8_t> bytes;
    for (const std::byte b : *encoded) bytes.push_back(std::to_integer<std::uint8_t>(b));
    return bytes;
  }

  // Encodes and decodes one frame; returns the decoded pixels and their description.
  std::vector<std::byte> round_trip(std::string_view uid, const PixelDescription& d,
                                    const std::vector<std::byte>& native,
                                    PixelDescription* decoded_description = nullptr) {
    const TransferSyntax ts = *TransferSyntax::lookup(uid);
    const auto encoder = registry_.encoder(uid);
    EXPECT_NE(encoder, nullptr);
    if (encoder == nullptr) return {};
    auto encoded_description = encoder->encoded_description(ts, d, {});
    EXPECT_TRUE(encoded_description.has_value()) << encoded_description.error().to_string();
    if (!encoded_description) return {};
    auto encoded = encoder->encode_frame(ts, native, d, {});
    EXPECT_TRUE(encoded.has_value()) << encoded.error().to_string();
    if (!encoded) return {};
    const auto decoder = registry_.decoder(uid);
    auto target = decoder->decoded_description(ts, *encoded_description, {});
    EXPECT_TRUE(target.has_value());
    if (decoded_description != nullptr && target) *decoded_description = *target;
    std::vector<std::byte> out;
    auto status = decoder->decode_frame(ts, frame_of(std::move(*encoded)), *encoded_description, {},
                                        out, nullptr);
    EXPECT_TRUE(status.has_value()) << status.error().to_string();
    return out;
  }

  void expect_lossless(std::string_view uid, const PixelDescription& d) {
    const std::vector<std::byte> native = pixels(d);
    PixelDescription got;
    const std::vector<std::byte> decoded = round_trip(uid, d, native, &got);
    ASSERT_EQ(decoded.size(), native.size());
    const std::size_t n = native.size() / (d.bits_allocated / 8);
    const std::size_t pixels_per_plane = std::size_t{d.rows} * d.columns;
    for (std::size_t i = 0; i < n; ++i) {
      // The decoder may store colour by pixel where the input was by plane.
      std::size_t j = i;
      if (d.samples_per_pixel == 3 && d.planar_configuration != got.planar_configuration) {
        j = d.planar_configuration == 1 ? (i % 3) * pixels_per_plane + i / 3 : i;
      }
      ASSERT_EQ(sample(decoded, d, i), sample(native, d, j))
          << uid << " sample " << i << " of " << d.bits_stored << "-bit, " << d.samples_per_pixel
          << " samples";
    }
  }

  dcmdata::CodecRegistry registry_;
};

TEST_F(CodecsTest, JpegLosslessRoundTripsAreBitExact) {
  for (const std::string_view uid : {kJpegLossless, kJpegSV1}) {
    expect_lossless(uid, description(33, 47, 1, 8, 8));
    expect_lossless(uid, description(33, 47, 1, 16, 12));
    expect_lossless(uid, description(33, 47, 1, 16, 16));
    expect_lossless(uid, description(21, 17, 3, 8, 8));
    expect_lossless(uid, description(21, 17, 3, 16, 16));
    expect_lossless(uid, description(21, 17, 3, 8, 8, 1));
    expect_lossless(uid, description(16, 16, 1, 16, 16, 0, true));
  }
}

TEST_F(CodecsTest, JpegLsLosslessRoundTripsAreBitExact) {
  expect_lossless(kJpegLs, description(33, 47, 1, 8, 8));
  expect_lossless(kJpegLs, description(33, 47, 1, 16, 12));
  expect_lossless(kJpegLs, description(33, 47, 1, 16, 16));
  expect_lossless(kJpegLs, description(21, 17, 3, 8, 8));
  expect_lossless(kJpegLs, description(21, 17, 3, 16, 16));
  expect_lossless(kJpegLs, description(21, 17, 3, 8, 8, 1));
  expect_lossless(kJpegLs, description(16, 16, 1, 16, 16, 0, true));
  expect_lossless(kJpegLs, description(16, 16, 1, 16, 13, 0, true));
}

TEST_F(CodecsTest, Jpeg2000AndHtj2kLosslessRoundTripsAreBitExact) {
  // HTJ2K is encoded by OpenJPH and decoded by OpenJPEG, so this also checks that the two agree.
  for (const std::string_view uid : {kJ2kLossless, kHtLossless, kHtLosslessRpcl}) {
    expect_lossless(uid, description(33, 47, 1, 8, 8));
    expect_lossless(uid, description(33, 47, 1, 16, 12));
    expect_lossless(uid, description(33, 47, 1, 16, 16));
    expect_lossless(uid, description(21, 17, 3, 8, 8));
    expect_lossless(uid, description(21, 17, 3, 16, 12));
    expect_lossless(uid, description(21, 17, 3, 16, 16));
    expect_lossless(uid, description(21, 17, 3, 8, 8, 1));
    expect_lossless(uid, description(16, 16, 1, 16, 16, 0, true));
    expect_lossless(uid, description(16, 16, 1, 16, 12, 0, true));
    expect_lossless(uid, description(130, 70, 1, 16, 12));  // several code-blocks
  }
}

TEST_F(CodecsTest, LosslessEncodersKeepBitsAboveBitsStored) {
  // An embedded overlay in bit 15 of 12-bit samples (retired, but in real files).
  const PixelDescription d = description(24, 20, 1, 16, 12);
  std::vector<std::byte> native = pixels(d);
  for (std::size_t i = 1; i < native.size(); i += 14) native[i] |= std::byte{0x80};
  for (const std::string_view uid :
       {kJ2kLossless, kHtLossless, kHtLosslessRpcl, kJpegLs, kJpegSV1, kJpegLossless}) {
    EXPECT_EQ(round_trip(uid, d, native), native) << uid;
  }
}

TEST_F(CodecsTest, Htj2kRpclHasItsProgressionOrderAndTileLengthMarkers) {
  const PixelDescription d = description(40, 50, 1, 16, 12);
  const std::vector<std::byte> native = pixels(d);
  const auto find_marker = [](const std::vector<std::uint8_t>& s, std::uint8_t marker) {
    // Marker segments of the main header, up to the first SOT.
    for (std::size_t at = 2; at + 4 <= s.size();) {
      if (s[at] != 0xFF) return std::size_t{0};
      if (s[at + 1] == marker) return at;
      if (s[at + 1] == 0x90) return std::size_t{0};
      at += 2 + ((std::size_t{s[at + 2]} << 8) | s[at + 3]);
    }
    return std::size_t{0};
  };
  const std::vector<std::uint8_t> rpcl = encode(kHtLosslessRpcl, d, native);
  ASSERT_GT(rpcl.size(), 20U);
  const std::size_t cod = find_marker(rpcl, 0x52);
  ASSERT_NE(cod, 0U);
  EXPECT_EQ(rpcl[cod + 5], 2) << "RPCL progression order";
  const std::size_t tlm = find_marker(rpcl, 0x55);
  ASSERT_NE(tlm, 0U) << "a TLM marker segment";
  // One tile-part whose length is the rest of the stream but the EOC marker.
  const std::size_t sot = tlm + 2 + ((std::size_t{rpcl[tlm + 2]} << 8) | rpcl[tlm + 3]);
  ASSERT_EQ(rpcl[sot + 1], 0x90);
  const std::uint32_t length = (std::uint32_t{rpcl[tlm + 7]} << 24) |
                               (std::uint32_t{rpcl[tlm + 8]} << 16) |
                               (std::uint32_t{rpcl[tlm + 9]} << 8) | rpcl[tlm + 10];
  EXPECT_EQ(length, rpcl.size() - 2 - sot);
  EXPECT_EQ(rpcl[rpcl.size() - 2], 0xFF);
  EXPECT_EQ(rpcl[rpcl.size() - 1], 0xD9);
  // The capability segment of Part 15 (CAP) marks it as HTJ2K.
  EXPECT_NE(find_marker(rpcl, 0x50), 0U);
  const std::vector<std::uint8_t> plain = encode(kHtLossless, d, native);
  EXPECT_EQ(find_marker(plain, 0x55), 0U);
}

TEST_F(CodecsTest, Htj2kLossyMeetsTheCompressionRatioAndStaysClose) {
  // OpenJPH has no rate control: the codec searches the quantization step. The stream must meet
  // the ratio, and the error stay near what OpenJPEG's rate-controlled JPEG 2000 reaches.
  constexpr std::string_view kJ2kLossy = "1.2.840.10008.1.2.4.91";
  const PixelDescription d = description(96, 80, 1, 8, 8);
  const std::vector<std::byte> native = pixels(d);
  const auto mse = [&](std::string_view uid) {
    const std::vector<std::byte> decoded = round_trip(uid, d, native);
    EXPECT_EQ(decoded.size(), native.size());
    double error = 0;
    for (std::size_t i = 0; i < native.size() && i < decoded.size(); ++i) {
      const double e = std::to_integer<int>(native[i]) - std::to_integer<int>(decoded[i]);
      error += e * e;
    }
    return error / static_cast<double>(native.size());
  };
  for (const double ratio : {3.0, 6.0, 10.0}) {
    Jpeg2000EncodeParams params;
    params.compression_ratio = ratio;
    register_jpeg2000_codecs({}, params, registry_);
    const std::vector<std::uint8_t> stream = encode(kHtLossy, d, native);
    ASSERT_FALSE(stream.empty());
    EXPECT_LE(static_cast<double>(stream.size()), static_cast<double>(native.size()) / ratio);
    // Not far below the target either (the search found the best quality that fits).
    EXPECT_GE(static_cast<double>(stream.size()), static_cast<double>(native.size()) / ratio / 2);
    const double ht = mse(kHtLossy);
    const double j2k = mse(kJ2kLossy);
    EXPECT_LT(ht, j2k * 2 + 1) << "ratio " << ratio << ": HTJ2K " << ht << ", JPEG 2000 " << j2k;
  }
}

TEST_F(CodecsTest, JpegLsInterleaveModesAllRoundTrip) {
  for (const JpegLsInterleave mode : {JpegLsInterleave::Line, JpegLsInterleave::Sample,
                                      JpegLsInterleave::None, JpegLsInterleave::Default}) {
    JpegLsEncodeParams params;
    params.interleave = mode;
    register_jpeg_ls_codecs({}, params, registry_);
    expect_lossless(kJpegLs, description(19, 23, 3, 8, 8));
    expect_lossless(kJpegLs, description(19, 23, 3, 8, 8, 1));
  }
}

TEST_F(CodecsTest, JpegLsNearLosslessStaysWithinTheMaximumDeviation) {
  for (const int near : {1, 2, 5}) {
    JpegLsEncodeParams params;
    params.max_deviation = near;
    register_jpeg_ls_codecs({}, params, registry_);
    const PixelDescription d = description(40, 40, 1, 16, 12);
    const std::vector<std::byte> native = pixels(d);
    const std::vector<std::byte> decoded = round_trip(kJpegLsNear, d, native);
    ASSERT_EQ(decoded.size(), native.size());
    for (std::size_t i = 0; i < native.size() / 2; ++i) {
      const int a = static_cast<int>(sample(native, d, i));
      const int b = static_cast<int>(sample(decoded, d, i));
      ASSERT_LE(std::abs(a - b), near) << "sample " << i;
    }
  }
}

TEST_F(CodecsTest, JpegLsRefusesNearLosslessSignedPixels) {
  const TransferSyntax ts = *TransferSyntax::lookup(kJpegLsNear);
  const auto codec = registry_.encoder(kJpegLsNear);
  auto result = codec->encoded_description(ts, description(8, 8, 1, 16, 16, 0, true), {});
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code(), ofstd::ErrorCode::Unsupported);
}

TEST_F(CodecsTest, LossyJpegStaysClose) {
  for (const std::string_view uid : {kJpegBaseline, kJpegExtended}) {
    const PixelDescription d = description(64, 64, 1, 8, 8);
    const std::vector<std::byte> native = pixels(d);
    const std::vector<std::byte> decoded = round_trip(uid, d, native);
    ASSERT_EQ(decoded.size(), native.size());
    double error = 0;
    for (std::size_t i = 0; i < native.size(); ++i) {
      const double e = std::to_integer<int>(native[i]) - std::to_integer<int>(decoded[i]);
      error += e * e;
    }
    EXPECT_LT(error / static_cast<double>(native.size()), 30.0) << uid;
  }
}

TEST_F(CodecsTest, TwelveBitProgressiveCodingKeepsTheExtendedCoefficients) {
  // Spectral selection and full progression (with successive approximation) code the same
  // quantized coefficients as the extended sequential process: decoded, all three are the same
  // pixels. Colour input is coded as YCbCr (DCMTK's scan order for three components).
  for (const std::uint32_t samples : {1u, 3u}) {
    const PixelDescription d = description(45, 70, samples, 16, 12);
    const std::vector<std::byte> native = pixels(d, 7);
    const std::vector<std::byte> sequential = round_trip(kJpegExtended, d, native);
    ASSERT_EQ(sequential.size(), native.size());
    for (const std::string_view uid : {kJpegSpectral, kJpegProgressive}) {
      const std::vector<std::uint8_t> stream = encode(uid, d, native);
      ASSERT_GT(stream.size(), 4u);
      std::size_t scans = 0;
      bool sof2 = false;
      for (std::size_t i = 0; i + 1 < stream.size(); ++i) {
        if (stream[i] != 0xFF) continue;
        if (stream[i + 1] == 0xC2) sof2 = true;
        if (stream[i + 1] == 0xDA) ++scans;
      }
      EXPECT_TRUE(sof2) << uid;
      EXPECT_EQ(scans, uid == kJpegSpectral ? (samples == 1 ? 3u : 7u) : (samples == 1 ? 6u : 10u))
          << uid;
      EXPECT_EQ(round_trip(uid, d, native), sequential) << uid << ", " << samples << " samples";
    }
  }
}

TEST_F(CodecsTest, TwelveBitSubsampledColourDecodesToDcmtksPixels) {
  // DCMTK's dcmcjpeg codes 12-bit colour with subsampled chroma (4:2:2 by default, 4:2:0 with
  // +np); the chroma is upsampled with IJG's triangle filter, so every pixel equals DCMTK's.
  struct Case {
    const char* name;
    std::span<const std::uint8_t> stream;
    std::span<const std::uint16_t> expected;
  };
  const Case cases[] = {{"4:2:2", testdata::kS422Stream, testdata::kS422Pixels},
                        {"4:2:0", testdata::kS420Stream, testdata::kS420Pixels}};
  const TransferSyntax ts = *TransferSyntax::lookup(kJpegExtended);
  PixelDescription d = description(6, 19, 3, 16, 12);
  d.photometric_interpretation = "YBR_FULL_422";
  const auto decoder = registry_.decoder(kJpegExtended);
  ASSERT_NE(decoder, nullptr);
  auto target = decoder->decoded_description(ts, d, {});
  ASSERT_TRUE(target.has_value());
  EXPECT_EQ(target->photometric_interpretation, "RGB");
  EXPECT_EQ(target->planar_configuration, 0u);
  for (const Case& c : cases) {
    std::vector<std::byte> bytes;
    for (const std::uint8_t b : c.stream) bytes.push_back(static_cast<std::byte>(b));
    std::vector<std::byte> out;
    auto status = decoder->decode_frame(ts, frame_of(std::move(bytes)), d, {}, out, nullptr);
    ASSERT_TRUE(status.has_value()) << c.name << ": " << status.error().to_string();
    ASSERT_EQ(out.size(), c.expected.size() * 2) << c.name;
    for (std::size_t i = 0; i < c.expected.size(); ++i) {
      ASSERT_EQ(sample(out, *target, i), c.expected[i]) << c.name << " sample " << i;
    }
    // Truncated and damaged copies give errors or pixels, never a crash.
    for (std::size_t cut = 0; cut < c.stream.size(); cut += 11) {
      std::vector<std::byte> damaged;
      for (std::size_t i = 0; i < cut; ++i) damaged.push_back(static_cast<std::byte>(c.stream[i]));
      std::vector<std::byte> ignored;
      (void)decoder->decode_frame(ts, frame_of(std::move(damaged)), d, {}, ignored, nullptr);
    }
    for (std::size_t at = 0; at < c.stream.size(); at += 3) {
      std::vector<std::byte> damaged;
      for (const std::uint8_t b : c.stream) damaged.push_back(static_cast<std::byte>(b));
      damaged[at] ^= std::byte{0x5A};
      std::vector<std::byte> decoded;
      if (decoder->decode_frame(ts, frame_of(std::move(damaged)), d, {}, decoded, nullptr)) {
        EXPECT_EQ(decoded.size(), c.expected.size() * 2) << c.name;
      }
    }
  }
}

// The sampling factors (H << 4 | V) and identifiers of a stream's frame components (SOFn).
struct SofComponents {
  std::vector<std::uint8_t> sampling;
  std::vector<std::uint8_t> ids;
};

SofComponents sof_components(const std::vector<std::uint8_t>& stream) {
  SofComponents result;
  for (std::size_t i = 2; i + 9 < stream.size(); ++i) {
    if (stream[i] != 0xFF || stream[i + 1] < 0xC0 || stream[i + 1] > 0xC3) continue;
    const std::size_t n = stream[i + 9];
    for (std::size_t c = 0; c < n && i + 12 + 3 * c < stream.size(); ++c) {
      result.ids.push_back(stream[i + 10 + 3 * c]);
      result.sampling.push_back(stream[i + 11 + 3 * c]);
    }
    break;
  }
  return result;
}

TEST_F(CodecsTest, TwelveBitColourEncodesToDcmtksPixels) {
  // The 19x6 image behind DCMTK's streams in jpeg12_subsampled_data.h: dcmkit's encoder converts
  // and downsamples it as DCMTK's (IJG's fixed point and jcsample), so decoded it gives DCMTK's
  // pixels exactly, for the sequential and both progressive processes.
  PixelDescription d = description(6, 19, 3, 16, 12);
  std::vector<std::byte> native(std::size_t{19} * 6 * 3 * 2);
  for (std::size_t y = 0; y < 6; ++y) {
    for (std::size_t x = 0; x < 19; ++x) {
      for (std::size_t c = 0; c < 3; ++c) {
        const std::size_t v = (x * 97 + y * 53 * (c + 1) + c * 1000 + ((x * y) % 17) * 40) % 4096;
        const std::size_t at = ((y * 19 + x) * 3 + c) * 2;
        native[at] = static_cast<std::byte>(v & 0xFF);
        native[at + 1] = static_cast<std::byte>(v >> 8);
      }
    }
  }
  struct Case {
    JpegSubsampling subsampling;
    std::span<const std::uint16_t> expected;
  };
  for (const Case& c : {Case{JpegSubsampling::Ybr422, testdata::kS422Pixels},
                        Case{JpegSubsampling::Ybr411, testdata::kS420Pixels}}) {
    dcmdata::CodecRegistry registry;
    JpegEncodeParams params;
    params.subsampling = c.subsampling;
    register_jpeg_codecs({}, params, registry);
    for (const std::string_view uid : {kJpegExtended, kJpegSpectral, kJpegProgressive}) {
      const TransferSyntax ts = *TransferSyntax::lookup(uid);
      auto encoded = registry.encoder(uid)->encode_frame(ts, native, d, {});
      ASSERT_TRUE(encoded.has_value()) << encoded.error().to_string();
      auto described = registry.encoder(uid)->encoded_description(ts, d, {});
      ASSERT_TRUE(described.has_value());
      EXPECT_EQ(described->photometric_interpretation, "YBR_FULL_422");
      std::vector<std::byte> out;
      auto status =
          registry.decoder(uid)->decode_frame(ts, frame_of(*encoded), *described, {}, out, nullptr);
      ASSERT_TRUE(status.has_value()) << status.error().to_string();
      ASSERT_EQ(out.size(), c.expected.size() * 2) << uid;
      PixelDescription rgb = d;
      for (std::size_t i = 0; i < c.expected.size(); ++i) {
        ASSERT_EQ(sample(out, rgb, i), c.expected[i]) << uid << " sample " << i;
      }
    }
  }
}

TEST_F(CodecsTest, LossyColourIsSampledAndLabelledAsDcmtkDoes) {
  // DCMTK 3.6.7's SOF and Photometric Interpretation per dcmcjpeg option, at 8 and 12 bits:
  // +s2 Y 2x1 YBR_FULL_422, +s4 1x1 YBR_FULL, +n2 2x1 YBR_FULL, +n1 2x2 YBR_FULL, +np 2x2
  // YBR_FULL_422 (IJG's "4:1:1" is 2x2); +cr codes R, G, B at full resolution.
  struct Case {
    JpegSubsampling subsampling;
    JpegColorSpace color;
    std::uint8_t luma;
    const char* label;
  };
  const Case cases[] = {
      {JpegSubsampling::Ybr422, JpegColorSpace::Ybr, 0x21, "YBR_FULL_422"},
      {JpegSubsampling::Full444, JpegColorSpace::Ybr, 0x11, "YBR_FULL"},
      {JpegSubsampling::Full422, JpegColorSpace::Ybr, 0x21, "YBR_FULL"},
      {JpegSubsampling::Full411, JpegColorSpace::Ybr, 0x22, "YBR_FULL"},
      {JpegSubsampling::Ybr411, JpegColorSpace::Ybr, 0x22, "YBR_FULL_422"},
      {JpegSubsampling::Ybr422, JpegColorSpace::Rgb, 0x11, "RGB"},
  };
  for (const Case& c : cases) {
    dcmdata::CodecRegistry registry;
    JpegEncodeParams params;
    params.subsampling = c.subsampling;
    params.color = c.color;
    register_jpeg_codecs({}, params, registry);
    for (const std::string_view uid :
         {kJpegBaseline, kJpegExtended, kJpegSpectral, kJpegProgressive}) {
      const std::uint32_t bits = uid == kJpegBaseline ? 8 : 12;
      const PixelDescription d = description(21, 35, 3, bits == 8 ? 8 : 16, bits);
      const TransferSyntax ts = *TransferSyntax::lookup(uid);
      const std::vector<std::byte> native = pixels(d, 3);
      auto described = registry.encoder(uid)->encoded_description(ts, d, {});
      ASSERT_TRUE(described.has_value());
      EXPECT_EQ(described->photometric_interpretation, c.label) << uid;
      auto encoded = registry.encoder(uid)->encode_frame(ts, native, d, {});
      ASSERT_TRUE(encoded.has_value()) << encoded.error().to_string();
      std::vector<std::uint8_t> stream;
      for (const std::byte b : *encoded) stream.push_back(std::to_integer<std::uint8_t>(b));
      const SofComponents sof = sof_components(stream);
      const std::vector<std::uint8_t> sampling = {c.luma, 0x11, 0x11};
      EXPECT_EQ(sof.sampling, sampling) << uid << " " << c.label;
      const std::vector<std::uint8_t> ids = c.color == JpegColorSpace::Rgb
                                                ? std::vector<std::uint8_t>{'R', 'G', 'B'}
                                                : std::vector<std::uint8_t>{1, 2, 3};
      EXPECT_EQ(sof.ids, ids) << uid << " " << c.label;
    }
  }
}

TEST_F(CodecsTest, EightBitExtendedStreamsAreMarkedSof1AsDcmtks) {
  // DCMTK's dcmcjpeg +ee writes SOF1 at 8 bits too (libjpeg-turbo would write SOF0 where the
  // tables allow baseline); +eb SOF0, +es/+ep SOF2.
  struct Case {
    std::string_view uid;
    std::uint8_t marker;
  };
  for (const Case& c : {Case{kJpegBaseline, 0xC0}, Case{kJpegExtended, 0xC1},
                        Case{kJpegSpectral, 0xC2}, Case{kJpegProgressive, 0xC2}}) {
    for (const std::uint32_t samples : {1u, 3u}) {
      const PixelDescription d = description(9, 14, samples, 8, 8);
      const std::vector<std::uint8_t> stream = encode(c.uid, d, pixels(d));
      std::uint8_t sof = 0;
      for (std::size_t i = 2; i + 4 <= stream.size() && stream[i] == 0xFF;) {
        if (stream[i + 1] >= 0xC0 && stream[i + 1] <= 0xC3) {
          sof = stream[i + 1];
          break;
        }
        i += 2 + (std::size_t{stream[i + 2]} << 8 | stream[i + 3]);
      }
      EXPECT_EQ(sof, c.marker) << c.uid << " " << samples << " samples";
      // And it decodes.
      const TransferSyntax ts = *TransferSyntax::lookup(c.uid);
      std::vector<std::byte> coded;
      for (const std::uint8_t b : stream) coded.push_back(std::byte{b});
      std::vector<std::byte> out;
      EXPECT_TRUE(registry_.decoder(c.uid)
                      ->decode_frame(ts, frame_of(std::move(coded)), d, {}, out, nullptr)
                      .has_value());
    }
  }
}

TEST_F(CodecsTest, TwelveBitSubsampledColourRoundTripsCloseAtAnySize) {
  // Odd sizes exercise the edge replication and the dummy blocks that complete the last MCUs.
  for (const JpegSubsampling subsampling :
       {JpegSubsampling::Ybr422, JpegSubsampling::Full444, JpegSubsampling::Ybr411}) {
    dcmdata::CodecRegistry registry;
    JpegEncodeParams params;
    params.subsampling = subsampling;
    register_jpeg_codecs({}, params, registry);
    for (const auto& [rows, columns] : {std::pair{1u, 1u}, std::pair{1u, 33u}, std::pair{33u, 1u},
                                        std::pair{17u, 31u}, std::pair{40u, 48u}}) {
      const PixelDescription d = description(rows, columns, 3, 16, 12);
      const std::vector<std::byte> native = pixels(d, 11);
      for (const std::string_view uid : {kJpegExtended, kJpegProgressive}) {
        const TransferSyntax ts = *TransferSyntax::lookup(uid);
        auto described = registry.encoder(uid)->encoded_description(ts, d, {});
        auto encoded = registry.encoder(uid)->encode_frame(ts, native, d, {});
        ASSERT_TRUE(described.has_value() && encoded.has_value());
        std::vector<std::byte> out;
        auto status = registry.decoder(uid)->decode_frame(ts, frame_of(*encoded), *described, {},
                                                          out, nullptr);
        ASSERT_TRUE(status.has_value()) << status.error().to_string();
        ASSERT_EQ(out.size(), native.size());
        double error = 0;
        const std::size_t n = native.size() / 2;
        for (std::size_t i = 0; i < n; ++i) {
          const double e = double(sample(out, d, i)) - double(sample(native, d, i));
          error += e * e;
        }
        // Quality 90 with subsampled chroma keeps the RMS error within 0.2 % of the 12-bit
        // range on this gradient with noise (4.8 at most, with any of the three samplings).
        EXPECT_LT(std::sqrt(error / double(n)), 8.0)
            << uid << " " << rows << "x" << columns << " subsampling "
            << static_cast<int>(subsampling);
      }
    }
  }
}

TEST_F(CodecsTest, CorruptStreamsGiveErrorsNotCrashes) {
  for (const std::string_view uid : {kJpegLossless, kJpegBaseline, kJpegExtended, kJpegLs}) {
    const TransferSyntax ts = *TransferSyntax::lookup(uid);
    const PixelDescription d =
        description(32, 32, 1, uid == kJpegBaseline ? 8 : 16, uid == kJpegBaseline ? 8 : 12);
    const auto codec = registry_.encoder(uid);
    auto encoded = codec->encode_frame(ts, pixels(d), d, {});
    ASSERT_TRUE(encoded.has_value()) << uid;
    auto described = codec->encoded_description(ts, d, {});
    ASSERT_TRUE(described.has_value());
    // Truncations and flipped bytes everywhere in the stream.
    for (std::size_t cut = 0; cut < encoded->size(); cut += 7) {
      std::vector<std::byte> truncated(encoded->begin(), encoded->begin() + static_cast<long>(cut));
      std::vector<std::byte> out;
      dcmdata::DecodeOptions strict;
      strict.strictness = dcmdata::Strictness::Strict;
      auto status =
          codec->decode_frame(ts, frame_of(std::move(truncated)), *described, strict, out, nullptr);
      if (!status) {
        EXPECT_TRUE(out.empty()) << uid << " cut at " << cut;
      }
    }
    for (std::size_t at = 0; at < encoded->size(); at += 5) {
      std::vector<std::byte> flipped = *encoded;
      flipped[at] ^= std::byte{0x5A};
      std::vector<std::byte> out;
      auto status =
          codec->decode_frame(ts, frame_of(std::move(flipped)), *described, {}, out, nullptr);
      if (status) {
        EXPECT_EQ(out.size(), std::size_t{32} * 32 * (d.bits_allocated / 8)) << uid;
      }
    }
  }
}

TEST_F(CodecsTest, DecodersCheckTheStreamAgainstTheDescription) {
  const TransferSyntax ts = *TransferSyntax::lookup(kJpegLs);
  const PixelDescription d = description(16, 16, 1, 8, 8);
  const auto codec = registry_.encoder(kJpegLs);
  auto encoded = codec->encode_frame(ts, pixels(d), d, {});
  ASSERT_TRUE(encoded.has_value());
  PixelDescription other = d;
  other.rows = 32;  // the stream says 16
  std::vector<std::byte> out;
  auto status = codec->decode_frame(ts, frame_of(*encoded), other, {}, out, nullptr);
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code(), ofstd::ErrorCode::MalformedData);
  EXPECT_TRUE(out.empty());
}

// --- dcmdjpeg's colour options: +cg and +cgl guess from the stream as DCMTK's IJG does ------

// `stream` (one scan) without its APP0 and APP14 segments, with the segments `app` inserted
// after SOI and the component IDs of its frame and scan headers replaced by `ids`.
std::vector<std::byte> restyled(const std::vector<std::byte>& stream,
                                const std::vector<std::uint8_t>& app,
                                const std::vector<std::uint8_t>& ids) {
  const auto at = [&](std::size_t i) { return std::to_integer<std::uint8_t>(stream[i]); };
  std::vector<std::byte> out(stream.begin(), stream.begin() + 2);
  for (const std::uint8_t b : app) out.push_back(std::byte{b});
  std::vector<std::uint8_t> old_ids;
  std::size_t i = 2;
  while (i + 4 <= stream.size()) {
    const std::uint8_t marker = at(i + 1);
    const std::size_t length = std::size_t{at(i + 2)} << 8 | at(i + 3);
    std::vector<std::byte> segment(stream.begin() + static_cast<long>(i),
                                   stream.begin() + static_cast<long>(i + 2 + length));
    if (marker >= 0xC0 && marker <= 0xC3) {
      for (std::size_t c = 0; c < at(i + 9); ++c) {
        old_ids.push_back(at(i + 10 + 3 * c));
        segment[10 + 3 * c] = std::byte{ids[c]};
      }
    } else if (marker == 0xDA) {
      for (std::size_t c = 0; c < at(i + 4); ++c) {
        const std::uint8_t id = at(i + 5 + 2 * c);
        for (std::size_t k = 0; k < old_ids.size(); ++k) {
          if (old_ids[k] == id) segment[5 + 2 * c] = std::byte{ids[k]};
        }
      }
      out.insert(out.end(), segment.begin(), segment.end());
      out.insert(out.end(), stream.begin() + static_cast<long>(i + 2 + length), stream.end());
      return out;
    }
    if (marker != 0xE0 && marker != 0xEE) out.insert(out.end(), segment.begin(), segment.end());
    i += 2 + length;
  }
  ADD_FAILURE() << "no scan in the stream";
  return out;
}

const std::vector<std::uint8_t> kJfif = {0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0,
                                         1,    1,    0, 0,  1,   0,   1,   0,   0};
// A JFIF identifier without the rest of the header, which IJG does not take for JFIF.
const std::vector<std::uint8_t> kShortJfif = {0xFF, 0xE0, 0, 7, 'J', 'F', 'I', 'F', 0};
std::vector<std::uint8_t> adobe(std::uint8_t transform) {
  return {0xFF, 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, transform};
}

// A registry whose JPEG decoders follow dcmdjpeg's colour option `color`.
std::shared_ptr<const dcmdata::PixelCodec> jpeg_decoder(ColorConversion color, std::string_view uid,
                                                        dcmdata::CodecRegistry& registry) {
  JpegDecodeParams params;
  params.color = color;
  register_jpeg_codecs(params, {}, registry);
  return registry.decoder(uid);
}

TEST_F(CodecsTest, GuessedColourFollowsTheStreamsMarkersAsDcmtksIjg) {
  // DCMTK 3.6.7's dcmdjpeg +cg converts exactly where its IJG 6b (with the lossless extension)
  // takes the stream for YCbCr: a JFIF marker; else an Adobe marker's transform (0 RGB, other
  // YCbCr); else the IDs 1,2,3 (YCbCr) or 'R','G','B' (RGB); else YCbCr for DCT streams and RGB
  // for lossless ones. Checked against DCMTK on streams patched the same way
  // (tests/interop/compare_dcmdjpeg_color.py).
  const std::vector<std::uint8_t> rgb_ids = {'R', 'G', 'B'};
  const std::vector<std::uint8_t> jfif_ids = {1, 2, 3};
  const std::vector<std::uint8_t> other_ids = {0, 1, 2};
  std::vector<std::uint8_t> jfif_and_adobe = kJfif;
  for (const std::uint8_t b : adobe(0)) jfif_and_adobe.push_back(b);
  struct Case {
    std::vector<std::uint8_t> app;
    std::vector<std::uint8_t> ids;
    bool lossy_ycc;     // what IJG guesses for a DCT stream
    bool lossless_ycc;  // and for a lossless one
  };
  const Case cases[] = {
      {kJfif, rgb_ids, true, true},
      {adobe(0), jfif_ids, false, false},
      {adobe(1), rgb_ids, true, true},
      {adobe(2), rgb_ids, true, true},
      {{}, jfif_ids, true, true},
      {{}, rgb_ids, false, false},
      {{}, other_ids, true, false},
      {kShortJfif, rgb_ids, false, false},
      {jfif_and_adobe, rgb_ids, true, true},
  };
  JpegEncodeParams rgb;
  rgb.color = JpegColorSpace::Rgb;
  register_jpeg_codecs({}, rgb, registry_);
  for (const std::string_view uid : {kJpegBaseline, kJpegExtended, kJpegSV1}) {
    const bool lossy = uid != kJpegSV1;
    for (const std::uint32_t bits : {8u, 12u}) {
      if (uid == kJpegBaseline && bits != 8) continue;
      if (uid == kJpegExtended && bits != 12) continue;
      const PixelDescription d = description(13, 19, 3, bits == 8 ? 8 : 16, bits);
      const TransferSyntax ts = *TransferSyntax::lookup(uid);
      auto encoded = registry_.encoder(uid)->encode_frame(ts, pixels(d, 5), d, {});
      ASSERT_TRUE(encoded.has_value()) << encoded.error().to_string();
      for (const Case& c : cases) {
        const std::vector<std::byte> stream = restyled(*encoded, c.app, c.ids);
        std::vector<std::byte> decoded[2];  // without and with conversion
        for (const bool convert : {false, true}) {
          dcmdata::CodecRegistry registry;
          const auto codec = jpeg_decoder(
              convert ? ColorConversion::Always : ColorConversion::Never, uid, registry);
          ASSERT_TRUE(codec->decode_frame(ts, frame_of(stream), d, {}, decoded[convert], nullptr)
                          .has_value());
        }
        ASSERT_NE(decoded[0], decoded[1]) << uid;
        const bool ycc = lossy ? c.lossy_ycc : c.lossless_ycc;
        for (const ColorConversion color : {ColorConversion::Guess, ColorConversion::GuessLossy}) {
          dcmdata::CodecRegistry registry;
          const auto codec = jpeg_decoder(color, uid, registry);
          std::vector<std::byte> out;
          ASSERT_TRUE(codec->decode_frame(ts, frame_of(stream), d, {}, out, nullptr).has_value());
          const bool guessing = color == ColorConversion::Guess || lossy;
          EXPECT_EQ(out, decoded[guessing && ycc ? 1 : 0])
              << uid << " " << bits << " bits, IDs " << int{c.ids[0]} << "," << int{c.ids[1]} << ","
              << int{c.ids[2]} << ", " << c.app.size() << " bytes of APPn, option "
              << static_cast<int>(color);
          // Labelled RGB whenever the library's output space is set, converted or not.
          PixelDescription ybr = d;
          ybr.photometric_interpretation = "YBR_FULL";
          auto target = codec->decoded_description(ts, ybr, {});
          ASSERT_TRUE(target.has_value());
          EXPECT_EQ(target->photometric_interpretation, guessing ? "RGB" : "YBR_FULL") << uid;
        }
      }
    }
  }
}

TEST_F(CodecsTest, LosslessColourHasDcmtksComponentIds) {
  // DCMTK's IJG codes lossless RGB in its "unknown" colour space (IDs 0, 1, 2), which its +cg
  // leaves alone; pseudo-lossless RGB as 'R', 'G', 'B'; YCbCr as 1, 2, 3, which +cg converts.
  struct Case {
    bool pseudo_lossless;
    const char* photometric;
    std::vector<std::uint8_t> ids;
  };
  const Case cases[] = {
      {false, "RGB", {0, 1, 2}},
      {true, "RGB", {'R', 'G', 'B'}},
      {false, "YBR_FULL", {1, 2, 3}},
      {true, "YBR_FULL", {1, 2, 3}},
  };
  for (const Case& c : cases) {
    dcmdata::CodecRegistry registry;
    JpegEncodeParams params;
    params.pseudo_lossless = c.pseudo_lossless;
    register_jpeg_codecs({}, params, registry);
    PixelDescription d = description(5, 7, 3, 8, 8);
    d.photometric_interpretation = c.photometric;
    const TransferSyntax ts = *TransferSyntax::lookup(kJpegSV1);
    auto encoded = registry.encoder(kJpegSV1)->encode_frame(ts, pixels(d), d, {});
    ASSERT_TRUE(encoded.has_value());
    std::vector<std::uint8_t> stream;
    for (const std::byte b : *encoded) stream.push_back(std::to_integer<std::uint8_t>(b));
    EXPECT_EQ(sof_components(stream).ids, c.ids) << c.photometric << " " << c.pseudo_lossless;
    // And the stream decodes losslessly (the scan header names the same IDs); +cn, since the
    // default +cp converts YBR_FULL to RGB.
    dcmdata::CodecRegistry plain;
    std::vector<std::byte> out;
    EXPECT_TRUE(jpeg_decoder(ColorConversion::Never, kJpegSV1, plain)
                    ->decode_frame(ts, frame_of(*encoded), d, {}, out, nullptr)
                    .has_value());
    EXPECT_EQ(out, pixels(d));
  }
}

TEST_F(CodecsTest, MonochromeIsLabelledMonochrome2WhereDcmtkSetsTheOutputSpace) {
  // DCMTK writes MONOCHROME2 for MONOCHROME1 images (samples not inverted) under +ca and +cg,
  // and +cl and +cgl for lossy processes; +cp and +cn keep MONOCHROME1.
  struct Case {
    ColorConversion color;
    std::string_view uid;
    const char* label;
  };
  const Case cases[] = {
      {ColorConversion::Always, kJpegSV1, "MONOCHROME2"},
      {ColorConversion::Guess, kJpegSV1, "MONOCHROME2"},
      {ColorConversion::Lossy, kJpegSV1, "MONOCHROME1"},
      {ColorConversion::GuessLossy, kJpegSV1, "MONOCHROME1"},
      {ColorConversion::Lossy, kJpegBaseline, "MONOCHROME2"},
      {ColorConversion::GuessLossy, kJpegExtended, "MONOCHROME2"},
      {ColorConversion::Photometric, kJpegBaseline, "MONOCHROME1"},
      {ColorConversion::Never, kJpegBaseline, "MONOCHROME1"},
  };
  for (const Case& c : cases) {
    dcmdata::CodecRegistry registry;
    const auto codec = jpeg_decoder(c.color, c.uid, registry);
    PixelDescription d = description(8, 8, 1, 8, 8);
    d.photometric_interpretation = "MONOCHROME1";
    auto target = codec->decoded_description(*TransferSyntax::lookup(c.uid), d, {});
    ASSERT_TRUE(target.has_value());
    EXPECT_EQ(target->photometric_interpretation, c.label)
        << c.uid << " option " << static_cast<int>(c.color);
  }
}

TEST_F(CodecsTest, GuessingColourFromHostileStreamsGivesErrors) {
  // +cg reads the markers up to the first scan: truncated or corrupt headers are errors (the
  // output untouched), never reads outside the stream.
  const PixelDescription d = description(16, 16, 3, 8, 8);
  for (const std::string_view uid : {kJpegBaseline, kJpegSV1}) {
    const TransferSyntax ts = *TransferSyntax::lookup(uid);
    auto encoded = registry_.encoder(uid)->encode_frame(ts, pixels(d, 9), d, {});
    ASSERT_TRUE(encoded.has_value());
    const std::vector<std::byte> stream = restyled(*encoded, adobe(1), {'R', 'G', 'B'});
    dcmdata::CodecRegistry registry;
    const auto codec = jpeg_decoder(ColorConversion::Guess, uid, registry);
    for (std::size_t cut = 0; cut < stream.size(); ++cut) {
      std::vector<std::byte> truncated(stream.begin(), stream.begin() + static_cast<long>(cut));
      std::vector<std::byte> out;
      dcmdata::DecodeOptions strict;
      strict.strictness = dcmdata::Strictness::Strict;
      auto status =
          codec->decode_frame(ts, frame_of(std::move(truncated)), d, strict, out, nullptr);
      if (!status) {
        EXPECT_TRUE(out.empty()) << uid << " cut at " << cut;
      } else {
        EXPECT_EQ(out.size(), std::size_t{16} * 16 * 3) << uid << " cut at " << cut;
      }
    }
    // Segment lengths past the end of the stream: the APP14 marker's, the next segment's.
    for (const std::size_t at : {std::size_t{4}, std::size_t{2 + 16 + 2}}) {
      std::vector<std::byte> hostile = stream;
      hostile[at] = std::byte{0xF0};
      std::vector<std::byte> out;
      auto status = codec->decode_frame(ts, frame_of(std::move(hostile)), d, {}, out, nullptr);
      ASSERT_FALSE(status.has_value()) << uid << " length at " << at;
      EXPECT_EQ(status.error().code(), ofstd::ErrorCode::MalformedData);
      EXPECT_TRUE(out.empty());
    }
  }
}

TEST_F(CodecsTest, JpegLsDescribesOnlyNearLosslessCompressionAsDcmtkDoes) {
  const auto codec = registry_.encoder(kJpegLs);
  const PixelDescription d = description(8, 8, 1, 8, 8);
  EXPECT_EQ(codec->describe_compression(*TransferSyntax::lookup(kJpegLs), d, "2.5"), "");
  EXPECT_EQ(codec->describe_compression(*TransferSyntax::lookup(kJpegLsNear), d, "34.96"),
            "near lossless JPEG-LS compression, factor 34.96 (NEAR=2)");
  EXPECT_EQ(codec->lossy_method(*TransferSyntax::lookup(kJpegLsNear)), "ISO_14495_1");
  EXPECT_EQ(codec->lossy_method(*TransferSyntax::lookup(kJpegLs)), "");
}

TEST_F(CodecsTest, JpegStreamsCarryIjgsColourMarkersAndAFillByteLikeDcmtks) {
  // DCMTK's IJG writes JFIF APP0 after SOI for grayscale and YCbCr, nothing for its true
  // lossless colour (IDs 0, 1, 2), and makes an odd stream even with a fill byte before EOI.
  struct Case {
    std::string_view uid;
    std::uint32_t samples;
    std::uint32_t bits;
    bool jfif;
  };
  for (const Case& c : {Case{kJpegBaseline, 1, 8, true}, Case{kJpegBaseline, 3, 8, true},
                        Case{kJpegExtended, 1, 12, true}, Case{kJpegProgressive, 3, 12, true},
                        Case{kJpegSV1, 1, 16, true}, Case{kJpegSV1, 3, 8, false},
                        Case{kJpegLossless, 1, 8, true}}) {
    for (const std::uint32_t rows : {7u, 9u, 14u}) {
      const PixelDescription d = description(rows, 11, c.samples, c.bits > 8 ? 16 : 8, c.bits);
      const std::vector<std::uint8_t> stream = encode(c.uid, d, pixels(d));
      ASSERT_GE(stream.size(), 24u);
      const bool has_jfif = stream[2] == 0xFF && stream[3] == 0xE0 && stream[6] == 'J' &&
                            stream[7] == 'F' && stream[8] == 'I' && stream[9] == 'F';
      EXPECT_EQ(has_jfif, c.jfif) << c.uid << " " << c.samples << " samples";
      EXPECT_NE(stream[3], 0xEE) << c.uid << ": no Adobe marker";
      EXPECT_EQ(stream.size() % 2, 0u) << c.uid << " " << rows << " rows";
      EXPECT_EQ(stream[stream.size() - 2], 0xFF);
      EXPECT_EQ(stream[stream.size() - 1], 0xD9) << c.uid << ": EOI last, no pad after it";
    }
  }
}

}  // namespace
}  // namespace dcmkit::dcmimage

// SPDX-License-Identifier: BSD-3-Clause
// JPEG 2000 decoding of hostile HTJ2K streams: Debian's OpenJPEG aborts on some corrupt HT
// code-blocks, so such streams are decoded in a child process (codecs/isolated.h) chosen by a
// walk over the marker segments (codecs/j2k_scan.h).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "codecs/isolated.h"
#include "codecs/j2k_scan.h"
#include "dcmkit/dcmdata/codec.h"
#include "dcmkit/dcmimage/codecs/jpeg2000.h"

namespace dcmkit::dcmimage {
namespace {

using dcmdata::Frame;
using dcmdata::PixelDescription;
using dcmdata::TransferSyntax;
using ofstd::ErrorCode;

constexpr std::string_view kJ2kLossless = "1.2.840.10008.1.2.4.90";
constexpr std::string_view kJ2kLossy = "1.2.840.10008.1.2.4.91";
constexpr std::string_view kHtLossless = "1.2.840.10008.1.2.4.201";
constexpr std::string_view kHtLossy = "1.2.840.10008.1.2.4.203";

PixelDescription grey(std::uint32_t rows, std::uint32_t columns, std::uint32_t bits = 16) {
  PixelDescription d;
  d.rows = rows;
  d.columns = columns;
  d.samples_per_pixel = 1;
  d.bits_allocated = bits;
  d.bits_stored = bits;
  d.high_bit = bits - 1;
  d.photometric_interpretation = "MONOCHROME2";
  return d;
}

std::vector<std::byte> ramp(const PixelDescription& d) {
  std::vector<std::byte> out(std::size_t{d.rows} * d.columns * 2);
  for (std::size_t i = 0; i < out.size() / 2; ++i) {
    const auto v = static_cast<std::uint16_t>(i * 37 % 4096);
    out[2 * i] = static_cast<std::byte>(v & 0xFF);
    out[2 * i + 1] = static_cast<std::byte>(v >> 8);
  }
  return out;
}

class J2kIsolationTest : public ::testing::Test {
 protected:
  void SetUp() override { register_jpeg2000_codecs({}, {}, registry_); }

  std::vector<std::uint8_t> encode(std::string_view uid, const PixelDescription& d) {
    const TransferSyntax ts = *TransferSyntax::lookup(uid);
    auto encoded = registry_.encoder(uid)->encode_frame(ts, ramp(d), d, {});
    EXPECT_TRUE(encoded.has_value()) << encoded.error().to_string();
    std::vector<std::uint8_t> bytes;
    if (encoded) {
      for (const std::byte b : *encoded) bytes.push_back(std::to_integer<std::uint8_t>(b));
    }
    return bytes;
  }

  ofstd::Status decode(std::string_view uid, const std::vector<std::uint8_t>& stream,
                       const PixelDescription& d, std::vector<std::byte>& out) {
    const TransferSyntax ts = *TransferSyntax::lookup(uid);
    Frame frame;
    frame.encapsulated = true;
    frame.pieces.push_back(dcmdata::SharedBytes::copy_of(std::as_bytes(std::span(stream))));
    return registry_.decoder(uid)->decode_frame(ts, frame, d, {}, out, nullptr);
  }

  dcmdata::CodecRegistry registry_;
};

TEST_F(J2kIsolationTest, TellsPart1StreamsFromHtStreams) {
  const PixelDescription d = grey(40, 52);
  const auto part1 = encode(kJ2kLossless, d);
  const auto part1_lossy = encode(kJ2kLossy, d);
  const auto ht = encode(kHtLossless, d);
  const auto ht_lossy = encode(kHtLossy, d);
  ASSERT_FALSE(part1.empty());
  ASSERT_FALSE(ht.empty());
  EXPECT_FALSE(detail::may_use_ht_block_coding(part1));
  EXPECT_FALSE(detail::may_use_ht_block_coding(part1_lossy));
  EXPECT_TRUE(detail::may_use_ht_block_coding(ht));
  EXPECT_TRUE(detail::may_use_ht_block_coding(ht_lossy));
}

TEST_F(J2kIsolationTest, AnythingTheWalkCannotFollowCountsAsHt) {
  const auto part1 = encode(kJ2kLossless, grey(40, 52));
  ASSERT_GT(part1.size(), 60U);
  EXPECT_TRUE(detail::may_use_ht_block_coding({}));
  EXPECT_TRUE(detail::may_use_ht_block_coding(std::span(part1).first(30)));  // inside the header
  std::vector<std::uint8_t> no_soc = part1;
  no_soc[1] = 0x00;
  EXPECT_TRUE(detail::may_use_ht_block_coding(no_soc));
  // The HT style bit set in the main COD (ISO 15444-15): the byte after the code-block sizes.
  std::vector<std::uint8_t> ht_cod = part1;
  bool found = false;
  for (std::size_t i = 2; i + 13 < ht_cod.size(); ++i) {
    if (ht_cod[i] == 0xFF && ht_cod[i + 1] == 0x52) {
      ht_cod[i + 12] |= 0x40;
      found = true;
      break;
    }
  }
  ASSERT_TRUE(found);
  EXPECT_TRUE(detail::may_use_ht_block_coding(ht_cod));
  // A tile-part length pointing past the end.
  std::vector<std::uint8_t> long_tile = part1;
  for (std::size_t i = 2; i + 12 < long_tile.size(); ++i) {
    if (long_tile[i] == 0xFF && long_tile[i + 1] == 0x90) {
      long_tile[i + 6] = 0x7F;
      break;
    }
  }
  EXPECT_TRUE(detail::may_use_ht_block_coding(long_tile));
}

// Tasks for the helper process (plain functions, as run_isolated() takes).
ofstd::Result<std::size_t> count_up(std::span<const std::byte> input, std::span<std::byte> to) {
  // As many bytes as the input has, numbered from the input's first byte.
  const std::size_t n = std::min(input.size(), to.size());
  for (std::size_t i = 0; i < n; ++i) {
    to[i] = static_cast<std::byte>(std::to_integer<unsigned>(input[0]) + i);
  }
  return n;
}
ofstd::Result<std::size_t> refuse(std::span<const std::byte>, std::span<std::byte>) {
  return ofstd::Error(ErrorCode::Unsupported, "no such thing");
}
ofstd::Result<std::size_t> abort_now(std::span<const std::byte>, std::span<std::byte>) {
  std::abort();
}
ofstd::Result<std::size_t> throw_now(std::span<const std::byte>, std::span<std::byte>) {
  throw std::runtime_error("out of luck");
}
ofstd::Result<std::size_t> process_id(std::span<const std::byte>, std::span<std::byte> to) {
  const auto pid = static_cast<std::uint32_t>(getpid());
  std::memcpy(to.data(), &pid, sizeof pid);
  return sizeof pid;
}
std::uint32_t helper_pid() {
  std::array<std::byte, 4> out{};
  const auto n = detail::run_isolated("test", process_id, {}, out);
  EXPECT_TRUE(n.has_value());
  std::uint32_t pid = 0;
  std::memcpy(&pid, out.data(), sizeof pid);
  return pid;
}

TEST_F(J2kIsolationTest, RunIsolatedReturnsTheHelpersResultOrError) {
  std::vector<std::byte> buffer(16);
  const std::vector<std::byte> input(10, std::byte{1});
  auto filled = detail::run_isolated("test", count_up, input, buffer);
  ASSERT_TRUE(filled.has_value()) << filled.error().to_string();
  EXPECT_EQ(*filled, 10U);
  EXPECT_EQ(buffer[9], std::byte{10});
  EXPECT_EQ(buffer[10], std::byte{0});

  auto refused = detail::run_isolated("test", refuse, input, buffer);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), ErrorCode::Unsupported);
  EXPECT_EQ(refused.error().message(), "no such thing");
}

TEST_F(J2kIsolationTest, RunIsolatedSurvivesAnAbortingOrThrowingLibrary) {
  std::vector<std::byte> buffer(16);
  auto aborted = detail::run_isolated("the decoder", abort_now, {}, buffer);
  ASSERT_FALSE(aborted.has_value());
  EXPECT_EQ(aborted.error().code(), ErrorCode::MalformedData);
  EXPECT_NE(aborted.error().message().find("the decoder was killed by signal SIGABRT"),
            std::string::npos)
      << aborted.error().message();

  auto threw = detail::run_isolated("the decoder", throw_now, {}, buffer);
  ASSERT_FALSE(threw.has_value());
  EXPECT_NE(threw.error().message().find("exited with status 1"), std::string::npos)
      << threw.error().message();
}

TEST_F(J2kIsolationTest, OneHelperServesAThreadUntilItDies) {
  const std::uint32_t first = helper_pid();
  EXPECT_NE(first, static_cast<std::uint32_t>(getpid()));
  EXPECT_EQ(helper_pid(), first) << "the helper is reused";
  std::vector<std::byte> buffer(4);
  ASSERT_FALSE(detail::run_isolated("the decoder", abort_now, {}, buffer).has_value());
  const std::uint32_t second = helper_pid();
  EXPECT_NE(second, first) << "a new helper after a crash";
  EXPECT_NE(second, static_cast<std::uint32_t>(getpid()));
  // Another thread has its own helper, and the thread's end ends it.
  std::uint32_t other = 0;
  std::thread([&other] { other = helper_pid(); }).join();
  EXPECT_NE(other, 0U);
  EXPECT_NE(other, second);
  EXPECT_NE(kill(static_cast<pid_t>(other), 0), 0) << "the other thread's helper has ended";
  EXPECT_EQ(helper_pid(), second);
}

TEST_F(J2kIsolationTest, TheHelperHoldsNoDescriptorOfTheProgram) {
  // A descriptor opened before the helper starts (a server's connection, a file): the helper
  // must not keep it open. Checked through the helper's /proc entry.
  std::vector<std::byte> buffer(4);
  ASSERT_FALSE(detail::run_isolated("the decoder", abort_now, {}, buffer).has_value());
  const int null_fd = open("/dev/null", O_RDONLY);
  ASSERT_GE(null_fd, 0);
  const int fd = fcntl(null_fd, F_DUPFD, 60);  // above the helper's own socket (3)
  close(null_fd);
  ASSERT_GE(fd, 60);
  const std::string helper = "/proc/" + std::to_string(helper_pid()) + "/fd/";
  struct stat info {};
  EXPECT_EQ(stat((helper + "3").c_str(), &info), 0) << "the helper's socket";
  EXPECT_NE(stat((helper + std::to_string(fd)).c_str(), &info), 0) << "inherited, still open";
  close(fd);
}

TEST_F(J2kIsolationTest, HtAndPart1StreamsStillDecodeExactly) {
  const PixelDescription d = grey(40, 52);
  for (const std::string_view uid : {kJ2kLossless, kHtLossless}) {
    std::vector<std::byte> out;
    auto status = decode(uid, encode(uid, d), d, out);
    ASSERT_TRUE(status.has_value()) << uid << ": " << status.error().to_string();
    EXPECT_EQ(out, ramp(d)) << uid;
  }
}

// The stream libFuzzer found (fuzz/corpus/htj2k_decode/crash-mel-assert.bin, after the fuzz
// target's 8-byte description): OpenJPEG 2.5.0 asserts in its MEL decoder and aborts.
TEST_F(J2kIsolationTest, CorruptHtCodeBlockIsAnErrorNotAnAbort) {
  std::ifstream in(
      std::string(DCMKIT_SOURCE_DIR) + "/fuzz/corpus/htj2k_decode/crash-mel-assert.bin",
      std::ios::binary);
  ASSERT_TRUE(in) << "missing fuzz/corpus/htj2k_decode/crash-mel-assert.bin";
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 8U);
  const PixelDescription d = grey(bytes[0] + 1U, bytes[2] + 1U, 8);
  const std::vector<std::uint8_t> stream(bytes.begin() + 8, bytes.end());
  std::vector<std::byte> out(3, std::byte{7});
  auto status = decode(kHtLossy, stream, d, out);
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code(), ErrorCode::MalformedData);
  EXPECT_EQ(out.size(), 3U) << "a failed decode leaves the output as it was";
}

}  // namespace
}  // namespace dcmkit::dcmimage

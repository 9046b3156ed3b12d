// SPDX-License-Identifier: BSD-3-Clause
// The parts of an ITU T.81 (ISO 10918-1) stream that dcmkit's own JPEG decoders share: marker
// segments (SOF, DHT, DQT, DRI, SOS), Huffman decoding tables (Annex C and F.2.2.3), and a bit
// reader over entropy-coded data that removes stuffed zero bytes and stops at markers (F.2.2.5).
// Every read is bounds-checked: corrupt or truncated data gives an Error or zero bits, never a
// read outside the input.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmimage::detail {

/// Marker codes (T.81 Table B.1).
enum Marker : std::uint8_t {
  kSOF0 = 0xC0,  // baseline DCT
  kSOF1 = 0xC1,  // extended sequential DCT, Huffman
  kSOF2 = 0xC2,  // progressive DCT, Huffman
  kSOF3 = 0xC3,  // lossless, Huffman
  kDHT = 0xC4,
  kRST0 = 0xD0,
  kSOI = 0xD8,
  kEOI = 0xD9,
  kSOS = 0xDA,
  kDQT = 0xDB,
  kDNL = 0xDC,
  kDRI = 0xDD,
  kAPP0 = 0xE0,
  kAPP14 = 0xEE,
};

/// One component of a frame header (T.81 B.2.2).
struct FrameComponent {
  std::uint8_t id = 0;
  std::uint8_t h = 1;   // horizontal sampling factor, 1..4
  std::uint8_t v = 1;   // vertical sampling factor, 1..4
  std::uint8_t tq = 0;  // quantization table selector (DCT only)
};

/// The frame header (SOFn).
struct FrameHeader {
  std::uint8_t marker = 0;  // kSOF0..kSOF3 (others are refused)
  std::uint32_t precision = 0;
  std::uint32_t height = 0;
  std::uint32_t width = 0;
  std::vector<FrameComponent> components;
  std::uint8_t h_max = 1;
  std::uint8_t v_max = 1;
};

/// A Huffman table ready for decoding (T.81 F.2.2.3), with a lookup of codes up to kFastBits.
struct HuffmanTable {
  static constexpr int kFastBits = 9;
  bool defined = false;
  std::array<std::uint8_t, 256> values{};
  std::array<std::int32_t, 18> max_code{};  // largest code of each length, -1 if none
  std::array<std::int32_t, 17> value_offset{};
  // Entry: (length << 8) | value for codes of at most kFastBits bits; 0 if longer.
  std::array<std::uint16_t, 1u << kFastBits> fast{};

  /// Builds the table from BITS (code counts per length 1..16) and HUFFVAL; MalformedData if
  /// the counts overflow the code space or exceed 256 values.
  ofstd::Status build(std::span<const std::uint8_t, 16> counts,
                      std::span<const std::uint8_t> symbols);
};

/// One component of a scan header (T.81 B.2.3).
struct ScanComponent {
  std::size_t index = 0;  // into FrameHeader::components
  std::uint8_t dc_table = 0;
  std::uint8_t ac_table = 0;
};

/// The scan header (SOS). For lossless scans, ss is the predictor and al the point transform.
struct ScanHeader {
  std::vector<ScanComponent> components;
  std::uint8_t ss = 0;
  std::uint8_t se = 63;
  std::uint8_t ah = 0;
  std::uint8_t al = 0;
};

/// Reads the bits of one entropy-coded segment. Past a marker or the end of the input it
/// returns zero bits (as T.81 decoders conventionally do) and counts them, so a decoder can
/// tell complete from truncated data.
class BitReader {
 public:
  BitReader(std::span<const std::uint8_t> data, std::size_t position) noexcept
      : data_(data), position_(position) {}

  /// The next `n` (0..16) bits, most significant first.
  std::uint32_t bits(int n) noexcept {
    if (n == 0) return 0;
    if (count_ < n) fill();
    const auto value = static_cast<std::uint32_t>(buffer_ >> (64 - n));
    buffer_ <<= n;
    count_ -= n;
    return value;
  }
  std::uint32_t bit() noexcept { return bits(1); }

  /// Decodes one Huffman-coded symbol; MalformedData for a code that is not in the table.
  ofstd::Result<std::uint8_t> decode(const HuffmanTable& table) noexcept;

  /// `s` additional bits as a signed difference (T.81 F.2.2.1, EXTEND), s in 0..15.
  std::int32_t receive_extend(int s) noexcept {
    if (s == 0) return 0;
    const auto v = static_cast<std::int32_t>(bits(s));
    return v < (1 << (s - 1)) ? v - (1 << s) + 1 : v;
  }

  /// Ends an entropy-coded segment at a restart marker: skips the remaining bits, expects
  /// RSTn (n = expected & 7) and consumes it. False if the next marker is not a restart marker
  /// (the caller decides whether that is an error); in that case nothing is consumed.
  bool restart(unsigned expected) noexcept;

  /// Position of the first byte not yet consumed (the marker that ended the segment, if any).
  std::size_t position() const noexcept { return position_; }
  /// Zero bytes supplied beyond the data of the segment (truncated or corrupt data).
  std::size_t overrun() const noexcept { return overrun_; }

 private:
  void fill() noexcept;

  std::span<const std::uint8_t> data_;
  std::size_t position_;
  std::uint64_t buffer_ = 0;  // bits left aligned
  int count_ = 0;
  bool at_marker_ = false;
  std::size_t overrun_ = 0;
};

/// Walks the marker segments of a JPEG stream, keeping the tables and headers they define.
class StreamParser {
 public:
  explicit StreamParser(std::span<const std::uint8_t> data) noexcept : data_(data) {}

  /// Reads up to and including the next SOS (true) or EOI / end of data (false). Tables, the
  /// frame header and the restart interval seen on the way are stored. MalformedData for
  /// corrupt segments, Unsupported for processes other than SOF0..SOF3 (arithmetic coding,
  /// hierarchical) and DNL.
  ofstd::Result<bool> next_scan();

  /// After a scan was decoded up to `position`, moves to the next marker (skipping what is left
  /// of the entropy-coded data).
  void skip_to_marker(std::size_t position) noexcept;

  bool has_frame() const noexcept { return has_frame_; }
  const FrameHeader& frame() const noexcept { return frame_; }
  const ScanHeader& scan() const noexcept { return scan_; }
  std::uint32_t restart_interval() const noexcept { return restart_interval_; }
  const HuffmanTable& dc_table(std::size_t i) const noexcept { return dc_tables_[i & 3]; }
  const HuffmanTable& ac_table(std::size_t i) const noexcept { return ac_tables_[i & 3]; }
  /// Quantization table `i` in natural (not zigzag) order.
  const std::array<std::uint16_t, 64>& quant_table(std::size_t i) const noexcept {
    return quant_tables_[i & 3];
  }
  bool quant_defined(std::size_t i) const noexcept { return quant_defined_[i & 3]; }
  /// Whether an Adobe APP14 marker says the data is transformed (1: YCbCr) or not (0), or -1.
  int adobe_transform() const noexcept { return adobe_transform_; }
  bool has_jfif() const noexcept { return jfif_; }
  std::span<const std::uint8_t> data() const noexcept { return data_; }
  std::size_t position() const noexcept { return position_; }

 private:
  ofstd::Status read_frame(std::span<const std::uint8_t> segment, std::uint8_t marker);
  ofstd::Status read_huffman(std::span<const std::uint8_t> segment);
  ofstd::Status read_quant(std::span<const std::uint8_t> segment);
  ofstd::Status read_scan(std::span<const std::uint8_t> segment);

  std::span<const std::uint8_t> data_;
  std::size_t position_ = 0;
  bool started_ = false;
  bool has_frame_ = false;
  FrameHeader frame_;
  ScanHeader scan_;
  std::uint32_t restart_interval_ = 0;
  std::array<HuffmanTable, 4> dc_tables_{};
  std::array<HuffmanTable, 4> ac_tables_{};
  std::array<std::array<std::uint16_t, 64>, 4> quant_tables_{};
  std::array<bool, 4> quant_defined_{};
  int adobe_transform_ = -1;
  bool jfif_ = false;
};

/// The markers of a JPEG stream up to its first scan: the frame header and the colour space
/// hints that IJG's decoder reads (T.81 says nothing about colour; JFIF and Adobe do).
struct StreamHeader {
  FrameHeader frame;
  bool jfif = false;         ///< a JFIF APP0 marker (IJG: at least 14 bytes, "JFIF\0")
  int adobe_transform = -1;  ///< the transform flag of an Adobe APP14 marker, -1 if none
};

/// The frame header and colour hints of a JPEG stream (what decoders are chosen by), without
/// decoding it: MalformedData or Unsupported as StreamParser::next_scan() for the segments up
/// to the first scan, MalformedData if there is no frame header before it.
ofstd::Result<StreamHeader> peek_stream_header(std::span<const std::uint8_t> data);

/// The frame header alone (peek_stream_header()).
ofstd::Result<FrameHeader> peek_frame_header(std::span<const std::uint8_t> data);

/// Whether the IJG library as DCMTK 3.6.7 builds it (6b with the lossless extension) takes
/// the 3 components of a stream for YCbCr when it is left to guess (dcmdjpeg +cg, +cgl): a JFIF
/// marker says YCbCr; else an Adobe marker says RGB with transform 0, YCbCr with any other;
/// else the component IDs 1, 2, 3 say YCbCr and 'R', 'G', 'B' RGB; other IDs are taken for
/// YCbCr in DCT streams and for RGB in lossless (SOF3) ones. False for other component counts.
bool guesses_ycbcr(const StreamHeader& header) noexcept;

/// Zigzag position k -> natural position (T.81 Figure A.6).
extern const std::array<std::uint8_t, 64> kZigzag;

/// "JPEG: <message>" as MalformedData.
ofstd::Error malformed(const std::string& message);

}  // namespace dcmkit::dcmimage::detail

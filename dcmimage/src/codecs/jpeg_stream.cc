// SPDX-License-Identifier: BSD-3-Clause
#include "jpeg_stream.h"

#include <algorithm>
#include <utility>

namespace dcmkit::dcmimage::detail {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

const std::array<std::uint8_t, 64> kZigzag = {
    0,  1,  8,  16, 9,  2,  3,  10, 17, 24, 32, 25, 18, 11, 4,  5,  12, 19, 26, 33, 40, 48,
    41, 34, 27, 20, 13, 6,  7,  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23,
    30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

Error malformed(const std::string& message) {
  return Error(ErrorCode::MalformedData, "JPEG: " + message);
}

// --- Huffman tables -------------------------------------------------------------------------

Status HuffmanTable::build(std::span<const std::uint8_t, 16> counts,
                           std::span<const std::uint8_t> symbols) {
  std::size_t total = 0;
  for (const std::uint8_t c : counts) total += c;
  if (total > 256 || total > symbols.size()) return malformed("Huffman table too large");
  std::copy_n(symbols.begin(), total, values.begin());
  fast.fill(0);
  std::int32_t code = 0;
  std::int32_t k = 0;
  for (int length = 1; length <= 16; ++length) {
    const int n = counts[static_cast<std::size_t>(length - 1)];
    value_offset[static_cast<std::size_t>(length)] = k - code;
    // All codes of this length must fit in `length` bits (T.81 C.2: no code of all ones is
    // needed, but broken encoders use it, so only overflow is refused). Checked before the
    // lookup is filled: overflowing codes would index past its end.
    if (code + n > (1 << length)) return malformed("Huffman code lengths overflow");
    if (n > 0) {
      if (length <= kFastBits) {
        for (int i = 0; i < n; ++i) {
          const int shift = kFastBits - length;
          const auto first = static_cast<std::size_t>((code + i) << shift);
          const auto entry =
              static_cast<std::uint16_t>((length << 8) | values[static_cast<std::size_t>(k + i)]);
          std::fill_n(fast.begin() + static_cast<std::ptrdiff_t>(first), std::size_t{1} << shift,
                      entry);
        }
      }
      code += n;
      k += n;
      max_code[static_cast<std::size_t>(length)] = code - 1;
    } else {
      max_code[static_cast<std::size_t>(length)] = -1;
    }
    code <<= 1;
  }
  max_code[17] = 0x7FFFFFFF;
  defined = true;
  return {};
}

// --- Bit reader -----------------------------------------------------------------------------

void BitReader::fill() noexcept {
  while (count_ <= 56) {
    std::uint64_t byte = 0;
    if (!at_marker_ && position_ < data_.size()) {
      const std::uint8_t b = data_[position_];
      if (b == 0xFF) {
        // Skip fill bytes (T.81 B.1.1.2); FF 00 is a stuffed FF, anything else a marker.
        std::size_t next = position_ + 1;
        while (next < data_.size() && data_[next] == 0xFF) ++next;
        if (next < data_.size() && data_[next] == 0x00) {
          byte = 0xFF;
          position_ = next + 1;
        } else {
          at_marker_ = true;
          position_ = next - 1;
          ++overrun_;
        }
      } else {
        byte = b;
        ++position_;
      }
    } else {
      ++overrun_;
    }
    buffer_ |= byte << (56 - count_);
    count_ += 8;
  }
}

Result<std::uint8_t> BitReader::decode(const HuffmanTable& table) noexcept {
  if (count_ < 16) fill();
  const auto peek = static_cast<std::size_t>(buffer_ >> (64 - HuffmanTable::kFastBits));
  const std::uint16_t entry = table.fast[peek];
  if (entry != 0) {
    const int length = entry >> 8;
    buffer_ <<= length;
    count_ -= length;
    return static_cast<std::uint8_t>(entry & 0xFF);
  }
  const auto code16 = static_cast<std::int32_t>(buffer_ >> 48);
  for (int length = HuffmanTable::kFastBits + 1; length <= 16; ++length) {
    const std::int32_t code = code16 >> (16 - length);
    if (code <= table.max_code[static_cast<std::size_t>(length)]) {
      buffer_ <<= length;
      count_ -= length;
      const std::int32_t index = code + table.value_offset[static_cast<std::size_t>(length)];
      if (index < 0 || index > 255) break;
      return table.values[static_cast<std::size_t>(index)];
    }
  }
  return malformed("corrupt Huffman code");
}

bool BitReader::restart(unsigned expected) noexcept {
  buffer_ = 0;
  count_ = 0;
  // Find the marker: normally right here; after corrupt data, further on.
  std::size_t p = position_;
  while (p + 1 < data_.size() && !(data_[p] == 0xFF && data_[p + 1] != 0 && data_[p + 1] != 0xFF)) {
    ++p;
  }
  if (p + 1 >= data_.size()) return false;
  const std::uint8_t marker = data_[p + 1];
  if (marker != kRST0 + (expected & 7)) {
    if (marker >= kRST0 && marker <= kRST0 + 7) {
      // A restart marker out of sequence: take it and go on.
      position_ = p + 2;
      at_marker_ = false;
      return true;
    }
    position_ = p;
    return false;
  }
  position_ = p + 2;
  at_marker_ = false;
  return true;
}

// --- Stream parser ----------------------------------------------------------------------------

namespace {

std::uint16_t be16(std::span<const std::uint8_t> d, std::size_t at) {
  return static_cast<std::uint16_t>((d[at] << 8) | d[at + 1]);
}

}  // namespace

Status StreamParser::read_frame(std::span<const std::uint8_t> s, std::uint8_t marker) {
  if (has_frame_) return malformed("second frame header");
  if (s.size() < 6) return malformed("frame header too short");
  FrameHeader f;
  f.marker = marker;
  f.precision = s[0];
  f.height = be16(s, 1);
  f.width = be16(s, 3);
  const std::size_t n = s[5];
  if (n == 0 || n > 4 || s.size() < 6 + 3 * n) {
    return malformed("frame header has " + std::to_string(n) + " components");
  }
  if (f.width == 0) return malformed("frame width is zero");
  if (f.height == 0) {
    return Error(ErrorCode::Unsupported, "JPEG: height defined by DNL is not supported");
  }
  const bool lossless = marker == kSOF3;
  if (lossless ? (f.precision < 2 || f.precision > 16) : (f.precision != 8 && f.precision != 12)) {
    return malformed("sample precision " + std::to_string(f.precision));
  }
  for (std::size_t i = 0; i < n; ++i) {
    FrameComponent c;
    c.id = s[6 + 3 * i];
    c.h = static_cast<std::uint8_t>(s[7 + 3 * i] >> 4);
    c.v = static_cast<std::uint8_t>(s[7 + 3 * i] & 15);
    c.tq = s[8 + 3 * i];
    if (c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 || c.tq > 3) {
      return malformed("bad sampling factors or table selector");
    }
    f.h_max = std::max(f.h_max, c.h);
    f.v_max = std::max(f.v_max, c.v);
    f.components.push_back(c);
  }
  frame_ = std::move(f);
  has_frame_ = true;
  return {};
}

Status StreamParser::read_huffman(std::span<const std::uint8_t> s) {
  std::size_t at = 0;
  while (at < s.size()) {
    if (s.size() - at < 17) return malformed("Huffman table segment too short");
    const std::uint8_t tc = s[at] >> 4;
    const std::uint8_t th = s[at] & 15;
    if (tc > 1 || th > 3) return malformed("bad Huffman table class or destination");
    const std::span<const std::uint8_t, 16> counts(s.data() + at + 1, 16);
    std::size_t total = 0;
    for (const std::uint8_t c : counts) total += c;
    at += 17;
    if (total > s.size() - at) return malformed("Huffman table segment too short");
    HuffmanTable& table = tc == 0 ? dc_tables_[th] : ac_tables_[th];
    DCMKIT_TRY(table.build(counts, s.subspan(at, total)));
    at += total;
  }
  return {};
}

Status StreamParser::read_quant(std::span<const std::uint8_t> s) {
  std::size_t at = 0;
  while (at < s.size()) {
    const std::uint8_t pq = s[at] >> 4;
    const std::uint8_t tq = s[at] & 15;
    if (pq > 1 || tq > 3) return malformed("bad quantization table precision or destination");
    const std::size_t size = pq == 0 ? 64 : 128;
    if (s.size() - at - 1 < size) return malformed("quantization table segment too short");
    for (std::size_t k = 0; k < 64; ++k) {
      const std::uint16_t q =
          pq == 0 ? s[at + 1 + k] : static_cast<std::uint16_t>(be16(s, at + 1 + 2 * k));
      quant_tables_[tq][kZigzag[k]] = q;
    }
    quant_defined_[tq] = true;
    at += 1 + size;
  }
  return {};
}

Status StreamParser::read_scan(std::span<const std::uint8_t> s) {
  if (!has_frame_) return malformed("scan before frame header");
  if (s.empty()) return malformed("scan header too short");
  const std::size_t n = s[0];
  if (n == 0 || n > 4 || s.size() < 4 + 2 * n) return malformed("bad scan header");
  ScanHeader scan;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t id = s[1 + 2 * i];
    const auto it = std::find_if(frame_.components.begin(), frame_.components.end(),
                                 [id](const FrameComponent& c) { return c.id == id; });
    if (it == frame_.components.end()) {
      return malformed("scan refers to unknown component " + std::to_string(id));
    }
    ScanComponent sc;
    sc.index = static_cast<std::size_t>(it - frame_.components.begin());
    for (const ScanComponent& other : scan.components) {
      if (other.index == sc.index) return malformed("component twice in one scan");
    }
    sc.dc_table = s[2 + 2 * i] >> 4;
    sc.ac_table = s[2 + 2 * i] & 15;
    if (sc.dc_table > 3 || sc.ac_table > 3) return malformed("bad table selector");
    scan.components.push_back(sc);
  }
  scan.ss = s[1 + 2 * n];
  scan.se = s[2 + 2 * n];
  scan.ah = s[3 + 2 * n] >> 4;
  scan.al = s[3 + 2 * n] & 15;
  scan_ = std::move(scan);
  return {};
}

Result<bool> StreamParser::next_scan() {
  if (!started_) {
    if (data_.size() < 2 || data_[0] != 0xFF || data_[1] != kSOI) {
      return malformed("no SOI marker at the start");
    }
    position_ = 2;
    started_ = true;
  }
  while (true) {
    // Find the next marker, tolerating garbage between segments (lenient as IJG is).
    while (position_ < data_.size() && data_[position_] != 0xFF) ++position_;
    while (position_ < data_.size() && data_[position_] == 0xFF) ++position_;
    if (position_ >= data_.size()) return false;
    const std::uint8_t marker = data_[position_++];
    if (marker == kEOI) return false;
    if (marker == kSOI || (marker >= kRST0 && marker <= kRST0 + 7) || marker == 0x01) continue;
    if (data_.size() - position_ < 2) return malformed("truncated marker segment");
    const std::size_t length = be16(data_, position_);
    if (length < 2 || length > data_.size() - position_) {
      return malformed("marker segment length " + std::to_string(length) + " exceeds the data");
    }
    const std::span<const std::uint8_t> segment = data_.subspan(position_ + 2, length - 2);
    position_ += length;
    switch (marker) {
      case kSOF0:
      case kSOF1:
      case kSOF2:
      case kSOF3:
        DCMKIT_TRY(read_frame(segment, marker));
        break;
      case kDHT:
        DCMKIT_TRY(read_huffman(segment));
        break;
      case kDQT:
        DCMKIT_TRY(read_quant(segment));
        break;
      case kDRI:
        if (segment.size() < 2) return malformed("DRI segment too short");
        restart_interval_ = be16(segment, 0);
        break;
      case kSOS:
        DCMKIT_TRY(read_scan(segment));
        return true;
      case kDNL:
        return Error(ErrorCode::Unsupported, "JPEG: DNL marker is not supported");
      case kAPP0:
        // IJG reads a JFIF marker only if it has the 14 bytes of the JFIF header.
        if (segment.size() >= 14 && segment[0] == 'J' && segment[1] == 'F' && segment[2] == 'I' &&
            segment[3] == 'F' && segment[4] == 0) {
          jfif_ = true;
        }
        break;
      case kAPP14:
        if (segment.size() >= 12 && segment[0] == 'A' && segment[1] == 'd' && segment[2] == 'o' &&
            segment[3] == 'b' && segment[4] == 'e') {
          adobe_transform_ = segment[11];
        }
        break;
      default:
        if (marker >= 0xC5 && marker <= 0xCF && marker != 0xC8 && marker != 0xCC) {
          return Error(ErrorCode::Unsupported,
                       "JPEG: hierarchical or arithmetic-coded process (SOF" +
                           std::to_string(marker - 0xC0) + ") is not supported");
        }
        break;  // APPn, COM, DAC, ...: skipped
    }
  }
}

void StreamParser::skip_to_marker(std::size_t position) noexcept {
  position_ = std::min(position, data_.size());
  while (position_ + 1 < data_.size()) {
    if (data_[position_] == 0xFF) {
      const std::uint8_t next = data_[position_ + 1];
      if (next != 0 && next != 0xFF && !(next >= kRST0 && next <= kRST0 + 7)) return;
    }
    ++position_;
  }
  position_ = data_.size();
}

Result<StreamHeader> peek_stream_header(std::span<const std::uint8_t> data) {
  StreamParser parser(data);
  while (true) {
    // next_scan() walks up to the first SOS, so the APPn markers between SOF and SOS count as
    // they do for IJG (which reads them all before it guesses the colour space).
    DCMKIT_ASSIGN_OR_RETURN(const bool scan, parser.next_scan());
    if (parser.has_frame()) {
      return StreamHeader{parser.frame(), parser.has_jfif(), parser.adobe_transform()};
    }
    if (!scan) return malformed("no frame header");
  }
}

Result<FrameHeader> peek_frame_header(std::span<const std::uint8_t> data) {
  DCMKIT_ASSIGN_OR_RETURN(StreamHeader header, peek_stream_header(data));
  return std::move(header.frame);
}

bool guesses_ycbcr(const StreamHeader& header) noexcept {
  const std::vector<FrameComponent>& c = header.frame.components;
  if (c.size() != 3) return false;
  if (header.jfif) return true;
  if (header.adobe_transform >= 0) return header.adobe_transform != 0;
  if (c[0].id == 1 && c[1].id == 2 && c[2].id == 3) return true;
  if (c[0].id == 'R' && c[1].id == 'G' && c[2].id == 'B') return false;
  // Unknown IDs (DCMTK's lossless encoder writes 0, 1, 2): the lossless extension of IJG 6b
  // assumes RGB, the DCT processes YCbCr.
  return header.frame.marker != kSOF3;
}

}  // namespace dcmkit::dcmimage::detail

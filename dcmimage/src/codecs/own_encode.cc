// SPDX-License-Identifier: BSD-3-Clause
// dcmkit's own JPEG encoders: lossless (T.81 Annex H) at 2..16 bits and the extended
// sequential and progressive DCT processes at 12 bits (Annexes F and G), all with optimal
// Huffman tables (Annex K.2).
#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <string>

#include "jpeg_stream.h"
#include "own_codec.h"

namespace dcmkit::dcmimage::detail {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

namespace {

// Writes entropy-coded bits with byte stuffing (T.81 F.1.2.3) and marker segments.
class BitWriter {
 public:
  explicit BitWriter(std::vector<std::uint8_t>& out) : out_(out) {}

  void put(std::uint32_t code, int length) {
    if (length == 0) return;
    buffer_ = (buffer_ << length) | (code & ((std::uint64_t{1} << length) - 1));
    count_ += length;
    while (count_ >= 8) {
      const auto byte = static_cast<std::uint8_t>(buffer_ >> (count_ - 8));
      out_.push_back(byte);
      if (byte == 0xFF) out_.push_back(0x00);
      count_ -= 8;
    }
  }
  // Pads the last byte with 1-bits (T.81 F.1.2.3).
  void flush() {
    if (count_ > 0) put(0x7F, 8 - count_);
    buffer_ = 0;
  }

 private:
  std::vector<std::uint8_t>& out_;
  std::uint64_t buffer_ = 0;
  int count_ = 0;
};

void put16(std::vector<std::uint8_t>& out, std::size_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value & 0xFF));
}

void put_marker(std::vector<std::uint8_t>& out, std::uint8_t marker) {
  out.push_back(0xFF);
  out.push_back(marker);
}

// An encoding table: code and length per symbol, plus the BITS/HUFFVAL lists for DHT.
struct HuffmanCode {
  std::array<std::uint16_t, 256> code{};
  std::array<std::uint8_t, 256> length{};
  std::array<std::uint8_t, 16> counts{};
  std::vector<std::uint8_t> symbols;
};

// Optimal code lengths limited to 16 bits from symbol frequencies (T.81 K.2, Figures K.1-K.4).
HuffmanCode build_code(std::array<std::uint64_t, 257> freq) {
  freq[256] = 1;  // the reserved code point, so that no code is all ones
  std::array<int, 257> size{};
  std::array<int, 257> others;
  others.fill(-1);
  while (true) {
    int v1 = -1;
    int v2 = -1;
    for (int i = 0; i <= 256; ++i) {  // v1: least frequency (largest index on ties)
      if (freq[static_cast<std::size_t>(i)] != 0 &&
          (v1 < 0 || freq[static_cast<std::size_t>(i)] <= freq[static_cast<std::size_t>(v1)])) {
        v1 = i;
      }
    }
    for (int i = 0; i <= 256; ++i) {
      if (i != v1 && freq[static_cast<std::size_t>(i)] != 0 &&
          (v2 < 0 || freq[static_cast<std::size_t>(i)] <= freq[static_cast<std::size_t>(v2)])) {
        v2 = i;
      }
    }
    if (v2 < 0) break;
    freq[static_cast<std::size_t>(v1)] += freq[static_cast<std::size_t>(v2)];
    freq[static_cast<std::size_t>(v2)] = 0;
    ++size[static_cast<std::size_t>(v1)];
    while (others[static_cast<std::size_t>(v1)] >= 0) {
      v1 = others[static_cast<std::size_t>(v1)];
      ++size[static_cast<std::size_t>(v1)];
    }
    others[static_cast<std::size_t>(v1)] = v2;
    ++size[static_cast<std::size_t>(v2)];
    while (others[static_cast<std::size_t>(v2)] >= 0) {
      v2 = others[static_cast<std::size_t>(v2)];
      ++size[static_cast<std::size_t>(v2)];
    }
  }
  std::array<int, 33> bits{};
  for (int i = 0; i <= 256; ++i) {
    if (size[static_cast<std::size_t>(i)] > 0)
      ++bits[static_cast<std::size_t>(size[static_cast<std::size_t>(i)])];
  }
  // Limit code lengths to 16 (Figure K.3).
  for (int i = 32; i > 16; --i) {
    while (bits[static_cast<std::size_t>(i)] > 0) {
      int j = i - 2;
      while (bits[static_cast<std::size_t>(j)] == 0) --j;
      bits[static_cast<std::size_t>(i)] -= 2;
      bits[static_cast<std::size_t>(i - 1)] += 1;
      bits[static_cast<std::size_t>(j + 1)] += 2;
      bits[static_cast<std::size_t>(j)] -= 1;
    }
  }
  int i = 16;
  while (bits[static_cast<std::size_t>(i)] == 0) --i;
  bits[static_cast<std::size_t>(i)] -= 1;  // remove the reserved code point
  HuffmanCode result;
  for (int length = 1; length <= 16; ++length) {
    result.counts[static_cast<std::size_t>(length - 1)] =
        static_cast<std::uint8_t>(bits[static_cast<std::size_t>(length)]);
  }
  // Symbols sorted by code size (Figure K.4), then codes assigned canonically (Annex C).
  for (int length = 1; length <= 32; ++length) {
    for (int s = 0; s < 256; ++s) {
      if (size[static_cast<std::size_t>(s)] == length) {
        result.symbols.push_back(static_cast<std::uint8_t>(s));
      }
    }
  }
  std::uint32_t code = 0;
  std::size_t k = 0;
  for (int length = 1; length <= 16; ++length) {
    for (int n = 0; n < result.counts[static_cast<std::size_t>(length - 1)]; ++n) {
      const std::uint8_t s = result.symbols[k++];
      result.code[s] = static_cast<std::uint16_t>(code);
      result.length[s] = static_cast<std::uint8_t>(length);
      ++code;
    }
    code <<= 1;
  }
  result.symbols.resize(k);
  return result;
}

void write_huffman(std::vector<std::uint8_t>& out, int table_class, int id,
                   const HuffmanCode& code) {
  put_marker(out, kDHT);
  put16(out, 2 + 1 + 16 + code.symbols.size());
  out.push_back(static_cast<std::uint8_t>((table_class << 4) | id));
  out.insert(out.end(), code.counts.begin(), code.counts.end());
  out.insert(out.end(), code.symbols.begin(), code.symbols.end());
}

void write_frame(std::vector<std::uint8_t>& out, std::uint8_t marker, const PlanarImage& image,
                 bool with_quant_tables) {
  put_marker(out, marker);
  put16(out, 8 + 3 * image.components);
  out.push_back(static_cast<std::uint8_t>(image.precision));
  put16(out, image.height);
  put16(out, image.width);
  out.push_back(static_cast<std::uint8_t>(image.components));
  for (std::size_t c = 0; c < image.components; ++c) {
    out.push_back(static_cast<std::uint8_t>(c + 1));
    out.push_back(0x11);
    out.push_back(with_quant_tables && c > 0 ? 1 : 0);
  }
}

int category(int value) {
  unsigned magnitude = static_cast<unsigned>(value < 0 ? -value : value);
  int n = 0;
  while (magnitude != 0) {
    ++n;
    magnitude >>= 1;
  }
  return n;
}

Status check_image(const PlanarImage& image) {
  if (image.width == 0 || image.height == 0 || image.width > 65535 || image.height > 65535) {
    return Error(ErrorCode::InvalidArgument, "JPEG: image size " + std::to_string(image.width) +
                                                 "x" + std::to_string(image.height) +
                                                 " cannot be encoded (1..65535)");
  }
  if (image.components == 0 || image.components > 4) {
    return Error(ErrorCode::InvalidArgument, "JPEG: 1..4 components can be encoded");
  }
  if (image.samples.size() < std::size_t{image.width} * image.height * image.components) {
    return Error(ErrorCode::InvalidArgument, "JPEG: fewer samples than the image size");
  }
  return {};
}

}  // namespace

// --- Lossless ---------------------------------------------------------------------------------

Result<std::vector<std::uint8_t>> encode_lossless(const PlanarImage& image,
                                                  const LosslessParams& params) {
  DCMKIT_TRY(check_image(image));
  if (image.precision < 2 || image.precision > 16) {
    return Error(ErrorCode::InvalidArgument,
                 "JPEG lossless: precision " + std::to_string(image.precision) + " (2..16)");
  }
  if (params.predictor < 1 || params.predictor > 7 || params.point_transform < 0 ||
      params.point_transform >= static_cast<int>(image.precision)) {
    return Error(ErrorCode::InvalidArgument,
                 "JPEG lossless: bad selection value or point transform");
  }
  const std::size_t width = image.width;
  const std::size_t height = image.height;
  const std::size_t n = image.components;
  const int pt = params.point_transform;
  const auto mask = static_cast<std::uint32_t>((1u << image.precision) - 1);
  const int initial = 1 << (static_cast<int>(image.precision) - pt - 1);

  // The differences (as T.81 H.1.2.2 codes them: modulo 2^16), one pass to count categories.
  std::vector<std::int32_t> diffs(width * height * n);
  std::array<std::uint64_t, 257> freq{};
  std::vector<std::uint16_t> plane(width * height);
  for (std::size_t c = 0; c < n; ++c) {
    const std::uint16_t* in = image.plane(c);
    for (std::size_t i = 0; i < width * height; ++i) {
      plane[i] = static_cast<std::uint16_t>((in[i] & mask) >> pt);
    }
    for (std::size_t y = 0; y < height; ++y) {
      const std::uint16_t* p = plane.data() + y * width;
      const std::uint16_t* up = y > 0 ? p - width : p;  // the line above, read when y > 0
      for (std::size_t x = 0; x < width; ++x) {
        int prediction;
        if (y == 0) {
          prediction = x == 0 ? initial : p[x - 1];
        } else if (x == 0) {
          prediction = up[x];
        } else {
          const int ra = p[x - 1];
          const int rb = up[x];
          const int rc = up[x - 1];
          switch (params.predictor) {
            case 1:
              prediction = ra;
              break;
            case 2:
              prediction = rb;
              break;
            case 3:
              prediction = rc;
              break;
            case 4:
              prediction = ra + rb - rc;
              break;
            case 5:
              prediction = ra + ((rb - rc) >> 1);
              break;
            case 6:
              prediction = rb + ((ra - rc) >> 1);
              break;
            default:
              prediction = (ra + rb) >> 1;
              break;
          }
        }
        int diff = (static_cast<int>(p[x]) - prediction) & 0xFFFF;
        if (diff >= 32768) diff -= 65536;  // -32768 is coded as +32768 (SSSS 16)
        const int s = diff == -32768 ? 16 : category(diff);
        ++freq[static_cast<std::size_t>(s)];
        // Interleaved order: sample (y, x) of every component in turn.
        diffs[(y * width + x) * n + c] = diff;
      }
    }
  }
  const HuffmanCode code = build_code(freq);

  std::vector<std::uint8_t> out;
  out.reserve(width * height * n);
  put_marker(out, kSOI);
  write_frame(out, kSOF3, image, false);
  write_huffman(out, 0, 0, code);
  put_marker(out, kSOS);
  put16(out, 6 + 2 * n);
  out.push_back(static_cast<std::uint8_t>(n));
  for (std::size_t c = 0; c < n; ++c) {
    out.push_back(static_cast<std::uint8_t>(c + 1));
    out.push_back(0x00);
  }
  out.push_back(static_cast<std::uint8_t>(params.predictor));
  out.push_back(0);
  out.push_back(static_cast<std::uint8_t>(pt));
  BitWriter writer(out);
  for (const std::int32_t diff : diffs) {
    if (diff == -32768) {
      writer.put(code.code[16], code.length[16]);
      continue;
    }
    const int s = category(diff);
    writer.put(code.code[static_cast<std::size_t>(s)], code.length[static_cast<std::size_t>(s)]);
    if (s > 0) {
      const int bits = diff < 0 ? diff - 1 : diff;
      writer.put(static_cast<std::uint32_t>(bits), s);
    }
  }
  writer.flush();
  put_marker(out, kEOI);
  return out;
}

// --- 12-bit DCT -------------------------------------------------------------------------------

void scaled_quant_table(int quality, bool chroma, bool force_baseline,
                        std::span<std::uint16_t, 64> table) {
  // T.81 Tables K.1 and K.2 (natural order).
  static constexpr std::array<std::uint16_t, 64> kLuma = {
      16, 11, 10, 16, 24,  40,  51,  61,  12, 12, 14, 19, 26,  58,  60,  55,
      14, 13, 16, 24, 40,  57,  69,  56,  14, 17, 22, 29, 51,  87,  80,  62,
      18, 22, 37, 56, 68,  109, 103, 77,  24, 35, 55, 64, 81,  104, 113, 92,
      49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};
  static constexpr std::array<std::uint16_t, 64> kChroma = {
      17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99,
      99, 99, 47, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
      99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99};
  quality = std::clamp(quality, 1, 100);
  const long scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
  const auto& base = chroma ? kChroma : kLuma;
  for (std::size_t i = 0; i < 64; ++i) {
    long value = (base[i] * scale + 50) / 100;
    value = std::clamp(value, 1L, force_baseline ? 255L : 32767L);
    table[i] = static_cast<std::uint16_t>(value);
  }
}

namespace {

// The islow forward DCT (the LLM algorithm with 13-bit constants), output scaled by 8.
void fdct_islow(std::array<std::int64_t, 64>& d, int pass1) {
  constexpr int kConstBits = 13;
  const auto descale = [](std::int64_t x, int n) {
    return (x + (std::int64_t{1} << (n - 1))) >> n;
  };
  for (int pass = 0; pass < 2; ++pass) {
    for (int i = 0; i < 8; ++i) {
      const auto at = [&](int k) -> std::int64_t& {
        return d[static_cast<std::size_t>(pass == 0 ? i * 8 + k : k * 8 + i)];
      };
      const std::int64_t t0 = at(0) + at(7), t7 = at(0) - at(7);
      const std::int64_t t1 = at(1) + at(6), t6 = at(1) - at(6);
      const std::int64_t t2 = at(2) + at(5), t5 = at(2) - at(5);
      const std::int64_t t3 = at(3) + at(4), t4 = at(3) - at(4);
      const std::int64_t t10 = t0 + t3, t13 = t0 - t3, t11 = t1 + t2, t12 = t1 - t2;
      const int even_shift = pass == 0 ? -pass1 : pass1;
      const int odd_shift = pass == 0 ? kConstBits - pass1 : kConstBits + pass1;
      if (even_shift < 0) {
        at(0) = (t10 + t11) * (std::int64_t{1} << pass1);
        at(4) = (t10 - t11) * (std::int64_t{1} << pass1);
      } else {
        at(0) = descale(t10 + t11, even_shift);
        at(4) = descale(t10 - t11, even_shift);
      }
      const std::int64_t z1 = (t12 + t13) * 4433;
      at(2) = descale(z1 + t13 * 6270, odd_shift);
      at(6) = descale(z1 - t12 * 15137, odd_shift);
      std::int64_t a1 = t4 + t7, a2 = t5 + t6, a3 = t4 + t6, a4 = t5 + t7;
      const std::int64_t z5 = (a3 + a4) * 9633;
      const std::int64_t b4 = t4 * 2446, b5 = t5 * 16819, b6 = t6 * 25172, b7 = t7 * 12299;
      a1 *= -7373;
      a2 *= -20995;
      a3 = a3 * -16069 + z5;
      a4 = a4 * -3196 + z5;
      at(7) = descale(b4 + a1 + a3, odd_shift);
      at(5) = descale(b5 + a2 + a4, odd_shift);
      at(3) = descale(b6 + a2 + a3, odd_shift);
      at(1) = descale(b7 + a1 + a4, odd_shift);
    }
  }
}

// One scan of a progressive script (T.81 G.1.1.1): its components, spectral band and
// successive approximation bit positions.
struct ProgressiveScan {
  std::vector<std::size_t> components;
  int ss = 0;
  int se = 0;
  int ah = 0;
  int al = 0;
};

// The scan scripts of DCMTK 3.6.7's 12-bit encoder (as its output shows): spectral selection
// without successive approximation, and IJG's simple progression (with its own order for three
// components coded as YCbCr).
std::vector<ProgressiveScan> progressive_script(std::size_t n, bool ycc, bool spectral_only) {
  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), std::size_t{0});
  std::vector<ProgressiveScan> scans;
  if (spectral_only) {
    scans.push_back({all, 0, 0, 0, 0});
    if (n == 3) {
      scans.push_back({{0}, 1, 2, 0, 0});
      scans.push_back({{0}, 3, 5, 0, 0});
      scans.push_back({{1}, 1, 63, 0, 0});
      scans.push_back({{2}, 1, 63, 0, 0});
      scans.push_back({{0}, 6, 9, 0, 0});
      scans.push_back({{0}, 10, 63, 0, 0});
    } else {
      for (std::size_t c = 0; c < n; ++c) {
        scans.push_back({{c}, 1, 5, 0, 0});
        scans.push_back({{c}, 6, 63, 0, 0});
      }
    }
    return scans;
  }
  if (n == 3 && ycc) {
    scans = {{all, 0, 0, 0, 1},  {{0}, 1, 5, 0, 2},  {{2}, 1, 63, 0, 1}, {{1}, 1, 63, 0, 1},
             {{0}, 6, 63, 0, 2}, {{0}, 1, 63, 2, 1}, {all, 0, 0, 1, 0},  {{2}, 1, 63, 1, 0},
             {{1}, 1, 63, 1, 0}, {{0}, 1, 63, 1, 0}};
    return scans;
  }
  scans.push_back({all, 0, 0, 0, 1});
  for (std::size_t c = 0; c < n; ++c) scans.push_back({{c}, 1, 5, 0, 2});
  for (std::size_t c = 0; c < n; ++c) scans.push_back({{c}, 6, 63, 0, 2});
  for (std::size_t c = 0; c < n; ++c) scans.push_back({{c}, 1, 63, 2, 1});
  scans.push_back({all, 0, 0, 1, 0});
  for (std::size_t c = 0; c < n; ++c) scans.push_back({{c}, 1, 63, 1, 0});
  return scans;
}

// Where the symbols and bits of a scan go: Huffman statistics (first pass) or the output.
class ScanSink {
 public:
  explicit ScanSink(std::array<std::array<std::uint64_t, 257>, 2>& freq) : freq_(&freq) {}
  ScanSink(const std::array<HuffmanCode, 2>& codes, BitWriter& writer)
      : codes_(&codes), writer_(&writer) {}

  void symbol(std::size_t table, std::size_t s) {
    if (writer_ != nullptr) {
      writer_->put((*codes_)[table].code[s], (*codes_)[table].length[s]);
    } else {
      ++(*freq_)[table][s];
    }
  }
  void bits(std::uint32_t value, int n) {
    if (writer_ != nullptr) writer_->put(value, n);
  }

 private:
  std::array<std::array<std::uint64_t, 257>, 2>* freq_ = nullptr;
  const std::array<HuffmanCode, 2>* codes_ = nullptr;
  BitWriter* writer_ = nullptr;
};

// Codes one progressive scan (T.81 G.1.2) of quantized coefficients (64 per block, natural
// order, `blocks` blocks per component, components one after the other).
class ProgressiveScanCoder {
 public:
  ProgressiveScanCoder(const std::vector<std::int32_t>& coefficients, std::size_t blocks,
                       std::size_t tables)
      : coefficients_(coefficients), blocks_(blocks), tables_(tables) {}

  void code(const ProgressiveScan& scan, ScanSink& sink) {
    eob_run_ = 0;
    eob_bits_.clear();
    if (scan.ss == 0) {
      code_dc(scan, sink);
    } else if (scan.ah == 0) {
      code_ac_first(scan, sink);
    } else {
      code_ac_refine(scan, sink);
    }
  }

  std::size_t table_of(std::size_t component) const { return component > 0 && tables_ > 1 ? 1 : 0; }

 private:
  const std::int32_t* block(std::size_t c, std::size_t b) const {
    return coefficients_.data() + (c * blocks_ + b) * 64;
  }

  // DC first scans code the point-transformed DC differences, refinement scans one bit each
  // (interleaved: with 1x1 sampling an MCU is one block of each component).
  void code_dc(const ProgressiveScan& scan, ScanSink& sink) {
    std::vector<std::int32_t> previous(scan.components.size(), 0);
    for (std::size_t b = 0; b < blocks_; ++b) {
      for (std::size_t i = 0; i < scan.components.size(); ++i) {
        const std::size_t c = scan.components[i];
        const std::int32_t value = block(c, b)[0] >> scan.al;  // arithmetic shift (C++20)
        if (scan.ah != 0) {
          sink.bits(static_cast<std::uint32_t>(value) & 1u, 1);
          continue;
        }
        const std::int32_t diff = value - previous[i];
        previous[i] = value;
        const int s = category(diff);
        sink.symbol(table_of(c), static_cast<std::size_t>(s));
        if (s > 0) sink.bits(static_cast<std::uint32_t>(diff < 0 ? diff - 1 : diff), s);
      }
    }
  }

  // Ends a run of end-of-band blocks: EOBn and the run length's low bits, then the correction
  // bits that wait for it (refinement scans).
  void flush_eob_run(std::size_t table, ScanSink& sink) {
    if (eob_run_ == 0) return;
    const int n = category(static_cast<int>(eob_run_)) - 1;
    sink.symbol(table, static_cast<std::size_t>(n << 4));
    if (n > 0) sink.bits(eob_run_, n);
    eob_run_ = 0;
    for (const std::uint8_t bit : eob_bits_) sink.bits(bit, 1);
    eob_bits_.clear();
  }

  void code_ac_first(const ProgressiveScan& scan, ScanSink& sink) {
    const std::size_t c = scan.components[0];
    const std::size_t t = table_of(c);
    for (std::size_t b = 0; b < blocks_; ++b) {
      const std::int32_t* coef = block(c, b);
      int run = 0;
      for (int k = scan.ss; k <= scan.se; ++k) {
        const std::int32_t v = coef[kZigzag[static_cast<std::size_t>(k)]];
        const std::int32_t magnitude = (v < 0 ? -v : v) >> scan.al;
        if (magnitude == 0) {
          ++run;
          continue;
        }
        flush_eob_run(t, sink);
        while (run > 15) {
          sink.symbol(t, 0xF0);
          run -= 16;
        }
        const int s = category(magnitude);
        sink.symbol(t, static_cast<std::size_t>((run << 4) | s));
        sink.bits(static_cast<std::uint32_t>(v < 0 ? ~magnitude : magnitude), s);
        run = 0;
      }
      if (run > 0 && ++eob_run_ == kMaxEobRun) flush_eob_run(t, sink);
    }
    flush_eob_run(t, sink);
  }

  // T.81 G.1.2.3: coefficients that become nonzero at this bit are coded with their run and
  // sign; those nonzero already get one correction bit each, sent after the next symbol.
  void code_ac_refine(const ProgressiveScan& scan, ScanSink& sink) {
    const std::size_t c = scan.components[0];
    const std::size_t t = table_of(c);
    std::array<std::int32_t, 64> magnitudes{};
    std::vector<std::uint8_t> pending;
    for (std::size_t b = 0; b < blocks_; ++b) {
      const std::int32_t* coef = block(c, b);
      int last_new = 0;  // the band position of the last coefficient that becomes nonzero
      for (int k = scan.ss; k <= scan.se; ++k) {
        const std::int32_t v = coef[kZigzag[static_cast<std::size_t>(k)]];
        magnitudes[static_cast<std::size_t>(k)] = (v < 0 ? -v : v) >> scan.al;
        if (magnitudes[static_cast<std::size_t>(k)] == 1) last_new = k;
      }
      int run = 0;
      pending.clear();
      for (int k = scan.ss; k <= scan.se; ++k) {
        const std::int32_t magnitude = magnitudes[static_cast<std::size_t>(k)];
        if (magnitude == 0) {
          ++run;
          continue;
        }
        // Runs of 16 zeros before the last new coefficient need ZRLs; later ones end the band.
        while (run > 15 && k <= last_new) {
          flush_eob_run(t, sink);
          sink.symbol(t, 0xF0);
          run -= 16;
          for (const std::uint8_t bit : pending) sink.bits(bit, 1);
          pending.clear();
        }
        if (magnitude > 1) {
          pending.push_back(static_cast<std::uint8_t>(magnitude & 1));
          continue;
        }
        flush_eob_run(t, sink);
        sink.symbol(t, static_cast<std::size_t>((run << 4) | 1));
        sink.bits(coef[kZigzag[static_cast<std::size_t>(k)]] < 0 ? 0u : 1u, 1);
        for (const std::uint8_t bit : pending) sink.bits(bit, 1);
        pending.clear();
        run = 0;
      }
      if (run > 0 || !pending.empty()) {
        ++eob_run_;
        eob_bits_.insert(eob_bits_.end(), pending.begin(), pending.end());
        // Bounded as IJG bounds it, so that the correction bits of a run stay few.
        if (eob_run_ == kMaxEobRun || eob_bits_.size() > kMaxEobBits) flush_eob_run(t, sink);
      }
    }
    flush_eob_run(t, sink);
  }

  static constexpr std::uint32_t kMaxEobRun = 0x7FFF;
  static constexpr std::size_t kMaxEobBits = 937;

  const std::vector<std::int32_t>& coefficients_;
  std::size_t blocks_;
  std::size_t tables_;
  std::uint32_t eob_run_ = 0;
  std::vector<std::uint8_t> eob_bits_;
};

void write_quant_tables(std::vector<std::uint8_t>& out,
                        const std::array<std::array<std::uint16_t, 64>, 2>& quant,
                        std::size_t tables) {
  for (std::size_t t = 0; t < tables; ++t) {
    const bool wide = std::any_of(quant[t].begin(), quant[t].end(), [](auto v) { return v > 255; });
    put_marker(out, kDQT);
    put16(out, 2 + 1 + (wide ? 128 : 64));
    out.push_back(static_cast<std::uint8_t>((wide ? std::size_t{0x10} : std::size_t{0}) | t));
    for (std::size_t k = 0; k < 64; ++k) {
      const std::uint16_t v = quant[t][kZigzag[k]];
      if (wide) out.push_back(static_cast<std::uint8_t>(v >> 8));
      out.push_back(static_cast<std::uint8_t>(v & 0xFF));
    }
  }
}

// The progressive DCT process (SOF2) over the quantized coefficients: each scan of the script
// with its own optimal Huffman tables (one statistics pass, then the coding pass).
std::vector<std::uint8_t> encode_progressive(
    const PlanarImage& image, const std::array<std::array<std::uint16_t, 64>, 2>& quant,
    std::size_t tables, const std::vector<std::int32_t>& coefficients, std::size_t blocks,
    bool spectral_only) {
  std::vector<std::uint8_t> out;
  put_marker(out, kSOI);
  write_quant_tables(out, quant, tables);
  write_frame(out, kSOF2, image, tables > 1);
  ProgressiveScanCoder coder(coefficients, blocks, tables);
  for (const ProgressiveScan& scan :
       progressive_script(image.components, tables > 1, spectral_only)) {
    const bool dc = scan.ss == 0;
    std::array<HuffmanCode, 2> codes;
    if (!(dc && scan.ah != 0)) {  // DC refinement bits are not Huffman coded
      std::array<std::array<std::uint64_t, 257>, 2> freq{};
      ScanSink counter(freq);
      coder.code(scan, counter);
      std::array<bool, 2> used{};
      for (const std::size_t c : scan.components) used[coder.table_of(c)] = true;
      for (std::size_t t = 0; t < 2; ++t) {
        if (!used[t]) continue;
        codes[t] = build_code(freq[t]);
        write_huffman(out, dc ? 0 : 1, static_cast<int>(t), codes[t]);
      }
    }
    put_marker(out, kSOS);
    put16(out, 6 + 2 * scan.components.size());
    out.push_back(static_cast<std::uint8_t>(scan.components.size()));
    for (const std::size_t c : scan.components) {
      const std::size_t t = coder.table_of(c);
      out.push_back(static_cast<std::uint8_t>(c + 1));
      out.push_back(static_cast<std::uint8_t>(dc ? t << 4 : t));
    }
    out.push_back(static_cast<std::uint8_t>(scan.ss));
    out.push_back(static_cast<std::uint8_t>(scan.se));
    out.push_back(static_cast<std::uint8_t>((scan.ah << 4) | scan.al));
    BitWriter writer(out);
    ScanSink sink(codes, writer);
    coder.code(scan, sink);
    writer.flush();
  }
  put_marker(out, kEOI);
  return out;
}

}  // namespace

Result<std::vector<std::uint8_t>> encode_dct(const PlanarImage& image, const DctParams& params) {
  DCMKIT_TRY(check_image(image));
  if (image.precision != 8 && image.precision != 12) {
    return Error(ErrorCode::InvalidArgument, "JPEG DCT: precision must be 8 or 12");
  }
  const std::size_t width = image.width;
  const std::size_t height = image.height;
  const std::size_t n = image.components;
  const int center = 1 << (image.precision - 1);
  const int max_sample = (1 << image.precision) - 1;
  const int pass1 = image.precision == 8 ? 2 : 1;
  const bool ycc = (params.ycc || params.ycc_input) && n == 3;

  // Planes to code (RGB -> YCbCr with the JFIF equations when asked).
  std::vector<std::uint16_t> planes(
      image.samples.begin(),
      image.samples.begin() + static_cast<std::ptrdiff_t>(width * height * n));
  if (ycc && !params.ycc_input) {
    for (std::size_t i = 0; i < width * height; ++i) {
      const double r = planes[i];
      const double g = planes[width * height + i];
      const double b = planes[2 * width * height + i];
      const auto clamp = [&](double v) {
        return static_cast<std::uint16_t>(std::clamp(std::lround(v), 0L, long{max_sample}));
      };
      planes[i] = clamp(0.299 * r + 0.587 * g + 0.114 * b);
      planes[width * height + i] = clamp(-0.168736 * r - 0.331264 * g + 0.5 * b + center);
      planes[2 * width * height + i] = clamp(0.5 * r - 0.418688 * g - 0.081312 * b + center);
    }
  }
  std::array<std::array<std::uint16_t, 64>, 2> quant{};
  scaled_quant_table(params.quality, false, false, quant[0]);
  scaled_quant_table(params.quality, true, false, quant[1]);

  // Quantized coefficients of every block, then Huffman statistics, then the bits.
  const std::size_t bx = (width + 7) / 8;
  const std::size_t by = (height + 7) / 8;
  std::vector<std::int32_t> coefficients(bx * by * 64 * n);
  std::array<std::array<std::uint64_t, 257>, 2> dc_freq{};
  std::array<std::array<std::uint64_t, 257>, 2> ac_freq{};
  for (std::size_t c = 0; c < n; ++c) {
    const std::uint16_t* plane = planes.data() + c * width * height;
    const auto& q = quant[c > 0 && ycc ? 1 : 0];
    const std::size_t t = c > 0 && ycc ? 1 : 0;
    int previous_dc = 0;
    for (std::size_t y = 0; y < by; ++y) {
      for (std::size_t x = 0; x < bx; ++x) {
        std::array<std::int64_t, 64> block{};
        for (std::size_t r = 0; r < 8; ++r) {
          const std::size_t sy = std::min(y * 8 + r, height - 1);  // edge replication
          for (std::size_t k = 0; k < 8; ++k) {
            const std::size_t sx = std::min(x * 8 + k, width - 1);
            block[r * 8 + k] = std::int64_t{plane[sy * width + sx]} - center;
          }
        }
        fdct_islow(block, pass1);
        std::int32_t* out = coefficients.data() + ((c * by + y) * bx + x) * 64;
        for (std::size_t i = 0; i < 64; ++i) {
          const std::int64_t divisor = std::int64_t{q[i]} * 8;
          std::int64_t v = block[i];
          v = v < 0 ? -((-v + divisor / 2) / divisor) : (v + divisor / 2) / divisor;
          out[i] = static_cast<std::int32_t>(v);
        }
        const int diff = out[0] - previous_dc;
        previous_dc = out[0];
        ++dc_freq[t][static_cast<std::size_t>(category(diff))];
        int run = 0;
        for (std::size_t k = 1; k < 64; ++k) {
          const std::int32_t v = out[kZigzag[k]];
          if (v == 0) {
            ++run;
            continue;
          }
          while (run > 15) {
            ++ac_freq[t][0xF0];
            run -= 16;
          }
          ++ac_freq[t][static_cast<std::size_t>((run << 4) | category(v))];
          run = 0;
        }
        if (run > 0) ++ac_freq[t][0];
      }
    }
  }
  const std::size_t tables = ycc ? 2 : 1;
  if (params.progressive) {
    return encode_progressive(image, quant, tables, coefficients, bx * by, params.spectral_only);
  }
  std::array<HuffmanCode, 2> dc_codes;
  std::array<HuffmanCode, 2> ac_codes;
  for (std::size_t t = 0; t < tables; ++t) {
    dc_codes[t] = build_code(dc_freq[t]);
    ac_codes[t] = build_code(ac_freq[t]);
  }

  std::vector<std::uint8_t> out;
  put_marker(out, kSOI);
  write_quant_tables(out, quant, tables);
  write_frame(out, kSOF1, image, ycc);
  for (std::size_t t = 0; t < tables; ++t) {
    write_huffman(out, 0, static_cast<int>(t), dc_codes[t]);
    write_huffman(out, 1, static_cast<int>(t), ac_codes[t]);
  }
  // One scan per component (non-interleaved), which needs no MCU bookkeeping.
  for (std::size_t c = 0; c < n; ++c) {
    const std::size_t t = c > 0 && ycc ? 1 : 0;
    put_marker(out, kSOS);
    put16(out, 8);
    out.push_back(1);
    out.push_back(static_cast<std::uint8_t>(c + 1));
    out.push_back(static_cast<std::uint8_t>((t << 4) | t));
    out.push_back(0);
    out.push_back(63);
    out.push_back(0);
    BitWriter writer(out);
    int previous_dc = 0;
    for (std::size_t b = 0; b < bx * by; ++b) {
      const std::int32_t* coef = coefficients.data() + (c * bx * by + b) * 64;
      const auto emit = [&](const HuffmanCode& code, std::size_t symbol, int value, int size) {
        writer.put(code.code[symbol], code.length[symbol]);
        if (size > 0) writer.put(static_cast<std::uint32_t>(value < 0 ? value - 1 : value), size);
      };
      const int diff = coef[0] - previous_dc;
      previous_dc = coef[0];
      const int s = category(diff);
      emit(dc_codes[t], static_cast<std::size_t>(s), diff, s);
      int run = 0;
      for (std::size_t k = 1; k < 64; ++k) {
        const std::int32_t v = coef[kZigzag[k]];
        if (v == 0) {
          ++run;
          continue;
        }
        while (run > 15) {
          emit(ac_codes[t], 0xF0, 0, 0);
          run -= 16;
        }
        const int size = category(v);
        emit(ac_codes[t], static_cast<std::size_t>((run << 4) | size), v, size);
        run = 0;
      }
      if (run > 0) emit(ac_codes[t], 0, 0, 0);
    }
    writer.flush();
  }
  put_marker(out, kEOI);
  return out;
}

}  // namespace dcmkit::dcmimage::detail

// SPDX-License-Identifier: BSD-3-Clause
// dcmkit's own JPEG encoders: lossless (T.81 Annex H) at 2..16 bits and the extended
// sequential and progressive DCT processes at 12 bits (Annexes F and G), all with optimal
// Huffman tables (Annex K.2). Colour is converted and downsampled as the IJG library does by
// default, so that decoders see the quantized coefficients of DCMTK's 12-bit encoder.
#include <algorithm>
#include <array>
#include <numeric>
#include <span>
#include <string>
#include <vector>

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

// One component of a frame header (T.81 B.2.2): identifier, sampling factors H << 4 | V and
// quantization table.
struct FrameSpec {
  std::uint8_t id = 1;
  std::uint8_t sampling = 0x11;
  std::uint8_t table = 0;
};

// SOI and the marker IJG (so DCMTK) writes after it for the colour space its component IDs
// name: JFIF APP0 (version 1.01, no density, no thumbnail) for grayscale and YCbCr (IDs 1, 2, 3),
// Adobe APP14 with transform 0 for RGB ('R', 'G', 'B'), nothing for other IDs (DCMTK's true
// lossless colour, IDs 0, 1, 2). Decoders guess the colour model from them (dcmdjpeg +cg), and
// the stream is as long as DCMTK's, so the compression ratios agree.
void start_stream(std::vector<std::uint8_t>& out, std::span<const FrameSpec> components) {
  put_marker(out, kSOI);
  const auto ids_are = [&](std::uint8_t a, std::uint8_t b, std::uint8_t c) {
    return components.size() == 3 && components[0].id == a && components[1].id == b &&
           components[2].id == c;
  };
  if (components.size() == 1 || ids_are(1, 2, 3)) {
    constexpr std::array<std::uint8_t, 16> kJfif = {0xFF, 0xE0, 0x00, 0x10, 'J',  'F',  'I',  'F',
                                                    0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01};
    out.insert(out.end(), kJfif.begin(), kJfif.end());
    out.push_back(0x00);  // no thumbnail
    out.push_back(0x00);
  } else if (ids_are('R', 'G', 'B')) {
    constexpr std::array<std::uint8_t, 16> kAdobe = {
        0xFF, 0xEE, 0x00, 0x0E, 'A', 'd', 'o', 'b', 'e', 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00};
    out.insert(out.end(), kAdobe.begin(), kAdobe.end());
  }
}

void write_frame(std::vector<std::uint8_t>& out, std::uint8_t marker, const PlanarImage& image,
                 std::span<const FrameSpec> components) {
  put_marker(out, marker);
  put16(out, 8 + 3 * components.size());
  out.push_back(static_cast<std::uint8_t>(image.precision));
  put16(out, image.height);
  put16(out, image.width);
  out.push_back(static_cast<std::uint8_t>(components.size()));
  for (const FrameSpec& c : components) {
    out.push_back(c.id);
    out.push_back(c.sampling);
    out.push_back(c.table);
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
  std::vector<FrameSpec> specs(n);
  for (std::size_t c = 0; c < n; ++c) {
    constexpr std::array<std::uint8_t, 3> kRgbIds = {'R', 'G', 'B'};
    switch (params.ids) {
      case LosslessIds::FromOne:
        specs[c].id = static_cast<std::uint8_t>(c + 1);
        break;
      case LosslessIds::FromZero:
        specs[c].id = static_cast<std::uint8_t>(c);
        break;
      case LosslessIds::Rgb:
        specs[c].id = n == 3 ? kRgbIds[c] : static_cast<std::uint8_t>(c + 1);
        break;
    }
  }
  start_stream(out, specs);
  write_frame(out, kSOF3, image, specs);
  write_huffman(out, 0, 0, code);
  put_marker(out, kSOS);
  put16(out, 6 + 2 * n);
  out.push_back(static_cast<std::uint8_t>(n));
  for (std::size_t c = 0; c < n; ++c) {
    out.push_back(specs[c].id);
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

// Where the symbols and bits of a scan go: Huffman statistics (first pass) or the output. Tables
// 0 and 1 are DC or AC tables 0 and 1 (progressive scans code one kind), 2 and 3 the AC tables
// of sequential scans.
class ScanSink {
 public:
  using Frequencies = std::array<std::array<std::uint64_t, 257>, 4>;
  using Codes = std::array<HuffmanCode, 4>;

  explicit ScanSink(Frequencies& freq) : freq_(&freq) {}
  ScanSink(const Codes& codes, BitWriter& writer) : codes_(&codes), writer_(&writer) {}

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
  Frequencies* freq_ = nullptr;
  const Codes* codes_ = nullptr;
  BitWriter* writer_ = nullptr;
};

// One component in the frame (T.81 A.1.1): its sampling factors, the blocks that hold samples
// of the (downsampled) image, and its quantized coefficients for the blocks padded to whole MCUs.
struct ComponentBlocks {
  std::size_t h = 1;
  std::size_t v = 1;
  std::size_t width_in_blocks = 0;
  std::size_t height_in_blocks = 0;
  std::size_t blocks_wide = 0;  // whole MCUs: what interleaved scans code
  std::size_t blocks_high = 0;
  std::size_t table = 0;                   // quantization and Huffman table
  std::vector<std::int32_t> coefficients;  // 64 per block (natural order), rows of blocks_wide

  std::int32_t* block(std::size_t x, std::size_t y) {
    return coefficients.data() + (y * blocks_wide + x) * 64;
  }
  const std::int32_t* block(std::size_t x, std::size_t y) const {
    return coefficients.data() + (y * blocks_wide + x) * 64;
  }
};

struct FrameBlocks {
  std::vector<ComponentBlocks> components;
  std::size_t mcus_wide = 0;
  std::size_t mcus_high = 0;
};

// Calls visit(i, block) for every block of a scan of the components `scan` in coding order
// (i indexes `scan`): a single component's own blocks row by row (T.81 A.2.2), else MCU by MCU,
// each holding H x V blocks of every component in turn, dummy blocks included (A.2.3).
template <class Visit>
void for_each_block(const FrameBlocks& frame, std::span<const std::size_t> scan, Visit&& visit) {
  if (scan.size() == 1) {
    const ComponentBlocks& c = frame.components[scan[0]];
    for (std::size_t y = 0; y < c.height_in_blocks; ++y) {
      for (std::size_t x = 0; x < c.width_in_blocks; ++x) visit(std::size_t{0}, c.block(x, y));
    }
    return;
  }
  for (std::size_t my = 0; my < frame.mcus_high; ++my) {
    for (std::size_t mx = 0; mx < frame.mcus_wide; ++mx) {
      for (std::size_t i = 0; i < scan.size(); ++i) {
        const ComponentBlocks& c = frame.components[scan[i]];
        for (std::size_t y = 0; y < c.v; ++y) {
          for (std::size_t x = 0; x < c.h; ++x) visit(i, c.block(mx * c.h + x, my * c.v + y));
        }
      }
    }
  }
}

// Codes one sequential scan (T.81 F.1.2): per block the DC difference, then the AC run/size
// symbols in zigzag order; DC with the component's table, AC with table 2 + it.
void code_sequential(const FrameBlocks& frame, std::span<const std::size_t> scan, ScanSink& sink) {
  std::vector<std::int32_t> previous(scan.size(), 0);
  for_each_block(frame, scan, [&](std::size_t i, const std::int32_t* coef) {
    const std::size_t t = frame.components[scan[i]].table;
    const std::int32_t diff = coef[0] - previous[i];
    previous[i] = coef[0];
    const int s = category(diff);
    sink.symbol(t, static_cast<std::size_t>(s));
    sink.bits(static_cast<std::uint32_t>(diff < 0 ? diff - 1 : diff), s);
    int run = 0;
    for (std::size_t k = 1; k < 64; ++k) {
      const std::int32_t v = coef[kZigzag[k]];
      if (v == 0) {
        ++run;
        continue;
      }
      while (run > 15) {
        sink.symbol(2 + t, 0xF0);
        run -= 16;
      }
      const int size = category(v);
      sink.symbol(2 + t, static_cast<std::size_t>((run << 4) | size));
      sink.bits(static_cast<std::uint32_t>(v < 0 ? v - 1 : v), size);
      run = 0;
    }
    if (run > 0) sink.symbol(2 + t, 0);
  });
}

// Codes one progressive scan (T.81 G.1.2) of the quantized coefficients.
class ProgressiveScanCoder {
 public:
  explicit ProgressiveScanCoder(const FrameBlocks& frame) : frame_(frame) {}

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

  std::size_t table_of(std::size_t component) const { return frame_.components[component].table; }

 private:
  // DC first scans code the point-transformed DC differences, refinement scans one bit each.
  void code_dc(const ProgressiveScan& scan, ScanSink& sink) {
    std::vector<std::int32_t> previous(scan.components.size(), 0);
    for_each_block(frame_, scan.components, [&](std::size_t i, const std::int32_t* coef) {
      const std::int32_t value = coef[0] >> scan.al;  // arithmetic shift (C++20)
      if (scan.ah != 0) {
        sink.bits(static_cast<std::uint32_t>(value) & 1u, 1);
        return;
      }
      const std::int32_t diff = value - previous[i];
      previous[i] = value;
      const int s = category(diff);
      sink.symbol(table_of(scan.components[i]), static_cast<std::size_t>(s));
      if (s > 0) sink.bits(static_cast<std::uint32_t>(diff < 0 ? diff - 1 : diff), s);
    });
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

  // AC scans hold one component (T.81 G.1.1.1.1), so they visit its own blocks.
  void code_ac_first(const ProgressiveScan& scan, ScanSink& sink) {
    const std::size_t t = table_of(scan.components[0]);
    for_each_block(frame_, scan.components, [&](std::size_t, const std::int32_t* coef) {
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
    });
    flush_eob_run(t, sink);
  }

  // T.81 G.1.2.3: coefficients that become nonzero at this bit are coded with their run and
  // sign; those nonzero already get one correction bit each, sent after the next symbol.
  void code_ac_refine(const ProgressiveScan& scan, ScanSink& sink) {
    const std::size_t t = table_of(scan.components[0]);
    std::array<std::int32_t, 64> magnitudes{};
    std::vector<std::uint8_t> pending;
    for_each_block(frame_, scan.components, [&](std::size_t, const std::int32_t* coef) {
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
    });
    flush_eob_run(t, sink);
  }

  static constexpr std::uint32_t kMaxEobRun = 0x7FFF;
  static constexpr std::size_t kMaxEobBits = 937;

  const FrameBlocks& frame_;
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

// Writes a scan header (T.81 B.2.3) for the components `scan`, with their DC and AC tables.
void write_scan_header(std::vector<std::uint8_t>& out, std::span<const FrameSpec> specs,
                       std::span<const std::size_t> scan, std::span<const std::uint8_t> tables,
                       int ss, int se, int ah, int al) {
  put_marker(out, kSOS);
  put16(out, 6 + 2 * scan.size());
  out.push_back(static_cast<std::uint8_t>(scan.size()));
  for (std::size_t i = 0; i < scan.size(); ++i) {
    out.push_back(specs[scan[i]].id);
    out.push_back(tables[i]);
  }
  out.push_back(static_cast<std::uint8_t>(ss));
  out.push_back(static_cast<std::uint8_t>(se));
  out.push_back(static_cast<std::uint8_t>((ah << 4) | al));
}

// The progressive DCT process (SOF2) over the quantized coefficients: each scan of the script
// with its own optimal Huffman tables (one statistics pass, then the coding pass).
std::vector<std::uint8_t> encode_progressive(
    const PlanarImage& image, const std::array<std::array<std::uint16_t, 64>, 2>& quant,
    std::size_t tables, std::span<const FrameSpec> specs, const FrameBlocks& frame,
    bool spectral_only) {
  std::vector<std::uint8_t> out;
  start_stream(out, specs);
  write_quant_tables(out, quant, tables);
  write_frame(out, kSOF2, image, specs);
  ProgressiveScanCoder coder(frame);
  for (const ProgressiveScan& scan :
       progressive_script(image.components, tables > 1, spectral_only)) {
    const bool dc = scan.ss == 0;
    ScanSink::Codes codes;
    if (!(dc && scan.ah != 0)) {  // DC refinement bits are not Huffman coded
      ScanSink::Frequencies freq{};
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
    std::vector<std::uint8_t> selectors;
    for (const std::size_t c : scan.components) {
      const std::size_t t = coder.table_of(c);
      selectors.push_back(static_cast<std::uint8_t>(dc ? t << 4 : t));
    }
    write_scan_header(out, specs, scan.components, selectors, scan.ss, scan.se, scan.ah, scan.al);
    BitWriter writer(out);
    ScanSink sink(codes, writer);
    coder.code(scan, sink);
    writer.flush();
  }
  put_marker(out, kEOI);
  return out;
}

// RGB -> YCbCr as IJG's encoder converts (the JFIF equations of T.871 in fixed point, as in its
// jccolor.c): coefficients scaled by 2^16 and rounded; Y rounded to nearest; Cb and Cr offset by
// the centre sample and rounded with a bias just under one half, which keeps them in range.
void rgb_to_ycc(std::span<std::uint16_t> planes, std::size_t count, std::uint32_t precision) {
  constexpr int kScaleBits = 16;
  constexpr auto fix = [](double x) {
    return static_cast<std::int64_t>(x * double{1 << kScaleBits} + 0.5);
  };
  constexpr std::int64_t kOneHalf = std::int64_t{1} << (kScaleBits - 1);
  const std::int64_t cbcr_offset = std::int64_t{1} << (precision - 1 + kScaleBits);
  std::uint16_t* red = planes.data();
  std::uint16_t* green = red + count;
  std::uint16_t* blue = green + count;
  for (std::size_t i = 0; i < count; ++i) {
    const std::int64_t r = red[i];
    const std::int64_t g = green[i];
    const std::int64_t b = blue[i];
    red[i] = static_cast<std::uint16_t>(
        (fix(0.29900) * r + fix(0.58700) * g + fix(0.11400) * b + kOneHalf) >> kScaleBits);
    green[i] = static_cast<std::uint16_t>(
        (-fix(0.16874) * r - fix(0.33126) * g + fix(0.5) * b + cbcr_offset + kOneHalf - 1) >>
        kScaleBits);
    blue[i] = static_cast<std::uint16_t>(
        (fix(0.5) * r - fix(0.41869) * g - fix(0.08131) * b + cbcr_offset + kOneHalf - 1) >>
        kScaleBits);
  }
}

// A component's samples as the DCT takes them, out_width x out_height (whole blocks): the plane
// downsampled by h_expand x v_expand as IJG's encoder does without smoothing (its jcsample.c:
// pairs averaged with a bias alternating 0, 1 along the row, 2x2 squares with 1, 2, other
// integer ratios rounded to nearest). As there, the image is first extended by replicating its
// last column and its last row to whole groups of v_max rows, and the rows downsampled from
// those are then replicated to whole blocks.
std::vector<std::uint16_t> downsample(const std::uint16_t* plane, std::size_t width,
                                      std::size_t height, std::size_t h_expand,
                                      std::size_t v_expand, std::size_t v_max,
                                      std::size_t out_width, std::size_t out_height) {
  std::vector<std::uint16_t> out(out_width * out_height);
  const std::size_t rows_made = (height + v_max - 1) / v_max * (v_max / v_expand);
  const auto count = static_cast<std::uint32_t>(h_expand * v_expand);
  for (std::size_t y = 0; y < out_height; ++y) {
    const std::size_t top = std::min(y, rows_made - 1) * v_expand;
    std::uint16_t* row = out.data() + y * out_width;
    for (std::size_t x = 0; x < out_width; ++x) {
      std::uint32_t sum = 0;
      for (std::size_t dy = 0; dy < v_expand; ++dy) {
        const std::uint16_t* in = plane + std::min(top + dy, height - 1) * width;
        for (std::size_t dx = 0; dx < h_expand; ++dx) {
          sum += in[std::min(x * h_expand + dx, width - 1)];
        }
      }
      std::uint32_t bias = count / 2;
      if (h_expand == 2 && v_expand == 1) bias = static_cast<std::uint32_t>(x & 1);
      if (h_expand == 2 && v_expand == 2) bias = 1 + static_cast<std::uint32_t>(x & 1);
      row[x] = static_cast<std::uint16_t>((sum + bias) / count);
    }
  }
  return out;
}

// The quantized DCT coefficients of one component, `samples` being whole blocks. Dummy blocks
// that complete the last MCUs are zero but for a DC equal to their neighbour's, as IJG makes
// them (they are never displayed; the equal DC costs least to code).
void transform(const std::vector<std::uint16_t>& samples, int center, int pass1,
               const std::array<std::uint16_t, 64>& quant, ComponentBlocks& c) {
  const std::size_t stride = c.width_in_blocks * 8;
  for (std::size_t by = 0; by < c.height_in_blocks; ++by) {
    for (std::size_t bx = 0; bx < c.width_in_blocks; ++bx) {
      std::array<std::int64_t, 64> block{};
      for (std::size_t r = 0; r < 8; ++r) {
        const std::uint16_t* in = samples.data() + (by * 8 + r) * stride + bx * 8;
        for (std::size_t k = 0; k < 8; ++k) block[r * 8 + k] = std::int64_t{in[k]} - center;
      }
      fdct_islow(block, pass1);
      std::int32_t* out = c.block(bx, by);
      for (std::size_t i = 0; i < 64; ++i) {
        const std::int64_t divisor = std::int64_t{quant[i]} * 8;
        const std::int64_t v = block[i];
        out[i] = static_cast<std::int32_t>(v < 0 ? -((-v + divisor / 2) / divisor)
                                                 : (v + divisor / 2) / divisor);
      }
    }
    for (std::size_t bx = c.width_in_blocks; bx < c.blocks_wide; ++bx) {
      c.block(bx, by)[0] = c.block(bx - 1, by)[0];
    }
  }
  for (std::size_t by = c.height_in_blocks; by < c.blocks_high; ++by) {
    for (std::size_t bx = 0; bx < c.blocks_wide; ++bx) {
      c.block(bx, by)[0] = c.block((bx / c.h) * c.h + c.h - 1, by - 1)[0];
    }
  }
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
  const std::size_t pixels = width * height;
  const int center = 1 << (image.precision - 1);
  const int max_sample = (1 << image.precision) - 1;
  const int pass1 = image.precision == 8 ? 2 : 1;
  const bool ycc = (params.ycc || params.ycc_input) && n == 3;
  const std::size_t h_luma = ycc ? static_cast<std::size_t>(params.luma_h) : 1;
  const std::size_t v_luma = ycc ? static_cast<std::size_t>(params.luma_v) : 1;
  if (params.luma_h < 1 || params.luma_h > 4 || params.luma_v < 1 || params.luma_v > 4 ||
      h_luma * v_luma > 8) {
    return Error(ErrorCode::InvalidArgument,
                 "JPEG DCT: luminance sampling " + std::to_string(params.luma_h) + "x" +
                     std::to_string(params.luma_v) + " (1..4 each, at most 8 blocks)");
  }

  // Planes to code (RGB -> YCbCr when asked).
  std::vector<std::uint16_t> planes(
      image.samples.begin(), image.samples.begin() + static_cast<std::ptrdiff_t>(pixels * n));
  if (std::any_of(planes.begin(), planes.end(), [&](std::uint16_t v) { return v > max_sample; })) {
    return Error(ErrorCode::InvalidArgument,
                 "JPEG DCT: a sample exceeds " + std::to_string(image.precision) + " bits");
  }
  if (ycc && !params.ycc_input) rgb_to_ycc(planes, pixels, image.precision);
  std::array<std::array<std::uint16_t, 64>, 2> quant{};
  scaled_quant_table(params.quality, false, false, quant[0]);
  scaled_quant_table(params.quality, true, false, quant[1]);

  // The frame's layout (T.81 A.1.1): Y sampled h_luma x v_luma, Cb and Cr 1x1 when coding
  // YCbCr; component identifiers 1, 2, 3 for YCbCr and grayscale, 'R', 'G', 'B' for RGB, as
  // IJG's library writes them (and readers take them as the colour space).
  FrameBlocks frame;
  frame.mcus_wide = (width + 8 * h_luma - 1) / (8 * h_luma);
  frame.mcus_high = (height + 8 * v_luma - 1) / (8 * v_luma);
  constexpr std::array<std::uint8_t, 3> kRgbIds = {'R', 'G', 'B'};
  std::vector<FrameSpec> specs(n);
  for (std::size_t c = 0; c < n; ++c) {
    ComponentBlocks blocks;
    blocks.h = c == 0 ? h_luma : 1;
    blocks.v = c == 0 ? v_luma : 1;
    blocks.table = c > 0 && ycc ? 1 : 0;
    blocks.width_in_blocks = (width * blocks.h + 8 * h_luma - 1) / (8 * h_luma);
    blocks.height_in_blocks = (height * blocks.v + 8 * v_luma - 1) / (8 * v_luma);
    blocks.blocks_wide = frame.mcus_wide * blocks.h;
    blocks.blocks_high = frame.mcus_high * blocks.v;
    blocks.coefficients.assign(blocks.blocks_wide * blocks.blocks_high * 64, 0);
    const std::vector<std::uint16_t> samples =
        downsample(planes.data() + c * pixels, width, height, h_luma / blocks.h, v_luma / blocks.v,
                   v_luma, blocks.width_in_blocks * 8, blocks.height_in_blocks * 8);
    transform(samples, center, pass1, quant[blocks.table], blocks);
    specs[c].id = n == 3 && !ycc ? kRgbIds[c] : static_cast<std::uint8_t>(c + 1);
    specs[c].sampling = static_cast<std::uint8_t>((blocks.h << 4) | blocks.v);
    specs[c].table = static_cast<std::uint8_t>(blocks.table);
    frame.components.push_back(std::move(blocks));
  }
  const std::size_t tables = ycc ? 2 : 1;
  if (params.progressive) {
    return encode_progressive(image, quant, tables, specs, frame, params.spectral_only);
  }

  // One interleaved scan of all components (T.81 A.2.3), as IJG codes them.
  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), std::size_t{0});
  ScanSink::Frequencies freq{};
  ScanSink counter(freq);
  code_sequential(frame, all, counter);
  ScanSink::Codes codes;
  std::vector<std::uint8_t> out;
  start_stream(out, specs);
  write_quant_tables(out, quant, tables);
  write_frame(out, kSOF1, image, specs);
  for (std::size_t t = 0; t < tables; ++t) {
    codes[t] = build_code(freq[t]);
    codes[2 + t] = build_code(freq[2 + t]);
    write_huffman(out, 0, static_cast<int>(t), codes[t]);
    write_huffman(out, 1, static_cast<int>(t), codes[2 + t]);
  }
  std::vector<std::uint8_t> selectors;
  for (const ComponentBlocks& c : frame.components) {
    selectors.push_back(static_cast<std::uint8_t>((c.table << 4) | c.table));
  }
  write_scan_header(out, specs, all, selectors, 0, 63, 0, 0);
  BitWriter writer(out);
  ScanSink sink(codes, writer);
  code_sequential(frame, all, sink);
  writer.flush();
  put_marker(out, kEOI);
  return out;
}

}  // namespace dcmkit::dcmimage::detail

// SPDX-License-Identifier: BSD-3-Clause
// dcmkit's own JPEG decoder: the lossless process (T.81 Annex H) and the DCT processes with
// Huffman coding at any precision (Annexes F and G), used for what libjpeg-turbo 2.1 cannot
// decode. The inverse DCT is the integer Loeffler-Ligtenberg-Moschytz algorithm with the
// fixed-point constants of the IJG library's "islow" method, so 12-bit images decode to the
// same pixels as DCMTK's IJG-based decoder.
#include <algorithm>
#include <array>
#include <limits>
#include <string>

#include "jpeg_stream.h"
#include "own_codec.h"

namespace dcmkit::dcmimage::detail {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

namespace {

// YCbCr to RGB with IJG's 16-bit fixed-point coefficients (T.871 / JFIF equations), for the
// samples of an IJG library built for `library_bits` (8, 12 or 16) bits: DCMTK decodes with the
// 8-, 12- or 16-bit build chosen by the stream's precision, and each centres chroma at half its
// own range (a 10-bit stream in the 12-bit build at 2048).
void convert_ycc(PlanarImage& image, int library_bits) {
  const std::int64_t max_sample = (std::int64_t{1} << library_bits) - 1;
  const std::int64_t center = std::int64_t{1} << (library_bits - 1);
  constexpr int kScale = 16;
  constexpr std::int64_t kHalf = std::int64_t{1} << (kScale - 1);
  const auto fix = [](double x) { return static_cast<std::int64_t>(x * 65536.0 + 0.5); };
  const std::int64_t cr_r = fix(1.40200);
  const std::int64_t cb_b = fix(1.77200);
  const std::int64_t cr_g = fix(0.71414);
  const std::int64_t cb_g = fix(0.34414);
  std::uint16_t* y = image.plane(0);
  std::uint16_t* cb = image.plane(1);
  std::uint16_t* cr = image.plane(2);
  const std::size_t count = std::size_t{image.width} * image.height;
  for (std::size_t i = 0; i < count; ++i) {
    const std::int64_t luma = y[i];
    const std::int64_t b = std::int64_t{cb[i]} - center;
    const std::int64_t r = std::int64_t{cr[i]} - center;
    const std::int64_t red = luma + ((cr_r * r + kHalf) >> kScale);
    const std::int64_t green = luma + ((-cb_g * b - cr_g * r + kHalf) >> kScale);
    const std::int64_t blue = luma + ((cb_b * b + kHalf) >> kScale);
    y[i] = static_cast<std::uint16_t>(std::clamp<std::int64_t>(red, 0, max_sample));
    cb[i] = static_cast<std::uint16_t>(std::clamp<std::int64_t>(green, 0, max_sample));
    cr[i] = static_cast<std::uint16_t>(std::clamp<std::int64_t>(blue, 0, max_sample));
  }
}

// The IJG build DCMTK decodes a stream of `precision` bits with.
int library_bits(std::uint32_t precision) { return precision <= 8 ? 8 : precision <= 12 ? 12 : 16; }

// --- Lossless (T.81 Annex H) ----------------------------------------------------------------

class LosslessDecoder {
 public:
  LosslessDecoder(StreamParser& parser, PlanarImage& image, const OwnDecodeOptions& options)
      : parser_(parser), image_(image), options_(options) {}

  Status decode_scan() {
    const FrameHeader& frame = parser_.frame();
    const ScanHeader& scan = parser_.scan();
    const int predictor = scan.ss;
    const int pt = scan.al;
    if (predictor > 7) {
      return malformed("lossless predictor " + std::to_string(predictor));
    }
    if (pt >= static_cast<int>(frame.precision)) {
      return malformed("point transform " + std::to_string(pt) + " not below the precision");
    }
    for (const ScanComponent& sc : scan.components) {
      if (!parser_.dc_table(sc.dc_table).defined) return malformed("undefined Huffman table");
    }
    const std::size_t n = scan.components.size();
    const std::uint32_t width = image_.width;
    const std::uint32_t height = image_.height;
    const int initial = 1 << (static_cast<int>(frame.precision) - pt - 1);
    const std::uint32_t interval = parser_.restart_interval();
    BitReader reader(parser_.data(), parser_.position());
    std::uint32_t mcus_left = interval;
    unsigned next_restart = 0;
    bool first_line = true;  // the first line of the scan or of a restart interval
    bool restarted = true;   // the next sample is the first after a (re)start
    std::array<std::uint16_t*, 4> planes{};
    std::array<const HuffmanTable*, 4> tables{};
    for (std::size_t i = 0; i < n; ++i) {
      planes[i] = image_.plane(scan.components[i].index);
      tables[i] = &parser_.dc_table(scan.components[i].dc_table);
    }
    for (std::uint32_t y = 0; y < height; ++y) {
      const std::size_t row = std::size_t{y} * width;
      for (std::uint32_t x = 0; x < width; ++x) {
        if (interval != 0) {
          if (mcus_left == 0) {
            if (!reader.restart(next_restart)) return malformed("restart marker missing");
            next_restart = (next_restart + 1) & 7;
            mcus_left = interval;
            restarted = true;
            first_line = true;
          }
          --mcus_left;
        }
        for (std::size_t c = 0; c < n; ++c) {
          std::uint16_t* p = planes[c] + row;
          // The line above (only read when y > 0); pointer arithmetic, so that x - 1 and the
          // row offset never wrap around in unsigned arithmetic.
          const std::uint16_t* up = y > 0 ? p - width : p;
          int prediction;
          if (restarted) {
            prediction = initial;
          } else if (first_line) {
            // Inside the first line of an interval: the sample to the left.
            prediction = x > 0 ? p[x - 1] : (y > 0 ? up[x] : initial);
          } else if (x == 0) {
            prediction = up[x];
          } else {
            const int ra = p[x - 1];
            const int rb = up[x];
            const int rc = up[x - 1];
            switch (predictor) {
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
                prediction = options_.predictor6_overflow
                                 ? rb + (static_cast<std::int16_t>(ra - rc) >> 1)
                                 : rb + ((ra - rc) >> 1);
                break;
              case 7:
                prediction = (ra + rb) >> 1;
                break;
              default:  // 0: no prediction (only for hierarchical mode; taken as such)
                prediction = 0;
                break;
            }
          }
          DCMKIT_ASSIGN_OR_RETURN(const std::uint8_t s, reader.decode(*tables[c]));
          int diff;
          if (s == 0) {
            diff = 0;
          } else if (s < 16) {
            diff = reader.receive_extend(s);
          } else if (s == 16) {
            // T.81 H.1.2.2: 32768, no additional bits. Cornell's encoder wrote 16 of them.
            if (options_.cornell) (void)reader.bits(16);
            diff = 32768;
          } else {
            return malformed("difference category " + std::to_string(s));
          }
          p[x] = static_cast<std::uint16_t>((prediction + diff) & 0xFFFF);
        }
        restarted = false;
      }
      // A line that began inside the first line of an interval ends it.
      first_line = false;
      if (reader.overrun() > 64) break;  // the data ended long ago: the rest stays zero
    }
    // Undo the point transform (T.81 H.1.2.1).
    if (pt > 0) {
      for (std::size_t c = 0; c < n; ++c) {
        std::uint16_t* p = planes[c];
        for (std::size_t i = 0; i < std::size_t{width} * height; ++i) {
          p[i] = static_cast<std::uint16_t>(p[i] << pt);
        }
      }
    }
    image_.overrun += reader.overrun() > 8 ? reader.overrun() - 8 : 0;
    parser_.skip_to_marker(reader.position());
    return {};
  }

 private:
  StreamParser& parser_;
  PlanarImage& image_;
  const OwnDecodeOptions& options_;
};

// --- DCT (T.81 Annexes F and G) -------------------------------------------------------------

struct ComponentState {
  std::uint32_t blocks_x = 0;  // blocks per row in the component (padded to whole MCUs)
  std::uint32_t blocks_y = 0;
  std::uint32_t width = 0;  // the component's own size (T.81 A.1.1)
  std::uint32_t height = 0;
  std::vector<std::int16_t> coefficients;  // 64 per block, natural order
  int dc_prediction = 0;
};

class DctDecoder {
 public:
  DctDecoder(StreamParser& parser, PlanarImage& image) : parser_(parser), image_(image) {}

  Status init() {
    const FrameHeader& f = parser_.frame();
    mcus_x_ = (f.width + 8u * f.h_max - 1) / (8u * f.h_max);
    mcus_y_ = (f.height + 8u * f.v_max - 1) / (8u * f.v_max);
    components_.resize(f.components.size());
    for (std::size_t i = 0; i < f.components.size(); ++i) {
      const FrameComponent& c = f.components[i];
      ComponentState& s = components_[i];
      s.width = (f.width * c.h + f.h_max - 1) / f.h_max;
      s.height = (f.height * c.v + f.v_max - 1) / f.v_max;
      s.blocks_x = mcus_x_ * c.h;
      s.blocks_y = mcus_y_ * c.v;
      s.coefficients.assign(std::size_t{s.blocks_x} * s.blocks_y * 64, 0);
    }
    return {};
  }

  Status decode_scan() {
    const FrameHeader& f = parser_.frame();
    const ScanHeader& scan = parser_.scan();
    const bool progressive = f.marker == kSOF2;
    if (progressive) {
      if (scan.ss > scan.se || scan.se > 63 || (scan.ss == 0 && scan.se != 0) ||
          (scan.ss > 0 && scan.components.size() != 1) || scan.al > 13 ||
          (scan.ah != 0 && scan.ah != scan.al + 1)) {
        return malformed("bad progressive scan parameters");
      }
    } else if (scan.ss != 0 || scan.se != 63 || scan.ah != 0 || scan.al != 0) {
      // Sequential scans must code the whole block (T.81 B.2.3); broken encoders write other
      // values, which IJG ignores too.
    }
    for (const ScanComponent& sc : scan.components) {
      const bool needs_dc = !progressive || scan.ss == 0;
      const bool needs_ac = !progressive || scan.ss > 0;
      if (needs_dc && scan.ah == 0 && !parser_.dc_table(sc.dc_table).defined) {
        return malformed("undefined DC Huffman table");
      }
      if (needs_ac && !(progressive && scan.ah != 0) && !parser_.ac_table(sc.ac_table).defined) {
        return malformed("undefined AC Huffman table");
      }
      if (progressive && needs_ac && scan.ah != 0 && !parser_.ac_table(sc.ac_table).defined) {
        return malformed("undefined AC Huffman table");
      }
      components_[sc.index].dc_prediction = 0;
    }
    BitReader reader(parser_.data(), parser_.position());
    eob_run_ = 0;
    const std::uint32_t interval = parser_.restart_interval();
    std::uint32_t mcus_left = interval;
    unsigned next_restart = 0;

    const auto handle_restart = [&]() -> Status {
      if (interval == 0) return {};
      if (mcus_left == 0) {
        if (!reader.restart(next_restart)) return malformed("restart marker missing");
        next_restart = (next_restart + 1) & 7;
        mcus_left = interval;
        eob_run_ = 0;
        for (const ScanComponent& sc : scan.components) components_[sc.index].dc_prediction = 0;
      }
      --mcus_left;
      return {};
    };

    if (scan.components.size() == 1) {
      // Non-interleaved: the component's own blocks, ceil(size / 8) of them (T.81 A.2.2).
      const ScanComponent& sc = scan.components.front();
      ComponentState& s = components_[sc.index];
      const std::uint32_t bx = (s.width + 7) / 8;
      const std::uint32_t by = (s.height + 7) / 8;
      for (std::uint32_t y = 0; y < by; ++y) {
        for (std::uint32_t x = 0; x < bx; ++x) {
          DCMKIT_TRY(handle_restart());
          DCMKIT_TRY(decode_block(reader, sc, s, block(s, x, y), progressive));
        }
        if (reader.overrun() > 64) break;
      }
    } else {
      for (std::uint32_t my = 0; my < mcus_y_; ++my) {
        for (std::uint32_t mx = 0; mx < mcus_x_; ++mx) {
          DCMKIT_TRY(handle_restart());
          for (const ScanComponent& sc : scan.components) {
            const FrameComponent& fc = f.components[sc.index];
            ComponentState& s = components_[sc.index];
            for (std::uint32_t v = 0; v < fc.v; ++v) {
              for (std::uint32_t h = 0; h < fc.h; ++h) {
                DCMKIT_TRY(decode_block(reader, sc, s, block(s, mx * fc.h + h, my * fc.v + v),
                                        progressive));
              }
            }
          }
        }
        if (reader.overrun() > 64) break;
      }
    }
    image_.overrun += reader.overrun() > 8 ? reader.overrun() - 8 : 0;
    parser_.skip_to_marker(reader.position());
    return {};
  }

  // Dequantizes, transforms and level-shifts every block into the image planes.
  Status finish() {
    const FrameHeader& f = parser_.frame();
    for (std::size_t i = 0; i < f.components.size(); ++i) {
      if (!parser_.quant_defined(f.components[i].tq)) {
        return malformed("undefined quantization table");
      }
    }
    const int precision = static_cast<int>(f.precision);
    std::vector<std::uint16_t> buffer;
    for (std::size_t i = 0; i < f.components.size(); ++i) {
      const FrameComponent& fc = f.components[i];
      const ComponentState& s = components_[i];
      const auto& q = parser_.quant_table(fc.tq);
      std::uint16_t* plane = image_.plane(i);
      const bool full = fc.h == f.h_max && fc.v == f.v_max;
      std::array<std::uint16_t, 64> pixels{};
      const std::uint32_t bx = (s.width + 7) / 8;
      const std::uint32_t by = (s.height + 7) / 8;
      // A full-size component goes straight into its plane; a subsampled one into a buffer of
      // whole blocks, upsampled afterwards.
      const std::size_t stride = full ? image_.width : std::size_t{bx} * 8;
      const std::size_t rows = full ? image_.height : std::size_t{by} * 8;
      std::uint16_t* out = plane;
      if (!full) {
        buffer.assign(stride * rows, 0);
        out = buffer.data();
      }
      for (std::uint32_t y = 0; y < by; ++y) {
        for (std::uint32_t x = 0; x < bx; ++x) {
          const std::int16_t* coef = s.coefficients.data() + (std::size_t{y} * s.blocks_x + x) * 64;
          idct_islow(coef, q.data(), precision, pixels.data());
          for (std::size_t r = 0; r < 8 && std::size_t{y} * 8 + r < rows; ++r) {
            for (std::size_t c = 0; c < 8 && std::size_t{x} * 8 + c < stride; ++c) {
              out[(std::size_t{y} * 8 + r) * stride + std::size_t{x} * 8 + c] = pixels[r * 8 + c];
            }
          }
        }
      }
      if (!full) upsample(buffer, stride, s, f.h_max / fc.h, f.v_max / fc.v, plane);
    }
    return {};
  }

 private:
  // Upsamples a component of s.width x s.height samples (row stride `stride`) by the integer
  // factors hx, vy into an image-sized plane, as the IJG library does by default: its "fancy"
  // triangle filter (3/4 of the nearer sample, 1/4 of the next) for 2x1 and 2x2 when the
  // component is more than two samples wide, with the edge samples replicated, and plain
  // replication otherwise. The pixels then equal those of DCMTK's IJG-based decoder.
  void upsample(const std::vector<std::uint16_t>& in, std::size_t stride, const ComponentState& s,
                std::uint32_t hx, std::uint32_t vy, std::uint16_t* plane) const {
    const std::size_t width = image_.width;
    const std::size_t height = image_.height;
    const std::size_t in_w = s.width;
    const std::size_t in_h = s.height;
    if (in_w == 0 || in_h == 0) return;
    const auto put = [&](std::uint16_t* row, std::size_t x, int value) {
      if (x < width) row[x] = static_cast<std::uint16_t>(value);
    };
    if (hx == 2 && vy == 1 && in_w > 2) {
      for (std::size_t y = 0; y < height && y < in_h; ++y) {
        const std::uint16_t* src = in.data() + y * stride;
        std::uint16_t* dst = plane + y * width;
        for (std::size_t i = 0; i < in_w; ++i) {
          const int here = 3 * src[i];
          put(dst, 2 * i, i == 0 ? src[0] : (here + src[i - 1] + 1) >> 2);
          put(dst, 2 * i + 1, i + 1 == in_w ? src[i] : (here + src[i + 1] + 2) >> 2);
        }
      }
      return;
    }
    if (hx == 2 && vy == 2 && in_w > 2) {
      std::vector<int> sums(in_w);
      for (std::size_t y = 0; y < height; ++y) {
        const std::size_t r = std::min(y / 2, in_h - 1);
        // The nearer other row: above for even output rows, below for odd ones; the edge rows
        // are replicated.
        const std::size_t other = y % 2 == 0 ? (r == 0 ? 0 : r - 1) : std::min(r + 1, in_h - 1);
        const std::uint16_t* near_row = in.data() + r * stride;
        const std::uint16_t* far_row = in.data() + other * stride;
        for (std::size_t i = 0; i < in_w; ++i) sums[i] = 3 * near_row[i] + far_row[i];
        std::uint16_t* dst = plane + y * width;
        for (std::size_t i = 0; i < in_w; ++i) {
          const int here = 3 * sums[i];
          put(dst, 2 * i, i == 0 ? (4 * sums[0] + 8) >> 4 : (here + sums[i - 1] + 8) >> 4);
          put(dst, 2 * i + 1,
              i + 1 == in_w ? (4 * sums[i] + 7) >> 4 : (here + sums[i + 1] + 7) >> 4);
        }
      }
      return;
    }
    for (std::size_t y = 0; y < height; ++y) {
      const std::uint16_t* src = in.data() + std::min(y / vy, in_h - 1) * stride;
      std::uint16_t* dst = plane + y * width;
      for (std::size_t x = 0; x < width; ++x) dst[x] = src[std::min(x / hx, in_w - 1)];
    }
  }

  std::int16_t* block(ComponentState& s, std::uint32_t x, std::uint32_t y) {
    return s.coefficients.data() + (std::size_t{y} * s.blocks_x + x) * 64;
  }

  Status decode_block(BitReader& reader, const ScanComponent& sc, ComponentState& s,
                      std::int16_t* coef, bool progressive) {
    const ScanHeader& scan = parser_.scan();
    if (!progressive) {
      DCMKIT_ASSIGN_OR_RETURN(const std::uint8_t t, reader.decode(parser_.dc_table(sc.dc_table)));
      if (t > 15) return malformed("DC difference category " + std::to_string(t));
      s.dc_prediction += reader.receive_extend(t);
      coef[0] = static_cast<std::int16_t>(s.dc_prediction);
      const HuffmanTable& ac = parser_.ac_table(sc.ac_table);
      for (int k = 1; k < 64;) {
        DCMKIT_ASSIGN_OR_RETURN(const std::uint8_t rs, reader.decode(ac));
        const int r = rs >> 4;
        const int size = rs & 15;
        if (size == 0) {
          if (r != 15) break;  // EOB
          k += 16;
          continue;
        }
        k += r;
        if (k > 63) return malformed("AC coefficient index beyond 63");
        coef[kZigzag[static_cast<std::size_t>(k)]] =
            static_cast<std::int16_t>(reader.receive_extend(size));
        ++k;
      }
      return {};
    }
    const int al = scan.al;
    if (scan.ss == 0) {
      if (scan.ah == 0) {
        DCMKIT_ASSIGN_OR_RETURN(const std::uint8_t t, reader.decode(parser_.dc_table(sc.dc_table)));
        if (t > 15) return malformed("DC difference category " + std::to_string(t));
        s.dc_prediction += reader.receive_extend(t);
        coef[0] = static_cast<std::int16_t>(static_cast<unsigned>(s.dc_prediction) << al);
      } else if (reader.bit() != 0) {
        coef[0] = static_cast<std::int16_t>(coef[0] | (1 << al));
      }
      return {};
    }
    const HuffmanTable& ac = parser_.ac_table(sc.ac_table);
    if (scan.ah == 0) {
      // AC first pass (T.81 G.1.2.2).
      if (eob_run_ > 0) {
        --eob_run_;
        return {};
      }
      for (int k = scan.ss; k <= scan.se;) {
        DCMKIT_ASSIGN_OR_RETURN(const std::uint8_t rs, reader.decode(ac));
        const int r = rs >> 4;
        const int size = rs & 15;
        if (size == 0) {
          if (r < 15) {
            eob_run_ = (1u << r) - 1;
            if (r > 0) eob_run_ += reader.bits(r);
            break;
          }
          k += 16;
          continue;
        }
        k += r;
        if (k > 63) return malformed("AC coefficient index beyond 63");
        coef[kZigzag[static_cast<std::size_t>(k)]] =
            static_cast<std::int16_t>(static_cast<unsigned>(reader.receive_extend(size)) << al);
        ++k;
      }
      return {};
    }
    // AC refinement (T.81 G.1.2.3): new coefficients of magnitude 1 << al, correction bits for
    // those already nonzero.
    const int p1 = 1 << al;
    const int m1 = -p1;
    int k = scan.ss;
    if (eob_run_ == 0) {
      for (; k <= scan.se;) {
        DCMKIT_ASSIGN_OR_RETURN(const std::uint8_t rs, reader.decode(ac));
        int r = rs >> 4;
        const int size = rs & 15;
        int value = 0;
        if (size != 0) {
          if (size != 1) return malformed("bad AC refinement code");
          value = reader.bit() != 0 ? p1 : m1;
        } else if (r != 15) {
          eob_run_ = 1u << r;
          if (r > 0) eob_run_ += reader.bits(r);
          break;
        }
        while (k <= scan.se) {
          std::int16_t& c = coef[kZigzag[static_cast<std::size_t>(k)]];
          if (c != 0) {
            if (reader.bit() != 0 && (c & p1) == 0) {
              c = static_cast<std::int16_t>(c >= 0 ? c + p1 : c + m1);
            }
          } else {
            if (r == 0) {
              if (value != 0) c = static_cast<std::int16_t>(value);
              ++k;
              break;
            }
            --r;
          }
          ++k;
        }
      }
    }
    if (eob_run_ > 0) {
      for (; k <= scan.se; ++k) {
        std::int16_t& c = coef[kZigzag[static_cast<std::size_t>(k)]];
        if (c != 0 && reader.bit() != 0 && (c & p1) == 0) {
          c = static_cast<std::int16_t>(c >= 0 ? c + p1 : c + m1);
        }
      }
      --eob_run_;
    }
    return {};
  }

  // The islow inverse DCT: two passes of the LLM algorithm with 13-bit constants; the first
  // pass keeps PASS1_BITS of extra precision (2 at 8 bits, 1 at 12 bits, where the products
  // need more room). Products are 64-bit, so no input can overflow.
  static void idct_islow(const std::int16_t* in, const std::uint16_t* q, int precision,
                         std::uint16_t* out) {
    constexpr int kConstBits = 13;
    const int pass1 = precision <= 8 ? 2 : 1;
    constexpr std::int64_t k0_298631336 = 2446;
    constexpr std::int64_t k0_390180644 = 3196;
    constexpr std::int64_t k0_541196100 = 4433;
    constexpr std::int64_t k0_765366865 = 6270;
    constexpr std::int64_t k0_899976223 = 7373;
    constexpr std::int64_t k1_175875602 = 9633;
    constexpr std::int64_t k1_501321110 = 12299;
    constexpr std::int64_t k1_847759065 = 15137;
    constexpr std::int64_t k1_961570560 = 16069;
    constexpr std::int64_t k2_053119869 = 16819;
    constexpr std::int64_t k2_562915447 = 20995;
    constexpr std::int64_t k3_072711026 = 25172;
    const auto descale = [](std::int64_t x, int n) {
      return (x + (std::int64_t{1} << (n - 1))) >> n;
    };
    std::array<std::int64_t, 64> ws{};
    // Pass 1: columns.
    for (int col = 0; col < 8; ++col) {
      std::array<std::int64_t, 8> v{};
      bool ac_zero = true;
      for (int r = 0; r < 8; ++r) {
        v[static_cast<std::size_t>(r)] =
            std::int64_t{in[r * 8 + col]} * std::int64_t{q[r * 8 + col]};
        if (r > 0 && v[static_cast<std::size_t>(r)] != 0) ac_zero = false;
      }
      if (ac_zero) {
        const std::int64_t dc = v[0] * (std::int64_t{1} << pass1);
        for (int r = 0; r < 8; ++r) ws[static_cast<std::size_t>(r * 8 + col)] = dc;
        continue;
      }
      std::array<std::int64_t, 8> o{};
      butterfly(v, o, kConstBits, kConstBits - pass1, k0_298631336, k0_390180644, k0_541196100,
                k0_765366865, k0_899976223, k1_175875602, k1_501321110, k1_847759065, k1_961570560,
                k2_053119869, k2_562915447, k3_072711026, descale);
      for (int r = 0; r < 8; ++r) {
        ws[static_cast<std::size_t>(r * 8 + col)] = o[static_cast<std::size_t>(r)];
      }
    }
    // Pass 2: rows, with the level shift and the range limit of IJG's output table (values
    // wrap at four times the sample range before clamping).
    const std::int64_t max_sample = (std::int64_t{1} << precision) - 1;
    const std::int64_t center = std::int64_t{1} << (precision - 1);
    const std::int64_t range = 4 * (max_sample + 1);
    const auto limit = [&](std::int64_t x) {
      std::int64_t wrapped = ((x % range) + range) % range;
      if (wrapped >= range / 2) wrapped -= range;
      return static_cast<std::uint16_t>(std::clamp<std::int64_t>(wrapped + center, 0, max_sample));
    };
    for (int row = 0; row < 8; ++row) {
      std::array<std::int64_t, 8> v{};
      bool ac_zero = true;
      for (int c = 0; c < 8; ++c) {
        v[static_cast<std::size_t>(c)] = ws[static_cast<std::size_t>(row * 8 + c)];
        if (c > 0 && v[static_cast<std::size_t>(c)] != 0) ac_zero = false;
      }
      if (ac_zero) {
        const std::uint16_t value = limit(descale(v[0], pass1 + 3));
        for (int c = 0; c < 8; ++c) out[row * 8 + c] = value;
        continue;
      }
      std::array<std::int64_t, 8> o{};
      butterfly(v, o, kConstBits, kConstBits + pass1 + 3, k0_298631336, k0_390180644, k0_541196100,
                k0_765366865, k0_899976223, k1_175875602, k1_501321110, k1_847759065, k1_961570560,
                k2_053119869, k2_562915447, k3_072711026, descale);
      for (int c = 0; c < 8; ++c) out[row * 8 + c] = limit(o[static_cast<std::size_t>(c)]);
    }
  }

  template <class Descale>
  static void butterfly(const std::array<std::int64_t, 8>& v, std::array<std::int64_t, 8>& o,
                        int const_bits, int shift, std::int64_t c0298, std::int64_t c0390,
                        std::int64_t c0541, std::int64_t c0765, std::int64_t c0899,
                        std::int64_t c1175, std::int64_t c1501, std::int64_t c1847,
                        std::int64_t c1961, std::int64_t c2053, std::int64_t c2562,
                        std::int64_t c3072, Descale descale) {
    // Even part.
    std::int64_t z2 = v[2];
    std::int64_t z3 = v[6];
    std::int64_t z1 = (z2 + z3) * c0541;
    const std::int64_t t2 = z1 - z3 * c1847;
    const std::int64_t t3 = z1 + z2 * c0765;
    const std::int64_t t0 = (v[0] + v[4]) * (std::int64_t{1} << const_bits);
    const std::int64_t t1 = (v[0] - v[4]) * (std::int64_t{1} << const_bits);
    const std::int64_t t10 = t0 + t3;
    const std::int64_t t13 = t0 - t3;
    const std::int64_t t11 = t1 + t2;
    const std::int64_t t12 = t1 - t2;
    // Odd part.
    std::int64_t a0 = v[7];
    std::int64_t a1 = v[5];
    std::int64_t a2 = v[3];
    std::int64_t a3 = v[1];
    z1 = a0 + a3;
    z2 = a1 + a2;
    z3 = a0 + a2;
    std::int64_t z4 = a1 + a3;
    const std::int64_t z5 = (z3 + z4) * c1175;
    a0 *= c0298;
    a1 *= c2053;
    a2 *= c3072;
    a3 *= c1501;
    z1 *= -c0899;
    z2 *= -c2562;
    z3 *= -c1961;
    z4 *= -c0390;
    z3 += z5;
    z4 += z5;
    a0 += z1 + z3;
    a1 += z2 + z4;
    a2 += z2 + z3;
    a3 += z1 + z4;
    o[0] = descale(t10 + a3, shift);
    o[7] = descale(t10 - a3, shift);
    o[1] = descale(t11 + a2, shift);
    o[6] = descale(t11 - a2, shift);
    o[2] = descale(t12 + a1, shift);
    o[5] = descale(t12 - a1, shift);
    o[3] = descale(t13 + a0, shift);
    o[4] = descale(t13 - a0, shift);
  }

  StreamParser& parser_;
  PlanarImage& image_;
  std::uint32_t mcus_x_ = 0;
  std::uint32_t mcus_y_ = 0;
  std::vector<ComponentState> components_;
  std::uint32_t eob_run_ = 0;
};

}  // namespace

Result<PlanarImage> decode_own(std::span<const std::uint8_t> data,
                               const OwnDecodeOptions& options) {
  StreamParser parser(data);
  PlanarImage image;
  bool lossless = false;
  DctDecoder dct(parser, image);
  int scans = 0;
  while (true) {
    DCMKIT_ASSIGN_OR_RETURN(const bool scan, parser.next_scan());
    if (!scan) break;
    const FrameHeader& f = parser.frame();
    if (scans == 0) {
      lossless = f.marker == kSOF3;
      image.width = f.width;
      image.height = f.height;
      image.precision = f.precision;
      image.components = f.components.size();
      const std::uint64_t total = std::uint64_t{f.width} * f.height * f.components.size();
      if (options.max_samples != 0 && total > options.max_samples) {
        return Error(ErrorCode::LimitExceeded,
                     "JPEG: the frame header describes " + std::to_string(f.width) + "x" +
                         std::to_string(f.height) + "x" + std::to_string(f.components.size()) +
                         " samples, more than the image has");
      }
      // Hostile headers: the entropy-coded data must be able to describe the image. Each
      // lossless sample takes at least one bit; a DCT block at least one bit for its DC.
      const std::uint64_t min_bits = lossless ? total : (total + 63) / 64;
      if (min_bits / 8 > data.size() * 64) {
        return malformed("data far too short for a " + std::to_string(f.width) + "x" +
                         std::to_string(f.height) + " image");
      }
      if (lossless) {
        for (const FrameComponent& c : f.components) {
          if (c.h != f.components.front().h || c.v != f.components.front().v) {
            return Error(ErrorCode::Unsupported,
                         "JPEG lossless with subsampled components is not supported");
          }
        }
      }
      image.samples.assign(static_cast<std::size_t>(total), 0);
      if (!lossless) DCMKIT_TRY(dct.init());
    }
    ++scans;
    if (scans > 1000) return malformed("too many scans");
    if (lossless) {
      LosslessDecoder decoder(parser, image, options);
      DCMKIT_TRY(decoder.decode_scan());
    } else {
      DCMKIT_TRY(dct.decode_scan());
    }
  }
  if (scans == 0) return malformed("no scan");
  if (!lossless) {
    const FrameHeader& f = parser.frame();
    for (const FrameComponent& c : f.components) {
      if (c.h == 0 || c.v == 0 || f.h_max % c.h != 0 || f.v_max % c.v != 0) {
        return Error(ErrorCode::Unsupported, "JPEG: fractional sampling factors (" +
                                                 std::to_string(c.h) + "x" + std::to_string(c.v) +
                                                 " of " + std::to_string(f.h_max) + "x" +
                                                 std::to_string(f.v_max) + ") are not supported");
      }
    }
    DCMKIT_TRY(dct.finish());
  }
  if (options.ycc_to_rgb && image.components == 3) {
    convert_ycc(image, library_bits(image.precision));
  }
  return image;
}

}  // namespace dcmkit::dcmimage::detail

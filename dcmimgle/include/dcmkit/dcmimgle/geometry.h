// SPDX-License-Identifier: BSD-3-Clause
// Geometry of rendered frames: clipping, rotation by 90/180/270 degrees, flips and scaling with
// or without interpolation, on images of any sample type with one or more interleaved channels.
// The scaling algorithms reproduce DCMTK 3.6.7's results, found by comparing its output on small
// synthetic images: nearest neighbour, the area averaging of pbmplus' pnmscale (interpolation 1),
// the area interpolation published in c't magazine (2; also 3 and 4 where they do not apply),
// bilinear (3) and bicubic (4) enlargement, each with DCMTK's edge behaviour.
//
//   Raster<std::int32_t> image{512, 512, 1, std::move(values)};
//   image = rotate(image, 90);
//   image = scale(image, 256, 256, Interpolation::Pbmplus);
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <vector>

namespace dcmkit::dcmimgle {

/// A rectangular image: `channels` interleaved samples per pixel, rows top to bottom.
/// Regular value type.
template <class T>
struct Raster {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint32_t channels = 1;
  std::vector<T> samples;

  T& at(std::uint32_t x, std::uint32_t y, std::uint32_t c = 0) {
    return samples[(std::size_t{y} * width + x) * channels + c];
  }
  const T& at(std::uint32_t x, std::uint32_t y, std::uint32_t c = 0) const {
    return samples[(std::size_t{y} * width + x) * channels + c];
  }
};

/// The rectangle `width` x `height` of `image` at (`left`, `top`); the parts outside the image
/// are `fill` (DCMTK keeps the requested size). Empty for an empty rectangle.
template <class T>
Raster<T> clip(const Raster<T>& image, std::uint32_t left, std::uint32_t top, std::uint32_t width,
               std::uint32_t height, T fill = T{}) {
  Raster<T> out;
  out.channels = image.channels;
  if (width == 0 || height == 0) return out;
  out.width = width;
  out.height = height;
  out.samples.assign(std::size_t{width} * height * image.channels, fill);
  if (left >= image.width || top >= image.height) return out;
  const std::uint32_t inside_width = std::min(width, image.width - left);
  const std::uint32_t inside_height = std::min(height, image.height - top);
  for (std::uint32_t y = 0; y < inside_height; ++y) {
    const auto first =
        image.samples.begin() +
        static_cast<std::ptrdiff_t>((std::size_t{top + y} * image.width + left) * image.channels);
    std::copy(
        first, first + static_cast<std::ptrdiff_t>(std::size_t{inside_width} * image.channels),
        out.samples.begin() + static_cast<std::ptrdiff_t>(std::size_t{y} * width * image.channels));
  }
  return out;
}

/// `image` turned clockwise by `degrees` (90, 180 or 270; anything else returns a copy).
template <class T>
Raster<T> rotate(const Raster<T>& image, int degrees) {
  if (degrees != 90 && degrees != 180 && degrees != 270) return image;
  Raster<T> out;
  out.channels = image.channels;
  out.width = degrees == 180 ? image.width : image.height;
  out.height = degrees == 180 ? image.height : image.width;
  out.samples.resize(image.samples.size());
  const std::uint32_t c = image.channels;
  for (std::uint32_t y = 0; y < image.height; ++y) {
    for (std::uint32_t x = 0; x < image.width; ++x) {
      std::uint32_t nx = 0;
      std::uint32_t ny = 0;
      if (degrees == 90) {
        nx = image.height - 1 - y;
        ny = x;
      } else if (degrees == 180) {
        nx = image.width - 1 - x;
        ny = image.height - 1 - y;
      } else {
        nx = y;
        ny = image.width - 1 - x;
      }
      for (std::uint32_t k = 0; k < c; ++k) out.at(nx, ny, k) = image.at(x, y, k);
    }
  }
  return out;
}

/// `image` mirrored left-right (`horizontal`) and/or top-bottom (`vertical`).
template <class T>
void flip(Raster<T>& image, bool horizontal, bool vertical) {
  const std::uint32_t c = image.channels;
  if (horizontal) {
    for (std::uint32_t y = 0; y < image.height; ++y) {
      for (std::uint32_t x = 0; x < image.width / 2; ++x) {
        for (std::uint32_t k = 0; k < c; ++k) {
          std::swap(image.at(x, y, k), image.at(image.width - 1 - x, y, k));
        }
      }
    }
  }
  if (vertical) {
    const std::size_t row = std::size_t{image.width} * c;
    for (std::uint32_t y = 0; y < image.height / 2; ++y) {
      std::swap_ranges(
          image.samples.begin() + static_cast<std::ptrdiff_t>(y * row),
          image.samples.begin() + static_cast<std::ptrdiff_t>((y + 1) * row),
          image.samples.begin() + static_cast<std::ptrdiff_t>((image.height - 1 - y) * row));
    }
  }
}

/// Scaling algorithms (dcm2pnm's -i and +i 1..4).
enum class Interpolation : std::uint8_t {
  None,      ///< nearest neighbour: pixels replicated or suppressed
  Pbmplus,   ///< area averaging in 1/4096 fixed point (pbmplus' pnmscale), +i 1
  Ct,        ///< area interpolation (c't magazine) when enlarging or reducing both axes, +i 2
  Bilinear,  ///< bilinear enlargement (sources of 2 x 2 and more), else as Ct, +i 3
  Bicubic,   ///< bicubic enlargement (3 x 3 and more), else as Bilinear, +i 4
};

namespace detail {

template <class T>
T clamp_to(long long value, long long lo, long long hi) {
  return static_cast<T>(std::clamp(value, lo, hi));
}

// Group sizes that spread `larger` pixels over `smaller` groups as evenly as DCMTK does: the
// remainder is distributed at regular intervals.
inline std::vector<std::uint32_t> group_sizes(std::uint32_t smaller, std::uint32_t larger) {
  std::vector<std::uint32_t> sizes(smaller);
  std::uint32_t remainder = larger % smaller;
  std::uint32_t step0 = larger / smaller;
  std::uint32_t step1 = step0;
  if (remainder > smaller / 2) {
    remainder = smaller - remainder;
    ++step0;
  } else {
    ++step1;
  }
  const double count = static_cast<double>(smaller) / (static_cast<double>(remainder) + 1);
  double c = count;
  for (std::uint32_t i = 0; i < smaller; ++i) {
    if (i >= static_cast<std::uint32_t>(c) && remainder > 0) {
      --remainder;
      c += count;
      sizes[i] = step1;
    } else {
      sizes[i] = step0;
    }
  }
  return sizes;
}

// For each of `dest` output positions, the source position (0..src-1) it shows.
inline std::vector<std::uint32_t> nearest_indices(std::uint32_t src, std::uint32_t dest) {
  std::vector<std::uint32_t> index(dest);
  if (src == dest) {
    for (std::uint32_t i = 0; i < dest; ++i) index[i] = i;
  } else if (dest > src) {
    const std::vector<std::uint32_t> repeat = group_sizes(src, dest);
    std::uint32_t o = 0;
    for (std::uint32_t i = 0; i < src; ++i) {
      for (std::uint32_t r = 0; r < repeat[i] && o < dest; ++r) index[o++] = i;
    }
    while (o < dest) index[o++] = src - 1;
  } else {
    const std::vector<std::uint32_t> skip = group_sizes(dest, src);
    std::uint32_t at = 0;
    for (std::uint32_t o = 0; o < dest; ++o) {
      index[o] = std::min(at, src - 1);
      at += skip[o];
    }
  }
  return index;
}

}  // namespace detail

namespace detail {

// The part of the source one output pixel covers along an axis in the c't area interpolation:
// source pixels `first`..`last`, the outer two weighted by the parts of them it covers. Where
// the end of the last output pixel, computed in floating point, lands a hair beyond the source
// (21/19 * 19 = 21.000000000000004), `last` is the pixel past the end, as in DCMTK, which reads
// memory there with a weight of about 1e-15; dcmkit counts it as 0 (the sum loops stop at the
// source's end), which is what DCMTK's output shows.
struct AreaSpan {
  std::uint32_t first = 0;
  std::uint32_t last = 0;
  double first_weight = 1.0;
  double last_weight = 1.0;
};

// The spans of the `dest` output pixels along an axis of `src` pixels: output pixel o covers
// [o*f, (o+1)*f) with f = src/dest. Enlarging (dest >= src, f <= 1; one or two source pixels),
// the weights are the fractions of the output pixel each one covers; reducing (dest <= src), the
// outer source pixels count with the fractions of them inside (the sum is divided by the area).
inline std::vector<AreaSpan> area_spans(std::uint32_t src, std::uint32_t dest, bool enlarging) {
  const double f = static_cast<double>(src) / dest;
  std::vector<AreaSpan> spans(dest);
  for (std::uint32_t o = 0; o < dest; ++o) {
    const double begin = f * o;
    const double end = f * (o + 1.0);
    AreaSpan& s = spans[o];
    s.first = std::min(static_cast<std::uint32_t>(begin), src - 1);
    s.last = static_cast<std::uint32_t>(end);
    if (static_cast<double>(s.last) == end && s.last > 0) --s.last;
    s.last = std::clamp(s.last, s.first, src);  // src: past the end, see AreaSpan
    if (enlarging) {
      const double split = s.last / f;
      s.first_weight = split - o;
      s.last_weight = o + 1.0 - split;
    } else {
      s.first_weight = 1.0 + s.first - begin;
      s.last_weight = end - s.last;
    }
  }
  return spans;
}

// c't magazine's area interpolation, enlarging both axes: each output pixel is the area-weighted
// sum of the (at most 2 x 2) source pixels under it, rounded half up.
template <class T>
void area_expand(const Raster<T>& image, Raster<T>& out) {
  const std::vector<AreaSpan> xs = area_spans(image.width, out.width, true);
  const std::vector<AreaSpan> ys = area_spans(image.height, out.height, true);
  const std::uint32_t c = image.channels;
  T* dest = out.samples.data();
  for (std::uint32_t y = 0; y < out.height; ++y) {
    const AreaSpan& sy = ys[y];
    for (std::uint32_t x = 0; x < out.width; ++x) {
      const AreaSpan& sx = xs[x];
      for (std::uint32_t k = 0; k < c; ++k) {
        double value = 0.0;
        for (std::uint32_t yi = sy.first; yi <= sy.last && yi < image.height; ++yi) {
          for (std::uint32_t xi = sx.first; xi <= sx.last && xi < image.width; ++xi) {
            double sample = static_cast<double>(image.at(xi, yi, k));
            if (sx.first != sx.last) sample *= xi == sx.first ? sx.first_weight : sx.last_weight;
            if (sy.first != sy.last) sample *= yi == sy.first ? sy.first_weight : sy.last_weight;
            value += sample;
          }
        }
        *dest++ = static_cast<T>(value + 0.5);
      }
    }
  }
}

// c't magazine's area interpolation, reducing both axes: the mean of the source area under each
// output pixel, partly covered pixels weighted by their covered fraction, rounded half up.
template <class T>
void area_reduce(const Raster<T>& image, Raster<T>& out) {
  const std::vector<AreaSpan> xs = area_spans(image.width, out.width, false);
  const std::vector<AreaSpan> ys = area_spans(image.height, out.height, false);
  const double area = (static_cast<double>(image.width) / out.width) *
                      (static_cast<double>(image.height) / out.height);
  const std::uint32_t c = image.channels;
  T* dest = out.samples.data();
  for (std::uint32_t y = 0; y < out.height; ++y) {
    const AreaSpan& sy = ys[y];
    for (std::uint32_t x = 0; x < out.width; ++x) {
      const AreaSpan& sx = xs[x];
      for (std::uint32_t k = 0; k < c; ++k) {
        double value = 0.0;
        for (std::uint32_t yi = sy.first; yi <= sy.last && yi < image.height; ++yi) {
          const double row_weight = yi == sy.first  ? sy.first_weight
                                    : yi == sy.last ? sy.last_weight
                                                    : 1.0;
          for (std::uint32_t xi = sx.first; xi <= sx.last && xi < image.width; ++xi) {
            double sample = static_cast<double>(image.at(xi, yi, k)) / area;
            if (xi == sx.first) {
              sample *= sx.first_weight;
            } else if (xi == sx.last) {
              sample *= sx.last_weight;
            }
            if (yi == sy.first || yi == sy.last) sample *= row_weight;
            value += sample;
          }
        }
        *dest++ = static_cast<T>(value + 0.5);
      }
    }
  }
}

// How one output position of an axis is computed in DCMTK's bilinear and bicubic enlargements:
// a copy of source sample `index`, or an interpolation at `t` between `index` and `index + 1`.
enum class TapKind : std::uint8_t { Copy, Linear, Cubic };
struct Tap {
  TapKind kind = TapKind::Copy;
  std::uint32_t index = 0;
  double t = 0.0;
};

// Bilinear (src >= 2, dest >= src): output o lies at o*src/dest. DCMTK copies the source sample
// at the first output of each source interval instead of interpolating it, and along rows
// (`horizontal`) the last output copies the second last source sample.
inline std::vector<Tap> bilinear_taps(std::uint32_t src, std::uint32_t dest, bool horizontal) {
  const double f = static_cast<double>(src) / dest;
  std::vector<Tap> taps(dest);
  std::uint32_t previous = src;
  for (std::uint32_t o = 0; o < dest; ++o) {
    const double position = o * f;
    const auto i = static_cast<std::uint32_t>(position);
    if (horizontal && o + 1 == dest) {
      taps[o] = {TapKind::Copy, src - 2, 0.0};
    } else if (i >= src - 1) {
      taps[o] = {TapKind::Copy, src - 1, 0.0};
    } else if (i != previous) {
      taps[o] = {TapKind::Copy, i, 0.0};
    } else {
      taps[o] = {TapKind::Linear, i, position - i};
    }
    previous = i;
  }
  return taps;
}

// Bicubic (src >= 3, dest >= src): output o lies at o*src/dest. DCMTK interpolates linearly in
// the first source interval and cubically (Catmull-Rom) from the second on, copies the source
// sample at the first output of each later interval, copies the second last interval except
// in its last 2 * floor(dest/src) - 1 outputs, where rows interpolate linearly and columns copy
// (their very last output there taking the last sample), and copies the last interval.
inline std::vector<Tap> bicubic_taps(std::uint32_t src, std::uint32_t dest, bool horizontal) {
  const double f = static_cast<double>(src) / dest;
  const std::uint32_t tail = dest - (2 * (dest / src) - 1);
  std::vector<Tap> taps(dest);
  std::uint32_t previous = src;
  for (std::uint32_t o = 0; o < dest; ++o) {
    const double position = o * f;
    const auto i = static_cast<std::uint32_t>(position);
    const bool first_in_interval = i != previous && i >= 2;
    previous = i;
    if (i >= src - 1) {
      taps[o] = {TapKind::Copy, src - 1, 0.0};
    } else if (i == 0) {
      taps[o] = {TapKind::Linear, 0, position};
    } else if (position == 1.0) {
      taps[o] = {TapKind::Copy, 1, 0.0};
    } else if (first_in_interval || (i + 2 >= src && (!horizontal || o < tail))) {
      taps[o] = {TapKind::Cubic, i, 0.0};
      if (!horizontal && i + 2 == src &&
          (o + 1 == dest || static_cast<std::uint32_t>((o + 1) * f) >= src - 1)) {
        taps[o] = {TapKind::Copy, src - 1, 0.0};
      }
    } else if (i + 2 >= src) {
      taps[o] = {TapKind::Linear, i, position - i};
    } else {
      taps[o] = {TapKind::Cubic, i, position - i};
    }
  }
  return taps;
}

// DCMTK's bicubic scaling keeps values in a 32-bit integer type where they need more than 16
// bits and then subtracts in that type in its linear steps: unsigned, a falling step wraps to
// about 2^32 (the result is taken modulo 2^32); signed, a step beyond the type wraps, and a
// result outside it becomes -2^31 (what x86 makes of such a conversion).
enum class Wrap : std::uint8_t { None, Unsigned32, Signed32 };

// `value` as a sample of T; a 32-bit integer T holds values from 2^31 to 2^32 - 1 as their bits.
template <class T>
T from_integer(long long value) {
  if constexpr (std::is_integral_v<T> && sizeof(T) == 4) {
    return static_cast<T>(static_cast<std::uint32_t>(value));
  } else {
    return static_cast<T>(value);
  }
}

// The value of `tap` from samples `at(0..n-1)`, truncated towards zero; cubic values are clamped
// into [lo, hi]. `wrap`: DCMTK's 32-bit arithmetic (see Wrap), the samples of `at` holding the
// bits of 32-bit values.
template <class T, class At>
T interpolate(const Tap& tap, std::uint32_t n, long long lo, long long hi, Wrap wrap,
              const At& at) {
  switch (tap.kind) {
    case TapKind::Copy:
      return at(tap.index);
    case TapKind::Linear: {
      if (wrap == Wrap::Unsigned32) {
        const auto a = static_cast<std::uint32_t>(at(tap.index));
        const auto b = static_cast<std::uint32_t>(at(tap.index + 1));
        const double v = a + static_cast<std::uint32_t>(b - a) * tap.t;
        return from_integer<T>(static_cast<long long>(v));
      }
      if (wrap == Wrap::Signed32) {
        const auto a = static_cast<std::int32_t>(at(tap.index));
        const auto b = static_cast<std::int32_t>(at(tap.index + 1));
        const auto step = static_cast<std::int32_t>(static_cast<std::uint32_t>(b) -
                                                    static_cast<std::uint32_t>(a));
        const double v = a + step * tap.t;
        const bool fits = v > -2147483649.0 && v < 2147483648.0;
        return from_integer<T>(fits ? static_cast<long long>(v) : -2147483648ll);
      }
      const double a = static_cast<double>(at(tap.index));
      const double b = static_cast<double>(at(tap.index + 1));
      return static_cast<T>(a + (b - a) * tap.t);
    }
    case TapKind::Cubic: {
      const auto value = [&](std::uint32_t i) {
        return wrap == Wrap::Unsigned32 ? static_cast<double>(static_cast<std::uint32_t>(at(i)))
                                        : static_cast<double>(at(i));
      };
      const double p0 = value(tap.index - 1);
      const double p1 = value(tap.index);
      const double p2 = value(std::min(tap.index + 1, n - 1));
      const double p3 = value(std::min(tap.index + 2, n - 1));
      const double t = tap.t;
      const double v =
          0.5 *
          ((((-p0 + 3 * p1 - 3 * p2 + p3) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3)) * t + (-p0 + p2)) *
               t +
           (p1 + p1));
      const double clamped = std::clamp(v, static_cast<double>(lo), static_cast<double>(hi));
      if constexpr (std::is_integral_v<T>) {
        return from_integer<T>(static_cast<long long>(clamped));
      } else {
        return static_cast<T>(clamped);
      }
    }
  }
  return T{};
}

// Separable enlargement: rows first (into values of T, truncated), then columns, in one pass
// over the output rows; only the (up to four) row-scaled source rows in use are kept.
template <class T>
void separable_expand(const Raster<T>& image, Raster<T>& out, const std::vector<Tap>& xs,
                      const std::vector<Tap>& ys, long long lo, long long hi, Wrap wrap) {
  const std::uint32_t c = image.channels;
  const std::size_t out_row = std::size_t{out.width} * c;
  std::array<std::vector<T>, 4> ring;  // row-scaled source rows, by row index modulo 4
  std::array<std::uint32_t, 4> ring_index = {image.height, image.height, image.height,
                                             image.height};
  const auto scaled_row = [&](std::uint32_t y) -> const std::vector<T>& {
    std::vector<T>& slot = ring[y % 4];
    if (ring_index[y % 4] != y) {
      slot.resize(out_row);
      const T* src = image.samples.data() + std::size_t{y} * image.width * c;
      for (std::uint32_t x = 0; x < out.width; ++x) {
        for (std::uint32_t k = 0; k < c; ++k) {
          slot[std::size_t{x} * c + k] =
              interpolate<T>(xs[x], image.width, lo, hi, wrap,
                             [&](std::uint32_t i) { return src[std::size_t{i} * c + k]; });
        }
      }
      ring_index[y % 4] = y;
    }
    return slot;
  };
  for (std::uint32_t y = 0; y < out.height; ++y) {
    const Tap& tap = ys[y];
    const std::uint32_t first = tap.kind == TapKind::Cubic ? tap.index - 1 : tap.index;
    const std::uint32_t last =
        tap.kind == TapKind::Copy
            ? tap.index
            : std::min(tap.index + (tap.kind == TapKind::Cubic ? 2u : 1u), image.height - 1);
    const std::vector<T>* window[4] = {};
    for (std::uint32_t r = first; r <= last; ++r) window[r - first] = &scaled_row(r);
    T* dest = out.samples.data() + std::size_t{y} * out_row;
    for (std::size_t i = 0; i < out_row; ++i) {
      dest[i] = interpolate<T>(tap, image.height, lo, hi, wrap,
                               [&](std::uint32_t r) { return (*window[r - first])[i]; });
    }
  }
}

// Nearest neighbour: along each axis, source pixels are repeated (enlarging) or skipped
// (reducing) in groups whose sizes alternate evenly, as DCMTK distributes them.
template <class T>
void nearest_scale(const Raster<T>& image, Raster<T>& out) {
  const std::vector<std::uint32_t> sx = nearest_indices(image.width, out.width);
  const std::vector<std::uint32_t> sy = nearest_indices(image.height, out.height);
  const std::uint32_t c = image.channels;
  for (std::uint32_t y = 0; y < out.height; ++y) {
    for (std::uint32_t x = 0; x < out.width; ++x) {
      for (std::uint32_t k = 0; k < c; ++k) out.at(x, y, k) = image.at(sx[x], sy[y], k);
    }
  }
}

// pbmplus' pnmscale: each output sample is the area-weighted sum of the input samples it covers,
// in units of 1/4096, rounded by starting each sum at one half.
template <class T>
void pbmplus_scale(const Raster<T>& image, Raster<T>& out, long long lo, long long hi) {
  const std::uint32_t width = out.width;
  const std::uint32_t height = out.height;
  const std::uint32_t c = image.channels;
  constexpr long long kScale = 4096;
  constexpr long long kHalf = 2048;
  const auto sxscale = static_cast<long long>(static_cast<double>(width) / image.width * kScale);
  const auto syscale = static_cast<long long>(static_cast<double>(height) / image.height * kScale);
  const std::size_t in_row = std::size_t{image.width} * c;
  std::vector<long long> sums(in_row, kHalf);
  std::vector<long long> column(in_row);  // one vertically scaled row
  std::uint32_t rows_read = 0;
  const T* current = image.samples.data();
  long long frac_row_left = syscale;
  long long frac_row_to_fill = kScale;
  bool need_row = true;
  for (std::uint32_t row = 0; row < height; ++row) {
    if (height == image.height) {
      const T* src = image.samples.data() + std::size_t{row} * in_row;
      for (std::size_t i = 0; i < in_row; ++i) column[i] = src[i];
    } else {
      while (frac_row_left < frac_row_to_fill) {
        if (need_row && rows_read < image.height) {
          current = image.samples.data() + std::size_t{rows_read} * in_row;
          ++rows_read;
        }
        for (std::size_t i = 0; i < in_row; ++i) sums[i] += frac_row_left * current[i];
        frac_row_to_fill -= frac_row_left;
        frac_row_left = syscale;
        need_row = true;
      }
      if (need_row && rows_read < image.height) {
        current = image.samples.data() + std::size_t{rows_read} * in_row;
        ++rows_read;
        need_row = false;
      }
      for (std::size_t i = 0; i < in_row; ++i) {
        const long long v = (sums[i] + frac_row_to_fill * current[i]) / kScale;
        column[i] = std::clamp(v, lo, hi);
        sums[i] = kHalf;
      }
      frac_row_left -= frac_row_to_fill;
      if (frac_row_left == 0) {
        frac_row_left = syscale;
        need_row = true;
      }
      frac_row_to_fill = kScale;
    }
    T* dest = out.samples.data() + std::size_t{row} * width * c;
    if (width == image.width) {
      for (std::size_t i = 0; i < in_row; ++i) dest[i] = static_cast<T>(column[i]);
      continue;
    }
    for (std::uint32_t k = 0; k < c; ++k) {
      long long sum = kHalf;
      long long frac_col_to_fill = kScale;
      bool need_col = false;
      std::uint32_t o = 0;
      for (std::uint32_t col = 0; col < image.width; ++col) {
        const long long value = column[std::size_t{col} * c + k];
        long long frac_col_left = sxscale;
        while (frac_col_left >= frac_col_to_fill) {
          if (need_col) {
            ++o;
            sum = kHalf;
          }
          sum += frac_col_to_fill * value;
          if (o < width) dest[std::size_t{o} * c + k] = detail::clamp_to<T>(sum / kScale, lo, hi);
          frac_col_left -= frac_col_to_fill;
          frac_col_to_fill = kScale;
          need_col = true;
        }
        if (frac_col_left > 0) {
          if (need_col) {
            ++o;
            sum = kHalf;
            need_col = false;
          }
          sum += frac_col_left * value;
          frac_col_to_fill -= frac_col_left;
        }
      }
      if (frac_col_to_fill > 0 && !need_col && o < width) {
        sum += frac_col_to_fill * column[std::size_t{image.width - 1} * c + k];
        dest[std::size_t{o} * c + k] = detail::clamp_to<T>(sum / kScale, lo, hi);
      }
    }
  }
}

}  // namespace detail

namespace detail {

// Where DCMTK's bicubic scaling clamps and how it computes: it keeps modality values in the
// smallest integer type that holds the actual values of all frames it holds (`values`; unsigned
// when none is negative; 8, 16 or 32 bits), clamps to [lo, hi] (the bits of the possible range,
// `lo` and `hi`) for a signed type but to [0, hi - lo] for an unsigned one, within the type's
// range, and computes in 32 bits as Wrap says.
struct CubicLimits {
  long long lo = 0;
  long long hi = 0;
  Wrap wrap = Wrap::None;
};
inline CubicLimits cubic_limits(long long min, long long max, long long lo, long long hi) {
  if (min < 0) {
    const long long type_max = min >= -128 && max <= 127       ? 127
                               : min >= -32768 && max <= 32767 ? 32767
                                                               : 2147483647;
    return {std::max(lo, -type_max - 1), std::min(hi, type_max),
            type_max > 32767 ? Wrap::Signed32 : Wrap::None};
  }
  const long long type_max = max <= 255 ? 255 : max <= 65535 ? 65535 : 4294967295;
  return {0, std::min(hi - lo, type_max), type_max > 65535 ? Wrap::Unsigned32 : Wrap::None};
}

}  // namespace detail

/// The bits of a value range [min, max] as DCMTK counts them (the bits of the magnitude, plus a
/// sign bit when the range is negative; at most 32) and the integers they hold: the range bicubic
/// values are clamped to.
struct ValueLimits {
  long long lo = 0;
  long long hi = 0;
  std::uint32_t bits = 32;
};
inline ValueLimits bits_limits(long long min, long long max) {
  const auto bits_of = [](unsigned long long v) {
    int bits = 1;
    while (bits < 63 && (v >> bits) != 0) ++bits;
    return bits;
  };
  if (min < 0) {
    const unsigned long long magnitude_min = static_cast<unsigned long long>(-(min + 1)) + 1;
    const unsigned long long magnitude_max = max > 0 ? static_cast<unsigned long long>(max) : 0;
    const int bits = std::min(
        magnitude_min > magnitude_max ? bits_of(magnitude_min - 1) + 1 : bits_of(magnitude_max) + 1,
        32);
    return {-(1ll << (bits - 1)), (1ll << (bits - 1)) - 1, static_cast<std::uint32_t>(bits)};
  }
  const int bits = std::min(bits_of(static_cast<unsigned long long>(max)), 32);
  return {0, (1ll << bits) - 1, static_cast<std::uint32_t>(bits)};
}

/// The smallest and largest of a set of sample values. DCMTK chooses its scaling algorithm and
/// the integer type it scales in from the values of all frames it holds, so callers scaling
/// several frames pass the range over all of them to scale().
struct ValueRange {
  long long min = 0;
  long long max = 0;
};

/// The range of the samples of `image` ({0, 0} when empty). A 32-bit integer `T` holds values
/// from 2^31 to 2^32 - 1 as their bits, read as unsigned when `lo` >= 0 (an unsigned range).
template <class T>
ValueRange sample_range(const Raster<T>& image, long long lo) {
  if (image.samples.empty()) return {};
  if constexpr (std::is_integral_v<T> && std::is_signed_v<T> && sizeof(T) == 4) {
    if (lo >= 0) {
      const auto [low, high] = std::minmax_element(
          image.samples.begin(), image.samples.end(),
          [](T a, T b) { return static_cast<std::uint32_t>(a) < static_cast<std::uint32_t>(b); });
      return {static_cast<std::uint32_t>(*low), static_cast<std::uint32_t>(*high)};
    }
  }
  const auto [low, high] = std::minmax_element(image.samples.begin(), image.samples.end());
  return {static_cast<long long>(*low), static_cast<long long>(*high)};
}

/// Whether scale() uses pbmplus' pnmscale to make `width` x `height` from `src_width` x
/// `src_height` (see scale()). DCMTK's pnmscale ignores a clipping region (it scales the whole
/// image to the size computed from the region); its other algorithms scale the region.
inline bool uses_pnmscale(Interpolation interpolation, std::uint32_t src_width,
                          std::uint32_t src_height, std::uint32_t width, std::uint32_t height,
                          std::uint32_t bits = 16) {
  if (interpolation == Interpolation::None || bits > 16) return false;
  if (src_width == width && src_height == height) return false;
  if (interpolation == Interpolation::Pbmplus) return true;
  const bool enlarging = width >= src_width && height >= src_height;
  const bool reducing = width <= src_width && height <= src_height;
  return !enlarging && !reducing;
}

/// `image` scaled to `width` × `height` with `interpolation`, as DCMTK's scaler chooses: without
/// interpolation nearest neighbour; +i 1 pnmscale; +i 4 bicubic when enlarging a source of at
/// least 3 x 3, +i 3 and 4 bilinear when enlarging one of at least 2 x 2, +i 2..4 (and +i 1 for
/// values of more than 16 `bits`) otherwise the c't area interpolation when enlarging or reducing
/// both axes; when one axis grows and the other shrinks pnmscale, or for more than 16 bits
/// nearest neighbour. Sample values stay within [lo, hi] (the range of the sample type or of
/// the bits of the values; bicubic overshoot is clamped to it). `values`: the range of the
/// values of all frames scaled alike (see ValueRange), else that of `image`'s.
template <class T>
Raster<T> scale(const Raster<T>& image, std::uint32_t width, std::uint32_t height,
                Interpolation interpolation, long long lo, long long hi, std::uint32_t bits = 16,
                std::optional<ValueRange> values = std::nullopt) {
  Raster<T> out;
  out.width = width;
  out.height = height;
  out.channels = image.channels;
  if (width == 0 || height == 0 || image.width == 0 || image.height == 0) return out;
  out.samples.resize(std::size_t{width} * height * image.channels);
  if (width == image.width && height == image.height) {
    out.samples = image.samples;
    return out;
  }
  const bool pnmscale = bits <= 16;  // DCMTK's limit for pbmplus' fixed-point sums
  const bool enlarging = width >= image.width && height >= image.height;
  const bool reducing = width <= image.width && height <= image.height;
  if (interpolation == Interpolation::None) {
    detail::nearest_scale(image, out);
  } else if (interpolation == Interpolation::Pbmplus && pnmscale) {
    detail::pbmplus_scale(image, out, lo, hi);
  } else if (interpolation == Interpolation::Bicubic && enlarging && image.width >= 3 &&
             image.height >= 3) {
    const ValueRange range = values ? *values : sample_range(image, lo);
    const detail::CubicLimits limits = detail::cubic_limits(range.min, range.max, lo, hi);
    detail::separable_expand(image, out, detail::bicubic_taps(image.width, width, true),
                             detail::bicubic_taps(image.height, height, false), limits.lo,
                             limits.hi, limits.wrap);
  } else if ((interpolation == Interpolation::Bilinear ||
              interpolation == Interpolation::Bicubic) &&
             enlarging && image.width >= 2 && image.height >= 2) {
    detail::separable_expand(image, out, detail::bilinear_taps(image.width, width, true),
                             detail::bilinear_taps(image.height, height, false), lo, hi,
                             detail::Wrap::None);
  } else if (enlarging) {
    detail::area_expand(image, out);
  } else if (reducing) {
    detail::area_reduce(image, out);
  } else if (pnmscale) {
    detail::pbmplus_scale(image, out, lo, hi);
  } else {
    detail::nearest_scale(image, out);
  }
  return out;
}

}  // namespace dcmkit::dcmimgle

// SPDX-License-Identifier: BSD-3-Clause
// Geometry of rendered frames: clipping, rotation by 90/180/270 degrees, flips and scaling with
// or without interpolation, on images of any sample type with one or more interleaved channels.
// The scaling algorithms reproduce DCMTK's results (nearest neighbour, and the area-averaging
// algorithm of pbmplus' pnmscale that DCMTK uses for interpolation 1).
//
//   Raster<std::int32_t> image{512, 512, 1, std::move(values)};
//   image = rotate(image, 90);
//   image = scale(image, 256, 256, Interpolation::Pbmplus);
#pragma once

#include <algorithm>
#include <cstdint>
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
  Ct,        ///< +i 2 (DCMTK's c't algorithm; computed as Pbmplus here)
  Bilinear,  ///< +i 3 (computed as Pbmplus here)
  Bicubic,   ///< +i 4 (computed as Pbmplus here)
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

/// `image` scaled to `width` × `height`. Sample values stay within [lo, hi] (the range of the
/// sample type or of the data).
template <class T>
Raster<T> scale(const Raster<T>& image, std::uint32_t width, std::uint32_t height,
                Interpolation interpolation, long long lo, long long hi) {
  Raster<T> out;
  out.width = width;
  out.height = height;
  out.channels = image.channels;
  if (width == 0 || height == 0 || image.width == 0 || image.height == 0) return out;
  const std::uint32_t c = image.channels;
  out.samples.resize(std::size_t{width} * height * c);
  if (width == image.width && height == image.height) {
    out.samples = image.samples;
    return out;
  }
  if (interpolation == Interpolation::None) {
    // Nearest neighbour: along each axis, source pixels are repeated (enlarging) or skipped
    // (reducing) in groups whose sizes alternate evenly, as DCMTK distributes them.
    const std::vector<std::uint32_t> sx = detail::nearest_indices(image.width, width);
    const std::vector<std::uint32_t> sy = detail::nearest_indices(image.height, height);
    for (std::uint32_t y = 0; y < height; ++y) {
      for (std::uint32_t x = 0; x < width; ++x) {
        for (std::uint32_t k = 0; k < c; ++k) out.at(x, y, k) = image.at(sx[x], sy[y], k);
      }
    }
    return out;
  }
  // pnmscale: each output sample is the area-weighted sum of the input samples it covers, in
  // units of 1/4096, rounded by starting each sum at one half.
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
  return out;
}

}  // namespace dcmkit::dcmimgle

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/quantize.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>

namespace dcmkit::dcmimage {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;

namespace {

// ppmquant's and DCMTK's limit: an image with more distinct colours is scaled down first.
constexpr std::size_t kMaxHistogramColors = 65536;
// The hash that orders the histogram (pbmplus' colour hash: 20023 buckets, the newest colour
// first in its bucket). Only the order of colours that tie in a sort depends on it.
constexpr std::uint32_t kHashSize = 20023;
// Floyd-Steinberg errors are kept as fixed point with this scale (as in ppmquant).
constexpr long kFsScale = 1024;
// The initial distance of the palette search and of the cluster radii.
constexpr std::uint32_t kFar = 2000000000;

struct Entry {
  std::array<std::uint8_t, 3> color;
  std::uint32_t count;
  std::uint32_t first;  // order of first occurrence
};

struct Box {
  std::size_t index;
  std::size_t colors;
  std::uint64_t sum;
};

std::uint32_t pack(std::uint32_t r, std::uint32_t g, std::uint32_t b) {
  return r << 16 | g << 8 | b;
}

// Open addressing from a packed 24-bit colour to a 32-bit value, for the histogram and for the
// colour -> palette index cache of the mapping.
class ColorMap {
 public:
  explicit ColorMap(std::size_t min_capacity) {
    std::size_t capacity = 1024;
    while (capacity < 2 * min_capacity) capacity *= 2;
    keys_.assign(capacity, kEmpty);
    values_.assign(capacity, 0);
    mask_ = capacity - 1;
  }
  // The slot of `key`: its value and whether it was there before (else inserted with value 0).
  std::pair<std::uint32_t*, bool> find_or_insert(std::uint32_t key) {
    std::size_t slot = (key * 2654435761u) & mask_;
    while (true) {
      if (keys_[slot] == key) return {&values_[slot], true};
      if (keys_[slot] == kEmpty) {
        if (size_ * 2 >= keys_.size()) {
          grow();
          return find_or_insert(key);
        }
        keys_[slot] = key;
        ++size_;
        return {&values_[slot], false};
      }
      slot = (slot + 1) & mask_;
    }
  }
  std::size_t size() const noexcept { return size_; }

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFF;
  void grow() {
    std::vector<std::uint32_t> keys = std::move(keys_);
    std::vector<std::uint32_t> values = std::move(values_);
    keys_.assign(keys.size() * 2, kEmpty);
    values_.assign(keys.size() * 2, 0);
    mask_ = keys_.size() - 1;
    size_ = 0;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] != kEmpty) *find_or_insert(keys[i]).first = values[i];
    }
  }
  std::vector<std::uint32_t> keys_;
  std::vector<std::uint32_t> values_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

// 8-bit values on the scale 0..maxval, rounded (ppmquant's PPM_DEPTH from 255 straight to
// the new scale; DCMTK converts each frame again for every scale it tries).
std::array<std::uint8_t, 256> scale_table(std::uint32_t maxval) {
  std::array<std::uint8_t, 256> table{};
  for (std::uint32_t v = 0; v < 256; ++v) {
    table[v] = static_cast<std::uint8_t>(maxval == 255 ? v : (v * maxval + 127) / 255);
  }
  return table;
}

// The distinct colours of all frames at `maxval` with their counts, in the order of pbmplus'
// hash table; empty if there are more than kMaxHistogramColors.
std::optional<std::vector<Entry>> histogram(std::span<const std::vector<std::uint8_t>> frames,
                                            std::uint32_t maxval) {
  const std::array<std::uint8_t, 256> scale = scale_table(maxval);
  ColorMap index(4096);
  std::vector<Entry> entries;
  for (const std::vector<std::uint8_t>& frame : frames) {
    for (std::size_t i = 0; i + 2 < frame.size(); i += 3) {
      const std::uint8_t r = scale[frame[i]];
      const std::uint8_t g = scale[frame[i + 1]];
      const std::uint8_t b = scale[frame[i + 2]];
      auto [slot, found] = index.find_or_insert(pack(r, g, b));
      if (found) {
        ++entries[*slot].count;
        continue;
      }
      if (entries.size() == kMaxHistogramColors) return std::nullopt;
      *slot = static_cast<std::uint32_t>(entries.size());
      entries.push_back(Entry{{r, g, b}, 1, static_cast<std::uint32_t>(entries.size())});
    }
  }
  const auto bucket = [](const Entry& e) {
    const long hash =
        (long{e.color[0]} * 33023 + long{e.color[1]} * 30013 + long{e.color[2]} * 27011) &
        0x7fffffff;
    return static_cast<std::uint32_t>(hash % kHashSize);
  };
  std::sort(entries.begin(), entries.end(), [&](const Entry& a, const Entry& b) {
    const std::uint32_t ba = bucket(a);
    const std::uint32_t bb = bucket(b);
    return ba != bb ? ba < bb : a.first > b.first;
  });
  return entries;
}

// The component to split `box` along.
std::size_t split_component(std::span<const Entry> box, SplitDimension split) {
  std::array<int, 3> min{255, 255, 255};
  std::array<int, 3> max{0, 0, 0};
  for (const Entry& e : box) {
    for (std::size_t c = 0; c < 3; ++c) {
      min[c] = std::min<int>(min[c], e.color[c]);
      max[c] = std::max<int>(max[c], e.color[c]);
    }
  }
  if (split == SplitDimension::RgbRange) {
    const int r = max[0] - min[0];
    const int g = max[1] - min[1];
    const int b = max[2] - min[2];
    if (r >= g && r >= b) return 0;
    return g >= b ? std::size_t{1} : std::size_t{2};
  }
  // Luminance weights of ITU-R BT.601 (as ppmquant's LARGE_LUM).
  const double r = 0.299 * (max[0] - min[0]);
  const double g = 0.587 * (max[1] - min[1]);
  const double b = 0.114 * (max[2] - min[2]);
  if (r >= g && r >= b) return 0;
  return g >= b ? std::size_t{1} : std::size_t{2};
}

// Heckbert's median cut: the box with the most pixels that holds two colours or more is split at
// the median of its pixels along one component, until there are `colors` boxes. The boxes stay
// ordered by pixel count (largest first, ties in the order they had), the palette's order.
std::vector<Box> median_cut(std::vector<Entry>& entries, std::uint32_t colors,
                            SplitDimension split) {
  std::uint64_t total = 0;
  for (const Entry& e : entries) total += e.count;
  std::vector<Box> boxes{{0, entries.size(), total}};
  while (boxes.size() < colors) {
    const auto it =
        std::find_if(boxes.begin(), boxes.end(), [](const Box& b) { return b.colors >= 2; });
    if (it == boxes.end()) break;
    const Box box = *it;
    boxes.erase(it);
    const auto first = entries.begin() + static_cast<std::ptrdiff_t>(box.index);
    const auto last = first + static_cast<std::ptrdiff_t>(box.colors);
    const std::size_t c = split_component({first, last}, split);
    std::stable_sort(first, last,
                     [c](const Entry& a, const Entry& b) { return a.color[c] < b.color[c]; });
    std::uint64_t lower_sum = first->count;
    const std::uint64_t half = box.sum / 2;
    std::size_t i = 1;
    for (; i < box.colors - 1; ++i) {
      if (lower_sum >= half) break;
      lower_sum += entries[box.index + i].count;
    }
    const Box lower{box.index, i, lower_sum};
    const Box upper{box.index + i, box.colors - i, box.sum - lower_sum};
    // Where a stable sort by descending sum puts them: the lower part before boxes of equal sum
    // (they all came after it), the new upper part after them.
    boxes.insert(std::partition_point(boxes.begin(), boxes.end(),
                                      [&](const Box& b) { return b.sum > lower.sum; }),
                 lower);
    boxes.insert(std::partition_point(boxes.begin(), boxes.end(),
                                      [&](const Box& b) { return b.sum >= upper.sum; }),
                 upper);
  }
  return boxes;
}

RgbColor representative(std::span<const Entry> box, std::uint64_t sum, RepresentativeColor choice,
                        std::uint32_t maxval) {
  RgbColor color{};
  for (std::size_t c = 0; c < 3; ++c) {
    std::uint64_t value = 0;
    switch (choice) {
      case RepresentativeColor::AverageColors: {
        for (const Entry& e : box) value += e.color[c];
        value /= box.size();
        break;
      }
      case RepresentativeColor::AveragePixels: {
        for (const Entry& e : box) value += std::uint64_t{e.color[c]} * e.count;
        value = std::min<std::uint64_t>(value / sum, maxval);
        break;
      }
      case RepresentativeColor::BoxCenter: {
        // DCMTK's centre is the mean of the smallest value and the value of the box's last
        // colour (in the order of its last split), not of its largest value: matched
        // experimentally against dcmquant +Cc.
        std::uint32_t min = box.front().color[c];
        for (const Entry& e : box) min = std::min<std::uint32_t>(min, e.color[c]);
        value = (min + box.back().color[c]) / 2;
        break;
      }
    }
    color[c] = static_cast<std::uint16_t>(value);
  }
  return color;
}

std::uint32_t distance(const RgbColor& a, int r, int g, int b) {
  const int dr = r - a[0];
  const int dg = g - a[1];
  const int db = b - a[2];
  return static_cast<std::uint32_t>(dr * dr + dg * dg + db * db);
}

// The palette search of DCMTK's dcmquant: entries in palette order, and a search ends at a new
// best entry that is closer than its "cluster radius", so it may end before the nearest entry.
// The radii follow DCMTK's results, measured with probe colours against many palettes (the
// distance from an entry to the colours that still stopped there, and to those that did not):
// going through the entries but the last, entry i lowers its radius to half the squared distance
// of each later entry that is closer than the radius so far; then the entry that last lowered a
// radius (of this entry or, if none did, of an earlier one) gets entry i's radius. This is not a
// nearest-neighbour search, which is why it has to be reproduced to write DCMTK's pixels.
class PaletteSearch {
 public:
  explicit PaletteSearch(std::span<const RgbColor> palette)
      : palette_(palette), radius_(palette.size(), kFar) {
    const std::size_t n = palette.size();
    std::optional<std::size_t> last_closer;
    for (std::size_t i = 0; i + 1 < n; ++i) {
      for (std::size_t j = i + 1; j < n; ++j) {
        const std::uint32_t half =
            distance(palette[i], palette[j][0], palette[j][1], palette[j][2]) / 2;
        if (half < radius_[i]) {
          radius_[i] = half;
          last_closer = j;
        }
      }
      if (last_closer) radius_[*last_closer] = radius_[i];
    }
  }

  std::uint16_t find(int r, int g, int b) const {
    std::size_t best = 0;
    std::uint32_t best_distance = kFar;
    for (std::size_t i = 0; i < palette_.size(); ++i) {
      const std::uint32_t d = distance(palette_[i], r, g, b);
      if (d < best_distance) {
        best = i;
        best_distance = d;
        if (d < radius_[i]) break;
      }
    }
    return static_cast<std::uint16_t>(best);
  }

 private:
  std::span<const RgbColor> palette_;
  std::vector<std::uint32_t> radius_;
};

// Maps one frame; with `floyd_steinberg` the quantization error of each pixel is spread over its
// neighbours (7/16 ahead, 3/16, 5/16 and 1/16 on the next row), rows alternating direction.
std::vector<std::uint16_t> map_frame(const std::vector<std::uint8_t>& frame, std::uint32_t width,
                                     std::uint32_t height,
                                     const std::array<std::uint8_t, 256>& scale,
                                     std::uint32_t maxval, std::span<const RgbColor> palette,
                                     const PaletteSearch& search, ColorMap& cache,
                                     bool floyd_steinberg) {
  std::vector<std::uint16_t> out(std::size_t{width} * height);
  const auto lookup = [&](int r, int g, int b) {
    auto [slot, found] =
        cache.find_or_insert(pack(static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(g),
                                  static_cast<std::uint32_t>(b)));
    if (!found) *slot = search.find(r, g, b);
    return static_cast<std::uint16_t>(*slot);
  };
  if (!floyd_steinberg) {
    for (std::size_t i = 0; i < out.size(); ++i) {
      out[i] = lookup(scale[frame[3 * i]], scale[frame[3 * i + 1]], scale[frame[3 * i + 2]]);
    }
    return out;
  }
  const std::size_t columns = width;
  std::array<std::vector<long>, 3> this_error;
  std::array<std::vector<long>, 3> next_error;
  for (std::size_t c = 0; c < 3; ++c) {
    this_error[c].assign(columns + 2, 0);
    next_error[c].assign(columns + 2, 0);
  }
  const long top = static_cast<long>(maxval);
  bool forward = true;
  for (std::size_t row = 0; row < height; ++row) {
    for (std::size_t c = 0; c < 3; ++c) std::fill(next_error[c].begin(), next_error[c].end(), 0);
    for (std::size_t step = 0; step < columns; ++step) {
      const std::size_t col = forward ? step : columns - 1 - step;
      const std::size_t pixel = row * columns + col;
      std::array<long, 3> value{};
      for (std::size_t c = 0; c < 3; ++c) {
        value[c] = scale[frame[3 * pixel + c]] + this_error[c][col + 1] / kFsScale;
        value[c] = std::clamp(value[c], 0l, top);
      }
      const std::uint16_t index = lookup(static_cast<int>(value[0]), static_cast<int>(value[1]),
                                         static_cast<int>(value[2]));
      out[pixel] = index;
      for (std::size_t c = 0; c < 3; ++c) {
        const long error = (value[c] - long{palette[index][c]}) * kFsScale;
        if (forward) {
          this_error[c][col + 2] += error * 7 / 16;
          next_error[c][col] += error * 3 / 16;
          next_error[c][col + 1] += error * 5 / 16;
          next_error[c][col + 2] += error / 16;
        } else {
          this_error[c][col] += error * 7 / 16;
          next_error[c][col + 2] += error * 3 / 16;
          next_error[c][col + 1] += error * 5 / 16;
          next_error[c][col] += error / 16;
        }
      }
    }
    std::swap(this_error, next_error);
    forward = !forward;
  }
  return out;
}

}  // namespace

Result<QuantizedImage> quantize(std::span<const std::vector<std::uint8_t>> frames,
                                std::uint32_t width, std::uint32_t height,
                                const QuantizeOptions& options) {
  if (options.colors < 2 || options.colors > 65536) {
    return Error(ErrorCode::InvalidArgument,
                 "number of colors out of range (2..65536): " + std::to_string(options.colors));
  }
  if (frames.empty() || width == 0 || height == 0) {
    return Error(ErrorCode::InvalidArgument, "no pixels to quantize");
  }
  const std::size_t frame_bytes = std::size_t{width} * height * 3;
  for (const std::vector<std::uint8_t>& frame : frames) {
    if (frame.size() != frame_bytes) {
      return Error(ErrorCode::InvalidArgument, "frame of the wrong size");
    }
  }
  QuantizedImage result;
  std::uint32_t maxval = 255;
  std::optional<std::vector<Entry>> entries = histogram(frames, maxval);
  while (!entries) {
    maxval /= 2;  // at most 8 colours at maxval 1, so this ends
    entries = histogram(frames, maxval);
  }
  result.maxval = maxval;
  result.histogram_colors = entries->size();
  const std::vector<Box> boxes = median_cut(*entries, options.colors, options.split);
  result.palette.assign(options.colors, RgbColor{0, 0, 0});
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    const std::span<const Entry> box(entries->data() + boxes[i].index, boxes[i].colors);
    result.palette[i] = representative(box, boxes[i].sum, options.representative, maxval);
  }
  // Colours beyond the boxes are never the nearest (every colour of such an image is a box).
  const std::span<const RgbColor> used(result.palette.data(), boxes.size());
  const PaletteSearch search(used);
  const std::array<std::uint8_t, 256> scale = scale_table(maxval);
  ColorMap cache(std::min<std::size_t>(entries->size(), 1 << 20));
  result.frames.reserve(frames.size());
  for (const std::vector<std::uint8_t>& frame : frames) {
    result.frames.push_back(map_frame(frame, width, height, scale, maxval, used, search, cache,
                                      options.floyd_steinberg));
  }
  return result;
}

std::uint16_t palette_entry_8(std::uint16_t value, std::uint32_t maxval) noexcept {
  if (maxval == 0) return 0;
  return static_cast<std::uint16_t>(std::uint32_t{value} * 255 / maxval);
}

std::uint16_t palette_entry_16(std::uint16_t value, std::uint32_t maxval) noexcept {
  if (maxval == 0) return 0;
  const std::uint32_t w = std::uint32_t{value} * 65535 / maxval;
  return static_cast<std::uint16_t>((w | w << 8) & 0xFFFF);
}

}  // namespace dcmkit::dcmimage

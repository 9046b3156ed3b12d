// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/rle.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "dcmkit/ofstd/byte_order.h"
#include "dcmkit/ofstd/checked_math.h"

namespace dcmkit::dcmdata {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

namespace {

constexpr std::size_t kHeaderSize = 64;  // PS3.5 §G.5: segment count and 15 offsets
constexpr std::uint32_t kMaxSegments = 15;

struct Layout {
  std::size_t pixels = 0;      // rows × columns
  std::size_t samples = 0;     // samples per pixel
  std::size_t bytes = 0;       // bytes per sample
  std::size_t frame_size = 0;  // bytes of one native frame
  bool by_plane = false;       // Planar Configuration 1
};

Result<Layout> layout_of(const PixelDescription& d) {
  if (d.bits_allocated == 0 || d.bits_allocated % 8 != 0) {
    return Error(ErrorCode::Unsupported, "RLE needs Bits Allocated a multiple of 8, not " +
                                             std::to_string(d.bits_allocated));
  }
  if (d.rows == 0 || d.columns == 0 || d.samples_per_pixel == 0) {
    return Error(ErrorCode::InvalidArgument, "empty image description");
  }
  Layout l;
  l.pixels = std::size_t{d.rows} * d.columns;
  l.samples = d.samples_per_pixel;
  l.bytes = d.bits_allocated / 8;
  if (l.samples * l.bytes > kMaxSegments) {
    return Error(ErrorCode::Unsupported, "RLE has at most 15 segments; " +
                                             std::to_string(l.samples) + " samples of " +
                                             std::to_string(l.bytes) + " bytes need more");
  }
  const auto size = ofstd::checked_mul<std::size_t>(l.pixels, l.samples * l.bytes);
  if (!size) return Error(ErrorCode::LimitExceeded, "frame size overflows");
  l.frame_size = *size;
  l.by_plane = d.samples_per_pixel > 1 && d.planar_configuration == 1;
  return l;
}

// Where segment `segment` (sample s, byte b counted from the most significant) puts its bytes:
// the first byte's position in the frame and the distance between consecutive ones.
struct Placement {
  std::size_t start;
  std::size_t stride;
};

Placement place(const Layout& l, std::size_t segment, bool reverse) {
  const std::size_t sample = segment / l.bytes;
  const std::size_t byte = segment % l.bytes;
  // Native is little endian: the most significant byte is the last of a sample.
  const std::size_t position = reverse ? byte : l.bytes - 1 - byte;
  if (l.by_plane) return {sample * l.pixels * l.bytes + position, l.bytes};
  return {sample * l.bytes + position, l.samples * l.bytes};
}

}  // namespace

Status rle_decode_frame(std::span<const std::byte> encoded, const PixelDescription& description,
                        std::vector<std::byte>& out, bool reverse_byte_order, Strictness strictness,
                        std::vector<Diagnostic>* diagnostics) {
  DCMKIT_ASSIGN_OR_RETURN(const Layout l, layout_of(description));
  const auto malformed = [](const std::string& message) {
    return Error(ErrorCode::MalformedData, "RLE: " + message);
  };
  if (encoded.size() < kHeaderSize) {
    return malformed("header of " + std::to_string(encoded.size()) + " bytes, 64 expected");
  }
  const std::uint32_t count = ofstd::load_u32(encoded.data(), ofstd::Endian::Little);
  const std::size_t needed = l.samples * l.bytes;
  if (count == 0 || count > kMaxSegments) {
    return malformed("header announces " + std::to_string(count) + " segments");
  }
  if (count < needed) {
    return malformed("header announces " + std::to_string(count) + " segments; " +
                     std::to_string(l.samples) + " samples of " + std::to_string(l.bytes) +
                     " bytes need " + std::to_string(needed));
  }
  // Each input byte makes at most 64 output bytes, so data far too short for the frame is
  // refused before the frame is allocated (a hostile description could ask for gigabytes).
  if (l.frame_size / kRleMaxExpansion > encoded.size()) {
    return malformed(std::to_string(encoded.size()) + " bytes cannot hold a frame of " +
                     std::to_string(l.frame_size) + " bytes");
  }
  std::array<std::size_t, kMaxSegments + 1> offsets{};
  for (std::size_t i = 0; i < count; ++i) {
    offsets[i] = ofstd::load_u32(encoded.data() + 4 + 4 * i, ofstd::Endian::Little);
    if (offsets[i] < kHeaderSize || offsets[i] > encoded.size()) {
      return malformed("segment " + std::to_string(i + 1) + " offset " +
                       std::to_string(offsets[i]) + " is outside the " +
                       std::to_string(encoded.size()) + " bytes of the frame");
    }
  }
  offsets[count] = encoded.size();
  for (std::size_t i = 0; i < count; ++i) {
    if (offsets[i + 1] < offsets[i]) {
      return malformed("segment " + std::to_string(i + 2) + " starts before segment " +
                       std::to_string(i + 1));
    }
  }

  std::vector<Diagnostic> notes;
  const auto deviation = [&](std::size_t at, const std::string& message) -> Status {
    if (strictness == Strictness::Strict) return malformed(message);
    notes.push_back(Diagnostic{at, {}, "RLE: " + message});
    return {};
  };
  if (count > needed) {
    DCMKIT_TRY(deviation(0, std::to_string(count - needed) + " surplus segments ignored"));
  }

  const std::size_t old_size = out.size();
  out.resize(old_size + l.frame_size);  // zero-filled: pixels a short segment misses stay 0
  std::byte* const frame = out.data() + old_size;
  const auto* const in = encoded.data();
  Status status;
  for (std::size_t s = 0; s < needed && status; ++s) {
    const Placement p = place(l, s, reverse_byte_order);
    std::byte* dest = frame + p.start;
    std::size_t produced = 0;
    std::size_t pos = offsets[s];
    const std::size_t end = offsets[s + 1];
    bool truncated = false;
    while (produced < l.pixels && pos < end) {
      const auto header = static_cast<std::int8_t>(std::to_integer<std::uint8_t>(in[pos++]));
      if (header >= 0) {  // literal run of header + 1 bytes
        std::size_t run = static_cast<std::size_t>(header) + 1;
        if (run > end - pos) {
          run = end - pos;
          truncated = true;
        }
        const std::size_t take = std::min(run, l.pixels - produced);
        if (p.stride == 1) {
          std::memcpy(dest + produced, in + pos, take);
        } else {
          for (std::size_t k = 0; k < take; ++k) dest[(produced + k) * p.stride] = in[pos + k];
        }
        produced += take;
        pos += run;
      } else if (header != -128) {  // replicate run: the next byte 1 - header times
        if (pos >= end) {
          truncated = true;
          break;
        }
        const std::byte value = in[pos++];
        const std::size_t take =
            std::min(static_cast<std::size_t>(1 - header), l.pixels - produced);
        if (p.stride == 1) {
          std::memset(dest + produced, std::to_integer<int>(value), take);
        } else {
          for (std::size_t k = 0; k < take; ++k) dest[(produced + k) * p.stride] = value;
        }
        produced += take;
      }
      // -128 is a no-op (PS3.5 §G.3.2).
    }
    if (truncated) {
      status = deviation(end, "segment " + std::to_string(s + 1) + " ends inside a run");
    }
    if (status && produced < l.pixels) {
      status = deviation(end, "segment " + std::to_string(s + 1) + " decodes to " +
                                  std::to_string(produced) + " of " + std::to_string(l.pixels) +
                                  " bytes; the rest is zero");
    }
  }
  if (!status) {
    out.resize(old_size);
    return status;
  }
  if (diagnostics != nullptr) {
    diagnostics->insert(diagnostics->end(), notes.begin(), notes.end());
  }
  return {};
}

namespace {

// PackBits one row (PS3.5 §G.3.1): runs of three or more identical bytes are replicate runs;
// a two-byte repeat is a replicate run unless it follows a literal run, which it then joins
// (the note's advice: cheaper or equal in every case).
void encode_row(std::span<const std::byte> row, std::vector<std::byte>& out) {
  std::size_t i = 0;
  const std::size_t n = row.size();
  std::size_t literal_start = 0;
  std::size_t literal_length = 0;
  const auto flush_literal = [&] {
    while (literal_length > 0) {
      const std::size_t chunk = std::min<std::size_t>(literal_length, 128);
      out.push_back(static_cast<std::byte>(chunk - 1));
      out.insert(out.end(), row.begin() + static_cast<std::ptrdiff_t>(literal_start),
                 row.begin() + static_cast<std::ptrdiff_t>(literal_start + chunk));
      literal_start += chunk;
      literal_length -= chunk;
    }
  };
  while (i < n) {
    std::size_t run = 1;
    while (i + run < n && run < 128 && row[i + run] == row[i]) ++run;
    if (run >= 3 || (run == 2 && literal_length == 0)) {
      flush_literal();
      out.push_back(static_cast<std::byte>(static_cast<std::uint8_t>(257 - run)));
      out.push_back(row[i]);
      i += run;
      literal_start = i;
    } else {
      if (literal_length == 0) literal_start = i;
      literal_length += run;
      i += run;
    }
  }
  flush_literal();
}

}  // namespace

Result<std::vector<std::byte>> rle_encode_frame(std::span<const std::byte> native,
                                                const PixelDescription& description) {
  const std::string& pi = description.photometric_interpretation;
  if (pi == "YBR_FULL_422" || pi == "YBR_PARTIAL_422" || pi == "YBR_PARTIAL_420") {
    return Error(ErrorCode::Unsupported, "RLE cannot encode subsampled " + pi + " pixels");
  }
  DCMKIT_ASSIGN_OR_RETURN(const Layout l, layout_of(description));
  if (native.size() < l.frame_size) {
    return Error(ErrorCode::InvalidArgument, "frame has " + std::to_string(native.size()) +
                                                 " bytes, " + std::to_string(l.frame_size) +
                                                 " expected");
  }
  const std::size_t count = l.samples * l.bytes;
  std::vector<std::byte> out(kHeaderSize);
  ofstd::store(out.data(), static_cast<std::uint32_t>(count), ofstd::Endian::Little);
  std::vector<std::byte> row(description.columns);
  for (std::size_t s = 0; s < count; ++s) {
    if (out.size() > 0xFFFFFFFFu) {
      return Error(ErrorCode::LimitExceeded, "RLE frame exceeds 4 GiB");
    }
    ofstd::store(out.data() + 4 + 4 * s, static_cast<std::uint32_t>(out.size()),
                 ofstd::Endian::Little);
    const Placement p = place(l, s, false);
    for (std::size_t r = 0; r < description.rows; ++r) {
      const std::size_t first = r * description.columns;
      for (std::size_t c = 0; c < row.size(); ++c) {
        row[c] = native[p.start + (first + c) * p.stride];
      }
      encode_row(row, out);
    }
    if (out.size() % 2 != 0) out.push_back(std::byte{0});
  }
  return out;
}

}  // namespace dcmkit::dcmdata

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimgle/overlay.h"

#include <algorithm>
#include <cmath>

#include "dcmkit/dcmimgle/pixel_frames.h"

namespace dcmkit::dcmimgle {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;

namespace {

std::optional<std::int64_t> int_value(const dcmdata::DataSet& data, std::uint16_t group,
                                      std::uint16_t element, std::size_t index = 0) {
  const dcmdata::Element* e = data.find(dcmdata::Tag{group, element});
  if (e == nullptr || e->kind() != dcmdata::ValueKind::Bytes || e->bytes().empty()) {
    return std::nullopt;
  }
  auto v = e->as_int(index);
  if (!v) return std::nullopt;
  return *v;
}

std::string text_value(const dcmdata::DataSet& data, std::uint16_t group, std::uint16_t element) {
  return data.get_string(dcmdata::Tag{group, element}).value_or("");
}

}  // namespace

bool OverlayPlane::covers_frame(std::uint64_t frame) const noexcept {
  const std::uint64_t first = first_frame == 0 ? 0 : first_frame - 1;
  return frame >= first && frame < first + std::max<std::uint32_t>(frames, 1);
}

std::vector<OverlayPlane> read_overlays(const dcmdata::DataSet& data,
                                        const dcmdata::DataSet* pixel_owner,
                                        std::vector<std::string>* problems) {
  std::vector<OverlayPlane> planes;
  const auto report = [&](std::string text) {
    if (problems != nullptr) problems->push_back(std::move(text));
  };
  for (std::uint16_t group = 0x6000; group <= 0x601E;
       group = static_cast<std::uint16_t>(group + 2)) {
    const auto rows = int_value(data, group, 0x0010);
    const auto columns = int_value(data, group, 0x0011);
    const dcmdata::Element* overlay_data = data.find(dcmdata::Tag{group, 0x3000});
    if (!rows && !columns && overlay_data == nullptr) continue;
    OverlayPlane plane;
    plane.group = group;
    if (!rows || !columns || *rows <= 0 || *columns <= 0 || *rows > 0xFFFF || *columns > 0xFFFF) {
      report("invalid overlay plane " + std::to_string((group - 0x6000) / 2 + 1) +
             ": missing or impossible Overlay Rows/Columns");
      continue;
    }
    plane.rows = static_cast<std::uint32_t>(*rows);
    plane.columns = static_cast<std::uint32_t>(*columns);
    plane.origin_row = static_cast<std::int32_t>(
        std::clamp<std::int64_t>(int_value(data, group, 0x0050, 0).value_or(1), -65535, 65535));
    plane.origin_column = static_cast<std::int32_t>(
        std::clamp<std::int64_t>(int_value(data, group, 0x0050, 1).value_or(1), -65535, 65535));
    plane.roi = text_value(data, group, 0x0040) == "R";
    plane.frames = static_cast<std::uint32_t>(
        std::clamp<std::int64_t>(int_value(data, group, 0x0015).value_or(1), 1, 0x7FFFFFFF));
    plane.first_frame = static_cast<std::uint32_t>(
        std::clamp<std::int64_t>(int_value(data, group, 0x0051).value_or(1), 1, 0x7FFFFFFF));
    plane.bits_allocated = static_cast<std::uint32_t>(
        std::clamp<std::int64_t>(int_value(data, group, 0x0100).value_or(1), 1, 64));
    plane.bit_position = static_cast<std::uint32_t>(
        std::clamp<std::int64_t>(int_value(data, group, 0x0102).value_or(0), 0, 63));
    plane.label = text_value(data, group, 0x1500);
    plane.description = text_value(data, group, 0x0022);
    if (overlay_data != nullptr && overlay_data->kind() == dcmdata::ValueKind::Bytes &&
        !overlay_data->bytes().empty()) {
      plane.data = overlay_data->little_endian_bytes();
      plane.bits_allocated = 1;
      plane.bit_position = 0;
      // DCMTK drops a plane whose data lacks even a byte (fo-dicom's GH1728_overlay.dcm has
      // 652 x 567 bits in 46210 bytes); so does dcmkit, for the same output.
      const std::uint64_t expected =
          (std::uint64_t{plane.rows} * plane.columns * plane.frames + 7) / 8;
      if (plane.data.size() < expected) {
        report("overlay data length is too short, " + std::to_string(expected) +
               " bytes expected but " + std::to_string(plane.data.size()) + " bytes found");
        continue;
      }
    } else {
      if (pixel_owner == nullptr || plane.bits_allocated == 1) {
        report("overlay plane " + std::to_string(plane.index() + 1) + " has no Overlay Data");
        continue;
      }
      plane.embedded = true;
    }
    planes.push_back(std::move(plane));
  }
  return planes;
}

Result<Raster<std::uint8_t>> rasterize(const OverlayPlane& plane, std::uint64_t frame,
                                       std::uint32_t width, std::uint32_t height,
                                       const PixelFrames* frames) {
  Raster<std::uint8_t> out;
  if (!plane.covers_frame(frame)) return out;
  out.width = width;
  out.height = height;
  out.samples.assign(std::size_t{width} * height, 0);
  const std::uint64_t plane_frame = frame - (plane.first_frame - 1);
  const std::uint64_t plane_bits = std::uint64_t{plane.rows} * plane.columns;
  std::vector<std::int32_t> embedded;
  if (plane.embedded) {
    if (frames == nullptr) return Error(ErrorCode::InvalidArgument, "no pixel data for overlay");
    DCMKIT_TRY(frames->unpack_bit(frame, plane.bit_position, embedded));
  }
  const std::uint64_t first_bit = plane_frame * plane_bits;
  const std::uint64_t available_bits = std::uint64_t{plane.data.size()} * 8;
  for (std::uint32_t r = 0; r < plane.rows; ++r) {
    const std::int64_t y = std::int64_t{plane.origin_row} - 1 + r;
    if (y < 0 || y >= height) continue;
    for (std::uint32_t c = 0; c < plane.columns; ++c) {
      const std::int64_t x = std::int64_t{plane.origin_column} - 1 + c;
      if (x < 0 || x >= width) continue;
      bool set = false;
      if (plane.embedded) {
        // Embedded overlays share the image's grid (PS3.3 C.9.2.1.3: same size as the image).
        const std::size_t i = std::size_t{r} * plane.columns + c;
        set = i < embedded.size() && r < height && c < width &&
              embedded[std::size_t{r} * width + c] != 0;
      } else {
        const std::uint64_t bit = first_bit + std::uint64_t{r} * plane.columns + c;
        if (bit < available_bits) {
          set = ((std::to_integer<unsigned>(plane.data.data()[bit / 8]) >> (bit % 8)) & 1u) != 0;
        }
      }
      if (set) out.samples[static_cast<std::size_t>(y) * width + static_cast<std::size_t>(x)] = 1;
    }
  }
  return out;
}

void apply_overlay(const Raster<std::uint8_t>& bits_plane, OverlayMode mode, bool roi,
                   double foreground, double threshold, std::uint32_t bits,
                   std::vector<std::uint32_t>& out) {
  if (bits_plane.samples.empty()) return;
  if (mode == OverlayMode::Default) {
    mode = roi ? OverlayMode::RegionOfInterest : OverlayMode::Replace;
  }
  // DCMTK works on the final output values, whatever the polarity or presentation shape, and
  // its modes are asymmetric in ways a viewer would not guess; each rule below was measured
  // with DCMTK 3.6.7's dcm2pnm on synthetic images.
  const double max_value = std::ldexp(1.0, static_cast<int>(bits)) - 1;
  const auto max_out = static_cast<std::uint32_t>(max_value);
  const auto fore = static_cast<std::uint32_t>(max_value * foreground);
  const auto thresh = static_cast<std::uint32_t>(max_value * threshold);
  // Complement's threshold and the Region of Interest's dimming use half the output bits.
  const std::uint32_t half_bits = bits / 2;
  const std::uint32_t half_max = half_bits >= 32 ? 0xFFFFFFFFu : (1u << half_bits) - 1;
  const std::size_t n = std::min(out.size(), bits_plane.samples.size());
  for (std::size_t i = 0; i < n; ++i) {
    const bool set = bits_plane.samples[i] != 0;
    std::uint32_t& v = out[i];
    switch (mode) {
      case OverlayMode::Replace:
        // The foreground density does not apply here (DCMTK draws at full intensity).
        if (set) v = max_out;
        break;
      case OverlayMode::ThresholdReplace:
        // Dark pixels get the foreground, bright ones become 1 (not 0) in DCMTK.
        if (set) v = v <= thresh ? fore : 1;
        break;
      case OverlayMode::Complement:
        if (set) v = v <= half_max ? max_out : 0;
        break;
      case OverlayMode::InvertBitmap:
        // The inverted bitmap is drawn: the pixels outside the overlay get the foreground.
        if (!set) v = fore;
        break;
      case OverlayMode::RegionOfInterest:
        if (!set) v >>= half_bits;
        break;
      case OverlayMode::Default:
        break;
    }
  }
}

}  // namespace dcmkit::dcmimgle

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/pixel_data.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>

#include "dcmkit/ofstd/checked_math.h"
#include "dcmkit/ofstd/strings.h"

namespace dcmkit::dcmdata {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;

namespace {

constexpr Tag kSOPClassUID{0x0008, 0x0016};
constexpr Tag kSamplesPerPixel{0x0028, 0x0002};
constexpr Tag kPhotometricInterpretation{0x0028, 0x0004};
constexpr Tag kPlanarConfiguration{0x0028, 0x0006};
constexpr Tag kNumberOfFrames{0x0028, 0x0008};
constexpr Tag kRows{0x0028, 0x0010};
constexpr Tag kColumns{0x0028, 0x0011};
constexpr Tag kBitsAllocated{0x0028, 0x0100};
constexpr Tag kBitsStored{0x0028, 0x0101};
constexpr Tag kHighBit{0x0028, 0x0102};
constexpr Tag kPixelRepresentation{0x0028, 0x0103};
constexpr Tag kExtendedOffsetTable{0x7FE0, 0x0001};
constexpr Tag kPixelData{0x7FE0, 0x0010};
constexpr Tag kFloatPixelData{0x7FE0, 0x0008};
constexpr Tag kDoubleFloatPixelData{0x7FE0, 0x0009};

Error malformed(const std::string& message) { return Error(ErrorCode::MalformedData, message); }

// An unsigned attribute, or `fallback` if absent; a present but unreadable value is an error.
Result<std::uint64_t> unsigned_attribute(const DataSet& data, Tag tag, const char* name,
                                         std::optional<std::uint64_t> fallback) {
  const Element* e = data.find(tag);
  if (e == nullptr || (e->kind() == ValueKind::Bytes && e->bytes().empty())) {
    if (fallback) return *fallback;
    return malformed(std::string(name) + " " + tag.to_string() + " is missing");
  }
  auto value = e->as_uint();
  if (!value)
    return malformed(std::string(name) + " " + tag.to_string() + ": " + value.error().message());
  return *value;
}

// True if a fragment starts with the first bytes of a compressed frame: JPEG (SOI), JPEG 2000
// codestream (SOC SIZ), JP2 or JPEG XL container signature, JPEG XL codestream.
bool starts_frame(std::span<const std::byte> bytes) {
  const auto at = [&bytes](std::size_t i) { return std::to_integer<unsigned>(bytes[i]); };
  if (bytes.size() >= 2 && at(0) == 0xFF && at(1) == 0xD8) return true;
  if (bytes.size() >= 4 && at(0) == 0xFF && at(1) == 0x4F && at(2) == 0xFF && at(3) == 0x51)
    return true;
  if (bytes.size() >= 2 && at(0) == 0xFF && at(1) == 0x0A) return true;
  if (bytes.size() >= 8 && at(0) == 0 && at(1) == 0 && at(2) == 0 && at(3) == 0x0C) {
    return std::memcmp(bytes.data() + 4, "jP  ", 4) == 0 ||
           std::memcmp(bytes.data() + 4, "JXL ", 4) == 0;
  }
  return false;
}

}  // namespace

Result<PixelDescription> PixelDescription::from(const DataSet& data) {
  PixelDescription d;
  DCMKIT_ASSIGN_OR_RETURN(const std::uint64_t rows,
                          unsigned_attribute(data, kRows, "Rows", std::nullopt));
  DCMKIT_ASSIGN_OR_RETURN(const std::uint64_t columns,
                          unsigned_attribute(data, kColumns, "Columns", std::nullopt));
  DCMKIT_ASSIGN_OR_RETURN(const std::uint64_t samples,
                          unsigned_attribute(data, kSamplesPerPixel, "Samples per Pixel", 1));
  DCMKIT_ASSIGN_OR_RETURN(const std::uint64_t allocated,
                          unsigned_attribute(data, kBitsAllocated, "Bits Allocated", std::nullopt));
  DCMKIT_ASSIGN_OR_RETURN(const std::uint64_t stored,
                          unsigned_attribute(data, kBitsStored, "Bits Stored", allocated));
  DCMKIT_ASSIGN_OR_RETURN(
      const std::uint64_t high,
      unsigned_attribute(data, kHighBit, "High Bit", stored == 0 ? 0 : stored - 1));
  DCMKIT_ASSIGN_OR_RETURN(
      const std::uint64_t representation,
      unsigned_attribute(data, kPixelRepresentation, "Pixel Representation", 0));
  DCMKIT_ASSIGN_OR_RETURN(
      const std::uint64_t planar,
      unsigned_attribute(data, kPlanarConfiguration, "Planar Configuration", 0));
  DCMKIT_ASSIGN_OR_RETURN(const std::uint64_t frames,
                          unsigned_attribute(data, kNumberOfFrames, "Number of Frames", 1));
  if (rows == 0 || columns == 0 || rows > 0xFFFF || columns > 0xFFFF) {
    return malformed("impossible image size " + std::to_string(rows) + " x " +
                     std::to_string(columns));
  }
  if (samples == 0 || samples > 4) return malformed("Samples per Pixel " + std::to_string(samples));
  // 12 is ACR-NEMA's packing of two pixels in three bytes, still found in old archives.
  if (allocated == 0 || (allocated != 1 && allocated != 12 && allocated % 8 != 0) ||
      allocated > 64) {
    return malformed("Bits Allocated " + std::to_string(allocated));
  }
  if (stored == 0 || stored > allocated || high >= allocated || high + 1 < stored) {
    return malformed("Bits Stored " + std::to_string(stored) + " / High Bit " +
                     std::to_string(high) + " do not fit in Bits Allocated " +
                     std::to_string(allocated));
  }
  if (frames == 0) return malformed("Number of Frames is 0");
  d.rows = static_cast<std::uint32_t>(rows);
  d.columns = static_cast<std::uint32_t>(columns);
  d.samples_per_pixel = static_cast<std::uint32_t>(samples);
  d.bits_allocated = static_cast<std::uint32_t>(allocated);
  d.bits_stored = static_cast<std::uint32_t>(stored);
  d.high_bit = static_cast<std::uint32_t>(high);
  d.is_signed = representation == 1;
  d.planar_configuration = static_cast<std::uint32_t>(planar);
  d.number_of_frames = frames;
  if (auto photometric = data.get_string(kPhotometricInterpretation)) {
    d.photometric_interpretation = std::move(*photometric);
  }
  if (auto sop_class = data.get_string(kSOPClassUID)) d.sop_class_uid = std::move(*sop_class);
  return d;
}

Result<std::uint64_t> PixelDescription::frame_bits() const {
  std::uint64_t pixels = std::uint64_t{rows} * columns;
  // Native YBR_FULL_422 and YBR_PARTIAL_422 store two samples per pixel, YBR_PARTIAL_420 one and
  // a half (PS3.3 C.7.6.3.1.2).
  std::uint64_t samples_times_two = std::uint64_t{samples_per_pixel} * 2;
  if (photometric_interpretation == "YBR_FULL_422" ||
      photometric_interpretation == "YBR_PARTIAL_422") {
    samples_times_two = 4;
  } else if (photometric_interpretation == "YBR_PARTIAL_420") {
    samples_times_two = 3;
  }
  auto bits = ofstd::checked_mul<std::uint64_t>(pixels, samples_times_two);
  if (bits) bits = ofstd::checked_mul<std::uint64_t>(*bits, bits_allocated);
  if (!bits) return Error(ErrorCode::LimitExceeded, "frame size overflows 64 bits");
  return *bits / 2;
}

Result<FrameIndex> FrameIndex::build(const DataSet& data) {
  const Element* pixels = data.find(kPixelData);
  if (pixels == nullptr) pixels = data.find(kFloatPixelData);
  if (pixels == nullptr) pixels = data.find(kDoubleFloatPixelData);
  if (pixels == nullptr) return Error(ErrorCode::NotFound, "the data set has no Pixel Data");
  FrameIndex index;
  DCMKIT_ASSIGN_OR_RETURN(index.description_, PixelDescription::from(data));
  const std::uint64_t frames = index.description_.number_of_frames;

  if (!pixels->is_encapsulated()) {
    DCMKIT_ASSIGN_OR_RETURN(index.frame_bits_, index.description_.frame_bits());
    const auto total = ofstd::checked_mul<std::uint64_t>(index.frame_bits_, frames);
    const std::uint64_t available = std::uint64_t{pixels->bytes().size()} * 8;
    if (!total || *total > available) {
      return malformed("Pixel Data has " + std::to_string(pixels->bytes().size()) + " bytes; " +
                       std::to_string(frames) + " frames of " +
                       std::to_string(index.frame_bits_ / 8) + " bytes do not fit");
    }
    index.native_ = pixels->bytes();
    index.byte_order_ = pixels->byte_order();
    return index;
  }

  index.encapsulated_ = true;
  const auto& all = pixels->fragments();
  index.fragments_.assign(all.begin() + (all.empty() ? 0 : 1), all.end());
  const std::size_t count = index.fragments_.size();
  if (count == 0) return malformed("encapsulated Pixel Data has no fragments");
  // Offset of each fragment's item tag from the first fragment's (PS3.5 §A.4: offsets count the
  // 8-byte item headers).
  std::vector<std::uint64_t> item_offsets(count);
  std::uint64_t position = 0;
  for (std::size_t i = 0; i < count; ++i) {
    item_offsets[i] = position;
    position += 8 + index.fragments_[i].size();
  }
  const auto map_offsets = [&](const std::vector<std::uint64_t>& offsets,
                               const char* table) -> ofstd::Status {
    if (offsets.size() != frames) {
      return malformed(std::string(table) + " has " + std::to_string(offsets.size()) +
                       " entries for " + std::to_string(frames) + " frames");
    }
    index.first_fragment_.clear();
    for (std::uint64_t offset : offsets) {
      const auto it = std::lower_bound(item_offsets.begin(), item_offsets.end(), offset);
      if (it == item_offsets.end() || *it != offset ||
          (!index.first_fragment_.empty() &&
           static_cast<std::size_t>(it - item_offsets.begin()) <= index.first_fragment_.back())) {
        return malformed(std::string(table) + " offset " + std::to_string(offset) +
                         " does not start a fragment after the previous frame");
      }
      index.first_fragment_.push_back(static_cast<std::size_t>(it - item_offsets.begin()));
    }
    return {};
  };

  if (const Element* eot = data.find(kExtendedOffsetTable);
      eot != nullptr && eot->kind() == ValueKind::Bytes && !eot->bytes().empty()) {
    std::vector<std::uint64_t> offsets;
    const auto bytes = eot->bytes().span();
    for (std::size_t i = 0; i + 8 <= bytes.size(); i += 8) {
      offsets.push_back(ofstd::load_u64(bytes.data() + i, eot->byte_order()));
    }
    DCMKIT_TRY(map_offsets(offsets, "Extended Offset Table"));
    return index;
  }
  if (!all.empty() && !all.front().empty()) {
    std::vector<std::uint64_t> offsets;
    const auto bytes = all.front().span();
    for (std::size_t i = 0; i + 4 <= bytes.size(); i += 4) {
      offsets.push_back(ofstd::load_u32(bytes.data() + i, ofstd::Endian::Little));
    }
    DCMKIT_TRY(map_offsets(offsets, "Basic Offset Table"));
    return index;
  }
  if (frames == 1) {
    index.first_fragment_ = {0};
    return index;
  }
  if (count == frames) {
    for (std::size_t i = 0; i < count; ++i) index.first_fragment_.push_back(i);
    return index;
  }
  // No offset table and more fragments than frames: frames begin at fragments that start a
  // compressed bit stream.
  for (std::size_t i = 0; i < count; ++i) {
    if (i == 0 || starts_frame(index.fragments_[i].span())) index.first_fragment_.push_back(i);
  }
  if (index.first_fragment_.size() != frames) {
    return malformed("cannot tell " + std::to_string(frames) + " frames apart in " +
                     std::to_string(count) + " fragments without an offset table");
  }
  return index;
}

Result<Frame> FrameIndex::frame(std::uint64_t n) const {
  if (n >= frame_count()) {
    return Error(ErrorCode::NotFound, "frame " + std::to_string(n + 1) + " of " +
                                          std::to_string(frame_count()) + " does not exist");
  }
  Frame frame;
  frame.encapsulated = encapsulated_;
  frame.byte_order = byte_order_;
  if (!encapsulated_) {
    const std::uint64_t first_bit = n * frame_bits_;
    const std::uint64_t start = first_bit / 8;
    frame.bit_offset = static_cast<std::uint8_t>(first_bit % 8);
    const std::uint64_t length = (frame.bit_offset + frame_bits_ + 7) / 8;
    frame.pieces.push_back(
        native_.subrange(static_cast<std::size_t>(start), static_cast<std::size_t>(length)));
    return frame;
  }
  const std::size_t first = first_fragment_[n];
  const std::size_t last =
      n + 1 < first_fragment_.size() ? first_fragment_[n + 1] : fragments_.size();
  frame.pieces.assign(fragments_.begin() + static_cast<std::ptrdiff_t>(first),
                      fragments_.begin() + static_cast<std::ptrdiff_t>(last));
  return frame;
}

}  // namespace dcmkit::dcmdata

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimgle/lut.h"

#include <algorithm>
#include <bit>
#include <string>

#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/ofstd/byte_order.h"

namespace dcmkit::dcmimgle {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;

namespace {

Error malformed(std::string message) { return Error(ErrorCode::MalformedData, std::move(message)); }

// The descriptor's raw 16-bit words (US or SS alike).
Result<std::vector<std::uint16_t>> descriptor_words(const dcmdata::Element& e) {
  const dcmdata::SharedBytes bytes = e.little_endian_bytes();
  if (e.vr() != dcmdata::VR::US && e.vr() != dcmdata::VR::SS && e.vr() != dcmdata::VR::OW &&
      e.vr() != dcmdata::VR::UN && e.vr() != dcmdata::VR::OB) {
    // Text VRs (an implicit VR file without dictionary knowledge would not get here).
    auto values = e.as_ints();
    if (!values) return values.error();
    std::vector<std::uint16_t> words;
    for (std::int64_t v : *values) words.push_back(static_cast<std::uint16_t>(v));
    return words;
  }
  std::vector<std::uint16_t> words;
  for (std::size_t i = 0; i + 2 <= bytes.size(); i += 2) {
    words.push_back(ofstd::load_u16(bytes.data() + i, ofstd::Endian::Little));
  }
  return words;
}

// `item`: a LUT of a Modality, VOI or Presentation LUT Sequence item, else a palette.
Result<LookupTable> build(const dcmdata::Element& descriptor, const dcmdata::Element& lut_data,
                          const LutOptions& options, bool item) {
  DCMKIT_ASSIGN_OR_RETURN(const std::vector<std::uint16_t> words, descriptor_words(descriptor));
  if (words.size() < 3) return malformed("LUT descriptor has fewer than 3 values");
  LookupTable lut;
  std::size_t count = words[0] == 0 ? 65536 : words[0];
  const bool signed_first = options.signed_first_value || descriptor.vr() == dcmdata::VR::SS;
  lut.first_mapped = signed_first ? static_cast<std::int16_t>(words[1]) : words[1];
  std::uint32_t bits = words[2];
  const dcmdata::SharedBytes data = lut_data.little_endian_bytes();
  if (data.empty()) return malformed("LUT data is empty");
  // 8-bit entries may come packed two per 16-bit word (PS3.3 C.7.6.3.1.6 allows it for
  // palettes; some producers do it for VOI LUTs too).
  const bool packed = bits <= 8 && bits > 0 && data.size() == ((count + 1) & ~std::size_t{1});
  const std::size_t available = packed ? data.size() : data.size() / 2;
  if (available == 0) return malformed("LUT data is empty");
  count = std::min(count, available);
  lut.entries.resize(count);
  std::uint16_t largest = 0;
  for (std::size_t i = 0; i < count; ++i) {
    lut.entries[i] = packed ? std::to_integer<std::uint16_t>(data.data()[i])
                            : ofstd::load_u16(data.data() + 2 * i, ofstd::Endian::Little);
    largest = std::max(largest, lut.entries[i]);
  }
  const auto needed = static_cast<std::uint32_t>(std::bit_width(largest));
  if (item) {
    // DCMTK 3.6.7 (measured): bits per entry outside 8..16, or ignored (+Mm/+Mv), become those of
    // the largest entry, at least 8; checked (+Mc), 16 becomes 8 when every entry fits 8 bits
    // and 8 becomes 16 when one does not; otherwise the descriptor holds and wider entries lose
    // their high bits.
    if (options.ignore_depth || bits < 8 || bits > 16) {
      bits = std::max<std::uint32_t>(needed, 8);
    } else if (options.check_depth && bits == 16 && needed <= 8) {
      bits = 8;
    } else if (options.check_depth && bits == 8 && needed > 8) {
      bits = 16;
    }
    if (bits < 16) {
      const auto mask = static_cast<std::uint16_t>((1u << bits) - 1);
      for (std::uint16_t& entry : lut.entries) entry &= mask;
    }
    lut.bits = bits;
    return lut;
  }
  if (options.ignore_depth || bits == 0 || bits > 16 || (options.check_depth && needed < bits)) {
    bits = std::max<std::uint32_t>(needed, 1);
    if (!options.ignore_depth && (bits == 0 || bits > 16)) bits = 16;
  }
  if (bits < 16) {
    const auto mask = static_cast<std::uint16_t>((1u << bits) - 1);
    if (largest > mask) {
      if (bits == 8 || bits == 10 || bits == 12) {
        // Entries wider than the descriptor says (a common producer error): keep the data.
        bits = std::max<std::uint32_t>(needed, bits);
      } else {
        for (std::uint16_t& entry : lut.entries) entry &= mask;
      }
    }
  }
  lut.bits = bits;
  return lut;
}

}  // namespace

std::uint16_t LookupTable::min_entry() const noexcept {
  return entries.empty() ? 0 : *std::min_element(entries.begin(), entries.end());
}

std::uint16_t LookupTable::max_entry() const noexcept {
  return entries.empty() ? 0 : *std::max_element(entries.begin(), entries.end());
}

Result<LookupTable> LookupTable::from_item(const dcmdata::DataSet& item,
                                           const LutOptions& options) {
  const dcmdata::Element* d = item.find(dcmdata::tags::LUTDescriptor);
  const dcmdata::Element* v = item.find(dcmdata::tags::LUTData);
  if (d == nullptr) return malformed("LUT descriptor (0028,3002) is missing");
  if (v == nullptr) return malformed("LUT data (0028,3006) is missing");
  return build(*d, *v, options, true);
}

Result<LookupTable> LookupTable::from_elements(const dcmdata::DataSet& data,
                                               dcmdata::Tag descriptor, dcmdata::Tag lut_data,
                                               const LutOptions& options) {
  const dcmdata::Element* d = data.find(descriptor);
  const dcmdata::Element* v = data.find(lut_data);
  if (d == nullptr) return malformed("LUT descriptor " + descriptor.to_string() + " is missing");
  if (v == nullptr) return malformed("LUT data " + lut_data.to_string() + " is missing");
  return build(*d, *v, options, false);
}

Result<std::vector<std::uint16_t>> expand_segmented_lut(std::span<const std::uint16_t> segments,
                                                        std::size_t count) {
  std::vector<std::uint16_t> out;
  out.reserve(std::min<std::size_t>(count, 65536));
  // Opcodes (PS3.3 C.7.9.2): 0 discrete, 1 linear, 2 indirect. Indirect segments replay earlier
  // segments; a depth of one level is all the standard allows.
  const auto run = [&](std::size_t position, std::size_t end, bool allow_indirect,
                       auto&& self) -> ofstd::Status {
    while (position < end) {
      if (out.size() > 65536) return malformed("segmented LUT expands beyond 65536 entries");
      if (position + 2 > segments.size()) return malformed("segmented LUT: truncated segment");
      const std::uint16_t opcode = segments[position];
      const std::uint16_t length = segments[position + 1];
      position += 2;
      if (opcode == 0) {
        if (position + length > segments.size()) return malformed("segmented LUT: short data");
        out.insert(out.end(), segments.begin() + static_cast<std::ptrdiff_t>(position),
                   segments.begin() + static_cast<std::ptrdiff_t>(position + length));
        position += length;
      } else if (opcode == 1) {
        if (out.empty()) return malformed("segmented LUT: linear segment without a start");
        if (position + 1 > segments.size()) return malformed("segmented LUT: short data");
        const double y0 = out.back();
        const double y1 = segments[position];
        position += 1;
        for (std::uint32_t i = 1; i <= length; ++i) {
          const double y = y0 + (y1 - y0) * i / length;
          out.push_back(static_cast<std::uint16_t>(y + 0.5));
        }
      } else if (opcode == 2) {
        if (!allow_indirect) return malformed("segmented LUT: nested indirect segment");
        if (position + 2 > segments.size()) return malformed("segmented LUT: short data");
        const std::size_t offset =
            std::size_t{segments[position]} | (std::size_t{segments[position + 1]} << 16);
        position += 2;
        // `length` counts segments to copy, starting at the segment at word `offset`.
        std::size_t at = offset;
        for (std::uint16_t s = 0; s < length; ++s) {
          if (at + 2 > segments.size()) return malformed("segmented LUT: bad indirect offset");
          const std::uint16_t op = segments[at];
          const std::size_t size = op == 0 ? 2u + segments[at + 1] : op == 1 ? 3u : 4u;
          if (at + size > segments.size()) return malformed("segmented LUT: bad indirect offset");
          DCMKIT_TRY(self(at, at + size, false, self));
          at += size;
        }
      } else {
        return malformed("segmented LUT: unknown opcode " + std::to_string(opcode));
      }
    }
    return {};
  };
  DCMKIT_TRY(run(0, segments.size(), true, run));
  if (out.empty()) return malformed("segmented LUT is empty");
  out.resize(count, out.back());
  return out;
}

}  // namespace dcmkit::dcmimgle

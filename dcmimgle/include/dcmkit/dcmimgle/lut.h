// SPDX-License-Identifier: BSD-3-Clause
// Lookup tables as DICOM describes them (PS3.3 C.11.1.1): a three-value descriptor (number of
// entries, first input value mapped, bits per entry) and the entry data. Used by the Modality
// LUT, VOI LUT, Presentation LUT and palette colour tables.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/tag.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmimgle {

/// How leniently LUT descriptors are read (dcm2pnm's +Mc, +Mm, +Mv).
struct LutOptions {
  /// Check the bits per entry against the data; if the data needs fewer bits, use those
  /// (DCMTK's "check LUT depth").
  bool check_depth = false;
  /// Ignore the descriptor's bits per entry and derive it from the largest entry.
  bool ignore_depth = false;
  /// The first mapped value is signed (the image's Pixel Representation is 1).
  bool signed_first_value = false;
};

/// A lookup table: `entries[i]` is the output for input `first_mapped + i`; inputs below or
/// above the table map to its first or last entry. Regular value type.
struct LookupTable {
  std::int64_t first_mapped = 0;
  std::uint32_t bits = 16;  ///< bits per entry, 1..16
  std::vector<std::uint16_t> entries;

  /// The output for `input`, clamped to the table's ends. Precondition: entries not empty.
  std::uint16_t operator()(std::int64_t input) const noexcept {
    const std::int64_t i = input - first_mapped;
    if (i <= 0) return entries.front();
    if (i >= static_cast<std::int64_t>(entries.size())) return entries.back();
    return entries[static_cast<std::size_t>(i)];
  }
  std::uint16_t min_entry() const noexcept;
  std::uint16_t max_entry() const noexcept;

  /// Reads the table from an item (Modality LUT Sequence, VOI LUT Sequence, ...) with
  /// LUT Descriptor (0028,3002) and LUT Data (0028,3006). MalformedData for a missing or
  /// impossible descriptor (0 or more than 16 bits, no data) or data shorter than the
  /// descriptor's count (DCMTK's tolerance: the entries that exist are used, down to 1).
  /// Bits per entry as DCMTK 3.6.7 takes them: outside 8..16 (or with `ignore_depth`) those of
  /// the largest entry, at least 8; with `check_depth` 8 instead of 16 when every entry fits 8
  /// bits and 16 instead of 8 when one does not; entries wider than the bits lose their high
  /// bits.
  static ofstd::Result<LookupTable> from_item(const dcmdata::DataSet& item,
                                              const LutOptions& options = {});
  /// The same from an explicit descriptor and data element (palettes: (0028,1101..1103) and
  /// (0028,1201..1203)), where 8, 10 or 12 bits per entry with wider entries keep the entries
  /// (and take their bits), `check_depth` takes the bits of the largest entry, and bits outside
  /// 1..16 those of the largest entry.
  static ofstd::Result<LookupTable> from_elements(const dcmdata::DataSet& data,
                                                  dcmdata::Tag descriptor, dcmdata::Tag lut_data,
                                                  const LutOptions& options = {});
};

/// Expands a segmented palette colour table (PS3.3 C.7.9.2: discrete, linear and indirect
/// segments) into `count` entries. MalformedData for a segment that runs past the data, an
/// unknown opcode, or an indirect segment pointing outside.
ofstd::Result<std::vector<std::uint16_t>> expand_segmented_lut(
    std::span<const std::uint16_t> segments, std::size_t count);

}  // namespace dcmkit::dcmimgle

// SPDX-License-Identifier: BSD-3-Clause
// Encapsulated pixel data as one value, the way the JSON and XML (Native model) formats carry it:
// its item stream, and back (see json.h and xml.h).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "dcmkit/dcmdata/element.h"
#include "dcmkit/dcmdata/shared_bytes.h"
#include "dcmkit/ofstd/byte_order.h"

namespace dcmkit::dcmdata::detail {

/// The item stream of encapsulated pixel data: each fragment (the offset table first) as an
/// item (FFFE,E000) with its length, little endian (PS3.5 §A.4), without the delimiter.
inline std::vector<std::byte> encapsulated_item_stream(const Element& e) {
  std::vector<std::byte> out;
  std::size_t total = 0;
  for (const SharedBytes& f : e.fragments()) total += 8 + f.size();
  out.reserve(total);
  for (const SharedBytes& f : e.fragments()) {
    std::array<std::byte, 8> header{};
    ofstd::store<std::uint16_t>(header.data(), 0xFFFE, ofstd::Endian::Little);
    ofstd::store<std::uint16_t>(header.data() + 2, 0xE000, ofstd::Endian::Little);
    ofstd::store<std::uint32_t>(header.data() + 4, static_cast<std::uint32_t>(f.size()),
                                ofstd::Endian::Little);
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), f.span().begin(), f.span().end());
  }
  return out;
}

/// The fragments of an item stream made of complete items only, or nullopt.
inline std::optional<std::vector<SharedBytes>> split_item_stream(const SharedBytes& bytes) {
  const auto span = bytes.span();
  if (span.size() < 8) return std::nullopt;
  std::vector<SharedBytes> fragments;
  std::size_t pos = 0;
  while (pos < span.size()) {
    if (span.size() - pos < 8) return std::nullopt;
    const std::byte* p = span.data() + pos;
    if (ofstd::load_u16(p, ofstd::Endian::Little) != 0xFFFE ||
        ofstd::load_u16(p + 2, ofstd::Endian::Little) != 0xE000) {
      return std::nullopt;
    }
    const std::uint32_t length = ofstd::load_u32(p + 4, ofstd::Endian::Little);
    if (length > span.size() - pos - 8) return std::nullopt;
    fragments.push_back(bytes.subrange(pos + 8, length));
    pos += 8 + std::size_t{length};
  }
  return fragments;
}

}  // namespace dcmkit::dcmdata::detail

// SPDX-License-Identifier: BSD-3-Clause
#include "j2k_scan.h"

#include <cstddef>

namespace dcmkit::dcmimage::detail {

namespace {

constexpr std::uint16_t kSoc = 0xFF4F;
constexpr std::uint16_t kSiz = 0xFF51;
constexpr std::uint16_t kCod = 0xFF52;
constexpr std::uint16_t kCoc = 0xFF53;
constexpr std::uint16_t kCap = 0xFF50;  // ISO 15444-1 Amd (Part 15 capabilities)
constexpr std::uint16_t kSot = 0xFF90;
constexpr std::uint16_t kSod = 0xFF93;
constexpr std::uint16_t kEoc = 0xFFD9;
constexpr std::uint8_t kHtStyle = 0x40;  // code-block style: HT code-blocks (15444-15)
constexpr std::uint16_t kRsizPart15 = 0x4000;

std::uint16_t u16(std::span<const std::uint8_t> s, std::size_t at) {
  return static_cast<std::uint16_t>((s[at] << 8) | s[at + 1]);
}
std::uint32_t u32(std::span<const std::uint8_t> s, std::size_t at) {
  return (std::uint32_t{u16(s, at)} << 16) | u16(s, at + 2);
}

// Checks the marker segments from `at` up to SOT (main header) or SOD (tile-part header).
// Returns false when HT may be used or the segments cannot be followed; `at` ends on the
// marker that ended the header.
bool header_without_ht(std::span<const std::uint8_t> s, std::size_t& at, std::uint16_t end,
                       std::uint32_t& components) {
  while (at + 4 <= s.size()) {
    const std::uint16_t marker = u16(s, at);
    if (marker == end) return true;
    if ((marker >> 8) != 0xFF) return false;
    const std::size_t length = u16(s, at + 2);
    if (length < 2 || at + 2 + length > s.size()) return false;
    const std::size_t body = at + 4;  // after the marker and its length
    switch (marker) {
      case kCap:
        return false;
      case kSiz:
        if (length < 38 || (u16(s, body) & kRsizPart15) != 0) return false;
        components = u16(s, body + 34);
        break;
      case kCod:  // Scod, progression, layers (2), MCT, levels, xcb, ycb, cblksty
        if (length < 12 || (s[body + 8] & kHtStyle) != 0) return false;
        break;
      case kCoc: {  // Ccoc (1 or 2 bytes), Scoc, levels, xcb, ycb, cblksty
        if (components == 0) return false;
        const std::size_t style = body + (components < 257 ? 1 : 2) + 4;
        if (style >= at + 2 + length || (s[style] & kHtStyle) != 0) return false;
        break;
      }
      default:
        break;
    }
    at += 2 + length;
  }
  return false;
}

}  // namespace

bool may_use_ht_block_coding(std::span<const std::uint8_t> s) noexcept {
  if (s.size() < 4 || u16(s, 0) != kSoc) return true;
  std::size_t at = 2;
  std::uint32_t components = 0;
  if (!header_without_ht(s, at, kSot, components)) return true;
  // Tile-parts: SOT (Lsot 10: Isot, Psot, TPsot, TNsot), header, SOD, data; Psot counts from
  // the SOT marker, 0 for the last tile-part running to EOC.
  while (at + 12 <= s.size() && u16(s, at) == kSot) {
    if (u16(s, at + 2) != 10) return true;
    const std::uint32_t psot = u32(s, at + 6);
    std::size_t header = at + 12;
    if (!header_without_ht(s, header, kSod, components)) return true;
    if (psot == 0) return false;
    if (psot < 14 || at + psot > s.size()) return true;
    at += psot;
  }
  return !(at + 2 <= s.size() && u16(s, at) == kEoc) && at != s.size();
}

}  // namespace dcmkit::dcmimage::detail

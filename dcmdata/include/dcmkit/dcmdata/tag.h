// SPDX-License-Identifier: BSD-3-Clause
// Tag: an attribute tag (gggg,eeee) as a small value type that orders as on the wire.
//
//   constexpr Tag kRows{0x0028, 0x0010};
//   auto tag = Tag::parse("(0010,0010)");   // also "0010,0010" and "00100010"
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmdata {

/// Attribute tag (gggg,eeee); compares and orders by (group, element), as data sets are sorted
/// (PS3.5 §7.1). Regular, constexpr, hashable.
class Tag {
 public:
  constexpr Tag() noexcept = default;
  constexpr Tag(std::uint16_t group, std::uint16_t element) noexcept
      : value_{(std::uint32_t{group} << 16) | element} {}
  /// From the 32-bit form 0xGGGGEEEE.
  static constexpr Tag from_u32(std::uint32_t value) noexcept {
    return Tag(static_cast<std::uint16_t>(value >> 16), static_cast<std::uint16_t>(value));
  }
  /// Parses "(gggg,eeee)", "gggg,eeee" or "ggggeeee" (hex digits, either case).
  static ofstd::Result<Tag> parse(std::string_view text);

  constexpr std::uint16_t group() const noexcept {
    return static_cast<std::uint16_t>(value_ >> 16);
  }
  constexpr std::uint16_t element() const noexcept { return static_cast<std::uint16_t>(value_); }
  constexpr std::uint32_t to_u32() const noexcept { return value_; }

  /// Odd group other than 0001, 0003, 0005, 0007 and FFFF (PS3.5 §7.8.1).
  constexpr bool is_private() const noexcept {
    return group() % 2 == 1 && group() > 7 && group() != 0xFFFF;
  }
  /// (gggg,0010)-(gggg,00FF) in a private group: a Private Creator Data Element (PS3.5 §7.8.1).
  constexpr bool is_private_creator() const noexcept {
    return is_private() && element() >= 0x0010 && element() <= 0x00FF;
  }
  /// For a private data element (gggg,xxyy) with xx >= 0x10, the creator tag (gggg,00xx).
  constexpr Tag private_creator() const noexcept {
    return Tag(group(), static_cast<std::uint16_t>(element() >> 8));
  }
  /// (gggg,0000): a group length (PS3.5 §7.2).
  constexpr bool is_group_length() const noexcept { return element() == 0; }
  /// Group 0002: the File Meta Information (PS3.10 §7.1).
  constexpr bool is_meta() const noexcept { return group() == 0x0002; }
  /// Group 0000: a DIMSE command element (PS3.7 §E).
  constexpr bool is_command() const noexcept { return group() == 0x0000; }
  /// (FFFE,E000), (FFFE,E00D), (FFFE,E0DD): item and delimitation tags (PS3.5 §7.5).
  constexpr bool is_item_or_delimiter() const noexcept { return group() == 0xFFFE; }

  /// "(gggg,eeee)" in lower-case hex, as dcmdump prints it.
  std::string to_string() const;

  friend constexpr auto operator<=>(Tag, Tag) = default;

 private:
  std::uint32_t value_ = 0;
};

/// Item (FFFE,E000), Item Delimitation Item (FFFE,E00D), Sequence Delimitation Item (FFFE,E0DD).
inline constexpr Tag kItemTag{0xFFFE, 0xE000};
inline constexpr Tag kItemDelimitationTag{0xFFFE, 0xE00D};
inline constexpr Tag kSequenceDelimitationTag{0xFFFE, 0xE0DD};

}  // namespace dcmkit::dcmdata

template <>
struct std::hash<dcmkit::dcmdata::Tag> {
  std::size_t operator()(dcmkit::dcmdata::Tag tag) const noexcept {
    return std::hash<std::uint32_t>{}(tag.to_u32());
  }
};

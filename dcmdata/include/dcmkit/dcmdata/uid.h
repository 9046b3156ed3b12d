// SPDX-License-Identifier: BSD-3-Clause
// Uid: a validated DICOM Unique Identifier (PS3.5 §9.1) stored inline, never allocating.
//
//   constexpr Uid kCt{"1.2.840.10008.5.1.4.1.1.2"};   // a typo fails the build
//   auto uid = Uid::parse(text);                       // Result<Uid>
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <string_view>

#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmdata {

/// True if `text` is a valid UID: 1..64 characters, components of digits separated by single
/// dots, no leading zero in a multi-digit component (PS3.5 §9.1).
constexpr bool is_valid_uid(std::string_view text) noexcept {
  // Raw pointer access: this runs for every generated uids:: constant at compile time, where
  // each operator[] call would be interpreted (it triples the cost of including dict/uids.h).
  const char* const chars = text.data();
  const std::size_t size = text.size();
  if (size == 0 || size > 64) return false;
  std::size_t component_start = 0;
  for (std::size_t i = 0; i <= size; ++i) {
    if (i == size || chars[i] == '.') {
      const std::size_t length = i - component_start;
      if (length == 0) return false;
      if (length > 1 && chars[component_start] == '0') return false;
      component_start = i + 1;
    } else if (chars[i] < '0' || chars[i] > '9') {
      return false;
    }
  }
  return true;
}

/// A validated UID. Regular value type (65 bytes), constexpr, hashable, ordered as text.
class Uid {
 public:
  /// The empty UID (no value); not a valid UID, but a useful "unset" state.
  constexpr Uid() noexcept = default;
  /// From a string literal checked at compile time: an invalid literal fails the build.
  consteval explicit Uid(const char* literal) {
    std::size_t n = 0;
    while (literal[n] != '\0') ++n;
    const std::string_view text(literal, n);
    if (!is_valid_uid(text)) throw "invalid UID literal";  // only reachable at compile time
    assign(text);
  }
  /// Validates `text` (without padding); MalformedData if it is not a UID.
  static ofstd::Result<Uid> parse(std::string_view text);
  /// Like parse(), after removing the trailing NUL or space padding a UI value may carry.
  static ofstd::Result<Uid> from_value(std::string_view padded);

  constexpr std::string_view str() const noexcept { return {chars_.data(), size_}; }
  constexpr bool empty() const noexcept { return size_ == 0; }
  constexpr std::size_t size() const noexcept { return size_; }

  friend constexpr bool operator==(const Uid& a, const Uid& b) noexcept {
    return a.str() == b.str();
  }
  friend constexpr auto operator<=>(const Uid& a, const Uid& b) noexcept {
    return a.str() <=> b.str();
  }

 private:
  constexpr void assign(std::string_view text) noexcept {
    char* const out = chars_.data();
    const char* const in = text.data();
    for (std::size_t i = 0; i < text.size(); ++i) out[i] = in[i];
    size_ = static_cast<std::uint8_t>(text.size());
  }

  std::array<char, 64> chars_{};
  std::uint8_t size_ = 0;
};

}  // namespace dcmkit::dcmdata

template <>
struct std::hash<dcmkit::dcmdata::Uid> {
  std::size_t operator()(const dcmkit::dcmdata::Uid& uid) const noexcept {
    return std::hash<std::string_view>{}(uid.str());
  }
};

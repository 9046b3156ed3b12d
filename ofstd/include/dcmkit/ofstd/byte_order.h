// SPDX-License-Identifier: BSD-3-Clause
// Endian-explicit loads and stores of unsigned integers from byte buffers. Callers guarantee the
// buffer is large enough (ByteReader checks it for input).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

namespace dcmkit::ofstd {

/// Byte order of encoded data (PS3.5 §7.3).
enum class Endian : std::uint8_t { Little, Big };

/// The byte order of this machine.
inline constexpr Endian kNativeEndian =
    std::endian::native == std::endian::little ? Endian::Little : Endian::Big;

/// Reverses the bytes of an unsigned integer.
template <class T>
constexpr T byte_swap(T value) noexcept {
  static_assert(std::is_unsigned_v<T>);
  if constexpr (sizeof(T) == 1) {
    return value;
  } else if constexpr (sizeof(T) == 2) {
    return static_cast<T>(__builtin_bswap16(value));
  } else if constexpr (sizeof(T) == 4) {
    return static_cast<T>(__builtin_bswap32(value));
  } else {
    return static_cast<T>(__builtin_bswap64(value));
  }
}

/// Loads an unsigned T from the first sizeof(T) bytes of `p` in the given byte order.
template <class T>
inline T load(const std::byte* p, Endian endian) noexcept {
  static_assert(std::is_unsigned_v<T>);
  T value;
  __builtin_memcpy(&value, p, sizeof(T));
  return endian == kNativeEndian ? value : byte_swap(value);
}

inline std::uint16_t load_u16(const std::byte* p, Endian e) noexcept {
  return load<std::uint16_t>(p, e);
}
inline std::uint32_t load_u32(const std::byte* p, Endian e) noexcept {
  return load<std::uint32_t>(p, e);
}
inline std::uint64_t load_u64(const std::byte* p, Endian e) noexcept {
  return load<std::uint64_t>(p, e);
}

/// Stores an unsigned T into the first sizeof(T) bytes of `p` in the given byte order.
template <class T>
inline void store(std::byte* p, T value, Endian endian) noexcept {
  static_assert(std::is_unsigned_v<T>);
  if (endian != kNativeEndian) value = byte_swap(value);
  __builtin_memcpy(p, &value, sizeof(T));
}

/// Swaps every `word_size`-byte word of `bytes` in place (word_size 2, 4 or 8); a trailing
/// partial word is left as is.
void swap_words(std::span<std::byte> bytes, std::size_t word_size) noexcept;

}  // namespace dcmkit::ofstd

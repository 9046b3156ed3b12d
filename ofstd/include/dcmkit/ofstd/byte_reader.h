// SPDX-License-Identifier: BSD-3-Clause
// ByteReader: a cursor over untrusted bytes in which every read is bounds-checked and returns a
// Result. All decoding of outside input goes through it (STYLE.md 2.6).
//
//   ofstd::ByteReader in(bytes);
//   DCMKIT_ASSIGN_OR_RETURN(const std::uint16_t group, in.read_u16(Endian::Little));
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "dcmkit/ofstd/byte_order.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::ofstd {

/// Bounds-checked sequential reader. Does not own the bytes: they must outlive the reader.
/// `base_offset` is added to positions in error messages (the reader may start mid-file).
/// Not thread-safe; cheap to copy (copies share the bytes, not the position).
class ByteReader {
 public:
  explicit ByteReader(std::span<const std::byte> bytes, std::uint64_t base_offset = 0) noexcept
      : bytes_(bytes), base_offset_(base_offset) {}

  std::size_t position() const noexcept { return position_; }
  /// Position plus base offset: the offset in the original input, for messages.
  std::uint64_t offset() const noexcept { return base_offset_ + position_; }
  std::size_t size() const noexcept { return bytes_.size(); }
  std::size_t remaining() const noexcept { return bytes_.size() - position_; }
  bool at_end() const noexcept { return position_ == bytes_.size(); }
  std::span<const std::byte> bytes() const noexcept { return bytes_; }
  /// The unread bytes.
  std::span<const std::byte> rest() const noexcept { return bytes_.subspan(position_); }

  Result<std::uint8_t> read_u8() noexcept;
  Result<std::uint16_t> read_u16(Endian endian) noexcept;
  Result<std::uint32_t> read_u32(Endian endian) noexcept;
  Result<std::uint64_t> read_u64(Endian endian) noexcept;
  /// The next `count` bytes as a view into the input; MalformedData if fewer remain.
  Result<std::span<const std::byte>> read_bytes(std::size_t count) noexcept;
  /// Advances by `count` bytes; MalformedData if fewer remain.
  Status skip(std::size_t count) noexcept;
  /// Moves to an absolute position within the input; MalformedData if beyond its end.
  Status seek(std::size_t position) noexcept;

  /// True if the next bytes equal `expected` (nothing is consumed).
  bool starts_with(std::span<const std::byte> expected) const noexcept;

  /// An error "offset N: <what> needs K bytes, M remain" for the current position.
  Error truncated(std::string_view what, std::size_t needed) const;

 private:
  template <class T>
  Result<T> read_int(Endian endian) noexcept;

  std::span<const std::byte> bytes_;
  std::size_t position_ = 0;
  std::uint64_t base_offset_ = 0;
};

/// Views text as bytes (for comparisons such as starts_with("DICM")).
inline std::span<const std::byte> as_bytes(std::string_view text) noexcept {
  return {reinterpret_cast<const std::byte*>(text.data()),
          text.size()};  // NOLINT: char->byte is allowed
}

/// Views bytes as text (no validation; the bytes are not copied).
inline std::string_view as_chars(std::span<const std::byte> bytes) noexcept {
  return {reinterpret_cast<const char*>(bytes.data()),
          bytes.size()};  // NOLINT: byte->char is allowed
}

}  // namespace dcmkit::ofstd

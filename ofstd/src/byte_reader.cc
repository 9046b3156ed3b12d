// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/ofstd/byte_reader.h"

#include <cstring>
#include <string>

namespace dcmkit::ofstd {

Error ByteReader::truncated(std::string_view what, std::size_t needed) const {
  return Error(ErrorCode::MalformedData,
               "offset " + std::to_string(offset()) + ": " + std::string(what) + " needs " +
                   std::to_string(needed) + " bytes, " + std::to_string(remaining()) + " remain");
}

template <class T>
Result<T> ByteReader::read_int(Endian endian) noexcept {
  if (remaining() < sizeof(T)) return truncated("integer", sizeof(T));
  const T value = load<T>(bytes_.data() + position_, endian);
  position_ += sizeof(T);
  return value;
}

Result<std::uint8_t> ByteReader::read_u8() noexcept {
  if (remaining() < 1) return truncated("byte", 1);
  return static_cast<std::uint8_t>(bytes_[position_++]);
}

Result<std::uint16_t> ByteReader::read_u16(Endian endian) noexcept {
  return read_int<std::uint16_t>(endian);
}
Result<std::uint32_t> ByteReader::read_u32(Endian endian) noexcept {
  return read_int<std::uint32_t>(endian);
}
Result<std::uint64_t> ByteReader::read_u64(Endian endian) noexcept {
  return read_int<std::uint64_t>(endian);
}

Result<std::span<const std::byte>> ByteReader::read_bytes(std::size_t count) noexcept {
  if (remaining() < count) return truncated("value", count);
  auto view = bytes_.subspan(position_, count);
  position_ += count;
  return view;
}

Status ByteReader::skip(std::size_t count) noexcept {
  if (remaining() < count) return truncated("skip", count);
  position_ += count;
  return {};
}

Status ByteReader::seek(std::size_t position) noexcept {
  if (position > bytes_.size()) {
    return Error(ErrorCode::MalformedData, "offset " + std::to_string(base_offset_ + position) +
                                               " is beyond the end of the input (" +
                                               std::to_string(base_offset_ + bytes_.size()) + ")");
  }
  position_ = position;
  return {};
}

bool ByteReader::starts_with(std::span<const std::byte> expected) const noexcept {
  return remaining() >= expected.size() &&
         (expected.empty() ||
          std::memcmp(bytes_.data() + position_, expected.data(), expected.size()) == 0);
}

}  // namespace dcmkit::ofstd

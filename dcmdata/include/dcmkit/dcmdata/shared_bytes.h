// SPDX-License-Identifier: BSD-3-Clause
// SharedBytes: an immutable byte range that keeps its storage alive. Element values are
// SharedBytes, either views into a memory-mapped file (nothing copied) or owned buffers, so
// copying a data set with 500 MB of pixel data costs one reference count.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace dcmkit::dcmdata {

/// Immutable bytes plus a reference to whatever owns them (a MappedFile, a decompressed buffer
/// or an allocation of its own). Regular value type; copies share the storage.
/// Thread-safety: const methods are safe concurrently (the bytes never change).
class SharedBytes {
 public:
  SharedBytes() noexcept = default;
  /// A view of `bytes`, which `owner` keeps alive.
  SharedBytes(std::shared_ptr<const void> owner, std::span<const std::byte> bytes) noexcept
      : owner_(std::move(owner)), data_(bytes.data()), size_(bytes.size()) {}

  /// A new buffer holding a copy of `bytes`.
  static SharedBytes copy_of(std::span<const std::byte> bytes) {
    if (bytes.empty()) return {};
    auto buffer = std::make_shared_for_overwrite<std::byte[]>(bytes.size());
    std::memcpy(buffer.get(), bytes.data(), bytes.size());
    const std::byte* data = buffer.get();
    return SharedBytes(std::move(buffer), {data, bytes.size()});
  }
  static SharedBytes copy_of(std::string_view text) {
    return copy_of(
        std::span<const std::byte>(reinterpret_cast<const std::byte*>(text.data()),  // NOLINT
                                   text.size()));
  }
  /// Takes ownership of a vector without copying its contents.
  static SharedBytes from_vector(std::vector<std::byte> bytes) {
    if (bytes.empty()) return {};
    auto holder = std::make_shared<const std::vector<std::byte>>(std::move(bytes));
    std::span<const std::byte> view(*holder);
    return SharedBytes(std::move(holder), view);
  }

  std::span<const std::byte> span() const noexcept { return {data_, size_}; }
  const std::byte* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  /// The bytes as characters (no validation).
  std::string_view chars() const noexcept {
    return {reinterpret_cast<const char*>(data_), size_};  // NOLINT: byte->char is allowed
  }
  /// A sub-range sharing the same owner.
  SharedBytes subrange(std::size_t offset, std::size_t count) const noexcept {
    return SharedBytes(owner_, span().subspan(offset, count));
  }
  /// The owner keeping the bytes alive (for views derived from these bytes).
  const std::shared_ptr<const void>& owner() const noexcept { return owner_; }

  /// Byte-wise equality of the contents.
  friend bool operator==(const SharedBytes& a, const SharedBytes& b) noexcept {
    return a.size_ == b.size_ &&
           (a.data_ == b.data_ || a.size_ == 0 || std::memcmp(a.data_, b.data_, a.size_) == 0);
  }

 private:
  std::shared_ptr<const void> owner_;
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace dcmkit::dcmdata

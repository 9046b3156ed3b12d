// SPDX-License-Identifier: BSD-3-Clause
// Read-only access to a whole file as bytes: memory-mapped where possible, read into memory
// otherwise (pipes, special files). Readers hand out views of it; keep it alive with a shared_ptr.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "dcmkit/ofstd/result.h"

namespace dcmkit::ofstd {

/// How MappedFile::open obtains the bytes.
enum class MapMode : std::uint8_t {
  Auto,      ///< mmap regular files, read others
  ReadOnly,  ///< always read into memory (the fallback path; also for tests)
};

/// An immutable file image. Move-only; the bytes stay valid until it is destroyed.
/// Thread-safety: const methods are safe concurrently. If another process truncates a mapped
/// file, reading the lost pages raises SIGBUS, as with any mmap; callers reading files that
/// may change should use MapMode::ReadOnly.
class MappedFile {
 public:
  /// Opens and maps (or reads) `path`. NotFound if it does not exist, IoError otherwise.
  static Result<MappedFile> open(const std::filesystem::path& path, MapMode mode = MapMode::Auto);
  /// Reads a whole stream (e.g. stdin) into memory, up to `max_bytes` (LimitExceeded beyond).
  static Result<MappedFile> read_fd(int fd, std::size_t max_bytes);

  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::span<const std::byte> bytes() const noexcept { return {data_, size_}; }
  std::size_t size() const noexcept { return size_; }
  /// True if the bytes are memory-mapped (not copied into memory).
  bool is_mapped() const noexcept { return mapped_; }

 private:
  MappedFile() = default;
  void release() noexcept;

  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
  bool mapped_ = false;
  std::vector<std::byte> buffer_;  // used when not mapped
};

/// Opens a file into a shared, immutable image, ready to hand out views that keep it alive.
Result<std::shared_ptr<const MappedFile>> open_shared(const std::filesystem::path& path,
                                                      MapMode mode = MapMode::Auto);

}  // namespace dcmkit::ofstd

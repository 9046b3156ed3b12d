// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/ofstd/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace dcmkit::ofstd {
namespace {

Error errno_error(const std::filesystem::path& path, std::string_view action, int err) {
  const ErrorCode code =
      (err == ENOENT || err == ENOTDIR) ? ErrorCode::NotFound : ErrorCode::IoError;
  // The message is the system's reason alone, so that programs can word it as DCMTK does
  // ("No such file or directory: reading file: x"); the context names the file.
  return Error(code, std::strerror(err)).with_context(std::string(action) + " " + path.string());
}

class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  ~FdCloser() {
    if (fd_ >= 0) ::close(fd_);
  }

 private:
  int fd_;
};

}  // namespace

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      mapped_(std::exchange(other.mapped_, false)),
      buffer_(std::move(other.buffer_)) {
  if (!mapped_) data_ = buffer_.data();
}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    mapped_ = std::exchange(other.mapped_, false);
    buffer_ = std::move(other.buffer_);
    if (!mapped_) data_ = buffer_.data();
  }
  return *this;
}

MappedFile::~MappedFile() { release(); }

void MappedFile::release() noexcept {
  if (mapped_ && data_ != nullptr) {
    ::munmap(const_cast<std::byte*>(data_), size_);  // NOLINT: munmap takes a non-const pointer
  }
  data_ = nullptr;
  size_ = 0;
  mapped_ = false;
  buffer_.clear();
}

Result<MappedFile> MappedFile::read_fd(int fd, std::size_t max_bytes) {
  MappedFile file;
  constexpr std::size_t kChunk = 1 << 16;
  for (;;) {
    const std::size_t old_size = file.buffer_.size();
    if (old_size >= max_bytes) {
      return Error(ErrorCode::LimitExceeded,
                   "input is larger than " + std::to_string(max_bytes) + " bytes");
    }
    file.buffer_.resize(old_size + kChunk);
    const ssize_t n = ::read(fd, file.buffer_.data() + old_size, kChunk);
    if (n < 0) {
      if (errno == EINTR) {
        file.buffer_.resize(old_size);
        continue;
      }
      return Error(ErrorCode::IoError, std::string(std::strerror(errno)) + ": reading input");
    }
    file.buffer_.resize(old_size + static_cast<std::size_t>(n));
    if (n == 0) break;
  }
  file.buffer_.shrink_to_fit();
  file.data_ = file.buffer_.data();
  file.size_ = file.buffer_.size();
  return file;
}

Result<MappedFile> MappedFile::open(const std::filesystem::path& path, MapMode mode) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno_error(path, "opening", errno);
  FdCloser closer(fd);
  struct stat info {};
  if (::fstat(fd, &info) != 0) return errno_error(path, "examining", errno);
  if (S_ISDIR(info.st_mode)) {
    return Error(ErrorCode::IoError, std::strerror(EISDIR))
        .with_context("opening " + path.string());
  }
  if (mode == MapMode::Auto && S_ISREG(info.st_mode) && info.st_size > 0) {
    const auto size = static_cast<std::size_t>(info.st_size);
    void* address = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (address != MAP_FAILED) {
      MappedFile file;
      file.data_ = static_cast<const std::byte*>(address);
      file.size_ = size;
      file.mapped_ = true;
      return file;
    }
    // Fall through to plain reading (e.g. file systems without mmap support).
  }
  auto read = read_fd(fd, static_cast<std::size_t>(-1));
  if (!read) return std::move(read).error().with_context(path.string());
  return read;
}

Result<std::shared_ptr<const MappedFile>> open_shared(const std::filesystem::path& path,
                                                      MapMode mode) {
  DCMKIT_ASSIGN_OR_RETURN(MappedFile file, MappedFile::open(path, mode));
  return std::shared_ptr<const MappedFile>(std::make_shared<MappedFile>(std::move(file)));
}

}  // namespace dcmkit::ofstd

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/ofstd/mapped_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace dcmkit::ofstd {
namespace {

std::filesystem::path temp_file(const std::string& contents) {
  const auto path =
      std::filesystem::temp_directory_path() /
      ("dcmkit_mapped_" + std::to_string(::getpid()) + "_" + std::to_string(contents.size()));
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

TEST(MappedFileTest, MapsRegularFiles) {
  const auto path = temp_file("hello mapped world");
  auto file = MappedFile::open(path);
  ASSERT_TRUE(file) << file.error().to_string();
  EXPECT_TRUE(file->is_mapped());
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(file->bytes().data()), file->size()),
            "hello mapped world");
  std::filesystem::remove(path);
}

TEST(MappedFileTest, FallbackReadGivesSameBytes) {
  const auto path = temp_file("fallback bytes");
  auto file = MappedFile::open(path, MapMode::ReadOnly);
  ASSERT_TRUE(file);
  EXPECT_FALSE(file->is_mapped());
  EXPECT_EQ(file->size(), 14u);
  MappedFile moved = std::move(*file);
  EXPECT_EQ(moved.bytes()[0], std::byte{'f'});
  std::filesystem::remove(path);
}

TEST(MappedFileTest, EmptyFileIsEmpty) {
  const auto path = temp_file("");
  auto file = MappedFile::open(path);
  ASSERT_TRUE(file);
  EXPECT_EQ(file->size(), 0u);
  std::filesystem::remove(path);
}

TEST(MappedFileTest, ReportsMissingFileAsNotFound) {
  auto file = MappedFile::open("/nonexistent/dcmkit/file.dcm");
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().code(), ErrorCode::NotFound);
  EXPECT_EQ(file.error().message(), "No such file or directory");
  EXPECT_NE(file.error().to_string().find("/nonexistent/dcmkit/file.dcm"), std::string::npos);
}

TEST(MappedFileTest, DirectoryIsAnIoError) {
  auto file = MappedFile::open(std::filesystem::temp_directory_path());
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().code(), ErrorCode::IoError);
}

TEST(MappedFileTest, SharedImageOutlivesItsOpener) {
  const auto path = temp_file("shared!");
  std::span<const std::byte> view;
  std::shared_ptr<const MappedFile> keep;
  {
    auto shared = open_shared(path);
    ASSERT_TRUE(shared);
    keep = *shared;
    view = keep->bytes();
  }
  EXPECT_EQ(view.size(), 7u);
  EXPECT_EQ(view[6], std::byte{'!'});
  std::filesystem::remove(path);
}

TEST(MappedFileTest, ReadFdHonoursLimit) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string payload(100, 'x');
  ASSERT_EQ(::write(fds[1], payload.data(), payload.size()), 100);
  ::close(fds[1]);
  auto limited = MappedFile::read_fd(fds[0], 10);
  ::close(fds[0]);
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.error().code(), ErrorCode::LimitExceeded);
}

}  // namespace
}  // namespace dcmkit::ofstd

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/pixel_data.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/file.h"

namespace dcmkit::dcmdata {
namespace {

SharedBytes bytes_of(std::initializer_list<int> values) {
  std::vector<std::byte> out;
  for (int v : values) out.push_back(static_cast<std::byte>(v));
  return SharedBytes::from_vector(std::move(out));
}

DataSet image(int rows, int columns, int bits, int frames) {
  DataSet ds;
  EXPECT_TRUE(ds.set_int(tags::Rows, VR::US, rows));
  EXPECT_TRUE(ds.set_int(tags::Columns, VR::US, columns));
  EXPECT_TRUE(ds.set_int(tags::BitsAllocated, VR::US, bits));
  EXPECT_TRUE(ds.set_int(tags::BitsStored, VR::US, bits));
  EXPECT_TRUE(ds.set_int(tags::HighBit, VR::US, bits - 1));
  EXPECT_TRUE(ds.set_int(tags::SamplesPerPixel, VR::US, 1));
  EXPECT_TRUE(ds.set_string(tags::PhotometricInterpretation, "MONOCHROME2"));
  EXPECT_TRUE(ds.set_int(tags::NumberOfFrames, VR::IS, frames));
  return ds;
}

TEST(FrameIndexTest, SlicesNativeFrames) {
  DataSet ds = image(2, 2, 8, 3);
  ASSERT_TRUE(ds.set_bytes(tags::PixelData, VR::OB,
                           bytes_of({0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23})));
  auto index = FrameIndex::build(ds);
  ASSERT_TRUE(index) << index.error().to_string();
  EXPECT_EQ(index->frame_count(), 3u);
  auto frame = index->frame(1);
  ASSERT_TRUE(frame);
  ASSERT_EQ(frame->pieces.size(), 1u);
  EXPECT_EQ(frame->pieces[0].size(), 4u);
  EXPECT_EQ(frame->pieces[0].span()[0], std::byte{10});
  EXPECT_EQ(frame->pieces[0].data(), ds.find(tags::PixelData)->bytes().data() + 4) << "a view";
  EXPECT_FALSE(index->frame(3));
}

TEST(FrameIndexTest, SingleBitFramesCarryTheirBitOffset) {
  DataSet ds = image(3, 3, 1, 2);  // 9 bits per frame
  ASSERT_TRUE(ds.set_bytes(tags::PixelData, VR::OB, bytes_of({0xFF, 0x01, 0x00, 0x00})));
  auto index = FrameIndex::build(ds);
  ASSERT_TRUE(index);
  auto second = index->frame(1);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->bit_offset, 1);
  EXPECT_EQ(second->pieces[0].size(), 2u);
}

TEST(FrameIndexTest, RejectsTooLittleNativeData) {
  DataSet ds = image(2, 2, 16, 2);
  ASSERT_TRUE(ds.set_bytes(tags::PixelData, VR::OW, bytes_of({0, 0, 0, 0})));
  auto index = FrameIndex::build(ds);
  ASSERT_FALSE(index);
  EXPECT_EQ(index.error().code(), ofstd::ErrorCode::MalformedData);
}

TEST(FrameIndexTest, RejectsImpossibleDescriptions) {
  DataSet ds = image(2, 2, 10, 1);  // Bits Allocated 10
  ASSERT_TRUE(ds.set_bytes(tags::PixelData, VR::OW, bytes_of({0, 0, 0, 0, 0, 0, 0, 0})));
  EXPECT_FALSE(FrameIndex::build(ds));
  DataSet no_pixels = image(2, 2, 8, 1);
  auto missing = FrameIndex::build(no_pixels);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ofstd::ErrorCode::NotFound);
}

TEST(FrameIndexTest, UsesTheBasicOffsetTable) {
  DataSet ds = image(8, 8, 8, 2);
  // Frame 1 = fragments 0 and 1 (item offsets 0 and 12), frame 2 = fragment 2 (offset 24).
  const SharedBytes bot = bytes_of({0, 0, 0, 0, 24, 0, 0, 0});
  ds.insert(Element::encapsulated(
      tags::PixelData, VR::OB,
      {bot, bytes_of({1, 1, 1, 1}), bytes_of({2, 2, 2, 2}), bytes_of({3, 3})}));
  auto index = FrameIndex::build(ds);
  ASSERT_TRUE(index) << index.error().to_string();
  EXPECT_EQ(index->frame(0)->pieces.size(), 2u);
  ASSERT_EQ(index->frame(1)->pieces.size(), 1u);
  EXPECT_EQ(index->frame(1)->pieces[0].span()[0], std::byte{3});
}

TEST(FrameIndexTest, UsesTheExtendedOffsetTable) {
  DataSet ds = image(8, 8, 8, 2);
  std::vector<std::byte> eot(16);
  ofstd::store<std::uint64_t>(eot.data() + 8, 12, ofstd::Endian::Little);
  ASSERT_TRUE(ds.set_bytes(tags::ExtendedOffsetTable, VR::OV, SharedBytes::from_vector(eot)));
  ds.insert(Element::encapsulated(tags::PixelData, VR::OB,
                                  {SharedBytes{}, bytes_of({1, 1, 1, 1}), bytes_of({2, 2})}));
  auto index = FrameIndex::build(ds);
  ASSERT_TRUE(index) << index.error().to_string();
  EXPECT_EQ(index->frame(1)->pieces[0].span()[0], std::byte{2});
}

TEST(FrameIndexTest, RejectsOffsetTablesThatMissFragments) {
  DataSet ds = image(8, 8, 8, 2);
  ds.insert(Element::encapsulated(
      tags::PixelData, VR::OB,
      {bytes_of({0, 0, 0, 0, 7, 0, 0, 0}), bytes_of({1, 1}), bytes_of({2, 2})}));
  EXPECT_FALSE(FrameIndex::build(ds));
}

TEST(FrameIndexTest, FindsFramesByTheirMarkersWithoutAnOffsetTable) {
  DataSet ds = image(8, 8, 8, 2);
  ds.insert(Element::encapsulated(tags::PixelData, VR::OB,
                                  {SharedBytes{}, bytes_of({0xFF, 0xD8, 1, 2}), bytes_of({3, 4}),
                                   bytes_of({0xFF, 0xD8, 5, 6})}));
  auto index = FrameIndex::build(ds);
  ASSERT_TRUE(index) << index.error().to_string();
  EXPECT_EQ(index->frame(0)->pieces.size(), 2u);
  EXPECT_EQ(index->frame(1)->pieces.size(), 1u);
}

// Every image of the shared corpus: frames can be found and are not empty, except in the samples
// whose description and data disagree on purpose, which must be rejected.
TEST(FrameIndexTest, IndexesEveryCorpusImage) {
  const char* env = std::getenv("DCMKIT_CORPUS_DIR");
  const std::filesystem::path corpus =
      env != nullptr ? std::filesystem::path(env)
                     : std::filesystem::path(DCMKIT_SOURCE_DIR) / ".." / "shared" / "corpus";
  if (!std::filesystem::exists(corpus / "MANIFEST.tsv")) GTEST_SKIP() << "no corpus";
  const std::set<std::string> inconsistent = {
      "dwv-test_no-number-rows.dcm",  // Rows missing
      "oob-monochrome-65535.dcm",     // 65535 x 65535 declared, 256 bytes present
      "oob-monochrome-46341.dcm",     // overflowing 32-bit size computations
      "GH1146.dcm",                   // empty Pixel Data
  };
  int indexed = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(corpus)) {
    if (!entry.is_regular_file()) continue;
    auto file = read_file(entry.path());
    if (!file || !file->data.contains(tags::PixelData)) continue;
    auto index = FrameIndex::build(file->data);
    const bool expect_failure = inconsistent.count(entry.path().filename().string()) != 0;
    if (!index) {
      EXPECT_TRUE(expect_failure) << entry.path() << ": " << index.error().to_string();
      EXPECT_EQ(index.error().code(), ofstd::ErrorCode::MalformedData) << entry.path();
      continue;
    }
    EXPECT_FALSE(expect_failure) << entry.path() << " was expected to be rejected";
    for (std::uint64_t n = 0; n < index->frame_count(); ++n) {
      auto frame = index->frame(n);
      ASSERT_TRUE(frame) << entry.path();
      ASSERT_FALSE(frame->pieces.empty()) << entry.path();
    }
    ++indexed;
  }
  EXPECT_GT(indexed, 80);
}

}  // namespace
}  // namespace dcmkit::dcmdata

// SPDX-License-Identifier: BSD-3-Clause
// Sweeps (STYLE.md 2.11): every truncated prefix of valid samples and every byte of their first
// few hundred bytes changed is read; the result is a data set or an error, never a crash (and,
// under ASan and UBSan, never a bad memory access or undefined behaviour). What reads is dumped,
// re-encoded, and the encoding must read again.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dump.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/writer.h"
#include "encoding_builder.h"

namespace dcmkit::dcmdata {
namespace {

using testing::byte_vector;
using testing::EncodingBuilder;
using testing::kExplicitBig;
using testing::kExplicitLittle;
using testing::kImplicitLittle;
using testing::Length;
using namespace std::string_view_literals;

EncodingBuilder data_set(testing::Encoding encoding) {
  EncodingBuilder b(encoding);
  b.begin_group(0x0008);
  b.text(tags::SpecificCharacterSet, VR::CS, "ISO_IR 100");
  b.text(tags::SOPClassUID, VR::UI, "1.2.840.10008.5.1.4.1.1.7\0"sv);
  b.text(tags::SOPInstanceUID, VR::UI, "1.2.3.4\0"sv);
  b.begin_sequence(tags::ReferencedImageSequence, Length::Undefined);
  b.begin_item(Length::Defined).text(tags::ReferencedSOPInstanceUID, VR::UI, "1.2\0"sv).end_item();
  b.begin_item(Length::Undefined).text(tags::ReferencedSOPClassUID, VR::UI, "1.2\0"sv).end_item();
  b.end_sequence();
  b.end_group();
  b.text(tags::PatientName, VR::PN, "M\xFCller^Hans ");
  if (encoding.explicit_vr) {
    b.begin_sequence(Tag(0x0019, 0x1001), Length::Undefined, VR::UN);
    b.begin_item(Length::Undefined).us(tags::Rows, {3}).end_item();
    b.end_sequence();
  }
  b.us(tags::Rows, {2}).us(tags::Columns, {2});
  b.at(tags::FrameIncrementPointer, {Tag(0x0018, 0x1063)});
  b.begin_sequence(tags::ContentSequence, Length::Defined);
  b.begin_item(Length::Defined);
  b.begin_sequence(tags::ConceptNameCodeSequence, Length::Undefined);
  b.begin_item(Length::Defined).text(tags::CodeValue, VR::SH, "121071").end_item();
  b.end_sequence();
  b.end_item();
  b.end_sequence();
  return b;
}

struct Sample {
  std::string name;
  std::vector<std::byte> bytes;
};

std::vector<Sample> samples() {
  std::vector<Sample> out;
  out.push_back({"implicit", data_set(kImplicitLittle).bytes()});
  out.push_back({"explicit big", data_set(kExplicitBig).bytes()});
  out.push_back({"part10 explicit", testing::part10(ts_uids::kExplicitVRLittleEndian,
                                                    data_set(kExplicitLittle).bytes())});
  EncodingBuilder pixels = data_set(kExplicitLittle);
  pixels.begin_fragments().fragment(byte_vector({0, 0, 0, 0})).fragment(byte_vector({1, 2, 3, 4}));
  pixels.end_fragments();
  out.push_back({"part10 encapsulated",
                 testing::part10("1.2.840.10008.1.2.4.50", pixels.bytes(), {false, true, true})});
  out.push_back({"explicit little", data_set(kExplicitLittle).bytes()});
  out.push_back({"dicm without preamble",
                 testing::part10(ts_uids::kExplicitVRBigEndian, data_set(kExplicitBig).bytes(),
                                 {false, true, true})});
  out.push_back({"meta without dicm",
                 testing::part10(ts_uids::kImplicitVRLittleEndian,
                                 data_set(kImplicitLittle).bytes(), {false, false, false})});
  EncodingBuilder quirks(kImplicitLittle);
  quirks.text(Tag(0x0009, 0x0010), VR::LO, "GEMS_IDEN_01");
  quirks.us(Tag(0x0009, 0x101A), {7});
  quirks.text(tags::PatientName, VR::PN, "Odd");
  quirks.us(tags::PixelRepresentation, {1}).us(tags::SmallestImagePixelValue, {0xFFFF});
  quirks.begin_sequence(Tag(0x0019, 0x1001), Length::Undefined);  // unknown: implicit UN SQ
  quirks.begin_item(Length::Undefined).text(tags::CodeValue, VR::SH, "x ").end_item();
  quirks.end_sequence();
  out.push_back({"implicit quirks", quirks.bytes()});
  EncodingBuilder odd(kExplicitLittle);
  odd.text(tags::SpecificCharacterSet, VR::CS, "ISO_IR 192");  // for the syntax detection
  odd.header_with_vr_chars(tags::PixelPaddingValue, "  ", 2, false).raw("ab");
  odd.header_with_vr_chars(tags::WindowCenter, "ZZ", 2, true).raw("40");
  odd.text(Tag(0xFFFE, 0xE0F2), VR::UN, "xy");
  const std::size_t item_length_at = odd.size() + 16;  // after the sequence and item tags
  odd.begin_sequence(tags::ReferencedImageSequence, Length::Undefined);
  odd.begin_item(Length::Defined);
  odd.begin_sequence(tags::ContentSequence, Length::Undefined);
  odd.begin_item(Length::Undefined).text(tags::CodeValue, VR::SH, "ABCD").end_item();
  odd.end_sequence();
  odd.end_item();
  odd.end_sequence();
  odd.patch_u32(item_length_at, 12, ofstd::Endian::Little);  // the content overruns the item
  out.push_back({"explicit oddities", odd.bytes()});
  EncodingBuilder deep(kExplicitLittle);
  for (int i = 0; i < 20; ++i) {
    deep.begin_sequence(tags::ContentSequence, i % 2 == 0 ? Length::Undefined : Length::Defined);
    deep.begin_item(i % 3 == 0 ? Length::Defined : Length::Undefined);
  }
  deep.text(tags::CodeValue, VR::SH, "leaf");
  for (int i = 0; i < 20; ++i) deep.end_item().end_sequence();
  out.push_back({"deep nesting", deep.bytes()});
  // A deflated file written by the writer.
  auto plain = parse_dataset(data_set(kExplicitLittle).shared(), explicit_vr_little_endian());
  EXPECT_TRUE(plain.has_value());
  auto meta = make_file_meta(*plain, ts_uids::kDeflatedExplicitVRLittleEndian);
  EXPECT_TRUE(meta.has_value());
  std::vector<std::byte> deflated;
  VectorSink sink(deflated);
  EXPECT_TRUE(write_part10(sink, *meta, *plain, deflated_explicit_vr_little_endian()).has_value());
  out.push_back({"part10 deflated", deflated});
  return out;
}

void exercise(const std::vector<std::byte>& bytes) {
  for (const Strictness strictness : {Strictness::Lenient, Strictness::Strict}) {
    ReadOptions options;
    options.strictness = strictness;
    options.max_inflated_size = 1 << 20;
    auto file = read_bytes(SharedBytes::copy_of(bytes), options);
    if (!file) continue;
    std::string text;
    dump_file(text, *file);
    auto encoded = encode_dataset(file->data, explicit_vr_little_endian());
    ASSERT_TRUE(encoded.has_value()) << encoded.error().to_string();
    auto again =
        parse_dataset(SharedBytes::from_vector(std::move(*encoded)), explicit_vr_little_endian());
    ASSERT_TRUE(again.has_value()) << again.error().to_string();
  }
}

TEST(SweepTest, SamplesReadWithTheirQuirksReported) {
  for (const Sample& sample : samples()) {
    auto file = read_bytes(SharedBytes::copy_of(sample.bytes));
    EXPECT_TRUE(file.has_value()) << sample.name << ": " << file.error().to_string();
  }
}

// DCMKIT_WRITE_FUZZ_SEEDS=fuzz/corpus/read_file writes the samples as seeds of the read_file
// fuzzer ("dcmkit-<sample>.dcm"), which is how the seeds there were made.
TEST(SweepTest, WritesTheSamplesAsFuzzSeedsWhenAsked) {
  const char* directory = std::getenv("DCMKIT_WRITE_FUZZ_SEEDS");
  if (directory == nullptr || *directory == '\0') GTEST_SKIP() << "DCMKIT_WRITE_FUZZ_SEEDS not set";
  for (const Sample& sample : samples()) {
    std::string name = "dcmkit-" + sample.name + ".dcm";
    std::replace(name.begin(), name.end(), ' ', '-');
    std::ofstream out(std::filesystem::path(directory) / name, std::ios::binary);
    out.write(reinterpret_cast<const char*>(sample.bytes.data()),  // NOLINT
              static_cast<std::streamsize>(sample.bytes.size()));
    ASSERT_TRUE(out.good()) << name;
  }
}

TEST(SweepTest, ReadsEveryTruncatedPrefixWithoutCrashing) {
  for (const Sample& sample : samples()) {
    SCOPED_TRACE(sample.name);
    auto whole = read_bytes(SharedBytes::copy_of(sample.bytes));
    ASSERT_TRUE(whole.has_value()) << whole.error().to_string();
    for (std::size_t n = 0; n < sample.bytes.size(); ++n) {
      exercise(std::vector<std::byte>(sample.bytes.begin(),
                                      sample.bytes.begin() + static_cast<std::ptrdiff_t>(n)));
      if (HasFatalFailure()) return;
    }
  }
}

TEST(SweepTest, ReadsEveryChangedHeaderByteWithoutCrashing) {
  for (const Sample& sample : samples()) {
    SCOPED_TRACE(sample.name);
    std::vector<std::byte> copy = sample.bytes;
    for (std::size_t i = 0; i < std::min<std::size_t>(copy.size(), 400); ++i) {
      const std::byte original = copy[i];
      for (const std::byte value : {~original, std::byte{0}, std::byte{0xFF}, std::byte{0x80}}) {
        copy[i] = value;
        exercise(copy);
        if (HasFatalFailure()) return;
      }
      copy[i] = original;
    }
  }
}

}  // namespace
}  // namespace dcmkit::dcmdata

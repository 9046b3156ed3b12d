// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "data_set_printer.h"
#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/reader.h"
#include "encoding_builder.h"

namespace dcmkit::dcmdata {
namespace {

using ofstd::Endian;
using ofstd::ErrorCode;
using testing::byte_vector;
using testing::EncodingBuilder;
using testing::kExplicitBig;
using testing::kExplicitLittle;
using testing::kImplicitLittle;
using testing::Length;
using namespace std::string_view_literals;

constexpr std::string_view kJpegBaseline = "1.2.840.10008.1.2.4.50";

std::vector<std::byte> to_vector(std::span<const std::byte> bytes) {
  return {bytes.begin(), bytes.end()};
}

// The first public, non-repeating, single-VR dictionary tag with VR `vr`, so that the value
// reads back with the same VR in implicit VR too.
Tag tag_with_vr(VR vr) {
  for (const TagEntry& entry : all_tag_entries()) {
    const Tag tag = entry.to_tag();
    if (entry.vr_count == 1 && entry.vr() == vr && !entry.is_repeating() && !entry.retired &&
        tag.group() > 0x0002 && tag.group() < 0x7FE0 && !tag.is_group_length()) {
      return tag;
    }
  }
  ADD_FAILURE() << "no dictionary tag with VR " << to_string(vr);
  return Tag(0x0009, 0x1000);
}

DataSet item_with(Tag tag, std::string_view text) {
  DataSet item;
  EXPECT_TRUE(item.set_string(tag, text).has_value());
  return item;
}

// A data set with every VR, sequences of both length kinds, nesting, an empty sequence and an
// empty item, and text of odd length (padded by the setters).
DataSet rich_data_set() {
  DataSet ds;
  EXPECT_TRUE(ds.set_string(tags::SpecificCharacterSet, "ISO_IR 100").has_value());
  EXPECT_TRUE(ds.set_string(tags::SOPClassUID, "1.2.840.10008.5.1.4.1.1.7").has_value());
  EXPECT_TRUE(ds.set_string(tags::SOPInstanceUID, "1.2.3.4.5.6.7").has_value());
  const std::pair<VR, std::string_view> texts[] = {
      {VR::AE, "STORESCP"},
      {VR::AS, "035Y"},
      {VR::CS, "ORIGINAL"},
      {VR::DA, "20240131"},
      {VR::DS, "1.5\\-2e3"},
      {VR::DT, "20240131120000.5"},
      {VR::IS, "-42"},
      {VR::LO, "an odd length"},
      {VR::LT, "long text\r\nx"},
      {VR::PN, "M\xC3\xBCller^Hans"},
      {VR::SH, "short"},
      {VR::ST, "short text"},
      {VR::TM, "120000.5"},
      {VR::UC, "unlimited characters"},
      {VR::UI, "1.2.840.10008.1"},
      {VR::UR, "http://example.com/a"},
      {VR::UT, "unlimited text!"},
  };
  for (const auto& [vr, text] : texts) {
    EXPECT_TRUE(ds.set_string(tag_with_vr(vr), vr, text).has_value()) << to_string(vr);
  }
  const std::int64_t ints[] = {1, 2, 65535};
  EXPECT_TRUE(ds.set_ints(tag_with_vr(VR::US), VR::US, ints).has_value());
  const std::int64_t signed_ints[] = {-1, 32767};
  EXPECT_TRUE(ds.set_ints(tag_with_vr(VR::SS), VR::SS, signed_ints).has_value());
  EXPECT_TRUE(ds.set_int(tag_with_vr(VR::UL), VR::UL, 0xFFFFFFF0).has_value());
  EXPECT_TRUE(ds.set_int(tag_with_vr(VR::SL), VR::SL, -123456).has_value());
  EXPECT_TRUE(ds.set_int(tag_with_vr(VR::SV), VR::SV, -(std::int64_t{1} << 40)).has_value());
  EXPECT_TRUE(ds.set_int(tag_with_vr(VR::UV), VR::UV, std::int64_t{1} << 50).has_value());
  EXPECT_TRUE(ds.set_double(tag_with_vr(VR::FL), VR::FL, 0.15625).has_value());
  const double doubles[] = {1.0 / 3, -1e300};
  EXPECT_TRUE(ds.set_doubles(tag_with_vr(VR::FD), VR::FD, doubles).has_value());
  const Tag at_values[] = {tags::PatientName, Tag(0x7FE0, 0x0010)};
  EXPECT_TRUE(ds.set_tags(tag_with_vr(VR::AT), at_values).has_value());
  const auto bulk = byte_vector({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  for (const VR vr : {VR::OB, VR::OW, VR::OF, VR::OD, VR::OL, VR::OV}) {
    EXPECT_TRUE(ds.set_bytes(tag_with_vr(vr), vr, SharedBytes::copy_of(bulk)).has_value())
        << to_string(vr);
  }
  EXPECT_TRUE(ds.set_bytes(tags::PixelData, VR::OW, SharedBytes::copy_of(bulk)).has_value());

  std::vector<DataSet> items;
  items.push_back(item_with(tags::ReferencedSOPInstanceUID, "1.2.3"));
  items.back().set_undefined_length(true);
  items.push_back(item_with(tags::ReferencedSOPClassUID, "1.2.840.10008.5.1.4.1.1.7"));
  items.emplace_back();  // an empty item
  Element images = Element::sequence(tags::ReferencedImageSequence, std::move(items));
  images.set_undefined_length(true);
  ds.insert(std::move(images));

  DataSet code = item_with(tags::CodeValue, "121071");
  code.set_undefined_length(true);
  DataSet content_item;
  content_item.insert(Element::sequence(tags::ConceptNameCodeSequence, {code}));
  EXPECT_TRUE(content_item.set_string(tags::ValueType, "CODE").has_value());
  ds.insert(Element::sequence(tags::ContentSequence, {content_item, content_item}));
  ds.insert(Element::sequence(tags::VOILUTSequence, {}));
  return ds;
}

ofstd::Result<DicomFile> write_and_read(const DataSet& data, const TransferSyntax& ts,
                                        const WriteOptions& options = {}) {
  DCMKIT_ASSIGN_OR_RETURN(const DataSet meta, make_file_meta(data, ts.uid()));
  std::vector<std::byte> bytes;
  VectorSink sink(bytes);
  DCMKIT_TRY(write_part10(sink, meta, data, ts, options));
  return read_bytes(SharedBytes::from_vector(std::move(bytes)));
}

std::string describe_difference(const DataSet& a, const DataSet& b) {
  for (const Element& e : a) {
    const Element* other = b.find(e.tag());
    if (other == nullptr) return e.tag().to_string() + " missing";
    if (!(e == *other)) {
      return e.tag().to_string() + " differs (VR " + std::string(to_string(e.vr())) + " vs " +
             std::string(to_string(other->vr())) + ")";
    }
  }
  if (a.size() != b.size()) return "sizes differ";
  return "equal";
}

// --- Round trips --------------------------------------------------------------------------

TEST(WriterTest, RoundTripsEveryVrInEveryWritableSyntax) {
  const DataSet original = rich_data_set();
  for (const TransferSyntax& ts :
       {implicit_vr_little_endian(), explicit_vr_little_endian(), explicit_vr_big_endian(),
        deflated_explicit_vr_little_endian()}) {
    auto first = write_and_read(original, ts);
    ASSERT_TRUE(first.has_value()) << ts.name() << ": " << first.error().to_string();
    EXPECT_TRUE(first->diagnostics.empty())
        << ts.name() << ": " << first->diagnostics[0].to_string();
    EXPECT_EQ(first->data, original)
        << ts.name() << ": " << describe_difference(original, first->data);
    // read -> write -> read gives the same data set again.
    auto second = write_and_read(first->data, ts);
    ASSERT_TRUE(second.has_value()) << ts.name();
    EXPECT_EQ(second->data, first->data) << ts.name();
  }
}

TEST(WriterTest, RoundTripsTextThroughItsCharacterSet) {
  auto file = write_and_read(rich_data_set(), explicit_vr_little_endian());
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->data.get_string(tag_with_vr(VR::PN)).value(), "M\xC3\xBCller^Hans");
  // Latin-1 on the wire.
  EXPECT_EQ(file->data.find(tag_with_vr(VR::PN))->bytes().chars(), "M\xFCller^Hans ");
}

TEST(WriterTest, RoundTripsEncapsulatedPixelDataInItsOwnSyntax) {
  DataSet ds = rich_data_set();
  ds.erase(tags::PixelData);
  ds.insert(Element::encapsulated(tags::PixelData, VR::OB,
                                  {SharedBytes(), SharedBytes::copy_of(byte_vector({1, 2, 3})),
                                   SharedBytes::copy_of(byte_vector({4, 5, 6, 7}))}));
  const TransferSyntax ts = TransferSyntax::lookup_or_unknown(kJpegBaseline);
  auto file = write_and_read(ds, ts);
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  const Element* pixels = file->data.find(tags::PixelData);
  ASSERT_TRUE(pixels->is_encapsulated());
  ASSERT_EQ(pixels->fragments().size(), 3u);
  // Odd fragments are padded with a zero byte (PS3.5 §A.4).
  EXPECT_EQ(to_vector(pixels->fragments()[1].span()), byte_vector({1, 2, 3, 0}));
  EXPECT_EQ(pixels->fragments()[2], ds.find(tags::PixelData)->fragments()[2]);
}

TEST(WriterTest, PadsOddValuesReadFromTheWireSoTheyDifferAfterOneRoundTrip) {
  EncodingBuilder b(kExplicitLittle);
  b.text(tags::PatientName, VR::PN, "Doe").text(tags::PatientID, VR::LO, "ID7");
  b.text(tags::StudyInstanceUID, VR::UI, "1.2.3");
  auto first = parse_dataset(b.shared(), explicit_vr_little_endian());
  ASSERT_TRUE(first.has_value());
  auto bytes = encode_dataset(*first, explicit_vr_little_endian());
  ASSERT_TRUE(bytes.has_value());
  auto second = parse_dataset(SharedBytes::from_vector(*bytes), explicit_vr_little_endian());
  ASSERT_TRUE(second.has_value());
  // Bytes differ by the padding, the values do not.
  EXPECT_NE(*second, *first);
  EXPECT_EQ(second->find(tags::PatientName)->bytes().chars(), "Doe ");
  EXPECT_EQ(second->find(tags::StudyInstanceUID)->bytes().chars(), "1.2.3\0"sv);
  EXPECT_EQ(second->get_string(tags::PatientName).value(), "Doe");
  EXPECT_EQ(second->get_uid(tags::StudyInstanceUID).value(),
            first->get_uid(tags::StudyInstanceUID).value());
  // Without padding, the round trip is exact.
  WriteOptions exact;
  exact.pad_odd_lengths = false;
  auto unpadded = encode_dataset(*first, explicit_vr_little_endian(), exact);
  ASSERT_TRUE(unpadded.has_value());
  EXPECT_EQ(*unpadded, b.bytes());
}

TEST(WriterTest, PadsOddValuesWithTheVrPaddingByte) {
  DataSet ds;
  ds.insert(Element(tags::PatientName, VR::PN, SharedBytes::copy_of("Doe"sv)));
  ds.insert(Element(tags::StudyInstanceUID, VR::UI, SharedBytes::copy_of("1.2.3"sv)));
  ds.insert(Element(tags::PixelData, VR::OB, SharedBytes::copy_of(byte_vector({7}))));
  auto bytes = encode_dataset(ds, explicit_vr_little_endian());
  ASSERT_TRUE(bytes.has_value());
  EncodingBuilder expected(kExplicitLittle);
  expected.text(tags::PatientName, VR::PN, "Doe ");
  expected.text(tags::StudyInstanceUID, VR::UI, "1.2.3\0"sv);
  expected.element(tags::PixelData, VR::OB, byte_vector({7, 0}));
  EXPECT_EQ(*bytes, expected.bytes());
  EXPECT_EQ(encoded_length(ds, explicit_vr_little_endian()), bytes->size());
}

// --- Bit-exact rewrites -------------------------------------------------------------------

// A conformant encoding with group lengths, sequences and items of both length kinds, a group
// length inside an item, and a CP-246 UN sequence (explicit VR only).
EncodingBuilder conformant(testing::Encoding encoding) {
  EncodingBuilder b(encoding);
  b.begin_group(0x0008);
  b.text(tags::SpecificCharacterSet, VR::CS, "ISO_IR 100");
  b.text(tags::ImageType, VR::CS, "ORIGINAL\\PRIMARY");
  b.text(tags::SOPClassUID, VR::UI, "1.2.840.10008.5.1.4.1.1.7\0"sv);
  b.text(tags::SOPInstanceUID, VR::UI, "1.2.3.4\0"sv);
  b.begin_sequence(tags::ReferencedImageSequence, Length::Undefined);
  b.begin_item(Length::Defined);
  b.begin_group(0x0008).text(tags::ReferencedSOPInstanceUID, VR::UI, "1.2\0"sv).end_group();
  b.end_item();
  b.begin_item(Length::Undefined).text(tags::ReferencedSOPClassUID, VR::UI, "1.2\0"sv).end_item();
  b.begin_item(Length::Defined).end_item();
  b.end_sequence();
  b.end_group();
  b.text(tags::PatientName, VR::PN, "M\xFCller^Hans ");
  b.text(tags::PatientID, VR::LO, "ID");
  if (encoding.explicit_vr) {
    b.begin_sequence(Tag(0x0019, 0x1001), Length::Undefined, VR::UN);
    b.begin_item(Length::Undefined).us(tags::Rows, {3}).end_item();
    b.begin_item(Length::Defined).text(tags::CodeValue, VR::SH, "AB").end_item();
    b.end_sequence();
  }
  b.begin_group(0x0028);
  b.us(tags::Rows, {2}).us(tags::Columns, {2});
  b.end_group();
  b.begin_sequence(tags::ContentSequence, Length::Defined);
  b.begin_item(Length::Undefined);
  b.begin_sequence(tags::ConceptNameCodeSequence, Length::Defined);
  b.begin_item(Length::Defined).text(tags::CodeValue, VR::SH, "121071").end_item();
  b.end_sequence();
  b.end_item();
  b.end_sequence();
  b.begin_group(0x7FE0);
  b.element(tags::PixelData, VR::OW, byte_vector({1, 2, 3, 4, 5, 6, 7, 8}));
  b.end_group();
  return b;
}

TEST(WriterTest, RewritesAConformantDataSetBitExactInItsOwnSyntax) {
  for (const auto& [encoding, ts] : {std::pair{kImplicitLittle, implicit_vr_little_endian()},
                                     std::pair{kExplicitLittle, explicit_vr_little_endian()},
                                     std::pair{kExplicitBig, explicit_vr_big_endian()}}) {
    const EncodingBuilder b = conformant(encoding);
    std::vector<Diagnostic> diagnostics;
    auto ds = parse_dataset(b.shared(), ts, {}, &diagnostics);
    ASSERT_TRUE(ds.has_value()) << ts.name() << ": " << ds.error().to_string();
    EXPECT_TRUE(diagnostics.empty()) << ts.name() << ": " << diagnostics[0].to_string();
    auto bytes = encode_dataset(*ds, ts);
    ASSERT_TRUE(bytes.has_value());
    EXPECT_EQ(*bytes, b.bytes()) << ts.name();
    EXPECT_EQ(encoded_length(*ds, ts), b.size()) << ts.name();
  }
}

TEST(WriterTest, RewritesAPart10FileBitExact) {
  const EncodingBuilder data = conformant(kExplicitLittle);
  auto input = testing::part10(ts_uids::kExplicitVRLittleEndian, data.bytes());
  for (int i = 0; i < 128; ++i) input[static_cast<std::size_t>(i)] = static_cast<std::byte>(i);
  auto file = read_bytes(SharedBytes::copy_of(input));
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  std::vector<std::byte> output;
  VectorSink sink(output);
  ASSERT_TRUE(
      write_part10(sink, file->meta, file->data, file->transfer_syntax, {}, file->preamble.span())
          .has_value());
  EXPECT_EQ(output, input);
}

TEST(WriterTest, RewritesEncapsulatedPixelDataBitExact) {
  EncodingBuilder b(kExplicitLittle);
  b.us(tags::Rows, {2});
  b.begin_fragments().fragment({}).fragment(byte_vector({1, 2, 3, 0})).end_fragments();
  const TransferSyntax ts = TransferSyntax::lookup_or_unknown(kJpegBaseline);
  auto ds = parse_dataset(b.shared(), ts);
  ASSERT_TRUE(ds.has_value());
  auto bytes = encode_dataset(*ds, ts);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(*bytes, b.bytes());
}

// Removes group lengths everywhere: their values depend on the encoding.
void strip_group_lengths(DataSet& ds) {
  ds.erase_if([](const Element& e) { return e.tag().is_group_length(); });
  for (Element& e : ds) {
    if (!e.is_sequence()) continue;
    for (DataSet& item : e.items()) strip_group_lengths(item);
  }
}

TEST(WriterTest, WritesAReadUnSequenceAsSqInImplicitVr) {
  const EncodingBuilder b = conformant(kExplicitLittle);
  auto ds = parse_dataset(b.shared(), explicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value());
  strip_group_lengths(*ds);
  ASSERT_TRUE(ds->find(Tag(0x0019, 0x1001))->read_as_un_sequence());
  for (const TransferSyntax& ts : {implicit_vr_little_endian(), explicit_vr_big_endian()}) {
    auto bytes = encode_dataset(*ds, ts);
    ASSERT_TRUE(bytes.has_value());
    auto again = parse_dataset(SharedBytes::from_vector(*bytes), ts);
    ASSERT_TRUE(again.has_value()) << ts.name() << ": " << again.error().to_string();
    strip_group_lengths(*again);
    EXPECT_EQ(*again, *ds) << ts.name() << ": " << describe_difference(*ds, *again);
    const Element* seq = again->find(Tag(0x0019, 0x1001));
    ASSERT_TRUE(seq->is_sequence());
    EXPECT_EQ(seq->read_as_un_sequence(), ts.is_explicit_vr()) << ts.name();
  }
}

// --- DICOMDIR -------------------------------------------------------------------------------

constexpr std::string_view kMediaStorageDirectory = "1.2.840.10008.1.3.10";

// A DICOMDIR whose offsets (file positions of its records, PS3.3 §F.3.2.2) are right.
std::vector<std::byte> directory_file() {
  const auto meta = testing::meta_group(ts_uids::kExplicitVRLittleEndian, true,
                                        kMediaStorageDirectory, "1.2.3.4");
  const std::size_t data_start = 132 + meta.size();
  EncodingBuilder b(kExplicitLittle);
  b.ul(Tag(0x0004, 0x1200), {0}).ul(Tag(0x0004, 0x1202), {0});
  b.begin_sequence(Tag(0x0004, 0x1220), Length::Undefined);
  const std::size_t first = b.size();
  b.begin_item(Length::Undefined).ul(Tag(0x0004, 0x1400), {0});
  b.text(Tag(0x0004, 0x1430), VR::CS, "PATIENT ").end_item();
  const std::size_t second = b.size();
  b.begin_item(Length::Defined).ul(Tag(0x0004, 0x1400), {0});
  b.text(Tag(0x0004, 0x1430), VR::CS, "STUDY ").end_item();
  b.end_sequence();
  const auto at = [&](std::size_t offset) {
    return static_cast<std::uint32_t>(data_start + offset);
  };
  b.patch_u32(8, at(first), Endian::Little);            // (0004,1200) first record
  b.patch_u32(20, at(second), Endian::Little);          // (0004,1202) last record
  b.patch_u32(first + 16, at(second), Endian::Little);  // next record of the first
  EncodingBuilder file(kExplicitLittle);
  file.zeros(128).raw("DICM").raw(meta.bytes()).raw(b.bytes());
  return file.bytes();
}

std::uint32_t offset_value(const DataSet& ds, Tag tag) {
  return static_cast<std::uint32_t>(ds.get_uint(tag).value());
}

TEST(WriterTest, MovesDirectoryRecordOffsetsWithTheRecords) {
  auto file = read_bytes(SharedBytes::from_vector(directory_file()));
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  const auto& records = file->data.find(Tag(0x0004, 0x1220))->items();
  ASSERT_EQ(records.size(), 2u);
  ASSERT_EQ(offset_value(file->data, Tag(0x0004, 0x1200)), records[0].source_offset());
  // A longer meta group moves every record.
  auto meta =
      make_file_meta(file->data, ts_uids::kExplicitVRLittleEndian, "A_LONGER_AE", &file->meta);
  ASSERT_TRUE(meta.has_value()) << meta.error().to_string();
  std::vector<std::byte> bytes;
  VectorSink sink(bytes);
  ASSERT_TRUE(write_part10(sink, *meta, file->data, explicit_vr_little_endian()).has_value());
  auto again = read_bytes(SharedBytes::from_vector(bytes));
  ASSERT_TRUE(again.has_value()) << again.error().to_string();
  const auto& moved = again->data.find(Tag(0x0004, 0x1220))->items();
  ASSERT_NE(moved[0].source_offset(), records[0].source_offset());
  EXPECT_EQ(offset_value(again->data, Tag(0x0004, 0x1200)), moved[0].source_offset());
  EXPECT_EQ(offset_value(again->data, Tag(0x0004, 0x1202)), moved[1].source_offset());
  EXPECT_EQ(offset_value(moved[0], Tag(0x0004, 0x1400)), moved[1].source_offset());
  EXPECT_EQ(offset_value(moved[1], Tag(0x0004, 0x1400)), 0u);
  // The data set passed in is not changed.
  EXPECT_EQ(offset_value(file->data, Tag(0x0004, 0x1200)), records[0].source_offset());
}

TEST(WriterTest, CompressesADeflatedDicomdir) {
  auto file = read_bytes(SharedBytes::from_vector(directory_file()));
  ASSERT_TRUE(file.has_value());
  auto meta = make_file_meta(file->data, ts_uids::kDeflatedExplicitVRLittleEndian, {}, &file->meta);
  ASSERT_TRUE(meta.has_value());
  std::vector<std::byte> bytes;
  VectorSink sink(bytes);
  ASSERT_TRUE(
      write_part10(sink, *meta, file->data, deflated_explicit_vr_little_endian()).has_value());
  auto again = read_bytes(SharedBytes::from_vector(bytes));
  ASSERT_TRUE(again.has_value()) << again.error().to_string();
  EXPECT_EQ(again->transfer_syntax, deflated_explicit_vr_little_endian());
  EXPECT_EQ(again->data.find(Tag(0x0004, 0x1220))->items().size(), 2u);
}

// --- Group lengths ------------------------------------------------------------------------

// The (gggg,0000) values of a top-level data set, checked against the encoded groups.
void expect_correct_group_lengths(const std::vector<std::byte>& bytes, const TransferSyntax& ts,
                                  std::size_t expected_count) {
  auto ds = parse_dataset(SharedBytes::copy_of(bytes), ts);
  ASSERT_TRUE(ds.has_value());
  std::size_t count = 0;
  for (const Element& e : *ds) {
    if (!e.tag().is_group_length()) continue;
    ++count;
    DataSet group;
    for (const Element& member : *ds) {
      if (member.tag().group() == e.tag().group() && !member.tag().is_group_length()) {
        group.insert(member);
      }
    }
    // Created group lengths are in items too; the group's own (gggg,0000) takes 12 bytes.
    WriteOptions create;
    create.group_lengths = GroupLengthMode::Create;
    EXPECT_EQ(e.as_uint().value(), encoded_length(group, ts, create) - 12) << e.tag().to_string();
  }
  EXPECT_EQ(count, expected_count);
}

TEST(WriterTest, CreatesAGroupLengthForEveryGroup) {
  DataSet ds = rich_data_set();
  WriteOptions options;
  options.group_lengths = GroupLengthMode::Create;
  for (const TransferSyntax& ts : {implicit_vr_little_endian(), explicit_vr_big_endian()}) {
    auto bytes = encode_dataset(ds, ts, options);
    ASSERT_TRUE(bytes.has_value());
    std::set<std::uint16_t> groups;
    for (const Element& e : ds) groups.insert(e.tag().group());
    expect_correct_group_lengths(*bytes, ts, groups.size());
    EXPECT_EQ(encoded_length(ds, ts, options), bytes->size());
  }
}

TEST(WriterTest, RemovesGroupLengths) {
  const EncodingBuilder b = conformant(kExplicitLittle);
  auto ds = parse_dataset(b.shared(), explicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value());
  WriteOptions options;
  options.group_lengths = GroupLengthMode::Remove;
  auto bytes = encode_dataset(*ds, explicit_vr_little_endian(), options);
  ASSERT_TRUE(bytes.has_value());
  auto again = parse_dataset(SharedBytes::from_vector(*bytes), explicit_vr_little_endian());
  ASSERT_TRUE(again.has_value());
  EXPECT_FALSE(again->contains(Tag(0x0008, 0x0000)));
  EXPECT_FALSE(again->contains(Tag(0x0028, 0x0000)));
  // Also inside items.
  EXPECT_FALSE(again->find(tags::ReferencedImageSequence)->items()[0].contains(Tag(0x0008, 0)));
  EXPECT_EQ(encoded_length(*ds, explicit_vr_little_endian(), options), bytes->size());
}

TEST(WriterTest, RecalculatesWrongGroupLengthsAndAddsNone) {
  EncodingBuilder b(kExplicitLittle);
  b.ul(Tag(0x0008, 0x0000), {999}).text(tags::ImageType, VR::CS, "DERIVED ");
  b.text(tags::PatientName, VR::PN, "Doe ");
  auto ds = parse_dataset(b.shared(), explicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value());
  auto bytes = encode_dataset(*ds, explicit_vr_little_endian());
  ASSERT_TRUE(bytes.has_value());
  expect_correct_group_lengths(*bytes, explicit_vr_little_endian(), 1);
}

// --- Sequence and item lengths ------------------------------------------------------------

void expect_lengths(const DataSet& ds, bool undefined) {
  for (const Element& e : ds) {
    if (!e.is_sequence()) continue;
    EXPECT_EQ(e.undefined_length(), undefined) << e.tag().to_string();
    for (const DataSet& item : e.items()) {
      EXPECT_EQ(item.undefined_length(), undefined) << e.tag().to_string();
      expect_lengths(item, undefined);
    }
  }
}

TEST(WriterTest, WritesExplicitOrUndefinedLengthsWhenAsked) {
  const DataSet ds = rich_data_set();
  for (const LengthMode mode : {LengthMode::Explicit, LengthMode::Undefined}) {
    WriteOptions options;
    options.sequence_lengths = mode;
    options.item_lengths = mode;
    for (const TransferSyntax& ts :
         {implicit_vr_little_endian(), explicit_vr_little_endian(), explicit_vr_big_endian()}) {
      auto bytes = encode_dataset(ds, ts, options);
      ASSERT_TRUE(bytes.has_value());
      EXPECT_EQ(encoded_length(ds, ts, options), bytes->size());
      auto again = parse_dataset(SharedBytes::from_vector(*bytes), ts);
      ASSERT_TRUE(again.has_value()) << again.error().to_string();
      EXPECT_EQ(*again, ds);
      expect_lengths(*again, mode == LengthMode::Undefined);
    }
  }
}

TEST(WriterTest, KeepsTheLengthsAsRead) {
  const DataSet ds = rich_data_set();
  auto bytes = encode_dataset(ds, explicit_vr_little_endian());
  ASSERT_TRUE(bytes.has_value());
  auto again = parse_dataset(SharedBytes::from_vector(*bytes), explicit_vr_little_endian());
  ASSERT_TRUE(again.has_value());
  const Element* images = again->find(tags::ReferencedImageSequence);
  EXPECT_TRUE(images->undefined_length());
  EXPECT_TRUE(images->items()[0].undefined_length());
  EXPECT_FALSE(images->items()[1].undefined_length());
  EXPECT_FALSE(again->find(tags::ContentSequence)->undefined_length());
}

// --- Padding ------------------------------------------------------------------------------

TEST(WriterTest, PadsTheFileToAMultipleOfTheAlignment) {
  DataSet ds = rich_data_set();
  auto meta = make_file_meta(ds, ts_uids::kExplicitVRLittleEndian);
  ASSERT_TRUE(meta.has_value());
  for (const std::uint32_t alignment : {2u, 256u, 1000u}) {
    for (const TransferSyntax& ts : {implicit_vr_little_endian(), explicit_vr_little_endian()}) {
      WriteOptions options;
      options.file_padding = alignment;
      std::vector<std::byte> bytes;
      VectorSink sink(bytes);
      ASSERT_TRUE(write_part10(sink, *meta, ds, ts, options).has_value());
      EXPECT_EQ(bytes.size() % alignment, 0u) << alignment << " " << ts.name();
      ReadOptions read_options;
      read_options.transfer_syntax = TransferSyntaxChoice::Detect;
      auto file = read_bytes(SharedBytes::from_vector(bytes), read_options);
      ASSERT_TRUE(file.has_value()) << file.error().to_string();
      EXPECT_TRUE(file->data.contains(tags::DataSetTrailingPadding));
      // Writing again with the same option replaces the old padding.
      std::vector<std::byte> twice;
      VectorSink twice_sink(twice);
      ASSERT_TRUE(write_part10(twice_sink, file->meta, file->data, ts, options).has_value());
      EXPECT_EQ(twice, bytes);
    }
  }
}

TEST(WriterTest, RemovesPaddingWhenAsked) {
  DataSet ds = rich_data_set();
  ASSERT_TRUE(
      ds.set_bytes(tags::DataSetTrailingPadding, VR::OB, SharedBytes::copy_of(byte_vector({0, 0})))
          .has_value());
  WriteOptions options;
  options.remove_padding = true;
  auto bytes = encode_dataset(ds, explicit_vr_little_endian(), options);
  ASSERT_TRUE(bytes.has_value());
  auto again = parse_dataset(SharedBytes::from_vector(*bytes), explicit_vr_little_endian());
  ASSERT_TRUE(again.has_value());
  EXPECT_FALSE(again->contains(tags::DataSetTrailingPadding));
}

TEST(WriterTest, PadsItemsToAMultipleOfTheAlignment) {
  const DataSet ds = rich_data_set();
  WriteOptions options;
  options.item_padding = 64;
  options.item_lengths = LengthMode::Explicit;
  auto bytes = encode_dataset(ds, explicit_vr_little_endian(), options);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(encoded_length(ds, explicit_vr_little_endian(), options), bytes->size());
  auto again = parse_dataset(SharedBytes::from_vector(*bytes), explicit_vr_little_endian());
  ASSERT_TRUE(again.has_value()) << again.error().to_string();
  for (const DataSet& item : again->find(tags::ReferencedImageSequence)->items()) {
    EXPECT_TRUE(item.contains(tags::DataSetTrailingPadding));
    EXPECT_EQ((8 + encoded_length(item, explicit_vr_little_endian())) % 64, 0u);
  }
}

// --- Byte order ---------------------------------------------------------------------------

TEST(WriterTest, SwapsLittleEndianValuesPerVrWordSizeForBigEndian) {
  DataSet ds;
  ds.insert(Element(tags::FrameIncrementPointer, VR::AT,
                    SharedBytes::copy_of(byte_vector({0x18, 0x00, 0x63, 0x10}))));
  ds.insert(Element(tag_with_vr(VR::UL), VR::UL, SharedBytes::copy_of(byte_vector({1, 2, 3, 4}))));
  ds.insert(Element(tag_with_vr(VR::FD), VR::FD,
                    SharedBytes::copy_of(byte_vector({1, 2, 3, 4, 5, 6, 7, 8}))));
  ds.insert(Element(tag_with_vr(VR::OF), VR::OF,
                    SharedBytes::copy_of(byte_vector({1, 2, 3, 4, 5, 6, 7, 8}))));
  ds.insert(Element(tag_with_vr(VR::OB), VR::OB, SharedBytes::copy_of(byte_vector({1, 2, 3, 4}))));
  ds.insert(Element(tags::PixelData, VR::OW, SharedBytes::copy_of(byte_vector({1, 2, 3, 4}))));
  ds.insert(Element(tags::PatientName, VR::PN, SharedBytes::copy_of("AB"sv)));
  auto bytes = encode_dataset(ds, explicit_vr_big_endian());
  ASSERT_TRUE(bytes.has_value());
  auto again = parse_dataset(SharedBytes::from_vector(*bytes), explicit_vr_big_endian());
  ASSERT_TRUE(again.has_value());
  auto raw = [&](Tag tag) { return to_vector(again->find(tag)->bytes().span()); };
  EXPECT_EQ(raw(tags::FrameIncrementPointer), byte_vector({0x00, 0x18, 0x10, 0x63}));
  EXPECT_EQ(raw(tag_with_vr(VR::UL)), byte_vector({4, 3, 2, 1}));
  EXPECT_EQ(raw(tag_with_vr(VR::FD)), byte_vector({8, 7, 6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(raw(tag_with_vr(VR::OF)), byte_vector({4, 3, 2, 1, 8, 7, 6, 5}));
  EXPECT_EQ(raw(tag_with_vr(VR::OB)), byte_vector({1, 2, 3, 4}));
  EXPECT_EQ(raw(tags::PixelData), byte_vector({2, 1, 4, 3}));
  EXPECT_EQ(raw(tags::PatientName), byte_vector({'A', 'B'}));
  EXPECT_EQ(*again, ds);  // equality normalizes the byte order
}

TEST(WriterTest, SwapsBigEndianValuesForLittleEndian) {
  EncodingBuilder b(kExplicitBig);
  b.at(tags::FrameIncrementPointer, {Tag(0x0018, 0x1063)});
  b.us(tags::Rows, {0x0102});
  b.element(tags::PixelData, VR::OW, byte_vector({1, 2, 3, 4}));
  auto ds = parse_dataset(b.shared(), explicit_vr_big_endian());
  ASSERT_TRUE(ds.has_value());
  auto bytes = encode_dataset(*ds, explicit_vr_little_endian());
  ASSERT_TRUE(bytes.has_value());
  EncodingBuilder expected(kExplicitLittle);
  expected.at(tags::FrameIncrementPointer, {Tag(0x0018, 0x1063)});
  expected.us(tags::Rows, {0x0102});
  expected.element(tags::PixelData, VR::OW, byte_vector({2, 1, 4, 3}));
  EXPECT_EQ(*bytes, expected.bytes());
}

TEST(WriterTest, SwapsLargeValuesInChunksCorrectly) {
  std::vector<std::byte> words(200001 * 2);
  for (std::size_t i = 0; i < words.size(); ++i) words[i] = static_cast<std::byte>(i % 251);
  DataSet ds;
  ds.insert(Element(tags::PixelData, VR::OW, SharedBytes::copy_of(words)));
  auto bytes = encode_dataset(ds, explicit_vr_big_endian());
  ASSERT_TRUE(bytes.has_value());
  ASSERT_EQ(bytes->size(), 12 + words.size());
  for (std::size_t i = 0; i < words.size(); i += 2) {
    ASSERT_EQ((*bytes)[12 + i], words[i + 1]) << i;
    ASSERT_EQ((*bytes)[12 + i + 1], words[i]) << i;
  }
}

// --- Other options ------------------------------------------------------------------------

TEST(WriterTest, WritesNewVrsAsObWhenAsked) {
  DataSet ds;
  ASSERT_TRUE(ds.set_string(tag_with_vr(VR::UT), VR::UT, "text").has_value());
  ASSERT_TRUE(ds.set_int(tag_with_vr(VR::UV), VR::UV, 5).has_value());
  ASSERT_TRUE(ds.set_string(tags::PatientName, "Doe").has_value());
  WriteOptions options;
  options.disable_new_vrs = true;
  auto bytes = encode_dataset(ds, explicit_vr_little_endian(), options);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(encoded_length(ds, explicit_vr_little_endian(), options), bytes->size());
  auto again = parse_dataset(SharedBytes::from_vector(*bytes), explicit_vr_little_endian());
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->find(tag_with_vr(VR::UT))->vr(), VR::OB);
  EXPECT_EQ(again->find(tag_with_vr(VR::UV))->vr(), VR::OB);
  EXPECT_EQ(again->find(tags::PatientName)->vr(), VR::PN);
}

TEST(WriterTest, WritesAValueTooLongForAShortLengthAsUn) {
  DataSet ds;
  const std::string text(70000, 'x');
  ASSERT_TRUE(ds.set_bytes(tags::PatientComments, VR::LT, SharedBytes::copy_of(text)).has_value());
  auto bytes = encode_dataset(ds, explicit_vr_little_endian());
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(bytes->size(), 12 + text.size());
  EXPECT_EQ(encoded_length(ds, explicit_vr_little_endian()), bytes->size());
  auto again = parse_dataset(SharedBytes::from_vector(*bytes), explicit_vr_little_endian());
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->find(tags::PatientComments)->vr(), VR::UN);
  EXPECT_EQ(again->find(tags::PatientComments)->length(), text.size());
}

TEST(WriterTest, WritesPart10WithOnlyGroup0002InTheMeta) {
  DataSet ds = rich_data_set();
  auto meta = make_file_meta(ds, ts_uids::kExplicitVRLittleEndian);
  ASSERT_TRUE(meta.has_value());
  meta->insert(Element(tags::PatientName, VR::PN, SharedBytes::copy_of("X "sv)));
  meta->insert(
      Element(Tag(0x0002, 0x0000), VR::UL, SharedBytes::copy_of(byte_vector({1, 0, 0, 0}))));
  std::vector<std::byte> bytes;
  VectorSink sink(bytes);
  WriteOptions options;
  options.write_preamble = false;
  ASSERT_TRUE(write_part10(sink, *meta, ds, explicit_vr_little_endian(), options).has_value());
  auto file = read_bytes(SharedBytes::from_vector(bytes));
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  EXPECT_FALSE(file->has_preamble);
  EXPECT_FALSE(file->meta.contains(tags::PatientName));
  EXPECT_EQ(file->data, ds);
  for (const Diagnostic& d : file->diagnostics) {
    EXPECT_TRUE(d.message.find("preamble") != std::string::npos) << d.to_string();
  }
}

TEST(WriterTest, FailsOnAWriteAfterTheDeflateStreamEnded) {
  std::vector<std::byte> out;
  VectorSink sink(out);
  auto deflater = DeflateSink::create(sink, 6);
  ASSERT_TRUE(deflater.has_value());
  ASSERT_TRUE((*deflater)->finish().has_value());
  auto status = (*deflater)->write(byte_vector({1}));
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code(), ErrorCode::Internal);
}

TEST(WriterTest, RejectsAnInvalidDeflateLevel) {
  std::vector<std::byte> out;
  VectorSink sink(out);
  auto deflater = DeflateSink::create(sink, 42);
  ASSERT_FALSE(deflater.has_value());
  EXPECT_EQ(deflater.error().code(), ErrorCode::InvalidArgument);
}

class FailingSink final : public ByteSink {
 public:
  explicit FailingSink(std::size_t budget) : budget_(budget) {}
  ofstd::Status write(std::span<const std::byte> bytes) override {
    if (bytes.size() > budget_) return ofstd::Error(ErrorCode::IoError, "disk full");
    budget_ -= bytes.size();
    return {};
  }

 private:
  std::size_t budget_;
};

TEST(WriterTest, PassesSinkErrorsOn) {
  const DataSet ds = rich_data_set();
  const std::size_t total = encode_dataset(ds, explicit_vr_little_endian())->size();
  for (std::size_t budget = 0; budget < total; budget += 37) {
    FailingSink sink(budget);
    auto status = write_dataset(sink, ds, explicit_vr_little_endian());
    ASSERT_FALSE(status.has_value()) << budget;
    EXPECT_EQ(status.error().code(), ErrorCode::IoError);
  }
  FailingSink deflated(10);
  EXPECT_FALSE(write_dataset(deflated, ds, deflated_explicit_vr_little_endian()).has_value());
}

// --- write_file -----------------------------------------------------------------------------

class WriteFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("dcmkit_writer_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(directory_)) {
      out.push_back(entry.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::filesystem::path directory_;
};

TEST_F(WriteFileTest, WritesAFileAndLeavesNoTemporaryFile) {
  const DataSet ds = rich_data_set();
  auto meta = make_file_meta(ds, ts_uids::kExplicitVRLittleEndian);
  ASSERT_TRUE(meta.has_value());
  const auto path = directory_ / "out.dcm";
  ASSERT_TRUE(write_file(path, *meta, ds, explicit_vr_little_endian()).has_value());
  EXPECT_EQ(names(), std::vector<std::string>{"out.dcm"});
  auto file = read_file(path);
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->data, ds);
  EXPECT_TRUE(file->has_preamble);
  // Overwriting replaces the file.
  DataSet smaller;
  ASSERT_TRUE(smaller.set_string(tags::PatientName, "Doe").has_value());
  ASSERT_TRUE(write_file(path, DataSet(), smaller, implicit_vr_little_endian()).has_value());
  EXPECT_EQ(names(), std::vector<std::string>{"out.dcm"});
  EXPECT_EQ(std::filesystem::file_size(path), 8u + 4u);
  const auto perms = std::filesystem::status(path).permissions();
  EXPECT_NE(perms & std::filesystem::perms::others_read, std::filesystem::perms::none);
}

TEST_F(WriteFileTest, FailsInAMissingDirectoryAndLeavesNothing) {
  const auto path = directory_ / "missing" / "out.dcm";
  auto status = write_file(path, DataSet(), rich_data_set(), explicit_vr_little_endian());
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code(), ErrorCode::IoError);
  EXPECT_FALSE(std::filesystem::exists(directory_ / "missing"));
  EXPECT_TRUE(names().empty());
}

TEST_F(WriteFileTest, FailsMidWayWithoutTouchingTheTargetOrLeavingATemporaryFile) {
  const auto path = directory_ / "out.dcm";
  std::ofstream(path) << "old";
  // A value that claims more than 2^32-2 bytes: the writer rejects it by its size, after the
  // elements before it were written, and never reads its bytes.
  static const std::array<std::byte, 16> storage{};
  const std::span<const std::byte> huge(storage.data(), std::size_t{5} << 30);
  DataSet ds = rich_data_set();
  ds.insert(Element(Tag(0x7FE1, 0x0010), VR::OB, SharedBytes(nullptr, huge)));
  auto status = write_file(path, DataSet(), ds, explicit_vr_little_endian());
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code(), ErrorCode::InvalidArgument);
  std::ifstream in(path);
  std::string content;
  in >> content;
  EXPECT_EQ(content, "old");
  EXPECT_EQ(names(), std::vector<std::string>{"out.dcm"});
}

}  // namespace
}  // namespace dcmkit::dcmdata

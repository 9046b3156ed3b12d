// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "data_set_printer.h"
#include "dcmkit/dcmdata/charset.h"
#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/dcmdata/writer.h"
#include "encoding_builder.h"
#include "reader_detail.h"

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

ofstd::Result<DataSet> parse(const EncodingBuilder& b, const TransferSyntax& ts,
                             const ReadOptions& options = {},
                             std::vector<Diagnostic>* diagnostics = nullptr) {
  return parse_dataset(b.shared(), ts, options, diagnostics);
}

ReadOptions strict() {
  ReadOptions options;
  options.strictness = Strictness::Strict;
  return options;
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// Parses leniently (expecting success and exactly one diagnostic whose message contains
// `message`) and strictly (expecting MalformedData with the same message).
void expect_deviation(const EncodingBuilder& b, const TransferSyntax& ts, std::string_view message,
                      std::uint64_t offset) {
  std::vector<Diagnostic> diagnostics;
  auto lenient = parse(b, ts, {}, &diagnostics);
  ASSERT_TRUE(lenient.has_value()) << lenient.error().to_string();
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_TRUE(contains(diagnostics[0].message, message)) << diagnostics[0].to_string();
  EXPECT_EQ(diagnostics[0].offset, offset) << diagnostics[0].to_string();

  auto strict_result = parse(b, ts, strict());
  ASSERT_FALSE(strict_result.has_value());
  EXPECT_EQ(strict_result.error().code(), ErrorCode::MalformedData);
  EXPECT_TRUE(contains(strict_result.error().to_string(), message))
      << strict_result.error().to_string();
  EXPECT_TRUE(contains(strict_result.error().to_string(), "offset " + std::to_string(offset)))
      << strict_result.error().to_string();
}

// --- Explicit VR little endian ------------------------------------------------------------

TEST(ReaderTest, ReadsExplicitLittleEndianElements) {
  EncodingBuilder b(kExplicitLittle);
  b.text(tags::PatientName, VR::PN, "Doe^John").fd(tags::SliceThickness, {}).us(tags::Rows, {512});
  auto ds = parse(b, explicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value()) << ds.error().to_string();
  ASSERT_EQ(ds->size(), 3u);
  const Element* name = ds->find(tags::PatientName);
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->vr(), VR::PN);
  EXPECT_FALSE(name->vr_from_dictionary());
  EXPECT_EQ(name->bytes().chars(), "Doe^John");
  EXPECT_EQ(ds->get_int(tags::Rows).value(), 512);
  EXPECT_EQ(ds->find(tags::Rows)->byte_order(), Endian::Little);
  EXPECT_EQ(ds->find(tags::SliceThickness)->length(), 0u);
}

TEST(ReaderTest, KeepsAnExplicitVrThatContradictsTheDictionary) {
  EncodingBuilder b(kExplicitLittle);
  b.text(tags::PatientName, VR::LO, "Doe");  // the dictionary says PN
  b.text(tags::PatientID, VR::LO, "12");
  auto ds = parse(b, explicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value());
  EXPECT_EQ(ds->find(tags::PatientName)->vr(), VR::LO);
}

TEST(ReaderTest, PrefersTheDictionaryVrWhenAskedTo) {
  EncodingBuilder b(kExplicitLittle);
  b.text(tags::PatientName, VR::LO, "Doe ");
  ReadOptions options;
  options.use_explicit_vr = false;
  auto ds = parse(b, explicit_vr_little_endian(), options);
  ASSERT_TRUE(ds.has_value());
  EXPECT_EQ(ds->find(tags::PatientName)->vr(), VR::PN);
}

TEST(ReaderTest, ReadsNonStandardVrAsUnWithLongLength) {
  EncodingBuilder b(kExplicitLittle);
  b.header_with_vr_chars(Tag(0x0011, 0x0010), "ZZ", 4, true).raw("abcd");
  b.text(Tag(0x0011, 0x0011), VR::LO, "xy");
  expect_deviation(b, explicit_vr_little_endian(), "non-standard VR 'ZZ' read as UN with a 4-byte",
                   0);
  auto ds = parse(b, explicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value());
  EXPECT_EQ(ds->find(Tag(0x0011, 0x0010))->vr(), VR::UN);
  EXPECT_EQ(ds->find(Tag(0x0011, 0x0010))->bytes().chars(), "abcd");
  EXPECT_TRUE(ds->contains(Tag(0x0011, 0x0011)));
}

TEST(ReaderTest, ReadsANonStandardVrOfOtherCharactersWithShortLength) {
  // As DCMTK: only two upper-case letters may be a VR from a later edition of the standard.
  for (const std::string_view chars : {"??"sv, "  "sv, "a1"sv, "\0\0"sv}) {
    EncodingBuilder b(kExplicitLittle);
    b.header_with_vr_chars(tags::PixelPaddingValue, chars, 2, false).raw("ab");
    b.text(tags::WindowCenter, VR::DS, "40");
    expect_deviation(b, explicit_vr_little_endian(), "read as UN with a 2-byte length", 0);
    auto ds = parse(b, explicit_vr_little_endian());
    ASSERT_TRUE(ds.has_value());
    EXPECT_EQ(ds->find(tags::PixelPaddingValue)->vr(), VR::UN);
    EXPECT_EQ(ds->find(tags::PixelPaddingValue)->bytes().chars(), "ab");
    EXPECT_EQ(ds->get_string(tags::WindowCenter).value(), "40");
  }
}

TEST(ReaderTest, ReadsANonStandardVrAsImplicitWhenAsked) {
  // -vr: an element of a producer that switched to implicit VR: tag, 4-byte length, value.
  EncodingBuilder b(kExplicitLittle);
  b.tag(tags::PatientName).u32(4).raw("Doe^");
  b.text(tags::PatientID, VR::LO, "42");
  ReadOptions options;
  options.nonstandard_vr_as_implicit = true;
  std::vector<Diagnostic> diagnostics;
  auto ds = parse_dataset(SharedBytes::copy_of(b.bytes()), explicit_vr_little_endian(), options,
                          &diagnostics);
  ASSERT_TRUE(ds.has_value()) << ds.error().to_string();
  EXPECT_EQ(ds->find(tags::PatientName)->vr(), VR::PN);
  EXPECT_TRUE(ds->find(tags::PatientName)->vr_from_dictionary());
  EXPECT_EQ(ds->get_string(tags::PatientName).value(), "Doe^");
  EXPECT_EQ(ds->get_string(tags::PatientID).value(), "42");
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_NE(diagnostics[0].message.find("read as implicit VR"), std::string::npos);
}

TEST(ReaderTest, ReadsAMaximumLengthPrivateElementAsASequenceWhenAsked) {
  // +sq: in implicit VR, a private element of undefined length is a sequence even if the private
  // dictionary gives it another VR.
  EncodingBuilder b(kImplicitLittle);
  b.text(Tag(0x0009, 0x0010), VR::LO, "GEMS_IDEN_01");
  b.tag(Tag(0x0009, 0x1001)).u32(0xFFFFFFFF);  // LO in GE's dictionary
  b.item_header(kItemTag, 0xFFFFFFFF).text(tags::CodeValue, VR::SH, "A1");
  b.item_header(kItemDelimitationTag, 0).item_header(kSequenceDelimitationTag, 0);
  const SharedBytes bytes = SharedBytes::copy_of(b.bytes());
  EXPECT_FALSE(parse_dataset(bytes, implicit_vr_little_endian()).has_value());
  ReadOptions options;
  options.max_length_private_as_sequence = true;
  auto ds = parse_dataset(bytes, implicit_vr_little_endian(), options);
  ASSERT_TRUE(ds.has_value()) << ds.error().to_string();
  const Element* seq = ds->find(Tag(0x0009, 0x1001));
  ASSERT_TRUE(seq != nullptr && seq->is_sequence());
  ASSERT_EQ(seq->items().size(), 1u);
  EXPECT_EQ(seq->items()[0].get_string(tags::CodeValue).value(), "A1");
}

TEST(ReaderTest, ReadsUndefinedGroupFffeTagsAsElementsWithAVr) {
  // Only the item and delimitation tags lack a VR (PS3.5 §7.5); DCMTK reads others as elements.
  EncodingBuilder b(kExplicitLittle);
  b.text(tags::PatientName, VR::PN, "A ").text(Tag(0xFFFE, 0xE0F2), VR::UN, "xy");
  auto ds = parse(b, explicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value()) << ds.error().to_string();
  EXPECT_EQ(ds->find(Tag(0xFFFE, 0xE0F2))->bytes().chars(), "xy");
  auto bytes = encode_dataset(*ds, explicit_vr_little_endian());
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(*bytes, b.bytes());
}

TEST(ReaderTest, ReadsEveryLongLengthVrWithItsFourByteLength) {
  EncodingBuilder b(kExplicitLittle);
  // OV, SV and UV use the 12-byte header form (PS3.5 Table 7.1-1 since 2019).
  b.numbers<std::uint64_t>(Tag(0x0011, 0x1001), VR::OV, {1, 2});
  b.numbers<std::uint64_t>(Tag(0x0011, 0x1002), VR::SV, {3});
  b.numbers<std::uint64_t>(Tag(0x0011, 0x1003), VR::UV, {4});
  b.text(Tag(0x0011, 0x1004), VR::UC, "long text");
  b.text(Tag(0x0011, 0x1005), VR::UR, "http://x/");
  b.text(Tag(0x0011, 0x1006), VR::UT, "text");
  auto ds = parse(b, explicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value()) << ds.error().to_string();
  EXPECT_EQ(ds->size(), 6u);
  EXPECT_EQ(ds->find(Tag(0x0011, 0x1001))->length(), 16u);
  EXPECT_EQ(ds->get_int(Tag(0x0011, 0x1002)).value(), 3);
  EXPECT_EQ(ds->get_uint(Tag(0x0011, 0x1003)).value(), 4u);
}

// --- Implicit VR little endian ------------------------------------------------------------

TEST(ReaderTest, TakesImplicitVrsFromTheDictionary) {
  EncodingBuilder b(kImplicitLittle);
  b.text(tags::PatientName, VR::PN, "Doe^John").us(tags::Rows, {256});
  auto ds = parse(b, implicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value()) << ds.error().to_string();
  const Element* name = ds->find(tags::PatientName);
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->vr(), VR::PN);
  EXPECT_TRUE(name->vr_from_dictionary());
  EXPECT_EQ(ds->find(tags::Rows)->vr(), VR::US);
  EXPECT_EQ(ds->get_int(tags::Rows).value(), 256);
}

TEST(ReaderTest, ReadsUnknownImplicitTagsAsUn) {
  const Tag unknown(0x0018, 0xFFF0);
  ASSERT_EQ(lookup_tag(unknown), nullptr);
  EncodingBuilder b(kImplicitLittle);
  b.text(unknown, VR::UN, "ab");
  auto ds = parse(b, implicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value());
  EXPECT_EQ(ds->find(unknown)->vr(), VR::UN);
  EXPECT_TRUE(ds->find(unknown)->vr_from_dictionary());
}

TEST(ReaderTest, GivesImplicitGroupLengthsUlAndPrivateCreatorsLo) {
  EncodingBuilder b(kImplicitLittle);
  b.ul(Tag(0x0009, 0x0000), {10}).text(Tag(0x0009, 0x0010), VR::LO, "SOMEONE ");
  b.text(Tag(0x0009, 0x1001), VR::UN, "ab");
  auto ds = parse(b, implicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value());
  EXPECT_EQ(ds->find(Tag(0x0009, 0x0000))->vr(), VR::UL);
  EXPECT_EQ(ds->find(Tag(0x0009, 0x0010))->vr(), VR::LO);
  EXPECT_EQ(ds->find(Tag(0x0009, 0x1001))->vr(), VR::UN);  // unknown creator
}

TEST(ReaderTest, GivesPrivateTagsOfAKnownCreatorTheirPrivateDictionaryVr) {
  EncodingBuilder b(kImplicitLittle);
  b.text(Tag(0x0009, 0x0010), VR::LO, "GEMS_IDEN_01");
  b.us(Tag(0x0009, 0x101A), {7});
  b.numbers<std::uint32_t>(Tag(0x0009, 0x1027), VR::SL, {0xFFFFFFFFu});
  b.text(Tag(0x0009, 0x1002), VR::SH, "SUITE ");
  auto ds = parse(b, implicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value());
  EXPECT_EQ(ds->find(Tag(0x0009, 0x101A))->vr(), VR::US);
  EXPECT_EQ(ds->find(Tag(0x0009, 0x1027))->vr(), VR::SL);
  EXPECT_EQ(ds->get_int(Tag(0x0009, 0x1027)).value(), -1);
  EXPECT_EQ(ds->find(Tag(0x0009, 0x1002))->vr(), VR::SH);
}

TEST(ReaderTest, ResolvesUsOrSsByPixelRepresentation) {
  for (const std::uint16_t representation : {std::uint16_t{0}, std::uint16_t{1}}) {
    EncodingBuilder b(kImplicitLittle);
    b.us(tags::PixelRepresentation, {representation});
    b.us(tags::SmallestImagePixelValue, {0xFFFF});
    auto ds = parse(b, implicit_vr_little_endian());
    ASSERT_TRUE(ds.has_value());
    const Element* smallest = ds->find(tags::SmallestImagePixelValue);
    EXPECT_EQ(smallest->vr(), representation == 1 ? VR::SS : VR::US);
    EXPECT_EQ(smallest->as_int().value(), representation == 1 ? -1 : 65535);
  }
}

TEST(ReaderTest, ResolvesUsOrSsAsUsWithoutPixelRepresentation) {
  EncodingBuilder b(kImplicitLittle);
  b.us(tags::SmallestImagePixelValue, {1});
  auto ds = parse(b, implicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value());
  EXPECT_EQ(ds->find(tags::SmallestImagePixelValue)->vr(), VR::US);
}

TEST(ReaderTest, ResolvesOnlyTheListedUsOrSsTagsByPixelRepresentation) {
  // Palette descriptors are "US or SS" too, but their first value is always unsigned.
  const Tag descriptor = tags::RedPaletteColorLookupTableDescriptor;
  ASSERT_TRUE(lookup_tag(descriptor)->allows(VR::SS));
  ASSERT_FALSE(detail::resolves_by_pixel_representation(descriptor));
  ASSERT_TRUE(detail::resolves_by_pixel_representation(tags::SmallestImagePixelValue));
  EncodingBuilder b(kImplicitLittle);
  b.us(tags::PixelRepresentation, {1});
  b.us(descriptor, {256, 0, 16});
  auto ds = parse(b, implicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value());
  EXPECT_EQ(ds->find(descriptor)->vr(), VR::US);
}

TEST(ReaderTest, ReadsImplicitWordDataAsOw) {
  EncodingBuilder b(kImplicitLittle);
  b.us(tags::LUTData, {1, 2, 3, 4});
  b.element(tags::PixelData, VR::OW, byte_vector({1, 2, 3, 4}));
  auto ds = parse(b, implicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value());
  EXPECT_EQ(ds->find(tags::LUTData)->vr(), VR::OW);
  EXPECT_EQ(ds->find(tags::PixelData)->vr(), VR::OW);
}

// --- Explicit VR big endian ---------------------------------------------------------------

TEST(ReaderTest, KeepsBigEndianBytesAndDecodesThemInAccessors) {
  EncodingBuilder b(kExplicitBig);
  b.text(tags::PatientName, VR::PN, "Doe^J ");
  b.fd(tags::SliceThickness, {2.5});
  b.numbers<std::uint32_t>(Tag(0x0018, 0x6020), VR::SL, {0xFFFFFFFEu});  // ReferencePixelX0
  b.fl(Tag(0x0018, 0x9306), {0.25f});
  b.at(tags::FrameIncrementPointer, {Tag(0x0018, 0x1063), Tag(0x0054, 0x0080)});
  b.us(tags::Rows, {0x0102});
  auto ds = parse(b, explicit_vr_big_endian());
  ASSERT_TRUE(ds.has_value()) << ds.error().to_string();
  const Element* rows = ds->find(tags::Rows);
  EXPECT_EQ(rows->byte_order(), Endian::Big);
  EXPECT_EQ(rows->bytes().span()[0], std::byte{0x01});
  EXPECT_EQ(rows->as_int().value(), 0x0102);
  EXPECT_EQ(ds->get_int(Tag(0x0018, 0x6020)).value(), -2);
  EXPECT_EQ(ds->get_double(tags::SliceThickness).value(), 2.5);
  EXPECT_EQ(ds->get_double(Tag(0x0018, 0x9306)).value(), 0.25);
  const auto tags_value = ds->find(tags::FrameIncrementPointer)->as_tags();
  ASSERT_TRUE(tags_value.has_value());
  EXPECT_EQ(*tags_value, (std::vector<Tag>{Tag(0x0018, 0x1063), Tag(0x0054, 0x0080)}));
  EXPECT_EQ(ds->find(tags::FrameIncrementPointer)->as_int(1).value(), 0x00540080);
  EXPECT_EQ(ds->get_string(tags::PatientName).value(), "Doe^J");
}

TEST(ReaderTest, ConvertsBigEndianValuesToLittleEndianBytesOnRequest) {
  EncodingBuilder b(kExplicitBig);
  b.at(tags::FrameIncrementPointer, {Tag(0x0018, 0x1063)});
  b.us(tags::Rows, {0x0102});
  b.at(tags::FrameIncrementPointer, {Tag(0x0018, 0x1063)});
  auto ds = parse(b, explicit_vr_big_endian());
  ASSERT_TRUE(ds.has_value());
  EXPECT_EQ(ds->find(tags::Rows)->little_endian_bytes().span()[0], std::byte{0x02});
  const auto at = ds->find(tags::FrameIncrementPointer)->little_endian_bytes();
  EXPECT_EQ(std::vector<std::byte>(at.span().begin(), at.span().end()),
            byte_vector({0x18, 0x00, 0x63, 0x10}));
}

// --- Sequences ----------------------------------------------------------------------------

EncodingBuilder mixed_sequences(testing::Encoding encoding) {
  EncodingBuilder b(encoding);
  b.text(tags::SpecificCharacterSet, VR::CS, "ISO_IR 100");
  b.begin_sequence(tags::ReferencedImageSequence, Length::Undefined);
  b.begin_item(Length::Undefined).text(tags::ReferencedSOPClassUID, VR::UI, "1.2.3\0"sv);
  b.end_item();
  b.begin_item(Length::Defined).text(tags::ReferencedSOPInstanceUID, VR::UI, "1.2.4\0"sv);
  b.end_item();
  b.end_sequence();
  b.begin_sequence(tags::VOILUTSequence, Length::Defined).end_sequence();  // empty
  b.begin_sequence(tags::ContentSequence, Length::Defined);
  b.begin_item(Length::Defined);
  b.begin_sequence(tags::ConceptNameCodeSequence, Length::Undefined);
  b.begin_item(Length::Undefined).text(tags::CodeValue, VR::SH, "121071").end_item();
  b.end_sequence();
  b.end_item();
  b.begin_item(Length::Defined).end_item();  // an empty item
  b.end_sequence();
  return b;
}

TEST(ReaderTest, ReadsSequencesOfDefinedAndUndefinedLength) {
  for (const auto& [encoding, ts] : {std::pair{kExplicitLittle, explicit_vr_little_endian()},
                                     std::pair{kImplicitLittle, implicit_vr_little_endian()},
                                     std::pair{kExplicitBig, explicit_vr_big_endian()}}) {
    auto ds = parse(mixed_sequences(encoding), ts);
    ASSERT_TRUE(ds.has_value()) << ts.name() << ": " << ds.error().to_string();
    const Element* images = ds->find(tags::ReferencedImageSequence);
    ASSERT_NE(images, nullptr);
    ASSERT_TRUE(images->is_sequence());
    EXPECT_EQ(images->vr(), VR::SQ);
    EXPECT_TRUE(images->undefined_length());
    ASSERT_EQ(images->items().size(), 2u);
    EXPECT_TRUE(images->items()[0].undefined_length());
    EXPECT_FALSE(images->items()[1].undefined_length());
    EXPECT_EQ(images->items()[1].get_uid(tags::ReferencedSOPInstanceUID).value().str(), "1.2.4");

    const Element* content = ds->find(tags::ContentSequence);
    ASSERT_NE(content, nullptr);
    EXPECT_FALSE(content->undefined_length());
    ASSERT_EQ(content->items().size(), 2u);
    EXPECT_TRUE(content->items()[1].empty());
    const Element* concept_name = content->items()[0].find(tags::ConceptNameCodeSequence);
    ASSERT_NE(concept_name, nullptr);
    ASSERT_EQ(concept_name->items().size(), 1u);
    EXPECT_EQ(concept_name->items()[0].get_string(tags::CodeValue).value(), "121071");

    const Element* empty = ds->find(tags::VOILUTSequence);
    ASSERT_NE(empty, nullptr);
    EXPECT_TRUE(empty->is_sequence());
    EXPECT_TRUE(empty->items().empty());
  }
}

TEST(ReaderTest, RecordsTheSourceOffsetOfEachItem) {
  EncodingBuilder b(kExplicitLittle);
  b.text(tags::StudyDate, VR::DA, "20240101");
  b.begin_sequence(tags::ReferencedImageSequence, Length::Undefined);
  const std::size_t first = b.size();
  b.begin_item(Length::Defined).text(tags::ReferencedSOPClassUID, VR::UI, "1.2\0"sv).end_item();
  const std::size_t second = b.size();
  b.begin_item(Length::Undefined).end_item();
  b.end_sequence();
  auto file = parse_dataset_ex(b.shared(), explicit_vr_little_endian(), {}, nullptr, 1000);
  ASSERT_TRUE(file.has_value());
  const auto& items = file->data.find(tags::ReferencedImageSequence)->items();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].source_offset(), 1000 + first);
  EXPECT_EQ(items[1].source_offset(), 1000 + second);
  EXPECT_EQ(file->end_offset, 1000 + b.size());  // an offset in the whole input
}

TEST(ReaderTest, ItemsInheritTheCharacterSetUnlessTheyHaveTheirOwn) {
  EncodingBuilder b(kExplicitLittle);
  b.text(tags::SpecificCharacterSet, VR::CS, "ISO_IR 100");
  b.begin_sequence(tags::ReferencedImageSequence, Length::Undefined);
  b.begin_item(Length::Undefined).text(tags::PatientName, VR::PN, "Mu\xF1oz ").end_item();
  b.begin_item(Length::Undefined);
  b.text(tags::SpecificCharacterSet, VR::CS, "ISO_IR 192");
  b.text(tags::PatientName, VR::PN, "Mu\xC3\xB1oz");
  b.begin_sequence(tags::ConceptNameCodeSequence, Length::Undefined);
  b.begin_item(Length::Undefined).text(tags::CodeValue, VR::SH, "x ").end_item();
  b.end_sequence();
  b.end_item();
  b.end_sequence();
  auto ds = parse(b, explicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value()) << ds.error().to_string();
  EXPECT_EQ(ds->character_set().terms(), std::vector<std::string>{"ISO_IR 100"});
  const auto& items = ds->find(tags::ReferencedImageSequence)->items();
  EXPECT_EQ(items[0].character_set().terms(), std::vector<std::string>{"ISO_IR 100"});
  EXPECT_EQ(items[1].character_set().terms(), std::vector<std::string>{"ISO_IR 192"});
  const auto& nested = items[1].find(tags::ConceptNameCodeSequence)->items();
  EXPECT_EQ(nested[0].character_set().terms(), std::vector<std::string>{"ISO_IR 192"});
  EXPECT_EQ(items[0].get_string(tags::PatientName).value(), "Mu\xC3\xB1oz");
  EXPECT_EQ(items[1].get_string(tags::PatientName).value(), "Mu\xC3\xB1oz");
}

TEST(ReaderTest, ReportsAnUnknownCharacterSetAndKeepsTheDefaultRepertoire) {
  EncodingBuilder b(kExplicitLittle);
  b.text(tags::SpecificCharacterSet, VR::CS, "ISO_IR 999");
  expect_deviation(b, explicit_vr_little_endian(), "default repertoire", 0);
  auto ds = parse(b, explicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value());
  EXPECT_TRUE(ds->character_set().is_default());
}

TEST(ReaderTest, ReadsNestedSequencesUpToTheDepthLimit) {
  auto nested = [](int depth) {
    EncodingBuilder b(kExplicitLittle);
    for (int i = 0; i < depth; ++i) {
      b.begin_sequence(tags::ContentSequence, Length::Undefined).begin_item(Length::Undefined);
    }
    b.text(tags::CodeValue, VR::SH, "leaf");
    for (int i = 0; i < depth; ++i) b.end_item().end_sequence();
    return b;
  };
  ReadOptions options;
  options.max_sequence_depth = 5;
  auto ok = parse(nested(5), explicit_vr_little_endian(), options);
  ASSERT_TRUE(ok.has_value()) << ok.error().to_string();
  const DataSet* level = &*ok;
  for (int i = 0; i < 5; ++i) level = &level->find(tags::ContentSequence)->items()[0];
  EXPECT_EQ(level->get_string(tags::CodeValue).value(), "leaf");

  auto too_deep = parse(nested(6), explicit_vr_little_endian(), options);
  ASSERT_FALSE(too_deep.has_value());
  EXPECT_EQ(too_deep.error().code(), ErrorCode::LimitExceeded);
  EXPECT_TRUE(contains(too_deep.error().to_string(), "deeper than 5"));
  EXPECT_TRUE(contains(too_deep.error().to_string(), "(0040,a730)[0].(0040,a730)[0]"))
      << too_deep.error().to_string();
}

TEST(ReaderTest, DefaultDepthLimitStopsHostileNestingWithoutExhaustingTheStack) {
  EncodingBuilder b(kExplicitLittle);
  for (int i = 0; i < 10000; ++i) {
    b.begin_sequence(tags::ContentSequence, Length::Undefined).begin_item(Length::Undefined);
  }
  auto ds = parse(b, explicit_vr_little_endian());
  ASSERT_FALSE(ds.has_value());
  EXPECT_EQ(ds.error().code(), ErrorCode::LimitExceeded);
}

// --- Encapsulated pixel data --------------------------------------------------------------

TEST(ReaderTest, ReadsEncapsulatedPixelDataWithAnEmptyOffsetTable) {
  EncodingBuilder b(kExplicitLittle);
  b.us(tags::Rows, {1});
  b.begin_fragments().fragment({}).fragment(byte_vector({1, 2, 3, 4}));
  b.fragment(byte_vector({5, 6})).end_fragments();
  const auto& ts = TransferSyntax::lookup_or_unknown(kJpegBaseline);
  std::vector<Diagnostic> diagnostics;
  auto ds = parse(b, ts, {}, &diagnostics);
  ASSERT_TRUE(ds.has_value()) << ds.error().to_string();
  EXPECT_TRUE(diagnostics.empty());
  const Element* pixels = ds->find(tags::PixelData);
  ASSERT_TRUE(pixels->is_encapsulated());
  EXPECT_EQ(pixels->vr(), VR::OB);
  EXPECT_TRUE(pixels->undefined_length());
  ASSERT_EQ(pixels->fragments().size(), 3u);
  EXPECT_TRUE(pixels->fragments()[0].empty());
  EXPECT_EQ(pixels->fragments()[1].size(), 4u);
  EXPECT_EQ(pixels->fragments()[2].span()[1], std::byte{6});
}

TEST(ReaderTest, ReadsABasicOffsetTable) {
  EncodingBuilder offsets(kExplicitLittle);
  offsets.u32(0).u32(12);
  EncodingBuilder b(kExplicitLittle);
  b.begin_fragments().fragment(offsets.bytes()).fragment(byte_vector({1, 2})).end_fragments();
  auto ds = parse(b, TransferSyntax::lookup_or_unknown(kJpegBaseline));
  ASSERT_TRUE(ds.has_value());
  EXPECT_EQ(ds->find(tags::PixelData)->fragments()[0].size(), 8u);
}

TEST(ReaderTest, ReportsEncapsulatedPixelDataWithoutOffsetTableItem) {
  EncodingBuilder b(kExplicitLittle);
  b.begin_fragments().end_fragments();
  const auto ts = TransferSyntax::lookup_or_unknown(kJpegBaseline);
  expect_deviation(b, ts, "no Basic Offset Table item", b.size());
  auto ds = parse(b, ts);
  ASSERT_TRUE(ds.has_value());
  // The model always has the offset table entry, so the writer can write one.
  EXPECT_EQ(ds->find(tags::PixelData)->fragments().size(), 1u);
}

TEST(ReaderTest, ReportsEncapsulatedPixelDataInANativeSyntax) {
  EncodingBuilder b(kExplicitLittle);
  b.begin_fragments().fragment({}).end_fragments();
  expect_deviation(b, explicit_vr_little_endian(), "not encapsulated", 0);
}

TEST(ReaderTest, ReportsNativePixelDataInAnEncapsulatedSyntax) {
  EncodingBuilder b(kExplicitLittle);
  b.element(tags::PixelData, VR::OB, byte_vector({1, 2}));
  const auto ts = TransferSyntax::lookup_or_unknown(kJpegBaseline);
  expect_deviation(b, ts, "explicit length", 0);
  ReadOptions options;
  options.strictness = Strictness::Strict;
  options.accept_explicit_length_pixel_data = true;
  EXPECT_TRUE(parse(b, ts, options).has_value());
}

TEST(ReaderTest, FailsWhenAFragmentIsNotAnItem) {
  EncodingBuilder b(kExplicitLittle);
  b.begin_fragments().fragment({});
  const std::size_t at = b.size();
  b.item_header(kItemDelimitationTag, 0).end_fragments();
  auto ds = parse(b, TransferSyntax::lookup_or_unknown(kJpegBaseline));
  ASSERT_FALSE(ds.has_value());
  EXPECT_EQ(ds.error().code(), ErrorCode::MalformedData);
  EXPECT_TRUE(contains(ds.error().to_string(), "offset " + std::to_string(at)));
  EXPECT_TRUE(contains(ds.error().to_string(), "(fffe,e00d) where a pixel data fragment"));
}

TEST(ReaderTest, FailsWhenAFragmentLengthExceedsTheInput) {
  EncodingBuilder b(kExplicitLittle);
  b.begin_fragments().fragment({}).item_header(kItemTag, 100).raw("ab");
  auto ds = parse(b, TransferSyntax::lookup_or_unknown(kJpegBaseline));
  ASSERT_FALSE(ds.has_value());
  EXPECT_EQ(ds.error().code(), ErrorCode::MalformedData);
  EXPECT_TRUE(contains(ds.error().to_string(), "fragment length 100 exceeds the 2 bytes"));
  EXPECT_TRUE(contains(ds.error().to_string(), "(7fe0,0010)"));
}

TEST(ReaderTest, FailsWhenFragmentsEndWithoutDelimiter) {
  EncodingBuilder b(kExplicitLittle);
  b.begin_fragments().fragment({}).fragment(byte_vector({1, 2}));
  auto ds = parse(b, TransferSyntax::lookup_or_unknown(kJpegBaseline));
  ASSERT_FALSE(ds.has_value());
  EXPECT_EQ(ds.error().code(), ErrorCode::MalformedData);
  EXPECT_TRUE(contains(ds.error().to_string(), "without a Sequence Delimitation Item"));
}

// --- CP-246: undefined-length UN ----------------------------------------------------------

EncodingBuilder un_sequence(testing::Encoding encoding) {
  EncodingBuilder b(encoding);
  b.begin_sequence(tags::ReferencedImageSequence, Length::Undefined, VR::UN);
  b.begin_item(Length::Undefined).text(tags::ReferencedSOPInstanceUID, VR::UI, "1.2.3\0"sv);
  b.end_item();
  b.begin_item(Length::Defined).us(tags::Rows, {0x0102}).end_item();
  b.end_sequence();
  b.text(tags::PatientID, VR::LO, "after ");
  return b;
}

TEST(ReaderTest, ReadsUndefinedLengthUnAsImplicitLittleEndianSequence) {
  for (const auto& [encoding, ts] : {std::pair{kExplicitLittle, explicit_vr_little_endian()},
                                     std::pair{kExplicitBig, explicit_vr_big_endian()}}) {
    auto ds = parse(un_sequence(encoding), ts);
    ASSERT_TRUE(ds.has_value()) << ds.error().to_string();
    const Element* seq = ds->find(tags::ReferencedImageSequence);
    ASSERT_TRUE(seq->is_sequence());
    EXPECT_TRUE(seq->read_as_un_sequence());
    ASSERT_EQ(seq->items().size(), 2u);
    const Element* uid = seq->items()[0].find(tags::ReferencedSOPInstanceUID);
    EXPECT_EQ(uid->vr(), VR::UI);
    EXPECT_TRUE(uid->vr_from_dictionary());
    EXPECT_EQ(seq->items()[1].find(tags::Rows)->byte_order(), Endian::Little);
    EXPECT_EQ(seq->items()[1].get_int(tags::Rows).value(), 0x0102);
    EXPECT_EQ(ds->get_string(tags::PatientID).value(), "after");
  }
}

TEST(ReaderTest, FailsOnUndefinedLengthUnWhenCp246IsDisabled) {
  ReadOptions options;
  options.undefined_length_un_as_sequence = false;
  auto ds = parse(un_sequence(kExplicitLittle), explicit_vr_little_endian(), options);
  ASSERT_FALSE(ds.has_value());
  EXPECT_EQ(ds.error().code(), ErrorCode::Unsupported);
  EXPECT_TRUE(contains(ds.error().to_string(), "offset 0, (0008,1140)"));
}

TEST(ReaderTest, ReadsAnUndefinedLengthUnknownImplicitTagAsSequence) {
  const Tag unknown(0x0019, 0x1001);
  EncodingBuilder b(kImplicitLittle);
  b.begin_sequence(unknown, Length::Undefined);
  b.begin_item(Length::Undefined).us(tags::Rows, {3}).end_item();
  b.end_sequence();
  auto ds = parse(b, implicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value()) << ds.error().to_string();
  const Element* seq = ds->find(unknown);
  ASSERT_TRUE(seq->is_sequence());
  EXPECT_FALSE(seq->read_as_un_sequence());
  EXPECT_EQ(seq->items()[0].get_int(tags::Rows).value(), 3);
}

TEST(ReaderTest, ConvertsDefinedLengthUnOfAKnownTagWhenAsked) {
  EncodingBuilder inner(kImplicitLittle);
  inner.item_header(kItemTag, 10).text(tags::CodeValue, VR::SH, "ab");
  EncodingBuilder b(kExplicitLittle);
  b.element(tags::PatientName, VR::UN, testing::as_byte_span("Doe^J "));
  b.element(tags::ConceptNameCodeSequence, VR::UN, inner.bytes());
  ReadOptions options;
  options.convert_un_to_known_vr = true;
  auto ds = parse(b, explicit_vr_little_endian(), options);
  ASSERT_TRUE(ds.has_value()) << ds.error().to_string();
  EXPECT_TRUE(ds->find(tags::ConceptNameCodeSequence)->is_sequence());
  EXPECT_EQ(ds->find(tags::PatientName)->vr(), VR::PN);
  auto unconverted = parse(b, explicit_vr_little_endian());
  ASSERT_TRUE(unconverted.has_value());
  EXPECT_EQ(unconverted->find(tags::ConceptNameCodeSequence)->vr(), VR::UN);
}

TEST(ReaderTest, ReadsUndefinedLengthObAsSequenceOnlyWhenAsked) {
  EncodingBuilder b(kExplicitLittle);
  b.begin_sequence(Tag(0x0009, 0x1001), Length::Undefined, VR::OB);
  b.begin_item(Length::Undefined).end_item().end_sequence();
  auto plain = parse(b, explicit_vr_little_endian());
  ASSERT_FALSE(plain.has_value());
  EXPECT_EQ(plain.error().code(), ErrorCode::MalformedData);
  EXPECT_TRUE(contains(plain.error().to_string(), "undefined length is not allowed for VR OB"));
  ReadOptions options;
  options.convert_undefined_length_obow = true;
  std::vector<Diagnostic> diagnostics;
  auto converted = parse(b, explicit_vr_little_endian(), options, &diagnostics);
  ASSERT_TRUE(converted.has_value()) << converted.error().to_string();
  EXPECT_TRUE(converted->find(Tag(0x0009, 0x1001))->is_sequence());
  EXPECT_EQ(diagnostics.size(), 1u);
}

// --- Errors: MalformedData with offset and path -------------------------------------------

TEST(ReaderTest, FailsWhenLengthExceedsInputNamingOffsetAndPath) {
  EncodingBuilder b(kExplicitLittle);
  b.text(tags::StudyDate, VR::DA, "20240101");
  b.begin_sequence(Tag(0x0008, 0x1115), Length::Undefined);  // ReferencedSeriesSequence
  for (int i = 0; i < 2; ++i) {
    b.begin_item(Length::Undefined);
    b.text(tags::ReferencedSOPClassUID, VR::UI, "1.2\0"sv).end_item();
  }
  b.begin_item(Length::Undefined);
  b.text(tags::ReferencedSOPClassUID, VR::UI, "1.2\0"sv);
  const std::size_t bad = b.size();
  b.header(tags::ReferencedSOPInstanceUID, VR::UI, 200).raw("1.2");
  auto ds = parse(b, explicit_vr_little_endian());
  ASSERT_FALSE(ds.has_value());
  EXPECT_EQ(ds.error().code(), ErrorCode::MalformedData);
  const std::string text = ds.error().to_string();
  EXPECT_TRUE(contains(text, "offset " + std::to_string(bad) + ", (0008,1115)[2].(0008,1155)"))
      << text;
  EXPECT_TRUE(contains(text, "value length 200 exceeds the 3 bytes that remain")) << text;
}

TEST(ReaderTest, AddsTheBaseOffsetToErrorPositions) {
  EncodingBuilder b(kExplicitLittle);
  b.header(tags::PatientID, VR::LO, 10);
  auto result = parse_dataset_ex(b.shared(), explicit_vr_little_endian(), {}, nullptr, 1842);
  ASSERT_FALSE(result.has_value());
  EXPECT_TRUE(contains(result.error().to_string(), "offset 1842, (0010,0020)"))
      << result.error().to_string();
}

TEST(ReaderTest, FailsOnATruncatedHeader) {
  for (const std::size_t keep : {1u, 4u, 7u, 10u}) {
    EncodingBuilder full(kExplicitLittle);
    full.text(tags::PatientID, VR::LO, "ID").text(tags::PatientName, VR::UT, "Doe ");
    const auto& all = full.bytes();
    const std::size_t cut = 10 + keep;  // inside the second header (12 bytes, UT)
    ASSERT_LT(cut, all.size());
    auto ds =
        parse_dataset(SharedBytes::copy_of(std::span(all).first(cut)), explicit_vr_little_endian());
    ASSERT_FALSE(ds.has_value()) << keep;
    EXPECT_EQ(ds.error().code(), ErrorCode::MalformedData);
    EXPECT_TRUE(contains(ds.error().to_string(), "offset 10"));
    EXPECT_TRUE(contains(ds.error().to_string(), "truncated")) << ds.error().to_string();
  }
}

TEST(ReaderTest, FailsOnAnItemOutsideASequence) {
  EncodingBuilder b(kExplicitLittle);
  b.text(tags::PatientID, VR::LO, "ID").item_header(kItemTag, 0);
  auto ds = parse(b, explicit_vr_little_endian());
  ASSERT_FALSE(ds.has_value());
  EXPECT_EQ(ds.error().code(), ErrorCode::MalformedData);
  EXPECT_TRUE(contains(ds.error().to_string(), "offset 10: item tag (fffe,e000) outside"));
}

TEST(ReaderTest, FailsOnANonItemInsideASequence) {
  EncodingBuilder b(kExplicitLittle);
  b.begin_sequence(tags::ReferencedImageSequence, Length::Undefined);
  b.text(tags::PatientID, VR::LO, "ID");
  auto ds = parse(b, explicit_vr_little_endian());
  ASSERT_FALSE(ds.has_value());
  EXPECT_EQ(ds.error().code(), ErrorCode::MalformedData);
  EXPECT_TRUE(contains(ds.error().to_string(), "offset 12, (0008,1140): found (0010,0020)"))
      << ds.error().to_string();
}

TEST(ReaderTest, FailsOnAnUndefinedLengthSequenceWithoutDelimiter) {
  EncodingBuilder b(kExplicitLittle);
  b.begin_sequence(tags::ReferencedImageSequence, Length::Undefined);
  b.begin_item(Length::Defined).end_item();
  auto ds = parse(b, explicit_vr_little_endian());
  ASSERT_FALSE(ds.has_value());
  EXPECT_EQ(ds.error().code(), ErrorCode::MalformedData);
  EXPECT_TRUE(contains(ds.error().to_string(), "without a Sequence Delimitation Item"));
}

TEST(ReaderTest, FailsOnAnUndefinedLengthItemWithoutDelimiter) {
  EncodingBuilder b(kExplicitLittle);
  b.begin_sequence(tags::ReferencedImageSequence, Length::Undefined);
  b.begin_item(Length::Undefined).text(tags::PatientID, VR::LO, "ID");
  auto ds = parse(b, explicit_vr_little_endian());
  ASSERT_FALSE(ds.has_value());
  EXPECT_EQ(ds.error().code(), ErrorCode::MalformedData);
  EXPECT_TRUE(contains(ds.error().to_string(), "(0008,1140)[0]: item with undefined length"))
      << ds.error().to_string();
}

TEST(ReaderTest, FailsWhenAnItemIsLongerThanItsSequence) {
  EncodingBuilder b(kExplicitLittle);
  b.begin_sequence(tags::ReferencedImageSequence, Length::Defined);
  b.begin_item(Length::Defined).text(tags::PatientID, VR::LO, "ID").end_item();
  b.end_sequence();
  b.patch_u32(8, 8, Endian::Little);  // sequence length: just the item header
  auto ds = parse(b, explicit_vr_little_endian());
  ASSERT_FALSE(ds.has_value());
  EXPECT_EQ(ds.error().code(), ErrorCode::MalformedData);
  EXPECT_TRUE(contains(ds.error().to_string(), "offset 12, (0008,1140): item length 10 exceeds"))
      << ds.error().to_string();
}

TEST(ReaderTest, FailsWhenAnElementIsLongerThanItsItem) {
  EncodingBuilder b(kExplicitLittle);
  b.begin_sequence(tags::ReferencedImageSequence, Length::Undefined);
  b.begin_item(Length::Defined).text(tags::PatientID, VR::LO, "ID").end_item();
  b.text(tags::PatientName, VR::PN, "AB");  // not part of the item, but in the input
  b.end_sequence();
  b.patch_u32(16, 6, Endian::Little);  // item length: the header and 2 bytes of the value
  auto ds = parse(b, explicit_vr_little_endian());
  ASSERT_FALSE(ds.has_value());
  EXPECT_EQ(ds.error().code(), ErrorCode::MalformedData);
  EXPECT_TRUE(contains(ds.error().to_string(), "(0008,1140)[0].(0010,0020)"))
      << ds.error().to_string();
}

TEST(ReaderTest, ReportsItemContentRunningPastTheItemLengthWithoutReadingItTwice) {
  EncodingBuilder b(kExplicitLittle);
  b.begin_sequence(tags::ReferencedImageSequence, Length::Undefined);
  b.begin_item(Length::Defined);
  b.begin_sequence(tags::ContentSequence, Length::Undefined);
  b.begin_item(Length::Undefined).text(tags::CodeValue, VR::SH, "ABCD").end_item();
  b.end_sequence();
  b.end_item();
  b.end_sequence();
  // The item claims only the nested sequence's header; its undefined-length content runs on.
  // Going back to the claimed end would read the nested item a second time as an item of the
  // outer sequence.
  b.patch_u32(16, 12, Endian::Little);
  expect_deviation(b, explicit_vr_little_endian(), "runs 36 bytes past the item length 12", 12);
  auto ds = parse(b, explicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value());
  const auto& items = ds->find(tags::ReferencedImageSequence)->items();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].find(tags::ContentSequence)->items().size(), 1u);
}

TEST(ReaderTest, FailsWhenItemsOverrunTheSequenceLength) {
  EncodingBuilder b(kExplicitLittle);
  b.begin_sequence(tags::ReferencedImageSequence, Length::Defined);
  b.begin_item(Length::Undefined).text(tags::PatientID, VR::LO, "ID").end_item();
  b.end_sequence();
  b.patch_u32(8, 12, Endian::Little);  // ends inside the item's content
  auto ds = parse(b, explicit_vr_little_endian());
  ASSERT_FALSE(ds.has_value());
  EXPECT_EQ(ds.error().code(), ErrorCode::MalformedData);
  EXPECT_TRUE(contains(ds.error().to_string(), "overrun the sequence length"))
      << ds.error().to_string();
}

TEST(ReaderTest, FailsOnUndefinedLengthForAPlainVr) {
  EncodingBuilder b(kImplicitLittle);
  b.header(tags::PatientID, VR::LO, testing::kUndefined);
  auto ds = parse(b, implicit_vr_little_endian());
  ASSERT_FALSE(ds.has_value());
  EXPECT_EQ(ds.error().code(), ErrorCode::MalformedData);
  EXPECT_TRUE(contains(ds.error().to_string(), "undefined length is not allowed for VR LO"));
}

TEST(ReaderTest, RejectsDeflatedSyntaxInParseDataset) {
  EncodingBuilder b(kExplicitLittle);
  auto ds = parse(b, deflated_explicit_vr_little_endian());
  ASSERT_FALSE(ds.has_value());
  EXPECT_EQ(ds.error().code(), ErrorCode::InvalidArgument);
}

TEST(ReaderTest, ReadsAnEmptyInputAsAnEmptyDataSet) {
  EncodingBuilder b(kExplicitLittle);
  auto ds = parse(b, explicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value());
  EXPECT_TRUE(ds->empty());
}

// --- Lenient and strict -------------------------------------------------------------------

TEST(ReaderTest, ReportsOddLengthsLenientlyAndFailsStrictly) {
  EncodingBuilder b(kExplicitLittle);
  b.text(tags::StudyDate, VR::DA, "20240101").text(tags::PatientName, VR::PN, "Doe");
  expect_deviation(b, explicit_vr_little_endian(), "odd value length 3", 16);
  auto ds = parse(b, explicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value());
  EXPECT_EQ(ds->find(tags::PatientName)->length(), 3u);
}

TEST(ReaderTest, AssumesEvenLengthWhenAsked) {
  ReadOptions options;
  options.assume_even_length = true;
  options.strictness = Strictness::Strict;
  EncodingBuilder odd(kExplicitLittle);
  odd.header(tags::PatientName, VR::PN, 3).raw("Doe ");
  odd.text(tags::PatientID, VR::LO, "ID");
  auto even = parse_dataset(odd.shared(), explicit_vr_little_endian(), options);
  ASSERT_TRUE(even.has_value()) << even.error().to_string();
  EXPECT_EQ(even->find(tags::PatientName)->bytes().chars(), "Doe ");
  EXPECT_TRUE(even->contains(tags::PatientID));
}

TEST(ReaderTest, KeepsTheFirstOfDuplicatedElements) {
  EncodingBuilder b(kExplicitLittle);
  b.text(tags::PatientID, VR::LO, "A ").text(tags::PatientID, VR::LO, "B ");
  expect_deviation(b, explicit_vr_little_endian(), "occurs twice", 10);
  auto ds = parse(b, explicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value());
  EXPECT_EQ(ds->get_string(tags::PatientID).value(), "A");
}

TEST(ReaderTest, SortsElementsThatAreOutOfOrder) {
  EncodingBuilder b(kExplicitLittle);
  b.text(tags::PatientID, VR::LO, "A ").text(tags::PatientName, VR::PN, "B ");
  auto ds = parse(b, explicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value());
  ASSERT_EQ(ds->size(), 2u);
  EXPECT_EQ(ds->elements()[0].tag(), tags::PatientName);
}

TEST(ReaderTest, IgnoresAStrayItemDelimiterAtTopLevel) {
  EncodingBuilder b(kExplicitLittle);
  b.text(tags::PatientName, VR::PN, "A ").item_header(kItemDelimitationTag, 0);
  b.text(tags::PatientID, VR::LO, "B ");
  expect_deviation(b, explicit_vr_little_endian(), "unexpected Item Delimitation Item", 10);
  auto ds = parse(b, explicit_vr_little_endian());
  EXPECT_TRUE(ds->contains(tags::PatientID));
}

TEST(ReaderTest, IgnoresAStraySequenceDelimiterAtTopLevel) {
  EncodingBuilder b(kExplicitLittle);
  b.item_header(kSequenceDelimitationTag, 0).text(tags::PatientID, VR::LO, "B ");
  expect_deviation(b, explicit_vr_little_endian(), "unexpected Sequence Delimitation Item", 0);
}

TEST(ReaderTest, ReportsAnItemDelimiterWithNonZeroLength) {
  EncodingBuilder b(kExplicitLittle);
  b.begin_sequence(tags::ReferencedImageSequence, Length::Undefined);
  b.item_header(kItemTag, testing::kUndefined);
  const std::size_t at = b.size();
  b.item_header(kItemDelimitationTag, 4);
  b.item_header(kSequenceDelimitationTag, 0);
  expect_deviation(b, explicit_vr_little_endian(), "non-zero length 4", at);
}

TEST(ReaderTest, ClosesAnItemEndedByASequenceDelimiter) {
  EncodingBuilder b(kExplicitLittle);
  b.begin_sequence(tags::ReferencedImageSequence, Length::Undefined);
  b.item_header(kItemTag, testing::kUndefined).text(tags::PatientID, VR::LO, "ID");
  const std::size_t at = b.size();
  b.item_header(kSequenceDelimitationTag, 0);
  b.text(tags::PatientName, VR::PN, "A ");
  expect_deviation(b, explicit_vr_little_endian(), "where an Item Delimitation Item was expected",
                   at);
  auto ds = parse(b, explicit_vr_little_endian());
  ASSERT_TRUE(ds.has_value());
  EXPECT_EQ(ds->find(tags::ReferencedImageSequence)->items().size(), 1u);
  EXPECT_TRUE(ds->contains(tags::PatientName));
}

TEST(ReaderTest, ReportsASequenceDelimiterInADefinedLengthSequence) {
  EncodingBuilder b(kExplicitLittle);
  b.begin_sequence(tags::ReferencedImageSequence, Length::Defined);
  b.begin_item(Length::Defined).end_item();
  b.item_header(kSequenceDelimitationTag, 0);
  b.end_sequence();
  expect_deviation(b, explicit_vr_little_endian(), "in a sequence of defined length", 20);
}

TEST(ReaderTest, IgnoresAStrayItemDelimiterInASequence) {
  EncodingBuilder b(kExplicitLittle);
  b.begin_sequence(tags::ReferencedImageSequence, Length::Undefined);
  b.item_header(kItemDelimitationTag, 0);
  b.begin_item(Length::Defined).end_item();
  b.end_sequence();
  expect_deviation(b, explicit_vr_little_endian(), "stray Item Delimitation Item", 12);
  auto ds = parse(b, explicit_vr_little_endian());
  EXPECT_EQ(ds->find(tags::ReferencedImageSequence)->items().size(), 1u);
}

TEST(ReaderTest, ReplacesAnItemDelimiterThatClosesASequenceWhenAsked) {
  EncodingBuilder b(kExplicitLittle);
  b.begin_sequence(tags::ReferencedImageSequence, Length::Undefined);
  b.begin_item(Length::Defined).end_item();
  b.item_header(kItemDelimitationTag, 0);  // should be the sequence delimiter
  b.text(tags::PatientName, VR::PN, "A ");
  ReadOptions options;
  options.replace_wrong_delimiters = true;
  std::vector<Diagnostic> diagnostics;
  auto ds = parse(b, explicit_vr_little_endian(), options, &diagnostics);
  ASSERT_TRUE(ds.has_value()) << ds.error().to_string();
  EXPECT_TRUE(ds->contains(tags::PatientName));
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_TRUE(contains(diagnostics[0].message, "replaced"));
}

// --- Stopping early -----------------------------------------------------------------------

EncodingBuilder image_like() {
  EncodingBuilder b(kExplicitLittle);
  b.begin_sequence(tags::ReferencedImageSequence, Length::Undefined);
  b.begin_item(Length::Undefined).element(tags::PixelData, VR::OB, byte_vector({9, 9})).end_item();
  b.end_sequence();
  b.text(tags::PatientName, VR::PN, "Doe ");
  b.us(tags::Rows, {2});
  b.element(tags::PixelData, VR::OW, byte_vector({1, 2, 3, 4}));
  return b;
}

TEST(ReaderTest, StopsBeforeATopLevelTag) {
  const EncodingBuilder b = image_like();
  ReadOptions options;
  options.stop_before = tags::PixelData;
  auto result = parse_dataset_ex(b.shared(), explicit_vr_little_endian(), options, nullptr);
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->stopped_early);
  EXPECT_FALSE(result->data.contains(tags::PixelData));
  EXPECT_TRUE(result->data.contains(tags::Rows));
  // Nested pixel data does not stop the scan.
  EXPECT_EQ(result->data.find(tags::ReferencedImageSequence)->items().size(), 1u);
  EXPECT_EQ(result->end_offset, b.size() - 16);
}

TEST(ReaderTest, StopsBeforeTheFirstTagAtOrAfterTheStopTag) {
  const EncodingBuilder b = image_like();
  ReadOptions options;
  options.stop_before = Tag(0x0020, 0x0000);
  auto result = parse_dataset_ex(b.shared(), explicit_vr_little_endian(), options, nullptr);
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->stopped_early);
  EXPECT_EQ(result->data.size(), 2u);
}

TEST(ReaderTest, StopsAfterATopLevelTag) {
  const EncodingBuilder b = image_like();
  ReadOptions options;
  options.stop_after = tags::Rows;
  auto result = parse_dataset_ex(b.shared(), explicit_vr_little_endian(), options, nullptr);
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->stopped_early);
  EXPECT_TRUE(result->data.contains(tags::Rows));
  EXPECT_FALSE(result->data.contains(tags::PixelData));
  EXPECT_EQ(result->end_offset, b.size() - 16);
}

TEST(ReaderTest, DoesNotReportStoppingWhenTheStopTagIsAbsent) {
  EncodingBuilder b(kExplicitLittle);
  b.us(tags::Rows, {2});
  ReadOptions options;
  options.stop_before = tags::PixelData;
  auto result = parse_dataset_ex(b.shared(), explicit_vr_little_endian(), options, nullptr);
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->stopped_early);
  EXPECT_EQ(result->end_offset, b.size());
}

TEST(ReaderTest, KeepsWhatWasReadBeforeAnErrorWhenIgnoringParseErrors) {
  EncodingBuilder b(kExplicitLittle);
  b.text(tags::PatientName, VR::PN, "Doe ").text(tags::PatientID, VR::LO, "ID");
  b.header(tags::PatientSex, VR::CS, 100).raw("short");
  ReadOptions options;
  options.ignore_parse_errors = true;
  auto result = parse_dataset_ex(b.shared(), explicit_vr_little_endian(), options, nullptr);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->data.size(), 2u);
  ASSERT_TRUE(result->recovered_error.has_value());
  EXPECT_EQ(result->recovered_error->code(), ErrorCode::MalformedData);
  EXPECT_TRUE(contains(result->recovered_error->to_string(), "(0010,0040)"));
  auto plain = parse(b, explicit_vr_little_endian());
  EXPECT_FALSE(plain.has_value());
}

TEST(ReaderTest, DiagnosticToStringShowsOffsetPathAndMessage) {
  const Diagnostic d{1842, "(0008,1115)[2]", "odd value length 3"};
  EXPECT_EQ(d.to_string(), "offset 1842, (0008,1115)[2]: odd value length 3");
  const Diagnostic top{7, "", "x"};
  EXPECT_EQ(top.to_string(), "offset 7: x");
}

}  // namespace
}  // namespace dcmkit::dcmdata

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/data_set.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "data_set_printer.h"
#include "dcmkit/dcmdata/charset.h"
#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/tag_path.h"
#include "encoding_builder.h"

namespace dcmkit::dcmdata {
namespace {

using ofstd::Endian;
using ofstd::ErrorCode;
using testing::byte_vector;
using namespace std::string_view_literals;

const Tag kUvTag(0x0011, 0x1005);

Element text_element(Tag tag, VR vr, std::string_view text) {
  return Element(tag, vr, SharedBytes::copy_of(text));
}

std::vector<Tag> tags_of(const DataSet& ds) {
  std::vector<Tag> out;
  for (const Element& e : ds) out.push_back(e.tag());
  return out;
}

void expect_error(const ofstd::Status& status, ErrorCode code, std::string_view context = {}) {
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code(), code) << status.error().to_string();
  if (!context.empty()) {
    EXPECT_NE(status.error().to_string().find(context), std::string::npos)
        << status.error().to_string();
  }
}

template <class T>
void expect_error(const ofstd::Result<T>& result, ErrorCode code) {
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code(), code) << result.error().to_string();
}

// --- Order, insertion, removal ------------------------------------------------------------

TEST(DataSetTest, KeepsElementsSortedWhateverTheInsertionOrder) {
  DataSet ds;
  ds.insert(text_element(tags::PatientName, VR::PN, "B "));
  ds.insert(text_element(tags::StudyDate, VR::DA, "20240101"));
  ds.insert(text_element(tags::PatientID, VR::LO, "7 "));
  EXPECT_EQ(tags_of(ds), (std::vector<Tag>{tags::StudyDate, tags::PatientName, tags::PatientID}));
  EXPECT_EQ(ds.size(), 3u);
  EXPECT_FALSE(ds.empty());
}

TEST(DataSetTest, InsertReplacesAnElementWithTheSameTag) {
  DataSet ds;
  ds.insert(text_element(tags::PatientName, VR::PN, "A "));
  Element& stored = ds.insert(text_element(tags::PatientName, VR::PN, "B "));
  EXPECT_EQ(ds.size(), 1u);
  EXPECT_EQ(stored.bytes().chars(), "B ");
  EXPECT_EQ(&stored, ds.find(tags::PatientName));
}

TEST(DataSetTest, AppendKeepsTheFirstOfDuplicatesAndSortsLateTags) {
  DataSet ds;
  EXPECT_TRUE(ds.append(text_element(tags::PatientName, VR::PN, "A ")));
  EXPECT_TRUE(ds.append(text_element(tags::PatientID, VR::LO, "1 ")));
  EXPECT_FALSE(ds.append(text_element(tags::PatientName, VR::PN, "B ")));
  EXPECT_TRUE(ds.append(text_element(tags::StudyDate, VR::DA, "20240101")));  // out of order
  EXPECT_EQ(tags_of(ds), (std::vector<Tag>{tags::StudyDate, tags::PatientName, tags::PatientID}));
  EXPECT_EQ(ds.find(tags::PatientName)->bytes().chars(), "A ");
}

TEST(DataSetTest, FindsAndErases) {
  DataSet ds;
  ds.insert(text_element(tags::PatientName, VR::PN, "A "));
  ds.insert(text_element(tags::PatientID, VR::LO, "1 "));
  EXPECT_TRUE(ds.contains(tags::PatientID));
  EXPECT_EQ(ds.find(tags::StudyDate), nullptr);
  EXPECT_TRUE(ds.erase(tags::PatientName));
  EXPECT_FALSE(ds.erase(tags::PatientName));
  EXPECT_EQ(tags_of(ds), std::vector<Tag>{tags::PatientID});
  ds.insert(text_element(Tag(0x0009, 0x0010), VR::LO, "X "));
  EXPECT_EQ(ds.erase_if([](const Element& e) { return e.tag().is_private(); }), 1u);
  ds.clear();
  EXPECT_TRUE(ds.empty());
}

TEST(DataSetTest, CopiesShareValueBytes) {
  DataSet ds;
  ASSERT_TRUE(
      ds.set_bytes(tags::PixelData, VR::OW, SharedBytes::copy_of(byte_vector({1, 2}))).has_value());
  const DataSet copy = ds;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(copy.find(tags::PixelData)->bytes().data(), ds.find(tags::PixelData)->bytes().data());
  EXPECT_EQ(copy, ds);
}

TEST(DataSetTest, EqualityIgnoresEncodingHints) {
  DataSet a;
  DataSet b;
  a.insert(Element::sequence(tags::ReferencedImageSequence, {DataSet()}));
  Element seq = Element::sequence(tags::ReferencedImageSequence, {DataSet()});
  seq.set_undefined_length(true);
  seq.items()[0].set_undefined_length(true);
  seq.items()[0].set_source_offset(99);
  b.insert(seq);
  EXPECT_EQ(a, b);
  b.find(tags::ReferencedImageSequence)->items().emplace_back();
  EXPECT_NE(a, b);
}

TEST(DataSetTest, EqualityComparesValuesAcrossByteOrders) {
  DataSet little;
  DataSet big;
  little.insert(Element(tags::Rows, VR::US, SharedBytes::copy_of(byte_vector({2, 1}))));
  big.insert(Element(tags::Rows, VR::US, SharedBytes::copy_of(byte_vector({1, 2})), Endian::Big));
  EXPECT_EQ(little, big);
  DataSet other_vr;
  other_vr.insert(Element(tags::Rows, VR::SS, SharedBytes::copy_of(byte_vector({2, 1}))));
  EXPECT_NE(little, other_vr);
}

// --- Typed getters ------------------------------------------------------------------------

TEST(DataSetTest, GettersFailWithNotFoundForAbsentTags) {
  const DataSet ds;
  expect_error(ds.get_string(tags::PatientName), ErrorCode::NotFound);
  expect_error(ds.get_strings(tags::PatientName), ErrorCode::NotFound);
  expect_error(ds.get_int(tags::Rows), ErrorCode::NotFound);
  expect_error(ds.get_uint(tags::Rows), ErrorCode::NotFound);
  expect_error(ds.get_double(tags::SliceThickness), ErrorCode::NotFound);
  expect_error(ds.get_uid(tags::SOPInstanceUID), ErrorCode::NotFound);
  expect_error(ds.get_person_name(tags::PatientName), ErrorCode::NotFound);
}

TEST(DataSetTest, GettersFailWithInvalidArgumentForTheWrongVr) {
  DataSet ds;
  ds.insert(text_element(tags::PatientName, VR::PN, "Doe^J "));
  ds.insert(Element(tags::Rows, VR::US, SharedBytes::copy_of(byte_vector({2, 0}))));
  expect_error(ds.get_int(tags::PatientName), ErrorCode::InvalidArgument);
  expect_error(ds.get_double(tags::PatientName), ErrorCode::InvalidArgument);
  expect_error(ds.get_uid(tags::PatientName), ErrorCode::InvalidArgument);
  expect_error(ds.get_string(tags::Rows), ErrorCode::InvalidArgument);
  expect_error(ds.get_person_name(tags::Rows), ErrorCode::InvalidArgument);
  expect_error(ds.find(tags::Rows)->as_tags(), ErrorCode::InvalidArgument);
  expect_error(ds.find(tags::Rows)->as_date(), ErrorCode::InvalidArgument);
  expect_error(ds.find(tags::Rows)->raw_text(), ErrorCode::InvalidArgument);
  ds.insert(Element::sequence(tags::ReferencedImageSequence, {}));
  expect_error(ds.get_int(tags::ReferencedImageSequence), ErrorCode::InvalidArgument);
}

TEST(DataSetTest, GettersFailWithMalformedDataForBadText) {
  DataSet ds;
  ds.insert(text_element(tags::InstanceNumber, VR::IS, "12a "));
  ds.insert(text_element(tags::SliceThickness, VR::DS, "thick "));
  ds.insert(text_element(tags::SOPInstanceUID, VR::UI, "1..2"));
  ds.insert(text_element(tags::StudyDate, VR::DA, "20241301"));
  ds.insert(text_element(tags::StudyTime, VR::TM, "250000"));
  ds.insert(text_element(tags::AcquisitionDateTime, VR::DT, "2024x"));
  ds.insert(text_element(tags::PatientName, VR::PN, "a=b=c=d "));
  expect_error(ds.get_int(tags::InstanceNumber), ErrorCode::MalformedData);
  expect_error(ds.get_double(tags::SliceThickness), ErrorCode::MalformedData);
  expect_error(ds.get_uid(tags::SOPInstanceUID), ErrorCode::MalformedData);
  expect_error(ds.find(tags::StudyDate)->as_date(), ErrorCode::MalformedData);
  expect_error(ds.find(tags::StudyTime)->as_time(), ErrorCode::MalformedData);
  expect_error(ds.find(tags::AcquisitionDateTime)->as_date_time(), ErrorCode::MalformedData);
  expect_error(ds.get_person_name(tags::PatientName), ErrorCode::MalformedData);
}

TEST(DataSetTest, GettersFailWithNotFoundForAMissingValueIndex) {
  DataSet ds;
  ds.insert(Element(tags::Rows, VR::US, SharedBytes::copy_of(byte_vector({2, 0}))));
  ds.insert(text_element(tags::ImageType, VR::CS, "A\\B "));
  ds.insert(Element(tags::SliceThickness, VR::FD, SharedBytes::copy_of(byte_vector({0, 0, 0, 0}))));
  expect_error(ds.get_int(tags::Rows, 1), ErrorCode::NotFound);
  expect_error(ds.get_int(tags::Rows, std::numeric_limits<std::size_t>::max()),
               ErrorCode::NotFound);
  expect_error(ds.get_double(tags::Rows, std::numeric_limits<std::size_t>::max()),
               ErrorCode::NotFound);
  // Four bytes are not a whole FD value.
  expect_error(ds.get_double(tags::SliceThickness), ErrorCode::NotFound);
  expect_error(ds.get_double(tags::SliceThickness, std::numeric_limits<std::size_t>::max() / 4),
               ErrorCode::NotFound);
  expect_error(ds.find(tags::ImageType)->raw_text(2), ErrorCode::NotFound);
}

TEST(DataSetTest, ReportsIntegersOutsideTheResultRange) {
  DataSet ds;
  ds.insert(
      Element(kUvTag, VR::UV, SharedBytes::copy_of(byte_vector({0, 0, 0, 0, 0, 0, 0, 0x80}))));
  ds.insert(
      Element(tags::PixelPaddingValue, VR::SS, SharedBytes::copy_of(byte_vector({0xFF, 0xFF}))));
  expect_error(ds.get_int(kUvTag), ErrorCode::LimitExceeded);
  EXPECT_EQ(ds.get_uint(kUvTag).value(), std::uint64_t{1} << 63);
  EXPECT_EQ(ds.get_int(tags::PixelPaddingValue).value(), -1);
  expect_error(ds.get_uint(tags::PixelPaddingValue), ErrorCode::LimitExceeded);
  EXPECT_EQ(ds.get_double(tags::PixelPaddingValue).value(), -1.0);
}

TEST(DataSetTest, ReadsTypedValues) {
  DataSet ds;
  ds.insert(text_element(tags::ImageType, VR::CS, " ORIGINAL\\PRIMARY "));
  ds.insert(text_element(tags::InstanceNumber, VR::IS, " +12 "));
  ds.insert(text_element(tags::ImagePositionPatient, VR::DS, "-1.5\\2e2\\ 3 "));
  ds.insert(text_element(tags::StudyDate, VR::DA, "20240229"));
  ds.insert(text_element(tags::StudyTime, VR::TM, "1230"));
  ds.insert(text_element(tags::PatientName, VR::PN, "Doe^John^^Dr=\\Roe "));
  ds.insert(text_element(tags::StudyDescription, VR::LO, "  padded  "));
  ds.insert(text_element(tags::ImageComments, VR::LT, "  keeps\\leading "));
  ds.insert(text_element(tags::SOPInstanceUID, VR::UI, "1.2.3\0"sv));
  EXPECT_EQ(ds.get_strings(tags::ImageType).value(),
            (std::vector<std::string>{"ORIGINAL", "PRIMARY"}));
  EXPECT_EQ(ds.get_int(tags::InstanceNumber).value(), 12);
  EXPECT_EQ(ds.find(tags::ImagePositionPatient)->as_doubles().value(),
            (std::vector<double>{-1.5, 200, 3}));
  EXPECT_EQ(ds.find(tags::ImagePositionPatient)->raw_text(1).value(), "2e2");
  EXPECT_EQ(ds.find(tags::StudyDate)->as_date().value(), (ofstd::Date{2024, 2, 29}));
  EXPECT_EQ(ds.find(tags::StudyTime)->as_time().value().minute, 30);
  const PersonName name = ds.get_person_name(tags::PatientName).value();
  EXPECT_EQ(name.alphabetic, "Doe^John^^Dr");
  EXPECT_EQ(name.ideographic, "");
  EXPECT_EQ(name.components(), (std::vector<std::string>{"Doe", "John", "", "Dr", ""}));
  EXPECT_EQ(ds.get_person_name(tags::PatientName, 1).value().alphabetic, "Roe");
  expect_error(ds.get_person_name(tags::PatientName, 2), ErrorCode::NotFound);
  EXPECT_EQ(ds.get_string(tags::StudyDescription).value(), "padded");
  EXPECT_EQ(ds.get_string(tags::ImageComments).value(), "  keeps\\leading");
  EXPECT_EQ(ds.get_strings(tags::ImageComments).value().size(), 1u);
  EXPECT_EQ(ds.get_uid(tags::SOPInstanceUID).value().str(), "1.2.3");
}

// --- value_count and little_endian_bytes --------------------------------------------------

TEST(DataSetTest, CountsValuesPerVrKind) {
  EXPECT_EQ(text_element(tags::ImageType, VR::CS, "A\\B\\C ").value_count(), 3u);
  EXPECT_EQ(text_element(tags::ImageType, VR::CS, "\\").value_count(), 2u);
  EXPECT_EQ(text_element(tags::ImageType, VR::CS, "").value_count(), 0u);
  EXPECT_EQ(text_element(tags::ImageComments, VR::LT, "a\\b").value_count(), 1u);
  EXPECT_EQ(Element(tags::Rows, VR::US, SharedBytes::copy_of(byte_vector({1, 0, 2, 0, 3, 0})))
                .value_count(),
            3u);
  EXPECT_EQ(Element(tags::FrameIncrementPointer, VR::AT,
                    SharedBytes::copy_of(byte_vector({1, 0, 2, 0, 3, 0, 4, 0})))
                .value_count(),
            2u);
  EXPECT_EQ(Element(tags::PixelData, VR::OW, SharedBytes::copy_of(byte_vector({1, 0, 2, 0})))
                .value_count(),
            1u);
  EXPECT_EQ(Element::sequence(tags::ReferencedImageSequence, {DataSet(), DataSet()}).value_count(),
            2u);
  EXPECT_EQ(Element::encapsulated(tags::PixelData, VR::OB, {}).value_count(), 1u);
  EXPECT_EQ(Element(tags::Rows, VR::US).value_count(), 0u);
}

TEST(DataSetTest, ConvertsValuesToLittleEndianBytes) {
  const Element little(tags::Rows, VR::US, SharedBytes::copy_of(byte_vector({2, 1})));
  EXPECT_EQ(little.little_endian_bytes().data(), little.bytes().data());  // no copy
  const Element big(tags::FrameIncrementPointer, VR::AT,
                    SharedBytes::copy_of(byte_vector({0x00, 0x18, 0x10, 0x63})), Endian::Big);
  const auto converted = big.little_endian_bytes();
  EXPECT_EQ(std::vector<std::byte>(converted.span().begin(), converted.span().end()),
            byte_vector({0x18, 0x00, 0x63, 0x10}));
  const Element big_fd(tags::SliceThickness, VR::FD,
                       SharedBytes::copy_of(byte_vector({1, 2, 3, 4, 5, 6, 7, 8})), Endian::Big);
  EXPECT_EQ(big_fd.little_endian_bytes().span()[0], std::byte{8});
  const Element big_ob(tags::PixelData, VR::OB, SharedBytes::copy_of(byte_vector({1, 2})),
                       Endian::Big);
  EXPECT_EQ(big_ob.little_endian_bytes().span()[0], std::byte{1});
  const Element big_text(tags::PatientName, VR::PN, SharedBytes::copy_of("AB"sv), Endian::Big);
  EXPECT_EQ(big_text.little_endian_bytes().chars(), "AB");
  const Element big_odd(tags::Rows, VR::US, SharedBytes::copy_of(byte_vector({1, 2, 3})),
                        Endian::Big);
  EXPECT_EQ(big_odd.little_endian_bytes().size(), 3u);  // the partial word stays as it is
}

TEST(DataSetTest, ItemsTurnAnElementIntoASequence) {
  Element e(tags::ReferencedImageSequence, VR::UN, SharedBytes::copy_of("ab"sv));
  EXPECT_TRUE(e.items().empty());
  e.items().emplace_back();
  EXPECT_TRUE(e.is_sequence());
  EXPECT_TRUE(e.bytes().empty());
  e.set_bytes(SharedBytes::copy_of("cd"sv));
  EXPECT_EQ(e.kind(), ValueKind::Bytes);
  EXPECT_TRUE(std::as_const(e).items().empty());
}

// --- Setters ------------------------------------------------------------------------------

TEST(DataSetTest, SetsTextPaddedToEvenLength) {
  DataSet ds;
  ASSERT_TRUE(ds.set_string(tags::PatientName, "Doe").has_value());
  ASSERT_TRUE(ds.set_string(tags::SOPInstanceUID, "1.2.3").has_value());
  ASSERT_TRUE(ds.set_string(tags::PatientID, "").has_value());
  EXPECT_EQ(ds.find(tags::PatientName)->vr(), VR::PN);
  EXPECT_EQ(ds.find(tags::PatientName)->bytes().chars(), "Doe ");
  EXPECT_EQ(ds.find(tags::SOPInstanceUID)->bytes().chars(), "1.2.3\0"sv);
  EXPECT_EQ(ds.find(tags::PatientID)->length(), 0u);
  ASSERT_TRUE(
      ds.set_strings(tags::ImageType, VR::CS, {"ORIGINAL", "PRIMARY", "AXIAL"}).has_value());
  EXPECT_EQ(ds.find(tags::ImageType)->bytes().chars(), "ORIGINAL\\PRIMARY\\AXIAL");
}

struct TextCase {
  VR vr;
  std::string_view text;
  bool valid;
};

TEST(DataSetTest, ValidatesTextPerVr) {
  const std::string uid64 = "1." + std::string(62, '1');
  const std::string uid65 = uid64 + "1";
  const std::string_view kUid64 = uid64;
  const std::string_view kUid65 = uid65;
  const TextCase cases[] = {
      {VR::CS, "ORIGINAL_1 X", true},
      {VR::CS, "original", false},
      {VR::CS, "A-B", false},
      {VR::CS, "ABCDEFGHIJKLMNOP", true},
      {VR::CS, "ABCDEFGHIJKLMNOPQ", false},
      {VR::UI, "1.2.840.10008.1.2", true},
      {VR::UI, "1.02", false},
      {VR::UI, "1..2", false},
      {VR::UI, "1.2.", false},
      {VR::UI, kUid64, true},
      {VR::UI, kUid65, false},
      {VR::DA, "20240229", true},
      {VR::DA, "20230229", false},
      {VR::DA, "2024-02-29", false},
      {VR::DA, "202402", false},
      {VR::TM, "1230", true},
      {VR::TM, "123059.123456", true},
      {VR::TM, "12:30:59", false},
      {VR::TM, "2500", false},
      {VR::DT, "20240131120000.123456+0100", true},
      {VR::DT, "2024", true},
      {VR::DT, "2024013112000X", false},
      {VR::IS, "2147483647", true},
      {VR::IS, "-2147483648", true},
      {VR::IS, "2147483648", false},
      {VR::IS, "1.5", false},
      {VR::IS, " 42 ", true},
      {VR::DS, "1.5e3", true},
      {VR::DS, "-.5", true},
      {VR::DS, "abc", false},
      {VR::DS, "0x10", false},
      {VR::DS, "1.23456789012345", true},
      {VR::DS, "1.234567890123456", false},
      {VR::AS, "035Y", true},
      {VR::AS, "35Y", false},
      {VR::AS, "035X", false},
      {VR::PN, "Doe^John^M^Dr^Jr", true},
      {VR::PN, "A^B^C^D^E^F", false},
      {VR::PN, "a=b=c", true},
      {VR::PN, "a=b=c=d", false},
      {VR::AE, "0123456789ABCDEF", true},
      {VR::AE, "0123456789ABCDEFG", false},
      {VR::SH, "0123456789ABCDEFG", false},
      {VR::LO, "a\nb", false},
      {VR::LO, "a\x1b$Bb", true},
      {VR::LT, "line\r\nline\tx\f", true},
      {VR::LT, "bell\a", false},
      {VR::ST, "del\x7f", false},
      {VR::UR, "http://a/b c", false},
      {VR::UR, "http://a/b ", true},
  };
  for (const TextCase& c : cases) {
    DataSet ds;
    const auto status = ds.set_string(Tag(0x0011, 0x1010), c.vr, c.text);
    EXPECT_EQ(status.has_value(), c.valid) << to_string(c.vr) << " \"" << c.text << "\"";
    if (!c.valid && !status.has_value()) {
      EXPECT_EQ(status.error().code(), ErrorCode::InvalidArgument);
      EXPECT_NE(status.error().to_string().find("(0011,1010)"), std::string::npos);
      EXPECT_FALSE(ds.contains(Tag(0x0011, 0x1010)));
    }
  }
}

TEST(DataSetTest, ChecksLengthsInCharactersNotBytes) {
  DataSet ds;
  ASSERT_TRUE(ds.set_string(tags::SpecificCharacterSet, "ISO_IR 192").has_value());
  // 64 two-byte characters fit LO; 65 do not.
  std::string text;
  for (int i = 0; i < 64; ++i) text += "\xC3\xA9";
  EXPECT_TRUE(ds.set_string(tags::StudyDescription, text).has_value());
  text += "\xC3\xA9";
  expect_error(ds.set_string(tags::StudyDescription, text), ErrorCode::InvalidArgument);
}

TEST(DataSetTest, EncodesTextInTheDataSetCharacterSet) {
  DataSet ds;
  ASSERT_TRUE(ds.set_string(tags::SpecificCharacterSet, "ISO_IR 100").has_value());
  ASSERT_TRUE(ds.set_string(tags::PatientName, "M\xC3\xBCller").has_value());
  EXPECT_EQ(ds.find(tags::PatientName)->bytes().chars(), "M\xFCller");
  EXPECT_EQ(ds.get_string(tags::PatientName).value(), "M\xC3\xBCller");
  expect_error(ds.set_string(tags::PatientName, "\xE5\xB1\xB1\xE7\x94\xB0"),
               ErrorCode::InvalidArgument);
  // VRs outside the Specific Character Set accept only ASCII.
  expect_error(ds.set_string(tags::StudyDate, VR::DA, "2024\xC3\xA9"), ErrorCode::InvalidArgument);
}

TEST(DataSetTest, FailsToSetTextOfUnknownTagsOrNonTextVrs) {
  DataSet ds;
  expect_error(ds.set_string(Tag(0x0009, 0x1001), "x"), ErrorCode::NotFound);
  expect_error(ds.set_string(tags::Rows, VR::US, "1"), ErrorCode::InvalidArgument);
  expect_error(ds.set_strings(tags::ImageType, VR::CS, {"A\\B"}), ErrorCode::InvalidArgument);
  expect_error(ds.set_strings(tags::ImageComments, VR::LT, {"a", "b"}), ErrorCode::InvalidArgument);
  // Private creators and group lengths have implied VRs.
  EXPECT_TRUE(ds.set_string(Tag(0x0009, 0x0010), "CREATOR").has_value());
  EXPECT_EQ(ds.find(Tag(0x0009, 0x0010))->vr(), VR::LO);
}

TEST(DataSetTest, SetsIntegersInRange) {
  DataSet ds;
  ASSERT_TRUE(ds.set_int(tags::Rows, VR::US, 65535).has_value());
  EXPECT_EQ(ds.find(tags::Rows)->bytes().size(), 2u);
  EXPECT_EQ(ds.get_int(tags::Rows).value(), 65535);
  expect_error(ds.set_int(tags::Rows, VR::US, 65536), ErrorCode::InvalidArgument, "(0028,0010)");
  expect_error(ds.set_int(tags::Rows, VR::US, -1), ErrorCode::InvalidArgument);
  ASSERT_TRUE(ds.set_int(tags::PixelPaddingValue, VR::SS, -32768).has_value());
  EXPECT_EQ(ds.get_int(tags::PixelPaddingValue).value(), -32768);
  expect_error(ds.set_int(tags::PixelPaddingValue, VR::SS, 32768), ErrorCode::InvalidArgument);
  expect_error(ds.set_int(Tag(0x0011, 0x1001), VR::UL, -1), ErrorCode::InvalidArgument);
  expect_error(ds.set_int(Tag(0x0011, 0x1001), VR::UL, 0x100000000), ErrorCode::InvalidArgument);
  expect_error(ds.set_int(Tag(0x0011, 0x1001), VR::SL, 0x80000000), ErrorCode::InvalidArgument);
  expect_error(ds.set_int(Tag(0x0011, 0x1001), VR::UV, -1), ErrorCode::InvalidArgument);
  ASSERT_TRUE(ds.set_int(Tag(0x0011, 0x1002), VR::SV, std::numeric_limits<std::int64_t>::min())
                  .has_value());
  EXPECT_EQ(ds.get_int(Tag(0x0011, 0x1002)).value(), std::numeric_limits<std::int64_t>::min());
  const std::int64_t values[] = {-5, 0, 2147483647};
  ASSERT_TRUE(ds.set_ints(tags::InstanceNumber, VR::IS, values).has_value());
  EXPECT_EQ(ds.find(tags::InstanceNumber)->bytes().chars(), "-5\\0\\2147483647 ");
  expect_error(ds.set_int(tags::InstanceNumber, VR::IS, 2147483648), ErrorCode::InvalidArgument);
  expect_error(ds.set_int(tags::SliceThickness, VR::FD, 1), ErrorCode::InvalidArgument);
}

TEST(DataSetTest, SetsFloatingValues) {
  DataSet ds;
  const double values[] = {0.5, -2};
  ASSERT_TRUE(ds.set_doubles(Tag(0x0011, 0x1001), VR::FL, values).has_value());
  EXPECT_EQ(ds.find(Tag(0x0011, 0x1001))->bytes().size(), 8u);
  EXPECT_EQ(ds.get_double(Tag(0x0011, 0x1001), 1).value(), -2.0);
  ASSERT_TRUE(ds.set_double(Tag(0x0011, 0x1002), VR::OD, 1.0 / 3).has_value());
  EXPECT_EQ(ds.get_double(Tag(0x0011, 0x1002)).value(), 1.0 / 3);
  ASSERT_TRUE(ds.set_double(Tag(0x0011, 0x1003), VR::OF, 0.25).has_value());
  expect_error(ds.set_double(Tag(0x0011, 0x1004), VR::US, 1), ErrorCode::InvalidArgument);
}

TEST(DataSetTest, FormatsDecimalStringsInSixteenCharacters) {
  const std::pair<double, std::string_view> cases[] = {
      {0.5, "0.5"},
      {-2, "-2"},
      {1e20, "1e+20"},
      {1.0 / 3, "0.33333333333333"},
      {-1.0 / 3, "-0.3333333333333"},
      {123456789.123456789, "123456789.123457"},
      {1e-300, "1e-300"},
      {-1.2345678901234567e-100, "-1.23456789e-100"},
  };
  for (const auto& [value, text] : cases) {
    DataSet ds;
    ASSERT_TRUE(ds.set_double(tags::SliceThickness, VR::DS, value).has_value()) << text;
    const std::string_view stored = ds.find(tags::SliceThickness)->raw_text().value();
    EXPECT_EQ(stored, text);
    EXPECT_LE(stored.size(), 16u);
    // The text reads back to the value as closely as 16 characters allow.
    EXPECT_NEAR(ds.get_double(tags::SliceThickness).value(), value, std::abs(value) * 1e-8);
  }
  DataSet ds;
  expect_error(ds.set_double(tags::SliceThickness, VR::DS, std::nan("")),
               ErrorCode::InvalidArgument);
  expect_error(ds.set_double(tags::SliceThickness, VR::DS, std::numeric_limits<double>::infinity()),
               ErrorCode::InvalidArgument);
}

TEST(DataSetTest, SetsUidsTagsAndBytes) {
  DataSet ds;
  ASSERT_TRUE(ds.set_uid(tags::SOPClassUID, Uid("1.2.840.10008.5.1.4.1.1.7")).has_value());
  EXPECT_EQ(ds.find(tags::SOPClassUID)->bytes().size(), 26u);
  ASSERT_TRUE(ds.set_uid(tags::SOPInstanceUID, Uid()).has_value());
  EXPECT_EQ(ds.find(tags::SOPInstanceUID)->length(), 0u);
  const Tag pointers[] = {Tag(0x0018, 0x1063), Tag(0x0054, 0x0080)};
  ASSERT_TRUE(ds.set_tags(tags::FrameIncrementPointer, pointers).has_value());
  EXPECT_EQ(ds.find(tags::FrameIncrementPointer)->as_tags().value(),
            std::vector<Tag>(std::begin(pointers), std::end(pointers)));
  ASSERT_TRUE(ds.set_bytes(tags::PixelData, VR::OB, SharedBytes::copy_of(byte_vector({1, 2, 3})))
                  .has_value());
  expect_error(ds.set_bytes(tags::Rows, VR::US, SharedBytes::copy_of(byte_vector({1, 2, 3}))),
               ErrorCode::InvalidArgument);
  expect_error(ds.set_bytes(tags::ReferencedImageSequence, VR::SQ, SharedBytes()),
               ErrorCode::InvalidArgument);
}

// --- Character sets -----------------------------------------------------------------------

TEST(DataSetTest, FollowsItsSpecificCharacterSet) {
  DataSet ds;
  EXPECT_TRUE(ds.character_set().is_default());
  EXPECT_EQ(ds.character_set_ptr(), nullptr);
  ASSERT_TRUE(ds.set_string(tags::SpecificCharacterSet, "ISO_IR 100").has_value());
  EXPECT_EQ(ds.character_set().terms(), std::vector<std::string>{"ISO_IR 100"});
  ds.erase(tags::SpecificCharacterSet);
  EXPECT_TRUE(ds.character_set().is_default());
  ds.insert(text_element(tags::SpecificCharacterSet, VR::CS, "NOT A CHARSET "));
  EXPECT_TRUE(ds.character_set().is_default());
  EXPECT_FALSE(ds.refresh_character_set().has_value());
}

TEST(DataSetTest, UsesTheInheritedCharacterSetUnlessItHasItsOwn) {
  DataSet parent;
  ASSERT_TRUE(parent.set_string(tags::SpecificCharacterSet, "ISO_IR 100").has_value());
  DataSet item;
  item.set_inherited_character_set(parent.character_set_ptr());
  EXPECT_EQ(item.character_set(), parent.character_set());
  ASSERT_TRUE(item.set_string(tags::PatientName, "\xC3\xA9").has_value());
  EXPECT_EQ(item.find(tags::PatientName)->bytes().chars(), "\xE9 ");
  ASSERT_TRUE(item.set_string(tags::SpecificCharacterSet, "ISO_IR 192").has_value());
  EXPECT_TRUE(item.character_set().is_utf8());
}

// --- Paths ----------------------------------------------------------------------------------

DataSet nested() {
  DataSet leaf;
  EXPECT_TRUE(leaf.set_string(tags::CodeValue, "121071").has_value());
  DataSet content;
  content.insert(Element::sequence(tags::ConceptNameCodeSequence, {leaf}));
  DataSet ds;
  ds.insert(Element::sequence(tags::ContentSequence, {DataSet(), DataSet(), content}));
  EXPECT_TRUE(ds.set_string(tags::PatientName, "Doe").has_value());
  return ds;
}

TEST(DataSetTest, FindsElementsByPath) {
  const DataSet ds = nested();
  for (const std::string_view text :
       {"(0040,A730)[2].(0040,A043)[0].(0008,0100)", "0040a730[2].0040,A043[0].00080100",
        "ContentSequence[2].ConceptNameCodeSequence[0].CodeValue"}) {
    auto path = TagPath::parse(text);
    ASSERT_TRUE(path.has_value()) << text << ": " << path.error().to_string();
    auto found = ds.find_path(*path);
    ASSERT_TRUE(found.has_value()) << text << ": " << found.error().to_string();
    EXPECT_EQ((*found)->tag(), tags::CodeValue);
  }
  auto sequence = ds.find_path(TagPath::parse("ContentSequence[1]").value());
  ASSERT_TRUE(sequence.has_value());
  EXPECT_EQ((*sequence)->tag(), tags::ContentSequence);
  auto top = ds.find_path(TagPath(tags::PatientName));
  ASSERT_TRUE(top.has_value());
  EXPECT_EQ((*top)->tag(), tags::PatientName);
}

TEST(DataSetTest, EditsThroughAMutablePath) {
  DataSet ds = nested();
  auto found = ds.find_path(
      TagPath::parse("ContentSequence[2].ConceptNameCodeSequence[0].CodeValue").value());
  ASSERT_TRUE(found.has_value());
  (*found)->set_bytes(SharedBytes::copy_of("999999"sv));
  const auto& leaf =
      ds.find(tags::ContentSequence)->items()[2].find(tags::ConceptNameCodeSequence)->items()[0];
  EXPECT_EQ(leaf.get_string(tags::CodeValue).value(), "999999");
}

TEST(DataSetTest, NamesTheFirstMissingStepOfAPath) {
  const DataSet ds = nested();
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"ContentSequence[3].CodeValue", "(0040,a730)[3] is not present"},
      {"ContentSequence[2].ConceptNameCodeSequence[1].CodeValue",
       "(0040,a730)[2].(0040,a043)[1] is not present"},
      {"ContentSequence[0].CodeValue", "(0040,a730)[0].(0008,0100) is not present"},
      {"StudyDate", "(0008,0020) is not present"},
      {"PatientName[0].CodeValue", "(0010,0010)[0] is not present"},
  };
  for (const auto& [text, message] : cases) {
    auto found = ds.find_path(TagPath::parse(text).value());
    ASSERT_FALSE(found.has_value()) << text;
    EXPECT_EQ(found.error().code(), ErrorCode::NotFound) << text;
    EXPECT_EQ(found.error().to_string(), message);
  }
}

TEST(DataSetTest, RejectsWildcardAndEmptyPaths) {
  const DataSet ds = nested();
  auto path = TagPath::parse("ContentSequence[*].ConceptNameCodeSequence[0].CodeValue");
  ASSERT_TRUE(path.has_value());
  EXPECT_TRUE(path->has_wildcard());
  expect_error(ds.find_path(*path), ErrorCode::InvalidArgument);
  expect_error(ds.find_path(TagPath()), ErrorCode::InvalidArgument);
  // A path built in code without an item index in the middle.
  TagPath no_index;
  no_index.push(tags::ContentSequence);
  no_index.push(tags::CodeValue);
  expect_error(ds.find_path(no_index), ErrorCode::InvalidArgument);
}

TEST(DataSetTest, RejectsMalformedPathText) {
  for (const std::string_view text :
       {"", "(0040,A730", "NoSuchKeyword", "(0040,A730)[x].(0008,0100)", "(0040,A730)[1].",
        "(0040,A730)[1]x", "(0040,A730).(0008,0100)", "(0040,A730)[1", "[1]", ".(0008,0100)",
        "(0040,A730)[99999999999].(0008,0100)", "(0040,A730)[-1].(0008,0100)"}) {
    auto path = TagPath::parse(text);
    ASSERT_FALSE(path.has_value()) << text;
    EXPECT_EQ(path.error().code(), ErrorCode::MalformedData) << text;
  }
}

TEST(DataSetTest, PrintsPathsInLowerCaseHex) {
  auto path = TagPath::parse("ContentSequence[2].ConceptNameCodeSequence[*].CodeValue");
  ASSERT_TRUE(path.has_value());
  EXPECT_EQ(path->to_string(), "(0040,a730)[2].(0040,a043)[*].(0008,0100)");
}

}  // namespace
}  // namespace dcmkit::dcmdata

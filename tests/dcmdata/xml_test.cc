// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/xml.h"

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/file.h"

namespace dcmkit::dcmdata {
namespace {

using ofstd::ErrorCode;
using namespace std::string_view_literals;

std::string to_xml(const DataSet& data, XmlFormat format) {
  DicomFile file;
  file.data = data;
  XmlWriteOptions options;
  options.format = format;
  options.binary_data = true;
  options.max_loaded_length.reset();
  std::string out;
  auto status = write_xml(out, file, options);
  EXPECT_TRUE(status.has_value()) << status.error().to_string();
  return out;
}

std::string bytes_of(const DataSet& data, Tag tag) {
  const Element* element = data.find(tag);
  if (element == nullptr) return "<missing>";
  return std::string(element->bytes().chars());
}

TEST(XmlTest, RoundTripsTextBothFormats) {
  DataSet data;
  ASSERT_TRUE(data.set_string(tags::PatientName, VR::PN, "Doe^Jane"));
  ASSERT_TRUE(data.set_string(tags::StudyDescription, VR::LO, "a < b & \"c\""));
  for (const XmlFormat format : {XmlFormat::Dcmtk, XmlFormat::Native}) {
    auto doc = read_xml(to_xml(data, format));
    ASSERT_TRUE(doc.has_value()) << doc.error().to_string();
    EXPECT_EQ(doc->format, format);
    EXPECT_EQ(bytes_of(doc->data, tags::PatientName), "Doe^Jane");
    EXPECT_EQ(bytes_of(doc->data, tags::StudyDescription), "a < b & \"c\"");
  }
}

// dcm2xml writes control characters as they are (as DCMTK's does); XML 1.0 forbids them, but
// read_xml() reads them back to the same bytes.
TEST(XmlTest, ReadsControlCharactersBackToTheSameBytes) {
  DataSet data;
  ASSERT_TRUE(data.set_bytes(tags::SourceApplicationEntityTitle, VR::AE,
                             SharedBytes::copy_of("AB\x13\x01XY"sv)));
  ASSERT_TRUE(data.set_bytes(tags::PatientName, VR::PN, SharedBytes::copy_of("Doe\x1bJane"sv)));
  const std::string xml = to_xml(data, XmlFormat::Dcmtk);
  ASSERT_NE(xml.find('\x13'), std::string::npos);
  auto doc = read_xml(xml);
  ASSERT_TRUE(doc.has_value()) << doc.error().to_string();
  EXPECT_EQ(bytes_of(doc->data, tags::SourceApplicationEntityTitle), "AB\x13\x01XY"sv);
  EXPECT_EQ(bytes_of(doc->data, tags::PatientName), "Doe\x1bJane"sv);
}

// Without control characters, private-use characters are text like any other.
TEST(XmlTest, KeepsPrivateUseCharactersWithoutControlCharacters) {
  const std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<file-format><data-set>"
      "<element tag=\"0008,0005\" vr=\"CS\">ISO_IR 192</element>"
      "<element tag=\"0010,0010\" vr=\"PN\">A\xEF\x9C\x93</element>"
      "</data-set></file-format>\n";
  auto doc = read_xml(xml);
  ASSERT_TRUE(doc.has_value()) << doc.error().to_string();
  EXPECT_EQ(bytes_of(doc->data, tags::PatientName), "A\xEF\x9C\x93"sv);
}

TEST(XmlTest, MalformedDocumentsNameTheLine) {
  const auto error_of = [](std::string_view xml) {
    auto doc = read_xml(xml);
    EXPECT_FALSE(doc.has_value());
    return doc ? std::string() : doc.error().to_string();
  };
  EXPECT_NE(error_of("<?xml version=\"1.0\"?>\n<file-format>\n<data-set>\n"
                     "<element tag=\"0010,0010\" vr=\"PN\">A</elem>\n")
                .find("line 5, column"),
            std::string::npos);
  EXPECT_NE(error_of("<?xml version=\"1.0\"?>\n<file-format>\n<data-set>\n\n"
                     "<element tag=\"0028,0010\" vr=\"US\">abc</element>\n"
                     "</data-set>\n</file-format>\n")
                .find("line 5"),
            std::string::npos);
  EXPECT_FALSE(read_xml("").has_value());
  EXPECT_FALSE(read_xml(std::string_view("\0\0\0", 3)).has_value());
}

TEST(XmlTest, BoundsNesting) {
  std::string xml = "<?xml version=\"1.0\"?><file-format><data-set>";
  for (int i = 0; i < 100; ++i) xml += "<sequence tag=\"0040,a730\" vr=\"SQ\"><item>";
  for (int i = 0; i < 100; ++i) xml += "</item></sequence>";
  xml += "</data-set></file-format>";
  auto doc = read_xml(xml);
  ASSERT_FALSE(doc.has_value());
  EXPECT_EQ(doc.error().code(), ErrorCode::LimitExceeded);
}

// Encapsulated Pixel Data in the Native model: its item stream as InlineBinary, with the
// transfer syntax named by a TransferSyntaxUID attribute; read back into the same fragments.
TEST(XmlTest, NativeModelCarriesEncapsulatedPixelData) {
  DicomFile file;
  file.transfer_syntax = TransferSyntax::lookup_or_unknown("1.2.840.10008.1.2.5");
  file.data.insert(
      Element::encapsulated(tags::PixelData, VR::OB,
                            {SharedBytes::copy_of(""sv), SharedBytes::copy_of("\x01\x02\x03\x04"sv),
                             SharedBytes::copy_of("\x05\x06"sv)}));
  XmlWriteOptions options;
  options.format = XmlFormat::Native;
  options.binary_encoding = XmlBinaryEncoding::Base64;
  std::string xml;
  ASSERT_TRUE(write_xml(xml, file, options).has_value());
  EXPECT_NE(xml.find("<DicomAttribute tag=\"00020010\" vr=\"UI\" keyword=\"TransferSyntaxUID\">\n"
                     "<Value number=\"1\">1.2.840.10008.1.2.5</Value>"),
            std::string::npos);
  auto doc = read_xml(xml);
  ASSERT_TRUE(doc.has_value()) << doc.error().to_string();
  EXPECT_EQ(bytes_of(doc->meta, Tag(0x0002, 0x0010)), "1.2.840.10008.1.2.5");
  EXPECT_FALSE(doc->data.contains(Tag(0x0002, 0x0010)));
  const Element* pixels = doc->data.find(tags::PixelData);
  ASSERT_NE(pixels, nullptr);
  ASSERT_TRUE(pixels->is_encapsulated());
  ASSERT_EQ(pixels->fragments().size(), 3u);
  EXPECT_EQ(pixels->fragments()[1].chars(), "\x01\x02\x03\x04"sv);
  EXPECT_EQ(pixels->fragments()[2].chars(), "\x05\x06"sv);

  // As dcm2xml's default: one BulkData reference (a UUID), and no transfer syntax attribute.
  options.binary_encoding.reset();
  xml.clear();
  ASSERT_TRUE(write_xml(xml, file, options).has_value());
  EXPECT_EQ(xml.find("00020010"), std::string::npos);
  EXPECT_NE(xml.find("<BulkData uuid=\""), std::string::npos);
}

// BulkData references: the writer hands each value to bulk_data_writer and writes the URI it
// returns; the reader resolves it with bulk_data_loader.
TEST(XmlTest, NativeModelBulkDataRoundTrips) {
  DicomFile file;
  ASSERT_TRUE(file.data.set_string(tags::PatientName, VR::PN, "Doe^Jane"));
  ASSERT_TRUE(file.data.set_bytes(Tag(0x0009, 0x0010), VR::LO, SharedBytes::copy_of("ACME"sv)));
  ASSERT_TRUE(file.data.set_bytes(Tag(0x0009, 0x1002), VR::OB, SharedBytes::copy_of("xyz"sv)));
  ASSERT_TRUE(file.data.set_bytes(tags::PixelData, VR::OB, SharedBytes::copy_of("ABCD"sv)));
  std::vector<std::string> store;
  XmlWriteOptions options;
  options.format = XmlFormat::Native;
  options.bulk_data_writer = [&store](std::span<const std::byte> bytes) {
    store.emplace_back(reinterpret_cast<const char*>(bytes.data()), bytes.size());  // NOLINT
    return ofstd::Result<std::string>("bulk" + std::to_string(store.size()));
  };
  std::string xml;
  ASSERT_TRUE(write_xml(xml, file, options).has_value());
  ASSERT_EQ(store.size(), 2u);
  EXPECT_EQ(store[0], std::string("xyz\0", 4));  // padded to even length as encoded
  EXPECT_NE(xml.find("<DicomAttribute tag=\"00090002\" vr=\"OB\" privateCreator=\"ACME\">\n"
                     "<BulkData uri=\"bulk1\"/>"),
            std::string::npos);
  XmlReadOptions read;
  read.bulk_data_loader = [&store](std::string_view uri) -> ofstd::Result<SharedBytes> {
    if (uri == "bulk1") return SharedBytes::copy_of(store[0]);
    if (uri == "bulk2") return SharedBytes::copy_of(store[1]);
    return ofstd::Error(ErrorCode::NotFound, "no such bulk data");
  };
  auto doc = read_xml(xml, read);
  ASSERT_TRUE(doc.has_value()) << doc.error().to_string();
  EXPECT_EQ(bytes_of(doc->data, Tag(0x0009, 0x1002)), std::string("xyz\0", 4));
  EXPECT_EQ(bytes_of(doc->data, tags::PixelData), "ABCD");
  EXPECT_EQ(bytes_of(doc->data, tags::PatientName), "Doe^Jane");

  // A reference the loader cannot resolve is an error naming the line.
  read.bulk_data_loader = [](std::string_view) -> ofstd::Result<SharedBytes> {
    return ofstd::Error(ErrorCode::NotFound, "no such bulk data");
  };
  auto failed = read_xml(xml, read);
  ASSERT_FALSE(failed.has_value());
  EXPECT_NE(failed.error().message().find("line "), std::string::npos);
}

// Person names as dcm2xml writes them: nothing for a value of only delimiters, Alphabetic always,
// empty groups that the value has; "A=" reads back with its '='.
TEST(XmlTest, NativeModelPersonNameGroups) {
  DataSet data;
  ASSERT_TRUE(data.set_string(tags::PatientName, VR::PN, "^^^^"));
  ASSERT_TRUE(data.set_string(tags::ReferringPhysicianName, VR::PN, "Doe^Jane="));
  const std::string xml = to_xml(data, XmlFormat::Native);
  EXPECT_NE(xml.find("keyword=\"PatientName\">\n</DicomAttribute>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<PersonName number=\"1\">\n<Alphabetic>\n<FamilyName>Doe</FamilyName>\n"
                     "<GivenName>Jane</GivenName>\n</Alphabetic>\n<Ideographic>\n</Ideographic>\n"
                     "</PersonName>"),
            std::string::npos)
      << xml;
  auto doc = read_xml(xml);
  ASSERT_TRUE(doc.has_value()) << doc.error().to_string();
  EXPECT_EQ(bytes_of(doc->data, tags::ReferringPhysicianName), "Doe^Jane=");
}

// A private element whose block no creator reserves keeps its whole tag (dcm2xml would write
// gggg00ee and lose the block).
TEST(XmlTest, NativeModelKeepsPrivateTagsWithoutCreator) {
  DataSet data;
  ASSERT_TRUE(data.set_bytes(Tag(0x0009, 0x1001), VR::LO, SharedBytes::copy_of("abc "sv)));
  const std::string xml = to_xml(data, XmlFormat::Native);
  EXPECT_NE(xml.find("tag=\"00091001\" vr=\"LO\">"), std::string::npos) << xml;
  auto doc = read_xml(xml);
  ASSERT_TRUE(doc.has_value()) << doc.error().to_string();
  EXPECT_TRUE(doc->data.contains(Tag(0x0009, 0x1001)));
}

}  // namespace
}  // namespace dcmkit::dcmdata

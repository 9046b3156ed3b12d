// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/xml.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

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

}  // namespace
}  // namespace dcmkit::dcmdata

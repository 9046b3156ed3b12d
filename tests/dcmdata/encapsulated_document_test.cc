// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/encapsulated_document.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dict/uids.h"

namespace dcmkit::dcmdata {
namespace {

std::vector<std::byte> bytes_of(std::string_view text) {
  std::vector<std::byte> out(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) out[i] = static_cast<std::byte>(text[i]);
  return out;
}

std::string text(const DataSet& ds, Tag tag) {
  auto value = ds.get_string(tag);
  return value ? *value : std::string();
}

TEST(EncapsulatedDocumentTest, PdfComesBackByteForByte) {
  const std::vector<std::byte> pdf = bytes_of("%PDF-1.4\nodd length\n%%EOF");
  ASSERT_EQ(pdf.size() % 2, 1u);
  EncapsulationOptions options;
  options.title = "Report";
  options.patient_name = "Doe^Jane";
  options.concept_name = CodedEntry{"DCM", "121181", "DICOM Object Catalog"};
  auto made = encapsulate_document(pdf, options);
  ASSERT_TRUE(made.has_value());
  const DataSet& ds = made->data;
  EXPECT_EQ(text(ds, tags::SOPClassUID), uids::EncapsulatedPDFStorage.str());
  EXPECT_EQ(text(ds, tags::MIMETypeOfEncapsulatedDocument), "application/pdf");
  EXPECT_EQ(text(ds, tags::DocumentTitle), "Report");
  EXPECT_EQ(text(ds, tags::PatientName), "Doe^Jane");
  EXPECT_EQ(text(ds, tags::InstanceNumber), "1");
  EXPECT_EQ(*ds.get_uint(tags::EncapsulatedDocumentLength), pdf.size());
  auto back = encapsulated_document(ds);
  ASSERT_TRUE(back.has_value());
  EXPECT_TRUE(std::equal(pdf.begin(), pdf.end(), back->span().begin(), back->span().end()));
}

TEST(EncapsulatedDocumentTest, RejectsDocumentsOfTheWrongKind) {
  EncapsulationOptions options;
  EXPECT_EQ(encapsulate_document(bytes_of("hello"), options).error().code(),
            ofstd::ErrorCode::InvalidArgument);
  options.type = DocumentType::Stl;
  EXPECT_FALSE(encapsulate_document(bytes_of("solid x\nendsolid x\n"), options).has_value());
  std::vector<std::byte> stl(84 + 50);
  stl[80] = std::byte{2};  // claims two triangles, holds one
  EXPECT_FALSE(encapsulate_document(stl, options).has_value());
  stl[80] = std::byte{1};
  EXPECT_TRUE(encapsulate_document(stl, options).has_value());
  options.type = DocumentType::Cda;
  EXPECT_EQ(encapsulate_document(bytes_of("<not xml"), options).error().code(),
            ofstd::ErrorCode::MalformedData);
  EXPECT_EQ(encapsulate_document(bytes_of("<html/>"), options).error().code(),
            ofstd::ErrorCode::InvalidArgument);
}

TEST(EncapsulatedDocumentTest, CdaHeaderFillsPatientAndDocumentData) {
  const std::string cda =
      "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><id root=\"1.2.3\" extension=\"x1\"/>"
      "<title>Note</title><recordTarget><patientRole><id extension=\"42\"/><patient>"
      "<name><given>Henry</given><family>Levin</family></name>"
      "<administrativeGenderCode code=\"M\"/><birthTime value=\"19320924\"/></patient>"
      "</patientRole></recordTarget></ClinicalDocument>";
  EncapsulationOptions options;
  options.type = DocumentType::Cda;
  auto made = encapsulate_document(bytes_of(cda), options);
  ASSERT_TRUE(made.has_value());
  EXPECT_EQ(text(made->data, tags::PatientName), "Levin^Henry^^^");
  EXPECT_EQ(text(made->data, tags::PatientID), "42");
  EXPECT_EQ(text(made->data, tags::PatientSex), "M");
  EXPECT_EQ(text(made->data, tags::HL7InstanceIdentifier), "1.2.3^x1");
  EXPECT_EQ(text(made->data, tags::DocumentTitle), "Note");
  // Given data must agree with the document unless it overrides it.
  options.patient_id = "7";
  EXPECT_FALSE(encapsulate_document(bytes_of(cda), options).has_value());
  options.override_document_data = true;
  auto overridden = encapsulate_document(bytes_of(cda), options);
  ASSERT_TRUE(overridden.has_value());
  EXPECT_EQ(text(overridden->data, tags::PatientID), "7");
}

TEST(EncapsulatedDocumentTest, SeriesDataAndInstanceNumberFromSource) {
  DataSet source;
  ASSERT_TRUE(source.set_string(tags::StudyInstanceUID, "1.2.3"));
  ASSERT_TRUE(source.set_string(tags::SeriesInstanceUID, "1.2.3.4"));
  ASSERT_TRUE(source.set_string(tags::PatientID, "P"));
  ASSERT_TRUE(source.set_int(tags::InstanceNumber, VR::IS, 6));
  EncapsulationOptions options;
  options.source = &source;
  options.same_series = true;
  options.increment_instance = true;
  auto made = encapsulate_document(bytes_of("%PDF-1.0\n"), options);
  ASSERT_TRUE(made.has_value());
  EXPECT_EQ(text(made->data, tags::StudyInstanceUID), "1.2.3");
  EXPECT_EQ(text(made->data, tags::SeriesInstanceUID), "1.2.3.4");
  EXPECT_EQ(text(made->data, tags::PatientID), "P");
  EXPECT_EQ(text(made->data, tags::InstanceNumber), "7");
}

TEST(EncapsulatedDocumentTest, ExtractionChecksTheLength) {
  DataSet ds;
  EXPECT_EQ(encapsulated_document(ds).error().code(), ofstd::ErrorCode::NotFound);
  ASSERT_TRUE(ds.set_bytes(tags::EncapsulatedDocument, VR::OB,
                           SharedBytes::copy_of(std::string_view("ab"))));
  ASSERT_TRUE(ds.set_int(tags::EncapsulatedDocumentLength, VR::UL, 3));
  EXPECT_EQ(encapsulated_document(ds).error().code(), ofstd::ErrorCode::MalformedData);
}

}  // namespace
}  // namespace dcmkit::dcmdata

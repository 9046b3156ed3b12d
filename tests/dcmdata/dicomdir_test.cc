// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/dicomdir.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dict/uids.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/writer.h"

namespace dcmkit::dcmdata {
namespace {

// A CT image's identifying attributes, as a file read from disk would carry them.
DicomFile make_image(const std::string& patient_id, const std::string& study_uid,
                     const std::string& series_uid, const std::string& instance_uid,
                     int instance_number) {
  DicomFile file;
  DataSet& ds = file.data;
  EXPECT_TRUE(ds.set_string(tags::SOPClassUID, uids::CTImageStorage.str()));
  EXPECT_TRUE(ds.set_string(tags::SOPInstanceUID, instance_uid));
  EXPECT_TRUE(ds.set_string(tags::StudyDate, "20240102"));
  EXPECT_TRUE(ds.set_string(tags::StudyTime, "101010"));
  EXPECT_TRUE(ds.set_string(tags::AccessionNumber, ""));
  EXPECT_TRUE(ds.set_string(tags::Modality, "CT"));
  EXPECT_TRUE(ds.set_string(tags::PatientName, "Doe^Jane"));
  EXPECT_TRUE(ds.set_string(tags::PatientID, patient_id));
  EXPECT_TRUE(ds.set_string(tags::StudyInstanceUID, study_uid));
  EXPECT_TRUE(ds.set_string(tags::SeriesInstanceUID, series_uid));
  EXPECT_TRUE(ds.set_string(tags::StudyID, "S1"));
  EXPECT_TRUE(ds.set_string(tags::SeriesNumber, "1"));
  EXPECT_TRUE(ds.set_int(tags::InstanceNumber, VR::IS, instance_number));
  EXPECT_TRUE(ds.set_string(tags::PhotometricInterpretation, "MONOCHROME2"));
  EXPECT_TRUE(ds.set_int(tags::Rows, VR::US, 2));
  EXPECT_TRUE(ds.set_int(tags::Columns, VR::US, 2));
  auto meta = make_file_meta(ds, uids::ExplicitVRLittleEndian.str());
  EXPECT_TRUE(meta.has_value());
  file.meta = *meta;
  file.has_meta = true;
  return file;
}

std::string text(const DataSet& ds, Tag tag) {
  auto value = ds.get_string(tag);
  return value ? *value : std::string();
}

// Writes the DICOMDIR to bytes and reads it back, so that offsets are real byte positions.
DicomFile round_trip(const DicomDirFile& dicomdir) {
  std::vector<std::byte> bytes;
  VectorSink sink(bytes);
  EXPECT_TRUE(write_part10(sink, dicomdir.meta, dicomdir.data, explicit_vr_little_endian()));
  auto read = read_bytes(SharedBytes::from_vector(std::move(bytes)));
  EXPECT_TRUE(read.has_value());
  return std::move(*read);
}

TEST(DicomDirTest, FileIdFromPathJoinsComponentsWithBackslash) {
  EXPECT_EQ(*file_id_from_path("IMG/CT1", false), "IMG\\CT1");
  EXPECT_EQ(*file_id_from_path("./A/B_2/C", false), "A\\B_2\\C");
  EXPECT_EQ(*file_id_from_path("img/ct1.", true), "IMG\\CT1");
}

TEST(DicomDirTest, FileIdFromPathRejectsWhatPart12Forbids) {
  EXPECT_EQ(file_id_from_path("img/ct1", false).error().code(), ofstd::ErrorCode::InvalidArgument);
  EXPECT_FALSE(file_id_from_path("TOOLONGNAME", false).has_value());
  EXPECT_FALSE(file_id_from_path("A/B/C/D/E/F/G/H/I", false).has_value());
  EXPECT_FALSE(file_id_from_path("../X", false).has_value());
  EXPECT_FALSE(file_id_from_path("", false).has_value());
}

TEST(DicomDirTest, RecordTypesFollowTheSopClass) {
  EXPECT_EQ(record_type_for_sop_class(uids::CTImageStorage.str()), "IMAGE");
  EXPECT_EQ(record_type_for_sop_class(uids::ComprehensiveSRStorage.str()), "SR DOCUMENT");
  EXPECT_EQ(record_type_for_sop_class(uids::EncapsulatedPDFStorage.str()), "ENCAP DOC");
  EXPECT_EQ(record_type_for_sop_class(uids::RTPlanStorage.str()), "RT PLAN");
  EXPECT_EQ(record_type_for_sop_class(uids::KeyObjectSelectionDocumentStorage.str()),
            "KEY OBJECT DOC");
  EXPECT_EQ(record_type_for_sop_class("1.2.840.10008.1.1"), "");
}

TEST(DicomDirTest, BuildsLinkedHierarchyWithResolvedOffsets) {
  DicomDirOptions options;
  options.file_set_id = "TEST_SET";
  DicomDirBuilder builder(options);
  EXPECT_TRUE(
      builder.add(make_image("P1", "1.2.3", "1.2.3.4", "1.2.3.4.2", 2), "IMG\\B", "b").added);
  EXPECT_TRUE(
      builder.add(make_image("P1", "1.2.3", "1.2.3.4", "1.2.3.4.1", 1), "IMG\\A", "a").added);
  EXPECT_TRUE(
      builder.add(make_image("P2", "1.2.5", "1.2.5.4", "1.2.5.4.1", 1), "IMG\\C", "c").added);
  EXPECT_EQ(builder.record_count(), 9u);
  auto built = builder.build();
  ASSERT_TRUE(built.has_value());
  const DicomFile file = round_trip(*built);
  EXPECT_EQ(text(file.meta, tags::MediaStorageSOPClassUID),
            uids::MediaStorageDirectoryStorage.str());
  EXPECT_EQ(text(file.data, tags::FileSetID), "TEST_SET");

  const std::vector<DataSet>& items = file.data.find(tags::DirectoryRecordSequence)->items();
  ASSERT_EQ(items.size(), 9u);
  const auto at = [&items](std::uint64_t offset) -> const DataSet* {
    for (const DataSet& item : items) {
      if (item.source_offset() == offset) return &item;
    }
    return nullptr;
  };
  // Root: two patients, linked by the next-record offset.
  const DataSet* first =
      at(*file.data.get_uint(tags::OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity));
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(text(*first, tags::PatientID), "P1");
  const DataSet* second = at(*first->get_uint(tags::OffsetOfTheNextDirectoryRecord));
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(text(*second, tags::PatientID), "P2");
  EXPECT_EQ(*second->get_uint(tags::OffsetOfTheNextDirectoryRecord), 0u);
  EXPECT_EQ(*file.data.get_uint(tags::OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity),
            second->source_offset());
  // Down to the images, ordered by Instance Number.
  const DataSet* study = at(*first->get_uint(tags::OffsetOfReferencedLowerLevelDirectoryEntity));
  ASSERT_NE(study, nullptr);
  EXPECT_EQ(text(*study, tags::DirectoryRecordType), "STUDY");
  const DataSet* series = at(*study->get_uint(tags::OffsetOfReferencedLowerLevelDirectoryEntity));
  ASSERT_NE(series, nullptr);
  const DataSet* image = at(*series->get_uint(tags::OffsetOfReferencedLowerLevelDirectoryEntity));
  ASSERT_NE(image, nullptr);
  EXPECT_EQ(text(*image, tags::DirectoryRecordType), "IMAGE");
  EXPECT_EQ(text(*image, tags::ReferencedFileID), "IMG\\A");
  EXPECT_EQ(text(*image, tags::ReferencedSOPInstanceUIDInFile), "1.2.3.4.1");
  const DataSet* next_image = at(*image->get_uint(tags::OffsetOfTheNextDirectoryRecord));
  ASSERT_NE(next_image, nullptr);
  EXPECT_EQ(text(*next_image, tags::ReferencedFileID), "IMG\\B");
}

TEST(DicomDirTest, RefusesFilesWithoutRequiredAttributesUnlessInventing) {
  DicomFile file = make_image("", "1.2.3", "1.2.3.4", "1.2.3.4.1", 1);
  file.data.erase(tags::StudyID);
  DicomDirBuilder strict(DicomDirOptions{});
  const DicomDirAddResult refused = strict.add(file, "A", "a");
  EXPECT_FALSE(refused.added);
  ASSERT_FALSE(refused.messages.empty());
  EXPECT_EQ(refused.messages[0].text,
            "required attribute PatientID (0010,0020) missing in file: a");

  DicomDirOptions options;
  options.invent_attributes = true;
  DicomDirBuilder inventing(options);
  const DicomDirAddResult added = inventing.add(file, "A", "a");
  EXPECT_TRUE(added.added);
  auto built = inventing.build();
  ASSERT_TRUE(built.has_value());
  const auto& items = built->data.find(tags::DirectoryRecordSequence)->items();
  EXPECT_EQ(text(items[0], tags::PatientID), "DCMTKPAT000000");
  EXPECT_EQ(text(items[1], tags::StudyID), "DCMTKSTUDY000000");
}

TEST(DicomDirTest, RefusesTransferSyntaxesTheProfileForbids) {
  DicomFile file = make_image("P", "1.2.3", "1.2.3.4", "1.2.3.4.1", 1);
  auto meta = make_file_meta(file.data, uids::ImplicitVRLittleEndian.str());
  file.meta = *meta;
  DicomDirBuilder builder(DicomDirOptions{});
  const DicomDirAddResult result = builder.add(file, "A", "a");
  EXPECT_FALSE(result.added);
  EXPECT_EQ(result.messages.at(0).text,
            "LittleEndianExplicit expected but LittleEndianImplicit found: a");
}

// The CT/MR profile wants MR images with 8 to 16 bits stored; -Nec (check_encoding off) makes
// that a warning and adds the file.
TEST(DicomDirTest, CtMrProfileChecksTheBitsStoredOfMrImages) {
  // DCMTK 3.6.7 wants 8, 12 or 16 bits stored and High Bit one below (-Nec: only a warning).
  DicomFile file = make_image("P", "1.2.3", "1.2.3.4", "1.2.3.4.1", 1);
  ASSERT_TRUE(file.data.set_string(tags::SOPClassUID, uids::MRImageStorage.str()));
  ASSERT_TRUE(file.data.set_string(tags::Modality, "MR"));
  ASSERT_TRUE(file.data.set_int(tags::BitsStored, VR::US, 7));
  ASSERT_TRUE(file.data.set_int(tags::HighBit, VR::US, 6));
  auto meta = make_file_meta(file.data, uids::ExplicitVRLittleEndian.str());
  ASSERT_TRUE(meta.has_value());
  file.meta = *meta;
  DicomDirOptions options;
  options.profile = MediaProfile::CtAndMr;
  options.invent_attributes = true;
  DicomDirBuilder strict(options);
  DicomDirAddResult result = strict.add(file, "A", "a");
  EXPECT_FALSE(result.added);
  ASSERT_FALSE(result.messages.empty());
  EXPECT_EQ(result.messages.at(0).level, DicomDirMessage::Level::Error);
  EXPECT_EQ(result.messages.at(0).text,
            "attribute BitsStored (0028,0101) has other value than expected in file: a");
  options.check_encoding = false;
  DicomDirBuilder lenient(options);
  result = lenient.add(file, "A", "a");
  EXPECT_EQ(result.messages.at(0).level, DicomDirMessage::Level::Warning);
  ASSERT_TRUE(file.data.set_int(tags::BitsStored, VR::US, 12));
  ASSERT_TRUE(file.data.set_int(tags::HighBit, VR::US, 11));
  DicomDirOptions ct_mr;
  ct_mr.profile = MediaProfile::CtAndMr;
  DicomDirBuilder fine(ct_mr);
  result = fine.add(file, "A", "a");
  for (const DicomDirMessage& message : result.messages) {
    EXPECT_EQ(message.text.find("other value"), std::string::npos) << message.text;
  }
}

// The IMAGE record (the last record of a one-file DICOMDIR, depth first).
const DataSet& image_record(const DicomDirFile& dicomdir) {
  return dicomdir.data.find(tags::DirectoryRecordSequence)->items().back();
}

TEST(DicomDirTest, AddsIconsFromTheIconMakerOrBlackOnes) {
  DicomDirOptions options;
  options.add_icons = true;
  options.icon_size = 3;
  std::uint32_t asked = 0;
  options.icon_maker = [&asked](const DicomFile&, std::string_view source, std::uint32_t size,
                                std::vector<DicomDirMessage>& messages) {
    asked = size;
    messages.push_back({DicomDirMessage::Level::Warning, "icon for " + std::string(source)});
    return std::vector<std::uint8_t>(std::size_t{size} * size, 7);
  };
  DicomDirBuilder builder(options);
  const DicomDirAddResult added =
      builder.add(make_image("P1", "1.2.3", "1.2.3.4", "1.2.3.4.1", 1), "IMG\\A", "a");
  ASSERT_TRUE(added.added);
  ASSERT_EQ(added.messages.size(), 1u);
  EXPECT_EQ(added.messages[0].text, "icon for a");
  EXPECT_EQ(asked, 3u);
  auto built = builder.build();
  ASSERT_TRUE(built.has_value());
  const Element* icons = image_record(*built).find(tags::IconImageSequence);
  ASSERT_NE(icons, nullptr);
  ASSERT_EQ(icons->items().size(), 1u);
  const DataSet& icon = icons->items().front();
  EXPECT_EQ(text(icon, tags::PhotometricInterpretation), "MONOCHROME2");
  EXPECT_EQ(*icon.get_uint(tags::Rows), 3u);
  EXPECT_EQ(*icon.get_uint(tags::Columns), 3u);
  EXPECT_EQ(*icon.get_uint(tags::BitsAllocated), 8u);
  EXPECT_EQ(*icon.get_uint(tags::BitsStored), 8u);
  EXPECT_EQ(*icon.get_uint(tags::HighBit), 7u);
  const Element* pixels = icon.find(tags::PixelData);
  ASSERT_NE(pixels, nullptr);
  EXPECT_EQ(pixels->vr(), VR::OB);
  ASSERT_EQ(pixels->bytes().size(), 9u);
  EXPECT_EQ(pixels->bytes().data()[8], std::byte{7});

  // The CT/MR profile makes 64 x 64 icons without +X; no maker means black.
  DicomDirOptions ct;
  ct.profile = MediaProfile::CtAndMr;
  DicomDirBuilder ct_builder(ct);
  ASSERT_TRUE(
      ct_builder.add(make_image("P1", "1.2.3", "1.2.3.4", "1.2.3.4.1", 1), "IMG\\A", "a").added);
  built = ct_builder.build();
  ASSERT_TRUE(built.has_value());
  const DataSet& ct_icon = image_record(*built).find(tags::IconImageSequence)->items().front();
  EXPECT_EQ(*ct_icon.get_uint(tags::Rows), 64u);
  const Element* black = ct_icon.find(tags::PixelData);
  ASSERT_EQ(black->bytes().size(), 4096u);
  EXPECT_EQ(black->bytes().data()[100], std::byte{0});

  // Without +X the general purpose profile has none.
  DicomDirBuilder plain(DicomDirOptions{});
  ASSERT_TRUE(plain.add(make_image("P1", "1.2.3", "1.2.3.4", "1.2.3.4.1", 1), "IMG\\A", "a").added);
  built = plain.build();
  ASSERT_TRUE(built.has_value());
  EXPECT_EQ(image_record(*built).find(tags::IconImageSequence), nullptr);
}

TEST(DicomDirTest, PutsHangingProtocolsAtTheRoot) {
  DicomFile protocol;
  DataSet& ds = protocol.data;
  ASSERT_TRUE(ds.set_string(tags::SOPClassUID, uids::HangingProtocolStorage.str()));
  ASSERT_TRUE(ds.set_string(tags::SOPInstanceUID, "1.2.9"));
  ASSERT_TRUE(ds.set_string(tags::HangingProtocolName, "HP1"));
  ASSERT_TRUE(ds.set_string(tags::HangingProtocolDescription, "chest"));
  ASSERT_TRUE(ds.set_string(tags::HangingProtocolLevel, "SITE"));
  ASSERT_TRUE(ds.set_string(tags::HangingProtocolCreator, "me"));
  ASSERT_TRUE(ds.set_string(tags::HangingProtocolCreationDateTime, "20240101120000"));
  ASSERT_TRUE(ds.set_int(tags::NumberOfPriorsReferenced, VR::US, 0));
  auto meta = make_file_meta(ds, uids::ExplicitVRLittleEndian.str());
  ASSERT_TRUE(meta.has_value());
  protocol.meta = *meta;
  protocol.has_meta = true;
  DicomDirBuilder builder(DicomDirOptions{});
  // The definition sequence is required.
  DicomDirAddResult result = builder.add(protocol, "HP", "hp");
  EXPECT_FALSE(result.added);
  ASSERT_EQ(result.messages.size(), 1u);
  EXPECT_EQ(result.messages[0].text,
            "required attribute HangingProtocolDefinitionSequence (0072,000c) missing in file: hp");
  std::vector<DataSet> definition(1);
  ds.insert(Element::sequence(tags::HangingProtocolDefinitionSequence, std::move(definition)));
  EXPECT_TRUE(builder.add(protocol, "HP", "hp").added);
  EXPECT_TRUE(
      builder.add(make_image("P1", "1.2.3", "1.2.3.4", "1.2.3.4.1", 1), "IMG\\A", "a").added);
  EXPECT_EQ(builder.record_count(), 5u);  // HANGING PROTOCOL + PATIENT > STUDY > SERIES > IMAGE
  auto built = builder.build();
  ASSERT_TRUE(built.has_value());
  const DicomFile file = round_trip(*built);
  const std::vector<DataSet>& items = file.data.find(tags::DirectoryRecordSequence)->items();
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(text(items[0], tags::DirectoryRecordType), "HANGING PROTOCOL");
  EXPECT_EQ(text(items[0], tags::HangingProtocolName), "HP1");
  EXPECT_EQ(*items[0].get_uint(tags::OffsetOfReferencedLowerLevelDirectoryEntity), 0u);
  EXPECT_EQ(text(items[1], tags::DirectoryRecordType), "PATIENT");
}

// An implant template object of `sop_class` with the attributes of `values` (tag, value).
DicomFile make_template(std::string_view sop_class, const std::string& instance_uid,
                        const std::vector<std::pair<Tag, std::string>>& values) {
  DicomFile file;
  DataSet& ds = file.data;
  EXPECT_TRUE(ds.set_string(tags::SOPClassUID, sop_class));
  EXPECT_TRUE(ds.set_string(tags::SOPInstanceUID, instance_uid));
  for (const auto& [tag, value] : values) EXPECT_TRUE(ds.set_string(tag, value));
  auto meta = make_file_meta(ds, uids::ExplicitVRLittleEndian.str());
  EXPECT_TRUE(meta.has_value());
  file.meta = *meta;
  file.has_meta = true;
  return file;
}

TEST(DicomDirTest, ImplantTemplatesGetImplantRecordsAtTheRoot) {
  EXPECT_EQ(record_type_for_sop_class(uids::GenericImplantTemplateStorage.str()), "IMPLANT");
  EXPECT_EQ(record_type_for_sop_class(uids::ImplantAssemblyTemplateStorage.str()), "IMPLANT ASSY");
  EXPECT_EQ(record_type_for_sop_class(uids::ImplantTemplateGroupStorage.str()), "IMPLANT GROUP");
  DicomDirBuilder builder(DicomDirOptions{});
  // IMPLANT (PS3.3 F.5.37): Manufacturer, Implant Name and Part Number required, Size if present.
  DicomFile implant = make_template(uids::GenericImplantTemplateStorage.str(), "1.2.9.1",
                                    {{tags::Manufacturer, "ACME"},
                                     {tags::ImplantName, "Stem"},
                                     {tags::ImplantTemplateVersion, "1"}});
  DicomDirAddResult result = builder.add(implant, "IMP", "imp");
  EXPECT_FALSE(result.added);
  ASSERT_EQ(result.messages.size(), 1u);
  EXPECT_EQ(result.messages[0].text,
            "required attribute ImplantPartNumber (0022,1097) missing in file: imp");
  ASSERT_TRUE(implant.data.set_string(tags::ImplantPartNumber, "P-1"));
  EXPECT_TRUE(builder.add(implant, "IMP", "imp").added);
  // IMPLANT ASSY (F.5.38): name, issuer and procedure type of the assembly.
  DicomFile assembly = make_template(
      uids::ImplantAssemblyTemplateStorage.str(), "1.2.9.2",
      {{tags::ImplantAssemblyTemplateName, "Assy"}, {tags::ImplantAssemblyTemplateIssuer, "ACME"}});
  result = builder.add(assembly, "ASSY", "assy");
  EXPECT_FALSE(result.added);
  ASSERT_EQ(result.messages.size(), 1u);
  EXPECT_EQ(result.messages[0].text,
            "required attribute ProcedureTypeCodeSequence (0076,0020) missing in file: assy");
  DataSet procedure;
  ASSERT_TRUE(procedure.set_string(tags::CodeValue, "1"));
  std::vector<DataSet> procedures{procedure};
  assembly.data.insert(Element::sequence(tags::ProcedureTypeCodeSequence, std::move(procedures)));
  EXPECT_TRUE(builder.add(assembly, "ASSY", "assy").added);
  // IMPLANT GROUP (F.5.39): name and issuer of the group, its description when present.
  DicomFile group = make_template(
      uids::ImplantTemplateGroupStorage.str(), "1.2.9.3",
      {{tags::ImplantTemplateGroupName, "Group"}, {tags::ImplantTemplateGroupIssuer, "ACME"}});
  EXPECT_TRUE(builder.add(group, "GROUP", "group").added);
  EXPECT_TRUE(
      builder.add(make_image("P1", "1.2.3", "1.2.3.4", "1.2.3.4.1", 1), "IMG\\A", "a").added);
  // Not in the special profiles.
  DicomDirOptions cardiac;
  cardiac.profile = MediaProfile::BasicCardiac;
  DicomDirBuilder refusing(cardiac);
  result = refusing.add(implant, "IMP", "imp");
  EXPECT_FALSE(result.added);
  EXPECT_EQ(result.messages.at(0).text,
            "invalid SOP class (GenericImplantTemplateStorage) for STD-XABC-CD profile: imp");

  auto built = builder.build();
  ASSERT_TRUE(built.has_value());
  const DicomFile file = round_trip(*built);
  const std::vector<DataSet>& items = file.data.find(tags::DirectoryRecordSequence)->items();
  ASSERT_EQ(items.size(), 7u);  // three template records, then PATIENT > STUDY > SERIES > IMAGE
  EXPECT_EQ(text(items[0], tags::DirectoryRecordType), "IMPLANT");
  EXPECT_EQ(text(items[0], tags::ImplantPartNumber), "P-1");
  EXPECT_EQ(items[0].find(tags::ImplantSize), nullptr);
  EXPECT_EQ(items[0].find(tags::ImplantTemplateVersion), nullptr);
  EXPECT_EQ(text(items[1], tags::DirectoryRecordType), "IMPLANT ASSY");
  EXPECT_EQ(text(items[1], tags::ImplantAssemblyTemplateIssuer), "ACME");
  ASSERT_NE(items[1].find(tags::ProcedureTypeCodeSequence), nullptr);
  EXPECT_EQ(text(items[2], tags::DirectoryRecordType), "IMPLANT GROUP");
  EXPECT_EQ(text(items[2], tags::ImplantTemplateGroupName), "Group");
  EXPECT_EQ(items[2].find(tags::ImplantTemplateGroupDescription), nullptr);
  EXPECT_EQ(text(items[2], tags::ReferencedSOPClassUIDInFile),
            uids::ImplantTemplateGroupStorage.str());
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(*items[i].get_uint(tags::OffsetOfReferencedLowerLevelDirectoryEntity), 0u);
  }
  EXPECT_EQ(text(items[3], tags::DirectoryRecordType), "PATIENT");
}

TEST(DicomDirTest, ReportsInconsistentFilesAndAbortsWhenAsked) {
  DicomFile other = make_image("P", "1.2.3", "1.2.3.4", "1.2.3.4.2", 2);
  EXPECT_TRUE(other.data.set_string(tags::Modality, "MR"));
  DicomDirOptions options;
  options.consistency = ConsistencyCheck::Abort;
  DicomDirBuilder builder(options);
  EXPECT_TRUE(builder.add(make_image("P", "1.2.3", "1.2.3.4", "1.2.3.4.1", 1), "A", "a").added);
  const DicomDirAddResult result = builder.add(other, "B", "b");
  EXPECT_TRUE(result.abort);
  ASSERT_GE(result.messages.size(), 2u);
  EXPECT_EQ(result.messages[0].text, "file inconsistent with existing DICOMDIR record");
}

TEST(DicomDirTest, AppendsToExistingDicomDir) {
  DicomDirBuilder first(DicomDirOptions{});
  EXPECT_TRUE(first.add(make_image("P", "1.2.3", "1.2.3.4", "1.2.3.4.1", 1), "A", "a").added);
  const DicomFile existing = round_trip(*first.build());
  auto loaded = DicomDirBuilder::from_existing(existing, DicomDirOptions{});
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->record_count(), 4u);
  EXPECT_TRUE(loaded->add(make_image("P", "1.2.3", "1.2.3.4", "1.2.3.4.2", 2), "B", "b").added);
  EXPECT_TRUE(loaded->add(make_image("P", "1.2.3", "1.2.3.4", "1.2.3.4.1", 1), "A", "a").added);
  EXPECT_EQ(loaded->record_count(), 5u);
  auto built = loaded->build();
  ASSERT_TRUE(built.has_value());
  EXPECT_EQ(text(built->meta, tags::MediaStorageSOPInstanceUID),
            text(existing.meta, tags::MediaStorageSOPInstanceUID));
}

TEST(DicomDirTest, RejectsBrokenOffsetsOfExistingDicomDir) {
  DicomDirBuilder first(DicomDirOptions{});
  EXPECT_TRUE(first.add(make_image("P", "1.2.3", "1.2.3.4", "1.2.3.4.1", 1), "A", "a").added);
  DicomFile existing = round_trip(*first.build());
  // Make the patient record point at itself.
  auto& items = existing.data.find(tags::DirectoryRecordSequence)->items();
  const auto self = static_cast<std::int64_t>(items[0].source_offset());
  EXPECT_TRUE(items[0].set_int(tags::OffsetOfTheNextDirectoryRecord, VR::UL, self));
  auto cyclic = DicomDirBuilder::from_existing(existing, DicomDirOptions{});
  EXPECT_EQ(cyclic.error().code(), ofstd::ErrorCode::MalformedData);
  EXPECT_TRUE(items[0].set_int(tags::OffsetOfTheNextDirectoryRecord, VR::UL, 12345));
  EXPECT_EQ(DicomDirBuilder::from_existing(existing, DicomDirOptions{}).error().code(),
            ofstd::ErrorCode::MalformedData);
  EXPECT_FALSE(DicomDirBuilder::from_existing(make_image("P", "1", "2", "3", 1), {}).has_value());
}

}  // namespace
}  // namespace dcmkit::dcmdata

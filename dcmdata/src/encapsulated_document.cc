// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/encapsulated_document.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <array>
#include <cstring>
#include <ctime>
#include <memory>

#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dict/uids.h"
#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/ofstd/strings.h"
#include "dcmkit/ofstd/uid_generator.h"

namespace dcmkit::dcmdata {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

namespace {

std::string_view value_text(const Element* e) {
  if (e == nullptr || e->kind() != ValueKind::Bytes) return {};
  return ofstd::trim_right(e->bytes().chars(), std::string_view(" \0", 2));
}

std::string now_text(const char* format) {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  std::array<char, 32> buffer{};
  std::strftime(buffer.data(), buffer.size(), format, &tm);
  return buffer.data();
}

Status set_text(DataSet& ds, Tag tag, std::string_view text) {
  if (text.empty()) {
    const Element* existing = ds.find(tag);
    const std::optional<VR> vr = existing ? std::optional<VR>(existing->vr()) : std::nullopt;
    if (vr) {
      ds.insert(Element(tag, *vr));
      return {};
    }
    return ds.set_string(tag, "");
  }
  return ds.set_string(tag, text);
}

// A document's attributes read from a CDA header (HL7 CDA R2: ClinicalDocument).
struct CdaData {
  std::string title;
  std::string instance_identifier;  // id@root ^ id@extension
  std::string patient_name;
  std::string patient_id;
  std::string birth_date;
  std::string sex;
};

const xmlNode* child(const xmlNode* node, const char* name) {
  if (node == nullptr) return nullptr;
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE &&
        std::strcmp(reinterpret_cast<const char*>(c->name), name) == 0) {
      return c;
    }
  }
  return nullptr;
}

std::string attribute(const xmlNode* node, const char* name) {
  if (node == nullptr) return {};
  xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
  if (value == nullptr) return {};
  std::string text(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return text;
}

std::string content(const xmlNode* node) {
  if (node == nullptr) return {};
  xmlChar* value = xmlNodeGetContent(node);
  if (value == nullptr) return {};
  std::string text(ofstd::trim(reinterpret_cast<const char*>(value)));
  xmlFree(value);
  return text;
}

Result<CdaData> read_cda(std::span<const std::byte> document) {
  if (document.size() > static_cast<std::size_t>(INT32_MAX)) {
    return Error(ErrorCode::LimitExceeded, "CDA document too large");
  }
  const std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(
      xmlReadMemory(reinterpret_cast<const char*>(document.data()),
                    static_cast<int>(document.size()), nullptr, nullptr,
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
      &xmlFreeDoc);
  if (!doc) return Error(ErrorCode::MalformedData, "CDA document is not well-formed XML");
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr ||
      std::strcmp(reinterpret_cast<const char*>(root->name), "ClinicalDocument") != 0) {
    return Error(ErrorCode::InvalidArgument, "not an HL7 CDA document (no ClinicalDocument)");
  }
  CdaData cda;
  cda.title = content(child(root, "title"));
  const xmlNode* id = child(root, "id");
  const std::string id_root = attribute(id, "root");
  const std::string id_extension = attribute(id, "extension");
  if (!id_root.empty()) {
    cda.instance_identifier = id_root + (id_extension.empty() ? "" : "^" + id_extension);
  }
  const xmlNode* role = child(child(root, "recordTarget"), "patientRole");
  cda.patient_id = attribute(child(role, "id"), "extension");
  const xmlNode* patient = child(role, "patient");
  const xmlNode* name = child(patient, "name");
  if (name != nullptr) {
    const std::string family = content(child(name, "family"));
    const std::string given = content(child(name, "given"));
    const std::string prefix = content(child(name, "prefix"));
    const std::string suffix = content(child(name, "suffix"));
    cda.patient_name = family + "^" + given + "^^" + prefix + "^" + suffix;
  }
  cda.sex = attribute(child(patient, "administrativeGenderCode"), "code");
  cda.birth_date = attribute(child(patient, "birthTime"), "value").substr(0, 8);
  return cda;
}

Status check_document(std::span<const std::byte> document, DocumentType type) {
  const std::string_view text(reinterpret_cast<const char*>(document.data()), document.size());
  switch (type) {
    case DocumentType::Pdf:
      if (!text.starts_with("%PDF-")) {
        return Error(ErrorCode::InvalidArgument, "not a PDF file (no %PDF- header)");
      }
      return {};
    case DocumentType::Stl: {
      if (text.starts_with("solid ")) {
        return Error(ErrorCode::InvalidArgument,
                     "STL in ASCII format; DICOM accepts only binary STL (PS3.3 C.24.2.1)");
      }
      if (document.size() < 84) {
        return Error(ErrorCode::InvalidArgument, "not a binary STL file (shorter than 84 bytes)");
      }
      const std::uint64_t triangles = static_cast<std::uint64_t>(document[80]) |
                                      static_cast<std::uint64_t>(document[81]) << 8 |
                                      static_cast<std::uint64_t>(document[82]) << 16 |
                                      static_cast<std::uint64_t>(document[83]) << 24;
      if (84 + 50 * triangles != document.size()) {
        return Error(ErrorCode::InvalidArgument,
                     "not a binary STL file (" + std::to_string(triangles) +
                         " triangles do not fill " + std::to_string(document.size()) + " bytes)");
      }
      return {};
    }
    case DocumentType::Cda:
      return {};
  }
  return {};
}

std::string_view mime_type(DocumentType type) {
  switch (type) {
    case DocumentType::Pdf:
      return "application/pdf";
    case DocumentType::Cda:
      return "text/XML";
    case DocumentType::Stl:
      return "model/stl";
  }
  return {};
}

Element code_sequence(Tag tag, const CodedEntry& code) {
  DataSet item;
  (void)item.set_string(tags::CodeValue, code.value);
  (void)item.set_string(tags::CodingSchemeDesignator, code.scheme);
  (void)item.set_string(tags::CodeMeaning, code.meaning);
  return Element::sequence(tag, {std::move(item)});
}

Status validate_code(const CodedEntry& code) {
  DataSet probe;
  DCMKIT_TRY(probe.set_string(tags::CodeValue, code.value));
  DCMKIT_TRY(probe.set_string(tags::CodingSchemeDesignator, code.scheme));
  DCMKIT_TRY(probe.set_string(tags::CodeMeaning, code.meaning));
  return {};
}

// Copies `tag` from `source` if present.
void copy_from(const DataSet& source, DataSet& target, Tag tag) {
  if (const Element* e = source.find(tag)) target.insert(*e);
}

}  // namespace

std::string_view document_sop_class(DocumentType type) noexcept {
  switch (type) {
    case DocumentType::Pdf:
      return uids::EncapsulatedPDFStorage.str();
    case DocumentType::Cda:
      return uids::EncapsulatedCDAStorage.str();
    case DocumentType::Stl:
      return uids::EncapsulatedSTLStorage.str();
  }
  return {};
}

Result<Encapsulation> encapsulate_document(std::span<const std::byte> document,
                                           const EncapsulationOptions& options) {
  DCMKIT_TRY(check_document(document, options.type));
  if (document.size() > 0xFFFFFFF0u) {
    return Error(ErrorCode::LimitExceeded, "document larger than 4 GiB");
  }
  std::optional<CdaData> cda;
  if (options.type == DocumentType::Cda) {
    DCMKIT_ASSIGN_OR_RETURN(cda, read_cda(document));
  }
  Encapsulation out;
  DataSet& ds = out.data;
  DCMKIT_TRY(ds.set_string(tags::SpecificCharacterSet, "ISO_IR 100"));
  DCMKIT_TRY(ds.refresh_character_set());

  // Type 2 attributes of the Patient, General Study, General Series modules (PS3.3 A.45.1.4).
  for (Tag tag : {tags::StudyDate, tags::ContentDate, tags::AcquisitionDateTime, tags::StudyTime,
                  tags::ContentTime, tags::AccessionNumber, tags::ReferringPhysicianName,
                  tags::PatientName, tags::PatientID, tags::PatientBirthDate, tags::PatientSex,
                  tags::StudyID, tags::Manufacturer}) {
    DCMKIT_TRY(set_text(ds, tag, ""));
  }
  const std::string today = now_text("%Y%m%d");
  DCMKIT_TRY(ds.set_string(tags::InstanceCreationDate, today));
  DCMKIT_TRY(ds.set_string(tags::InstanceCreationTime, now_text("%H%M%S")));
  DCMKIT_TRY(ds.set_string(tags::SOPClassUID, document_sop_class(options.type)));
  DCMKIT_TRY(ds.set_string(tags::SOPInstanceUID, ofstd::generate_uid()));
  DCMKIT_TRY(ds.set_string(tags::StudyInstanceUID, ofstd::generate_uid()));
  DCMKIT_TRY(ds.set_string(tags::SeriesInstanceUID, ofstd::generate_uid()));
  DCMKIT_TRY(ds.set_string(tags::SeriesNumber, "1"));
  if (options.type == DocumentType::Stl) {
    DCMKIT_TRY(ds.set_string(tags::Modality, "M3D"));
  } else {
    DCMKIT_TRY(ds.set_string(tags::Modality, "DOC"));
    DCMKIT_TRY(ds.set_string(tags::ConversionType, "WSD"));
  }

  std::int64_t instance_number = 1;
  if (options.source != nullptr) {
    const DataSet& src = *options.source;
    for (Tag tag : {tags::PatientName, tags::PatientID, tags::PatientBirthDate, tags::PatientSex,
                    tags::StudyInstanceUID, tags::StudyDate, tags::StudyTime,
                    tags::ReferringPhysicianName, tags::StudyID, tags::AccessionNumber}) {
      copy_from(src, ds, tag);
    }
    if (options.same_series) {
      for (Tag tag : {tags::SeriesInstanceUID, tags::SeriesNumber, tags::Manufacturer}) {
        copy_from(src, ds, tag);
      }
      if (options.type == DocumentType::Stl) {
        for (Tag tag :
             {tags::ManufacturerModelName, tags::DeviceSerialNumber, tags::SoftwareVersions,
              tags::FrameOfReferenceUID, tags::PositionReferenceIndicator}) {
          copy_from(src, ds, tag);
        }
      }
      if (options.increment_instance) {
        const auto number = src.get_int(tags::InstanceNumber);
        instance_number = number ? *number + 1 : 1;
      }
    }
  }
  if (options.instance_number) instance_number = *options.instance_number;
  DCMKIT_TRY(ds.set_int(tags::InstanceNumber, VR::IS, instance_number));

  // The CDA's own patient and document data; values given explicitly must agree unless they
  // override it (cda2dcm -ov/+ov).
  std::string title = options.title;
  if (cda) {
    const auto merge = [&](Tag tag, const std::string& from_document,
                           const std::optional<std::string>& given) -> Status {
      std::string current(value_text(ds.find(tag)));
      if (given) current = *given;
      if (from_document.empty()) return set_text(ds, tag, current);
      if (current.empty()) return set_text(ds, tag, from_document);
      if (current != from_document && !options.override_document_data) {
        return Error(ErrorCode::InvalidArgument, "CDA data differs from the given data for " +
                                                     std::string(dcmtk_tag_name(tag)) + ": \"" +
                                                     from_document + "\" vs. \"" + current + "\"");
      }
      return set_text(ds, tag, current);
    };
    DCMKIT_TRY(merge(tags::PatientName, cda->patient_name, options.patient_name));
    DCMKIT_TRY(merge(tags::PatientID, cda->patient_id, options.patient_id));
    DCMKIT_TRY(merge(tags::PatientBirthDate, cda->birth_date, options.patient_birth_date));
    DCMKIT_TRY(merge(tags::PatientSex, cda->sex, options.patient_sex));
    if (title.empty()) title = cda->title;
    if (!cda->instance_identifier.empty()) {
      DCMKIT_TRY(ds.set_string(tags::HL7InstanceIdentifier, cda->instance_identifier));
    }
  } else {
    if (options.patient_name) DCMKIT_TRY(set_text(ds, tags::PatientName, *options.patient_name));
    if (options.patient_id) DCMKIT_TRY(set_text(ds, tags::PatientID, *options.patient_id));
    if (options.patient_birth_date) {
      DCMKIT_TRY(set_text(ds, tags::PatientBirthDate, *options.patient_birth_date));
    }
    if (options.patient_sex) DCMKIT_TRY(set_text(ds, tags::PatientSex, *options.patient_sex));
  }

  DCMKIT_TRY(ds.set_string(tags::BurnedInAnnotation, options.burned_in_annotation ? "YES" : "NO"));
  if (options.concept_name) {
    DCMKIT_TRY(validate_code(*options.concept_name));
    ds.insert(code_sequence(tags::ConceptNameCodeSequence, *options.concept_name));
  } else {
    ds.insert(Element::sequence(tags::ConceptNameCodeSequence, {}));
  }
  DCMKIT_TRY(set_text(ds, tags::DocumentTitle, title));

  if (options.type == DocumentType::Stl) {
    // Enhanced General Equipment (type 1) and Frame of Reference (PS3.3 A.85.1).
    const auto equipment = [&](Tag tag, const std::string& given, std::string_view placeholder,
                               std::string_view name) -> Status {
      if (!given.empty()) return ds.set_string(tag, given);
      if (!value_text(ds.find(tag)).empty()) return {};
      out.warnings.push_back("No " + std::string(name) +
                             " provided nor found in series. This "
                             "attribute is required for Enhanced General Equipment module. " +
                             std::string(placeholder) + " will be inserted as dummy value.");
      return ds.set_string(tag, placeholder);
    };
    DCMKIT_TRY(equipment(tags::Manufacturer, options.manufacturer, "DCMKIT_MANUFACTURING",
                         "Manufacturer (0008,0070)"));
    DCMKIT_TRY(equipment(tags::ManufacturerModelName, options.manufacturer_model, "DCMKIT_3DMODEL",
                         "Manufacturer Model Name (0008,1090)"));
    DCMKIT_TRY(equipment(tags::DeviceSerialNumber, options.device_serial, "DCMKIT0000000001",
                         "Device Serial Number (0018,1000)"));
    DCMKIT_TRY(equipment(tags::SoftwareVersions, options.software_versions, "0.1",
                         "Software Versions (0018,1020)"));
    if (value_text(ds.find(tags::FrameOfReferenceUID)).empty()) {
      DCMKIT_TRY(ds.set_string(tags::FrameOfReferenceUID, ofstd::generate_uid()));
    }
    if (!ds.contains(tags::PositionReferenceIndicator)) {
      DCMKIT_TRY(set_text(ds, tags::PositionReferenceIndicator, ""));
    }
    DCMKIT_TRY(validate_code(options.measurement_units));
    ds.insert(code_sequence(tags::MeasurementUnitsCodeSequence, options.measurement_units));
  }

  DCMKIT_TRY(ds.set_string(tags::MIMETypeOfEncapsulatedDocument, mime_type(options.type)));
  std::vector<std::byte> bytes(document.begin(), document.end());
  if (bytes.size() % 2 != 0) bytes.push_back(std::byte{0});  // OB pads with 00 (PS3.5 §7.1.1)
  ds.insert(
      Element(tags::EncapsulatedDocument, VR::OB, SharedBytes::from_vector(std::move(bytes))));
  DCMKIT_TRY(ds.set_int(tags::EncapsulatedDocumentLength, VR::UL,
                        static_cast<std::int64_t>(document.size())));
  return out;
}

Result<SharedBytes> encapsulated_document(const DataSet& data) {
  const Element* e = data.find(tags::EncapsulatedDocument);
  if (e == nullptr || e->kind() != ValueKind::Bytes) {
    return Error(ErrorCode::NotFound, "no Encapsulated Document (0042,0011)");
  }
  const SharedBytes& bytes = e->bytes();
  const auto length = data.get_uint(tags::EncapsulatedDocumentLength);
  if (!length) return bytes;
  if (*length > bytes.size()) {
    return Error(ErrorCode::MalformedData,
                 "Encapsulated Document Length " + std::to_string(*length) +
                     " exceeds the document's " + std::to_string(bytes.size()) + " bytes");
  }
  return SharedBytes(bytes.owner(), bytes.span().first(static_cast<std::size_t>(*length)));
}

}  // namespace dcmkit::dcmdata

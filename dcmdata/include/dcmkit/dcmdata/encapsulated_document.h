// SPDX-License-Identifier: BSD-3-Clause
// Encapsulated documents (PS3.3 A.45: Encapsulated PDF, CDA, STL): a document wrapped into a new
// DICOM object with patient, study and series data, and the document taken out again.
//
//   EncapsulationOptions options;
//   options.type = DocumentType::Pdf;
//   options.title = "Report";
//   auto object = encapsulate_document(pdf_bytes, options);      // Result<Encapsulation>
//   auto meta = make_file_meta(object->data, uids::ExplicitVRLittleEndian.str());
//   auto back = encapsulated_document(object->data);             // the PDF, byte for byte
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/shared_bytes.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmdata {

/// The encapsulated document IODs dcmkit creates.
enum class DocumentType : std::uint8_t {
  Pdf,  ///< Encapsulated PDF Storage (PS3.3 A.45.1), "application/pdf"
  Cda,  ///< Encapsulated CDA Storage (PS3.3 A.45.2), "text/XML"
  Stl,  ///< Encapsulated STL Storage (PS3.3 A.85.1), "model/stl", binary STL only
};

/// A code (Code Sequence Macro, PS3.3 Table 8.8-1).
struct CodedEntry {
  std::string scheme;   ///< Coding Scheme Designator
  std::string value;    ///< Code Value
  std::string meaning;  ///< Code Meaning
};

/// What goes into the new object besides the document (pdf2dcm's, cda2dcm's and stl2dcm's
/// options). Text is UTF-8 restricted to ISO_IR 100 (Latin-1), the character set written.
struct EncapsulationOptions {
  DocumentType type = DocumentType::Pdf;
  /// Document Title (0042,0010); empty writes it empty (CDA: the document's title).
  std::string title;
  /// Concept Name Code Sequence (0040,A043) item; none writes the sequence empty.
  std::optional<CodedEntry> concept_name;
  std::optional<std::string> patient_name;        ///< PN syntax
  std::optional<std::string> patient_id;          ///< LO
  std::optional<std::string> patient_birth_date;  ///< YYYYMMDD
  std::optional<std::string> patient_sex;         ///< M, F or O
  /// Patient and study data (and with `same_series`, series data) are taken from this object.
  const DataSet* source = nullptr;
  bool same_series = false;
  /// Instance Number: this value, else the source's plus one with `increment_instance`, else 1.
  std::optional<std::int64_t> instance_number;
  bool increment_instance = false;
  /// Burned In Annotation (0028,0301): YES (the document contains identifying data) or NO.
  bool burned_in_annotation = true;
  /// CDA: values given here or in `source` replace the document's own instead of having to agree.
  bool override_document_data = false;
  /// STL, Enhanced General Equipment module: empty values get DCMTK's placeholder values.
  std::string manufacturer;
  std::string manufacturer_model;
  std::string device_serial;
  std::string software_versions;
  /// STL: Measurement Units Code Sequence (0040,08EA).
  CodedEntry measurement_units{"UCUM", "um", "um"};
};

/// The new object and what was noted while making it (placeholders inserted, and so on).
struct Encapsulation {
  DataSet data;
  std::vector<std::string> warnings;
};

/// Builds an Encapsulated PDF/CDA/STL object around `document` with new Study/Series/SOP
/// Instance UIDs (unless taken from the source). InvalidArgument if the document is not of the
/// type (no "%PDF-" header, ASCII or truncated STL, CDA that is not a ClinicalDocument) or
/// an option value breaks its VR; MalformedData for XML that does not parse.
ofstd::Result<Encapsulation> encapsulate_document(std::span<const std::byte> document,
                                                  const EncapsulationOptions& options);

/// The encapsulated document of an object: Encapsulated Document (0042,0011) cut to
/// Encapsulated Document Length (0042,0015) when that is present (PS3.3 C.24.2.1), so the padding
/// byte of odd-length documents is removed. NotFound without the element, MalformedData if the
/// length exceeds the value.
ofstd::Result<SharedBytes> encapsulated_document(const DataSet& data);

/// The SOP Class UID of `type`'s IOD.
std::string_view document_sop_class(DocumentType type) noexcept;

}  // namespace dcmkit::dcmdata

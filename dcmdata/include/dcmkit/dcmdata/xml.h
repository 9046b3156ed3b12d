// SPDX-License-Identifier: BSD-3-Clause
// XML both ways, in DCMTK's own format (dcm2xml's default, described by dcm2xml.dtd) and in the
// Native DICOM Model of PS3.19 Annex A. Writing produces the text dcm2xml 3.6.7 produces;
// reading (libxml2, no network, no external entities) accepts both formats, so that a file
// written with all values (XmlWriteOptions::max_loaded_length unset, binary data written) reads
// back to the same data set.
//
//   std::string xml;
//   XmlWriteOptions options;
//   options.binary_data = true;
//   options.max_loaded_length.reset();
//   DCMKIT_TRY(write_xml(xml, file, options));
//   DCMKIT_ASSIGN_OR_RETURN(XmlDocument doc, read_xml(xml));   // doc.data == file.data
//
// Text values are written in the data set's Specific Character Set, declared as the document's
// encoding where XML has a name for it (ISO 8859 parts, UTF-8); for other character sets the
// bytes above 127 are written as character references "&#233;", as dcm2xml does, and reading
// turns them back into the same bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/shared_bytes.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmdata {

/// Which XML vocabulary.
enum class XmlFormat : std::uint8_t {
  Dcmtk,   ///< DCMTK's: <file-format>, <meta-header>, <data-set>, <element>, <sequence>, <item>
  Native,  ///< PS3.19 Native DICOM Model: <NativeDicomModel>, <DicomAttribute>, <Value>, ...
};

/// How binary values (OB OW UN; in the Native model also OD OF OL OV) are written.
enum class XmlBinaryEncoding : std::uint8_t {
  Hex,     ///< DCMTK format: "01\02" (OB, UN) or "0102\0304" (OW) — dcm2xml +Eh
  Uuid,    ///< Native model: <BulkData uuid="..."/> (the value is not written) — dcm2xml +Eu
  Base64,  ///< base64: DCMTK format binary="base64", Native model <InlineBinary> — dcm2xml +Eb
};

/// Options for writing XML; the defaults give dcm2xml's default output.
struct XmlWriteOptions {
  XmlFormat format = XmlFormat::Dcmtk;
  /// Declare the format's namespace on the root element (+Xn).
  bool xml_namespace = false;
  /// DCMTK format: <!DOCTYPE file-format SYSTEM "dcm2xml.dtd"> (+Xd).
  bool dtd_reference = false;
  /// DCMTK format: this document type definition is embedded as the internal subset (+Xe).
  std::optional<std::string> embedded_dtd;
  /// DCMTK format: name="..." attributes (+Wn); Native model: always keyword="...".
  bool element_names = true;
  /// DCMTK format: write the values of OB, OW and UN elements (+Wb); otherwise they are
  /// binary="hidden". The Native model always writes them (as BulkData or InlineBinary).
  bool binary_data = false;
  /// Binary encoding; empty: Hex for the DCMTK format, Uuid for the Native model.
  std::optional<XmlBinaryEncoding> binary_encoding;
  /// Values longer than this many bytes are not written (loaded="no" / BulkData), as dcm2xml
  /// -M; empty writes every value (+M). dcm2xml's default threshold is 4 KiB.
  std::optional<std::uint64_t> max_loaded_length = 4096;
  /// The Specific Character Set to assume when the data set has none (dcm2xml +Ca): it names the
  /// document's encoding.
  std::optional<std::string> assumed_character_set;
  /// Write only the data set: root <data-set> (DCMTK format; dcm2xml -f), no meta header.
  bool data_set_only = false;
  /// Native model: where the values written as <BulkData> go. Called with each such value (its
  /// bytes in little endian; for encapsulated Pixel Data its item stream, see below), it stores
  /// them and returns the URI written as <BulkData uri="...">. Without it a random UUID is
  /// written (uuid="..."), as dcm2xml does, and the value is not kept anywhere.
  std::function<ofstd::Result<std::string>(std::span<const std::byte>)> bulk_data_writer;
};

/// Recoverable findings while writing (text that had to be quoted), or reading (a hidden or
/// not-loaded value, a BulkData reference that cannot be resolved), each naming the element.
using XmlNotes = std::vector<std::string>;

/// The XML encoding name for a Specific Character Set value as dcm2xml declares it
/// ("ISO-8859-1" for "ISO_IR 100", "UTF-8" for "ISO_IR 192", ISO_IR 6 or none), or empty if XML
/// has none that dcm2xml uses (multi-valued sets, GB18030, GBK, ISO_IR 13/166/203, an empty
/// value): then characters above 127 are written as character references.
std::string_view xml_encoding_for(std::string_view specific_character_set) noexcept;

/// Encapsulated Pixel Data in the Native model: PS3.19 has no form for fragments, so the value
/// written (InlineBinary or BulkData) is its item stream: each fragment, the Basic Offset Table
/// first, as an item (FFFE,E000) with its length, little endian, without the sequence delimiter
/// (PS3.5 A.4), as dcmkit's JSON carries it. When that value is written (+Eb, or through
/// bulk_data_writer), the document also names the transfer syntax in a TransferSyntaxUID
/// (0002,0010) attribute, so that it can be read back into a file.
///
/// Appends the XML document for `file` (meta header and data set, or only the data set) to
/// `out`. The encoding follows the top-level Specific Character Set (see xml_encoding_for()).
/// InvalidArgument for a value that cannot be written (a malformed binary value). `notes`, if
/// given, receives the elements whose characters had to be quoted.
ofstd::Status write_xml(std::string& out, const DicomFile& file,
                        const XmlWriteOptions& options = {}, XmlNotes* notes = nullptr);

/// Options for reading XML (input is untrusted: sizes and nesting are bounded).
struct XmlReadOptions {
  /// Native model: resolves <BulkData uri="..."> to the value's bytes (little endian; for Pixel
  /// Data also an item stream, see write_xml()). Without it, or for uuid references, the value
  /// is read empty with a note. The loader decides which URIs it accepts (a document from an
  /// untrusted source should not name arbitrary local files).
  std::function<ofstd::Result<SharedBytes>(std::string_view uri)> bulk_data_loader;
  /// Maximum input size in bytes (LimitExceeded beyond).
  std::uint64_t max_input_size = std::uint64_t{1} << 32;
  /// Maximum nesting of sequences (items within items).
  std::uint32_t max_sequence_depth = 64;
  /// DCMTK format: validate against the document type definition (the document's own internal
  /// subset, else dcmkit's built-in copy of dcm2xml.dtd's rules) before reading (xml2dcm +Vd).
  bool validate = false;
  /// Require the format's namespace on the root element (xml2dcm +Vn).
  bool check_namespace = false;
  /// DCMTK format: read the <meta-header> (xml2dcm +f); otherwise it is ignored (-f).
  bool read_meta = true;
  /// Read binary="file" values of the DCMTK format from the named files (as xml2dcm does). A
  /// document from an untrusted source should not be allowed to read local files.
  bool allow_file_references = true;
  /// Errors such as an unknown VR or a value that does not parse are skipped with a note
  /// instead of failing (xml2dcm +E); structural errors still fail.
  bool ignore_errors = false;
};

/// A document read from XML.
struct XmlDocument {
  XmlFormat format = XmlFormat::Dcmtk;
  DataSet meta;  ///< the meta header's elements (DCMTK format, if read)
  DataSet data;
  /// The transfer syntax named by the document (DCMTK format: data-set's xfer), if any.
  std::string transfer_syntax_uid;
  XmlNotes notes;  ///< recoverable findings
};

/// Parses an XML document in either format (told apart by the root element). MalformedData
/// names the line ("line 12: ...") and, for content errors, the element; LimitExceeded for input
/// or nesting beyond the limits; NotFound/IoError for a binary="file" reference that cannot be
/// read. Never crashes on any input.
ofstd::Result<XmlDocument> read_xml(std::string_view text, const XmlReadOptions& options = {});

/// dcmkit's document type definition for the DCMTK format (the rules of dcm2xml.dtd), as
/// embedded by dcm2xml +Xe without +Xf and used by read_xml() to validate.
std::string_view dcmtk_xml_dtd() noexcept;

}  // namespace dcmkit::dcmdata

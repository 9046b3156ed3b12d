// SPDX-License-Identifier: BSD-3-Clause
// dcm2xml: convert a DICOM file to XML, in DCMTK's format or the PS3.19 Native DICOM Model; a
// drop-in replacement for DCMTK's dcm2xml (see docs/dcm2xml.md).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <vector>

#include "common/app.h"
#include "common/dcmdata_blocks.h"
#include "common/dcmdata_options.h"
#include "dcmkit/dcmdata/charset_convert.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/xml.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"
#include "dcmkit/ofstd/strings.h"

namespace {

using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file

// dcm2xml's exit codes (DCMTK 3.6.7): a file that cannot be read, and a document that cannot
// be written (missing character set).
constexpr int kExitReadError = 5;
constexpr int kExitWriteError = 3;
constexpr int kExitConvertError = 4;  // +U8: the character set cannot be converted

constexpr dcmdata::Tag kSpecificCharacterSet{0x0008, 0x0005};

void define_options(ofstd::CommandLine& cl) {
  cl.add_parameter("dcmfile-in", "DICOM input filename to be converted");
  cl.add_parameter("xmlfile-out", "XML output filename (default: stdout)",
                   ofstd::Cardinality::Optional);
  cl.add_group("input options:");
  apps::add_input_format_options(cl, true);
  cl.add_subgroup("long tag values:");
  cl.add_option("+M", "--load-all", "load very long tag values (e.g. pixel data)");
  cl.add_option("-M", "--load-short", "do not load very long values (default)");
  cl.add_option("+R", "--max-read-length",
                "[k]bytes: integer (4..4194302, default: 4)\n"
                "set threshold for long values to k kbytes",
                1);
  cl.add_group("processing options:");
  cl.add_subgroup("specific character set:");
  cl.add_option("+Cr", "--charset-require", "require declaration of extended charset (def.)");
  cl.add_option("+Ca", "--charset-assume",
                "[c]harset: string\n"
                "assume charset c if no extended charset declared",
                1);
  cl.add_option("+Cc", "--charset-check-all",
                "check all data elements with string values\n"
                "(default: only PN, LO, LT, SH, ST, UC and UT)");
  cl.add_option("+U8", "--convert-to-utf8",
                "convert all element values that are affected\n"
                "by Specific Character Set (0008,0005) to UTF-8");
  cl.add_group("output options:");
  cl.add_subgroup("general XML format:");
  cl.add_option("-dtk", "--dcmtk-format", "output in DCMTK-specific format (default)");
  cl.add_option("-nat", "--native-format", "output in Native DICOM Model format (part 19)");
  cl.add_option("+Xn", "--use-xml-namespace", "add XML namespace declaration to root element");
  cl.add_subgroup("DCMTK-specific format (not with --native-format):");
  cl.add_option("+Xd", "--add-dtd-reference", "add reference to document type definition (DTD)");
  cl.add_option("+Xe", "--embed-dtd-content", "embed document type definition into XML document");
  cl.add_option("+Xf", "--use-dtd-file",
                "[f]ilename: string\n"
                "use specified DTD file (only with +Xe)\n"
                "(default: /usr/share/dcmtk/dcm2xml.dtd)",
                1);
  cl.add_option("+Wn", "--write-element-name", "write name of the DICOM data elements (default)");
  cl.add_option("-Wn", "--no-element-name", "do not write name of the DICOM data elements");
  cl.add_option("+Wb", "--write-binary-data",
                "write binary data of OB and OW elements\n"
                "(default: off, be careful with --load-all)");
  cl.add_subgroup("encoding of binary data:");
  cl.add_option("+Eh", "--encode-hex",
                "encode binary data as hex numbers\n"
                "(default for DCMTK-specific format)");
  cl.add_option("+Eu", "--encode-uuid",
                "encode binary data as a UUID reference\n"
                "(default for Native DICOM Model)");
  cl.add_option("+Eb", "--encode-base64", "encode binary data as Base64 (RFC 2045, MIME)");
}

// Elements whose values carry extended characters in the checked VRs (DCMTK's +Cr check).
bool uses_extended_characters(const dcmdata::DataSet& ds, bool all_strings, int depth) {
  if (depth > 64) return false;
  for (const dcmdata::Element& e : ds) {
    if (e.is_sequence()) {
      for (const dcmdata::DataSet& item : e.items()) {
        if (uses_extended_characters(item, all_strings, depth + 1)) return true;
      }
      continue;
    }
    if (e.kind() != dcmdata::ValueKind::Bytes) continue;
    const dcmdata::VrInfo& info = dcmdata::vr_info(e.vr());
    if (info.kind != dcmdata::VrKind::Text || (!all_strings && !info.uses_charset)) continue;
    for (const char c : e.bytes().chars()) {
      if (static_cast<unsigned char>(c) >= 0x80) return true;
    }
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  App app("dcm2xml", "Convert DICOM file and data set to XML");
  define_options(app.command_line());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();

  const bool native = args.last_of({"-dtk", "-nat"}) == "-nat";
  if (native) {
    // +Wb is dcmkit's extension in the Native model (DCMTK refuses it there): the values
    // written as BulkData go to files next to the document (see docs/dcm2xml.md).
    for (const char* option : {"+Xd", "+Xe", "+Wn", "-Wn", "+Eh"}) {
      if (auto conflict = args.check_conflict(option, {"-nat"}); !conflict) {
        return app.usage_error(conflict.error());
      }
    }
  } else if (args.has("+Eu")) {
    return app.usage_error("--encode-uuid only allowed with --native-format");
  }
  if (native && args.has("+Wb") && args.param_count() < 2) {
    return app.usage_error("--write-binary-data with --native-format needs xmlfile-out");
  }
  if (auto dependence = args.check_dependence("+Xf", "+Xe"); !dependence) {
    return app.usage_error(dependence.error());
  }

  dcmdata::ReadOptions read_options = apps::input_format_options(args, true);
  dcmdata::XmlWriteOptions xml;
  xml.format = native ? dcmdata::XmlFormat::Native : dcmdata::XmlFormat::Dcmtk;
  xml.xml_namespace = args.has("+Xn");
  xml.dtd_reference = args.has("+Xd");
  xml.element_names = args.last_of({"+Wn", "-Wn"}) != "-Wn";
  xml.binary_data = args.has("+Wb");
  if (const auto encoding = args.last_of({"+Eh", "+Eu", "+Eb"})) {
    xml.binary_encoding = *encoding == "+Eb"   ? dcmdata::XmlBinaryEncoding::Base64
                          : *encoding == "+Eu" ? dcmdata::XmlBinaryEncoding::Uuid
                                               : dcmdata::XmlBinaryEncoding::Hex;
  }
  long long kbytes = 4;
  if (args.has("+R")) {
    auto value = args.value_as_int("+R", ofstd::IntBounds::range(4, 4194302));
    if (!value) return app.usage_error(value.error());
    kbytes = *value;
  }
  if (args.last_of({"+M", "-M"}) == "+M") {
    xml.max_loaded_length.reset();
  } else {
    xml.max_loaded_length = static_cast<std::uint64_t>(kbytes) * 1024;
  }
  xml.data_set_only = read_options.format == dcmdata::FileFormatChoice::DataSetOnly;
  if (args.has("+Xe")) {
    std::string dtd(dcmdata::dcmtk_xml_dtd());
    if (const auto path = args.value("+Xf")) {
      std::ifstream in(*path, std::ios::binary);
      if (in) {
        dtd.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        xml.embedded_dtd = dtd;
      } else {
        DCMKIT_LOG_WARN(app.logger(), "dcm2xml: DTD file \"" << *path
                                                             << "\" does not exist ... adding "
                                                                "reference instead");
        xml.dtd_reference = true;
      }
    } else {
      xml.embedded_dtd = dtd;
    }
  }

  const std::string& input = args.param(0);
  DCMKIT_LOG_INFO(app.logger(), "reading DICOM file: " << input);
  auto file = dcmdata::read_file(input, read_options);
  if (!file) {
    DCMKIT_LOG_ERROR(app.logger(), "dcm2xml: " << apps::read_error_message(file.error(), input));
    return kExitReadError;
  }
  for (const dcmdata::Diagnostic& diagnostic : file->diagnostics) {
    DCMKIT_LOG_WARN(app.logger(), diagnostic.to_string());
  }
  // Values of a deflated data set are all in memory already, as DCMTK has them.
  if (file->transfer_syntax.is_deflated()) xml.max_loaded_length.reset();

  const std::string output = args.param_count() > 1 ? args.param(1) : std::string();
  const std::string where = output.empty() ? "standard output" : "file: " + output;
  const bool dicomdir =
      file->meta.get_string(dcmdata::Tag{0x0002, 0x0002}).value_or("") == "1.2.840.10008.1.3.10";
  if (args.has("+U8")) {
    std::vector<std::string> notes;
    auto converted = dcmdata::convert_to_utf8(file->data, &notes);
    for (const std::string& note : notes) DCMKIT_LOG_WARN(app.logger(), note);
    if (!converted) {
      DCMKIT_LOG_ERROR(app.logger(), "dcm2xml: " << converted.error().to_string()
                                                 << ": converting file to UTF-8: " << input);
      return kExitConvertError;
    }
  } else {
    if (dicomdir) {
      DCMKIT_LOG_WARN(app.logger(),
                      "dcm2xml: this is a DICOMDIR file, which can contain more than one "
                      "SpecificCharacterSet (0008,0005) element ... using option "
                      "--convert-to-utf8 is strongly recommended");
    }
    if (!file->data.contains(kSpecificCharacterSet)) {
      if (const auto assumed = args.value("+Ca")) {
        // The assumed set only names the encoding: it is not added as an element.
        xml.assumed_character_set = *assumed;
      } else if (uses_extended_characters(file->data, args.has("+Cc"), 0)) {
        DCMKIT_LOG_ERROR(app.logger(),
                         "dcm2xml: SpecificCharacterSet (0008,0005) element absent (on the main "
                         "data set level) but extended characters used in file: "
                             << input);
        DCMKIT_LOG_ERROR(app.logger(),
                         "dcm2xml: error (Missing Specific Character Set) writing to " << where);
        return kExitWriteError;
      }
    }
    if (const dcmdata::Element* cs = file->data.find(kSpecificCharacterSet)) {
      const std::string value(ofstd::trim(cs->bytes().chars(), std::string_view(" \0", 2)));
      if (cs->vr() == dcmdata::VR::CS && !value.empty() &&
          dcmdata::xml_encoding_for(value).empty()) {
        DCMKIT_LOG_WARN(app.logger(), "dcm2xml: SpecificCharacterSet (0008,0005) value '"
                                          << value
                                          << "' not supported ... quoting non-ASCII characters");
      }
    }
  }

  // -nat +Wb: each BulkData value in a file "<xmlfile-out>.<n>.raw" beside the document,
  // referenced by its name (relative, so that the pair can be moved together).
  std::vector<std::string> bulk_files;
  if (native && xml.binary_data) {
    const std::filesystem::path out_path(output);
    xml.bulk_data_writer =
        [&bulk_files, out_path](std::span<const std::byte> bytes) -> ofstd::Result<std::string> {
      const std::string name =
          out_path.filename().string() + "." + std::to_string(bulk_files.size() + 1) + ".raw";
      const std::filesystem::path path = out_path.parent_path() / name;
      std::FILE* stream = std::fopen(path.string().c_str(), "wb");
      if (stream == nullptr) {
        return ofstd::Error(ofstd::ErrorCode::IoError, "cannot create file: " + path.string());
      }
      const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), stream) == bytes.size();
      if (std::fclose(stream) != 0 || !ok) {
        return ofstd::Error(ofstd::ErrorCode::IoError, "cannot write file: " + path.string());
      }
      bulk_files.push_back(path.string());
      return name;
    };
  }
  std::string text;
  dcmdata::XmlNotes notes;
  if (auto written = dcmdata::write_xml(text, *file, xml, &notes); !written) {
    DCMKIT_LOG_ERROR(app.logger(),
                     "dcm2xml: error (" << written.error().message() << ") writing to " << where);
    return kExitWriteError;
  }
  for (const std::string& note : notes) DCMKIT_LOG_DEBUG(app.logger(), note);
  if (output.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return ofstd::kExitNoError;
  }
  DCMKIT_LOG_INFO(app.logger(), "writing XML output to " << output);
  std::FILE* out = std::fopen(output.c_str(), "wb");
  if (out == nullptr) {
    DCMKIT_LOG_ERROR(app.logger(), "dcm2xml: cannot create output file: " << output);
    return ofstd::kExitCommandLineSyntaxError;
  }
  const bool ok = std::fwrite(text.data(), 1, text.size(), out) == text.size();
  if (std::fclose(out) != 0 || !ok) {
    DCMKIT_LOG_ERROR(app.logger(), "dcm2xml: error writing to file: " << output);
    return kExitWriteError;
  }
  return ofstd::kExitNoError;
}

// SPDX-License-Identifier: BSD-3-Clause
// xml2dcm: convert an XML document (DCMTK's format, as dcm2xml writes it, or the PS3.19 Native
// DICOM Model, as dcm2xml -nat writes it) to a DICOM file; a drop-in replacement for DCMTK's
// xml2dcm (see docs/xml2dcm.md).
#include <filesystem>
#include <string>

#include "common/app.h"
#include "common/dcmdata_output.h"
#include "common/document_output.h"
#include "dcmkit/dcmdata/xml.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"

namespace {

using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file

const apps::OutputOptionSet kOutputOptions{
    .update_meta = true,
    .deflate = true,
    .stop_on_error = "do not write if document is invalid (default)",
    .ignore_errors = "attempt to write even if document is invalid",
};

void define_options(ofstd::CommandLine& cl) {
  cl.add_parameter("xmlfile-in", "XML input filename to be converted (stdin: \"-\")");
  cl.add_parameter("dcmfile-out", "DICOM output filename");
  cl.add_group("input options:");
  cl.add_subgroup("input file format:");
  cl.add_option("+f", "--read-meta-info", "read meta information if present (default)");
  cl.add_option("-f", "--ignore-meta-info", "ignore file meta information");
  cl.add_group("processing options:");
  cl.add_subgroup("validation:");
  cl.add_option("+Vd", "--validate-document", "validate XML document against DTD");
  cl.add_option("+Vn", "--check-namespace", "check XML namespace in document root");
  cl.add_subgroup("unique identifiers:");
  cl.add_option("+Ug", "--generate-new-uids", "generate new Study/Series/SOP Instance UID");
  cl.add_option("-Uo", "--dont-overwrite-uids", "do not overwrite existing UIDs (default)");
  cl.add_option("+Uo", "--overwrite-uids", "overwrite existing UIDs");
  apps::add_output_options(cl, kOutputOptions);
}

}  // namespace

int main(int argc, char** argv) {
  App app("xml2dcm", "Convert XML document to DICOM file or data set");
  define_options(app.command_line());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();

  auto output = apps::output_choice(args, kOutputOptions);
  if (!output) return app.usage_error(output.error());
  const std::string& input = args.param(0);
  const std::string& output_path = args.param(1);

  auto document_text = apps::DocumentText::read(input);
  if (!document_text) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     "could not parse document: " + input + ": " + document_text.error().message());
  }

  dcmdata::XmlReadOptions read;
  read.validate = args.has("+Vd");
  read.check_namespace = args.has("+Vn");
  read.read_meta = args.last_of({"+f", "-f"}) != "-f";
  read.ignore_errors = args.last_of({"-E", "+E"}) == "+E";
  // <BulkData uri="..."> (Native model, as dcm2xml -nat +Wb writes it): a relative file name,
  // resolved in the document's directory.
  const std::filesystem::path directory =
      input == "-" ? std::filesystem::path(".") : std::filesystem::path(input).parent_path();
  read.bulk_data_loader = [directory](std::string_view uri) {
    return apps::load_relative_bulk_data(directory, uri, "BulkData uri");
  };
  DCMKIT_LOG_INFO(app.logger(), "reading XML input file: " << input);
  auto document = dcmdata::read_xml(document_text->text(), read);
  if (!document) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError, "cannot read invalid document: " + input +
                                                             ": " + document.error().to_string());
  }
  for (const std::string& note : document->notes) DCMKIT_LOG_WARN(app.logger(), note);
  const apps::DocumentWriteStyle style{.document_transfer_syntax = document->transfer_syntax_uid};
  return apps::write_document(app, *output, std::move(document->meta), document->data, output_path,
                              style);
}

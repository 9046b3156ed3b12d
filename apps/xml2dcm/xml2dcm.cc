// SPDX-License-Identifier: BSD-3-Clause
// xml2dcm: convert an XML document (DCMTK's format, as dcm2xml writes it, or the PS3.19 Native
// DICOM Model, as dcm2xml -nat writes it) to a DICOM file; a drop-in replacement for DCMTK's
// xml2dcm (see docs/xml2dcm.md).
#include <filesystem>
#include <string>

#include "common/app.h"
#include "common/document_output.h"
#include "dcmkit/dcmdata/xml.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"

namespace {

using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file

void define_options(ofstd::CommandLine& cl) {
  apps::add_document_input_options(cl, "xmlfile-in",
                                   "XML input filename to be converted (stdin: \"-\")");
  cl.add_group("processing options:");
  cl.add_subgroup("validation:");
  cl.add_option("+Vd", "--validate-document", "validate XML document against DTD");
  cl.add_option("+Vn", "--check-namespace", "check XML namespace in document root");
  apps::add_document_output_options(cl, apps::kDocumentOutputOptions);
}

}  // namespace

int main(int argc, char** argv) {
  App app("xml2dcm", "Convert XML document to DICOM file or data set");
  define_options(app.command_line());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();

  auto job = apps::document_job(args, apps::kDocumentOutputOptions);
  if (!job) return app.usage_error(job.error());
  const std::string& input = job->input;

  auto document_text = apps::DocumentText::read(input);
  if (!document_text) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     "could not parse document: " + input + ": " + document_text.error().message());
  }

  dcmdata::XmlReadOptions read;
  read.validate = args.has("+Vd");
  read.check_namespace = args.has("+Vn");
  read.read_meta = job->read_meta;
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
  return apps::write_document(app, *job, std::move(document->meta), document->data, style);
}

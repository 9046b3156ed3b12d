// SPDX-License-Identifier: BSD-3-Clause
// json2dcm: convert a DICOM JSON Model document (PS3.18 Annex F) to a DICOM file. DCMTK 3.6.7
// has no json2dcm; the options follow its xml2dcm, plus what JSON needs (bulk data, non-finite
// numbers). See docs/json2dcm.md.
#include <filesystem>
#include <string>

#include "common/app.h"
#include "common/document_output.h"
#include "dcmkit/dcmdata/json.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"

namespace {

using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file

void define_options(ofstd::CommandLine& cl) {
  apps::add_document_input_options(cl, "jsonfile-in",
                                   "JSON input filename to be converted (stdin: \"-\")");
  cl.add_subgroup("bulk data:");
  cl.add_option("+B", "--bulk-data-dir",
                "[d]irectory: string (default: that of jsonfile-in)\n"
                "resolve relative BulkDataURIs in directory d",
                1);
  cl.add_option("-B", "--no-bulk-data", "reject documents with BulkDataURIs");
  cl.add_group("processing options:");
  cl.add_subgroup("decoding of infinity and not-a-number:");
  cl.add_option("-es", "--decode-strict", "reject 'inf' and 'nan' (default)");
  cl.add_option("-ee", "--decode-extended", "accept 'inf' and 'nan' (as dcm2json -ee writes)");
  apps::add_document_output_options(cl, apps::kDocumentOutputOptions);
}

}  // namespace

int main(int argc, char** argv) {
  App app("json2dcm", "Convert JSON document to DICOM file or data set");
  define_options(app.command_line());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();

  auto job = apps::document_job(args, apps::kDocumentOutputOptions);
  if (!job) return app.usage_error(job.error());
  const std::string& input = job->input;

  auto document_text = apps::DocumentText::read(input);
  if (!document_text) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError, document_text.error().to_string());
  }

  dcmdata::JsonReadOptions read;
  read.allow_non_finite = args.last_of({"-es", "-ee"}) == "-ee";
  if (args.last_of({"+B", "-B"}) != "-B") {
    std::filesystem::path directory;
    if (const auto given = args.value("+B")) {
      directory = *given;
    } else if (input != "-") {
      directory = std::filesystem::path(input).parent_path();
    } else {
      directory = ".";
    }
    read.bulk_data_loader = [directory](std::string_view uri) {
      // "file:name", "file:sub/name" or a bare relative path, relative to `directory`.
      return apps::load_relative_bulk_data(directory, uri, "BulkDataURI",
                                           "see json2dcm --help: +B");
    };
  }
  DCMKIT_LOG_INFO(app.logger(), "reading JSON document " << input);
  auto document = dcmdata::read_json(document_text->text(), read);
  if (!document) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     "could not read document: " + input + ": " + document.error().to_string());
  }
  const apps::DocumentWriteStyle style{
      .encapsulated_hint =
          " (the document names no compressed transfer syntax; write it with dcm2json +m)"};
  return apps::write_document(app, *job, std::move(document->meta), document->data, style);
}

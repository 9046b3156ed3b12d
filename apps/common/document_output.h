// SPDX-License-Identifier: BSD-3-Clause
// What the programs that turn a text document into a DICOM file share (dump2dcm, json2dcm,
// xml2dcm): their parameters and common options (+f/-f, the unique identifiers, the output
// group), reading the document from a file or standard input, loading the bulk data files it
// names, and the whole writing end (+Ug, the output transfer syntax, the meta information and
// the file itself), so that the three behave alike.
//
//   apps::add_document_input_options(cl, "jsonfile-in", "JSON input filename ...");
//   ... program's own input subgroups; cl.add_group("processing options:"); its subgroups ...
//   apps::add_document_output_options(cl, apps::kDocumentOutputOptions);
//   ...
//   auto job = apps::document_job(app.args(), apps::kDocumentOutputOptions);
//   if (!job) return app.usage_error(job.error());
//   ... read job->input into meta and data ...
//   return apps::write_document(app, *job, std::move(meta), data);
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/app.h"
#include "common/dcmdata_output.h"
#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/ofstd/command_line.h"
#include "dcmkit/ofstd/mapped_file.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::apps {

/// The output group of json2dcm and xml2dcm ("document is invalid"); dump2dcm words its own.
extern const OutputOptionSet kDocumentOutputOptions;

/// Adds the parameters (`input_name` with `input_help`, then "dcmfile-out") and the "input
/// options:" group with its "input file format:" subgroup (+f, -f); a program adds its own
/// input subgroups after it.
void add_document_input_options(ofstd::CommandLine& cl, std::string_view input_name,
                                std::string_view input_help);

/// Adds the "unique identifiers:" subgroup (+Ug, -Uo, +Uo) to the current group (the program's
/// "processing options:"), then DCMTK's "output options:" group as `set` words it.
void add_document_output_options(ofstd::CommandLine& cl, const OutputOptionSet& set);

/// What the command line of a document program asks for.
struct DocumentJob {
  std::string input;        ///< the document's file name ("-": standard input)
  std::string output_path;  ///< the DICOM file to write
  bool read_meta = true;    ///< +f (default): the document's meta information is used; -f not
  OutputChoice output;
};

/// The job the parsed command line describes; InvalidArgument (DCMTK's wording) for bad output
/// option values, as output_choice().
ofstd::Result<DocumentJob> document_job(const ofstd::ParsedCommandLine& args,
                                        const OutputOptionSet& set);

/// A document's text: a mapped file, or what standard input held ("-").
class DocumentText {
 public:
  /// Reads `input` ("-": standard input); the error names the file.
  static ofstd::Result<DocumentText> read(const std::string& input);

  [[nodiscard]] std::string_view text() const noexcept;

 private:
  std::string from_stdin_;
  std::shared_ptr<const ofstd::MappedFile> mapped_;
};

/// The bytes of a bulk data file a document names by `uri`: only a relative file name
/// (a "file:" prefix is allowed) without "..", resolved in `directory`, so that a document
/// from elsewhere cannot copy arbitrary local files into its output. `label` names the
/// reference in messages ("BulkDataURI"); `hint` (may be empty) is added to a refusal.
ofstd::Result<dcmdata::SharedBytes> load_relative_bulk_data(const std::filesystem::path& directory,
                                                            std::string_view uri,
                                                            std::string_view label,
                                                            std::string_view hint = {});

/// How one program words the writing end.
struct DocumentWriteStyle {
  /// The transfer syntax UID the document itself names outside its meta information
  /// (xml2dcm's data set attribute); empty if none. Preferred over the meta's.
  std::string_view document_transfer_syntax = {};
  /// Added to the refusal to write encapsulated pixel data in a native transfer syntax.
  std::string_view encapsulated_hint = {};
};

/// The writing end of dump2dcm, json2dcm and xml2dcm: +Ug/+Uo new UIDs; the transfer syntax
/// (asked for, else the document's, else explicit VR little endian with DCMTK's warning); the
/// meta information (the document's `meta` unless -f, completed, naming dcmkit as the
/// implementation that wrote the file, as DCMTK's programs name themselves); then the file
/// `job.output_path`. Returns the program's exit code.
int write_document(const App& app, const DocumentJob& job, dcmdata::DataSet meta,
                   dcmdata::DataSet& data, const DocumentWriteStyle& style = {});

}  // namespace dcmkit::apps

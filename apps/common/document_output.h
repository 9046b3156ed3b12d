// SPDX-License-Identifier: BSD-3-Clause
// What the programs that turn a text document into a DICOM file share (dump2dcm, json2dcm,
// xml2dcm): reading the document from a file or standard input, loading the bulk data files
// it names, and the whole writing end (+Ug, the output transfer syntax, the meta information
// and the file itself), so that the three behave alike.
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
/// meta information (naming dcmkit as the implementation that wrote the file, as DCMTK's
/// programs name themselves); then the file. Returns the program's exit code.
int write_document(const App& app, const OutputChoice& output, dcmdata::DataSet meta,
                   dcmdata::DataSet& data, const std::string& output_path,
                   const DocumentWriteStyle& style = {});

}  // namespace dcmkit::apps

// SPDX-License-Identifier: BSD-3-Clause
// json2dcm: convert a DICOM JSON Model document (PS3.18 Annex F) to a DICOM file. DCMTK 3.6.7
// has no json2dcm; the options follow its xml2dcm, plus what JSON needs (bulk data, non-finite
// numbers). See docs/json2dcm.md.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <string>

#include "common/app.h"
#include "common/dcmdata_output.h"
#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/json.h"
#include "dcmkit/dcmdata/writer.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"
#include "dcmkit/ofstd/mapped_file.h"

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
  cl.add_parameter("jsonfile-in", "JSON input filename to be converted (stdin: \"-\")");
  cl.add_parameter("dcmfile-out", "DICOM output filename");
  cl.add_group("input options:");
  cl.add_subgroup("input file format:");
  cl.add_option("+f", "--read-meta-info", "read meta information if present (default)");
  cl.add_option("-f", "--ignore-meta-info", "ignore file meta information");
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
  cl.add_subgroup("unique identifiers:");
  cl.add_option("+Ug", "--generate-new-uids", "generate new Study/Series/SOP Instance UID");
  cl.add_option("-Uo", "--dont-overwrite-uids", "do not overwrite existing UIDs (default)");
  cl.add_option("+Uo", "--overwrite-uids", "overwrite existing UIDs");
  apps::add_output_options(cl, kOutputOptions);
}

// A BulkDataURI names a file relative to `directory`: "file:name", "file:sub/name" or a bare
// relative path. Absolute paths, "..", and other schemes are refused, so that a document cannot
// pull arbitrary local files into its output.
ofstd::Result<dcmdata::SharedBytes> load_bulk_data(const std::filesystem::path& directory,
                                                   std::string_view uri) {
  std::string_view path = uri;
  if (path.substr(0, 5) == "file:") path.remove_prefix(5);
  const std::filesystem::path relative(path);
  bool refused = path.empty() || relative.is_absolute() || path.find(':') != std::string::npos;
  for (const auto& part : relative) {
    if (part == "..") refused = true;
  }
  if (refused) {
    return ofstd::Error(ofstd::ErrorCode::Unsupported,
                        "BulkDataURI \"" + std::string(uri.substr(0, 200)) +
                            "\" is not a relative file name (see json2dcm --help: +B)");
  }
  auto mapped = ofstd::open_shared(directory / relative);
  if (!mapped) {
    return std::move(mapped).error().with_context("BulkDataURI \"" + std::string(uri) + "\"");
  }
  const auto bytes = (*mapped)->bytes();
  return dcmdata::SharedBytes(*mapped, bytes);
}

}  // namespace

int main(int argc, char** argv) {
  App app("json2dcm", "Convert JSON document to DICOM file or data set");
  define_options(app.command_line());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();

  auto output = apps::output_choice(args, kOutputOptions);
  if (!output) return app.usage_error(output.error());
  const std::string& input = args.param(0);
  const std::string& output_path = args.param(1);

  // The document: a mapped file, or standard input.
  std::string from_stdin;
  std::shared_ptr<const ofstd::MappedFile> mapped;
  std::string_view text;
  if (input == "-") {
    from_stdin.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    text = from_stdin;
  } else {
    auto opened = ofstd::open_shared(input);
    if (!opened) {
      return app.fatal(ofstd::kExitCommandLineSyntaxError,
                       opened.error().message() + ": reading file: " + input);
    }
    mapped = *opened;
    const auto bytes = mapped->bytes();
    text = std::string_view(reinterpret_cast<const char*>(bytes.data()),  // NOLINT
                            bytes.size());
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
      return load_bulk_data(directory, uri);
    };
  }
  DCMKIT_LOG_INFO(app.logger(), "reading JSON document " << input);
  auto document = dcmdata::read_json(text, read);
  if (!document) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     "could not read document: " + input + ": " + document.error().to_string());
  }
  dcmdata::DataSet meta;
  if (args.last_of({"+f", "-f"}) != "-f") meta = std::move(document->meta);
  dcmdata::DataSet& data = document->data;

  if (args.has("+Ug")) {
    auto generated = apps::generate_uids(data, args.last_of({"-Uo", "+Uo"}) == "+Uo", &meta);
    if (!generated) {
      return app.fatal(ofstd::kExitCommandLineSyntaxError, generated.error().to_string());
    }
  }

  // Transfer syntax: asked for, else the one the meta information names, else explicit little.
  dcmdata::TransferSyntax ts = dcmdata::explicit_vr_little_endian();
  if (output->transfer_syntax) {
    ts = *output->transfer_syntax;
  } else if (const dcmdata::Element* uid = meta.find(dcmdata::tags::TransferSyntaxUID)) {
    std::string_view text_uid = uid->bytes().chars();
    while (!text_uid.empty() && (text_uid.back() == '\0' || text_uid.back() == ' ')) {
      text_uid.remove_suffix(1);
    }
    ts = dcmdata::TransferSyntax::lookup_or_unknown(text_uid);
  } else {
    DCMKIT_LOG_WARN(app.logger(), "output transfer syntax unknown, assuming --write-xfer-little");
  }
  const dcmdata::Element* pixels = data.find(dcmdata::tags::PixelData);
  if (pixels != nullptr && pixels->is_encapsulated() && !ts.is_encapsulated()) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     "encapsulated pixel data cannot be written in " + std::string(ts.name()) +
                         " (the document names no compressed transfer syntax; write it with "
                         "dcm2json +m)");
  }

  auto out_meta = apps::output_meta(output->meta, meta, data, ts);
  if (!out_meta) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     out_meta.error().message() + ": writing file: " + output_path);
  }
  DCMKIT_LOG_INFO(app.logger(), "writing DICOM output file " << output_path);
  auto written = dcmdata::write_file(output_path, *out_meta, data, ts, output->write);
  if (!written) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     written.error().message() + ": writing file: " + output_path);
  }
  return ofstd::kExitNoError;
}

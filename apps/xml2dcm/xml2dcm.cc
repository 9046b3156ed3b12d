// SPDX-License-Identifier: BSD-3-Clause
// xml2dcm: convert an XML document (DCMTK's format, as dcm2xml writes it, or the PS3.19 Native
// DICOM Model, as dcm2xml -nat writes it) to a DICOM file; a drop-in replacement for DCMTK's
// xml2dcm (see docs/xml2dcm.md).
#include <filesystem>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>

#include "common/app.h"
#include "common/dcmdata_output.h"
#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/writer.h"
#include "dcmkit/dcmdata/xml.h"
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

std::string_view trimmed_uid(std::string_view uid) {
  while (!uid.empty() && (uid.back() == '\0' || uid.back() == ' ')) uid.remove_suffix(1);
  return uid;
}

// The bytes of a BulkData URI: only a relative file name ("file:" allowed) without "..", so
// that a document from elsewhere cannot copy arbitrary local files into its output.
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
    return ofstd::Error(
        ofstd::ErrorCode::Unsupported,
        "BulkData uri \"" + std::string(uri.substr(0, 200)) + "\" is not a relative file name");
  }
  auto mapped = ofstd::open_shared(directory.empty() ? relative : directory / relative);
  if (!mapped) {
    return std::move(mapped).error().with_context("BulkData uri \"" + std::string(uri) + "\"");
  }
  const auto bytes = (*mapped)->bytes();
  return dcmdata::SharedBytes(*mapped, bytes);
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
                       "could not parse document: " + input + ": " + opened.error().message());
    }
    mapped = *opened;
    const auto bytes = mapped->bytes();
    text = std::string_view(reinterpret_cast<const char*>(bytes.data()),  // NOLINT
                            bytes.size());
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
    return load_bulk_data(directory, uri);
  };
  DCMKIT_LOG_INFO(app.logger(), "reading XML input file: " << input);
  auto document = dcmdata::read_xml(text, read);
  if (!document) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError, "cannot read invalid document: " + input +
                                                             ": " + document.error().to_string());
  }
  for (const std::string& note : document->notes) DCMKIT_LOG_WARN(app.logger(), note);
  dcmdata::DataSet meta = std::move(document->meta);
  dcmdata::DataSet& data = document->data;

  if (args.has("+Ug")) {
    auto generated = apps::generate_uids(data, args.last_of({"-Uo", "+Uo"}) == "+Uo", &meta);
    if (!generated) {
      return app.fatal(ofstd::kExitCommandLineSyntaxError, generated.error().to_string());
    }
  }

  // Transfer syntax: asked for, else the one the document names (the data set's xfer, else the
  // meta information's), else explicit VR little endian (with DCMTK's warning).
  dcmdata::TransferSyntax ts = dcmdata::explicit_vr_little_endian();
  const dcmdata::Element* meta_uid = meta.find(dcmdata::tags::TransferSyntaxUID);
  if (output->transfer_syntax) {
    ts = *output->transfer_syntax;
  } else if (!trimmed_uid(document->transfer_syntax_uid).empty()) {
    ts = dcmdata::TransferSyntax::lookup_or_unknown(trimmed_uid(document->transfer_syntax_uid));
  } else if (meta_uid != nullptr && !trimmed_uid(meta_uid->bytes().chars()).empty()) {
    ts = dcmdata::TransferSyntax::lookup_or_unknown(trimmed_uid(meta_uid->bytes().chars()));
  } else {
    DCMKIT_LOG_WARN(app.logger(), "output transfer syntax unknown, assuming --write-xfer-little");
  }
  const dcmdata::Element* pixels = data.find(dcmdata::tags::PixelData);
  if (pixels != nullptr && pixels->is_encapsulated() && !ts.is_encapsulated()) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     "encapsulated pixel data cannot be written in " + std::string(ts.name()));
  }

  auto out_meta = apps::output_meta(output->meta, meta, data, ts);
  if (!out_meta) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     out_meta.error().message() + ": writing file: " + output_path);
  }
  // As DCMTK's xml2dcm does, the written file names the program that wrote it.
  if (!out_meta->empty()) {
    ofstd::Status named = out_meta->set_uid(dcmdata::tags::ImplementationClassUID,
                                            dcmdata::Uid(dcmdata::kImplementationClassUid.data()));
    if (named) {
      named = out_meta->set_string(dcmdata::tags::ImplementationVersionName, dcmdata::VR::SH,
                                   dcmdata::kImplementationVersionName);
    }
    if (!named) {
      return app.fatal(ofstd::kExitCommandLineSyntaxError,
                       named.error().message() + ": writing file: " + output_path);
    }
  }
  DCMKIT_LOG_INFO(app.logger(), "writing DICOM output file: " << output_path);
  auto written = dcmdata::write_file(output_path, *out_meta, data, ts, output->write);
  if (!written) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     written.error().message() + ": writing file: " + output_path);
  }
  return ofstd::kExitNoError;
}

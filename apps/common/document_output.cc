// SPDX-License-Identifier: BSD-3-Clause
#include "common/document_output.h"

#include <iostream>
#include <iterator>
#include <utility>

#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/writer.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"

namespace dcmkit::apps {
namespace {

std::string_view trimmed_uid(std::string_view uid) {
  while (!uid.empty() && (uid.back() == '\0' || uid.back() == ' ')) uid.remove_suffix(1);
  return uid;
}

}  // namespace

const OutputOptionSet kDocumentOutputOptions{
    .update_meta = true,
    .deflate = true,
    .stop_on_error = "do not write if document is invalid (default)",
    .ignore_errors = "attempt to write even if document is invalid",
};

void add_document_input_options(ofstd::CommandLine& cl, std::string_view input_name,
                                std::string_view input_help) {
  cl.add_parameter(std::string(input_name), std::string(input_help));
  cl.add_parameter("dcmfile-out", "DICOM output filename");
  cl.add_group("input options:");
  cl.add_subgroup("input file format:");
  cl.add_option("+f", "--read-meta-info", "read meta information if present (default)");
  cl.add_option("-f", "--ignore-meta-info", "ignore file meta information");
}

void add_document_output_options(ofstd::CommandLine& cl, const OutputOptionSet& set) {
  cl.add_subgroup("unique identifiers:");
  cl.add_option("+Ug", "--generate-new-uids", "generate new Study/Series/SOP Instance UID");
  cl.add_option("-Uo", "--dont-overwrite-uids", "do not overwrite existing UIDs (default)");
  cl.add_option("+Uo", "--overwrite-uids", "overwrite existing UIDs");
  add_output_options(cl, set);
}

ofstd::Result<DocumentJob> document_job(const ofstd::ParsedCommandLine& args,
                                        const OutputOptionSet& set) {
  DCMKIT_ASSIGN_OR_RETURN(OutputChoice output, output_choice(args, set));
  DocumentJob job;
  job.input = args.param(0);
  job.output_path = args.param(1);
  job.read_meta = args.last_of({"+f", "-f"}) != "-f";
  job.output = std::move(output);
  return job;
}

ofstd::Result<DocumentText> DocumentText::read(const std::string& input) {
  DocumentText document;
  if (input == "-") {
    document.from_stdin_.assign(std::istreambuf_iterator<char>(std::cin),
                                std::istreambuf_iterator<char>());
    return document;
  }
  auto opened = ofstd::open_shared(input);
  if (!opened) return std::move(opened).error().with_context("reading file: " + input);
  document.mapped_ = std::move(*opened);
  return document;
}

std::string_view DocumentText::text() const noexcept {
  if (!mapped_) return from_stdin_;
  const auto bytes = mapped_->bytes();
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};  // NOLINT: text file
}

ofstd::Result<dcmdata::SharedBytes> load_relative_bulk_data(const std::filesystem::path& directory,
                                                            std::string_view uri,
                                                            std::string_view label,
                                                            std::string_view hint) {
  std::string_view path = uri;
  if (path.substr(0, 5) == "file:") path.remove_prefix(5);
  const std::filesystem::path relative(path);
  bool refused = path.empty() || relative.is_absolute() || path.find(':') != std::string::npos;
  for (const auto& part : relative) {
    if (part == "..") refused = true;
  }
  if (refused) {
    std::string message = std::string(label) + " \"" + std::string(uri.substr(0, 200)) +
                          "\" is not a relative file name";
    if (!hint.empty()) message += " (" + std::string(hint) + ")";
    return ofstd::Error(ofstd::ErrorCode::Unsupported, message);
  }
  auto mapped = ofstd::open_shared(directory.empty() ? relative : directory / relative);
  if (!mapped) {
    return std::move(mapped).error().with_context(std::string(label) + " \"" + std::string(uri) +
                                                  "\"");
  }
  const auto bytes = (*mapped)->bytes();
  return dcmdata::SharedBytes(*mapped, bytes);
}

int write_document(const App& app, const DocumentJob& job, dcmdata::DataSet meta,
                   dcmdata::DataSet& data, const DocumentWriteStyle& style) {
  const ofstd::ParsedCommandLine& args = app.args();
  const OutputChoice& output = job.output;
  const std::string& output_path = job.output_path;
  if (!job.read_meta) meta = {};
  if (args.has("+Ug")) {
    auto generated = generate_uids(data, args.last_of({"-Uo", "+Uo"}) == "+Uo", &meta);
    if (!generated) {
      return app.fatal(ofstd::kExitCommandLineSyntaxError, generated.error().to_string());
    }
  }

  dcmdata::TransferSyntax ts = dcmdata::explicit_vr_little_endian();
  const dcmdata::Element* meta_uid = meta.find(dcmdata::tags::TransferSyntaxUID);
  if (output.transfer_syntax) {
    ts = *output.transfer_syntax;
  } else if (!trimmed_uid(style.document_transfer_syntax).empty()) {
    ts = dcmdata::TransferSyntax::lookup_or_unknown(trimmed_uid(style.document_transfer_syntax));
  } else if (meta_uid != nullptr && !trimmed_uid(meta_uid->bytes().chars()).empty()) {
    ts = dcmdata::TransferSyntax::lookup_or_unknown(trimmed_uid(meta_uid->bytes().chars()));
  } else {
    DCMKIT_LOG_WARN(app.logger(), "output transfer syntax unknown, assuming --write-xfer-little");
  }
  const dcmdata::Element* pixels = data.find(dcmdata::tags::PixelData);
  if (pixels != nullptr && pixels->is_encapsulated() && !ts.is_encapsulated()) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     "encapsulated pixel data cannot be written in " + std::string(ts.name()) +
                         std::string(style.encapsulated_hint));
  }

  auto out_meta = output_meta(output.meta, meta, data, ts);
  if (!out_meta) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     out_meta.error().message() + ": writing file: " + output_path);
  }
  // The file names the program that wrote it, not the one named in the document.
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
  auto written = dcmdata::write_file(output_path, *out_meta, data, ts, output.write);
  if (!written) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     written.error().message() + ": writing file: " + output_path);
  }
  return ofstd::kExitNoError;
}

}  // namespace dcmkit::apps

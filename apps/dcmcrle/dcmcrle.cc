// SPDX-License-Identifier: BSD-3-Clause
// dcmcrle: compress the pixel data of a DICOM file with RLE Lossless (PS3.5 Annex G); a drop-in
// replacement for DCMTK's dcmcrle (see docs/dcmcrle.md).
#include <string>

#include "common/app.h"
#include "common/dcmdata_blocks.h"
#include "common/dcmdata_options.h"
#include "dcmkit/dcmdata/codec.h"
#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dict/uids.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/writer.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"

namespace {

using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file

void define_options(ofstd::CommandLine& cl) {
  cl.add_parameter("dcmfile-in", "DICOM input filename to be converted");
  cl.add_parameter("dcmfile-out", "DICOM output filename");
  cl.add_group("input options:");
  apps::add_input_format_options(cl, true);
  cl.add_group("encapsulated pixel data encoding options:");
  cl.add_subgroup("pixel data fragmentation:");
  cl.add_option("+ff", "--fragment-per-frame", "encode each frame as one fragment (default)");
  cl.add_option("+fs", "--fragment-size",
                "[s]ize: integer\n"
                "limit fragment size to s kbytes (non-standard)",
                1);
  cl.add_subgroup("basic offset table encoding:");
  cl.add_option("+ot", "--offset-table-create", "create offset table (default)");
  cl.add_option("-ot", "--offset-table-empty", "leave offset table empty");
  cl.add_subgroup("SOP Class UID:");
  cl.add_option("+cd", "--class-default", "keep SOP Class UID (default)");
  cl.add_option("+cs", "--class-sc",
                "convert to Secondary Capture Image\n"
                "(implies --uid-always)");
  cl.add_subgroup("SOP Instance UID:");
  cl.add_option("+un", "--uid-never", "never assign new UID (default)");
  cl.add_option("+ua", "--uid-always", "always assign new UID");
  cl.add_group("output options:");
  apps::add_new_vr_options(cl);
  apps::add_group_length_options(cl);
  apps::add_length_options(cl);
  apps::add_padding_options(cl, apps::PaddingHelp::Plain);
}

}  // namespace

int main(int argc, char** argv) {
  App app("dcmcrle", "Encode DICOM file to RLE transfer syntax");
  define_options(app.command_line());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();
  dcmdata::register_rle_codec();

  const dcmdata::ReadOptions read_options = apps::input_format_options(args, true);
  auto write = apps::write_options(args);
  if (!write) return app.usage_error(write.error());
  dcmdata::TranscodeOptions transcode;
  if (args.last_of({"+ff", "+fs"}) == "+fs") {
    auto kbytes = args.value_as_int("+fs", ofstd::IntBounds::at_least(1));
    if (!kbytes) return app.usage_error(kbytes.error());
    transcode.encode.max_fragment_size = static_cast<std::uint64_t>(*kbytes) * 1024;
  }
  transcode.encode.create_offset_table = args.last_of({"+ot", "-ot"}) != "-ot";
  transcode.convert_to_secondary_capture = args.last_of({"+cd", "+cs"}) == "+cs";
  transcode.new_instance = args.last_of({"+un", "+ua"}) == "+ua"
                               ? dcmdata::NewInstancePolicy::Always
                               : dcmdata::NewInstancePolicy::Never;

  const std::string& input = args.param(0);
  const std::string& output = args.param(1);
  DCMKIT_LOG_INFO(app.logger(), "open input file " << input);
  auto file = apps::read_input_file(app, input, read_options);
  if (!file) return app.fatal(ofstd::kExitCommandLineSyntaxError, file.error().message());

  const dcmdata::TransferSyntax& rle =
      *dcmdata::TransferSyntax::lookup(dcmdata::uids::RLELossless.str());
  DCMKIT_LOG_INFO(app.logger(), "Convert DICOM file to compressed transfer syntax");
  auto report = dcmdata::transcode(*file, rle, transcode);
  if (!report && report.error().code() == ofstd::ErrorCode::Unsupported) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     "No conversion from " + std::string(file->transfer_syntax.name()) +
                         " to RLE Lossless possible: " + report.error().message());
  }
  if (!report) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     report.error().to_string() + ": compressing file: " + input);
  }
  for (const dcmdata::Diagnostic& diagnostic : report->diagnostics) {
    DCMKIT_LOG_WARN(app.logger(), diagnostic.to_string());
  }
  if (report->changed_pixels) {
    DCMKIT_LOG_DEBUG(app.logger(), "compression ratio " << report->compression_ratio);
  }
  DCMKIT_LOG_INFO(app.logger(), "Output transfer syntax RLE Lossless can be written");

  // As DCMTK's dcmcrle, the input's Source Application Entity Title is kept (its dcmdrle drops it).
  auto meta = dcmdata::make_file_meta(file->data, rle.uid(), apps::kept_source_ae_title(file->meta),
                                      &file->meta);
  if (!meta) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     meta.error().message() + ": writing file: " + output);
  }
  DCMKIT_LOG_INFO(app.logger(), "create output file " << output);
  auto written = dcmdata::write_file(output, *meta, file->data, rle, *write, file->preamble.span());
  if (!written) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     written.error().message() + ": writing file: " + output);
  }
  DCMKIT_LOG_INFO(app.logger(), "conversion successful");
  return ofstd::kExitNoError;
}

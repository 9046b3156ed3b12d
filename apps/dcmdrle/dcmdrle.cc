// SPDX-License-Identifier: BSD-3-Clause
// dcmdrle: decompress RLE Lossless pixel data (PS3.5 Annex G) to an uncompressed transfer
// syntax; a drop-in replacement for DCMTK's dcmdrle (see docs/dcmdrle.md).
#include <string>

#include "common/app.h"
#include "common/dcmdata_blocks.h"
#include "common/dcmdata_options.h"
#include "dcmkit/dcmdata/codec.h"
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
  apps::add_input_format_options(cl, false);
  cl.add_group("processing options:");
  cl.add_subgroup("SOP Instance UID:");
  cl.add_option("+ud", "--uid-default", "keep same SOP Instance UID (default)");
  cl.add_option("+ua", "--uid-always", "always assign new UID");
  cl.add_subgroup("RLE byte segment order:");
  cl.add_option("+bd", "--byte-order-default", "most significant byte first (default)");
  cl.add_option("+br", "--byte-order-reverse", "least significant byte first");
  cl.add_group("output options:");
  cl.add_subgroup("output file format:");
  cl.add_option("+F", "--write-file", "write file format (default)");
  cl.add_option("-F", "--write-dataset", "write data set without file meta information");
  cl.add_subgroup("output transfer syntax:");
  cl.add_option("+te", "--write-xfer-little", "write with explicit VR little endian (default)");
  cl.add_option("+tb", "--write-xfer-big", "write with explicit VR big endian TS");
  cl.add_option("+ti", "--write-xfer-implicit", "write with implicit VR little endian TS");
  apps::add_new_vr_options(cl);
  apps::add_group_length_options(cl);
  apps::add_length_options(cl);
  apps::add_padding_options(cl, apps::PaddingHelp::NotWithDataSet);
}

}  // namespace

int main(int argc, char** argv) {
  App app("dcmdrle", "Decode RLE-compressed DICOM file");
  define_options(app.command_line());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();
  dcmdata::register_rle_codec();

  const dcmdata::ReadOptions read_options = apps::input_format_options(args, false);
  const bool data_set_only = args.last_of({"+F", "-F"}) == "-F";
  auto write = apps::write_options(args, {}, data_set_only);
  if (!write) return app.usage_error(write.error());
  dcmdata::TranscodeOptions transcode;
  transcode.new_instance = args.last_of({"+ud", "+ua"}) == "+ua"
                               ? dcmdata::NewInstancePolicy::Always
                               : dcmdata::NewInstancePolicy::Never;
  transcode.decode.rle_reverse_byte_order = args.last_of({"+bd", "+br"}) == "+br";
  dcmdata::TransferSyntax ts = dcmdata::explicit_vr_little_endian();
  if (const auto choice = args.last_of({"+te", "+tb", "+ti"})) {
    if (*choice == "+tb") ts = dcmdata::explicit_vr_big_endian();
    if (*choice == "+ti") ts = dcmdata::implicit_vr_little_endian();
  }

  const std::string& input = args.param(0);
  const std::string& output = args.param(1);
  DCMKIT_LOG_INFO(app.logger(), "open input file " << input);
  auto file = apps::read_input_file(app, input, read_options);
  if (!file) return app.fatal(ofstd::kExitCommandLineSyntaxError, file.error().message());

  DCMKIT_LOG_INFO(app.logger(), "decompressing file");
  auto report = dcmdata::transcode(*file, ts, transcode);
  if (!report && report.error().code() == ofstd::ErrorCode::Unsupported) {
    return app.fatal(
        ofstd::kExitCommandLineSyntaxError,
        "input transfer syntax " + std::string(file->transfer_syntax.name()) + " not supported");
  }
  if (!report) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     report.error().to_string() + ": decompressing file: " + input);
  }
  for (const dcmdata::Diagnostic& diagnostic : report->diagnostics) {
    DCMKIT_LOG_WARN(app.logger(), diagnostic.to_string());
  }

  dcmdata::DataSet meta;
  if (!data_set_only) {
    auto made = dcmdata::make_file_meta(file->data, ts.uid(), {}, &file->meta);
    if (!made) {
      return app.fatal(ofstd::kExitCommandLineSyntaxError,
                       made.error().message() + ": writing file: " + output);
    }
    meta = std::move(*made);
  }
  DCMKIT_LOG_INFO(app.logger(), "create output file " << output);
  auto written = dcmdata::write_file(output, meta, file->data, ts, *write, file->preamble.span());
  if (!written) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     written.error().message() + ": writing file: " + output);
  }
  DCMKIT_LOG_INFO(app.logger(), "conversion successful");
  return ofstd::kExitNoError;
}

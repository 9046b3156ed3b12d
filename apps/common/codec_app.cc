// SPDX-License-Identifier: BSD-3-Clause
#include "common/codec_app.h"

#include <cstdlib>
#include <string>
#include <thread>

#include "common/dcmdata_options.h"
#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dict/uids.h"
#include "dcmkit/dcmdata/dump.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"

namespace dcmkit::apps {
std::uint32_t decode_threads() {
  if (const char* text = std::getenv("DCMKIT_THREADS")) {
    char* end = nullptr;
    const unsigned long value = std::strtoul(text, &end, 10);
    if (end != text && *end == '\0' && value < 1024) return static_cast<std::uint32_t>(value);
  }
  return 0;
}

void add_decompress_output_options(ofstd::CommandLine& cl, PaddingHelp padding_help) {
  cl.add_group("output options:");
  cl.add_subgroup("output file format:");
  cl.add_option("+F", "--write-file", "write file format (default)");
  cl.add_option("-F", "--write-dataset", "write data set without file meta information");
  cl.add_subgroup("output transfer syntax:");
  cl.add_option("+te", "--write-xfer-little", "write with explicit VR little endian (default)");
  cl.add_option("+tb", "--write-xfer-big", "write with explicit VR big endian TS");
  cl.add_option("+ti", "--write-xfer-implicit", "write with implicit VR little endian TS");
  add_new_vr_options(cl);
  add_group_length_options(cl);
  add_length_options(cl);
  add_padding_options(cl, padding_help);
}

ofstd::Result<DecompressJob> decompress_job(const ofstd::ParsedCommandLine& args) {
  DecompressJob job;
  job.read = input_format_options(args, false);
  job.data_set_only = args.last_of({"+F", "-F"}) == "-F";
  auto write = write_options(args, {}, job.data_set_only);
  if (!write) return write.error();
  job.write = *write;
  job.transcode.new_instance = args.last_of({"+ud", "+ua"}) == "+ua"
                                   ? dcmdata::NewInstancePolicy::Always
                                   : dcmdata::NewInstancePolicy::Never;
  job.transcode.decode.threads = decode_threads();
  if (const auto choice = args.last_of({"+te", "+tb", "+ti"})) {
    if (*choice == "+tb") job.target = dcmdata::explicit_vr_big_endian();
    if (*choice == "+ti") job.target = dcmdata::implicit_vr_little_endian();
  }
  return job;
}

void add_fragment_options(ofstd::CommandLine& cl) {
  cl.add_subgroup("pixel data fragmentation:");
  cl.add_option("+ff", "--fragment-per-frame", "encode each frame as one fragment (default)");
  cl.add_option("+fs", "--fragment-size",
                "[s]ize: integer\n"
                "limit fragment size to s kbytes",
                1);
  cl.add_subgroup("basic offset table encoding:");
  cl.add_option("+ot", "--offset-table-create", "create offset table (default)");
  cl.add_option("-ot", "--offset-table-empty", "leave offset table empty");
}

void add_compress_uid_options(ofstd::CommandLine& cl) {
  cl.add_subgroup("SOP Class UID:");
  cl.add_option("+cd", "--class-default", "keep SOP Class UID (default)");
  cl.add_option("+cs", "--class-sc",
                "convert to Secondary Capture Image\n"
                "(implies --uid-always)");
  cl.add_subgroup("SOP Instance UID:");
  cl.add_option("+ud", "--uid-default", "assign new UID if lossy compression (default)");
  cl.add_option("+ua", "--uid-always", "always assign new UID");
  cl.add_option("+un", "--uid-never", "never assign new UID");
}

void add_compress_output_options(ofstd::CommandLine& cl, bool singular_item_pad) {
  cl.add_group("output options:");
  add_new_vr_options(cl);
  add_group_length_options(cl);
  add_length_options(cl);
  if (!singular_item_pad) {
    add_padding_options(cl, PaddingHelp::Plain);
    return;
  }
  cl.add_subgroup("data set trailing padding:");
  cl.add_option("-p=", "--padding-retain", "do not change padding (default)");
  cl.add_option("-p", "--padding-off", "no padding");
  cl.add_option("+p", "--padding-create",
                "[f]ile-pad [i]tem-pad: integer\n"
                "align file on multiple of f bytes\n"
                "and items on multiple of i byte",
                2);
}

ofstd::Result<CompressJob> compress_job(const ofstd::ParsedCommandLine& args,
                                        std::string_view target_uid) {
  CompressJob job;
  job.read = input_format_options(args, true);
  job.target = *dcmdata::TransferSyntax::lookup(target_uid);
  DCMKIT_ASSIGN_OR_RETURN(job.write, write_options(args));
  if (args.last_of({"+ff", "+fs"}) == "+fs") {
    DCMKIT_ASSIGN_OR_RETURN(const long long kbytes,
                            args.value_as_int("+fs", ofstd::IntBounds::at_least(1)));
    job.transcode.encode.max_fragment_size = static_cast<std::uint64_t>(kbytes) * 1024;
  }
  job.transcode.encode.create_offset_table = args.last_of({"+ot", "-ot"}) != "-ot";
  job.transcode.convert_to_secondary_capture = args.last_of({"+cd", "+cs"}) == "+cs";
  if (const auto uid = args.last_of({"+ud", "+ua", "+un"})) {
    if (*uid == "+ua") job.transcode.new_instance = dcmdata::NewInstancePolicy::Always;
    if (*uid == "+un") job.transcode.new_instance = dcmdata::NewInstancePolicy::Never;
  }
  job.transcode.decode.threads = decode_threads();
  return job;
}

int run_decompress(const App& app, const DecompressJob& job) {
  const ofstd::ParsedCommandLine& args = app.args();
  const std::string& input = args.param(0);
  const std::string& output = args.param(1);
  DCMKIT_LOG_INFO(app.logger(), "reading input file " << input);
  auto file = read_input_file(app, input, job.read);
  if (!file) return app.fatal(ofstd::kExitCommandLineSyntaxError, file.error().message());
  const dcmdata::TransferSyntax& source = file->transfer_syntax;
  if (source.is_encapsulated() && job.accepts != nullptr && !job.accepts(source)) {
    (void)app.fatal(ofstd::kExitCommandLineSyntaxError,
                    "Pixel representation cannot be changed: decompressing file: " + input);
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     std::string(job.lowercase_message ? "input" : "Input") + " transfer syntax " +
                         std::string(source.name()) + " not supported");
  }
  DCMKIT_LOG_INFO(app.logger(), "decompressing file");
  dcmdata::TranscodeOptions transcode = job.transcode;
  auto report = dcmdata::transcode(*file, job.target, transcode);
  if (!report) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     report.error().to_string() + ": decompressing file: " + input);
  }
  for (const dcmdata::Diagnostic& diagnostic : report->diagnostics) {
    DCMKIT_LOG_WARN(app.logger(), diagnostic.to_string());
  }
  dcmdata::DataSet meta;
  if (!job.data_set_only) {
    auto made = dcmdata::make_file_meta(file->data, job.target.uid(),
                                        kept_source_ae_title(file->meta), &file->meta);
    if (!made) {
      return app.fatal(ofstd::kExitCommandLineSyntaxError,
                       made.error().message() + ": writing file: " + output);
    }
    meta = std::move(*made);
  }
  DCMKIT_LOG_INFO(app.logger(), "creating output file " << output);
  auto written =
      dcmdata::write_file(output, meta, file->data, job.target, job.write, file->preamble.span());
  if (!written) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     written.error().message() + ": writing file: " + output);
  }
  DCMKIT_LOG_INFO(app.logger(), "conversion successful");
  return ofstd::kExitNoError;
}

int run_compress(const App& app, const CompressJob& job) {
  const ofstd::ParsedCommandLine& args = app.args();
  const std::string& input = args.param(0);
  const std::string& output = args.param(1);
  DCMKIT_LOG_INFO(app.logger(), "reading input file " << input);
  auto file = read_input_file(app, input, job.read);
  if (!file) return app.fatal(ofstd::kExitCommandLineSyntaxError, file.error().message());
  if (file->meta.get_string(dcmdata::tags::MediaStorageSOPClassUID).value_or("") ==
      dcmdata::uids::MediaStorageDirectoryStorage.str()) {
    // A DICOMDIR's records are not images (DCMTK's compression programs refuse it too).
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     "DICOMDIR files (Media Storage Directory Storage SOP Class) cannot be "
                     "compressed!");
  }
  const dcmdata::TransferSyntax& source = file->transfer_syntax;
  if (source.is_encapsulated() && source != job.target &&
      !dcmdata::can_transcode(source, job.target)) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     "no conversion from compressed original to uncompressed transfer syntax "
                     "possible" +
                         std::string(job.exclamation));
  }
  DCMKIT_LOG_INFO(app.logger(), "converting DICOM file to compressed transfer syntax");
  dcmdata::TranscodeOptions transcode = job.transcode;
  ofstd::Status prepared;
  if (job.prepare && file->data.contains(dcmdata::tags::PixelData)) {
    prepared = job.prepare(*file, transcode);
  }
  auto report = prepared ? dcmdata::transcode(*file, job.target, transcode)
                         : ofstd::Result<dcmdata::TranscodeReport>(prepared.error());
  if (!report && (report.error().code() == ofstd::ErrorCode::Unsupported ||
                  report.error().code() == ofstd::ErrorCode::InvalidArgument)) {
    DCMKIT_LOG_WARN(app.logger(), report.error().message());
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     "no conversion to transfer syntax " +
                         std::string(dcmdata::dcmtk_transfer_syntax_name(job.target.uid())) +
                         " possible" + std::string(job.exclamation));
  }
  if (!report) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     report.error().to_string() + ": encoding file: " + input);
  }
  for (const dcmdata::Diagnostic& diagnostic : report->diagnostics) {
    DCMKIT_LOG_WARN(app.logger(), diagnostic.to_string());
  }
  if (job.finish && report->changed_pixels) {
    if (auto status = job.finish(file->data); !status) {
      return app.fatal(ofstd::kExitCommandLineSyntaxError,
                       status.error().to_string() + ": encoding file: " + input);
    }
  }
  if (report->changed_pixels) {
    DCMKIT_LOG_DEBUG(app.logger(), "compression ratio " << report->compression_ratio);
  }
  auto meta = dcmdata::make_file_meta(file->data, job.target.uid(),
                                      kept_source_ae_title(file->meta), &file->meta);
  if (!meta) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     meta.error().message() + ": writing file: " + output);
  }
  DCMKIT_LOG_INFO(app.logger(), "creating output file " << output);
  auto written =
      dcmdata::write_file(output, *meta, file->data, job.target, job.write, file->preamble.span());
  if (!written) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     written.error().message() + ": writing file: " + output);
  }
  DCMKIT_LOG_INFO(app.logger(), "conversion successful");
  return ofstd::kExitNoError;
}

}  // namespace dcmkit::apps

// SPDX-License-Identifier: BSD-3-Clause
// dcmdjpls: decompress JPEG-LS pixel data (ITU T.87) to an uncompressed transfer syntax; a
// drop-in replacement for DCMTK's dcmdjpls (see docs/dcmdjpls.md).
#include <string>

#include "common/app.h"
#include "common/codec_app.h"
#include "common/dcmdata_blocks.h"
#include "dcmkit/dcmimage/codecs/jpeg_ls.h"
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
  cl.add_subgroup("planar configuration:");
  cl.add_option("+pr", "--planar-restore", "restore original planar configuration (default)");
  cl.add_option("+pa", "--planar-auto",
                "automatically determine planar configuration\n"
                "from SOP class and color space");
  cl.add_option("+px", "--color-by-pixel", "always store color-by-pixel");
  cl.add_option("+pl", "--color-by-plane", "always store color-by-plane");
  cl.add_subgroup("SOP Instance UID:");
  cl.add_option("+ud", "--uid-default", "keep same SOP Instance UID (default)");
  cl.add_option("+ua", "--uid-always", "always assign new UID");
  cl.add_subgroup("workaround options for incorrect JPEG-LS encodings:");
  cl.add_option("+wi", "--workaround-incpl", "enable workaround for incomplete JPEG-LS data");
  cl.add_subgroup("other processing options:");
  cl.add_option("+io", "--ignore-offsettable", "ignore offset table when decompressing");
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
  apps::add_padding_options(cl, apps::PaddingHelp::DocumentTools);
}

bool is_jpeg_ls(const dcmdata::TransferSyntax& ts) {
  return ts.uid() == "1.2.840.10008.1.2.4.80" || ts.uid() == "1.2.840.10008.1.2.4.81";
}

}  // namespace

int main(int argc, char** argv) {
  App app("dcmdjpls", "Decode JPEG-LS compressed DICOM file");
  define_options(app.command_line());
  app.add_library(dcmimage::jpeg_ls_library_version());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();

  dcmimage::JpegLsDecodeParams params;
  if (const auto choice = args.last_of({"+pr", "+pa", "+px", "+pl"})) {
    if (*choice == "+pa") params.planar = dcmimage::JpegLsPlanar::Auto;
    if (*choice == "+px") params.planar = dcmimage::JpegLsPlanar::ByPixel;
    if (*choice == "+pl") params.planar = dcmimage::JpegLsPlanar::ByPlane;
  }
  params.workaround_incomplete = args.has("+wi");
  dcmimage::register_jpeg_ls_codecs(params);

  apps::DecompressJob job;
  job.read = apps::input_format_options(args, false);
  job.data_set_only = args.last_of({"+F", "-F"}) == "-F";
  auto write = apps::write_options(args, {}, job.data_set_only);
  if (!write) return app.usage_error(write.error());
  job.write = *write;
  job.transcode.new_instance = args.last_of({"+ud", "+ua"}) == "+ua"
                                   ? dcmdata::NewInstancePolicy::Always
                                   : dcmdata::NewInstancePolicy::Never;
  // +io: frames are found from the fragments (one per frame, or by their JPEG-LS markers)
  // whether or not the offset table is used, so the option changes nothing here.
  job.transcode.decode.threads = apps::decode_threads();
  if (const auto choice = args.last_of({"+te", "+tb", "+ti"})) {
    if (*choice == "+tb") job.target = dcmdata::explicit_vr_big_endian();
    if (*choice == "+ti") job.target = dcmdata::implicit_vr_little_endian();
  }
  job.accepts = is_jpeg_ls;
  job.lowercase_message = true;
  return apps::run_decompress(app, job);
}

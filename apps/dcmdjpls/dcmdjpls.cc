// SPDX-License-Identifier: BSD-3-Clause
// dcmdjpls: decompress JPEG-LS pixel data (ITU T.87) to an uncompressed transfer syntax; a
// drop-in replacement for DCMTK's dcmdjpls (see docs/dcmdjpls.md).
#include <string>

#include "common/app.h"
#include "common/codec_app.h"
#include "common/dcmdata_blocks.h"
#include "common/decompress_options.h"
#include "dcmkit/dcmimage/codecs/jpeg_ls.h"
#include "dcmkit/ofstd/exit_codes.h"

namespace {

using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file

void define_options(ofstd::CommandLine& cl) {
  apps::add_decompress_input_options(cl);
  cl.add_group("processing options:");
  apps::add_planar_options(cl, apps::PlanarHelp::WithRestore);
  apps::add_decompress_uid_options(cl);
  cl.add_subgroup("workaround options for incorrect JPEG-LS encodings:");
  cl.add_option("+wi", "--workaround-incpl", "enable workaround for incomplete JPEG-LS data");
  cl.add_subgroup("other processing options:");
  cl.add_option("+io", "--ignore-offsettable", "ignore offset table when decompressing");
  apps::add_decompress_output_options(cl, apps::PaddingHelp::DocumentTools);
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

  // +io: frames are found from the fragments (one per frame, or by their JPEG-LS markers)
  // whether or not the offset table is used, so the option changes nothing here.
  auto job = apps::decompress_job(args);
  if (!job) return app.usage_error(job.error());
  job->accepts = is_jpeg_ls;
  job->lowercase_message = true;
  return apps::run_decompress(app, *job);
}

// SPDX-License-Identifier: BSD-3-Clause
// dcmdjpeg: decompress JPEG pixel data (ITU T.81: baseline, extended, progressive, lossless) to
// an uncompressed transfer syntax; a drop-in replacement for DCMTK's dcmdjpeg (see
// docs/dcmdjpeg.md).
#include <string>

#include "common/app.h"
#include "common/codec_app.h"
#include "common/dcmdata_blocks.h"
#include "common/decompress_options.h"
#include "common/jpeg_options.h"
#include "dcmkit/dcmimage/codecs/jpeg.h"
#include "dcmkit/ofstd/exit_codes.h"

namespace {

using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file

void define_options(ofstd::CommandLine& cl) {
  apps::add_decompress_input_options(cl);
  cl.add_group("processing options:");
  cl.add_subgroup("color space conversion:");
  apps::add_jpeg_color_conversion_options(cl, "never convert YCbCr to RGB");
  apps::add_planar_options(cl, apps::PlanarHelp::AutoDefault);
  apps::add_decompress_uid_options(cl);
  cl.add_subgroup("workaround options for incorrect JPEG encodings:");
  apps::add_jpeg_workaround_options(cl);
  apps::add_decompress_output_options(cl, apps::PaddingHelp::NotWithDataSet);
}

bool is_jpeg(const dcmdata::TransferSyntax& ts) {
  const std::string_view uid = ts.uid();
  return uid.substr(0, 20) == "1.2.840.10008.1.2.4." && uid.size() == 22 && uid[20] >= '5' &&
         uid[20] <= '7';
}

}  // namespace

int main(int argc, char** argv) {
  App app("dcmdjpeg", "Decode JPEG-compressed DICOM file");
  define_options(app.command_line());
  app.add_library(dcmimage::jpeg_library_version());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();

  dcmimage::JpegDecodeParams params = apps::jpeg_decode_params(args);
  if (const auto choice = args.last_of({"+pa", "+px", "+pl"})) {
    if (*choice == "+px") params.planar = dcmimage::PlanarChoice::ByPixel;
    if (*choice == "+pl") params.planar = dcmimage::PlanarChoice::ByPlane;
  }
  dcmimage::register_jpeg_codecs(params);

  auto job = apps::decompress_job(args);
  if (!job) return app.usage_error(job.error());
  job->accepts = is_jpeg;
  return apps::run_decompress(app, *job);
}

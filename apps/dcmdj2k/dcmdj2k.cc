// SPDX-License-Identifier: BSD-3-Clause
// dcmdj2k: decompress JPEG 2000 and HTJ2K pixel data (ISO 15444-1, -15) to an uncompressed
// transfer syntax, in the style of DCMTK's dcmdjpls (DCMTK has no JPEG 2000 program; see
// docs/dcmdj2k.md).
#include <string>

#include "common/app.h"
#include "common/codec_app.h"
#include "common/dcmdata_blocks.h"
#include "common/decompress_options.h"
#include "dcmkit/dcmimage/codecs/jpeg2000.h"
#include "dcmkit/ofstd/exit_codes.h"

namespace {

using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file

void define_options(ofstd::CommandLine& cl) {
  apps::add_decompress_input_options(cl);
  cl.add_group("processing options:");
  apps::add_planar_options(cl, apps::PlanarHelp::WithRestore);
  apps::add_decompress_uid_options(cl);
  apps::add_decompress_output_options(cl, apps::PaddingHelp::DocumentTools);
}

bool is_jpeg2000(const dcmdata::TransferSyntax& ts) {
  const std::string_view uid = ts.uid();
  return uid == "1.2.840.10008.1.2.4.90" || uid == "1.2.840.10008.1.2.4.91" ||
         uid == "1.2.840.10008.1.2.4.201" || uid == "1.2.840.10008.1.2.4.202" ||
         uid == "1.2.840.10008.1.2.4.203";
}

}  // namespace

int main(int argc, char** argv) {
  App app("dcmdj2k", "Decode JPEG 2000 compressed DICOM file");
  define_options(app.command_line());
  app.add_library(dcmimage::jpeg2000_library_version());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();

  dcmimage::Jpeg2000DecodeParams params;
  if (const auto choice = args.last_of({"+pr", "+pa", "+px", "+pl"})) {
    if (*choice == "+pa") params.planar = dcmimage::Jpeg2000Planar::Auto;
    if (*choice == "+px") params.planar = dcmimage::Jpeg2000Planar::ByPixel;
    if (*choice == "+pl") params.planar = dcmimage::Jpeg2000Planar::ByPlane;
  }
  dcmimage::register_jpeg2000_codecs(params);

  auto job = apps::decompress_job(args);
  if (!job) return app.usage_error(job.error());
  job->accepts = is_jpeg2000;
  job->lowercase_message = true;
  return apps::run_decompress(app, *job);
}

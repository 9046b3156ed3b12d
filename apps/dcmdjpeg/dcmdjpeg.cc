// SPDX-License-Identifier: BSD-3-Clause
// dcmdjpeg: decompress JPEG pixel data (ITU T.81: baseline, extended, progressive, lossless) to
// an uncompressed transfer syntax; a drop-in replacement for DCMTK's dcmdjpeg (see
// docs/dcmdjpeg.md).
#include <string>

#include "common/app.h"
#include "common/codec_app.h"
#include "common/dcmdata_blocks.h"
#include "dcmkit/dcmimage/codecs/jpeg.h"
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
  cl.add_subgroup("color space conversion:");
  cl.add_option("+cp", "--conv-photometric", "convert if YCbCr photometric interpr. (default)");
  cl.add_option("+cl", "--conv-lossy", "convert YCbCr to RGB if lossy JPEG");
  cl.add_option("+cg", "--conv-guess", "convert to RGB if YCbCr is guessed by library");
  cl.add_option("+cgl", "--conv-guess-lossy",
                "convert to RGB if lossy JPEG and YCbCr is\n"
                "guessed by the underlying JPEG library");
  cl.add_option("+ca", "--conv-always", "always convert YCbCr to RGB");
  cl.add_option("+cn", "--conv-never", "never convert YCbCr to RGB");
  cl.add_subgroup("planar configuration:");
  cl.add_option("+pa", "--planar-auto",
                "automatically determine planar configuration\n"
                "from SOP class and color space (default)");
  cl.add_option("+px", "--color-by-pixel", "always store color-by-pixel");
  cl.add_option("+pl", "--color-by-plane", "always store color-by-plane");
  cl.add_subgroup("SOP Instance UID:");
  cl.add_option("+ud", "--uid-default", "keep same SOP Instance UID (default)");
  cl.add_option("+ua", "--uid-always", "always assign new UID");
  cl.add_subgroup("workaround options for incorrect JPEG encodings:");
  cl.add_option("+w6", "--workaround-pred6",
                "enable workaround for JPEG lossless images\n"
                "with overflow in predictor 6");
  cl.add_option("+wi", "--workaround-incpl", "enable workaround for incomplete JPEG data");
  cl.add_option("+wc", "--workaround-cornell",
                "enable workaround for 16-bit JPEG lossless\n"
                "Cornell images with Huffman table overflow");
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

  dcmimage::JpegDecodeParams params;
  if (const auto choice = args.last_of({"+cp", "+cl", "+cg", "+cgl", "+ca", "+cn"})) {
    if (*choice == "+cl") params.color = dcmimage::ColorConversion::Lossy;
    if (*choice == "+cg") params.color = dcmimage::ColorConversion::Guess;
    if (*choice == "+cgl") params.color = dcmimage::ColorConversion::GuessLossy;
    if (*choice == "+ca") params.color = dcmimage::ColorConversion::Always;
    if (*choice == "+cn") params.color = dcmimage::ColorConversion::Never;
  }
  if (const auto choice = args.last_of({"+pa", "+px", "+pl"})) {
    if (*choice == "+px") params.planar = dcmimage::PlanarChoice::ByPixel;
    if (*choice == "+pl") params.planar = dcmimage::PlanarChoice::ByPlane;
  }
  params.workaround_predictor6 = args.has("+w6");
  params.workaround_incomplete = args.has("+wi");
  params.workaround_cornell = args.has("+wc");
  dcmimage::register_jpeg_codecs(params);

  auto job = apps::decompress_job(args);
  if (!job) return app.usage_error(job.error());
  job->accepts = is_jpeg;
  return apps::run_decompress(app, *job);
}

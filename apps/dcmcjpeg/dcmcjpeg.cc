// SPDX-License-Identifier: BSD-3-Clause
// dcmcjpeg: compress the pixel data of a DICOM file with JPEG (ITU T.81: lossless, baseline,
// extended, spectral selection, progressive); a drop-in replacement for DCMTK's dcmcjpeg (see
// docs/dcmcjpeg.md).
#include <string>

#include "common/app.h"
#include "common/codec_app.h"
#include "common/dcmdata_blocks.h"
#include "common/jpeg_options.h"
#include "dcmkit/dcmdata/dict/uids.h"
#include "dcmkit/dcmimage/codecs/jpeg.h"
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
  cl.add_subgroup("compatibility (ignored by +tl):");
  cl.add_option("+Ma", "--accept-acr-nema",
                "accept ACR-NEMA images without photometric\n"
                "interpretation");
  cl.add_option("+Mp", "--accept-palettes",
                "accept incorrect palette attribute tags\n"
                "(0028,111x) and (0028,121x)");
  cl.add_group("JPEG encoding options:");
  cl.add_subgroup("JPEG process:");
  cl.add_option("+e1", "--encode-lossless-sv1", "encode lossless sv1 (default)");
  cl.add_option("+el", "--encode-lossless", "encode lossless");
  cl.add_option("+eb", "--encode-baseline", "encode baseline");
  cl.add_option("+ee", "--encode-extended", "encode extended sequential");
  cl.add_option("+es", "--encode-spectral", "encode spectral selection");
  cl.add_option("+ep", "--encode-progressive", "encode progressive");
  cl.add_subgroup("lossless JPEG codec selection:");
  cl.add_option("+tl", "--true-lossless", "true lossless codec (default)");
  cl.add_option("+pl", "--pseudo-lossless", "old pseudo-lossless codec");
  cl.add_subgroup("lossless JPEG representation:");
  cl.add_option("+sv", "--selection-value",
                "[sv]: integer (1..7, default: 6)\n"
                "use selection value sv\n"
                "only with --encode-lossless",
                1);
  cl.add_option("+pt", "--point-transform",
                "[pt]: integer (0..15, default: 0)\n"
                "use point transform pt",
                1);
  cl.add_subgroup("lossy JPEG representation:");
  cl.add_option("+q", "--quality",
                "[q]: integer (0..100, default: 90)\n"
                "use quality factor q",
                1);
  cl.add_option("+sm", "--smooth",
                "[s]: integer (0..100, default: 0)\n"
                "use smoothing factor s",
                1);
  cl.add_subgroup("other JPEG options:");
  cl.add_option("+ho", "--huffman-optimize", "optimize huffman tables (default)");
  cl.add_option("-ho", "--huffman-standard", "use standard huffman tables if 8 bits/sample");
  cl.add_subgroup("compressed bits per sample (always +ba with +tl):");
  cl.add_option("+ba", "--bits-auto", "choose bits/sample automatically (default)");
  cl.add_option("+be", "--bits-force-8", "force 8 bits/sample");
  cl.add_option("+bt", "--bits-force-12", "force 12 bits/sample (not with baseline)");
  cl.add_option("+bs", "--bits-force-16", "force 16 bits/sample (lossless only)");
  cl.add_subgroup("compression color space conversion (overridden by +tl):");
  cl.add_option("+cy", "--color-ybr", "use YCbCr for color images if lossy (default)");
  cl.add_option("+cr", "--color-rgb", "use RGB for color images if lossy");
  cl.add_option("+cm", "--monochrome", "convert color images to monochrome");
  cl.add_subgroup("decompr. color space conversion (if input is compressed; always +cn with +tl):");
  apps::add_jpeg_color_conversion_options(cl, "never convert color space");
  cl.add_subgroup("decompr. workaround options for incorrect encodings (if input is compressed):");
  apps::add_jpeg_workaround_options(cl);
  cl.add_subgroup("YCbCr component subsampling (lossy JPEG only):");
  cl.add_option("+s2", "--sample-422", "4:2:2 subsampling with YBR_FULL_422 (default)");
  cl.add_subgroup("non-standard YCbCr component subsampling (lossy JPEG only):");
  cl.add_option("+s4", "--nonstd-444", "4:4:4 sampling with YBR_FULL");
  cl.add_option("+n2", "--nonstd-422-full", "4:2:2 subsampling with YBR_FULL");
  cl.add_option("+n1", "--nonstd-411-full", "4:1:1 subsampling with YBR_FULL");
  cl.add_option("+np", "--nonstd-411", "4:1:1 subsampling with YBR_FULL_422");
  cl.add_group("encapsulated pixel data encoding options:");
  apps::add_fragment_options(cl);
  cl.add_subgroup("VOI windowing for monochrome images (not with +tl):");
  cl.add_option("-W", "--no-windowing", "no VOI windowing (default)");
  cl.add_option("+Wi", "--use-window",
                "[n]umber: integer\n"
                "use the n-th VOI window from image file",
                1);
  cl.add_option("+Wl", "--use-voi-lut",
                "[n]umber: integer\n"
                "use the n-th VOI look up table from image file",
                1);
  cl.add_option("+Wm", "--min-max-window", "compute VOI window using min-max algorithm");
  cl.add_option("+Wn", "--min-max-window-n",
                "compute VOI window using min-max algorithm,\n"
                "ignoring extreme values");
  cl.add_option("+Wr", "--roi-min-max-window",
                "[l]eft [t]op [w]idth [h]eight: integer\n"
                "compute ROI window using min-max algorithm,\n"
                "region of interest is specified by l,t,w,h",
                4);
  cl.add_option("+Wh", "--histogram-window",
                "[n]umber: integer\n"
                "compute VOI window using Histogram algorithm,\n"
                "ignoring n percent",
                1);
  cl.add_option("+Ww", "--set-window",
                "[c]enter [w]idth: float\n"
                "compute VOI window using center c and width w",
                2);
  cl.add_subgroup("pixel scaling for monochrome images (-W; ignored by +tl):");
  cl.add_option("+sp", "--scaling-pixel", "scale using min/max pixel value (default)");
  cl.add_option("+sr", "--scaling-range", "scale using min/max range");
  cl.add_subgroup("rescale slope/intercept encoding for monochrome (-W; ignored by +tl):");
  cl.add_option("+ri", "--rescale-identity",
                "encode identity modality rescale (default)\n"
                "Never used for CT images");
  cl.add_option("+rm", "--rescale-map",
                "use modality rescale to scale pixel range\n"
                "Never used for XA/RF/XA Biplane images");
  apps::add_compress_uid_options(cl);
  apps::add_compress_output_options(cl);
}

}  // namespace

int main(int argc, char** argv) {
  App app("dcmcjpeg", "Encode DICOM file to JPEG transfer syntax");
  define_options(app.command_line());
  app.add_library(dcmimage::jpeg_library_version());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();

  // The process, and so the transfer syntax.
  std::string_view target_uid = dcmdata::uids::JPEGLosslessSV1.str();
  const auto process = args.last_of({"+e1", "+el", "+eb", "+ee", "+es", "+ep"});
  bool lossy = false;
  if (process) {
    if (*process == "+el") target_uid = dcmdata::uids::JPEGLossless.str();
    if (*process == "+eb") target_uid = dcmdata::uids::JPEGBaseline8Bit.str();
    if (*process == "+ee") target_uid = dcmdata::uids::JPEGExtended12Bit.str();
    if (*process == "+es") target_uid = "1.2.840.10008.1.2.4.53";
    if (*process == "+ep") target_uid = "1.2.840.10008.1.2.4.55";
    lossy = *process != "+e1" && *process != "+el";
  }
  if (auto status = args.check_dependence("+sv", "+el"); !status) {
    return app.usage_error(status.error());
  }
  if (!lossy && (args.has("+q") || args.has("+sm"))) {
    return app.usage_error(std::string(args.has("+q") ? "--quality" : "--smooth") +
                           " only allowed with lossy JPEG");
  }
  dcmimage::JpegEncodeParams encode;
  if (args.has("+sv")) {
    auto value = args.value_as_int("+sv", ofstd::IntBounds::range(1, 7));
    if (!value) return app.usage_error(value.error());
    encode.selection_value = static_cast<int>(*value);
  }
  if (args.has("+pt")) {
    auto value = args.value_as_int("+pt", ofstd::IntBounds::range(0, 15));
    if (!value) return app.usage_error(value.error());
    encode.point_transform = static_cast<int>(*value);
  }
  if (args.has("+q")) {
    auto value = args.value_as_int("+q", ofstd::IntBounds::range(0, 100));
    if (!value) return app.usage_error(value.error());
    encode.quality = static_cast<int>(*value);
  }
  if (args.has("+sm")) {
    auto value = args.value_as_int("+sm", ofstd::IntBounds::range(0, 100));
    if (!value) return app.usage_error(value.error());
    encode.smoothing = static_cast<int>(*value);
  }
  encode.optimize_huffman = args.last_of({"+ho", "-ho"}) != "-ho";
  if (const auto bits = args.last_of({"+ba", "+be", "+bt", "+bs"}); bits && lossy) {
    if (*bits == "+be") encode.bits = dcmimage::JpegBits::Force8;
    if (*bits == "+bt") encode.bits = dcmimage::JpegBits::Force12;
    if (*bits == "+bs") encode.bits = dcmimage::JpegBits::Force16;
  }
  if (const auto color = args.last_of({"+cy", "+cr", "+cm"})) {
    if (*color == "+cr") encode.color = dcmimage::JpegColorSpace::Rgb;
    if (*color == "+cm") encode.color = dcmimage::JpegColorSpace::Monochrome;
  }
  if (const auto sampling = args.last_of({"+s2", "+s4", "+n2", "+n1", "+np"})) {
    if (*sampling == "+s4") encode.subsampling = dcmimage::JpegSubsampling::Full444;
    if (*sampling == "+n2") encode.subsampling = dcmimage::JpegSubsampling::Full422;
    if (*sampling == "+n1") encode.subsampling = dcmimage::JpegSubsampling::Full411;
    if (*sampling == "+np") encode.subsampling = dcmimage::JpegSubsampling::Ybr411;
  }
  if (args.last_of({"+tl", "+pl"}) == "+pl") {
    DCMKIT_LOG_WARN(app.logger(),
                    "the pseudo-lossless codec is not provided; using the true lossless codec");
  }
  if (args.has("+Wi") || args.has("+Wl") || args.has("+Wm") || args.has("+Wn") || args.has("+Wr") ||
      args.has("+Wh") || args.has("+Ww")) {
    DCMKIT_LOG_WARN(app.logger(), "VOI windowing is not applied (pixels are encoded as stored)");
  }
  const dcmimage::JpegDecodeParams decode = apps::jpeg_decode_params(args);
  dcmdata::register_rle_codec();
  dcmimage::register_jpeg_codecs(decode, encode);

  auto job = apps::compress_job(args, target_uid);
  if (!job) return app.usage_error(job.error());
  return apps::run_compress(app, *job);
}

// SPDX-License-Identifier: BSD-3-Clause
// dcmcjpls: compress the pixel data of a DICOM file with JPEG-LS (ITU T.87: lossless and
// near-lossless); a drop-in replacement for DCMTK's dcmcjpls (see docs/dcmcjpls.md).
#include <string>

#include "common/app.h"
#include "common/codec_app.h"
#include "common/dcmdata_blocks.h"
#include "dcmkit/dcmimage/codecs/jpeg.h"
#include "dcmkit/dcmimage/codecs/jpeg_ls.h"
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
  cl.add_group("JPEG-LS encoding options:");
  cl.add_subgroup("JPEG-LS process:");
  cl.add_option("+el", "--encode-lossless", "encode JPEG-LS lossless (default)");
  cl.add_option("+en", "--encode-nearlossless", "encode JPEG-LS TS near-lossless (NEAR: 2)");
  cl.add_subgroup("JPEG-LS bit rate (near-lossless only):");
  cl.add_option("+md", "--max-deviation",
                "[d]eviation: integer (default: 2)\n"
                "defines maximum deviation for an encoded pixel",
                1);
  cl.add_subgroup("lossless compression:");
  cl.add_option("+pr", "--prefer-raw", "prefer raw encoder mode (default)");
  cl.add_option("+pc", "--prefer-cooked", "prefer cooked encoder mode ");
  cl.add_subgroup("JPEG-LS compression:");
  cl.add_option("+t1", "--threshold1",
                "[t]hreshhold: integer (default for 8 bpp: 3)\n"
                "set JPEG-LS encoding parameter threshold 1",
                1);
  cl.add_option("+t2", "--threshold2",
                "[t]hreshhold: integer (default for 8 bpp: 7)\n"
                "set JPEG-LS encoding parameter threshold 2",
                1);
  cl.add_option("+t3", "--threshold3",
                "[t]hreshhold: integer (default for 8 bpp: 21)\n"
                "set JPEG-LS encoding parameter threshold 3",
                1);
  cl.add_option("+rs", "--reset",
                "[r]eset: integer (default: 64)\n"
                "set JPEG-LS encoding parameter reset",
                1);
  cl.add_subgroup("JPEG-LS interleave:");
  cl.add_option("+il", "--interleave-line", "force line-interleaved JPEG-LS images (default)");
  cl.add_option("+is", "--interleave-sample", "force sample-interleaved JPEG-LS images");
  cl.add_option("+in", "--interleave-none", "force uninterleaved JPEG-LS images");
  cl.add_option("+iv", "--interleave-default", "use the fastest possible interleave mode");
  cl.add_subgroup("JPEG-LS padding of odd-length bitstreams:");
  cl.add_option("+ps", "--padding-standard", "pad with extended EOI marker (default)");
  cl.add_option("+pz", "--padding-zero", "pad with zero byte (non-standard)");
  cl.add_group("encapsulated pixel data encoding options:");
  apps::add_fragment_options(cl);
  apps::add_compress_uid_options(cl);
  apps::add_compress_output_options(cl, /*singular_item_pad=*/true);
}

}  // namespace

int main(int argc, char** argv) {
  App app("dcmcjpls", "Encode DICOM file to JPEG-LS transfer syntax");
  define_options(app.command_line());
  app.add_library(dcmimage::jpeg_ls_library_version());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();

  const bool near_lossless = args.last_of({"+el", "+en"}) == "+en";
  dcmimage::JpegLsEncodeParams encode;
  const auto read_int = [&](std::string_view option, ofstd::IntBounds bounds,
                            int& into) -> std::optional<int> {
    if (!args.has(option)) return std::nullopt;
    auto value = args.value_as_int(option, bounds);
    if (!value) return app.usage_error(value.error());
    into = static_cast<int>(*value);
    return std::nullopt;
  };
  if (auto failed = read_int("+md", ofstd::IntBounds::at_least(0), encode.max_deviation)) {
    return *failed;
  }
  if (auto failed = read_int("+t1", ofstd::IntBounds::at_least(0), encode.threshold1)) {
    return *failed;
  }
  if (auto failed = read_int("+t2", ofstd::IntBounds::at_least(0), encode.threshold2)) {
    return *failed;
  }
  if (auto failed = read_int("+t3", ofstd::IntBounds::at_least(0), encode.threshold3)) {
    return *failed;
  }
  if (auto failed = read_int("+rs", ofstd::IntBounds::at_least(0), encode.reset)) return *failed;
  if (const auto mode = args.last_of({"+il", "+is", "+in", "+iv"})) {
    if (*mode == "+is") encode.interleave = dcmimage::JpegLsInterleave::Sample;
    if (*mode == "+in") encode.interleave = dcmimage::JpegLsInterleave::None;
    if (*mode == "+iv") encode.interleave = dcmimage::JpegLsInterleave::Default;
  }
  encode.pad_with_zero = args.last_of({"+ps", "+pz"}) == "+pz";
  // Compressed input is decompressed first, whatever its codec.
  dcmdata::register_rle_codec();
  dcmimage::register_jpeg_codecs();
  dcmimage::register_jpeg_ls_codecs({}, encode);

  auto job =
      apps::compress_job(args, near_lossless ? "1.2.840.10008.1.2.4.81" : "1.2.840.10008.1.2.4.80");
  if (!job) return app.usage_error(job.error());
  job->exclamation = "";
  return apps::run_compress(app, *job);
}

// SPDX-License-Identifier: BSD-3-Clause
// dcmcj2k: compress the pixel data of a DICOM file with JPEG 2000 (ISO 15444-1) or HTJ2K
// (ISO 15444-15), lossless or lossy, in the style of DCMTK's dcmcjpls (DCMTK has no JPEG 2000
// program; see docs/dcmcj2k.md).
#include <string>
#include <string_view>

#include "common/app.h"
#include "common/codec_app.h"
#include "common/dcmdata_blocks.h"
#include "dcmkit/dcmimage/codecs/jpeg.h"
#include "dcmkit/dcmimage/codecs/jpeg2000.h"
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
  cl.add_group("JPEG 2000 encoding options:");
  cl.add_subgroup("JPEG 2000 process:");
  cl.add_option("+el", "--encode-lossless", "encode JPEG 2000 lossless (default)");
  cl.add_option("+ey", "--encode-lossy", "encode JPEG 2000 lossy");
  cl.add_option("+eh", "--encode-htj2k", "encode HTJ2K lossless");
  cl.add_option("+ehr", "--encode-htj2k-rpcl", "encode HTJ2K lossless with RPCL options");
  cl.add_option("+ehy", "--encode-htj2k-lossy", "encode HTJ2K lossy");
  cl.add_subgroup("JPEG 2000 bit rate (lossy only):");
  cl.add_option("+cr", "--compression-ratio",
                "[r]atio: integer (default: 10)\n"
                "compress to about 1/r of the uncompressed size",
                1);
  cl.add_subgroup("JPEG 2000 compression:");
  cl.add_option("+nl", "--levels",
                "[n]umber: integer (0..32, default: 5)\n"
                "use n wavelet decomposition levels",
                1);
  cl.add_option("+mc", "--color-transform",
                "encode RGB with the multiple component\n"
                "transform (YBR_RCT / YBR_ICT) (default)");
  cl.add_option("-mc", "--no-color-transform", "encode RGB as it is");
  cl.add_group("encapsulated pixel data encoding options:");
  apps::add_fragment_options(cl);
  apps::add_compress_uid_options(cl);
  apps::add_compress_output_options(cl);
}

}  // namespace

int main(int argc, char** argv) {
  App app("dcmcj2k", "Encode DICOM file to JPEG 2000 transfer syntax");
  define_options(app.command_line());
  app.add_library(dcmimage::jpeg2000_library_version());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();

  // The transfer syntax of each process (PS3.6 Table A-1).
  std::string_view target = "1.2.840.10008.1.2.4.90";
  if (const auto process = args.last_of({"+el", "+ey", "+eh", "+ehr", "+ehy"})) {
    if (*process == "+ey") target = "1.2.840.10008.1.2.4.91";
    if (*process == "+eh") target = "1.2.840.10008.1.2.4.201";
    if (*process == "+ehr") target = "1.2.840.10008.1.2.4.202";
    if (*process == "+ehy") target = "1.2.840.10008.1.2.4.203";
  }
  dcmimage::Jpeg2000EncodeParams encode;
  if (args.has("+cr")) {
    auto value = args.value_as_int("+cr", ofstd::IntBounds::at_least(1));
    if (!value) return app.usage_error(value.error());
    encode.compression_ratio = static_cast<double>(*value);
  }
  if (args.has("+nl")) {
    auto value = args.value_as_int("+nl", ofstd::IntBounds::range(0, 32));
    if (!value) return app.usage_error(value.error());
    encode.levels = static_cast<int>(*value);
  }
  encode.color_transform = args.last_of({"+mc", "-mc"}) != "-mc";
  // Compressed input is decompressed first, whatever its codec.
  dcmdata::register_rle_codec();
  dcmimage::register_jpeg_codecs();
  dcmimage::register_jpeg_ls_codecs();
  dcmimage::register_jpeg2000_codecs({}, encode);

  auto job = apps::compress_job(args, target);
  if (!job) return app.usage_error(job.error());
  job->exclamation = "";
  return apps::run_compress(app, *job);
}

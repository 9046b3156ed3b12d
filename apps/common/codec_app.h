// SPDX-License-Identifier: BSD-3-Clause
// The run of the compression and decompression programs (dcmcjpeg, dcmdjpeg, dcmcjpls,
// dcmdjpls, dcmcj2k, dcmdj2k): read, transcode through the codec registry, write, with DCMTK's
// messages and exit codes. Each program defines its options and registers its codecs.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/app.h"
#include "common/dcmdata_blocks.h"
#include "dcmkit/dcmdata/codec.h"
#include "dcmkit/dcmdata/reader.h"
#include "dcmkit/dcmdata/transfer_syntax.h"
#include "dcmkit/dcmdata/writer.h"

namespace dcmkit::apps {

/// What a decompression program does.
struct DecompressJob {
  dcmdata::ReadOptions read;
  dcmdata::TranscodeOptions transcode;
  dcmdata::TransferSyntax target = dcmdata::explicit_vr_little_endian();
  dcmdata::WriteOptions write;
  bool data_set_only = false;  ///< -F
  /// The transfer syntaxes the program decodes (others: "Input transfer syntax ... not
  /// supported"); uncompressed input is written as it is, as DCMTK does.
  bool (*accepts)(const dcmdata::TransferSyntax&) = nullptr;
  /// DCMTK's dcmdjpls writes "input transfer syntax", dcmdjpeg "Input transfer syntax".
  bool lowercase_message = false;
};

/// The "output options" group every decompression program shows: file format, output transfer
/// syntax, new VRs, group length, lengths and padding (worded as `padding_help` says).
void add_decompress_output_options(ofstd::CommandLine& cl, PaddingHelp padding_help);

/// A DecompressJob filled from the options the decompression programs share (input format,
/// +F/-F, output transfer syntax and encoding, +ud/+ua, decode threads); the program adds its
/// codec-specific fields.
ofstd::Result<DecompressJob> decompress_job(const ofstd::ParsedCommandLine& args);

/// Reads param 0, decompresses, writes param 1. Returns the exit code.
int run_decompress(const App& app, const DecompressJob& job);

/// What a compression program does.
struct CompressJob {
  dcmdata::ReadOptions read;
  dcmdata::TranscodeOptions transcode;
  dcmdata::TransferSyntax target = dcmdata::explicit_vr_little_endian();
  dcmdata::WriteOptions write;
  /// Message when the pixels cannot be encoded: dcmcjpeg ends its with "!", dcmcjpls not.
  std::string_view exclamation = "!";
  /// Run on the file read before it is encoded, if set: may replace its pixels (dcmcjpeg renders
  /// images for its lossy encoders) and adjust the transcoding. Its Unsupported and
  /// InvalidArgument errors mean "no conversion possible", as the encoder's do.
  std::function<ofstd::Status(dcmdata::DicomFile&, dcmdata::TranscodeOptions&)> prepare;
  /// Run on the encoded data set before it is written, if set.
  std::function<ofstd::Status(dcmdata::DataSet&)> finish;
};

/// The "pixel data fragmentation:" and "basic offset table encoding:" subgroups of dcmcjpeg,
/// dcmcjpls and dcmcj2k, in DCMTK's words.
void add_fragment_options(ofstd::CommandLine& cl);

/// Their "SOP Class UID:" and "SOP Instance UID:" subgroups (+cd/+cs, +ud/+ua/+un).
void add_compress_uid_options(ofstd::CommandLine& cl);

/// Their "output options:" group. DCMTK's dcmcjpls says "items on multiple of i byte" where the
/// others say "bytes": `singular_item_pad` reproduces that.
void add_compress_output_options(ofstd::CommandLine& cl, bool singular_item_pad = false);

/// A CompressJob to transfer syntax `target_uid` from the options the compression programs
/// share (input format, output encoding, fragments, offset table, SOP class and instance UIDs,
/// decode threads). InvalidArgument with DCMTK's message for a bad value.
ofstd::Result<CompressJob> compress_job(const ofstd::ParsedCommandLine& args,
                                        std::string_view target_uid);

/// Reads param 0, compresses to job.target, writes param 1. Returns the exit code.
int run_compress(const App& app, const CompressJob& job);

/// The number of threads for decoding frames: $DCMKIT_THREADS if set (0 = all cores), else all
/// cores.
std::uint32_t decode_threads();

}  // namespace dcmkit::apps

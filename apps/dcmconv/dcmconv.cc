// SPDX-License-Identifier: BSD-3-Clause
// dcmconv: convert the encoding of a DICOM file (transfer syntax, lengths, group lengths,
// padding, meta information, character set); a drop-in replacement for DCMTK's dcmconv.
#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/app.h"
#include "common/dcmdata_options.h"
#include "dcmkit/dcmdata/charset_convert.h"
#include "dcmkit/dcmdata/codec.h"
#include "dcmkit/dcmdata/dump.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/transfer_syntax.h"
#include "dcmkit/dcmdata/writer.h"
#include "dcmkit/dcmimage/codecs/all.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"

namespace {

using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file

constexpr apps::InputOptionSet kInputOptions{false, false, false};
constexpr std::string_view kGeTransferSyntax = "1.2.840.113619.5.2";

void define_options(ofstd::CommandLine& cl) {
  cl.add_parameter("dcmfile-in", "DICOM input filename to be converted");
  cl.add_parameter("dcmfile-out", "DICOM output filename");
  apps::add_input_options(cl, kInputOptions);
  cl.add_group("processing options:");
  cl.add_subgroup("specific character set:");
  cl.add_option("+U8", "--convert-to-utf8",
                "convert all element values that are affected\n"
                "by Specific Character Set (0008,0005) to UTF-8");
  cl.add_option("+L1", "--convert-to-latin1", "convert affected element values to ISO 8859-1");
  cl.add_option("+A7", "--convert-to-ascii", "convert affected element values to 7-bit ASCII");
  cl.add_option("+C", "--convert-to-charset",
                "[c]harset: string\n"
                "convert affected element values to the character\n"
                "set specified by the DICOM defined term c",
                1);
  cl.add_option("-Ct", "--transliterate",
                "try to approximate characters that cannot be\n"
                "represented through similar looking characters");
  cl.add_option("-Cd", "--discard-illegal",
                "discard characters that cannot be represented\n"
                "in destination character set");
  cl.add_subgroup("other processing options:");
  cl.add_option("-ig", "--no-invalid-groups", "remove elements with invalid group number");
  cl.add_group("output options:");
  cl.add_subgroup("output file format:");
  cl.add_option("+Fm", "--write-new-meta-info",
                "write file format\n"
                "with new meta information (default)");
  cl.add_option("+F", "--write-file", "write file format");
  cl.add_option("-F", "--write-dataset", "write data set without file meta information");
  cl.add_subgroup("output transfer syntax:");
  cl.add_option("+t=", "--write-xfer-same", "write with same TS as input (default)");
  cl.add_option("+te", "--write-xfer-little", "write with explicit VR little endian TS");
  cl.add_option("+tb", "--write-xfer-big", "write with explicit VR big endian TS");
  cl.add_option("+ti", "--write-xfer-implicit", "write with implicit VR little endian TS");
  cl.add_option("+td", "--write-xfer-deflated", "write with deflated explicit VR little endian TS");
  cl.add_option("+tg", "--write-xfer-ge",
                "write private GE LEI with big endian pixel TS\n"
                "(non-standard)");
  // dcmkit extension (docs/dcmconv.md): any transfer syntax a codec can encode.
  cl.add_subgroup("compressed output transfer syntax (dcmkit extension):");
  cl.add_option("+tr", "--write-xfer-rle", "write with RLE lossless TS");
  cl.add_option("+tjb", "--write-xfer-jpeg-baseline", "write with JPEG baseline TS (8-bit lossy)");
  cl.add_option("+tjx", "--write-xfer-jpeg-extended", "write with JPEG extended TS (12-bit lossy)");
  cl.add_option("+tjl", "--write-xfer-jpeg-lossless",
                "write with JPEG lossless first-order\nprediction TS (SV1)");
  cl.add_option("+tls", "--write-xfer-jpeg-ls", "write with JPEG-LS lossless TS");
  cl.add_option("+tj2", "--write-xfer-j2k", "write with JPEG 2000 lossless TS");
  cl.add_option("+tj2y", "--write-xfer-j2k-lossy", "write with JPEG 2000 lossy TS");
  cl.add_option("+th", "--write-xfer-htj2k", "write with HTJ2K lossless TS");
  cl.add_option("+thr", "--write-xfer-htj2k-rpcl", "write with HTJ2K lossless RPCL TS");
  cl.add_option("+thy", "--write-xfer-htj2k-lossy", "write with HTJ2K lossy TS");
  cl.add_option("+tu", "--write-xfer-uid",
                "[u]id: string\n"
                "write with transfer syntax u (any with a codec)",
                1);
  cl.add_subgroup("post-1993 value representations:");
  cl.add_option("+u", "--enable-new-vr", "enable support for new VRs (UN/UT) (default)");
  cl.add_option("-u", "--disable-new-vr", "disable support for new VRs, convert to OB");
  cl.add_subgroup("group length encoding:");
  cl.add_option("+g=", "--group-length-recalc", "recalculate group lengths if present (default)");
  cl.add_option("+g", "--group-length-create", "always write with group length elements");
  cl.add_option("-g", "--group-length-remove", "always write without group length elements");
  cl.add_subgroup("length encoding in sequences and items:");
  cl.add_option("+e", "--length-explicit", "write with explicit lengths (default)");
  cl.add_option("-e", "--length-undefined", "write with undefined lengths");
  cl.add_option("+eo", "--write-oversized",
                "write oversized explicit length sequences\n"
                "and items with undefined length (default)");
  cl.add_option("-eo", "--abort-oversized", "abort on oversized explicit sequences/items");
  cl.add_subgroup("data set trailing padding (not with --write-dataset):");
  cl.add_option("-p=", "--padding-retain",
                "do not change padding\n"
                "(default if not --write-dataset)");
  cl.add_option("-p", "--padding-off", "no padding (implicit if --write-dataset)");
  cl.add_option("+p", "--padding-create",
                "[f]ile-pad [i]tem-pad: integer\n"
                "align file on multiple of f bytes\n"
                "and items on multiple of i bytes",
                2);
  cl.add_subgroup("deflate compression level (only with --write-xfer-deflated):");
  cl.add_option("+cl", "--compression-level",
                "[l]evel: integer (default: 6)\n"
                "0=uncompressed, 1=fastest, 9=best compression",
                1);
}

// The meta information to write: new (+Fm), the input's updated (+F), or none (-F).
ofstd::Result<dcmdata::DataSet> output_meta(std::string_view mode, const dcmdata::DicomFile& file,
                                            const dcmdata::TransferSyntax& ts) {
  if (mode == "-F") return dcmdata::DataSet{};
  DCMKIT_ASSIGN_OR_RETURN(dcmdata::DataSet meta,
                          dcmdata::make_file_meta(file.data, ts.uid(), {}, &file.meta));
  if (mode == "+F") {
    // Keep what the input's meta information had beyond the required elements.
    for (const dcmdata::Element& element : file.meta) {
      if (!meta.contains(element.tag())) meta.insert(element);
    }
  }
  return meta;
}

}  // namespace

int main(int argc, char** argv) {
  App app("dcmconv", "Convert DICOM file encoding");
  define_options(app.command_line());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();
  dcmimage::register_all_codecs();

  auto read_options = apps::read_options(args, kInputOptions);
  if (!read_options) {
    DCMKIT_LOG_WARN(app.logger(), read_options.error().message());
    return ofstd::kExitCommandLineSyntaxError;
  }
  dcmdata::WriteOptions write;
  if (const auto lengths = args.last_of({"+g=", "+g", "-g"})) {
    if (*lengths == "+g") write.group_lengths = dcmdata::GroupLengthMode::Create;
    if (*lengths == "-g") write.group_lengths = dcmdata::GroupLengthMode::Remove;
  }
  const bool undefined = args.last_of({"+e", "-e"}) == "-e";
  write.sequence_lengths =
      undefined ? dcmdata::LengthMode::Undefined : dcmdata::LengthMode::Explicit;
  write.item_lengths = write.sequence_lengths;
  write.disable_new_vrs = args.last_of({"+u", "-u"}) == "-u";
  const std::string_view meta_mode = args.last_of({"+Fm", "+F", "-F"}).value_or("+Fm");
  const auto padding = args.last_of({"-p=", "-p", "+p"});
  if (padding == "-p" || (meta_mode == "-F" && padding != "+p")) write.remove_padding = true;
  if (padding == "+p") {
    if (meta_mode == "-F")
      return app.usage_error("--padding-create not allowed with --write-dataset");
    auto file_pad = args.value_as_int("+p", ofstd::IntBounds::at_least(0), 0);
    if (!file_pad) return app.usage_error(file_pad.error());
    auto item_pad = args.value_as_int("+p", ofstd::IntBounds::at_least(0), 1);
    if (!item_pad) return app.usage_error(item_pad.error());
    write.file_padding = static_cast<std::uint32_t>(*file_pad);
    write.item_padding = static_cast<std::uint32_t>(*item_pad);
  }
  if (args.has("+cl")) {
    auto level = args.value_as_int("+cl", ofstd::IntBounds::range(0, 9));
    if (!level) return app.usage_error(level.error());
    write.deflate_level = static_cast<int>(*level);
  }

  const std::string& input = args.param(0);
  const std::string& output = args.param(1);
  DCMKIT_LOG_INFO(app.logger(), "reading input file " << input);
  auto file = apps::read_input_file(app, input, *read_options);
  if (!file) return app.fatal(ofstd::kExitCommandLineSyntaxError, file.error().message());
  if (file->recovered_error) {
    DCMKIT_LOG_WARN(app.logger(), "parse error ignored: " << file->recovered_error->to_string());
  }

  if (args.has("+U8")) {
    std::vector<std::string> notes;
    auto converted = dcmdata::convert_to_utf8(file->data, &notes);
    for (const std::string& note : notes) DCMKIT_LOG_WARN(app.logger(), note);
    if (!converted) {
      return app.fatal(ofstd::kExitCommandLineSyntaxError,
                       "converting file to UTF-8: " + converted.error().to_string());
    }
  }
  if (args.has("-ig")) {
    // Groups 0000 (commands), 0001, 0003, 0005, 0007 and FFFF are not allowed in data sets.
    file->data.erase_if([](const dcmdata::Element& e) {
      const std::uint16_t g = e.tag().group();
      return g == 0x0000 || g == 0x0001 || g == 0x0003 || g == 0x0005 || g == 0x0007 || g == 0xFFFF;
    });
  }

  // Output transfer syntax: the input's, or the one asked for.
  dcmdata::TransferSyntax ts = file->transfer_syntax;
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kCompressed{{
      {"+tr", "1.2.840.10008.1.2.5"},
      {"+tjb", "1.2.840.10008.1.2.4.50"},
      {"+tjx", "1.2.840.10008.1.2.4.51"},
      {"+tjl", "1.2.840.10008.1.2.4.70"},
      {"+tls", "1.2.840.10008.1.2.4.80"},
      {"+tj2", "1.2.840.10008.1.2.4.90"},
      {"+tj2y", "1.2.840.10008.1.2.4.91"},
      {"+th", "1.2.840.10008.1.2.4.201"},
      {"+thr", "1.2.840.10008.1.2.4.202"},
      {"+thy", "1.2.840.10008.1.2.4.203"},
  }};
  if (const auto choice =
          args.last_of({"+t=", "+te", "+tb", "+ti", "+td", "+tg", "+tr", "+tjb", "+tjx", "+tjl",
                        "+tls", "+tj2", "+tj2y", "+th", "+thr", "+thy", "+tu"})) {
    if (*choice == "+te") ts = dcmdata::explicit_vr_little_endian();
    if (*choice == "+tb") ts = dcmdata::explicit_vr_big_endian();
    if (*choice == "+ti") ts = dcmdata::implicit_vr_little_endian();
    if (*choice == "+td") ts = dcmdata::deflated_explicit_vr_little_endian();
    if (*choice == "+tg") ts = dcmdata::TransferSyntax::lookup_or_unknown(kGeTransferSyntax);
    for (const auto& [option, uid] : kCompressed) {
      if (*choice == option) ts = *dcmdata::TransferSyntax::lookup(uid);
    }
    if (*choice == "+tu") {
      const std::string uid = args.value("+tu").value_or("");
      const auto known = dcmdata::TransferSyntax::lookup(uid);
      if (!known) return app.usage_error("unknown transfer syntax UID: " + uid);
      ts = *known;
    }
  }
  // Encapsulated Pixel Data ties a data set to its transfer syntax: it is decoded when a codec
  // is registered for it, and refused otherwise, as DCMTK does; a compressed target (a dcmkit
  // extension) encodes the pixels through the codec registry.
  const dcmdata::Element* pixels = file->data.find(dcmdata::Tag{0x7FE0, 0x0010});
  const bool encapsulated = pixels != nullptr && pixels->is_encapsulated();
  if ((encapsulated || (pixels != nullptr && ts.is_encapsulated())) &&
      !(ts == file->transfer_syntax)) {
    if (!dcmdata::can_transcode(file->transfer_syntax, ts)) {
      DCMKIT_LOG_ERROR(app.logger(), "Pixel representation cannot be changed");
      return app.fatal(ofstd::kExitCommandLineSyntaxError,
                       "no conversion to transfer syntax " +
                           std::string(dcmdata::dcmtk_transfer_syntax_name(ts.uid())) +
                           " possible!");
    }
    if (encapsulated) {
      DCMKIT_LOG_INFO(app.logger(), "decompressing pixel data of " << file->transfer_syntax.name());
    }
    if (ts.is_encapsulated())
      DCMKIT_LOG_INFO(app.logger(), "compressing pixel data to " << ts.name());
    dcmdata::TranscodeOptions transcode;
    transcode.decode.threads = 0;  // frames decoded on all cores
    auto report = dcmdata::transcode(file->data, file->transfer_syntax, ts, transcode);
    if (!report && ts.is_encapsulated() &&
        (report.error().code() == ofstd::ErrorCode::Unsupported ||
         report.error().code() == ofstd::ErrorCode::InvalidArgument)) {
      // Pixels the codec cannot take (as dcmcjpeg and friends report it).
      DCMKIT_LOG_WARN(app.logger(), report.error().message());
      return app.fatal(ofstd::kExitCommandLineSyntaxError,
                       "no conversion to transfer syntax " +
                           std::string(dcmdata::dcmtk_transfer_syntax_name(ts.uid())) +
                           " possible!");
    }
    if (!report) {
      return app.fatal(ofstd::kExitCommandLineSyntaxError,
                       report.error().to_string() +
                           (encapsulated ? ": decompressing file: " : ": compressing file: ") +
                           input);
    }
    for (const dcmdata::Diagnostic& diagnostic : report->diagnostics) {
      DCMKIT_LOG_WARN(app.logger(), diagnostic.to_string());
    }
  }

  auto meta = output_meta(meta_mode, *file, ts);
  if (!meta) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     meta.error().message() + ": writing file: " + output);
  }
  DCMKIT_LOG_INFO(app.logger(), "writing output file " << output);
  auto written = dcmdata::write_file(output, *meta, file->data, ts, write, file->preamble.span());
  if (!written) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     written.error().message() + ": writing file: " + output);
  }
  DCMKIT_LOG_INFO(app.logger(), "conversion successful");
  return ofstd::kExitNoError;
}

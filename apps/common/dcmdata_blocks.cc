// SPDX-License-Identifier: BSD-3-Clause
#include "common/dcmdata_blocks.h"

namespace dcmkit::apps {

using ofstd::Error;
using ofstd::ErrorCode;

void add_input_format_options(ofstd::CommandLine& cl, bool transfer_syntax) {
  cl.add_subgroup("input file format:");
  cl.add_option("+f", "--read-file", "read file format or data set (default)");
  cl.add_option("+fo", "--read-file-only", "read file format only");
  cl.add_option("-f", "--read-dataset", "read data set without file meta information");
  if (!transfer_syntax) return;
  cl.add_subgroup("input transfer syntax:");
  cl.add_option("-t=", "--read-xfer-auto", "use TS recognition (default)");
  cl.add_option("-td", "--read-xfer-detect", "ignore TS specified in the file meta header");
  cl.add_option("-te", "--read-xfer-little", "read with explicit VR little endian TS");
  cl.add_option("-tb", "--read-xfer-big", "read with explicit VR big endian TS");
  cl.add_option("-ti", "--read-xfer-implicit", "read with implicit VR little endian TS");
}

dcmdata::ReadOptions input_format_options(const ofstd::ParsedCommandLine& args,
                                          bool transfer_syntax) {
  using dcmdata::FileFormatChoice;
  using dcmdata::TransferSyntaxChoice;
  dcmdata::ReadOptions options;
  if (const auto format = args.last_of({"+f", "+fo", "-f"})) {
    if (*format == "+fo") options.format = FileFormatChoice::FileOnly;
    if (*format == "-f") options.format = FileFormatChoice::DataSetOnly;
  }
  if (transfer_syntax) {
    if (const auto ts = args.last_of({"-t=", "-td", "-te", "-tb", "-ti"})) {
      if (*ts == "-td") options.transfer_syntax = TransferSyntaxChoice::Detect;
      if (*ts == "-te") options.transfer_syntax = TransferSyntaxChoice::ExplicitLittle;
      if (*ts == "-tb") options.transfer_syntax = TransferSyntaxChoice::ExplicitBig;
      if (*ts == "-ti") options.transfer_syntax = TransferSyntaxChoice::ImplicitLittle;
    }
  }
  return options;
}

void add_new_vr_options(ofstd::CommandLine& cl) {
  cl.add_subgroup("post-1993 value representations:");
  cl.add_option("+u", "--enable-new-vr", "enable support for new VRs (UN/UT) (default)");
  cl.add_option("-u", "--disable-new-vr", "disable support for new VRs, convert to OB");
}

void add_group_length_options(ofstd::CommandLine& cl) {
  cl.add_subgroup("group length encoding:");
  cl.add_option("+g=", "--group-length-recalc", "recalculate group lengths if present (default)");
  cl.add_option("+g", "--group-length-create", "always write with group length elements");
  cl.add_option("-g", "--group-length-remove", "always write without group length elements");
}

void add_length_options(ofstd::CommandLine& cl) {
  cl.add_subgroup("length encoding in sequences and items:");
  cl.add_option("+e", "--length-explicit", "write with explicit lengths (default)");
  cl.add_option("-e", "--length-undefined", "write with undefined lengths");
}

void add_padding_options(ofstd::CommandLine& cl, PaddingHelp help) {
  if (help == PaddingHelp::Plain) {
    cl.add_subgroup("data set trailing padding:");
    cl.add_option("-p=", "--padding-retain", "do not change padding (default)");
    cl.add_option("-p", "--padding-off", "no padding");
  } else {
    cl.add_subgroup("data set trailing padding (not with --write-dataset):");
    cl.add_option("-p=", "--padding-retain",
                  help == PaddingHelp::NotWithDataSet ? "do not change padding\n"
                                                        "(default if not --write-dataset)"
                                                      : "do not change padding (default)");
    cl.add_option("-p", "--padding-off", "no padding (implicit if --write-dataset)");
  }
  cl.add_option("+p", "--padding-create",
                "[f]ile-pad [i]tem-pad: integer\n"
                "align file on multiple of f bytes\n"
                "and items on multiple of i bytes",
                2);
}

ofstd::Result<dcmdata::WriteOptions> write_options(const ofstd::ParsedCommandLine& args,
                                                   const OutputBlocks& blocks, bool data_set_only) {
  dcmdata::WriteOptions write;
  // Only the blocks the program defined are looked at: naming an unregistered option aborts.
  if (blocks.group_lengths) {
    if (const auto lengths = args.last_of({"+g=", "+g", "-g"})) {
      if (*lengths == "+g") write.group_lengths = dcmdata::GroupLengthMode::Create;
      if (*lengths == "-g") write.group_lengths = dcmdata::GroupLengthMode::Remove;
    }
  }
  if (blocks.lengths) {
    const bool undefined = args.last_of({"+e", "-e"}) == "-e";
    write.sequence_lengths =
        undefined ? dcmdata::LengthMode::Undefined : dcmdata::LengthMode::Explicit;
    write.item_lengths = write.sequence_lengths;
  }
  if (blocks.new_vr) write.disable_new_vrs = args.last_of({"+u", "-u"}) == "-u";
  if (!blocks.padding) return write;
  const auto padding = args.last_of({"-p=", "-p", "+p"});
  if (padding == "-p" || (data_set_only && padding != "+p")) write.remove_padding = true;
  if (padding == "+p") {
    if (data_set_only) {
      return Error(ErrorCode::InvalidArgument, "--padding-create not allowed with --write-dataset");
    }
    auto file_pad = args.value_as_int("+p", ofstd::IntBounds::at_least(0), 0);
    if (!file_pad) return file_pad.error();
    auto item_pad = args.value_as_int("+p", ofstd::IntBounds::at_least(0), 1);
    if (!item_pad) return item_pad.error();
    write.file_padding = static_cast<std::uint32_t>(*file_pad);
    write.item_padding = static_cast<std::uint32_t>(*item_pad);
  }
  return write;
}

}  // namespace dcmkit::apps

// SPDX-License-Identifier: BSD-3-Clause
// Option blocks that several dcmdata programs share with DCMTK's (dcmcrle, dcmdrle, xml2dcm,
// pdf2dcm, ...) beyond dcmdata_options.h's full input group: the short input format blocks, and
// on the output side post-1993 VRs, group lengths, sequence lengths and data set trailing
// padding, with their translation into dcmdata::ReadOptions and WriteOptions. Each program's --help
// wording is DCMTK's, which varies a little between programs; the variants are parameters here.
#pragma once

#include <string_view>

#include "dcmkit/dcmdata/reader.h"
#include "dcmkit/dcmdata/writer.h"
#include "dcmkit/ofstd/command_line.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::apps {

/// The wording of the "data set trailing padding" subgroup, which differs between programs.
enum class PaddingHelp {
  Plain,           ///< dcmcrle: "data set trailing padding:", "-p  no padding"
  NotWithDataSet,  ///< dcmdrle, xml2dcm: "(not with --write-dataset)" and two-line -p= text
  DocumentTools,   ///< pdf2dcm & co: "(not with --write-dataset)" but one-line -p= text
};

/// Adds "input file format:" (+f, +fo, -f) and, with `transfer_syntax`, "input transfer
/// syntax:" (-t=, -td, -te, -tb, -ti), to the current group.
void add_input_format_options(ofstd::CommandLine& cl, bool transfer_syntax);
/// The ReadOptions those blocks select.
dcmdata::ReadOptions input_format_options(const ofstd::ParsedCommandLine& args,
                                          bool transfer_syntax);

/// Adds "post-1993 value representations:" (+u, -u).
void add_new_vr_options(ofstd::CommandLine& cl);
/// Adds "group length encoding:" (+g=, +g, -g).
void add_group_length_options(ofstd::CommandLine& cl);
/// Adds "length encoding in sequences and items:" (+e, -e).
void add_length_options(ofstd::CommandLine& cl);
/// Adds the "data set trailing padding" subgroup (-p=, -p, +p f i).
void add_padding_options(ofstd::CommandLine& cl, PaddingHelp help);

/// Which of the blocks above a program added.
struct OutputBlocks {
  bool new_vr = true;
  bool group_lengths = true;
  bool lengths = true;
  bool padding = true;
};

/// The WriteOptions the blocks in `blocks` select (the others keep their defaults).
/// `data_set_only` (-F) turns padding off unless +p was given, as DCMTK does; +p with -F is a
/// usage error ("--padding-create not allowed with --write-dataset"). InvalidArgument carries
/// DCMTK's message for a bad +p value.
ofstd::Result<dcmdata::WriteOptions> write_options(const ofstd::ParsedCommandLine& args,
                                                   const OutputBlocks& blocks = {},
                                                   bool data_set_only = false);

}  // namespace dcmkit::apps

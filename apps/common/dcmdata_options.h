// SPDX-License-Identifier: BSD-3-Clause
// Option blocks that the dcmdata programs (dcmdump, dcmconv, dcmodify, ...) share with DCMTK's:
// the "input options:" group and its translation into dcmdata::ReadOptions.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/app.h"
#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/reader.h"
#include "dcmkit/dcmdata/tag.h"
#include "dcmkit/ofstd/command_line.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::apps {

/// Which optional parts of DCMTK's input option group a program shows.
struct InputOptionSet {
  bool scan_directories = false;  ///< "input files:" (+sd, +sp, -r, +r)
  bool long_values = false;       ///< "long tag values:" (+M, -M, +R)
  bool stop_before = false;       ///< +sb in "other parsing options:"
};

/// Adds DCMTK's "input options:" group (file format, transfer syntax, parsing options).
void add_input_options(ofstd::CommandLine& command_line, const InputOptionSet& set);

/// The ReadOptions selected on the command line; InvalidArgument for a bad tag in +st/+sb.
ofstd::Result<dcmdata::ReadOptions> read_options(const ofstd::ParsedCommandLine& args,
                                                 const InputOptionSet& set);

/// A tag given as "gggg,eeee", "(gggg,eeee)" or a dictionary keyword, as dcmdump's +P takes it.
ofstd::Result<dcmdata::Tag> parse_tag_argument(std::string_view text);

/// The input files named by the parameters: files as given; directories scanned (in directory
/// order, depth-first, like DCMTK) when `scan` is set, recursively with `recurse`, keeping names
/// that match `pattern` (wildcards) if given. Directories given without `scan` are reported
/// through `warnings` and skipped.
std::vector<std::string> collect_input_files(const std::vector<std::string>& params, bool scan,
                                             bool recurse, std::string_view pattern,
                                             std::vector<std::string>& warnings);

/// "<reason>: reading file: <path>", the way DCMTK reports a file that cannot be read.
std::string read_error_message(const ofstd::Error& error, std::string_view path);

/// Reads the program's input file `path`, logging each of the reader's diagnostics as a
/// warning; on failure the error's message is read_error_message()'s, ready for app.fatal().
ofstd::Result<dcmdata::DicomFile> read_input_file(const App& app, const std::string& path,
                                                  const dcmdata::ReadOptions& options);

/// The input meta's Source Application Entity Title as DCMTK's compression and decompression
/// programs keep it: only from a meta header of version 00\01 and only a valid AE value;
/// otherwise empty (they drop it).
std::string kept_source_ae_title(const dcmdata::DataSet& meta);

/// Applies one -k/--key "path=value" of img2dcm, pdf2dcm and the other creating programs:
/// sequence items on the path are created; the value is converted from UTF-8 where its VR's
/// rules allow, else kept as given (DCMTK does not check these values either); a sequence takes
/// only an empty value (an empty sequence). InvalidArgument for wildcards, a path through a
/// non-sequence or a value the VR cannot hold; LimitExceeded for item indexes above 10000.
ofstd::Status apply_key_option(dcmdata::DataSet& ds, const std::string& text);

}  // namespace dcmkit::apps

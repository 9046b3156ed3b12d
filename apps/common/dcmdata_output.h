// SPDX-License-Identifier: BSD-3-Clause
// The output side that the programs writing DICOM files from other formats share with DCMTK's
// (dump2dcm, json2dcm, dcmodify): the "output options:" group, its translation into
// dcmdata::WriteOptions, the meta information to write, and new UIDs (+Ug, -gst, ...).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/transfer_syntax.h"
#include "dcmkit/dcmdata/writer.h"
#include "dcmkit/ofstd/command_line.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::apps {

/// Which variant of DCMTK's output option group a program shows.
struct OutputOptionSet {
  bool update_meta = true;  ///< +Fu (dump2dcm, xml2dcm); dcmodify has only +F/-F
  bool deflate = true;      ///< +td and +cl
  /// "error handling:" -E/+E descriptions (empty: no such subgroup, as in dcmodify).
  std::string_view stop_on_error;
  std::string_view ignore_errors;
  bool length_options_le = false;         ///< dcmodify's +le/-le instead of +e/-e
  bool padding_default_one_line = false;  ///< dump2dcm's "-p= ... do not change padding (default)"
  /// The description of +te (dump2dcm's lacks the final "TS").
  std::string_view explicit_little_text = "write with explicit VR little endian TS";
};

/// Adds DCMTK's "output options:" group.
void add_output_options(ofstd::CommandLine& command_line, const OutputOptionSet& set);

/// How a file is written according to the output options.
struct OutputChoice {
  enum class Meta : std::uint8_t {
    File,        ///< +F: file format; the input's meta information kept, completed
    UpdateMeta,  ///< +Fu: as +F, and the SOP Class/Instance UIDs taken from the data set
    DataSetOnly  ///< -F: no meta information
  };
  Meta meta = Meta::File;
  /// The transfer syntax asked for; empty for +t= (the input's).
  std::optional<dcmdata::TransferSyntax> transfer_syntax;
  dcmdata::WriteOptions write;
};

/// The choice made on the command line; InvalidArgument (DCMTK's wording) for bad values.
ofstd::Result<OutputChoice> output_choice(const ofstd::ParsedCommandLine& args,
                                          const OutputOptionSet& set);

/// The meta information to write with `data` in `ts`: none for -F; otherwise `input_meta`
/// (may be empty) completed with what make_file_meta() builds, its Transfer Syntax UID set to
/// `ts`, and for +Fu (or where missing) the SOP Class and Instance UIDs from `data`.
ofstd::Result<dcmdata::DataSet> output_meta(OutputChoice::Meta mode,
                                            const dcmdata::DataSet& input_meta,
                                            const dcmdata::DataSet& data,
                                            const dcmdata::TransferSyntax& ts);

/// Sets Study, Series and SOP Instance UID to new UIDs: all three with `overwrite`, else only
/// those that are missing or empty (dump2dcm's +Ug with +Uo / -Uo). The meta information's
/// Media Storage SOP Instance UID follows if `meta` is given and it had one.
ofstd::Status generate_uids(dcmdata::DataSet& data, bool overwrite,
                            dcmdata::DataSet* meta = nullptr);

}  // namespace dcmkit::apps

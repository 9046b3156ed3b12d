// SPDX-License-Identifier: BSD-3-Clause
// The text dump of a data set in DCMTK's dcmdump format (one line per element: tag, VR, value,
// length, value multiplicity and name), so that scripts written for dcmdump keep working, and so
// that dump2dcm can read it back.
//
//   std::string text;
//   dump_file(text, file, DumpOptions{});
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/tag_path.h"

namespace dcmkit::dcmdata {

/// How non-ASCII and control characters in values are printed (dcmdump's +Qn, +Qo, -Qn).
enum class DumpQuoting : std::uint8_t {
  None,   ///< print the bytes as they are
  Xml,    ///< "&#252;" character references
  Octal,  ///< "\374" octal escapes
};

/// Dump options; the defaults give dcmdump's default output.
struct DumpOptions {
  bool print_all_values = false;  ///< +L: do not shorten long values
  bool tree = false;              ///< +T: simple tree instead of indented lines
  bool map_uid_names = true;      ///< +Un: "=CTImageStorage" instead of "[1.2.840...]"
  DumpQuoting quoting = DumpQuoting::None;
  bool color = false;  ///< +C: ANSI colours
  /// -M: values longer than this many bytes print as "(not loaded)".
  std::optional<std::uint64_t> max_loaded_length;
  /// +P: print only elements with these tags (anywhere in the tree), one line each.
  std::vector<Tag> search;
  bool search_first_only = false;  ///< -s
  bool prepend_path = false;       ///< +p: "(gggg,eeee).(gggg,eeee).(gggg,eeee) ..."
  /// +W: names of the files the top-level Pixel Data was written to (one per fragment for
  /// encapsulated data); shown as "=name" in place of the values.
  std::vector<std::string> pixel_file_names;
};

/// Appends the dump of a whole file (meta information and data set) to `out`, as dcmdump does.
void dump_file(std::string& out, const DicomFile& file, const DumpOptions& options = {});

/// Appends the lines of a data set at nesting level `level`.
void dump_data_set(std::string& out, const DataSet& data, const DumpOptions& options = {},
                   int level = 0);

/// Appends the lines of the elements whose tags are in options.search; returns how many were
/// printed.
std::size_t dump_search(std::string& out, const DicomFile& file, const DumpOptions& options);

/// The name dcmdump shows in "# Used TransferSyntax: ..." for a transfer syntax UID.
std::string_view dcmtk_transfer_syntax_name(std::string_view uid) noexcept;

/// A floating point value as DCMTK prints it: `precision` significant digits (17 for FD/OD,
/// 9 for FL/OF) generated like the classic ecvt(), in %g style, trailing zeros removed.
std::string format_dcmtk_double(double value, int precision);

}  // namespace dcmkit::dcmdata

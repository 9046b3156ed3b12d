// SPDX-License-Identifier: BSD-3-Clause
// Reading DCMTK's dump format (what dcmdump prints, dump.h) back into a data set, as dump2dcm
// does: one element per line, "(gggg,eeee) VR value # comment", with sequences and items
// delimited by their (fffe,e000)/(fffe,e00d)/(fffe,e0dd) lines.
//
//   DumpParseOptions options;
//   auto doc = parse_dump(text, options);   // doc->meta (group 0002), doc->data
//   if (!doc) std::cerr << doc.error().message();   // "line 12: unknown VR "XX""
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/shared_bytes.h"
#include "dcmkit/dcmdata/vr.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmdata {

/// Options for reading a dump (input is untrusted: lines, nesting and values are bounded).
struct DumpParseOptions {
  /// Longest accepted line in bytes (dump2dcm +l); longer lines are errors.
  std::size_t max_line_length = 4096;
  /// Maximum nesting of sequences.
  std::uint32_t max_sequence_depth = 64;
  /// Keep going after a bad line (dump2dcm +E): the line is skipped and its error collected in
  /// DumpDocument::errors. Otherwise the first error is returned.
  bool ignore_errors = false;
  /// Loads the file named by a "=name" value of a binary element (dcmdump +W writes such
  /// lines). Without one, such values are errors.
  std::function<ofstd::Result<SharedBytes>(std::string_view name)> file_loader;
  /// Words of OW values loaded from files are big endian (dump2dcm +rb).
  bool big_endian_files = false;
};

/// A dump read back: group 0002 elements go to `meta`.
struct DumpDocument {
  DataSet meta;
  DataSet data;
  /// With ignore_errors: the errors of the skipped lines, each "line N: message".
  std::vector<ofstd::Error> errors;
};

/// Parses dump text. Values are read as dcmdump prints them: "[text]" (the text between the
/// first '[' and the last ']' of the line), "=Name" for UIDs (DCMTK's names, or PS3.6
/// keywords), numbers and (gggg,eeee) tags separated by '\\', hex bytes or words for OB, UN and
/// OW, "(no value available)", "=file" for binary values, and DCMTK's pseudo VRs (xs, ox, lt, up,
/// ?? resolved with the dictionary). Lines starting with '#' and empty lines are skipped.
/// MalformedData "line N: ..." for the first bad line (unless ignore_errors); LimitExceeded for a
/// line or nesting beyond the limits. Never crashes on any input.
ofstd::Result<DumpDocument> parse_dump(std::string_view text, const DumpParseOptions& options = {});

/// The value bytes (little endian) of VR `vr` given in the text form that dcmdump prints and
/// dcmodify takes: text as it is (padded to even length), numbers and "(gggg,eeee)" tags
/// separated by '\\', hex bytes (OB, UN) or hex words (OW) separated by '\\', and numbers for OL
/// OV OF OD. MalformedData names the first bad value; InvalidArgument for SQ.
ofstd::Result<SharedBytes> value_from_text(VR vr, std::string_view text);

/// The UID that DCMTK's dcmdump prints as `name` ("CTImageStorage", "LittleEndianExplicit"),
/// the reverse of dcmtk_uid_name(); else the UID whose PS3.6 keyword is `name`; else empty.
std::string_view uid_from_dcmtk_name(std::string_view name) noexcept;

}  // namespace dcmkit::dcmdata

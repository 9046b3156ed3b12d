// SPDX-License-Identifier: BSD-3-Clause
// Converting a whole data set to another Specific Character Set, as `dcmconv +U8` does.
//
//   std::vector<std::string> warnings;
//   DCMKIT_TRY(convert_to_utf8(file.data, &warnings));   // (0008,0005) is now "ISO_IR 192"
#pragma once

#include <string>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmdata {

/// Converts the value of every element affected by the Specific Character Set (VR SH, LO, ST,
/// LT, PN, UC and UT, in sequence items at any depth) to UTF-8 and sets (0008,0005) to
/// "ISO_IR 192" in the data set, adding it if absent (as DCMTK's `dcmconv +U8` does).
///
/// Each item is decoded with its own (0008,0005) if it has one, else with its enclosing data
/// set's; such item-level values are set to "ISO_IR 192" too. (DCMTK 3.6.7 ignores item-level
/// values, mis-decodes those items, and leaves their (0008,0005) unchanged.) Trailing padding
/// (spaces, NULs) is normalized to at most one space to keep lengths even.
///
/// Bytes that are invalid in their character set (also non-ASCII bytes with no Specific
/// Character Set, which DCMTK 3.6.7 rejects) become U+FFFD; each element where this happened
/// adds a warning naming its tag path (never its value) to `warnings`, if given.
///
/// Unsupported if a (0008,0005) names an unknown term, with the tag path; `data` is then left
/// unchanged (the function converts everything or nothing). Not thread-safe for `data`.
ofstd::Status convert_to_utf8(DataSet& data, std::vector<std::string>* warnings = nullptr);

}  // namespace dcmkit::dcmdata

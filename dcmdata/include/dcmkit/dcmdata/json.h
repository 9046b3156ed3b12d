// SPDX-License-Identifier: BSD-3-Clause
// The DICOM JSON Model (PS3.18 Annex F) both ways: a data set to JSON text and JSON text back to
// a data set, losslessly. Numbers keep their text (DS, IS), 64-bit integers stay exact, binary
// values become InlineBinary or BulkDataURI, and untrusted JSON is parsed with size and depth
// limits, reporting errors with line and column.
//
//   std::string json;
//   DCMKIT_TRY(write_json(json, file.data));                      // pretty-printed, like dcm2json
//   DCMKIT_ASSIGN_OR_RETURN(JsonDocument doc, read_json(json));   // doc.data == file.data
//
// How values are represented (the lossless rules; docs/dcm2json.md has the full table):
// - Text values are the element's characters decoded to UTF-8 with the data set's Specific
//   Character Set, which is written unchanged in (0008,0005); reading encodes them back with it.
//   Exactly one trailing padding character (the one an even length needs) is removed, so any
//   further spaces are kept and written back.
// - DS and IS values are written as JSON numbers whose token is the value's exact text when that
//   text is a valid JSON number ("1.5", "-0", "1e3"); other texts ("+1", ".5", "1.", " 12",
//   "nan") are written as JSON strings holding the exact text, which PS3.18 §F.2.3 permits. Both
//   forms are accepted when reading, and a number token is stored as written.
// - SV and UV values within ±2^53 are JSON numbers; larger magnitudes are JSON strings of their
//   decimal digits (exact for any reader). Both forms are accepted when reading.
// - FL and FD values are written in the shortest form that reads back to the same bits.
// - Empty values in a multi-valued element are null; a PN keeps empty component groups that are
//   followed by others ("=Yamada" gives {"Alphabetic": "", "Ideographic": "Yamada"}).
// - OB OD OF OL OV OW UN values are InlineBinary (little endian) or, above a size threshold when
//   a URI maker is given, BulkDataURI. Encapsulated Pixel Data is the InlineBinary of its item
//   stream (offset table and fragment items, without the sequence delimiter), as pydicom writes
//   it, and is recognized again when read.
// - Group lengths (gggg,0000) are not part of the JSON model and are left out (the writer
//   recreates them where wanted).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/shared_bytes.h"
#include "dcmkit/dcmdata/tag_path.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmdata {

/// Options for writing JSON.
struct JsonWriteOptions {
  /// Line breaks and two-space indentation (dcm2json +fc); otherwise no white space at all.
  bool pretty = true;
  /// Write NaN and infinite FL/FD/OF/OD values as the bare tokens "nan", "inf", "-inf" (not valid
  /// JSON; dcm2json -ee); otherwise they are an InvalidArgument error (dcm2json -es).
  bool allow_non_finite = false;
  /// Values of bulk VRs (OB OD OF OL OV OW UN, and encapsulated Pixel Data) whose length is at
  /// least this many bytes are written as BulkDataURI, if `bulk_data_uri` is set.
  std::uint64_t bulk_data_threshold = 0;
  /// Makes the BulkDataURI of a value (e.g. by writing it to a file): called with the element's
  /// path ("(7fe0,0010)") and the element; an error stops writing.
  std::function<ofstd::Result<std::string>(const TagPath& path, const Element& element)>
      bulk_data_uri;
};

/// Recoverable findings while converting (values whose bytes were not valid in their character
/// set and were written with U+FFFD), each naming the tag path; never element values.
using JsonNotes = std::vector<std::string>;

/// Appends the JSON object of `data` (and of `meta`'s group 0002 elements before it, if given:
/// dcm2json +m) to `out`. InvalidArgument for a value JSON cannot hold (a non-finite number
/// without allow_non_finite, a malformed binary value); errors of bulk_data_uri pass through.
/// `notes` (if given) receives findings about values that could not be decoded exactly.
ofstd::Status write_json(std::string& out, const DataSet& data,
                         const JsonWriteOptions& options = {}, const DataSet* meta = nullptr,
                         JsonNotes* notes = nullptr);

/// Options for reading JSON (input is untrusted: every size and depth is bounded).
struct JsonReadOptions {
  /// Maximum input size in bytes (LimitExceeded beyond).
  std::uint64_t max_input_size = std::uint64_t{1} << 32;
  /// Maximum nesting of sequences (items within items), as ReadOptions::max_sequence_depth.
  std::uint32_t max_sequence_depth = 64;
  /// Resolves a BulkDataURI to the value's bytes (little endian for binary VRs). Without one, a
  /// BulkDataURI is an Unsupported error.
  std::function<ofstd::Result<SharedBytes>(std::string_view uri)> bulk_data_loader;
  /// Accept the bare tokens nan, inf, -inf, NaN, Infinity and -Infinity for FL/FD values (as
  /// written with JsonWriteOptions::allow_non_finite).
  bool allow_non_finite = false;
};

/// A data set read from JSON: group 0002 elements (written by dcm2json +m) go to `meta`.
struct JsonDocument {
  DataSet meta;
  DataSet data;
};

/// Parses PS3.18 JSON: one data set object, or an array holding exactly one. MalformedData
/// names the line and column and, for content errors, the tag path ("line 12, column 9:
/// (0040,a730)[0].(0010,0010): ..."); LimitExceeded for input or nesting beyond the limits;
/// Unsupported for a BulkDataURI without a loader; errors of the loader pass through with the
/// position. Never crashes on any input.
ofstd::Result<JsonDocument> read_json(std::string_view text, const JsonReadOptions& options = {});

/// Base64 (RFC 4648, with padding), as InlineBinary uses.
std::string base64_encode(std::span<const std::byte> bytes);
/// Decodes base64; MalformedData for characters outside the alphabet or bad padding.
ofstd::Result<std::vector<std::byte>> base64_decode(std::string_view text);

}  // namespace dcmkit::dcmdata

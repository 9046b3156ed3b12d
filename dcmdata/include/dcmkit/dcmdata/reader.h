// SPDX-License-Identifier: BSD-3-Clause
// Reading encoded data sets: options, diagnostics and the data set parser. Every read is bounded
// by the input, nesting is depth-limited, and errors name the byte offset and tag path. Values are
// not copied: they stay views into the input, which SharedBytes keeps alive.
//
//   ReadOptions options;
//   options.stop_before = tags::PixelData;                // header-only scan
//   std::vector<Diagnostic> diagnostics;
//   auto ds = parse_dataset(bytes, explicit_vr_little_endian(), options, &diagnostics);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/shared_bytes.h"
#include "dcmkit/dcmdata/tag.h"
#include "dcmkit/dcmdata/transfer_syntax.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmdata {

/// How tolerant the reader is of producer errors.
enum class Strictness : std::uint8_t {
  Lenient,  ///< recoverable deviations become Diagnostics (as DCMTK tolerates them)
  Strict,   ///< every deviation is an Error
};

/// Where the transfer syntax of the data set comes from (dcmdump's -t= -td -te -tb -ti).
enum class TransferSyntaxChoice : std::uint8_t {
  Auto,            ///< from the meta header, else detected
  Detect,          ///< ignore the meta header's transfer syntax; detect from the data
  ExplicitLittle,  ///< force Explicit VR Little Endian
  ExplicitBig,     ///< force Explicit VR Big Endian
  ImplicitLittle,  ///< force Implicit VR Little Endian
};

/// What input format is accepted (dcmdump's +f, +fo, -f).
enum class FileFormatChoice : std::uint8_t {
  FileOrDataSet,  ///< Part 10 file if it has the preamble/"DICM", else a bare data set
  FileOnly,       ///< Part 10 files only
  DataSetOnly,    ///< a bare data set, no meta information
};

/// Reading options, passed per call (there are no global parser switches).
struct ReadOptions {
  Strictness strictness = Strictness::Lenient;
  /// Maximum nesting of sequences (items within items).
  std::uint32_t max_sequence_depth = 64;
  /// Stop before this top-level tag (e.g. tags::PixelData for a header-only scan).
  std::optional<Tag> stop_before;
  /// Stop after this top-level tag has been read.
  std::optional<Tag> stop_after;
  FileFormatChoice format = FileFormatChoice::FileOrDataSet;
  TransferSyntaxChoice transfer_syntax = TransferSyntaxChoice::Auto;
  /// Use (0002,0000) to find the end of the meta group (+ml); otherwise read group 0002 elements
  /// while they come (-ml).
  bool use_meta_group_length = true;
  /// Odd lengths: accept as they are (+ao), or assume the real length is one more (+ae).
  bool assume_even_length = false;
  /// Explicit VR that contradicts the dictionary: keep it (+ev) or prefer the dictionary (-ev).
  bool use_explicit_vr = true;
  /// An explicit VR that is none of the 34 (two bytes that are not a VR): read the element as
  /// unknown (UN, +vr) or as implicit VR little endian (-vr).
  bool nonstandard_vr_as_implicit = false;
  /// Undefined-length UN is read as an implicit VR little endian sequence (CP-246; +ui).
  bool undefined_length_un_as_sequence = true;
  /// Defined-length UN elements of known tags are converted to their dictionary VR (+uc).
  bool convert_un_to_known_vr = false;
  /// Private elements with length 0xFFFFFFFF in implicit VR are read as sequences (+sq) rather
  /// than following the dictionary (-sq).
  bool max_length_private_as_sequence = false;
  /// Replace wrong delimitation items (+rd) instead of treating them as errors.
  bool replace_wrong_delimiters = false;
  /// Undefined-length OB/OW other than encapsulated pixel data: read as a sequence (+oi).
  bool convert_undefined_length_obow = false;
  /// VOI LUT Sequence encoded as OW with explicit length: parse it as a sequence (+vi).
  bool convert_illegal_voi_lut = false;
  /// Explicit-length pixel data in an encapsulated syntax: accept it as native (+pe).
  bool accept_explicit_length_pixel_data = false;
  /// Try to recover from parse errors (+Ep): keep what was read before the error.
  bool ignore_parse_errors = false;
  /// The deflate stream has a zlib header (+bz) rather than being raw deflate (+bd).
  bool deflate_has_zlib_header = false;
  /// Upper bound on the size of an inflated deflated data set.
  std::uint64_t max_inflated_size = std::uint64_t{4} << 30;
  /// Read files into memory instead of mapping them (for files that may change underneath).
  bool avoid_mmap = false;
};

/// A recoverable deviation found while reading (Lenient mode), by value.
struct Diagnostic {
  std::uint64_t offset = 0;  ///< byte offset in the input where it was found
  std::string path;          ///< tag path, e.g. "(0008,1115)[2].(0008,1150)"
  std::string message;       ///< what was wrong and what the reader did about it
  /// "offset 1842, (0008,1115)[2]: message".
  std::string to_string() const;
};

/// Parses an encoded data set (no preamble or meta information) in transfer syntax `ts`.
/// `bytes` must not be deflated (see read_bytes() in file.h for that). Returns MalformedData
/// (with offset and tag path), LimitExceeded (nesting too deep) or Unsupported. In Lenient mode,
/// recoverable deviations are appended to `diagnostics` if it is not null.
ofstd::Result<DataSet> parse_dataset(const SharedBytes& bytes, const TransferSyntax& ts,
                                     const ReadOptions& options = {},
                                     std::vector<Diagnostic>* diagnostics = nullptr);

/// Like parse_dataset(), and also reports where parsing ended: at the end of input, or at the
/// stop_before / stop_after tag (the offset of the first unread byte).
struct ParseResult {
  DataSet data;
  std::uint64_t end_offset = 0;
  bool stopped_early = false;
  /// An error was met and ignore_parse_errors kept what came before (the error is here).
  std::optional<ofstd::Error> recovered_error;
};
ofstd::Result<ParseResult> parse_dataset_ex(const SharedBytes& bytes, const TransferSyntax& ts,
                                            const ReadOptions& options,
                                            std::vector<Diagnostic>* diagnostics,
                                            std::uint64_t base_offset = 0);

}  // namespace dcmkit::dcmdata

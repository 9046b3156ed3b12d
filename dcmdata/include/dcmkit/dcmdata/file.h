// SPDX-License-Identifier: BSD-3-Clause
// Part 10 files (PS3.10 §7): reading (memory-mapped; values stay views into the file) and the
// File Meta Information. Writing lives in writer.h.
//
//   ReadOptions options;
//   options.stop_before = tags::PixelData;
//   auto file = read_file("ct.dcm", options);
//   if (!file) { std::cerr << file.error().to_string(); return 1; }
//   auto uid = file->data.get_uid(tags::SOPInstanceUID);
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/reader.h"
#include "dcmkit/dcmdata/shared_bytes.h"
#include "dcmkit/dcmdata/transfer_syntax.h"
#include "dcmkit/dcmdata/uid.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmdata {

/// dcmkit's Implementation Class UID and Version Name, written into every meta header.
inline constexpr std::string_view kImplementationClassUid =
    "2.25.277396592795109285110496969364766898315";
inline constexpr std::string_view kImplementationVersionName = "DCMKIT_010";

/// A file (or bare data set) as read.
struct DicomFile {
  /// Group 0002 as read (empty for a bare data set).
  DataSet meta;
  /// The data set after the meta information.
  DataSet data;
  /// The transfer syntax the data set was read with.
  TransferSyntax transfer_syntax = explicit_vr_little_endian();
  /// True if the input had a preamble and "DICM" (or at least a meta group).
  bool has_meta = false;
  /// True if the input had the 128-byte preamble and "DICM".
  bool has_preamble = false;
  /// The 128-byte preamble, if any.
  SharedBytes preamble;
  /// The whole input, kept alive; values in meta and data are views into it (or into the
  /// inflated data set for deflated files).
  SharedBytes source;
  /// Offset of the encoded data set in `source` (after the meta group); for deflated files the
  /// data set is in `inflated` instead.
  std::uint64_t data_set_offset = 0;
  /// The inflated data set of a deflated file.
  SharedBytes inflated;
  /// Recoverable deviations found while reading.
  std::vector<Diagnostic> diagnostics;
  /// Reading stopped at ReadOptions::stop_before/stop_after.
  bool stopped_early = false;
  /// With ignore_parse_errors: the error after which the rest of the input was ignored.
  std::optional<ofstd::Error> recovered_error;

  /// The encoded data set bytes exactly as in the file (deflated files: still deflated), for
  /// sending without decoding (use case: dcmnet's C-STORE from file).
  std::span<const std::byte> encoded_data_set() const noexcept {
    return source.span().subspan(static_cast<std::size_t>(data_set_offset));
  }
};

/// Reads a file. NotFound / IoError for file system failures, MalformedData (with offset and tag
/// path) for bad content, Unsupported for unsupported encodings.
ofstd::Result<DicomFile> read_file(const std::filesystem::path& path,
                                   const ReadOptions& options = {});
/// Reads an in-memory file or data set (kept alive by `bytes`).
ofstd::Result<DicomFile> read_bytes(const SharedBytes& bytes, const ReadOptions& options = {});

/// Builds File Meta Information (PS3.10 §7.1) for a data set: version 00\01, the SOP Class and
/// Instance UIDs from the data set (else from `previous_meta`'s (0002,0002)/(0002,0003), as a
/// DICOMDIR needs; else empty), the transfer syntax, and dcmkit's implementation UID and version
/// name. InvalidArgument if `transfer_syntax_uid` is not a UID.
ofstd::Result<DataSet> make_file_meta(const DataSet& data, std::string_view transfer_syntax_uid,
                                      std::string_view source_ae_title = {},
                                      const DataSet* previous_meta = nullptr);

/// Inflates a raw deflate (or zlib, if `zlib_header`) stream, up to `max_size` bytes
/// (LimitExceeded beyond). A stream that ends without its end marker gives what was inflated
/// and sets `*truncated` (if given).
ofstd::Result<std::vector<std::byte>> inflate_bytes(std::span<const std::byte> input,
                                                    bool zlib_header, std::uint64_t max_size,
                                                    bool* truncated = nullptr);

}  // namespace dcmkit::dcmdata

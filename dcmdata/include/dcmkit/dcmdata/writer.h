// SPDX-License-Identifier: BSD-3-Clause
// Writing data sets and Part 10 files in any uncompressed transfer syntax or deflate. Values are
// streamed from wherever they live (a mapped file, say), so rewriting a 2 GB file does not hold
// its pixel data in memory; an unmodified data set is written back byte for byte.
//
//   WriteOptions options;                                 // as read: lengths, group lengths
//   DCMKIT_TRY(write_file("out.dcm", file.meta, file.data, explicit_vr_little_endian(), options));
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/transfer_syntax.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmdata {

/// Where encoded bytes go. Implementations may buffer; flush() pushes everything out.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual ofstd::Status write(std::span<const std::byte> bytes) = 0;
  virtual ofstd::Status flush() { return {}; }
};

/// Appends to a vector.
class VectorSink final : public ByteSink {
 public:
  explicit VectorSink(std::vector<std::byte>& out) : out_(out) {}
  ofstd::Status write(std::span<const std::byte> bytes) override {
    out_.insert(out_.end(), bytes.begin(), bytes.end());
    return {};
  }

 private:
  std::vector<std::byte>& out_;
};

/// Compresses with raw deflate (PS3.5 §A.5) into another sink; finish() ends the stream.
class DeflateSink final : public ByteSink {
 public:
  /// `level` 0..9 as zlib; `zlib_header` writes a zlib wrapper instead of raw deflate.
  static ofstd::Result<std::unique_ptr<DeflateSink>> create(ByteSink& target, int level,
                                                            bool zlib_header = false);
  ~DeflateSink() override;
  ofstd::Status write(std::span<const std::byte> bytes) override;
  /// Writes the end of the deflate stream; further writes fail.
  ofstd::Status finish();

 private:
  DeflateSink(ByteSink& target);
  struct State;
  ByteSink& target_;
  std::unique_ptr<State> state_;
};

/// How sequences and items encode their length (PS3.5 §7.5.1).
enum class LengthMode : std::uint8_t {
  AsRead,     ///< as each sequence/item was read (new ones: explicit)
  Explicit,   ///< always explicit lengths
  Undefined,  ///< always undefined lengths with delimitation items
};

/// What happens to group length elements (gggg,0000) (dcmconv's +g=, +g, -g).
enum class GroupLengthMode : std::uint8_t {
  Recalculate,  ///< keep those present, with correct values
  Create,       ///< write one for every group
  Remove,       ///< write none (the meta group's (0002,0000) is always written in files)
};

/// Writing options.
struct WriteOptions {
  LengthMode sequence_lengths = LengthMode::AsRead;
  LengthMode item_lengths = LengthMode::AsRead;
  GroupLengthMode group_lengths = GroupLengthMode::Recalculate;
  /// Pad odd-length values to even length with the VR's padding byte (PS3.5 §7.1.1). Turning
  /// this off writes odd values as they are (not conformant; for exact copies of broken files).
  bool pad_odd_lengths = true;
  /// Convert the VRs added after 1993 (UN UT UC UR OD OF OL OV SV UV) to OB (dcmconv -u).
  bool disable_new_vrs = false;
  /// Align the file on a multiple of this many bytes with Data Set Trailing Padding (FFFC,FFFC);
  /// 0 = leave padding as it is.
  std::uint32_t file_padding = 0;
  /// Align each item on a multiple of this many bytes with Data Set Trailing Padding; 0 = off.
  std::uint32_t item_padding = 0;
  /// Remove existing Data Set Trailing Padding elements (dcmconv -p).
  bool remove_padding = false;
  /// zlib level for deflated transfer syntaxes.
  int deflate_level = 6;
  /// Write the 128-byte preamble and "DICM" (Part 10); otherwise only the meta group and data.
  bool write_preamble = true;
};

/// Encodes `data` in transfer syntax `ts` (deflated syntaxes are compressed). Errors are
/// InvalidArgument (a value that cannot be encoded, such as an over-long explicit length) or
/// whatever the sink returns.
ofstd::Status write_dataset(ByteSink& sink, const DataSet& data, const TransferSyntax& ts,
                            const WriteOptions& options = {});

/// Encodes `data` into a new byte vector.
ofstd::Result<std::vector<std::byte>> encode_dataset(const DataSet& data, const TransferSyntax& ts,
                                                     const WriteOptions& options = {});

/// Writes a Part 10 stream: optional preamble (`preamble` if 128 bytes, else zeros) and "DICM",
/// the meta group in explicit VR little endian (its (0002,0000) recalculated), then the data
/// set. The meta's Transfer Syntax UID should name `ts` (make_file_meta() builds one).
ofstd::Status write_part10(ByteSink& sink, const DataSet& meta, const DataSet& data,
                           const TransferSyntax& ts, const WriteOptions& options = {},
                           std::span<const std::byte> preamble = {});

/// Writes a file atomically: to a temporary file in the same directory, renamed over `path`
/// only on success, so a failed write never leaves a partial file. With an empty `meta`, only
/// the data set is written (dcmconv -F).
ofstd::Status write_file(const std::filesystem::path& path, const DataSet& meta,
                         const DataSet& data, const TransferSyntax& ts,
                         const WriteOptions& options = {},
                         std::span<const std::byte> preamble = {});

/// The encoded length of `data` in `ts` (not deflated), as write_dataset() would write it.
std::uint64_t encoded_length(const DataSet& data, const TransferSyntax& ts,
                             const WriteOptions& options = {});

}  // namespace dcmkit::dcmdata

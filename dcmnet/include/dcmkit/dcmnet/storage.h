// SPDX-License-Identifier: BSD-3-Clause
// The Storage service (PS3.4 Annex B) over an Association, without decoding what it need not:
// a file is sent as the encoded bytes of its data set, straight from the mapped file, when the
// negotiated transfer syntax is the file's (transcoded through a streaming encoder only when it
// differs); a received data set streams into a temporary file after a generated meta header and
// becomes visible under its final name only when complete.
//
//   DCMKIT_ASSIGN_OR_RETURN(const dcmdata::DicomFile file, dcmdata::read_file(path, header_only));
//   DCMKIT_ASSIGN_OR_RETURN(const StoreResult sent, store_file(association, file, 1, {}));
//
//   // acceptor, after receive_command() returned a C-STORE-RQ:
//   DCMKIT_ASSIGN_OR_RETURN(ReceivedFile received, receive_to_file(association, incoming, opts));
//   DCMKIT_ASSIGN_OR_RETURN(const bool stored, received.commit(dir / name));
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/reader.h"
#include "dcmkit/dcmdata/transfer_syntax.h"
#include "dcmkit/dcmdata/writer.h"
#include "dcmkit/dcmnet/association.h"
#include "dcmkit/dcmnet/dimse.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmnet {

/// Options of a C-STORE sent by store_file() or store_data_set().
struct StoreOptions {
  Priority priority = Priority::Medium;
  /// For C-STORE sub-operations of a C-MOVE (PS3.7 §9.1.1.1).
  std::string move_originator_ae;
  std::optional<std::uint16_t> move_originator_message_id;
  /// Used when the data set must be encoded (transcoding or a modified data set).
  dcmdata::WriteOptions write_options;
  /// Called after each PDV of the data set with the bytes sent so far.
  ProgressCallback progress;
};

/// Outcome of a C-STORE: the response command and how the data set went out.
struct StoreResult {
  std::uint8_t context_id = 0;
  Command response;
  /// The data set was re-encoded because the negotiated transfer syntax differs from the file's.
  bool transcoded = false;
  /// The transfer syntax the data set was sent in.
  std::string transfer_syntax;
};

/// True if a data set in `from` can be re-encoded in `to` by dcmdata's writer: equal syntaxes,
/// or both uncompressed (native pixel data; deflate counts as uncompressed).
bool can_transcode(const dcmdata::TransferSyntax& from, const dcmdata::TransferSyntax& to) noexcept;

/// The accepted context to send an object of `sop_class` encoded in `ts` on: one with the same
/// transfer syntax if there is one; otherwise one whose syntax can_transcode() to, preferring
/// explicit VR little endian, then implicit, then others. nullptr if none fits.
const AcceptedContext* choose_context(const Association& association, std::string_view sop_class,
                                      const dcmdata::TransferSyntax& ts) noexcept;

/// Sends `file` as a C-STORE-RQ with `message_id` and waits for the C-STORE-RSP (DIMSE
/// timeout). The SOP class and instance come from the data set ((0008,0016), (0008,0018)),
/// else from the meta information. When the chosen context's syntax is the file's, the encoded
/// data set bytes are sent as they are in the file (`file` may then have been read up to the
/// SOP Instance UID only); otherwise the file is read completely and transcoded while sending.
/// NotFound if no accepted context fits (the message names the SOP class and transfer syntax),
/// MalformedData for a file without SOP UIDs, Network/LimitExceeded for association failures.
/// A failure status from the peer is not an error: see StoreResult::response.status.
ofstd::Result<StoreResult> store_file(Association& association, const dcmdata::DicomFile& file,
                                      std::uint16_t message_id, const StoreOptions& options = {});

/// Sends a data set held in memory (e.g. with invented UIDs) as a C-STORE, encoded in the
/// transfer syntax of the chosen context; `source_ts` is the syntax its pixel data is in.
ofstd::Result<StoreResult> store_data_set(Association& association, const dcmdata::DataSet& data,
                                          const dcmdata::TransferSyntax& source_ts,
                                          std::uint16_t message_id,
                                          const StoreOptions& options = {});

struct ReceiveOptions;

/// A received object in a temporary file until commit(). The temporary name starts with '.'
/// and ends in ".part", so directory scanners do not take it for a complete file. Move-only;
/// destroying an uncommitted ReceivedFile removes the temporary file.
class ReceivedFile {
 public:
  ReceivedFile(std::filesystem::path temp_path, std::string transfer_syntax,
               std::uint64_t data_set_size);
  ReceivedFile(ReceivedFile&& other) noexcept;
  ReceivedFile& operator=(ReceivedFile&& other) noexcept;
  ReceivedFile(const ReceivedFile&) = delete;
  ReceivedFile& operator=(const ReceivedFile&) = delete;
  ~ReceivedFile();

  const std::filesystem::path& temp_path() const noexcept { return temp_path_; }
  /// The transfer syntax the data set was received (and is stored) in.
  const std::string& transfer_syntax() const noexcept { return transfer_syntax_; }
  /// Bytes of the data set received (without the meta header).
  std::uint64_t data_set_size() const noexcept { return data_set_size_; }

  /// Reads the stored file, by default up to the pixel data (for sorting and naming).
  ofstd::Result<dcmdata::DicomFile> read(const dcmdata::ReadOptions& options) const;
  /// Rewrites the temporary file in another transfer syntax or with other write options
  /// (storescp +te, -g, -e, ...). Unsupported if the syntaxes cannot be converted.
  ofstd::Status convert(const dcmdata::TransferSyntax& ts, const dcmdata::WriteOptions& options,
                        bool write_meta);

  /// Gives the file its final name without ever replacing an existing file: false (and the
  /// temporary file is kept) if `path` exists; IoError for other failures.
  ofstd::Result<bool> commit(const std::filesystem::path& path);
  /// Removes the temporary file now.
  void discard() noexcept;

 private:
  friend ofstd::Result<ReceivedFile> receive_to_file(Association&, const Incoming&,
                                                     const ReceiveOptions&);
  std::filesystem::path temp_path_;
  std::string transfer_syntax_;
  std::uint64_t data_set_size_ = 0;
  bool has_file_ = false;
};

/// Options of receive_to_file().
struct ReceiveOptions {
  /// Where the temporary file is created (the final name should be on the same file system).
  std::filesystem::path directory;
  /// Calling AE title, written as Source Application Entity Title (0002,0016).
  std::string source_ae;
  /// Write the preamble and File Meta Information (storescp +F); false: the bare data set (-F).
  bool write_meta = true;
  /// Called after each PDV with the bytes received so far.
  ProgressCallback progress;
};

/// Receives the data set of the C-STORE-RQ `rq` (just returned by receive_command()) into a new
/// temporary file: a meta header generated from the command's Affected SOP Class and Instance
/// UIDs and the context's transfer syntax, then the PDV payloads as they arrive. Memory use is
/// one PDU whatever the size. IoError if the file cannot be written (the data set is still read
/// to its end, so the caller can answer with a failure status); association errors otherwise.
ofstd::Result<ReceivedFile> receive_to_file(Association& association, const Incoming& rq,
                                            const ReceiveOptions& options);

/// The File Meta Information for an object received with these UIDs (PS3.10 §7.1), built
/// without the data set.
ofstd::Result<dcmdata::DataSet> make_received_meta(std::string_view sop_class,
                                                   std::string_view sop_instance,
                                                   std::string_view transfer_syntax,
                                                   std::string_view source_ae);

}  // namespace dcmkit::dcmnet

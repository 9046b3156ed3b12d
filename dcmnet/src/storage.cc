// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmnet/storage.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/strings.h"

namespace dcmkit::dcmnet {

using dcmdata::DataSet;
using dcmdata::Element;
using dcmdata::SharedBytes;
using dcmdata::Tag;
using dcmdata::TransferSyntax;
using dcmdata::VR;
using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

namespace {

constinit const oflog::Logger kLog{"dcmkit.dcmnet.storage"};

constexpr Tag kSopClassUid{0x0008, 0x0016};
constexpr Tag kSopInstanceUid{0x0008, 0x0018};
constexpr Tag kMediaSopClassUid{0x0002, 0x0002};
constexpr Tag kMediaSopInstanceUid{0x0002, 0x0003};

Error os_error(std::string_view what, const std::filesystem::path& path, int error_number) {
  return Error(ErrorCode::IoError,
               std::string(what) + " " + path.string() + ": " + std::strerror(error_number));
}

// A buffered sink writing to a file descriptor.
class FileSink final : public dcmdata::ByteSink {
 public:
  explicit FileSink(int fd) : fd_(fd) { buffer_.reserve(kBufferSize); }
  Status write(std::span<const std::byte> bytes) override {
    if (buffer_.size() + bytes.size() > kBufferSize) {
      DCMKIT_TRY(flush());
      if (bytes.size() >= kBufferSize) return write_all(bytes);
    }
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
    return {};
  }
  Status flush() override {
    DCMKIT_TRY(write_all(buffer_));
    buffer_.clear();
    return {};
  }
  std::uint64_t written() const { return written_; }

 private:
  static constexpr std::size_t kBufferSize = 256 * 1024;
  Status write_all(std::span<const std::byte> bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return Error(ErrorCode::IoError, std::string("writing: ") + std::strerror(errno));
      }
      bytes = bytes.subspan(static_cast<std::size_t>(n));
      written_ += static_cast<std::uint64_t>(n);
    }
    return {};
  }
  int fd_;
  std::vector<std::byte> buffer_;
  std::uint64_t written_ = 0;
};

class NullSink final : public dcmdata::ByteSink {
 public:
  Status write(std::span<const std::byte>) override { return {}; }
};

// Counts what passes through to another sink.
class CountingSink final : public dcmdata::ByteSink {
 public:
  explicit CountingSink(dcmdata::ByteSink& target) : target_(target) {}
  Status write(std::span<const std::byte> bytes) override {
    count_ += bytes.size();
    return target_.write(bytes);
  }
  Status flush() override { return target_.flush(); }
  std::uint64_t count() const { return count_; }

 private:
  dcmdata::ByteSink& target_;
  std::uint64_t count_ = 0;
};

// A new, empty temporary file in `directory`: ".<stem>.XXXXXX.part" (mkstemps).
Result<std::pair<int, std::filesystem::path>> create_temp(const std::filesystem::path& directory,
                                                          std::string_view stem) {
  const std::filesystem::path dir = directory.empty() ? std::filesystem::path(".") : directory;
  std::string name = (dir / ("." + std::string(stem) + ".XXXXXX.part")).string();
  const int fd = ::mkstemps(name.data(), 5);
  if (fd < 0) return os_error("cannot create a temporary file in", dir, errno);
  ::fchmod(fd, 0644);
  return std::pair<int, std::filesystem::path>(fd, std::filesystem::path(name));
}

std::string uid_value(const DataSet& data, Tag tag) {
  const Element* e = data.find(tag);
  if (e == nullptr || e->kind() != dcmdata::ValueKind::Bytes) return {};
  return std::string(ofstd::trim(e->bytes().chars(), std::string_view(" \0", 2)));
}

// Waits for the C-STORE-RSP to message `message_id`.
Result<Command> receive_store_response(Association& association, std::uint16_t message_id) {
  for (;;) {
    DCMKIT_ASSIGN_OR_RETURN(Incoming incoming, association.receive_command());
    if (incoming.kind == Incoming::Kind::ReleaseRequested) {
      return Error(ErrorCode::Network, "the peer requested release while a C-STORE was pending");
    }
    if (incoming.command.field == CommandField::CStoreRsp &&
        incoming.command.message_id_responded_to == message_id) {
      if (incoming.command.has_data_set) {
        auto ignored = association.receive_data_set(std::size_t{1} << 20);
        if (!ignored) return std::move(ignored).error();
      }
      return std::move(incoming.command);
    }
    DCMKIT_LOG_DEBUG(kLog, "ignoring " << to_string(incoming.command.field)
                                       << " while waiting for a C-STORE-RSP");
  }
}

}  // namespace

bool can_transcode(const TransferSyntax& from, const TransferSyntax& to) noexcept {
  if (from == to) return true;
  if (!from.is_known() || !to.is_known()) return false;
  return !from.is_encapsulated() && !to.is_encapsulated();
}

const AcceptedContext* choose_context(const Association& association, std::string_view sop_class,
                                      const TransferSyntax& ts) noexcept {
  if (const AcceptedContext* same = association.find_context(sop_class, ts.uid())) return same;
  const AcceptedContext* best = nullptr;
  int best_rank = 0;
  for (const AcceptedContext& c : association.contexts()) {
    if (c.abstract_syntax != sop_class) continue;
    const TransferSyntax target = TransferSyntax::lookup_or_unknown(c.transfer_syntax);
    if (!can_transcode(ts, target)) continue;
    int rank = 1;
    if (c.transfer_syntax == dcmdata::ts_uids::kExplicitVRLittleEndian) rank = 4;
    if (c.transfer_syntax == dcmdata::ts_uids::kImplicitVRLittleEndian) rank = 3;
    if (c.transfer_syntax == dcmdata::ts_uids::kExplicitVRBigEndian) rank = 2;
    if (rank > best_rank) {
      best = &c;
      best_rank = rank;
    }
  }
  return best;
}

namespace {

Result<StoreResult> send_store(Association& association, const AcceptedContext& context,
                               std::string_view sop_class, std::string_view sop_instance,
                               std::uint16_t message_id, const StoreOptions& options,
                               const std::function<Status()>& send_data) {
  const Command rq =
      make_c_store_rq(message_id, sop_class, sop_instance, options.priority,
                      options.move_originator_ae, options.move_originator_message_id);
  DCMKIT_TRY(association.send_command(context.id, rq));
  DCMKIT_TRY(send_data());
  StoreResult result;
  result.context_id = context.id;
  result.transfer_syntax = context.transfer_syntax;
  DCMKIT_ASSIGN_OR_RETURN(result.response, receive_store_response(association, message_id));
  return result;
}

// Encodes `data` in `ts` straight into PDVs; a deflated stream of odd length gets a trailing
// zero byte (PS3.5 §A.5), as PDVs carry even lengths.
Status send_encoded(Association& association, std::uint8_t context_id, const DataSet& data,
                    const TransferSyntax& ts, const StoreOptions& options) {
  return association.send_data_set(
      context_id,
      [&](dcmdata::ByteSink& sink) -> Status {
        CountingSink counted(sink);
        DCMKIT_TRY(dcmdata::write_dataset(counted, data, ts, options.write_options));
        if (counted.count() % 2 != 0) {
          const std::byte pad[1] = {std::byte{0}};
          DCMKIT_TRY(sink.write(pad));
        }
        return {};
      },
      options.progress);
}

Error no_context(std::string_view sop_class, const TransferSyntax& ts) {
  return Error(ErrorCode::NotFound, "no presentation context for " + uid_name(sop_class) + " (" +
                                        std::string(sop_class) + ") in " +
                                        std::string(ts.name().empty() ? ts.uid() : ts.name()));
}

}  // namespace

Result<StoreResult> store_file(Association& association, const dcmdata::DicomFile& file,
                               std::uint16_t message_id, const StoreOptions& options) {
  std::string sop_class = uid_value(file.data, kSopClassUid);
  std::string sop_instance = uid_value(file.data, kSopInstanceUid);
  if (sop_class.empty()) sop_class = uid_value(file.meta, kMediaSopClassUid);
  if (sop_instance.empty()) sop_instance = uid_value(file.meta, kMediaSopInstanceUid);
  if (sop_class.empty() || sop_instance.empty()) {
    return Error(ErrorCode::MalformedData, "no SOP Class UID or SOP Instance UID in the file");
  }
  const TransferSyntax& ts = file.transfer_syntax;
  const AcceptedContext* context = choose_context(association, sop_class, ts);
  if (context == nullptr) return no_context(sop_class, ts);
  const std::span<const std::byte> encoded =
      ts.is_deflated() ? file.source.span().subspan(file.data_set_offset) : file.encoded_data_set();
  // PDVs carry even lengths (DCMTK aborts on an odd fragment). A deflated stream gets the
  // trailing zero byte PS3.5 §A.5 allows; an odd plain data set is broken (odd values) and is
  // re-encoded, which pads its values.
  const bool odd = encoded.size() % 2 != 0;
  if (context->transfer_syntax == ts.uid() && (!odd || ts.is_deflated())) {
    // Use case 4: the bytes of the data set go out as they are in the file.
    if (!odd) {
      return send_store(association, *context, sop_class, sop_instance, message_id, options, [&] {
        return association.send_data_set(context->id, encoded, options.progress);
      });
    }
    return send_store(association, *context, sop_class, sop_instance, message_id, options, [&] {
      return association.send_data_set(
          context->id,
          [&](dcmdata::ByteSink& sink) -> Status {
            DCMKIT_TRY(sink.write(encoded));
            const std::byte pad[1] = {std::byte{0}};
            return sink.write(pad);
          },
          options.progress);
    });
  }
  // Transcoding needs the whole data set; re-read it if the caller stopped early.
  DataSet full;
  const DataSet* data = &file.data;
  if (file.stopped_early) {
    dcmdata::ReadOptions read_options;
    auto reread = dcmdata::read_bytes(file.source, read_options);
    if (!reread) return std::move(reread).error().with_context("re-reading for transcoding");
    full = std::move(reread->data);
    data = &full;
  }
  const TransferSyntax target = TransferSyntax::lookup_or_unknown(context->transfer_syntax);
  DCMKIT_LOG_DEBUG(kLog, "transcoding " << ts.uid() << " -> " << target.uid());
  auto result =
      send_store(association, *context, sop_class, sop_instance, message_id, options,
                 [&] { return send_encoded(association, context->id, *data, target, options); });
  if (result) result->transcoded = !(target == ts);
  return result;
}

Result<StoreResult> store_data_set(Association& association, const DataSet& data,
                                   const TransferSyntax& source_ts, std::uint16_t message_id,
                                   const StoreOptions& options) {
  const std::string sop_class = uid_value(data, kSopClassUid);
  const std::string sop_instance = uid_value(data, kSopInstanceUid);
  if (sop_class.empty() || sop_instance.empty()) {
    return Error(ErrorCode::MalformedData, "no SOP Class UID or SOP Instance UID in the data set");
  }
  const AcceptedContext* context = choose_context(association, sop_class, source_ts);
  if (context == nullptr) return no_context(sop_class, source_ts);
  const TransferSyntax target = TransferSyntax::lookup_or_unknown(context->transfer_syntax);
  auto result =
      send_store(association, *context, sop_class, sop_instance, message_id, options,
                 [&] { return send_encoded(association, context->id, data, target, options); });
  if (result) result->transcoded = !(target == source_ts);
  return result;
}

// --- Receiving --------------------------------------------------------------------------

ReceivedFile::ReceivedFile(std::filesystem::path temp_path, std::string transfer_syntax,
                           std::uint64_t data_set_size)
    : temp_path_(std::move(temp_path)),
      transfer_syntax_(std::move(transfer_syntax)),
      data_set_size_(data_set_size),
      has_file_(true) {}

ReceivedFile::ReceivedFile(ReceivedFile&& other) noexcept
    : temp_path_(std::move(other.temp_path_)),
      transfer_syntax_(std::move(other.transfer_syntax_)),
      data_set_size_(other.data_set_size_),
      has_file_(std::exchange(other.has_file_, false)) {}

ReceivedFile& ReceivedFile::operator=(ReceivedFile&& other) noexcept {
  if (this != &other) {
    discard();
    temp_path_ = std::move(other.temp_path_);
    transfer_syntax_ = std::move(other.transfer_syntax_);
    data_set_size_ = other.data_set_size_;
    has_file_ = std::exchange(other.has_file_, false);
  }
  return *this;
}

ReceivedFile::~ReceivedFile() { discard(); }

void ReceivedFile::discard() noexcept {
  if (has_file_) {
    ::unlink(temp_path_.c_str());
    has_file_ = false;
  }
}

Result<dcmdata::DicomFile> ReceivedFile::read(const dcmdata::ReadOptions& options) const {
  return dcmdata::read_file(temp_path_, options);
}

Status ReceivedFile::convert(const TransferSyntax& ts, const dcmdata::WriteOptions& options,
                             bool write_meta) {
  dcmdata::ReadOptions read_options;
  read_options.avoid_mmap = false;
  DCMKIT_ASSIGN_OR_RETURN(dcmdata::DicomFile file, dcmdata::read_file(temp_path_, read_options));
  if (!can_transcode(file.transfer_syntax, ts)) {
    return Error(ErrorCode::Unsupported, "cannot convert " +
                                             std::string(file.transfer_syntax.uid()) + " to " +
                                             std::string(ts.uid()));
  }
  DataSet meta;
  if (write_meta) {
    meta = file.meta;
    DCMKIT_ASSIGN_OR_RETURN(const dcmdata::Uid ts_uid, dcmdata::Uid::parse(ts.uid()));
    DCMKIT_TRY(meta.set_uid(Tag{0x0002, 0x0010}, ts_uid));
  }
  DCMKIT_ASSIGN_OR_RETURN(auto created, create_temp(temp_path_.parent_path(), "convert"));
  ::close(created.first);
  Status written = dcmdata::write_file(created.second, meta, file.data, ts, options);
  if (!written) {
    ::unlink(created.second.c_str());
    return written;
  }
  if (::rename(created.second.c_str(), temp_path_.c_str()) != 0) {
    const int error_number = errno;
    ::unlink(created.second.c_str());
    return os_error("cannot replace", temp_path_, error_number);
  }
  transfer_syntax_ = std::string(ts.uid());
  return {};
}

Result<bool> ReceivedFile::commit(const std::filesystem::path& path) {
  if (!has_file_) return Error(ErrorCode::InvalidArgument, "nothing to commit");
  // renameat2(RENAME_NOREPLACE) never replaces; link()+unlink() where it is not supported.
  if (::renameat2(AT_FDCWD, temp_path_.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) == 0) {
    has_file_ = false;
    return true;
  }
  if (errno == EEXIST) return false;
  if (errno == EINVAL || errno == ENOSYS) {
    if (::link(temp_path_.c_str(), path.c_str()) == 0) {
      ::unlink(temp_path_.c_str());
      has_file_ = false;
      return true;
    }
    if (errno == EEXIST) return false;
  }
  return os_error("cannot store", path, errno);
}

Result<DataSet> make_received_meta(std::string_view sop_class, std::string_view sop_instance,
                                   std::string_view transfer_syntax, std::string_view source_ae) {
  // make_file_meta() takes the SOP UIDs from a data set: give it one with just those.
  DataSet uids;
  const auto put = [&uids](Tag tag, std::string_view value) {
    std::string padded(value);
    if (padded.size() % 2 != 0) padded.push_back('\0');
    uids.insert(Element(tag, VR::UI, SharedBytes::copy_of(padded)));
  };
  put(kSopClassUid, sop_class);
  put(kSopInstanceUid, sop_instance);
  return dcmdata::make_file_meta(uids, transfer_syntax, source_ae);
}

Result<ReceivedFile> receive_to_file(Association& association, const Incoming& rq,
                                     const ReceiveOptions& options) {
  const AcceptedContext* context = association.context(rq.context_id);
  if (context == nullptr || !association.data_set_pending()) {
    return Error(ErrorCode::InvalidArgument, "no data set to receive");
  }
  auto created = create_temp(options.directory, "receiving");
  if (!created) {
    // Read the data set anyway, so that the association can go on.
    NullSink discard;
    DCMKIT_TRY(association.receive_data_set(discard, options.progress));
    return std::move(created).error();
  }
  const int fd = created->first;
  // From here on, the temporary file is removed on every failure.
  ReceivedFile received(created->second, context->transfer_syntax, 0);
  Status status;
  std::uint64_t data_size = 0;
  {
    FileSink sink(fd);
    if (options.write_meta) {
      auto meta = make_received_meta(rq.command.affected_sop_class_uid,
                                     rq.command.affected_sop_instance_uid, context->transfer_syntax,
                                     options.source_ae);
      if (meta) {
        // The data set that follows is already encoded (and deflated, for the deflated syntax):
        // write the meta group alone, with an empty data set in a plain syntax.
        status =
            dcmdata::write_part10(sink, *meta, DataSet(), dcmdata::explicit_vr_little_endian());
      } else {
        status = std::move(meta).error();
      }
    }
    CountingSink counted(sink);
    if (status) {
      status = association.receive_data_set(counted, options.progress);
    } else {
      // Still read the data set to its end, so that a failure status can be sent; an
      // association failure matters more than the file's.
      NullSink discard;
      Status drained = association.receive_data_set(discard, options.progress);
      if (!drained) status = std::move(drained);
    }
    data_size = counted.count();
    if (status) status = sink.flush();
  }
  if (::close(fd) != 0 && status) {
    status = os_error("cannot close", received.temp_path(), errno);
  }
  if (!status) return std::move(status).error();
  received.data_set_size_ = data_size;
  return received;
}

}  // namespace dcmkit::dcmnet

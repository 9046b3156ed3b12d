// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmnet/association.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmnet/tls.h"
#include "dcmkit/oflog/logger.h"

namespace dcmkit::dcmnet {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

namespace {

constinit const oflog::Logger kLog{"dcmkit.dcmnet"};

// Receive buffer: large enough to take many 16 KiB PDUs per read() call.
constexpr std::size_t kReceiveBufferSize = 256 * 1024;
// ARTIM while waiting for the peer to close after our A-ABORT: peers close at once; this only
// bounds how long a silent one can hold us.
constexpr std::chrono::milliseconds kAbortLinger{2000};
// PDV size when the peer announces no limit (Maximum Length 0).
constexpr std::size_t kUnlimitedPdv = 4u << 20;

class NullSink final : public dcmdata::ByteSink {
 public:
  Status write(std::span<const std::byte>) override { return {}; }
};

}  // namespace

// The upper-layer connection shared by PendingAssociation and Association: transport, state
// machine, receive buffer and the actions of PS3.8 Table 9-10.
namespace detail {

class Link {
 public:
  Link(std::unique_ptr<Transport> transport, StateMachine::Role role, AssociationConfig config)
      : transport_(std::move(transport)), machine_(role), config_(std::move(config)) {}
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;
  ~Link() = default;

  Transport& transport() { return *transport_; }
  StateMachine& machine() { return machine_; }
  AssociationConfig& config() { return config_; }
  bool aborted_by_peer() const { return aborted_by_peer_; }

  // Per-read deadline: the message deadline, and no single read longer than the socket timeout.
  Deadline read_deadline(Deadline message_deadline) const {
    return earliest(message_deadline, deadline_after(config_.timeouts.socket));
  }

  Status write(std::span<const std::span<const std::byte>> buffers) {
    Status status = transport_->write(buffers, deadline_after(config_.timeouts.socket));
    if (!status) {
      // Cannot send: the transport is unusable (PS3.8 treats it as connection closed).
      close();
      return std::move(status).error().with_context("sending to " + transport_->peer_address());
    }
    return {};
  }

  Status send_pdu(const Pdu& pdu) {
    DCMKIT_ASSIGN_OR_RETURN(const std::vector<std::byte> bytes, encode_pdu(pdu));
    DCMKIT_LOG_TRACE(kLog,
                     "sending " << to_string(type_of(pdu)) << " (" << bytes.size() << " bytes)");
    const std::span<const std::byte> one[] = {bytes};
    return write(one);
  }

  // Sends an A-ABORT (best effort), then lets the peer read it before the connection goes.
  void send_abort_and_close(std::uint8_t source, std::uint8_t reason) {
    if (closed_) return;
    DCMKIT_LOG_DEBUG(
        kLog, "sending A-ABORT (source " << int{source} << ", reason " << int{reason} << ")");
    if (send_pdu(Abort{source, reason})) {
      transport_->close_write();
      wait_for_close(Clock::now() + kAbortLinger);
    }
    close();
  }

  // Sta13: read and discard until the peer closes or the deadline (ARTIM) passes.
  void wait_for_close(Deadline deadline) {
    std::array<std::byte, 4096> scratch{};
    for (;;) {
      auto n = transport_->read_some(scratch, deadline);
      if (!n || *n == 0) break;
    }
  }

  void close() {
    if (!closed_) {
      closed_ = true;
      transport_->shutdown();
    }
  }
  bool closed() const { return closed_; }

  // Reads one PDU (its bytes stay valid until the next call) and applies its event to the
  // state machine, performing the abort actions the table prescribes. Errors: the association
  // is over (aborted or closed), except for a timeout, which the caller handles.
  Result<Pdu> receive_pdu(Deadline message_deadline) {
    auto raw = read_raw_pdu(message_deadline);
    if (!raw) {
      if (is_timeout(raw.error())) return std::move(raw).error();
      if (raw.error().code() == ErrorCode::MalformedData) {
        const Transition t = machine_.apply(Event::InvalidPduReceived);
        perform_abort_action(t.action, abort_reason::kInvalidPduParameterValue);
        return Error(ErrorCode::Network, "invalid PDU received: " + raw.error().to_string());
      }
      if (machine_.lookup(Event::TransportClosed)) machine_.apply(Event::TransportClosed);
      close();
      return std::move(raw).error();
    }
    auto decoded = decode_pdu(*raw, config_.limits);
    if (!decoded) {
      DCMKIT_LOG_DEBUG(kLog, "invalid PDU: " << decoded.error().to_string());
      const Transition t = machine_.apply(Event::InvalidPduReceived);
      perform_abort_action(t.action, decoded.error().code() == ErrorCode::Unsupported
                                         ? abort_reason::kUnrecognizedPdu
                                         : abort_reason::kInvalidPduParameterValue);
      return Error(ErrorCode::Network, "invalid PDU received: " + decoded.error().to_string());
    }
    Pdu pdu = std::move(decoded).value();
    const PduType type = type_of(pdu);
    DCMKIT_LOG_TRACE(kLog, "received " << to_string(type) << " (" << raw->size() << " bytes) in "
                                       << to_string(machine_.state()));
    Event event = Event::PDataReceived;
    switch (type) {
      case PduType::AssociateRq:
        event = Event::AssociateRqReceived;
        break;
      case PduType::AssociateAc:
        event = Event::AssociateAcReceived;
        break;
      case PduType::AssociateRj:
        event = Event::AssociateRjReceived;
        break;
      case PduType::PDataTf:
        event = Event::PDataReceived;
        break;
      case PduType::ReleaseRq:
        event = Event::ReleaseRqReceived;
        break;
      case PduType::ReleaseRp:
        event = Event::ReleaseRpReceived;
        break;
      case PduType::Abort:
        event = Event::AbortReceived;
        break;
    }
    const State before = machine_.state();
    const Transition t = machine_.apply(event);
    switch (t.action) {
      case Action::AA1:
      case Action::AA2:
      case Action::AA3:
      case Action::AA4:
      case Action::AA5:
      case Action::AA7:
      case Action::AA8: {
        if (t.action == Action::AA3 || (t.action == Action::AA2 && type == PduType::Abort)) {
          aborted_by_peer_ = true;
          const Abort& abort = std::get<Abort>(pdu);
          close();
          return Error(ErrorCode::Network, "association aborted by the peer (source " +
                                               std::to_string(abort.source) + ", reason " +
                                               std::to_string(abort.reason) + ")");
        }
        perform_abort_action(t.action, abort_reason::kUnexpectedPdu);
        return Error(ErrorCode::Network, "unexpected " + std::string(to_string(type)) + " in " +
                                             std::string(to_string(before)) +
                                             "; association aborted");
      }
      case Action::AA6:
        // Sta13: PDUs after our A-ABORT or A-RELEASE-RP are ignored.
        return pdu;
      default:
        return pdu;
    }
  }

  void perform_abort_action(Action action, std::uint8_t reason) {
    switch (action) {
      case Action::AA1:
        send_abort_and_close(abort_reason::kServiceUser, 0);
        break;
      case Action::AA7:
      case Action::AA8:
        send_abort_and_close(abort_reason::kServiceProvider, reason);
        break;
      default:
        close();
        break;
    }
  }

 private:
  // Fills the receive buffer with at least one more byte.
  Status fill(Deadline message_deadline) {
    if (rx_.empty()) rx_.resize(kReceiveBufferSize);
    if (rx_end_ == rx_.size()) {
      if (rx_begin_ > 0) {
        std::memmove(rx_.data(), rx_.data() + rx_begin_, rx_end_ - rx_begin_);
        rx_end_ -= rx_begin_;
        rx_begin_ = 0;
      } else {
        rx_.resize(rx_.size() * 2);
      }
    }
    DCMKIT_ASSIGN_OR_RETURN(const std::size_t n,
                            transport_->read_some(std::span<std::byte>(rx_).subspan(rx_end_),
                                                  read_deadline(message_deadline)));
    if (n == 0) return Error(ErrorCode::Network, "connection closed by peer");
    rx_end_ += n;
    return {};
  }

  Result<std::span<const std::byte>> read_raw_pdu(Deadline message_deadline) {
    if (closed_) return Error(ErrorCode::Network, "connection closed");
    if (rx_begin_ == rx_end_) rx_begin_ = rx_end_ = 0;
    while (rx_end_ - rx_begin_ < kPduHeaderSize) DCMKIT_TRY(fill(message_deadline));
    DCMKIT_ASSIGN_OR_RETURN(
        const PduHeader header,
        decode_pdu_header(std::span<const std::byte>(rx_).subspan(rx_begin_, kPduHeaderSize)));
    if (!transport_->is_secure() &&
        looks_like_tls_record(std::span<const std::byte>(rx_).subspan(rx_begin_, 3))) {
      return Error(ErrorCode::Network,
                   "the peer sent TLS data, not a DICOM PDU: it expects a TLS connection");
    }
    if (header.length > config_.limits.max_pdu_length) {
      // Never size a buffer by an unchecked length; this is an invalid PDU (Evt19).
      return Error(ErrorCode::MalformedData, "PDU length " + std::to_string(header.length) +
                                                 " exceeds the limit of " +
                                                 std::to_string(config_.limits.max_pdu_length));
    }
    const std::size_t total = kPduHeaderSize + header.length;
    if (rx_.size() - rx_begin_ < total) {
      // Make room: move the partial PDU to the front, grow only if it cannot fit at all.
      std::memmove(rx_.data(), rx_.data() + rx_begin_, rx_end_ - rx_begin_);
      rx_end_ -= rx_begin_;
      rx_begin_ = 0;
      if (rx_.size() < total) rx_.resize(total);
    }
    while (rx_end_ - rx_begin_ < total) DCMKIT_TRY(fill(message_deadline));
    const auto pdu = std::span<const std::byte>(rx_).subspan(rx_begin_, total);
    rx_begin_ += total;
    return pdu;
  }

  std::unique_ptr<Transport> transport_;
  StateMachine machine_;
  AssociationConfig config_;
  std::vector<std::byte> rx_;
  std::size_t rx_begin_ = 0;
  std::size_t rx_end_ = 0;
  bool closed_ = false;
  bool aborted_by_peer_ = false;
};

}  // namespace detail

using detail::Link;

// --- PendingAssociation -----------------------------------------------------------------

struct PendingAssociation::Impl {
  std::unique_ptr<Link> link;
  AssociateRq rq;
};

struct Association::Impl {
  std::unique_ptr<Link> link;
  AssociateRq rq;
  AssociateAc ac;
  std::vector<AcceptedContext> contexts;
  std::size_t max_pdv = 16372;
  // Receiving: the PDVs of the current P-DATA-TF not yet consumed.
  std::vector<PdvView> pdvs;
  std::size_t next_pdv = 0;
  bool data_pending = false;
  std::uint8_t data_context = 0;
  std::vector<std::byte> command_buffer;

  void compute_max_pdv(std::uint32_t peer_max_length) {
    std::size_t limit = peer_max_length == 0 ? kUnlimitedPdv : peer_max_length;
    const std::uint32_t own_cap = link->config().max_send_pdu;
    if (own_cap != 0 && own_cap < limit) limit = own_cap;
    // DCMTK subtracts the PDU and PDV headers (12 bytes); keep fragments even.
    std::size_t pdv = limit > 24 ? limit - 12 : 12;
    pdv &= ~std::size_t{1};
    max_pdv = pdv;
  }

  Status check_context(std::uint8_t id) const {
    for (const AcceptedContext& c : contexts) {
      if (c.id == id) return {};
    }
    return Error(ErrorCode::InvalidArgument,
                 "presentation context " + std::to_string(id) + " was not accepted");
  }

  Status send_pdv(std::uint8_t context_id, bool is_command, bool is_last,
                  std::span<const std::byte> data) {
    StateMachine& machine = link->machine();
    if (!machine.lookup(Event::PDataRequest)) {
      return Error(ErrorCode::Network,
                   "cannot send data in state " + std::string(to_string(machine.state())));
    }
    machine.apply(Event::PDataRequest);
    std::array<std::byte, 12> header{};
    encode_pdata_header(header, context_id, is_command, is_last,
                        static_cast<std::uint32_t>(data.size()));
    const std::span<const std::byte> parts[] = {header, data};
    return link->write(parts);
  }

  // Protocol violation by the peer at the DIMSE level: abort as service provider.
  Error violation(std::string message) {
    link->send_abort_and_close(abort_reason::kServiceProvider,
                               abort_reason::kUnexpectedPduParameter);
    return Error(ErrorCode::Network, std::move(message) + "; association aborted");
  }

  // The next PDV, reading PDUs as needed. A PDU other than P-DATA-TF is returned through
  // `other` (the PDV is then not valid).
  Result<PdvView> next(std::optional<Pdu>& other) {
    while (next_pdv == pdvs.size()) {
      pdvs.clear();
      next_pdv = 0;
      DCMKIT_ASSIGN_OR_RETURN(Pdu pdu,
                              link->receive_pdu(deadline_after(link->config().timeouts.dimse)));
      if (auto* pdata = std::get_if<PDataTfView>(&pdu)) {
        pdvs = std::move(pdata->pdvs);
      } else {
        other = std::move(pdu);
        return PdvView{};
      }
    }
    return pdvs[next_pdv++];
  }
};

PendingAssociation::PendingAssociation(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PendingAssociation::PendingAssociation(PendingAssociation&&) noexcept = default;
PendingAssociation& PendingAssociation::operator=(PendingAssociation&&) noexcept = default;
PendingAssociation::~PendingAssociation() {
  if (impl_ && impl_->link && !impl_->link->closed()) {
    impl_->link->send_abort_and_close(abort_reason::kServiceUser, 0);
  }
}

const AssociateRq& PendingAssociation::request() const noexcept { return impl_->rq; }
std::string PendingAssociation::peer_address() const {
  return impl_->link->transport().peer_address();
}

Result<Association> PendingAssociation::accept(AssociateAc ac) && {
  DCMKIT_ASSIGN_OR_RETURN(std::vector<AcceptedContext> contexts, accepted_contexts(impl_->rq, ac));
  if (ac.user_info.implementation_class_uid.empty()) {
    ac.user_info.implementation_class_uid = std::string(dcmdata::kImplementationClassUid);
  }
  if (ac.user_info.implementation_version_name.empty()) {
    ac.user_info.implementation_version_name = std::string(dcmdata::kImplementationVersionName);
  }
  Link& link = *impl_->link;
  link.machine().apply(Event::AssociateAcceptResponse);
  DCMKIT_LOG_DEBUG(kLog, "sending A-ASSOCIATE-AC:\n" << describe(ac));
  DCMKIT_TRY(link.send_pdu(ac));
  auto established = std::make_unique<Association::Impl>();
  established->link = std::move(impl_->link);
  established->rq = std::move(impl_->rq);
  established->ac = std::move(ac);
  established->contexts = std::move(contexts);
  established->compute_max_pdv(established->rq.user_info.max_length);
  return Association(std::move(established));
}

Result<std::variant<Association, AssociateRj>> PendingAssociation::answer(
    const AcceptorPolicy& policy) && {
  NegotiationOutcome outcome = negotiate(impl_->rq, policy);
  if (auto* rj = std::get_if<AssociateRj>(&outcome)) {
    const AssociateRj copy = *rj;
    DCMKIT_TRY(std::move(*this).reject(copy));
    return std::variant<Association, AssociateRj>(copy);
  }
  DCMKIT_ASSIGN_OR_RETURN(Association association,
                          std::move(*this).accept(std::get<AssociateAc>(std::move(outcome))));
  return std::variant<Association, AssociateRj>(std::move(association));
}

Status PendingAssociation::reject(const AssociateRj& rj) && {
  Link& link = *impl_->link;
  link.machine().apply(Event::AssociateRejectResponse);
  DCMKIT_LOG_DEBUG(kLog, "sending A-ASSOCIATE-RJ: " << describe(rj));
  Status sent = link.send_pdu(rj);
  if (sent) {
    // Sta13: the requestor closes after reading the rejection; ARTIM bounds the wait.
    link.transport().close_write();
    link.wait_for_close(deadline_after(link.config().timeouts.acse));
  }
  link.close();
  return sent;
}

void PendingAssociation::abort() && {
  impl_->link->machine().apply(Event::AbortRequest);
  impl_->link->send_abort_and_close(abort_reason::kServiceUser, 0);
}

// --- Association ------------------------------------------------------------------------

Association::Association(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Association::Association(Association&&) noexcept = default;
Association& Association::operator=(Association&&) noexcept = default;
Association::~Association() {
  if (impl_ && impl_->link && !impl_->link->closed()) abort();
}

Result<std::variant<Association, AssociateRj>> Association::request(
    std::unique_ptr<Transport> transport, AssociateRq rq, const AssociationConfig& config) {
  auto link = std::make_unique<Link>(std::move(transport), StateMachine::Role::Requestor, config);
  rq.user_info.max_length = config.max_receive_pdu;
  if (rq.user_info.implementation_class_uid.empty()) {
    rq.user_info.implementation_class_uid = std::string(dcmdata::kImplementationClassUid);
    if (rq.user_info.implementation_version_name.empty()) {
      rq.user_info.implementation_version_name = std::string(dcmdata::kImplementationVersionName);
    }
  }
  link->machine().apply(Event::AssociateRequest);  // AE-1: the transport is already connected
  link->machine().apply(Event::TransportConfirm);  // AE-2
  DCMKIT_LOG_DEBUG(kLog, "sending A-ASSOCIATE-RQ:\n" << describe(rq));
  DCMKIT_TRY(link->send_pdu(rq));
  auto received = link->receive_pdu(deadline_after(config.timeouts.acse));
  if (!received) {
    if (is_timeout(received.error())) {
      link->machine().apply(Event::AbortRequest);
      link->send_abort_and_close(abort_reason::kServiceUser, 0);
    }
    return std::move(received).error();
  }
  if (auto* rj = std::get_if<AssociateRj>(&*received)) {
    DCMKIT_LOG_DEBUG(kLog, "received A-ASSOCIATE-RJ: " << describe(*rj));
    link->close();  // AE-4
    return std::variant<Association, AssociateRj>(*rj);
  }
  // The state machine accepted only an A-ASSOCIATE-AC here (anything else aborted).
  AssociateAc ac = std::get<AssociateAc>(std::move(*received));
  DCMKIT_LOG_DEBUG(kLog, "received A-ASSOCIATE-AC:\n" << describe(ac));
  auto contexts = accepted_contexts(rq, ac);
  if (!contexts) {
    link->machine().apply(Event::AbortRequest);
    link->send_abort_and_close(abort_reason::kServiceProvider,
                               abort_reason::kInvalidPduParameterValue);
    return std::move(contexts).error();
  }
  auto impl = std::make_unique<Impl>();
  impl->link = std::move(link);
  impl->rq = std::move(rq);
  impl->ac = std::move(ac);
  impl->contexts = std::move(contexts).value();
  impl->compute_max_pdv(impl->ac.user_info.max_length);
  return std::variant<Association, AssociateRj>(Association(std::move(impl)));
}

Result<PendingAssociation> Association::receive_request(std::unique_ptr<Transport> transport,
                                                        const AssociationConfig& config) {
  auto link = std::make_unique<Link>(std::move(transport), StateMachine::Role::Acceptor, config);
  link->machine().apply(Event::TransportIndication);  // AE-5: ARTIM started
  auto received = link->receive_pdu(deadline_after(config.timeouts.acse));
  if (!received) {
    if (is_timeout(received.error())) {
      link->machine().apply(Event::ArtimExpired);  // AA-2
      link->close();
      return Error(ErrorCode::LimitExceeded, "no A-ASSOCIATE-RQ within the ARTIM timeout");
    }
    return std::move(received).error();
  }
  // Only an A-ASSOCIATE-RQ leads to Sta3; the state machine aborted on anything else.
  auto* rq = std::get_if<AssociateRq>(&*received);
  if (rq == nullptr) {
    link->close();
    return Error(ErrorCode::Network, "expected an A-ASSOCIATE-RQ");
  }
  DCMKIT_LOG_DEBUG(kLog, "received A-ASSOCIATE-RQ:\n" << describe(*rq));
  auto impl = std::make_unique<PendingAssociation::Impl>();
  impl->link = std::move(link);
  impl->rq = std::move(*rq);
  return PendingAssociation(std::move(impl));
}

const AssociateRq& Association::request_pdu() const noexcept { return impl_->rq; }
const AssociateAc& Association::answer_pdu() const noexcept { return impl_->ac; }
bool Association::is_requestor() const noexcept {
  return impl_->link->machine().role() == StateMachine::Role::Requestor;
}
const std::vector<AcceptedContext>& Association::contexts() const noexcept {
  return impl_->contexts;
}
const AcceptedContext* Association::context(std::uint8_t id) const noexcept {
  for (const AcceptedContext& c : impl_->contexts) {
    if (c.id == id) return &c;
  }
  return nullptr;
}
const AcceptedContext* Association::find_context(std::string_view abstract_syntax,
                                                 std::string_view transfer_syntax) const noexcept {
  for (const AcceptedContext& c : impl_->contexts) {
    if (c.abstract_syntax == abstract_syntax &&
        (transfer_syntax.empty() || c.transfer_syntax == transfer_syntax)) {
      return &c;
    }
  }
  return nullptr;
}
std::size_t Association::max_send_pdv() const noexcept { return impl_->max_pdv; }
std::string Association::peer_address() const { return impl_->link->transport().peer_address(); }
State Association::state() const noexcept { return impl_->link->machine().state(); }
bool Association::is_established() const noexcept {
  return !impl_->link->closed() && state() == State::Established;
}
bool Association::was_aborted_by_peer() const noexcept { return impl_->link->aborted_by_peer(); }
AssociationConfig& Association::config() noexcept { return impl_->link->config(); }

Status Association::send_command(std::uint8_t context_id, const Command& command) {
  DCMKIT_TRY(impl_->check_context(context_id));
  DCMKIT_ASSIGN_OR_RETURN(const std::vector<std::byte> bytes, encode_command(command));
  DCMKIT_LOG_DEBUG(kLog, "sending DIMSE message on context " << int{context_id} << ":\n"
                                                             << describe(command));
  std::span<const std::byte> rest(bytes);
  do {
    const std::size_t n = std::min(rest.size(), impl_->max_pdv);
    DCMKIT_TRY(impl_->send_pdv(context_id, true, n == rest.size(), rest.first(n)));
    rest = rest.subspan(n);
  } while (!rest.empty());
  return {};
}

Status Association::send_data_set(std::uint8_t context_id, std::span<const std::byte> encoded,
                                  const ProgressCallback& progress) {
  DCMKIT_TRY(impl_->check_context(context_id));
  std::span<const std::byte> rest = encoded;
  std::uint64_t sent = 0;
  do {
    const std::size_t n = std::min(rest.size(), impl_->max_pdv);
    DCMKIT_TRY(impl_->send_pdv(context_id, false, n == rest.size(), rest.first(n)));
    rest = rest.subspan(n);
    sent += n;
    if (progress) progress(sent);
  } while (!rest.empty());
  return {};
}

namespace {

// Cuts a stream of encoded bytes into PDVs. A full PDV is held back until more bytes arrive,
// because only finish() knows which PDV is the last one.
class PdvSink final : public dcmdata::ByteSink {
 public:
  PdvSink(std::size_t pdv_size, std::function<Status(bool, std::span<const std::byte>)> send_pdv,
          const ProgressCallback& progress)
      : pdv_size_(pdv_size), send_pdv_(std::move(send_pdv)), progress_(progress) {
    buffer_.reserve(pdv_size_);
  }

  Status write(std::span<const std::byte> bytes) override {
    if (!buffer_.empty()) {
      const std::size_t take = std::min(pdv_size_ - buffer_.size(), bytes.size());
      buffer_.insert(buffer_.end(), bytes.begin(), bytes.begin() + static_cast<long>(take));
      bytes = bytes.subspan(take);
      if (bytes.empty()) return {};
      DCMKIT_TRY(send(buffer_, false));
      buffer_.clear();
    }
    // Large values (pixel data) go out straight from where they are, without a copy.
    while (bytes.size() > pdv_size_) {
      DCMKIT_TRY(send(bytes.first(pdv_size_), false));
      bytes = bytes.subspan(pdv_size_);
    }
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
    return {};
  }

  Status finish() { return send(buffer_, true); }

 private:
  Status send(std::span<const std::byte> data, bool last) {
    DCMKIT_TRY(send_pdv_(last, data));
    sent_ += data.size();
    if (progress_) progress_(sent_);
    return {};
  }

  std::size_t pdv_size_;
  std::function<Status(bool, std::span<const std::byte>)> send_pdv_;
  const ProgressCallback& progress_;
  std::vector<std::byte> buffer_;
  std::uint64_t sent_ = 0;
};

}  // namespace

Status Association::send_data_set(std::uint8_t context_id,
                                  const std::function<Status(dcmdata::ByteSink&)>& encode,
                                  const ProgressCallback& progress) {
  DCMKIT_TRY(impl_->check_context(context_id));
  Impl& impl = *impl_;
  PdvSink sink(
      impl.max_pdv,
      [&impl, context_id](bool last, std::span<const std::byte> data) {
        return impl.send_pdv(context_id, false, last, data);
      },
      progress);
  DCMKIT_TRY(encode(sink));
  DCMKIT_TRY(sink.flush());
  return sink.finish();
}

Result<Incoming> Association::receive_command() {
  Impl& impl = *impl_;
  if (impl.data_pending) {
    NullSink discard;
    DCMKIT_TRY(receive_data_set(discard));
  }
  Incoming incoming;
  impl.command_buffer.clear();
  bool started = false;
  for (;;) {
    std::optional<Pdu> other;
    DCMKIT_ASSIGN_OR_RETURN(const PdvView pdv, impl.next(other));
    if (other) {
      if (std::holds_alternative<ReleaseRq>(*other) && !started) {
        incoming.kind = Incoming::Kind::ReleaseRequested;
        return incoming;
      }
      // Sta13 ignores PDUs (AA-6); any other PDU here was handled by the state machine, or
      // breaks the message in the middle.
      return impl.violation("unexpected " + std::string(to_string(type_of(*other))) +
                            " while receiving a DIMSE command");
    }
    if (!pdv.is_command) {
      return impl.violation("data set PDV where a command was expected");
    }
    if (!started) {
      incoming.context_id = pdv.context_id;
      started = true;
      if (!impl.check_context(pdv.context_id)) {
        return impl.violation("command on presentation context " + std::to_string(pdv.context_id) +
                              ", which was not accepted");
      }
    } else if (pdv.context_id != incoming.context_id) {
      return impl.violation("command fragments on different presentation contexts");
    }
    if (impl.command_buffer.size() + pdv.data.size() > impl.link->config().max_command_size) {
      return impl.violation("command set larger than " +
                            std::to_string(impl.link->config().max_command_size) + " bytes");
    }
    impl.command_buffer.insert(impl.command_buffer.end(), pdv.data.begin(), pdv.data.end());
    if (pdv.is_last) break;
  }
  auto command = decode_command(impl.command_buffer);
  if (!command) {
    return impl.violation("invalid command set: " + command.error().to_string());
  }
  incoming.command = std::move(command).value();
  DCMKIT_LOG_DEBUG(kLog, "received DIMSE message on context " << int{incoming.context_id} << ":\n"
                                                              << describe(incoming.command));
  if (incoming.command.has_data_set) {
    impl.data_pending = true;
    impl.data_context = incoming.context_id;
  }
  return incoming;
}

Status Association::receive_data_set(dcmdata::ByteSink& sink, const ProgressCallback& progress) {
  Impl& impl = *impl_;
  if (!impl.data_pending) {
    return Error(ErrorCode::InvalidArgument, "no data set is announced by the last command");
  }
  std::uint64_t received = 0;
  Status sink_status;
  for (;;) {
    std::optional<Pdu> other;
    DCMKIT_ASSIGN_OR_RETURN(const PdvView pdv, impl.next(other));
    if (other) {
      impl.data_pending = false;
      return impl.violation("unexpected " + std::string(to_string(type_of(*other))) +
                            " while receiving a data set");
    }
    if (pdv.is_command || pdv.context_id != impl.data_context) {
      impl.data_pending = false;
      return impl.violation(pdv.is_command ? "command PDV inside a data set"
                                           : "data set PDV on another presentation context");
    }
    // After a sink failure the rest is still read, so that the association stays usable and
    // the caller can answer with a failure status.
    if (sink_status) sink_status = sink.write(pdv.data);
    received += pdv.data.size();
    if (progress) progress(received);
    if (pdv.is_last) break;
  }
  impl.data_pending = false;
  if (sink_status) sink_status = sink.flush();
  return sink_status;
}

Result<std::vector<std::byte>> Association::receive_data_set(std::size_t max_size) {
  std::vector<std::byte> bytes;
  dcmdata::VectorSink vector_sink(bytes);
  class BoundedSink final : public dcmdata::ByteSink {
   public:
    BoundedSink(dcmdata::ByteSink& target, std::size_t max) : target_(target), max_(max) {}
    Status write(std::span<const std::byte> data) override {
      size_ += data.size();
      if (size_ > max_) {
        return Error(ErrorCode::LimitExceeded,
                     "data set larger than " + std::to_string(max_) + " bytes");
      }
      return target_.write(data);
    }

   private:
    dcmdata::ByteSink& target_;
    std::size_t max_;
    std::size_t size_ = 0;
  };
  BoundedSink bounded(vector_sink, max_size);
  DCMKIT_TRY(receive_data_set(bounded));
  return bytes;
}

bool Association::data_set_pending() const noexcept { return impl_->data_pending; }

Status Association::release() {
  Link& link = *impl_->link;
  if (!link.machine().lookup(Event::ReleaseRequest)) {
    return Error(ErrorCode::InvalidArgument,
                 "cannot release in state " + std::string(to_string(link.machine().state())));
  }
  link.machine().apply(Event::ReleaseRequest);  // AR-1
  DCMKIT_TRY(link.send_pdu(ReleaseRq{}));
  const Deadline deadline = deadline_after(link.config().timeouts.acse);
  for (;;) {
    auto received = link.receive_pdu(deadline);
    if (!received) {
      if (is_timeout(received.error())) {
        link.machine().apply(Event::AbortRequest);
        link.send_abort_and_close(abort_reason::kServiceUser, 0);
        return Error(ErrorCode::LimitExceeded, "no A-RELEASE-RP within the ACSE timeout");
      }
      return std::move(received).error();
    }
    const State current = link.machine().state();
    if (current == State::Idle) {  // AR-3: released
      link.close();
      return {};
    }
    if (current == State::CollisionRequestorAwaitingResponse) {  // AR-8 (requestor)
      link.machine().apply(Event::ReleaseResponse);              // AR-9
      DCMKIT_TRY(link.send_pdu(ReleaseRp{}));
    } else if (current == State::CollisionAcceptorAwaitingResponse) {  // AR-10
      link.machine().apply(Event::ReleaseResponse);                    // AR-4
      DCMKIT_TRY(link.send_pdu(ReleaseRp{}));
      link.transport().close_write();
      link.wait_for_close(deadline_after(link.config().timeouts.acse));
      link.close();
      return {};
    }
    // AR-6: P-DATA arriving while we wait is discarded; collision states wait for the RP.
  }
}

Status Association::acknowledge_release() {
  Link& link = *impl_->link;
  if (!link.machine().lookup(Event::ReleaseResponse)) {
    return Error(
        ErrorCode::InvalidArgument,
        "no release was requested (state " + std::string(to_string(link.machine().state())) + ")");
  }
  link.machine().apply(Event::ReleaseResponse);  // AR-4, ARTIM started
  DCMKIT_TRY(link.send_pdu(ReleaseRp{}));
  link.transport().close_write();
  link.wait_for_close(deadline_after(link.config().timeouts.acse));
  link.close();
  return {};
}

void Association::abort() {
  Link& link = *impl_->link;
  if (link.closed()) return;
  if (link.machine().lookup(Event::AbortRequest)) {
    link.machine().apply(Event::AbortRequest);  // AA-1
    link.send_abort_and_close(abort_reason::kServiceUser, 0);
  } else {
    link.close();
  }
}

}  // namespace dcmkit::dcmnet

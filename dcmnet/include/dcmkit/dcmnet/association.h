// SPDX-License-Identifier: BSD-3-Clause
// An association: the upper-layer protocol over a Transport, driven by the PS3.8 state machine,
// and DIMSE messaging on top (commands, and data sets sent from bytes or streamed from an
// encoder, received into any dcmdata::ByteSink). Memory per association is bounded by the
// largest PDU accepted, whatever the size of the objects exchanged.
//
//   AssociateRq rq = ...;                                     // contexts, AE titles
//   DCMKIT_ASSIGN_OR_RETURN(auto transport, connect_tcp("pacs", 104, {}));
//   DCMKIT_ASSIGN_OR_RETURN(auto outcome, Association::request(std::move(transport), rq, {}));
//   auto* association = std::get_if<Association>(&outcome);  // else an AssociateRj
//   DCMKIT_TRY(association->send_command(1, make_c_echo_rq(1)));
//   DCMKIT_ASSIGN_OR_RETURN(const Incoming rsp, association->receive_command());
//   DCMKIT_TRY(association->release());
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "dcmkit/dcmdata/writer.h"
#include "dcmkit/dcmnet/dimse.h"
#include "dcmkit/dcmnet/negotiation.h"
#include "dcmkit/dcmnet/pdu.h"
#include "dcmkit/dcmnet/state_machine.h"
#include "dcmkit/dcmnet/transport.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmnet {

/// The timeouts DCMTK's programs offer; an empty value waits forever.
struct Timeouts {
  /// TCP connection set-up (-to); applied by the caller of connect_tcp().
  std::optional<std::chrono::milliseconds> connect;
  /// Waiting for A-ASSOCIATE-AC/RJ, A-RELEASE-RP and the A-ASSOCIATE-RQ after a connection
  /// opened; also the ARTIM timer (-ta).
  std::optional<std::chrono::milliseconds> acse = std::chrono::seconds(30);
  /// Waiting for the next DIMSE message (-td).
  std::optional<std::chrono::milliseconds> dimse;
  /// Any single read or write making no progress (-ts; 0 in DCMTK means none).
  std::optional<std::chrono::milliseconds> socket = std::chrono::seconds(60);
};

/// Configuration of one association, either side.
struct AssociationConfig {
  Timeouts timeouts;
  /// Maximum Length Received we announce as requestor (0: no limit). The acceptor announces
  /// AcceptorPolicy::max_receive_pdu.
  std::uint32_t max_receive_pdu = 16384;
  /// Upper bound on the PDVs we send whatever the peer allows (--max-send-pdu); 0: none.
  std::uint32_t max_send_pdu = 0;
  /// Bounds on PDUs received.
  DecodeLimits limits;
  /// Largest command set accepted (commands are a few hundred bytes).
  std::size_t max_command_size = 64 * 1024;
};

/// What receive_command() returns.
struct Incoming {
  enum class Kind : std::uint8_t {
    Command,           ///< a DIMSE command (its data set, if any, follows)
    ReleaseRequested,  ///< the peer sent A-RELEASE-RQ: answer with acknowledge_release()
  };
  Kind kind = Kind::Command;
  std::uint8_t context_id = 0;
  Command command;
};

/// Called after each PDV of a data set is sent or received, with the bytes so far.
using ProgressCallback = std::function<void(std::uint64_t bytes)>;

class Association;

/// A connection that sent an A-ASSOCIATE-RQ we have not answered yet (acceptor side, Sta3).
/// Move-only; destroying it unanswered aborts the connection.
class PendingAssociation {
 public:
  PendingAssociation(PendingAssociation&&) noexcept;
  PendingAssociation& operator=(PendingAssociation&&) noexcept;
  ~PendingAssociation();

  const AssociateRq& request() const noexcept;
  /// The peer's numeric address.
  std::string peer_address() const;

  /// Sends the A-ASSOCIATE-AC (AE-7). MalformedData if `ac` does not fit the request.
  ofstd::Result<Association> accept(AssociateAc ac) &&;
  /// Negotiates with `policy` and sends the answer; a rejection is reported as an AssociateRj.
  ofstd::Result<std::variant<Association, AssociateRj>> answer(const AcceptorPolicy& policy) &&;
  /// Sends the A-ASSOCIATE-RJ (AE-8) and waits (ARTIM) for the peer to close.
  ofstd::Status reject(const AssociateRj& rj) &&;
  /// Sends an A-ABORT and closes.
  void abort() &&;

 private:
  friend class Association;
  struct Impl;
  explicit PendingAssociation(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// An established association (Sta6 and the release states). Move-only. Not thread-safe, but
/// the Transport it owns may be shut down from another thread to end it.
class Association {
 public:
  /// Requestor: sends `rq` over `transport` (already connected; AE-1/AE-2) and waits for the
  /// answer (ACSE timeout). Returns the established association, or the peer's rejection.
  /// Network/LimitExceeded errors for transport failures and timeouts, MalformedData for an
  /// invalid answer (the association is then aborted).
  static ofstd::Result<std::variant<Association, AssociateRj>> request(
      std::unique_ptr<Transport> transport, AssociateRq rq, const AssociationConfig& config);

  /// Acceptor: waits (ARTIM, i.e. the ACSE timeout) for the A-ASSOCIATE-RQ on a new
  /// connection. An invalid first PDU is answered with an A-ABORT and returned as an error.
  static ofstd::Result<PendingAssociation> receive_request(std::unique_ptr<Transport> transport,
                                                           const AssociationConfig& config);

  Association(Association&&) noexcept;
  Association& operator=(Association&&) noexcept;
  /// Aborts the association if it is still established.
  ~Association();

  const AssociateRq& request_pdu() const noexcept;
  const AssociateAc& answer_pdu() const noexcept;
  /// True if this end requested the association.
  bool is_requestor() const noexcept;
  /// The accepted presentation contexts.
  const std::vector<AcceptedContext>& contexts() const noexcept;
  /// The accepted context with `id`, or nullptr.
  const AcceptedContext* context(std::uint8_t id) const noexcept;
  /// The first accepted context for `abstract_syntax` (and `transfer_syntax`, if not empty).
  const AcceptedContext* find_context(std::string_view abstract_syntax,
                                      std::string_view transfer_syntax = {}) const noexcept;
  /// Data bytes per PDV we send: the peer's maximum length less the PDU and PDV headers (as
  /// DCMTK computes it), capped by max_send_pdu; even.
  std::size_t max_send_pdv() const noexcept;
  /// The peer's numeric address.
  std::string peer_address() const;
  /// The upper-layer state.
  State state() const noexcept;
  /// True in Sta6 (data may be exchanged).
  bool is_established() const noexcept;
  /// True if the association ended because the peer sent an A-ABORT.
  bool was_aborted_by_peer() const noexcept;
  /// The configuration it runs with (timeouts may be changed between messages).
  AssociationConfig& config() noexcept;

  // --- Sending ----------------------------------------------------------------------------

  /// Sends a command set on context `context_id` (DT-1). InvalidArgument for a context that
  /// was not accepted.
  ofstd::Status send_command(std::uint8_t context_id, const Command& command);
  /// Sends an encoded data set, already in the context's transfer syntax, as PDVs straight
  /// from `encoded` (no copy: each PDV is one gathered write of header and slice).
  ofstd::Status send_data_set(std::uint8_t context_id, std::span<const std::byte> encoded,
                              const ProgressCallback& progress = {});
  /// Sends a data set produced by `encode`, which writes it to the sink it is given (e.g.
  /// dcmdata::write_dataset); the bytes are cut into PDVs as they come, so memory stays at one
  /// PDV whatever the size of the data set.
  ofstd::Status send_data_set(std::uint8_t context_id,
                              const std::function<ofstd::Status(dcmdata::ByteSink&)>& encode,
                              const ProgressCallback& progress = {});

  // --- Receiving --------------------------------------------------------------------------

  /// Waits (DIMSE timeout) for the next command, or the peer's A-RELEASE-RQ. A data set of the
  /// previous command that was not received is skipped. Errors: Network (peer aborted, closed,
  /// protocol violation: the association is then aborted as PS3.8 prescribes), LimitExceeded
  /// (timeout).
  ofstd::Result<Incoming> receive_command();
  /// Receives the data set announced by the last command into `sink`, PDV by PDV.
  ofstd::Status receive_data_set(dcmdata::ByteSink& sink, const ProgressCallback& progress = {});
  /// Receives the data set into memory, up to `max_size` bytes (LimitExceeded beyond).
  ofstd::Result<std::vector<std::byte>> receive_data_set(std::size_t max_size);
  /// True while a data set announced by the last command has not been fully received.
  bool data_set_pending() const noexcept;

  // --- Ending -----------------------------------------------------------------------------

  /// Requestor: A-RELEASE-RQ, then waits (ACSE timeout) for A-RELEASE-RP and closes.
  ofstd::Status release();
  /// Acceptor (after Incoming::Kind::ReleaseRequested): sends A-RELEASE-RP and waits (ARTIM)
  /// for the peer to close.
  ofstd::Status acknowledge_release();
  /// Sends an A-ABORT (service user) and closes. Idempotent.
  void abort();

 private:
  friend class PendingAssociation;
  struct Impl;
  explicit Association(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dcmkit::dcmnet

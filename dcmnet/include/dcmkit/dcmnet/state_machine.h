// SPDX-License-Identifier: BSD-3-Clause
// The DICOM upper-layer state machine (PS3.8 §9.2): states Sta1..Sta13, events Evt1..Evt19 and
// the actions of Table 9-10. Association drives it for every PDU sent or received, so a PDU that
// arrives in the wrong state leads to the abort the standard prescribes.
//
//   StateMachine machine(StateMachine::Role::Acceptor);
//   machine.apply(Event::TransportIndication);             // AE-5, Sta2, ARTIM started
//   const Transition t = machine.apply(Event::ReleaseRpReceived);  // AA-1 in Sta2
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace dcmkit::dcmnet {

/// Upper-layer states (PS3.8 Tables 9-1..9-5); the value is the state's number.
enum class State : std::uint8_t {
  Idle = 1,                                  ///< Sta1
  AwaitingAssociateRq = 2,                   ///< Sta2: transport open, awaiting A-ASSOCIATE-RQ
  AwaitingLocalResponse = 3,                 ///< Sta3: awaiting the local A-ASSOCIATE response
  AwaitingTransportOpen = 4,                 ///< Sta4: awaiting transport connection to complete
  AwaitingAssociateAcRj = 5,                 ///< Sta5: awaiting A-ASSOCIATE-AC or -RJ
  Established = 6,                           ///< Sta6: ready for data transfer
  AwaitingReleaseRp = 7,                     ///< Sta7
  AwaitingLocalRelease = 8,                  ///< Sta8: awaiting the local A-RELEASE response
  CollisionRequestorAwaitingResponse = 9,    ///< Sta9
  CollisionAcceptorAwaitingReleaseRp = 10,   ///< Sta10
  CollisionRequestorAwaitingReleaseRp = 11,  ///< Sta11
  CollisionAcceptorAwaitingResponse = 12,    ///< Sta12
  AwaitingTransportClose = 13,               ///< Sta13
};

/// Upper-layer events (PS3.8 Table 9-10); the value is the event's number.
enum class Event : std::uint8_t {
  AssociateRequest = 1,         ///< Evt1: A-ASSOCIATE request (local user)
  TransportConfirm = 2,         ///< Evt2: transport connect confirmation
  AssociateAcReceived = 3,      ///< Evt3
  AssociateRjReceived = 4,      ///< Evt4
  TransportIndication = 5,      ///< Evt5: transport connection indication
  AssociateRqReceived = 6,      ///< Evt6
  AssociateAcceptResponse = 7,  ///< Evt7: A-ASSOCIATE response primitive (accept)
  AssociateRejectResponse = 8,  ///< Evt8: A-ASSOCIATE response primitive (reject)
  PDataRequest = 9,             ///< Evt9
  PDataReceived = 10,           ///< Evt10
  ReleaseRequest = 11,          ///< Evt11: A-RELEASE request primitive
  ReleaseRqReceived = 12,       ///< Evt12
  ReleaseRpReceived = 13,       ///< Evt13
  ReleaseResponse = 14,         ///< Evt14: A-RELEASE response primitive
  AbortRequest = 15,            ///< Evt15: A-ABORT request primitive
  AbortReceived = 16,           ///< Evt16
  TransportClosed = 17,         ///< Evt17: transport connection closed indication
  ArtimExpired = 18,            ///< Evt18
  InvalidPduReceived = 19,      ///< Evt19: unrecognized or invalid PDU
};

/// Actions (PS3.8 Tables 9-6..9-9).
enum class Action : std::uint8_t {
  AE1,
  AE2,
  AE3,
  AE4,
  AE5,
  AE6,
  AE7,
  AE8,
  DT1,
  DT2,
  AR1,
  AR2,
  AR3,
  AR4,
  AR5,
  AR6,
  AR7,
  AR8,
  AR9,
  AR10,
  AA1,
  AA2,
  AA3,
  AA4,
  AA5,
  AA6,
  AA7,
  AA8,
};

/// "AE-1" etc.
std::string_view to_string(Action action) noexcept;
/// "Sta6" etc.
std::string_view to_string(State state) noexcept;
/// "Evt10" etc.
std::string_view to_string(Event event) noexcept;

/// What an event does in a state.
struct Transition {
  Action action;
  State next;
};

/// The state of one association's upper layer. Not thread-safe (one association, one thread).
class StateMachine {
 public:
  /// Whether this end requested the association (it decides AR-8's next state).
  enum class Role : std::uint8_t { Requestor, Acceptor };

  explicit StateMachine(Role role) noexcept : role_(role) {}

  State state() const noexcept { return state_; }
  Role role() const noexcept { return role_; }
  /// True while the ARTIM timer runs (started by AE-5, AE-8, AR-4, AA-1, AA-8 and AE-6's
  /// reject path; stopped by AE-6, AR-5, AA-2, AA-5).
  bool artim_running() const noexcept { return artim_running_; }

  /// The transition for `event` in the current state, without applying it; empty if the
  /// table has no entry (a local primitive issued in a state that does not allow it, a caller
  /// bug; PDU events always have an entry).
  std::optional<Transition> lookup(Event event) const noexcept;

  /// Applies `event`: returns the transition and moves to its next state. For AE-6,
  /// `acceptable` chooses between Sta3 (true) and Sta13 after an A-ASSOCIATE-RJ (false).
  /// Precondition: lookup(event) has a value.
  Transition apply(Event event, bool acceptable = true);

 private:
  Role role_;
  State state_ = State::Idle;
  bool artim_running_ = false;
};

}  // namespace dcmkit::dcmnet

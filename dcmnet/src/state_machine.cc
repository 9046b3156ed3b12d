// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmnet/state_machine.h"

#include <array>
#include <cstdlib>

namespace dcmkit::dcmnet {

namespace {

constexpr std::size_t kStates = 13;
constexpr std::size_t kEvents = 19;

// An entry of Table 9-10, or "no entry".
struct Cell {
  bool defined = false;
  Action action = Action::AA1;
};

constexpr Cell c(Action a) { return Cell{true, a}; }
constexpr Cell kNone{};

using Row = std::array<Cell, kStates>;

// PS3.8 Table 9-10, one row per event, columns Sta1..Sta13.
constexpr std::array<Row, kEvents> kTable = {{
    // Evt1 A-ASSOCIATE request primitive
    Row{c(Action::AE1), kNone, kNone, kNone, kNone, kNone, kNone, kNone, kNone, kNone, kNone, kNone,
        kNone},
    // Evt2 transport connect confirmation
    Row{kNone, kNone, kNone, c(Action::AE2), kNone, kNone, kNone, kNone, kNone, kNone, kNone, kNone,
        kNone},
    // Evt3 A-ASSOCIATE-AC PDU
    Row{kNone, c(Action::AA1), c(Action::AA8), kNone, c(Action::AE3), c(Action::AA8),
        c(Action::AA8), c(Action::AA8), c(Action::AA8), c(Action::AA8), c(Action::AA8),
        c(Action::AA8), c(Action::AA6)},
    // Evt4 A-ASSOCIATE-RJ PDU
    Row{kNone, c(Action::AA1), c(Action::AA8), kNone, c(Action::AE4), c(Action::AA8),
        c(Action::AA8), c(Action::AA8), c(Action::AA8), c(Action::AA8), c(Action::AA8),
        c(Action::AA8), c(Action::AA6)},
    // Evt5 transport connection indication
    Row{c(Action::AE5), kNone, kNone, kNone, kNone, kNone, kNone, kNone, kNone, kNone, kNone, kNone,
        kNone},
    // Evt6 A-ASSOCIATE-RQ PDU
    Row{kNone, c(Action::AE6), c(Action::AA8), kNone, c(Action::AA8), c(Action::AA8),
        c(Action::AA8), c(Action::AA8), c(Action::AA8), c(Action::AA8), c(Action::AA8),
        c(Action::AA8), c(Action::AA7)},
    // Evt7 A-ASSOCIATE response primitive (accept)
    Row{kNone, kNone, c(Action::AE7), kNone, kNone, kNone, kNone, kNone, kNone, kNone, kNone, kNone,
        kNone},
    // Evt8 A-ASSOCIATE response primitive (reject)
    Row{kNone, kNone, c(Action::AE8), kNone, kNone, kNone, kNone, kNone, kNone, kNone, kNone, kNone,
        kNone},
    // Evt9 P-DATA request primitive
    Row{kNone, kNone, kNone, kNone, kNone, c(Action::DT1), kNone, c(Action::AR7), kNone, kNone,
        kNone, kNone, kNone},
    // Evt10 P-DATA-TF PDU
    Row{kNone, c(Action::AA1), c(Action::AA8), kNone, c(Action::AA8), c(Action::DT2),
        c(Action::AR6), c(Action::AA8), c(Action::AA8), c(Action::AA8), c(Action::AA8),
        c(Action::AA8), c(Action::AA6)},
    // Evt11 A-RELEASE request primitive
    Row{kNone, kNone, kNone, kNone, kNone, c(Action::AR1), kNone, kNone, kNone, kNone, kNone, kNone,
        kNone},
    // Evt12 A-RELEASE-RQ PDU
    Row{kNone, c(Action::AA1), c(Action::AA8), kNone, c(Action::AA8), c(Action::AR2),
        c(Action::AR8), c(Action::AA8), c(Action::AA8), c(Action::AA8), c(Action::AA8),
        c(Action::AA8), c(Action::AA6)},
    // Evt13 A-RELEASE-RP PDU
    Row{kNone, c(Action::AA1), c(Action::AA8), kNone, c(Action::AA8), c(Action::AA8),
        c(Action::AR3), c(Action::AA8), c(Action::AA8), c(Action::AR10), c(Action::AR3),
        c(Action::AA8), c(Action::AA6)},
    // Evt14 A-RELEASE response primitive
    Row{kNone, kNone, kNone, kNone, kNone, kNone, kNone, c(Action::AR4), c(Action::AR9), kNone,
        kNone, c(Action::AR4), kNone},
    // Evt15 A-ABORT request primitive
    Row{kNone, kNone, c(Action::AA1), c(Action::AA2), c(Action::AA1), c(Action::AA1),
        c(Action::AA1), c(Action::AA1), c(Action::AA1), c(Action::AA1), c(Action::AA1),
        c(Action::AA1), kNone},
    // Evt16 A-ABORT PDU
    Row{kNone, c(Action::AA2), c(Action::AA3), kNone, c(Action::AA3), c(Action::AA3),
        c(Action::AA3), c(Action::AA3), c(Action::AA3), c(Action::AA3), c(Action::AA3),
        c(Action::AA3), c(Action::AA2)},
    // Evt17 transport connection closed indication
    Row{kNone, c(Action::AA5), c(Action::AA4), c(Action::AA4), c(Action::AA4), c(Action::AA4),
        c(Action::AA4), c(Action::AA4), c(Action::AA4), c(Action::AA4), c(Action::AA4),
        c(Action::AA4), c(Action::AR5)},
    // Evt18 ARTIM timer expired
    Row{kNone, c(Action::AA2), kNone, kNone, kNone, kNone, kNone, kNone, kNone, kNone, kNone, kNone,
        c(Action::AA2)},
    // Evt19 unrecognized or invalid PDU
    Row{kNone, c(Action::AA1), c(Action::AA8), kNone, c(Action::AA8), c(Action::AA8),
        c(Action::AA8), c(Action::AA8), c(Action::AA8), c(Action::AA8), c(Action::AA8),
        c(Action::AA8), c(Action::AA7)},
}};

// The next state each action leads to (PS3.8 Tables 9-6..9-9); AE-6 and AR-8 depend on more.
constexpr State next_state(Action action) {
  switch (action) {
    case Action::AE1:
      return State::AwaitingTransportOpen;
    case Action::AE2:
      return State::AwaitingAssociateAcRj;
    case Action::AE3:
    case Action::AE7:
    case Action::DT1:
    case Action::DT2:
      return State::Established;
    case Action::AE4:
    case Action::AR3:
    case Action::AR5:
    case Action::AA2:
    case Action::AA3:
    case Action::AA4:
    case Action::AA5:
      return State::Idle;
    case Action::AE5:
      return State::AwaitingAssociateRq;
    case Action::AE6:
      return State::AwaitingLocalResponse;
    case Action::AE8:
    case Action::AR4:
    case Action::AA1:
    case Action::AA6:
    case Action::AA7:
    case Action::AA8:
      return State::AwaitingTransportClose;
    case Action::AR1:
    case Action::AR6:
      return State::AwaitingReleaseRp;
    case Action::AR2:
    case Action::AR7:
      return State::AwaitingLocalRelease;
    case Action::AR8:
      return State::CollisionRequestorAwaitingResponse;
    case Action::AR9:
      return State::CollisionRequestorAwaitingReleaseRp;
    case Action::AR10:
      return State::CollisionAcceptorAwaitingResponse;
  }
  return State::Idle;
}

}  // namespace

std::string_view to_string(Action action) noexcept {
  static constexpr std::string_view kNames[] = {
      "AE-1", "AE-2", "AE-3", "AE-4", "AE-5", "AE-6", "AE-7", "AE-8", "DT-1", "DT-2",
      "AR-1", "AR-2", "AR-3", "AR-4", "AR-5", "AR-6", "AR-7", "AR-8", "AR-9", "AR-10",
      "AA-1", "AA-2", "AA-3", "AA-4", "AA-5", "AA-6", "AA-7", "AA-8"};
  return kNames[static_cast<std::size_t>(action)];
}

std::string_view to_string(State state) noexcept {
  static constexpr std::string_view kNames[] = {"Sta1",  "Sta2",  "Sta3", "Sta4", "Sta5",
                                                "Sta6",  "Sta7",  "Sta8", "Sta9", "Sta10",
                                                "Sta11", "Sta12", "Sta13"};
  return kNames[static_cast<std::size_t>(state) - 1];
}

std::string_view to_string(Event event) noexcept {
  static constexpr std::string_view kNames[] = {
      "Evt1",  "Evt2",  "Evt3",  "Evt4",  "Evt5",  "Evt6",  "Evt7",  "Evt8",  "Evt9", "Evt10",
      "Evt11", "Evt12", "Evt13", "Evt14", "Evt15", "Evt16", "Evt17", "Evt18", "Evt19"};
  return kNames[static_cast<std::size_t>(event) - 1];
}

std::optional<Transition> StateMachine::lookup(Event event) const noexcept {
  const Cell cell =
      kTable[static_cast<std::size_t>(event) - 1][static_cast<std::size_t>(state_) - 1];
  if (!cell.defined) return std::nullopt;
  State next = next_state(cell.action);
  if (cell.action == Action::AR8) {
    next = role_ == Role::Requestor ? State::CollisionRequestorAwaitingResponse
                                    : State::CollisionAcceptorAwaitingReleaseRp;
  }
  return Transition{cell.action, next};
}

Transition StateMachine::apply(Event event, bool acceptable) {
  const std::optional<Transition> found = lookup(event);
  if (!found) std::abort();  // precondition violated: a local primitive in the wrong state
  Transition transition = *found;
  if (transition.action == Action::AE6 && !acceptable) {
    transition.next = State::AwaitingTransportClose;
  }
  switch (transition.action) {
    case Action::AE5:
    case Action::AE8:
    case Action::AR4:
    case Action::AA1:
    case Action::AA8:
      artim_running_ = true;
      break;
    case Action::AE6:
      artim_running_ = !acceptable;
      break;
    case Action::AR5:
    case Action::AA2:
    case Action::AA5:
      artim_running_ = false;
      break;
    default:
      break;
  }
  state_ = transition.next;
  return transition;
}

}  // namespace dcmkit::dcmnet

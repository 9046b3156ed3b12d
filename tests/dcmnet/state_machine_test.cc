// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmnet/state_machine.h"

#include <gtest/gtest.h>

namespace dcmkit::dcmnet {
namespace {

TEST(StateMachineTest, RequestorWalksThroughEstablishmentAndRelease) {
  StateMachine m(StateMachine::Role::Requestor);
  EXPECT_EQ(m.apply(Event::AssociateRequest).action, Action::AE1);
  EXPECT_EQ(m.apply(Event::TransportConfirm).action, Action::AE2);
  EXPECT_EQ(m.state(), State::AwaitingAssociateAcRj);
  EXPECT_EQ(m.apply(Event::AssociateAcReceived).action, Action::AE3);
  EXPECT_EQ(m.state(), State::Established);
  EXPECT_EQ(m.apply(Event::PDataRequest).action, Action::DT1);
  EXPECT_EQ(m.apply(Event::PDataReceived).action, Action::DT2);
  EXPECT_EQ(m.apply(Event::ReleaseRequest).action, Action::AR1);
  EXPECT_EQ(m.state(), State::AwaitingReleaseRp);
  EXPECT_EQ(m.apply(Event::PDataReceived).action, Action::AR6);
  EXPECT_EQ(m.apply(Event::ReleaseRpReceived).action, Action::AR3);
  EXPECT_EQ(m.state(), State::Idle);
}

TEST(StateMachineTest, AcceptorStartsArtimAndStopsItOnRequest) {
  StateMachine m(StateMachine::Role::Acceptor);
  EXPECT_EQ(m.apply(Event::TransportIndication).action, Action::AE5);
  EXPECT_TRUE(m.artim_running());
  EXPECT_EQ(m.apply(Event::AssociateRqReceived).action, Action::AE6);
  EXPECT_FALSE(m.artim_running());
  EXPECT_EQ(m.state(), State::AwaitingLocalResponse);
  EXPECT_EQ(m.apply(Event::AssociateAcceptResponse).action, Action::AE7);
  EXPECT_EQ(m.apply(Event::ReleaseRqReceived).action, Action::AR2);
  EXPECT_EQ(m.apply(Event::ReleaseResponse).action, Action::AR4);
  EXPECT_TRUE(m.artim_running());
  EXPECT_EQ(m.state(), State::AwaitingTransportClose);
  EXPECT_EQ(m.apply(Event::TransportClosed).action, Action::AR5);
  EXPECT_EQ(m.state(), State::Idle);
}

TEST(StateMachineTest, UnacceptableRequestLeadsToSta13) {
  StateMachine m(StateMachine::Role::Acceptor);
  m.apply(Event::TransportIndication);
  const Transition t = m.apply(Event::AssociateRqReceived, false);
  EXPECT_EQ(t.next, State::AwaitingTransportClose);
  EXPECT_TRUE(m.artim_running());
  EXPECT_EQ(m.apply(Event::ArtimExpired).action, Action::AA2);
}

TEST(StateMachineTest, WrongPdusAbort) {
  StateMachine m(StateMachine::Role::Acceptor);
  m.apply(Event::TransportIndication);
  EXPECT_EQ(m.apply(Event::PDataReceived).action, Action::AA1);  // Sta2: before any request
  StateMachine established(StateMachine::Role::Requestor);
  established.apply(Event::AssociateRequest);
  established.apply(Event::TransportConfirm);
  established.apply(Event::AssociateAcReceived);
  EXPECT_EQ(established.lookup(Event::AssociateRqReceived)->action, Action::AA8);
  EXPECT_EQ(established.lookup(Event::ReleaseRpReceived)->action, Action::AA8);
  EXPECT_EQ(established.lookup(Event::InvalidPduReceived)->action, Action::AA8);
  EXPECT_EQ(established.lookup(Event::AbortReceived)->action, Action::AA3);
  EXPECT_EQ(established.lookup(Event::TransportClosed)->action, Action::AA4);
}

TEST(StateMachineTest, ReleaseCollisionDependsOnRole) {
  for (const auto role : {StateMachine::Role::Requestor, StateMachine::Role::Acceptor}) {
    StateMachine m(role);
    if (role == StateMachine::Role::Requestor) {
      m.apply(Event::AssociateRequest);
      m.apply(Event::TransportConfirm);
      m.apply(Event::AssociateAcReceived);
    } else {
      m.apply(Event::TransportIndication);
      m.apply(Event::AssociateRqReceived);
      m.apply(Event::AssociateAcceptResponse);
    }
    m.apply(Event::ReleaseRequest);
    EXPECT_EQ(m.apply(Event::ReleaseRqReceived).action, Action::AR8);
    if (role == StateMachine::Role::Requestor) {
      EXPECT_EQ(m.state(), State::CollisionRequestorAwaitingResponse);
      EXPECT_EQ(m.apply(Event::ReleaseResponse).action, Action::AR9);
      EXPECT_EQ(m.apply(Event::ReleaseRpReceived).action, Action::AR3);
    } else {
      EXPECT_EQ(m.state(), State::CollisionAcceptorAwaitingReleaseRp);
      EXPECT_EQ(m.apply(Event::ReleaseRpReceived).action, Action::AR10);
      EXPECT_EQ(m.apply(Event::ReleaseResponse).action, Action::AR4);
    }
  }
}

TEST(StateMachineTest, LocalPrimitivesOutOfPlaceHaveNoEntry) {
  StateMachine m(StateMachine::Role::Requestor);
  EXPECT_FALSE(m.lookup(Event::PDataRequest));
  EXPECT_FALSE(m.lookup(Event::ReleaseRequest));
  EXPECT_FALSE(m.lookup(Event::AssociateAcceptResponse));
}

TEST(StateMachineTest, EveryPduEventHasAnEntryOnceTransportIsOpen) {
  // PS3.8: every received PDU has a defined action in Sta2, Sta3 and Sta5..Sta13.
  const Event pdu_events[] = {Event::AssociateAcReceived, Event::AssociateRjReceived,
                              Event::AssociateRqReceived, Event::PDataReceived,
                              Event::ReleaseRqReceived,   Event::ReleaseRpReceived,
                              Event::AbortReceived,       Event::InvalidPduReceived};
  // Reach each state through a legal path, then look up every PDU event.
  StateMachine m(StateMachine::Role::Acceptor);
  m.apply(Event::TransportIndication);
  for (const Event e : pdu_events) EXPECT_TRUE(m.lookup(e)) << to_string(e) << " in Sta2";
  m.apply(Event::AssociateRqReceived);
  for (const Event e : pdu_events) EXPECT_TRUE(m.lookup(e)) << to_string(e) << " in Sta3";
  m.apply(Event::AssociateAcceptResponse);
  for (const Event e : pdu_events) EXPECT_TRUE(m.lookup(e)) << to_string(e) << " in Sta6";
  EXPECT_EQ(to_string(Action::AR10), "AR-10");
  EXPECT_EQ(to_string(State::AwaitingTransportClose), "Sta13");
}

}  // namespace
}  // namespace dcmkit::dcmnet

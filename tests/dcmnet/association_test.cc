// SPDX-License-Identifier: BSD-3-Clause
// Requestor and acceptor in one process: over in-memory pipes (with injected short reads and
// resets) and over TCP loopback with ephemeral ports. No sleeps: every wait is on a message.
#include "dcmkit/dcmnet/association.h"

#include <gtest/gtest.h>

#include <future>
#include <numeric>
#include <thread>

#include "dcmkit/dcmnet/server.h"
#include "memory_transport.h"

namespace dcmkit::dcmnet {
namespace {

using namespace std::chrono_literals;
using ofstd::ErrorCode;
using testing::Faults;
using testing::memory_pipe;

constexpr const char* kVerification = "1.2.840.10008.1.1";
constexpr const char* kCt = "1.2.840.10008.5.1.4.1.1.2";
constexpr const char* kImplicit = "1.2.840.10008.1.2";
constexpr const char* kExplicit = "1.2.840.10008.1.2.1";

AssociateRq echo_and_ct_request() {
  AssociateRq rq;
  rq.called_ae = "SCP";
  rq.calling_ae = "SCU";
  rq.contexts.push_back({1, kVerification, {kImplicit}});
  rq.contexts.push_back({3, kCt, {kExplicit, kImplicit}});
  return rq;
}

AcceptorPolicy echo_and_ct_policy() {
  AcceptorPolicy policy;
  policy.ae_title = "SCP";
  policy.abstract_syntaxes.push_back({kVerification, {kImplicit}});
  policy.abstract_syntaxes.push_back({kCt, {kExplicit}});
  return policy;
}

// Runs the acceptor side of `body` on a thread: receive, accept with the policy, then body.
template <class Body>
std::future<ofstd::Status> acceptor(std::unique_ptr<Transport> transport, AssociationConfig config,
                                    AcceptorPolicy policy, Body body) {
  return std::async(std::launch::async,
                    [t = std::move(transport), config, policy, body]() mutable -> ofstd::Status {
                      DCMKIT_ASSIGN_OR_RETURN(PendingAssociation pending,
                                              Association::receive_request(std::move(t), config));
                      DCMKIT_ASSIGN_OR_RETURN(auto answered, std::move(pending).answer(policy));
                      if (!std::holds_alternative<Association>(answered)) {
                        return ofstd::Error(ErrorCode::Network, "rejected");
                      }
                      return body(std::get<Association>(answered));
                    });
}

Association request_ok(std::unique_ptr<Transport> transport, AssociateRq rq,
                       const AssociationConfig& config = {}) {
  auto outcome = Association::request(std::move(transport), std::move(rq), config);
  EXPECT_TRUE(outcome) << outcome.error().to_string();
  return std::get<Association>(std::move(*outcome));
}

ofstd::Status serve_echoes_until_release(Association& association) {
  for (;;) {
    DCMKIT_ASSIGN_OR_RETURN(const Incoming incoming, association.receive_command());
    if (incoming.kind == Incoming::Kind::ReleaseRequested) return association.acknowledge_release();
    DCMKIT_TRY(respond_to_echo(association, incoming));
  }
}

TEST(AssociationTest, EchoOverMemoryPipeWithOneByteReads) {
  auto [client, server] = memory_pipe(Faults{1}, Faults{1});
  auto done = acceptor(std::move(server), {}, echo_and_ct_policy(), serve_echoes_until_release);
  Association association = request_ok(std::move(client), echo_and_ct_request());
  ASSERT_EQ(association.contexts().size(), 2u);
  EXPECT_EQ(association.find_context(kCt)->transfer_syntax, kExplicit);
  EXPECT_EQ(association.max_send_pdv(), 16384u - 12u);
  ASSERT_TRUE(association.send_command(1, make_c_echo_rq(1)));
  const auto rsp = association.receive_command();
  ASSERT_TRUE(rsp) << rsp.error().to_string();
  EXPECT_EQ(rsp->command.field, CommandField::CEchoRsp);
  EXPECT_EQ(rsp->command.status, status::kSuccess);
  ASSERT_TRUE(association.release());
  EXPECT_EQ(association.state(), State::Idle);
  const ofstd::Status served = done.get();
  EXPECT_TRUE(served) << served.error().to_string();
}

TEST(AssociationTest, DataSetIsFragmentedToThePeersMaximumAndReassembled) {
  auto [client, server] = memory_pipe(Faults{7}, Faults{4093});
  std::vector<std::byte> payload(100'003);
  std::iota(reinterpret_cast<unsigned char*>(payload.data()),                   // NOLINT: test data
            reinterpret_cast<unsigned char*>(payload.data() + payload.size()),  // NOLINT
            static_cast<unsigned char>(0));
  AcceptorPolicy policy = echo_and_ct_policy();
  policy.max_receive_pdu = 4096;
  std::vector<std::byte> received;
  auto done = acceptor(std::move(server), {}, policy, [&received](Association& a) -> ofstd::Status {
    DCMKIT_ASSIGN_OR_RETURN(const Incoming rq, a.receive_command());
    EXPECT_EQ(rq.command.field, CommandField::CStoreRq);
    DCMKIT_ASSIGN_OR_RETURN(received, a.receive_data_set(std::size_t{1} << 20));
    DCMKIT_TRY(a.send_command(rq.context_id, make_c_store_rsp(rq.command)));
    return serve_echoes_until_release(a);
  });
  Association association = request_ok(std::move(client), echo_and_ct_request());
  EXPECT_EQ(association.max_send_pdv(), 4084u);
  ASSERT_TRUE(association.send_command(3, make_c_store_rq(1, kCt, "1.2.3")));
  std::size_t progress_calls = 0;
  ASSERT_TRUE(association.send_data_set(3, payload, [&](std::uint64_t) { ++progress_calls; }));
  EXPECT_EQ(progress_calls, (payload.size() + 4083) / 4084);
  const auto rsp = association.receive_command();
  ASSERT_TRUE(rsp) << rsp.error().to_string();
  ASSERT_TRUE(association.release());
  ASSERT_TRUE(done.get());
  EXPECT_EQ(received, payload);
}

TEST(AssociationTest, StreamedDataSetArrivesWhole) {
  auto [client, server] = memory_pipe();
  std::vector<std::byte> received;
  auto done = acceptor(std::move(server), {}, echo_and_ct_policy(),
                       [&received](Association& a) -> ofstd::Status {
                         DCMKIT_ASSIGN_OR_RETURN(const Incoming rq, a.receive_command());
                         DCMKIT_ASSIGN_OR_RETURN(received, a.receive_data_set(1u << 20));
                         return serve_echoes_until_release(a);
                       });
  AssociationConfig config;
  config.max_send_pdu = 4096;
  Association association = request_ok(std::move(client), echo_and_ct_request(), config);
  ASSERT_TRUE(association.send_command(3, make_c_store_rq(1, kCt, "1.2.3")));
  std::vector<std::byte> expected;
  ASSERT_TRUE(association.send_data_set(3, [&expected](dcmdata::ByteSink& sink) -> ofstd::Status {
    // Chunks smaller than, equal to and larger than a PDV, ending on a PDV boundary.
    for (const std::size_t size : {10u, 4074u, 9000u, 3u, 7333u, 8168u}) {
      std::vector<std::byte> chunk(size, static_cast<std::byte>(size & 0xFF));
      expected.insert(expected.end(), chunk.begin(), chunk.end());
      DCMKIT_TRY(sink.write(chunk));
    }
    return {};
  }));
  ASSERT_TRUE(association.release());
  ASSERT_TRUE(done.get());
  EXPECT_EQ(received, expected);
}

TEST(AssociationTest, RejectionIsAnOutcomeNotAnError) {
  auto [client, server] = memory_pipe();
  auto done = std::async(std::launch::async, [t = std::move(server)]() mutable {
    auto pending = Association::receive_request(std::move(t), {});
    EXPECT_TRUE(pending);
    return std::move(*pending).reject(AssociateRj{reject::kTransient, 3, 1});
  });
  auto outcome = Association::request(std::move(client), echo_and_ct_request(), {});
  ASSERT_TRUE(outcome) << outcome.error().to_string();
  ASSERT_TRUE(std::holds_alternative<AssociateRj>(*outcome));
  EXPECT_EQ(std::get<AssociateRj>(*outcome).result, reject::kTransient);
  EXPECT_TRUE(done.get());
}

TEST(AssociationTest, PeerAbortIsReported) {
  auto [client, server] = memory_pipe();
  auto done =
      acceptor(std::move(server), {}, echo_and_ct_policy(), [](Association& a) -> ofstd::Status {
        auto incoming = a.receive_command();
        EXPECT_FALSE(incoming);
        EXPECT_TRUE(a.was_aborted_by_peer());
        return {};
      });
  Association association = request_ok(std::move(client), echo_and_ct_request());
  association.abort();
  EXPECT_TRUE(done.get());
}

TEST(AssociationTest, ConnectionResetEndsTheAssociation) {
  auto [client, server] = memory_pipe(Faults{}, Faults{static_cast<std::size_t>(-1), 400});
  auto done =
      acceptor(std::move(server), {}, echo_and_ct_policy(), [](Association& a) -> ofstd::Status {
        auto incoming = a.receive_command();
        if (incoming) (void)a.receive_data_set(1u << 20);
        EXPECT_FALSE(a.is_established());
        return {};
      });
  Association association = request_ok(std::move(client), echo_and_ct_request());
  ASSERT_TRUE(association.send_command(3, make_c_store_rq(1, kCt, "1.2.3")));
  (void)association.send_data_set(3, std::vector<std::byte>(10'000));
  EXPECT_TRUE(done.get());
}

TEST(AssociationTest, GarbageInsteadOfARequestIsAnsweredWithAbort) {
  auto [client, server] = memory_pipe();
  auto done = std::async(std::launch::async, [t = std::move(server)]() mutable {
    return Association::receive_request(std::move(t), {});
  });
  const std::vector<std::byte> junk = {std::byte{0x42}, std::byte{0}, std::byte{0}, std::byte{0},
                                       std::byte{0},    std::byte{2}, std::byte{1}, std::byte{2}};
  ASSERT_TRUE(client->write_all(junk, {}));
  std::array<std::byte, 10> abort{};
  ASSERT_TRUE(client->read_exactly(abort, Clock::now() + 5s));
  EXPECT_EQ(abort[0], std::byte{0x07});
  EXPECT_EQ(abort[8], std::byte{abort_reason::kServiceUser});  // AA-1 in Sta2
  client->shutdown();  // the acceptor waits (ARTIM) for us to close
  auto pending = done.get();
  ASSERT_FALSE(pending);
}

TEST(AssociationTest, AbsurdPduLengthIsRefusedWithoutAllocating) {
  auto [client, server] = memory_pipe();
  auto done = std::async(std::launch::async, [t = std::move(server)]() mutable {
    return Association::receive_request(std::move(t), {});
  });
  const std::vector<std::byte> header = {std::byte{0x01}, std::byte{0},    std::byte{0xFF},
                                         std::byte{0xFF}, std::byte{0xFF}, std::byte{0xF0}};
  ASSERT_TRUE(client->write_all(header, {}));
  std::array<std::byte, 10> abort{};
  ASSERT_TRUE(client->read_exactly(abort, Clock::now() + 5s));
  client->shutdown();
  auto pending = done.get();
  ASSERT_FALSE(pending);
  EXPECT_NE(pending.error().message().find("exceeds the limit"), std::string::npos);
}

TEST(AssociationTest, SilentPeerHitsTheArtimTimer) {
  auto [client, server] = memory_pipe();
  AssociationConfig config;
  config.timeouts.acse = 50ms;
  const auto start = Clock::now();
  auto pending = Association::receive_request(std::move(server), config);
  ASSERT_FALSE(pending);
  EXPECT_EQ(pending.error().code(), ErrorCode::LimitExceeded);
  EXPECT_LT(Clock::now() - start, 5s);
}

TEST(AssociationTest, SilentPeerHitsTheDimseTimeout) {
  auto [client, server] = memory_pipe();
  AssociationConfig config;
  config.timeouts.dimse = 50ms;
  auto done = acceptor(std::move(server), config, echo_and_ct_policy(),
                       [](Association& a) -> ofstd::Status {
                         auto incoming = a.receive_command();
                         EXPECT_FALSE(incoming);
                         EXPECT_EQ(incoming.error().code(), ErrorCode::LimitExceeded);
                         a.abort();
                         return {};
                       });
  Association association = request_ok(std::move(client), echo_and_ct_request());
  EXPECT_FALSE(association.receive_command());
  EXPECT_TRUE(association.was_aborted_by_peer());
  EXPECT_TRUE(done.get());
}

// Plays the requestor by hand: sends the request and reads the A-ASSOCIATE-AC.
void raw_associate(Transport& client) {
  const auto rq_bytes = encode_pdu(echo_and_ct_request());
  ASSERT_TRUE(rq_bytes);
  ASSERT_TRUE(client.write_all(*rq_bytes, {}));
  std::array<std::byte, 6> header{};
  ASSERT_TRUE(client.read_exactly(header, Clock::now() + 5s));
  EXPECT_EQ(header[0], std::byte{0x02});
  std::vector<std::byte> body(decode_pdu_header(header)->length);
  ASSERT_TRUE(client.read_exactly(body, Clock::now() + 5s));
}

void expect_provider_abort(Transport& client, std::uint8_t reason) {
  std::array<std::byte, 10> abort{};
  ASSERT_TRUE(client.read_exactly(abort, Clock::now() + 5s));
  EXPECT_EQ(abort[0], std::byte{0x07});
  EXPECT_EQ(abort[8], std::byte{abort_reason::kServiceProvider});
  EXPECT_EQ(abort[9], std::byte{reason});
  client.shutdown();  // the acceptor waits (ARTIM) for us to close
}

std::future<ofstd::Status> acceptor_expecting_failure(std::unique_ptr<Transport> server) {
  return acceptor(std::move(server), {}, echo_and_ct_policy(), [](Association& a) -> ofstd::Status {
    auto incoming = a.receive_command();
    EXPECT_FALSE(incoming);
    EXPECT_FALSE(a.is_established());
    return {};
  });
}

TEST(AssociationTest, SecondRequestInDataTransferAbortsAsProvider) {
  auto [client, server] = memory_pipe();
  auto done = acceptor_expecting_failure(std::move(server));
  raw_associate(*client);
  ASSERT_TRUE(client->write_all(*encode_pdu(echo_and_ct_request()), {}));
  expect_provider_abort(*client, abort_reason::kUnexpectedPdu);
  EXPECT_TRUE(done.get());
}

TEST(AssociationTest, CommandOnUnacceptedContextAborts) {
  auto [client, server] = memory_pipe();
  auto done = acceptor_expecting_failure(std::move(server));
  raw_associate(*client);
  const auto command = encode_command(make_c_echo_rq(1));
  PDataTfView pdata;
  pdata.pdvs.push_back(PdvView{5, true, true, *command});
  ASSERT_TRUE(client->write_all(*encode_pdu(pdata), {}));
  expect_provider_abort(*client, abort_reason::kUnexpectedPduParameter);
  EXPECT_TRUE(done.get());
}

TEST(AssociationTest, DataPdvWithoutCommandAborts) {
  auto [client, server] = memory_pipe();
  auto done = acceptor_expecting_failure(std::move(server));
  raw_associate(*client);
  const std::vector<std::byte> data(8);
  PDataTfView pdata;
  pdata.pdvs.push_back(PdvView{1, false, true, data});
  ASSERT_TRUE(client->write_all(*encode_pdu(pdata), {}));
  expect_provider_abort(*client, abort_reason::kUnexpectedPduParameter);
  EXPECT_TRUE(done.get());
}

TEST(AssociationTest, OversizedCommandAborts) {
  auto [client, server] = memory_pipe();
  auto done = acceptor_expecting_failure(std::move(server));
  raw_associate(*client);
  const std::vector<std::byte> data(16000);
  PDataTfView pdata;
  pdata.pdvs.push_back(PdvView{1, true, false, data});
  const auto pdu = *encode_pdu(pdata);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client->write_all(pdu, {}));
  expect_provider_abort(*client, abort_reason::kUnexpectedPduParameter);
  EXPECT_TRUE(done.get());
}

TEST(AssociationTest, EchoOverTcpLoopback) {
  auto listener = listen_tcp(0);
  ASSERT_TRUE(listener) << listener.error().to_string();
  const std::uint16_t port = (*listener)->port();
  ASSERT_NE(port, 0);
  auto server_side = std::async(std::launch::async,
                                [&listener] { return (*listener)->accept(Clock::now() + 10s); });
  auto client = connect_tcp("localhost", port, Clock::now() + 10s);
  ASSERT_TRUE(client) << client.error().to_string();
  auto accepted = server_side.get();
  ASSERT_TRUE(accepted) << accepted.error().to_string();
  EXPECT_FALSE((*accepted)->peer_address().empty());
  auto done = acceptor(std::move(*accepted), {}, echo_and_ct_policy(), serve_echoes_until_release);
  Association association = request_ok(std::move(*client), echo_and_ct_request());
  for (std::uint16_t id = 1; id <= 20; ++id) {
    ASSERT_TRUE(association.send_command(1, make_c_echo_rq(id)));
    const auto rsp = association.receive_command();
    ASSERT_TRUE(rsp) << rsp.error().to_string();
    EXPECT_EQ(rsp->command.message_id_responded_to, id);
  }
  ASSERT_TRUE(association.release());
  EXPECT_TRUE(done.get());
}

TEST(AssociationTest, ConnectingToAClosedPortFails) {
  std::uint16_t port = 0;
  {
    auto listener = listen_tcp(0);
    ASSERT_TRUE(listener);
    port = (*listener)->port();
  }
  auto client = connect_tcp("127.0.0.1", port, Clock::now() + 5s);
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code(), ErrorCode::Network);
  EXPECT_NE(client.error().message().find("refused"), std::string::npos);
}

}  // namespace
}  // namespace dcmkit::dcmnet

// SPDX-License-Identifier: BSD-3-Clause
// The server core over TCP loopback: many associations at once, the connection limit, and a
// clean stop while clients are connected.
#include "dcmkit/dcmnet/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

namespace dcmkit::dcmnet {
namespace {

using namespace std::chrono_literals;

constexpr const char* kVerification = "1.2.840.10008.1.1";
constexpr const char* kImplicit = "1.2.840.10008.1.2";

class EchoProvider : public ServiceProvider {
 public:
  ofstd::Status handle(Association& association, const Incoming& incoming) override {
    ++commands;
    if (incoming.command.field == CommandField::CEchoRq) {
      return respond_to_echo(association, incoming);
    }
    return respond_with_status(association, incoming, status::kUnrecognizedOperation);
  }
  void on_ended(Association&, const ofstd::Status& how) override {
    if (how) ++released;
  }
  std::optional<AssociateRj> screen(const AssociateRq& rq, const std::string&) override {
    if (rq.calling_ae == "REFUSED") return AssociateRj{1, 1, 3};
    return std::nullopt;
  }
  std::atomic<int> commands{0};
  std::atomic<int> released{0};
};

AcceptorPolicy echo_policy() {
  AcceptorPolicy policy;
  policy.abstract_syntaxes.push_back({kVerification, {kImplicit}});
  return policy;
}

AssociateRq echo_request(std::string calling = "SCU") {
  AssociateRq rq;
  rq.called_ae = "SCP";
  rq.calling_ae = std::move(calling);
  rq.contexts.push_back({1, kVerification, {kImplicit}});
  return rq;
}

struct RunningServer {
  EchoProvider provider;
  AcceptorPolicy policy = echo_policy();
  std::unique_ptr<Server> server;
  std::thread runner;

  explicit RunningServer(std::size_t max_connections) {
    ServerConfig config;
    config.max_connections = max_connections;
    auto listening = Server::listen(config, [this](std::unique_ptr<Transport> transport) {
      (void)serve_association(std::move(transport), policy, {}, provider);
    });
    EXPECT_TRUE(listening) << listening.error().to_string();
    server = std::move(listening).value();
    runner = std::thread([this] { EXPECT_TRUE(server->run()); });
  }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;
  ~RunningServer() {
    server->stop();
    runner.join();
  }
};

ofstd::Result<Association> associate(std::uint16_t port, std::string calling = "SCU") {
  DCMKIT_ASSIGN_OR_RETURN(auto transport, connect_tcp("127.0.0.1", port, Clock::now() + 10s));
  DCMKIT_ASSIGN_OR_RETURN(auto outcome,
                          Association::request(std::move(transport), echo_request(calling), {}));
  if (auto* rj = std::get_if<AssociateRj>(&outcome)) {
    return ofstd::Error(ofstd::ErrorCode::Network, describe(*rj));
  }
  return std::get<Association>(std::move(outcome));
}

TEST(ServerTest, ServesManyAssociationsAtOnce) {
  RunningServer running(16);
  const std::uint16_t port = running.server->port();
  constexpr int kClients = 8;
  constexpr int kEchoes = 25;
  std::vector<std::future<int>> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.push_back(std::async(std::launch::async, [port] {
      auto association = associate(port);
      if (!association) return -1;
      int ok = 0;
      for (std::uint16_t id = 1; id <= kEchoes; ++id) {
        if (!association->send_command(1, make_c_echo_rq(id))) break;
        auto rsp = association->receive_command();
        if (rsp && rsp->command.message_id_responded_to == id) ++ok;
      }
      return association->release() ? ok : -2;
    }));
  }
  for (auto& client : clients) EXPECT_EQ(client.get(), kEchoes);
  running.server->stop();
  running.runner.join();
  running.runner = std::thread([] {});
  EXPECT_EQ(running.provider.commands.load(), kClients * kEchoes);
  EXPECT_EQ(running.provider.released.load(), kClients);
  EXPECT_EQ(running.server->served_connections(), static_cast<std::uint64_t>(kClients));
}

TEST(ServerTest, RefusesConnectionsBeyondTheLimit) {
  RunningServer running(1);
  auto first = associate(running.server->port());
  ASSERT_TRUE(first) << first.error().to_string();
  auto second = associate(running.server->port());
  EXPECT_FALSE(second);
  EXPECT_EQ(running.server->refused_connections(), 1u);
  ASSERT_TRUE(first->release());
}

TEST(ServerTest, ScreenedRequestIsRejected) {
  RunningServer running(4);
  auto refused = associate(running.server->port(), "REFUSED");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("Calling AE Title Not Recognized"), std::string::npos);
}

TEST(ServerTest, UnknownCommandGetsUnrecognizedOperation) {
  RunningServer running(4);
  auto association = associate(running.server->port());
  ASSERT_TRUE(association);
  Command find = make_c_find_rq(1, kVerification);
  find.has_data_set = false;
  ASSERT_TRUE(association->send_command(1, find));
  const auto rsp = association->receive_command();
  ASSERT_TRUE(rsp);
  EXPECT_EQ(rsp->command.status, status::kUnrecognizedOperation);
  ASSERT_TRUE(association->release());
}

TEST(ServerTest, StopEndsConnectedClients) {
  auto running = std::make_unique<RunningServer>(4);
  auto association = associate(running->server->port());
  ASSERT_TRUE(association);
  running->server->stop();
  running->runner.join();
  running->runner = std::thread([] {});
  // The server side is gone: the next exchange fails instead of hanging.
  const bool sent = static_cast<bool>(association->send_command(1, make_c_echo_rq(1)));
  const auto rsp = association->receive_command();
  EXPECT_FALSE(sent && rsp);
  running.reset();
}

}  // namespace
}  // namespace dcmkit::dcmnet

// SPDX-License-Identifier: BSD-3-Clause
// The network programs' shared option handling: timeouts and PDU sizes as DCMTK reads them, and
// the TLS option checks.
#include "common/dcmnet_options.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace dcmkit::apps {
namespace {

using namespace std::chrono_literals;

constexpr std::initializer_list<NetworkLimit> kAll = {
    NetworkLimit::ConnectTimeout, NetworkLimit::SocketTimeout, NetworkLimit::AcseTimeout,
    NetworkLimit::DimseTimeout,   NetworkLimit::MaxPdu,        NetworkLimit::MaxSendPdu};

ofstd::Result<ofstd::ParsedCommandLine> parse(const ofstd::CommandLine& cl,
                                              std::vector<std::string> arguments) {
  return cl.parse(arguments);
}

ofstd::CommandLine scu_command_line() {
  ofstd::CommandLine cl("scu", "test");
  for (const NetworkLimit limit : kAll) add_network_limit_option(cl, limit);
  add_tls_options(cl, TlsOptionSet{});
  return cl;
}

TEST(NetworkLimitsTest, DefaultsAreDcmtks) {
  const ofstd::CommandLine cl = scu_command_line();
  auto args = parse(cl, {});
  ASSERT_TRUE(args) << args.error().message();
  auto limits = network_limits(*args, kAll);
  ASSERT_TRUE(limits);
  EXPECT_FALSE(limits->timeouts.connect);
  EXPECT_EQ(limits->timeouts.socket, std::chrono::milliseconds(60s));
  EXPECT_EQ(limits->timeouts.acse, std::chrono::milliseconds(30s));
  EXPECT_FALSE(limits->timeouts.dimse);
  EXPECT_EQ(limits->max_receive_pdu, 16384U);
  EXPECT_EQ(limits->max_send_pdu, 0U);
}

TEST(NetworkLimitsTest, ReadsEveryOption) {
  const ofstd::CommandLine cl = scu_command_line();
  auto args = parse(cl, {"-to", "5", "-ts", "0", "-ta", "7", "-td", "9", "-pdu", "65536",
                         "--max-send-pdu", "8192"});
  ASSERT_TRUE(args) << args.error().message();
  auto limits = network_limits(*args, kAll);
  ASSERT_TRUE(limits);
  EXPECT_EQ(limits->timeouts.connect, std::chrono::milliseconds(5s));
  EXPECT_FALSE(limits->timeouts.socket) << "-ts 0 means no socket timeout";
  EXPECT_EQ(limits->timeouts.acse, std::chrono::milliseconds(7s));
  EXPECT_EQ(limits->timeouts.dimse, std::chrono::milliseconds(9s));
  EXPECT_EQ(limits->max_receive_pdu, 65536U);
  EXPECT_EQ(limits->max_send_pdu, 8192U);
}

TEST(NetworkLimitsTest, RefusesValuesOutOfRange) {
  const ofstd::CommandLine cl = scu_command_line();
  for (const std::vector<std::string>& arguments :
       std::vector<std::vector<std::string>>{{"-pdu", "4095"},
                                             {"-pdu", "131073"},
                                             {"--max-send-pdu", "100"},
                                             {"-ta", "0"},
                                             {"-to", "0"},
                                             {"-td", "x"},
                                             {"-ts", "-1"}}) {
    auto args = parse(cl, arguments);
    ASSERT_TRUE(args) << args.error().message();
    auto limits = network_limits(*args, kAll);
    ASSERT_FALSE(limits) << arguments[0] << " " << arguments[1];
    EXPECT_EQ(limits.error().code(), ofstd::ErrorCode::InvalidArgument);
  }
}

TEST(NetworkLimitsTest, ReadsOnlyTheRegisteredOptions) {
  // storescp has no -to: asking only for what a program registered must work.
  ofstd::CommandLine cl("scp", "test");
  add_network_limit_option(cl, NetworkLimit::MaxPdu);
  auto args = parse(cl, {"-pdu", "4096"});
  ASSERT_TRUE(args) << args.error().message();
  auto limits = network_limits(*args, {NetworkLimit::MaxPdu});
  ASSERT_TRUE(limits);
  EXPECT_EQ(limits->max_receive_pdu, 4096U);
}

TEST(TlsOptionsTest, SeedFilesAndDcmtksDependencyChecks) {
  const ofstd::CommandLine cl = scu_command_line();
  auto args = parse(cl, {"+tls", "key.pem", "cert.pem", "+rs", "seed", "+ws"});
  ASSERT_TRUE(args) << args.error().message();
  auto tls = tls_options(*args, TlsOptionSet{});
  ASSERT_TRUE(tls) << tls.error().message();
  EXPECT_TRUE(tls->enabled);
  EXPECT_EQ(tls->seed_file, "seed");
  EXPECT_EQ(tls->write_seed_file, "seed") << "+ws writes back to the +rs file";

  args = parse(cl, {"+tls", "key.pem", "cert.pem", "+rs", "seed", "+wf", "other"});
  ASSERT_TRUE(args);
  tls = tls_options(*args, TlsOptionSet{});
  ASSERT_TRUE(tls);
  EXPECT_EQ(tls->write_seed_file, "other");

  args = parse(cl, {"+tls", "key.pem", "cert.pem", "+ws"});
  ASSERT_TRUE(args);
  tls = tls_options(*args, TlsOptionSet{});
  ASSERT_FALSE(tls);
  EXPECT_EQ(tls.error().message(), "--write-seed only allowed with --seed");

  args = parse(cl, {"+cf", "ca.pem"});
  ASSERT_TRUE(args);
  tls = tls_options(*args, TlsOptionSet{});
  ASSERT_FALSE(tls);
  EXPECT_EQ(tls.error().message(),
            "--add-cert-file only allowed with --enable-tls or --anonymous-tls");
}

}  // namespace
}  // namespace dcmkit::apps

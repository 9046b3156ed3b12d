// SPDX-License-Identifier: BSD-3-Clause
// echoscu: DICOM verification (C-ECHO) SCU, a drop-in replacement for DCMTK's (docs/echoscu.md).
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "common/app.h"
#include "common/dcmnet_options.h"
#include "dcmkit/dcmnet/association.h"
#include "dcmkit/dcmnet/dimse.h"
#include "dcmkit/dcmnet/negotiation.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"

namespace {

using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file

// The transfer syntaxes -pts proposes, in DCMTK's order (observed from its requests).
constexpr std::string_view kProposableSyntaxes[] = {
    "1.2.840.10008.1.2",       "1.2.840.10008.1.2.1",     "1.2.840.10008.1.2.2",
    "1.2.840.10008.1.2.4.50",  "1.2.840.10008.1.2.4.51",  "1.2.840.10008.1.2.4.52",
    "1.2.840.10008.1.2.4.53",  "1.2.840.10008.1.2.4.54",  "1.2.840.10008.1.2.4.55",
    "1.2.840.10008.1.2.4.56",  "1.2.840.10008.1.2.4.57",  "1.2.840.10008.1.2.4.58",
    "1.2.840.10008.1.2.4.59",  "1.2.840.10008.1.2.4.60",  "1.2.840.10008.1.2.4.61",
    "1.2.840.10008.1.2.4.62",  "1.2.840.10008.1.2.4.63",  "1.2.840.10008.1.2.4.64",
    "1.2.840.10008.1.2.4.65",  "1.2.840.10008.1.2.4.66",  "1.2.840.10008.1.2.4.70",
    "1.2.840.10008.1.2.5",     "1.2.840.10008.1.2.1.99",  "1.2.840.10008.1.2.4.80",
    "1.2.840.10008.1.2.4.81",  "1.2.840.10008.1.2.4.90",  "1.2.840.10008.1.2.4.91",
    "1.2.840.10008.1.2.4.92",  "1.2.840.10008.1.2.4.93",  "1.2.840.10008.1.2.4.100",
    "1.2.840.10008.1.2.4.101", "1.2.840.10008.1.2.4.102", "1.2.840.10008.1.2.4.103",
    "1.2.840.10008.1.2.4.104", "1.2.840.10008.1.2.4.105", "1.2.840.10008.1.2.4.106",
    "1.2.840.10008.1.2.4.107", "1.2.840.10008.1.2.4.108",
};
constexpr std::string_view kVerification = "1.2.840.10008.1.1";

constexpr apps::TlsOptionSet kTlsOptions{.anonymous = true,
                                         .dh_params = false,
                                         .verify_peer_if_present = false,
                                         .offline_verification = true};

// echoscu's timeout and PDU options, in DCMTK's order.
constexpr std::initializer_list<apps::NetworkLimit> kNetworkLimits = {
    apps::NetworkLimit::ConnectTimeout, apps::NetworkLimit::SocketTimeout,
    apps::NetworkLimit::AcseTimeout, apps::NetworkLimit::DimseTimeout, apps::NetworkLimit::MaxPdu};

void define_options(ofstd::CommandLine& cl) {
  cl.add_parameter("peer", "hostname of DICOM peer");
  cl.add_parameter("port", "tcp/ip port number of peer");
  cl.add_group("network options:");
  cl.add_subgroup("application entity titles:");
  cl.add_option("-aet", "--aetitle",
                "[a]etitle: string\n"
                "set my calling AE title (default: ECHOSCU)",
                1);
  cl.add_option("-aec", "--call",
                "[a]etitle: string\n"
                "set called AE title of peer (default: ANY-SCP)",
                1);
  cl.add_subgroup("association negotiation debugging:");
  cl.add_option("-pts", "--propose-ts",
                "[n]umber: integer (1..38)\n"
                "propose n transfer syntaxes",
                1);
  cl.add_option("-ppc", "--propose-pc",
                "[n]umber: integer (1..128)\n"
                "propose n presentation contexts",
                1);
  cl.add_subgroup("other network options:");
  for (const apps::NetworkLimit limit : kNetworkLimits) apps::add_network_limit_option(cl, limit);
  cl.add_option("", "--repeat",
                "[n]umber: integer\n"
                "repeat n times",
                1);
  cl.add_option("", "--abort", "abort association instead of releasing it");
  apps::add_tls_options(cl, kTlsOptions);
}

struct Settings {
  std::shared_ptr<dcmnet::TlsContext> tls;  ///< empty: plain TCP
  apps::TlsOptions tls_options;
  std::string peer;
  std::uint16_t port = 0;
  std::string calling_ae = "ECHOSCU";
  std::string called_ae = "ANY-SCP";
  std::size_t transfer_syntaxes = 1;
  std::size_t contexts = 1;
  dcmnet::AssociationConfig config;
  long long repeat = 1;
  bool abort = false;
};

// Reads the command line into Settings; an exit code if it is not usable.
std::optional<int> read_settings(const App& app, Settings& s) {
  const ofstd::ParsedCommandLine& args = app.args();
  s.peer = args.param(0);
  auto port = args.param_as_int(1, ofstd::IntBounds::range(1, 65535));
  if (!port) return app.usage_error(port.error());
  s.port = static_cast<std::uint16_t>(*port);
  if (args.has("-aet")) s.calling_ae = *args.value("-aet");
  if (args.has("-aec")) s.called_ae = *args.value("-aec");
  const auto integer = [&](std::string_view option, ofstd::IntBounds bounds,
                           auto assign) -> std::optional<int> {
    if (!args.has(option)) return std::nullopt;
    auto value = args.value_as_int(option, bounds);
    if (!value) return app.usage_error(value.error());
    assign(*value);
    return std::nullopt;
  };
  std::optional<int> failed;
  if ((failed = integer("-pts", ofstd::IntBounds::range(1, 38),
                        [&](long long v) { s.transfer_syntaxes = static_cast<std::size_t>(v); })) ||
      (failed = integer("-ppc", ofstd::IntBounds::range(1, 128),
                        [&](long long v) { s.contexts = static_cast<std::size_t>(v); }))) {
    return failed;
  }
  auto limits = apps::network_limits(args, kNetworkLimits);
  if (!limits) return app.usage_error(limits.error());
  s.config.timeouts = limits->timeouts;
  s.config.max_receive_pdu = limits->max_receive_pdu;
  if ((failed = integer("--repeat", ofstd::IntBounds::at_least(1),
                        [&](long long v) { s.repeat = v; }))) {
    return failed;
  }
  s.abort = args.has("--abort");
  return apps::set_up_tls(app, kTlsOptions, dcmnet::TlsRole::Client, s.tls, s.tls_options);
}

}  // namespace

int main(int argc, char** argv) {
  App app("echoscu", "DICOM verification (C-ECHO) SCU");
  define_options(app.command_line());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  if (app.args().has("+cc")) {
    apps::list_ciphers(std::cout);
    return 0;
  }
  if (app.args().has("+vc") || app.args().has("+rc")) {
    // Offline certificate checks, DCMTK's way: a verdict on stdout, exit 22 when negative.
    auto tls = apps::tls_options(app.args(), kTlsOptions);
    if (!tls) return app.usage_error(tls.error());
    if (app.args().has("+vc")) {
      const std::string file = *app.args().value("+vc");
      dcmnet::TlsConfig trust;
      trust.ca_files = tls->ca_files;
      trust.ca_dirs = tls->ca_dirs;
      trust.der = tls->der;
      const ofstd::Status verified = dcmnet::verify_certificate_file(file, trust);
      if (!verified) DCMKIT_LOG_DEBUG(app.logger(), verified.error().message());
      std::cout << "Verification of certificate '" << file << "' "
                << (verified ? "passed." : "failed.") << std::endl;
      return verified ? 0 : ofstd::kExitInvalidInputFile;
    }
    const std::string file = *app.args().value("+rc");
    auto root = dcmnet::is_root_certificate_file(file, tls->der);
    std::cout << "Certificate '" << file << "' is " << (root && *root ? "" : "not ")
              << "a valid, self-signed root CA." << std::endl;
    return root && *root ? 0 : ofstd::kExitInvalidInputFile;
  }
  Settings s;
  if (const auto exit_code = read_settings(app, s)) return *exit_code;
  const oflog::Logger& log = app.logger();
  const apps::RandomSeedWriter seed_writer(s.tls_options, log);

  dcmnet::AssociateRq rq;
  rq.calling_ae = s.calling_ae;
  rq.called_ae = s.called_ae;
  for (std::size_t i = 0; i < s.contexts; ++i) {
    dcmnet::PresentationContextRq context;
    context.id = static_cast<std::uint8_t>(2 * i + 1);
    context.abstract_syntax = std::string(kVerification);
    for (std::size_t j = 0; j < s.transfer_syntaxes; ++j) {
      context.transfer_syntaxes.emplace_back(kProposableSyntaxes[j]);
    }
    rq.contexts.push_back(std::move(context));
  }

  auto requested = apps::request_association(app, s.peer, s.port, rq, s.config, s.tls.get());
  if (!requested) return 1;
  dcmnet::Association& association = *requested;
  DCMKIT_LOG_INFO(log, "Association Accepted (Max Send PDV: " << association.max_send_pdv() << ")");
  const std::uint8_t context_id = association.contexts().front().id;
  for (long long i = 1; i <= s.repeat; ++i) {
    const auto message_id = static_cast<std::uint16_t>(i);
    DCMKIT_LOG_INFO(log, "Sending Echo Request (MsgID " << message_id << ")");
    ofstd::Status sent = association.send_command(context_id, dcmnet::make_c_echo_rq(message_id));
    ofstd::Result<dcmnet::Incoming> rsp =
        sent ? association.receive_command() : ofstd::Result<dcmnet::Incoming>(sent.error());
    if (!rsp || rsp->kind != dcmnet::Incoming::Kind::Command) {
      if (association.was_aborted_by_peer()) {
        log.log(oflog::Level::Fatal,
                "Echo SCU Failed: Peer Aborted Association (or Network Error)");
        return ofstd::kExitAssociationAborted;
      }
      log.log(oflog::Level::Error, "Echo Failed: " + (rsp ? std::string("peer requested release")
                                                          : rsp.error().to_string()));
      association.abort();
      return 1;
    }
    const std::uint16_t code = rsp->command.status.value_or(0xFFFF);
    DCMKIT_LOG_INFO(log, "Received Echo Response (" << dcmnet::describe_status(code) << ")");
  }
  if (s.abort) {
    DCMKIT_LOG_INFO(log, "Aborting Association");
    association.abort();
    return 0;
  }
  DCMKIT_LOG_INFO(log, "Releasing Association");
  if (const ofstd::Status released = association.release(); !released) {
    log.log(oflog::Level::Fatal, "Association Release Failed: " + released.error().to_string());
    return 1;
  }
  return 0;
}

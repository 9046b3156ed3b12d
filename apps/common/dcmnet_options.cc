// SPDX-License-Identifier: BSD-3-Clause
#include "common/dcmnet_options.h"

#include <algorithm>
#include <array>
#include <utility>
#include <variant>

#include "dcmkit/dcmnet/transport.h"

namespace dcmkit::apps {

namespace {

struct ModalityEntry {
  std::string_view uid;
  std::string_view prefix;
};

constexpr ModalityEntry kModalities[] = {
#include "common/dcmtk_modalities.inc"
};

}  // namespace

void add_network_limit_option(ofstd::CommandLine& cl, NetworkLimit option) {
  switch (option) {
    case NetworkLimit::ConnectTimeout:
      cl.add_option("-to", "--timeout",
                    "[s]econds: integer (default: unlimited)\n"
                    "timeout for connection requests",
                    1);
      break;
    case NetworkLimit::SocketTimeout:
      cl.add_option("-ts", "--socket-timeout",
                    "[s]econds: integer (default: 60)\n"
                    "timeout for network socket (0 for none)",
                    1);
      break;
    case NetworkLimit::AcseTimeout:
      cl.add_option("-ta", "--acse-timeout",
                    "[s]econds: integer (default: 30)\n"
                    "timeout for ACSE messages",
                    1);
      break;
    case NetworkLimit::DimseTimeout:
      cl.add_option("-td", "--dimse-timeout",
                    "[s]econds: integer (default: unlimited)\n"
                    "timeout for DIMSE messages",
                    1);
      break;
    case NetworkLimit::MaxPdu:
      cl.add_option("-pdu", "--max-pdu",
                    "[n]umber of bytes: integer (4096..131072)\n"
                    "set max receive pdu to n bytes (default: 16384)",
                    1);
      break;
    case NetworkLimit::MaxSendPdu:
      cl.add_option("", "--max-send-pdu",
                    "[n]umber of bytes: integer (4096..131072)\n"
                    "restrict max send pdu to n bytes",
                    1);
      break;
  }
}

ofstd::Result<NetworkLimits> network_limits(const ofstd::ParsedCommandLine& args,
                                            std::initializer_list<NetworkLimit> registered) {
  NetworkLimits limits;
  for (const NetworkLimit option : registered) {
    std::string_view name;
    ofstd::IntBounds bounds = ofstd::IntBounds::at_least(1);
    switch (option) {
      case NetworkLimit::ConnectTimeout:
        name = "-to";
        break;
      case NetworkLimit::SocketTimeout:
        name = "-ts";
        bounds = ofstd::IntBounds::at_least(0);
        break;
      case NetworkLimit::AcseTimeout:
        name = "-ta";
        break;
      case NetworkLimit::DimseTimeout:
        name = "-td";
        break;
      case NetworkLimit::MaxPdu:
        name = "-pdu";
        bounds = ofstd::IntBounds::range(4096, 131072);
        break;
      case NetworkLimit::MaxSendPdu:
        name = "--max-send-pdu";
        bounds = ofstd::IntBounds::range(4096, 131072);
        break;
    }
    if (!args.has(name)) continue;
    DCMKIT_ASSIGN_OR_RETURN(const long long value, args.value_as_int(name, bounds));
    switch (option) {
      case NetworkLimit::ConnectTimeout:
        limits.timeouts.connect = seconds(value);
        break;
      case NetworkLimit::SocketTimeout:
        limits.timeouts.socket = seconds(value, true);
        break;
      case NetworkLimit::AcseTimeout:
        limits.timeouts.acse = seconds(value);
        break;
      case NetworkLimit::DimseTimeout:
        limits.timeouts.dimse = seconds(value);
        break;
      case NetworkLimit::MaxPdu:
        limits.max_receive_pdu = static_cast<std::uint32_t>(value);
        break;
      case NetworkLimit::MaxSendPdu:
        limits.max_send_pdu = static_cast<std::uint32_t>(value);
        break;
    }
  }
  return limits;
}

void add_tls_options(ofstd::CommandLine& cl, const TlsOptionSet& set) {
  cl.add_group("transport layer security (TLS) options:");
  cl.add_subgroup("transport protocol stack:");
  cl.add_option("-tls", "--disable-tls", "use normal TCP/IP connection (default)");
  cl.add_option("+tls", "--enable-tls",
                "[p]rivate key file, [c]ertificate file: string\n"
                "use authenticated secure TLS connection",
                2);
  if (set.anonymous) {
    cl.add_option("+tla", "--anonymous-tls", "use secure TLS connection without certificate");
  }
  cl.add_subgroup("private key password (only with --enable-tls):");
  cl.add_option("+ps", "--std-passwd", "prompt user to type password on stdin (default)");
  cl.add_option("+pw", "--use-passwd",
                "[p]assword: string \n"
                "use specified password",
                1);
  cl.add_option("-pw", "--null-passwd", "use empty string as password");
  cl.add_subgroup("key and certificate file format:");
  cl.add_option("-pem", "--pem-keys", "read keys and certificates as PEM file (default)");
  cl.add_option("-der", "--der-keys", "read keys and certificates as DER file");
  cl.add_subgroup("certification authority:");
  cl.add_option("+cf", "--add-cert-file",
                "[f]ilename: string\n"
                "add certificate file to list of certificates",
                1);
  cl.add_option("+cd", "--add-cert-dir",
                "[d]irectory: string\n"
                "add certificates in d to list of certificates",
                1);
  cl.add_option("+crl", "--add-crl-file",
                "[f]ilename: string\n"
                "add certificate revocation list file\n"
                "(implies --enable-crl-vfy)",
                1);
  cl.add_option("+crv", "--enable-crl-vfy", "enable leaf CRL verification");
  cl.add_option("+cra", "--enable-crl-all", "enable full chain CRL verification");
  cl.add_subgroup("security profile:");
  cl.add_option("+py", "--profile-bcp195-nd", "Non-downgrading BCP 195 TLS Profile (default)");
  cl.add_option("+px", "--profile-bcp195", "BCP 195 TLS Profile");
  cl.add_option("+pz", "--profile-bcp195-ex", "Extended BCP 195 TLS Profile");
  cl.add_option("+pa", "--profile-aes",
                "AES TLS Secure Transport Connection Profile\n"
                "(retired)");
  cl.add_option("+pn", "--profile-null",
                "Authenticated unencrypted communication\n"
                "(retired, was used in IHE ATNA)");
  cl.add_subgroup("ciphersuite:");
  cl.add_option("+cc", "--list-ciphers", "show list of supported TLS ciphersuites and exit", 0,
                ofstd::OptionKind::Exclusive);
  cl.add_option("+cs", "--cipher",
                "[c]iphersuite name: string\n"
                "add ciphersuite to list of negotiated suites\n"
                "(not with --profile-bcp195-ex)",
                1);
  if (set.dh_params) {
    cl.add_option("+dp", "--dhparam",
                  "[f]ilename: string\n"
                  "read DH parameters for DH/DSS ciphersuites",
                  1);
  }
  cl.add_subgroup("pseudo random generator:");
  cl.add_option("+rs", "--seed",
                "[f]ilename: string\n"
                "seed random generator with contents of f",
                1);
  cl.add_option("+ws", "--write-seed", "write back modified seed (only with --seed)");
  cl.add_option("+wf", "--write-seed-file",
                "[f]ilename: string (only with --seed)\n"
                "write modified seed to file f",
                1);
  cl.add_subgroup("peer authentication:");
  cl.add_option("-rc", "--require-peer-cert", "verify peer certificate, fail if absent (default)");
  if (set.verify_peer_if_present) {
    cl.add_option("-vc", "--verify-peer-cert", "verify peer certificate if present");
  }
  cl.add_option("-ic", "--ignore-peer-cert", "don't verify peer certificate");
  if (set.offline_verification) {
    cl.add_subgroup("offline certificate verification:");
    cl.add_option("+vc", "--verify-cert",
                  "[f]ilename: string\n"
                  "verify certificate against CA settings",
                  1, ofstd::OptionKind::Exclusive);
    cl.add_option("+rc", "--is-root-cert",
                  "[f]ilename: string\n"
                  "check if certificate is self-signed root CA",
                  1, ofstd::OptionKind::Exclusive);
  }
}

ofstd::Result<TlsOptions> tls_options(const ofstd::ParsedCommandLine& args,
                                      const TlsOptionSet& set) {
  TlsOptions tls;
  const std::optional<std::string_view> stack =
      set.anonymous ? args.last_of({"-tls", "+tls", "+tla"}) : args.last_of({"-tls", "+tls"});
  if (stack == "+tls") {
    tls.enabled = true;
    const std::vector<std::string> files = args.values("+tls");
    tls.private_key_file = files.at(0);
    tls.certificate_file = files.at(1);
  } else if (stack == "+tla") {
    tls.enabled = true;
    tls.anonymous = true;
  }
  // DCMTK's dependency checks, in its words and order.
  for (const std::string_view option : {"+ps", "+pw", "-pw"}) {
    if (args.has(option) && stack != "+tls") {
      return ofstd::Error(ofstd::ErrorCode::InvalidArgument,
                          std::string(args.long_name(option)) + " only allowed with --enable-tls");
    }
  }
  const std::string_view needs = set.anonymous
                                     ? " only allowed with --enable-tls or --anonymous-tls"
                                     : " only allowed with --enable-tls";
  for (const std::string_view option :
       {"-pem", "-der", "+cf", "+cd", "+crl", "+crv", "+cra", "+py", "+px", "+pz", "+pa", "+pn",
        "+cs", "+dp", "+rs", "-rc", "-vc", "-ic"}) {
    const bool registered =
        (option != "+dp" || set.dh_params) && (option != "-vc" || set.verify_peer_if_present);
    if (!tls.enabled && registered && args.has(option)) {
      // DCMTK 3.6.7 names --profile-aes by an older name in this message.
      const std::string name =
          option == "+pa" ? "--profile-basic" : std::string(args.long_name(option));
      return ofstd::Error(ofstd::ErrorCode::InvalidArgument, name + std::string(needs));
    }
  }
  if (const auto password = args.last_of({"+ps", "+pw", "-pw"})) {
    if (*password == "+pw") tls.password = *args.value("+pw");
    if (*password == "-pw") tls.password = std::string();
  }
  tls.der = args.last_of({"-pem", "-der"}) == "-der";
  tls.ca_files = args.all_values("+cf");
  tls.ca_dirs = args.all_values("+cd");
  tls.crl_files = args.all_values("+crl");
  tls.crl_leaf = args.has("+crv") || !tls.crl_files.empty();
  tls.crl_all = args.has("+cra");
  if (const auto profile = args.last_of({"+py", "+px", "+pz", "+pa", "+pn"})) {
    tls.profile = std::string(*profile);
  }
  tls.ciphers = args.all_values("+cs");
  if (!tls.ciphers.empty() && tls.profile == "+pz") {
    return ofstd::Error(ofstd::ErrorCode::InvalidArgument,
                        "--cipher not allowed with --profile-bcp195-ex");
  }
  if (set.dh_params && args.has("+dp")) tls.dh_params_file = *args.value("+dp");
  if ((args.has("+ws") || args.has("+wf")) && !args.has("+rs")) {
    return ofstd::Error(ofstd::ErrorCode::InvalidArgument,
                        std::string(args.has("+ws") ? "--write-seed" : "--write-seed-file") +
                            " only allowed with --seed");
  }
  if (args.has("+rs")) tls.seed_file = *args.value("+rs");
  if (const auto write = args.last_of({"+ws", "+wf"})) {
    tls.write_seed_file = *write == "+ws" ? tls.seed_file : *args.value("+wf");
  }
  const std::optional<std::string_view> peer = set.verify_peer_if_present
                                                   ? args.last_of({"-rc", "-vc", "-ic"})
                                                   : args.last_of({"-rc", "-ic"});
  if (peer == "-vc") tls.peer_certificate = PeerCertificate::VerifyIfPresent;
  if (peer == "-ic") tls.peer_certificate = PeerCertificate::Ignore;
  return tls;
}

std::optional<std::chrono::milliseconds> seconds(long long value, bool zero_is_none) {
  if (zero_is_none && value == 0) return std::nullopt;
  return std::chrono::milliseconds(value * 1000);
}

std::string_view sop_class_modality(std::string_view uid) noexcept {
  const auto* found =
      std::lower_bound(std::begin(kModalities), std::end(kModalities), uid,
                       [](const ModalityEntry& e, std::string_view u) { return e.uid < u; });
  if (found != std::end(kModalities) && found->uid == uid) return found->prefix;
  return {};
}

std::string sop_class_label(std::string_view uid) {
  const std::string_view modality = sop_class_modality(uid);
  return "(" + std::string(modality.empty() ? "unknown SOP class" : modality) + ") " +
         std::string(uid);
}

void log_rejection(const oflog::Logger& logger, oflog::Level level, const dcmnet::AssociateRj& rj) {
  logger.log(level, "Association Rejected:");
  const std::string text = dcmnet::describe(rj);
  const std::size_t newline = text.find('\n');
  logger.log(level, text.substr(0, newline));
  if (newline != std::string::npos) logger.log(level, text.substr(newline + 1));
}

std::string network_error_text(const ofstd::Error& error) {
  const std::string& message = error.message();
  // DCMTK's "TCP Initialization Error" (0006:031c) for connection set-up failures.
  for (const std::string_view reason :
       {"Connection refused", "Network is unreachable", "No route to host", "Connection timed out",
        "Address already in use", "Permission denied"}) {
    if (message.find(reason) != std::string::npos) {
      return "0006:031c TCP Initialization Error: " + std::string(reason);
    }
  }
  if (message.rfind("cannot resolve host", 0) == 0) {
    return "0006:031c TCP Initialization Error: " + message;
  }
  return error.to_string();
}

std::string association_failure(const ofstd::Error& error, bool secure) {
  if (dcmnet::is_timeout(error) && error.message().find("connecting") == std::string::npos) {
    return "Association Request Failed: 0006:0317 Timeout while waiting for ACSE response";
  }
  const std::string& message = error.message();
  if (!secure && (message.find("connection closed by peer") != std::string::npos ||
                  message.find("Connection reset by peer") != std::string::npos)) {
    // A TLS server drops a plain association request without an answer.
    return "Association Request Failed: " + message +
           " before answering the association request (does the peer expect TLS? then use "
           "--enable-tls)";
  }
  if (secure && (message.find("Connection reset by peer") != std::string::npos ||
                 message.find("connection closed by peer") != std::string::npos ||
                 message.find("Broken pipe") != std::string::npos)) {
    // With TLS 1.3 the server checks the client's certificate after the client's handshake has
    // finished, so a refusal arrives as a closed connection on the first PDU; a server that
    // closes at once (DCMTK's does) discards the alert that would say why.
    return "Association Request Failed: " + message +
           " right after the TLS handshake (does the peer refuse this client's certificate? "
           "check its log)";
  }
  return "Association Request Failed: " + network_error_text(error);
}

ofstd::Result<std::unique_ptr<dcmnet::Transport>> open_transport(const std::string& host,
                                                                 std::uint16_t port,
                                                                 const dcmnet::Timeouts& timeouts,
                                                                 const dcmnet::TlsContext* tls) {
  DCMKIT_ASSIGN_OR_RETURN(
      auto transport, dcmnet::connect_tcp(host, port, dcmnet::deadline_after(timeouts.connect)));
  if (tls == nullptr) return transport;
  return tls->connect(std::move(transport), dcmnet::deadline_after(timeouts.acse));
}

ofstd::Result<std::shared_ptr<dcmnet::TlsContext>> tls_context(const TlsOptions& options,
                                                               dcmnet::TlsRole role,
                                                               const oflog::Logger& logger) {
  if (!options.enabled) return std::shared_ptr<dcmnet::TlsContext>();
  if (!options.seed_file.empty()) {
    // OpenSSL seeds itself from the system; a missing seed file costs nothing, so it is
    // reported, not fatal (DCMTK ignores it silently).
    if (const ofstd::Status seeded = dcmnet::add_random_seed_file(options.seed_file); !seeded) {
      DCMKIT_LOG_WARN(logger, seeded.error().message() << ", ignoring");
    }
  }
  dcmnet::TlsConfig config;
  if (!options.anonymous) {
    config.private_key_file = options.private_key_file;
    config.certificate_file = options.certificate_file;
  }
  config.password = options.password;
  config.der = options.der;
  config.ca_files = options.ca_files;
  config.ca_dirs = options.ca_dirs;
  config.crl_files = options.crl_files;
  config.crl_all = options.crl_all;
  if (options.profile == "+px") config.profile = dcmnet::TlsProfile::Bcp195;
  if (options.profile == "+pz") config.profile = dcmnet::TlsProfile::Bcp195Extended;
  if (options.profile == "+pa") config.profile = dcmnet::TlsProfile::Aes;
  if (options.profile == "+pn") config.profile = dcmnet::TlsProfile::Null;
  config.ciphers = options.ciphers;
  config.dh_params_file = options.dh_params_file;
  switch (options.peer_certificate) {
    case PeerCertificate::Require:
      config.peer = dcmnet::PeerVerification::Require;
      break;
    case PeerCertificate::VerifyIfPresent:
      config.peer = dcmnet::PeerVerification::VerifyIfPresent;
      break;
    case PeerCertificate::Ignore:
      config.peer = dcmnet::PeerVerification::Ignore;
      break;
  }
  return dcmnet::TlsContext::create(config, role);
}

std::optional<dcmnet::Association> request_association(const App& app, const std::string& peer,
                                                       std::uint16_t port,
                                                       const dcmnet::AssociateRq& rq,
                                                       const dcmnet::AssociationConfig& config,
                                                       const dcmnet::TlsContext* tls) {
  const oflog::Logger& log = app.logger();
  DCMKIT_LOG_INFO(log, "Requesting Association");
  auto transport = open_transport(peer, port, config.timeouts, tls);
  if (!transport) {
    app.fatal(1, association_failure(transport.error()));
    return std::nullopt;
  }
  auto outcome = dcmnet::Association::request(std::move(*transport), rq, config);
  if (!outcome) {
    app.fatal(1, association_failure(outcome.error(), tls != nullptr));
    return std::nullopt;
  }
  if (const auto* rj = std::get_if<dcmnet::AssociateRj>(&*outcome)) {
    log_rejection(log, oflog::Level::Fatal, *rj);
    return std::nullopt;
  }
  dcmnet::Association association = std::get<dcmnet::Association>(std::move(*outcome));
  if (association.contexts().empty()) {
    log.log(oflog::Level::Fatal, "No Acceptable Presentation Contexts");
    for (const std::string& line :
         dcmnet::describe_rejections(association.request_pdu(), association.answer_pdu())) {
      log.log(oflog::Level::Fatal, line);
    }
    association.abort();
    return std::nullopt;
  }
  return association;
}

std::optional<int> set_up_tls(const App& app, const TlsOptionSet& set, dcmnet::TlsRole role,
                              std::shared_ptr<dcmnet::TlsContext>& context, TlsOptions& options) {
  auto parsed = tls_options(app.args(), set);
  if (!parsed) return app.usage_error(parsed.error());
  auto made = tls_context(*parsed, role, app.logger());
  if (!made) return app.fatal(1, made.error().message());
  context = std::move(*made);
  options = std::move(*parsed);
  return std::nullopt;
}

RandomSeedWriter::~RandomSeedWriter() {
  if (file_.empty()) return;
  if (const ofstd::Status written = dcmnet::write_random_seed_file(file_); !written) {
    DCMKIT_LOG_ERROR(logger_, written.error().message() << ", ignoring");
  }
}

void list_ciphers(std::ostream& out) {
  out << "Supported TLS ciphersuites are:\n";
  for (const std::string& name : dcmnet::tls_cipher_suites()) out << "  " << name << '\n';
}

}  // namespace dcmkit::apps

// SPDX-License-Identifier: BSD-3-Clause
// What the network programs (echoscu, storescu, storescp, termscu, ...) share: DCMTK's TLS
// option group, timeouts, the SOP class abbreviations DCMTK prints, and DCMTK's wording of
// association failures.
#pragma once

#include <chrono>
#include <initializer_list>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "common/app.h"
#include "dcmkit/dcmnet/association.h"
#include "dcmkit/dcmnet/pdu.h"
#include "dcmkit/dcmnet/tls.h"
#include "dcmkit/ofstd/command_line.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::apps {

/// DCMTK's "other network options" that set a timeout or a PDU size. Each program lists the
/// ones it has in its own order, so they are added one at a time.
enum class NetworkLimit : std::uint8_t {
  ConnectTimeout,  ///< -to
  SocketTimeout,   ///< -ts
  AcseTimeout,     ///< -ta
  DimseTimeout,    ///< -td
  MaxPdu,          ///< -pdu
  MaxSendPdu,      ///< --max-send-pdu
};

/// Adds one of those options with DCMTK's text.
void add_network_limit_option(ofstd::CommandLine& command_line, NetworkLimit option);

/// The timeouts and PDU sizes of the command line; DCMTK's defaults where not given.
struct NetworkLimits {
  dcmnet::Timeouts timeouts;
  std::uint32_t max_receive_pdu = 16384;  ///< -pdu
  std::uint32_t max_send_pdu = 0;         ///< --max-send-pdu; 0: as large as the peer takes
};

/// Reads the `registered` limit options that are given. InvalidArgument with DCMTK's message
/// for a value out of range.
ofstd::Result<NetworkLimits> network_limits(const ofstd::ParsedCommandLine& args,
                                            std::initializer_list<NetworkLimit> registered);

/// Which parts of DCMTK's "transport layer security (TLS) options:" group a program shows.
struct TlsOptionSet {
  bool anonymous = true;                ///< +tla (the SCUs)
  bool dh_params = false;               ///< +dp (storescp)
  bool verify_peer_if_present = false;  ///< -vc (storescp)
  bool offline_verification = false;    ///< +vc, +rc (echoscu)
};

/// Adds DCMTK's TLS option group with DCMTK's texts.
void add_tls_options(ofstd::CommandLine& command_line, const TlsOptionSet& set);

/// How the peer's certificate is checked (-rc, -vc, -ic).
enum class PeerCertificate : std::uint8_t { Require, VerifyIfPresent, Ignore };

/// The TLS options of the command line, as given.
struct TlsOptions {
  bool enabled = false;    ///< +tls or +tla
  bool anonymous = false;  ///< +tla
  std::string private_key_file;
  std::string certificate_file;
  std::optional<std::string> password;  ///< +pw / -pw; empty: prompt (+ps)
  bool der = false;                     ///< -der
  std::vector<std::string> ca_files;    ///< +cf
  std::vector<std::string> ca_dirs;     ///< +cd
  std::vector<std::string> crl_files;   ///< +crl
  bool crl_leaf = false;                ///< +crv
  bool crl_all = false;                 ///< +cra
  std::string profile = "+py";          ///< +py +px +pz +pa +pn
  std::vector<std::string> ciphers;     ///< +cs
  std::string dh_params_file;           ///< +dp
  PeerCertificate peer_certificate = PeerCertificate::Require;
  std::string seed_file;        ///< +rs
  std::string write_seed_file;  ///< +ws (the +rs file) or +wf
};

/// The TLS options selected on the command line. InvalidArgument with DCMTK's messages for
/// inconsistent options (e.g. "--use-passwd only allowed with --enable-tls").
ofstd::Result<TlsOptions> tls_options(const ofstd::ParsedCommandLine& args,
                                      const TlsOptionSet& set);

/// The OpenSSL context for the TLS options (nullptr when TLS is off). InvalidArgument naming
/// the key, certificate or CA file that cannot be used.
ofstd::Result<std::shared_ptr<dcmnet::TlsContext>> tls_context(const TlsOptions& options,
                                                               dcmnet::TlsRole role,
                                                               const oflog::Logger& logger);

/// The TLS set-up every network program does after reading its other options: the options
/// checked (a usage error exit code otherwise), the context made (exit 1 if a key, certificate
/// or CA file cannot be used). Fills `context` (empty for plain TCP) and `options`.
std::optional<int> set_up_tls(const App& app, const TlsOptionSet& set, dcmnet::TlsRole role,
                              std::shared_ptr<dcmnet::TlsContext>& context, TlsOptions& options);

/// Connects (through `tls` if set) and requests an association, as DCMTK's SCUs do: logs
/// "Requesting Association", and a failure, a rejection or "No Acceptable Presentation
/// Contexts" (with the reasons) at fatal level. nullopt: reported; the program exits with 1.
std::optional<dcmnet::Association> request_association(const App& app, const std::string& peer,
                                                       std::uint16_t port,
                                                       const dcmnet::AssociateRq& rq,
                                                       const dcmnet::AssociationConfig& config,
                                                       const dcmnet::TlsContext* tls);

/// Writes the random seed file of --write-seed / --write-seed-file when the program ends
/// (DCMTK writes it after the last association). A failure is logged, not fatal, as in DCMTK.
class RandomSeedWriter {
 public:
  RandomSeedWriter(const TlsOptions& options, const oflog::Logger& logger)
      : file_(options.enabled ? options.write_seed_file : std::string()), logger_(logger) {}
  RandomSeedWriter(const RandomSeedWriter&) = delete;
  RandomSeedWriter& operator=(const RandomSeedWriter&) = delete;
  ~RandomSeedWriter();

 private:
  std::string file_;
  const oflog::Logger& logger_;
};

/// Prints the cipher suites OpenSSL offers, one per line (--list-ciphers).
void list_ciphers(std::ostream& out);

/// A timeout option given in seconds; 0 means none where `zero_is_none`.
std::optional<std::chrono::milliseconds> seconds(long long value, bool zero_is_none = false);

/// The short SOP class name DCMTK's storescp uses as file name prefix and storescu in its
/// messages ("CT", "MR", "SRc"); empty if DCMTK does not know the class.
std::string_view sop_class_modality(std::string_view uid) noexcept;

/// DCMTK's text for a SOP class in messages: "(CT) 1.2.840...", "(unknown SOP class) 1.2...".
std::string sop_class_label(std::string_view uid);

/// Logs DCMTK's "Association Rejected:" block at `level` (three lines).
void log_rejection(const oflog::Logger& logger, oflog::Level level, const dcmnet::AssociateRj& rj);

/// DCMTK's wording of a network failure: "0006:031c TCP Initialization Error: Connection
/// refused" for connection set-up failures, else the error's own text.
std::string network_error_text(const ofstd::Error& error);

/// DCMTK's wording of a failed association request: "Association Request Failed: <reason>",
/// naming TCP failures as DCMTK does ("0006:031c TCP Initialization Error: Connection refused").
/// `secure`: TLS was in use (else a connection dropped before the answer hints at TLS).
std::string association_failure(const ofstd::Error& error, bool secure = false);

/// Connects to host:port within the -to timeout, then runs the TLS handshake within the -ta
/// timeout when `tls` is given.
ofstd::Result<std::unique_ptr<dcmnet::Transport>> open_transport(
    const std::string& host, std::uint16_t port, const dcmnet::Timeouts& timeouts,
    const dcmnet::TlsContext* tls = nullptr);

}  // namespace dcmkit::apps

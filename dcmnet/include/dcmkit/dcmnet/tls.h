// SPDX-License-Identifier: BSD-3-Clause
// TLS (PS3.15 Annex B) through OpenSSL: a context made once from the configuration (keys,
// certificates, trusted CAs, CRLs, the BCP 195 profile, peer certificate checking) that turns
// any connected Transport into a TLS one, as client or as server. A handshake with a peer that
// does not speak TLS fails with a message that says so.
//
//   TlsConfig config;
//   config.private_key_file = "key.pem";
//   config.certificate_file = "cert.pem";
//   config.ca_files = {"ca.pem"};
//   DCMKIT_ASSIGN_OR_RETURN(auto tls, TlsContext::create(config, TlsRole::Client));
//   DCMKIT_ASSIGN_OR_RETURN(auto tcp, connect_tcp(host, port, deadline));
//   DCMKIT_ASSIGN_OR_RETURN(auto secure, tls->connect(std::move(tcp), deadline));
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dcmkit/dcmnet/transport.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmnet {

/// The TLS profiles DCMTK offers (PS3.15 Annex B, BCP 195).
enum class TlsProfile : std::uint8_t {
  Bcp195NonDowngrading,  ///< TLS 1.2+, ECDHE/DHE with AES-GCM only (DCMTK's default)
  Bcp195,                ///< TLS 1.2+, BCP 195's recommended suites plus fallbacks
  Bcp195Extended,        ///< TLS 1.2+, 256-bit ECDHE AES-GCM only
  Aes,                   ///< the retired AES profile (TLS 1.0+, RSA AES-128-CBC and 3DES)
  Null,                  ///< authentication without encryption (no confidentiality)
};

/// How the peer's certificate is checked.
enum class PeerVerification : std::uint8_t {
  Require,          ///< the peer must present a certificate that verifies
  VerifyIfPresent,  ///< a certificate, if presented, must verify (servers only)
  Ignore,           ///< not checked
};

/// Which side of the handshake a context serves.
enum class TlsRole : std::uint8_t { Client, Server };

/// Everything a TLS context is made from; file names are read at TlsContext::create().
struct TlsConfig {
  /// Own private key and certificate; both empty: no certificate (anonymous client).
  std::string private_key_file;
  std::string certificate_file;
  /// Password of an encrypted private key; empty optional: OpenSSL asks on the terminal.
  std::optional<std::string> password;
  bool der = false;                    ///< key and certificate files are DER, not PEM
  std::vector<std::string> ca_files;   ///< trusted certificates (PEM)
  std::vector<std::string> ca_dirs;    ///< directories of hashed trusted certificates
  std::vector<std::string> crl_files;  ///< certificate revocation lists (PEM)
  bool crl_all = false;                ///< check the CRLs of the whole chain, not only the leaf
  TlsProfile profile = TlsProfile::Bcp195NonDowngrading;
  /// Extra cipher suites, by RFC name ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256") or OpenSSL name.
  std::vector<std::string> ciphers;
  std::string dh_params_file;  ///< Diffie-Hellman parameters (PEM), servers only
  PeerVerification peer = PeerVerification::Require;
};

/// A configured OpenSSL context. Thread-safety: connect() and accept() from any thread.
class TlsContext {
 public:
  /// Loads keys, certificates and CRLs. InvalidArgument naming the file that cannot be used.
  static ofstd::Result<std::shared_ptr<TlsContext>> create(const TlsConfig& config, TlsRole role);
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;
  ~TlsContext();

  /// Runs the client handshake over `transport`. Network error "TLS handshake failed: ..."
  /// (saying when the peer does not use TLS), LimitExceeded on timeout.
  ofstd::Result<std::unique_ptr<Transport>> connect(std::unique_ptr<Transport> transport,
                                                    Deadline deadline) const;
  /// Runs the server handshake over `transport`; errors as connect().
  ofstd::Result<std::unique_ptr<Transport>> accept(std::unique_ptr<Transport> transport,
                                                   Deadline deadline) const;

  TlsRole role() const noexcept;

 private:
  struct Impl;
  explicit TlsContext(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Verifies the certificate in file `path` (PEM, or DER if trust.der) against the trusted
/// certificates and CRLs of `trust` (echoscu +vc). Network error saying why it fails,
/// InvalidArgument if the file cannot be read.
ofstd::Status verify_certificate_file(const std::string& path, const TlsConfig& trust);

/// True if file `path` holds a valid, self-signed root CA certificate (echoscu +rc).
/// InvalidArgument if the file cannot be read.
ofstd::Result<bool> is_root_certificate_file(const std::string& path, bool der);

/// Mixes the contents of file `path` into OpenSSL's random generator (DCMTK's --seed).
/// InvalidArgument if the file cannot be read or is empty.
ofstd::Status add_random_seed_file(const std::string& path);

/// Writes 1024 bytes from OpenSSL's random generator to file `path` (mode 0600), a seed for a
/// later add_random_seed_file() (--write-seed, --write-seed-file). Io error if it cannot.
ofstd::Status write_random_seed_file(const std::string& path);

/// Names of the cipher suites a profile allows (RFC names, as DCMTK's --list-ciphers prints).
std::vector<std::string> tls_cipher_suites();

/// True if the first bytes of a stream look like a TLS record (handshake or alert), i.e. a peer
/// talks TLS where DICOM upper layer PDUs were expected.
bool looks_like_tls_record(std::span<const std::byte> first_bytes) noexcept;

}  // namespace dcmkit::dcmnet

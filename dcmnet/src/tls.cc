// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmnet/tls.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <vector>

namespace dcmkit::dcmnet {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

bool looks_like_tls_record(std::span<const std::byte> first_bytes) noexcept {
  if (first_bytes.size() < 3) return false;
  const auto type = std::to_integer<std::uint8_t>(first_bytes[0]);
  const auto major = std::to_integer<std::uint8_t>(first_bytes[1]);
  const auto minor = std::to_integer<std::uint8_t>(first_bytes[2]);
  // Record types change_cipher_spec (20) .. application_data (23), version 3.0 .. 3.4. In a PDU
  // the second byte is reserved (0), so no valid PDU looks like this.
  return type >= 20 && type <= 23 && major == 3 && minor <= 4;
}

namespace {

// The OpenSSL error queue of this thread as text ("certificate verify failed"), emptied.
std::string openssl_errors() {
  std::string text;
  std::vector<std::string> seen;
  while (const unsigned long code = ERR_get_error()) {
    std::string reason;
    if (ERR_SYSTEM_ERROR(code)) {
      reason = std::strerror(ERR_GET_REASON(code));
    } else if (const char* r = ERR_reason_error_string(code); r != nullptr) {
      reason = r;
    } else {
      reason = "OpenSSL error " + std::to_string(code);
    }
    if (std::find(seen.begin(), seen.end(), reason) != seen.end()) continue;
    seen.push_back(reason);
    if (!text.empty()) text += "; ";
    text += reason;
  }
  return text;
}

Error config_error(const std::string& what) {
  std::string errors = openssl_errors();
  return Error(ErrorCode::InvalidArgument, errors.empty() ? what : what + ": " + errors);
}

struct CipherSet {
  const char* tls12;  // OpenSSL cipher list for TLS <= 1.2
  int min_version;
};

CipherSet profile_ciphers(TlsProfile profile) {
  switch (profile) {
    case TlsProfile::Bcp195NonDowngrading:
      return {
          "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:"
          "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
          "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384",
          TLS1_2_VERSION};
    case TlsProfile::Bcp195:
      return {
          "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:"
          "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
          "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:"
          "ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384:AES128-GCM-SHA256:AES128-SHA",
          TLS1_2_VERSION};
    case TlsProfile::Bcp195Extended:
      return {"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384", TLS1_2_VERSION};
    case TlsProfile::Aes:
      return {"AES128-SHA:DES-CBC3-SHA:@SECLEVEL=0", TLS1_VERSION};
    case TlsProfile::Null:
      return {"NULL-SHA:@SECLEVEL=0", TLS1_VERSION};
  }
  return {"DEFAULT", TLS1_2_VERSION};
}

extern "C" int password_callback(char* buffer, int size, int /*rwflag*/, void* user) {
  const auto* password = static_cast<const std::string*>(user);
  const int n = std::min(size, static_cast<int>(password->size()));
  std::memcpy(buffer, password->data(), static_cast<std::size_t>(n));
  return n;
}

// The BIO under each SSL object, reading and writing through the wrapped Transport.
BIO_METHOD* transport_bio_method();

class TlsTransport final : public Transport {
 public:
  TlsTransport(std::unique_ptr<Transport> inner, SSL* ssl) : inner_(std::move(inner)), ssl_(ssl) {
    BIO* bio = BIO_new(transport_bio_method());
    BIO_set_data(bio, this);
    BIO_set_init(bio, 1);
    SSL_set_bio(ssl_, bio, bio);
  }
  ~TlsTransport() override { SSL_free(ssl_); }
  TlsTransport(const TlsTransport&) = delete;
  TlsTransport& operator=(const TlsTransport&) = delete;

  Status handshake(bool client, Deadline deadline) {
    deadline_ = deadline;
    ERR_clear_error();
    const int rc = client ? SSL_connect(ssl_) : SSL_accept(ssl_);
    if (rc == 1) return {};
    if (io_error_ && is_timeout(*io_error_)) return *io_error_;
    std::string why;
    if (received_ >= 1 &&
        !looks_like_tls_record(std::span<const std::byte>(first_.data(), received_))) {
      const auto type = std::to_integer<std::uint8_t>(first_[0]);
      why = type >= 1 && type <= 7 ? "the peer sent DICOM upper layer data (PDU type " +
                                         std::to_string(type) + "), not TLS: it does not use TLS"
                                   : "the peer does not speak TLS";
    } else if (received_ == 0 && (eof_ || io_error_)) {
      why = client ? "the peer closed the connection without answering the TLS handshake (is it "
                     "a plain, non-TLS DICOM server?)"
                   : "the peer closed the connection during the TLS handshake";
    } else {
      why = openssl_errors();
      const long verify = SSL_get_verify_result(ssl_);
      if (verify != X509_V_OK) {
        why += std::string(why.empty() ? "" : " (") + X509_verify_cert_error_string(verify) +
               (why.empty() ? "" : ")");
      }
      if (why.empty() && io_error_) why = io_error_->message();
      if (why.empty()) why = "unknown error";
    }
    ERR_clear_error();
    return Error(ErrorCode::Network, "TLS handshake failed: " + why);
  }

  Result<std::size_t> read_some(std::span<std::byte> buffer, Deadline deadline) override {
    if (buffer.empty()) return std::size_t{0};
    deadline_ = deadline;
    io_error_.reset();
    ERR_clear_error();
    std::size_t n = 0;
    const int rc = SSL_read_ex(ssl_, buffer.data(), buffer.size(), &n);
    if (rc == 1) return n;
    const int error = SSL_get_error(ssl_, rc);
    if (error == SSL_ERROR_ZERO_RETURN) return std::size_t{0};
    if (io_error_) return *io_error_;
    if (eof_) return std::size_t{0};
    return Error(ErrorCode::Network, "TLS error: " + openssl_errors());
  }

  Status write(std::span<const std::span<const std::byte>> buffers, Deadline deadline) override {
    deadline_ = deadline;
    // Gather small pieces (PDU and PDV headers) into one record with what follows them.
    std::size_t total = 0;
    for (const auto& b : buffers) total += b.size();
    if (total <= kGatherLimit && buffers.size() > 1) {
      gather_.clear();
      for (const auto& b : buffers) gather_.insert(gather_.end(), b.begin(), b.end());
      return write_one(gather_);
    }
    for (const auto& b : buffers) DCMKIT_TRY(write_one(b));
    return {};
  }

  void shutdown() noexcept override { inner_->shutdown(); }

  void close_write() noexcept override {
    deadline_ = deadline_after(std::chrono::milliseconds(2000));
    ERR_clear_error();
    (void)SSL_shutdown(ssl_);
    ERR_clear_error();
    inner_->close_write();
  }

  std::string peer_address() const override { return inner_->peer_address(); }
  bool is_secure() const noexcept override { return true; }

  // The BIO's side.
  int bio_read(char* data, std::size_t size, std::size_t* read) {
    auto result = inner_->read_some(std::span<std::byte>(reinterpret_cast<std::byte*>(data), size),
                                    deadline_);
    if (!result) {
      io_error_ = result.error();
      return 0;
    }
    if (*result == 0) {
      eof_ = true;
      return 0;
    }
    for (std::size_t i = 0; i < *result && received_ < first_.size(); ++i) {
      first_[received_++] = reinterpret_cast<std::byte*>(data)[i];
    }
    *read = *result;
    return 1;
  }

  int bio_write(const char* data, std::size_t size, std::size_t* written) {
    auto sent = inner_->write_all(
        std::span<const std::byte>(reinterpret_cast<const std::byte*>(data), size), deadline_);
    if (!sent) {
      io_error_ = sent.error();
      return 0;
    }
    *written = size;
    return 1;
  }

 private:
  static constexpr std::size_t kGatherLimit = 16 * 1024;

  Status write_one(std::span<const std::byte> bytes) {
    while (!bytes.empty()) {
      io_error_.reset();
      ERR_clear_error();
      std::size_t n = 0;
      if (SSL_write_ex(ssl_, bytes.data(), bytes.size(), &n) != 1) {
        if (io_error_) return *io_error_;
        return Error(ErrorCode::Network, "TLS error: " + openssl_errors());
      }
      bytes = bytes.subspan(n);
    }
    return {};
  }

  std::unique_ptr<Transport> inner_;
  SSL* ssl_;
  Deadline deadline_;
  std::optional<Error> io_error_;
  bool eof_ = false;
  std::array<std::byte, 3> first_{};
  std::size_t received_ = 0;
  std::vector<std::byte> gather_;
};

extern "C" int transport_bio_write(BIO* bio, const char* data, size_t size, size_t* written) {
  return static_cast<TlsTransport*>(BIO_get_data(bio))->bio_write(data, size, written);
}

extern "C" int transport_bio_read(BIO* bio, char* data, size_t size, size_t* read) {
  return static_cast<TlsTransport*>(BIO_get_data(bio))->bio_read(data, size, read);
}

extern "C" long transport_bio_ctrl(BIO* /*bio*/, int command, long /*number*/, void* /*pointer*/) {
  return command == BIO_CTRL_FLUSH ? 1 : 0;
}

BIO_METHOD* transport_bio_method() {
  static BIO_METHOD* const method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "dcmkit transport");
    BIO_meth_set_write_ex(m, transport_bio_write);
    BIO_meth_set_read_ex(m, transport_bio_read);
    BIO_meth_set_ctrl(m, transport_bio_ctrl);
    return m;
  }();
  return method;
}

// An RFC cipher suite name ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256") as OpenSSL names it.
std::string openssl_cipher_name(const std::string& name) {
  const char* mapped = OPENSSL_cipher_name(name.c_str());
  if (mapped != nullptr && std::strcmp(mapped, "(NONE)") != 0) return mapped;
  return name;
}

}  // namespace

struct TlsContext::Impl {
  SSL_CTX* ctx = nullptr;
  TlsRole role = TlsRole::Client;
  std::string password;
  ~Impl() { SSL_CTX_free(ctx); }
};

TlsContext::TlsContext(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TlsContext::~TlsContext() = default;
TlsRole TlsContext::role() const noexcept { return impl_->role; }

Result<std::shared_ptr<TlsContext>> TlsContext::create(const TlsConfig& config, TlsRole role) {
  ERR_clear_error();
  auto impl = std::make_unique<Impl>();
  impl->role = role;
  impl->ctx = SSL_CTX_new(role == TlsRole::Client ? TLS_client_method() : TLS_server_method());
  if (impl->ctx == nullptr) return config_error("cannot create the TLS context");
  SSL_CTX* ctx = impl->ctx;
  SSL_CTX_set_mode(ctx, SSL_MODE_AUTO_RETRY);

  const CipherSet ciphers = profile_ciphers(config.profile);
  std::string list = ciphers.tls12;
  for (const std::string& extra : config.ciphers) {
    const std::string name = openssl_cipher_name(extra);
    if (name.rfind("TLS_", 0) == 0) continue;  // a TLS 1.3 suite: always enabled
    list = name + ":" + list;
  }
  if (SSL_CTX_set_cipher_list(ctx, list.c_str()) != 1) {
    return config_error("no usable TLS cipher suite in '" + list + "'");
  }
  SSL_CTX_set_min_proto_version(ctx, ciphers.min_version);
  if (config.profile == TlsProfile::Aes || config.profile == TlsProfile::Null) {
    // These profiles predate TLS 1.3 and need its suites off to be what they say.
    SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
  }

  if (config.password) {
    impl->password = *config.password;
    SSL_CTX_set_default_passwd_cb(ctx, password_callback);
    SSL_CTX_set_default_passwd_cb_userdata(ctx, &impl->password);
  }
  const int file_type = config.der ? SSL_FILETYPE_ASN1 : SSL_FILETYPE_PEM;
  if (!config.certificate_file.empty()) {
    const int loaded =
        config.der ? SSL_CTX_use_certificate_file(ctx, config.certificate_file.c_str(), file_type)
                   : SSL_CTX_use_certificate_chain_file(ctx, config.certificate_file.c_str());
    if (loaded != 1) {
      return config_error("Unable to load certificate file '" + config.certificate_file + "'");
    }
  }
  if (!config.private_key_file.empty()) {
    if (SSL_CTX_use_PrivateKey_file(ctx, config.private_key_file.c_str(), file_type) != 1) {
      return config_error("Unable to load private TLS key from '" + config.private_key_file + "'");
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
      return config_error("private key '" + config.private_key_file + "' and certificate '" +
                          config.certificate_file + "' do not match");
    }
  }
  for (const std::string& file : config.ca_files) {
    if (SSL_CTX_load_verify_locations(ctx, file.c_str(), nullptr) != 1) {
      return config_error("Unable to load certificate file '" + file + "'");
    }
  }
  for (const std::string& dir : config.ca_dirs) {
    if (SSL_CTX_load_verify_locations(ctx, nullptr, dir.c_str()) != 1) {
      return config_error("unable to load certificates from directory '" + dir + "'");
    }
  }
  if (!config.crl_files.empty()) {
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    for (const std::string& file : config.crl_files) {
      std::FILE* f = std::fopen(file.c_str(), "rb");
      if (f == nullptr) return config_error("unable to open CRL file '" + file + "'");
      X509_CRL* crl = PEM_read_X509_CRL(f, nullptr, nullptr, nullptr);
      std::fclose(f);
      if (crl == nullptr || X509_STORE_add_crl(store, crl) != 1) {
        X509_CRL_free(crl);
        return config_error("unable to load CRL file '" + file + "'");
      }
      X509_CRL_free(crl);
    }
    X509_STORE_set_flags(
        store, X509_V_FLAG_CRL_CHECK | (config.crl_all ? X509_V_FLAG_CRL_CHECK_ALL : 0UL));
  }
  if (role == TlsRole::Server) {
    if (!config.dh_params_file.empty()) {
      BIO* bio = BIO_new_file(config.dh_params_file.c_str(), "r");
      EVP_PKEY* dh = bio != nullptr ? PEM_read_bio_Parameters(bio, nullptr) : nullptr;
      BIO_free(bio);
      if (dh == nullptr || SSL_CTX_set0_tmp_dh_pkey(ctx, dh) != 1) {
        EVP_PKEY_free(dh);
        return config_error("unable to load Diffie-Hellman parameters from '" +
                            config.dh_params_file + "'");
      }
    } else {
      SSL_CTX_set_dh_auto(ctx, 1);
    }
  }
  int verify = SSL_VERIFY_NONE;
  if (config.peer == PeerVerification::Require) {
    verify = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  } else if (config.peer == PeerVerification::VerifyIfPresent) {
    verify = SSL_VERIFY_PEER;
  }
  SSL_CTX_set_verify(ctx, verify, nullptr);
  return std::shared_ptr<TlsContext>(new TlsContext(std::move(impl)));
}

namespace {

Result<std::unique_ptr<Transport>> handshake(SSL_CTX* ctx, std::unique_ptr<Transport> transport,
                                             bool client, Deadline deadline) {
  SSL* ssl = SSL_new(ctx);
  if (ssl == nullptr) return config_error("cannot create a TLS session");
  auto secure = std::make_unique<TlsTransport>(std::move(transport), ssl);
  DCMKIT_TRY(secure->handshake(client, deadline));
  return std::unique_ptr<Transport>(std::move(secure));
}

}  // namespace

Result<std::unique_ptr<Transport>> TlsContext::connect(std::unique_ptr<Transport> transport,
                                                       Deadline deadline) const {
  return handshake(impl_->ctx, std::move(transport), true, deadline);
}

Result<std::unique_ptr<Transport>> TlsContext::accept(std::unique_ptr<Transport> transport,
                                                      Deadline deadline) const {
  return handshake(impl_->ctx, std::move(transport), false, deadline);
}

namespace {

Result<X509*> read_certificate(const std::string& path, bool der) {
  BIO* bio = BIO_new_file(path.c_str(), "rb");
  X509* certificate = nullptr;
  if (bio != nullptr) {
    certificate =
        der ? d2i_X509_bio(bio, nullptr) : PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
  }
  if (certificate == nullptr) return config_error("Unable to load certificate file '" + path + "'");
  return certificate;
}

}  // namespace

Status verify_certificate_file(const std::string& path, const TlsConfig& trust) {
  ERR_clear_error();
  DCMKIT_ASSIGN_OR_RETURN(X509 * certificate, read_certificate(path, trust.der));
  X509_STORE* store = X509_STORE_new();
  X509_STORE_CTX* context = X509_STORE_CTX_new();
  std::string why;
  for (const std::string& file : trust.ca_files) {
    if (X509_STORE_load_file(store, file.c_str()) != 1) why = "cannot load '" + file + "'";
  }
  for (const std::string& dir : trust.ca_dirs) {
    if (X509_STORE_load_path(store, dir.c_str()) != 1) why = "cannot load '" + dir + "'";
  }
  if (why.empty() && X509_STORE_CTX_init(context, store, certificate, nullptr) == 1 &&
      X509_verify_cert(context) != 1) {
    why = X509_verify_cert_error_string(X509_STORE_CTX_get_error(context));
  }
  X509_STORE_CTX_free(context);
  X509_STORE_free(store);
  X509_free(certificate);
  ERR_clear_error();
  if (!why.empty()) return Error(ErrorCode::Network, "certificate '" + path + "': " + why);
  return {};
}

Result<bool> is_root_certificate_file(const std::string& path, bool der) {
  ERR_clear_error();
  DCMKIT_ASSIGN_OR_RETURN(X509 * certificate, read_certificate(path, der));
  EVP_PKEY* key = X509_get0_pubkey(certificate);
  const bool root = X509_check_issued(certificate, certificate) == X509_V_OK &&
                    X509_check_ca(certificate) >= 1 && key != nullptr &&
                    X509_verify(certificate, key) == 1;
  X509_free(certificate);
  ERR_clear_error();
  return root;
}

Status add_random_seed_file(const std::string& path) {
  // -1: read the whole file. OpenSSL mixes the bytes in; it never replaces its own seeding.
  if (RAND_load_file(path.c_str(), -1) <= 0) {
    return Error(ErrorCode::InvalidArgument, "cannot read random seed file '" + path + "'");
  }
  return {};
}

Status write_random_seed_file(const std::string& path) {
  if (RAND_write_file(path.c_str()) <= 0) {
    return Error(ErrorCode::IoError, "cannot write random seed file '" + path + "'");
  }
  return {};
}

std::vector<std::string> tls_cipher_suites() {
  std::vector<std::string> names;
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr) return names;
  SSL* ssl = SSL_new(ctx);
  if (ssl != nullptr) {
    STACK_OF(SSL_CIPHER)* ciphers = SSL_get_ciphers(ssl);
    for (int i = 0; i < sk_SSL_CIPHER_num(ciphers); ++i) {
      const char* name = SSL_CIPHER_standard_name(sk_SSL_CIPHER_value(ciphers, i));
      if (name != nullptr) names.emplace_back(name);
    }
    SSL_free(ssl);
  }
  SSL_CTX_free(ctx);
  return names;
}

}  // namespace dcmkit::dcmnet

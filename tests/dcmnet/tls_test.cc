// SPDX-License-Identifier: BSD-3-Clause
// TLS over TCP loopback with a CA and certificates made here: handshakes both ways, data in both
// directions, untrusted peers refused, and a TLS side facing a plain DICOM peer (or the
// reverse) failing with an error that says so.
#include "dcmkit/dcmnet/tls.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "dcmkit/dcmnet/association.h"

namespace dcmkit::dcmnet {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

ListenOptions loopback() {
  ListenOptions options;
  options.bind_address = "127.0.0.1";
  return options;
}

struct Key {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  ~Key() { EVP_PKEY_free(key); }
};

struct Certificate {
  X509* x509 = X509_new();
  ~Certificate() { X509_free(x509); }
};

// A certificate for `key` named `cn`, signed by `issuer` (self-signed when null).
void make_certificate(Certificate& out, const Key& key, const char* cn, const Certificate* issuer,
                      const Key* issuer_key, bool ca, long serial) {
  X509* x = out.x509;
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 86400);
  X509_set_pubkey(x, key.key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn),
                             -1, -1, 0);
  X509_set_issuer_name(x, issuer != nullptr ? X509_get_subject_name(issuer->x509) : name);
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer != nullptr ? issuer->x509 : x, x, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, NID_basic_constraints,
                                                  ca ? "critical,CA:TRUE" : "CA:FALSE");
  X509_add_ext(x, extension, -1);
  X509_EXTENSION_free(extension);
  X509_sign(x, issuer_key != nullptr ? issuer_key->key : key.key, EVP_sha256());
}

void write_pem(const fs::path& path, const Certificate& certificate) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  PEM_write_X509(f, certificate.x509);
  std::fclose(f);
}

void write_pem(const fs::path& path, const Key& key, const char* password = nullptr) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  if (password != nullptr) {
    PEM_write_PrivateKey(f, key.key, EVP_aes_256_cbc(), nullptr, 0, nullptr,
                         const_cast<char*>(password));
  } else {
    PEM_write_PrivateKey(f, key.key, nullptr, nullptr, 0, nullptr, nullptr);
  }
  std::fclose(f);
}

// ca.pem, other-ca.pem; server/client signed by ca, stranger by other-ca; client-encrypted.key.
class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ =
        new fs::path(fs::temp_directory_path() / ("dcmkit-tls-test-" + std::to_string(::getpid())));
    fs::create_directories(*dir_);
    Key ca_key, other_key, server_key, client_key, stranger_key;
    Certificate ca, other, server, client, stranger;
    make_certificate(ca, ca_key, "test CA", nullptr, nullptr, true, 1);
    make_certificate(other, other_key, "other CA", nullptr, nullptr, true, 2);
    make_certificate(server, server_key, "server", &ca, &ca_key, false, 3);
    make_certificate(client, client_key, "client", &ca, &ca_key, false, 4);
    make_certificate(stranger, stranger_key, "stranger", &other, &other_key, false, 5);
    write_pem(*dir_ / "ca.pem", ca);
    write_pem(*dir_ / "other-ca.pem", other);
    for (const auto& [name, key, certificate] :
         {std::tuple<const char*, Key*, Certificate*>{"server", &server_key, &server},
          {"client", &client_key, &client},
          {"stranger", &stranger_key, &stranger}}) {
      write_pem(*dir_ / (std::string(name) + ".key"), *key);
      write_pem(*dir_ / (std::string(name) + ".pem"), *certificate);
    }
    write_pem(*dir_ / "client-encrypted.key", client_key, "secret");
    write_crl(*dir_ / "crl.pem", ca, ca_key, 4);  // revokes the client certificate
  }

  // A CRL of `ca` revoking serial number `revoked`.
  static void write_crl(const fs::path& path, const Certificate& ca, const Key& ca_key,
                        long revoked) {
    X509_CRL* crl = X509_CRL_new();
    X509_CRL_set_version(crl, 1);
    X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca.x509));
    ASN1_TIME* last = X509_gmtime_adj(nullptr, -3600);
    ASN1_TIME* next = X509_gmtime_adj(nullptr, 86400);
    X509_CRL_set1_lastUpdate(crl, last);
    X509_CRL_set1_nextUpdate(crl, next);
    X509_REVOKED* entry = X509_REVOKED_new();
    ASN1_INTEGER* serial = ASN1_INTEGER_new();
    ASN1_INTEGER_set(serial, revoked);
    X509_REVOKED_set_serialNumber(entry, serial);
    X509_REVOKED_set_revocationDate(entry, last);
    X509_CRL_add0_revoked(crl, entry);
    X509_CRL_sort(crl);
    X509_CRL_sign(crl, ca_key.key, EVP_sha256());
    std::FILE* f = std::fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    PEM_write_X509_CRL(f, crl);
    std::fclose(f);
    ASN1_INTEGER_free(serial);
    ASN1_TIME_free(last);
    ASN1_TIME_free(next);
    X509_CRL_free(crl);
  }
  static void TearDownTestSuite() {
    std::error_code ignored;
    fs::remove_all(*dir_, ignored);
    delete dir_;
  }

  static std::string file(const char* name) { return (*dir_ / name).string(); }

  static TlsConfig config(const char* who, const char* ca = "ca.pem") {
    TlsConfig c;
    c.private_key_file = file((std::string(who) + ".key").c_str());
    c.certificate_file = file((std::string(who) + ".pem").c_str());
    c.ca_files = {file(ca)};
    return c;
  }

  // Connects a client over loopback (with a TLS handshake if `client_tls`) while the server
  // side runs `server` on the accepted transport on a thread of its own; its result comes
  // through the future.
  template <typename ServerSide>
  static std::pair<ofstd::Result<std::unique_ptr<Transport>>,
                   std::future<std::invoke_result_t<ServerSide, std::unique_ptr<Transport>>>>
  run_pair(const TlsContext* client_tls, ServerSide server) {
    auto listener = listen_tcp(0, loopback());
    EXPECT_TRUE(listener.has_value());
    auto tcp = connect_tcp("127.0.0.1", (*listener)->port(), deadline_after(10s));
    EXPECT_TRUE(tcp.has_value());
    auto accepted = (*listener)->accept(deadline_after(10s));
    EXPECT_TRUE(accepted.has_value());
    auto served = std::async(std::launch::async, std::move(server), std::move(*accepted));
    ofstd::Result<std::unique_ptr<Transport>> client =
        client_tls != nullptr ? client_tls->connect(std::move(*tcp), deadline_after(10s))
                              : ofstd::Result<std::unique_ptr<Transport>>(std::move(*tcp));
    return {std::move(client), std::move(served)};
  }

  static fs::path* dir_;
};

fs::path* TlsTest::dir_ = nullptr;

std::vector<std::byte> pattern(std::size_t size) {
  std::vector<std::byte> bytes(size);
  for (std::size_t i = 0; i < size; ++i)
    bytes[i] = static_cast<std::byte>((i * 7 + i / 251) & 0xFF);
  return bytes;
}

TEST_F(TlsTest, HandshakesAndCarriesDataBothWays) {
  auto client_tls = TlsContext::create(config("client"), TlsRole::Client);
  auto server_tls = TlsContext::create(config("server"), TlsRole::Server);
  ASSERT_TRUE(client_tls.has_value()) << client_tls.error().to_string();
  ASSERT_TRUE(server_tls.has_value()) << server_tls.error().to_string();
  const std::vector<std::byte> big = pattern(1 << 20);
  auto [client, echoed] = run_pair(client_tls->get(), [&](std::unique_ptr<Transport> tcp) {
    auto secure = (*server_tls)->accept(std::move(tcp), deadline_after(10s));
    if (!secure) return secure.error().to_string();
    EXPECT_TRUE((*secure)->is_secure());
    std::vector<std::byte> got(big.size());
    if (auto read = (*secure)->read_exactly(got, deadline_after(10s)); !read) {
      return read.error().to_string();
    }
    if (got != big) return std::string("server received other bytes");
    const std::span<const std::byte> header(got.data(), 6);
    const std::span<const std::byte> body(got.data() + 6, 1000);
    const std::span<const std::byte> parts[] = {header, body};
    if (auto sent = (*secure)->write(parts, deadline_after(10s)); !sent) {
      return sent.error().to_string();
    }
    (*secure)->close_write();
    return std::string("ok");
  });
  ASSERT_TRUE(client.has_value()) << client.error().to_string();
  EXPECT_TRUE((*client)->is_secure());
  ASSERT_TRUE((*client)->write_all(big, deadline_after(10s)));
  std::vector<std::byte> answer(1006);
  ASSERT_TRUE((*client)->read_exactly(answer, deadline_after(10s)));
  EXPECT_TRUE(std::equal(answer.begin(), answer.end(), big.begin()));
  std::byte one[1];
  auto end = (*client)->read_some(one, deadline_after(10s));
  ASSERT_TRUE(end.has_value()) << end.error().to_string();
  EXPECT_EQ(*end, 0u);  // close_notify
  EXPECT_EQ(echoed.get(), "ok");
}

TEST_F(TlsTest, EncryptedKeyWithPassword) {
  TlsConfig c = config("client");
  c.private_key_file = file("client-encrypted.key");
  c.password = "secret";
  EXPECT_TRUE(TlsContext::create(c, TlsRole::Client).has_value());
  c.password = "wrong";
  auto wrong = TlsContext::create(c, TlsRole::Client);
  ASSERT_FALSE(wrong.has_value());
  EXPECT_NE(wrong.error().message().find("client-encrypted.key"), std::string::npos);
}

TEST_F(TlsTest, MissingFilesAreNamed) {
  TlsConfig c = config("client");
  c.private_key_file = file("absent.key");
  auto missing = TlsContext::create(c, TlsRole::Client);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), ofstd::ErrorCode::InvalidArgument);
  EXPECT_NE(missing.error().message().find("absent.key"), std::string::npos);
  EXPECT_NE(missing.error().message().find("No such file"), std::string::npos)
      << missing.error().message();
  c = config("client", "absent-ca.pem");
  auto no_ca = TlsContext::create(c, TlsRole::Client);
  ASSERT_FALSE(no_ca.has_value());
  EXPECT_NE(no_ca.error().message().find("absent-ca.pem"), std::string::npos);
  c = config("client");
  c.certificate_file = file("server.pem");  // not the key's certificate
  EXPECT_FALSE(TlsContext::create(c, TlsRole::Client).has_value());
}

TEST_F(TlsTest, ServerOfAnUntrustedCaIsRefused) {
  auto client_tls = TlsContext::create(config("client", "other-ca.pem"), TlsRole::Client);
  auto server_tls = TlsContext::create(config("server"), TlsRole::Server);
  ASSERT_TRUE(client_tls.has_value() && server_tls.has_value());
  auto [client, server] = run_pair(client_tls->get(), [&](std::unique_ptr<Transport> tcp) {
    return (*server_tls)->accept(std::move(tcp), deadline_after(10s)).has_value();
  });
  ASSERT_FALSE(client.has_value());
  EXPECT_NE(client.error().message().find("certificate verify failed"), std::string::npos)
      << client.error().message();
  EXPECT_FALSE(server.get());
}

TEST_F(TlsTest, IgnoringThePeerCertificateAcceptsAnyServer) {
  TlsConfig c = config("client", "other-ca.pem");
  c.peer = PeerVerification::Ignore;
  auto client_tls = TlsContext::create(c, TlsRole::Client);
  auto server_tls = TlsContext::create(config("server"), TlsRole::Server);
  ASSERT_TRUE(client_tls.has_value() && server_tls.has_value());
  auto [client, server] = run_pair(client_tls->get(), [&](std::unique_ptr<Transport> tcp) {
    return (*server_tls)->accept(std::move(tcp), deadline_after(10s)).has_value();
  });
  EXPECT_TRUE(client.has_value());
  EXPECT_TRUE(server.get());
}

TEST_F(TlsTest, ServerRequiresAClientCertificate) {
  TlsConfig anonymous;
  anonymous.ca_files = {file("ca.pem")};
  auto client_tls = TlsContext::create(anonymous, TlsRole::Client);
  auto server_tls = TlsContext::create(config("server"), TlsRole::Server);
  ASSERT_TRUE(client_tls.has_value() && server_tls.has_value());
  auto [client, server] = run_pair(client_tls->get(), [&](std::unique_ptr<Transport> tcp) {
    auto secure = (*server_tls)->accept(std::move(tcp), deadline_after(10s));
    return secure ? std::string("accepted") : secure.error().message();
  });
  if (client) {
    // With TLS 1.3 the client learns of the refusal at its first read.
    std::byte one[1];
    auto read = (*client)->read_some(one, deadline_after(10s));
    EXPECT_TRUE(!read || *read == 0);
  }
  const std::string refused = server.get();
  EXPECT_NE(refused.find("TLS handshake failed"), std::string::npos) << refused;
}

TEST_F(TlsTest, RevokedClientCertificateIsRefused) {
  TlsConfig server_config = config("server");
  server_config.crl_files = {file("crl.pem")};
  auto server_tls = TlsContext::create(server_config, TlsRole::Server);
  ASSERT_TRUE(server_tls.has_value()) << server_tls.error().to_string();
  for (const char* who : {"client", "server"}) {  // revoked, and a certificate that is not
    auto client_tls = TlsContext::create(config(who), TlsRole::Client);
    ASSERT_TRUE(client_tls.has_value());
    auto [client, server] = run_pair(client_tls->get(), [&](std::unique_ptr<Transport> tcp) {
      auto secure = (*server_tls)->accept(std::move(tcp), deadline_after(10s));
      return secure ? std::string("accepted") : secure.error().message();
    });
    if (client) {
      std::byte one[1];
      (void)(*client)->read_some(one, deadline_after(200ms));
    }
    const std::string outcome = server.get();
    if (std::string(who) == "client") {
      EXPECT_NE(outcome.find("certificate revoked"), std::string::npos) << outcome;
    } else {
      EXPECT_EQ(outcome, "accepted");
    }
  }
}

TEST_F(TlsTest, TlsClientFacingAPlainDicomServerSaysSo) {
  auto client_tls = TlsContext::create(config("client"), TlsRole::Client);
  ASSERT_TRUE(client_tls.has_value());
  auto [client, server] = run_pair(client_tls->get(), [](std::unique_ptr<Transport> tcp) {
    // A plain DICOM server reads the ClientHello as a PDU of unknown type and aborts.
    std::byte first[5];
    EXPECT_TRUE(tcp->read_exactly(first, deadline_after(10s)));
    std::vector<std::byte> rest(std::to_integer<std::size_t>(first[3]) * 256 +
                                std::to_integer<std::size_t>(first[4]));
    EXPECT_TRUE(tcp->read_exactly(rest, deadline_after(10s)));
    const std::byte abort[] = {std::byte{7}, {}, {}, {},           {},
                               std::byte{4}, {}, {}, std::byte{2}, std::byte{1}};
    EXPECT_TRUE(tcp->write_all(abort, deadline_after(10s)));
    tcp->close_write();
    std::byte drain[64];
    while (true) {
      auto n = tcp->read_some(drain, deadline_after(10s));
      if (!n || *n == 0) break;
    }
    return looks_like_tls_record(first);
  });
  EXPECT_TRUE(server.get());
  ASSERT_FALSE(client.has_value());
  EXPECT_NE(client.error().message().find("not TLS: it does not use TLS"), std::string::npos)
      << client.error().message();
}

TEST_F(TlsTest, TlsServerFacingAPlainDicomClientSaysSo) {
  auto server_tls = TlsContext::create(config("server"), TlsRole::Server);
  ASSERT_TRUE(server_tls.has_value());
  auto [client, server] = run_pair(nullptr, [&](std::unique_ptr<Transport> tcp) {
    auto secure = (*server_tls)->accept(std::move(tcp), deadline_after(10s));
    return secure ? std::string("accepted") : secure.error().message();
  });
  ASSERT_TRUE(client.has_value());
  // An A-ASSOCIATE-RQ's first bytes, then the answer: the connection closes.
  const std::byte rq[] = {std::byte{1}, {}, {}, {}, {}, std::byte{68}, {}, std::byte{1}};
  (void)(*client)->write_all(rq, deadline_after(10s));
  (*client)->close_write();
  const std::string refused = server.get();
  EXPECT_NE(refused.find("PDU type 1"), std::string::npos) << refused;
  EXPECT_NE(refused.find("does not use TLS"), std::string::npos) << refused;
}

TEST_F(TlsTest, SilentPeerTimesOut) {
  auto client_tls = TlsContext::create(config("client"), TlsRole::Client);
  ASSERT_TRUE(client_tls.has_value());
  auto listener = listen_tcp(0, loopback());
  ASSERT_TRUE(listener.has_value());
  auto tcp = connect_tcp("127.0.0.1", (*listener)->port(), deadline_after(10s));
  ASSERT_TRUE(tcp.has_value());
  auto accepted = (*listener)->accept(deadline_after(10s));  // and never answers
  ASSERT_TRUE(accepted.has_value());
  auto client = (*client_tls)->connect(std::move(*tcp), deadline_after(200ms));
  ASSERT_FALSE(client.has_value());
  EXPECT_TRUE(is_timeout(client.error())) << client.error().to_string();
}

TEST(RandomSeedTest, WritesASeedAndReadsItBack) {
  const fs::path directory =
      fs::temp_directory_path() / ("dcmkit-seed-" + std::to_string(getpid()));
  fs::create_directories(directory);
  const fs::path seed = directory / "seed";
  ASSERT_TRUE(write_random_seed_file(seed.string()));
  EXPECT_EQ(fs::file_size(seed), 1024U);
  // Only the owner may read a seed.
  EXPECT_EQ(fs::status(seed).permissions() & (fs::perms::group_all | fs::perms::others_all),
            fs::perms::none);
  EXPECT_TRUE(add_random_seed_file(seed.string()));
  // Writing again gives different bytes: the generator moved on.
  std::string first(1024, '\0');
  {
    std::FILE* file = std::fopen(seed.c_str(), "rb");
    ASSERT_NE(file, nullptr);
    EXPECT_EQ(std::fread(first.data(), 1, first.size(), file), first.size());
    std::fclose(file);
  }
  ASSERT_TRUE(write_random_seed_file(seed.string()));
  std::string second(1024, '\0');
  {
    std::FILE* file = std::fopen(seed.c_str(), "rb");
    ASSERT_NE(file, nullptr);
    EXPECT_EQ(std::fread(second.data(), 1, second.size(), file), second.size());
    std::fclose(file);
  }
  EXPECT_NE(first, second);
  fs::remove_all(directory);
}

TEST(RandomSeedTest, ReportsUnreadableAndUnwritableFiles) {
  const ofstd::Status missing = add_random_seed_file("/nonexistent-dcmkit-dir/seed");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ofstd::ErrorCode::InvalidArgument);
  EXPECT_NE(missing.error().message().find("/nonexistent-dcmkit-dir/seed"), std::string::npos);
  const ofstd::Status unwritable = write_random_seed_file("/nonexistent-dcmkit-dir/seed");
  ASSERT_FALSE(unwritable);
  EXPECT_EQ(unwritable.error().code(), ofstd::ErrorCode::IoError);
}

TEST(TlsRecordTest, RecognizesTlsRecordsNotPdus) {
  const std::byte hello[] = {std::byte{0x16}, std::byte{3}, std::byte{1}};
  const std::byte alert[] = {std::byte{0x15}, std::byte{3}, std::byte{3}};
  const std::byte rq[] = {std::byte{1}, {}, {}};
  const std::byte odd[] = {std::byte{0x16}, std::byte{3}, std::byte{9}};
  EXPECT_TRUE(looks_like_tls_record(hello));
  EXPECT_TRUE(looks_like_tls_record(alert));
  EXPECT_FALSE(looks_like_tls_record(rq));
  EXPECT_FALSE(looks_like_tls_record(odd));
  EXPECT_FALSE(looks_like_tls_record(std::span<const std::byte>(hello, 2)));
  EXPECT_FALSE(tls_cipher_suites().empty());
}

TEST_F(TlsTest, PlainAssociationReceivingTlsSaysThePeerExpectsTls) {
  auto client_tls = TlsContext::create(config("client"), TlsRole::Client);
  ASSERT_TRUE(client_tls.has_value());
  auto [client, server] = run_pair(client_tls->get(), [](std::unique_ptr<Transport> tcp) {
    auto pending = Association::receive_request(std::move(tcp), {});
    return pending ? std::string("a request") : pending.error().message();
  });
  EXPECT_FALSE(client.has_value());
  const std::string refused = server.get();
  EXPECT_NE(refused.find("it expects a TLS connection"), std::string::npos) << refused;
}

}  // namespace
}  // namespace dcmkit::dcmnet

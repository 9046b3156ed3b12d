// SPDX-License-Identifier: BSD-3-Clause
// A server core: accepts connections and serves each association on a thread of its own, up
// to a limit, and stops cleanly (no new connections, running ones shut down, threads joined).
// serve_association() runs one acceptor association through a ServiceProvider.
//
//   class Echo : public ServiceProvider {
//     ofstd::Status handle(Association& a, const Incoming& in) override {
//       return respond_to_echo(a, in);
//     }
//   };
//   Echo echo;
//   AcceptorPolicy policy = ...;
//   DCMKIT_ASSIGN_OR_RETURN(auto server, Server::listen(config, [&](auto transport) {
//     (void)serve_association(std::move(transport), policy, {}, echo);
//   }));
//   std::thread runner([&] { (void)server->run(); });
//   ...
//   server->stop();
//   runner.join();
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "dcmkit/dcmnet/association.h"
#include "dcmkit/dcmnet/negotiation.h"
#include "dcmkit/dcmnet/transport.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmnet {

/// Handles one accepted connection; runs on the connection's own thread.
using ConnectionHandler = std::function<void(std::unique_ptr<Transport>)>;

/// Server configuration.
struct ServerConfig {
  std::uint16_t port = 0;  ///< 0: an ephemeral port (see Server::port())
  ListenOptions listen;
  /// Most connections served at once; more are refused (closed at once).
  std::size_t max_connections = 64;
  /// Serve each connection on the accepting thread, one after the other (DCMTK's single
  /// process mode without --fork); max_connections is then 1.
  bool sequential = false;
  /// Turns an accepted TCP connection into the transport to use (e.g. a TLS handshake); empty:
  /// plain TCP. Runs on the connection's thread.
  std::function<ofstd::Result<std::unique_ptr<Transport>>(std::unique_ptr<Transport>)> wrap;
};

/// A listening server. Thread-safety: run() on one thread; stop(), port() and the counters
/// from any.
class Server {
 public:
  /// Listens on config.port. IoError if that fails (port taken, or privileged).
  static ofstd::Result<std::unique_ptr<Server>> listen(ServerConfig config,
                                                       ConnectionHandler handler);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  /// Stops and joins everything.
  ~Server();

  /// Accepts and dispatches connections until stop(); returns after every connection thread
  /// has ended.
  ofstd::Status run();
  /// Stops accepting and shuts the running connections down (their handlers then see their
  /// transport fail). Idempotent; callable from any thread, including a handler's.
  void stop() noexcept;
  /// Stops after the current connections end instead of cutting them (storescp after
  /// --exit-after-first-association semantics, tests).
  void stop_accepting() noexcept;

  std::uint16_t port() const noexcept;
  /// Connections being served now.
  std::size_t active_connections() const noexcept;
  /// Connections served since start.
  std::uint64_t served_connections() const noexcept;
  /// Connections refused because max_connections were being served.
  std::uint64_t refused_connections() const noexcept;

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Decisions and services of an acceptor, called by serve_association().
class ServiceProvider {
 public:
  virtual ~ServiceProvider() = default;
  /// Called with each request before negotiation; return a rejection to refuse it.
  virtual std::optional<AssociateRj> screen(const AssociateRq& rq, const std::string& peer);
  /// Called after the association was accepted, or after it was rejected.
  virtual void on_accepted(Association& association);
  virtual void on_rejected(const AssociateRq& rq, const AssociateRj& rj);
  /// Handles one command (and reads its data set, if any) and sends the response. An error
  /// aborts the association.
  virtual ofstd::Status handle(Association& association, const Incoming& incoming) = 0;
  /// Called when the association has ended: released (ok), or with the error that ended it.
  virtual void on_ended(Association& association, const ofstd::Status& how);
  /// Called when no association request could be read (the peer closed, timed out, sent
  /// something else, e.g. TLS to a plain server).
  virtual void on_request_failed(const ofstd::Error& error);
};

/// Runs an acceptor association on `transport`: reads the request, screens it, negotiates with
/// `policy`, then hands every command to `provider` until the peer releases or aborts.
ofstd::Status serve_association(std::unique_ptr<Transport> transport, const AcceptorPolicy& policy,
                                const AssociationConfig& config, ServiceProvider& provider);

/// Answers a C-ECHO-RQ with success (the Verification service, PS3.4 Annex A).
ofstd::Status respond_to_echo(Association& association, const Incoming& incoming);

/// Answers any request with `status` (e.g. 0x0211 unrecognized operation), reading and
/// discarding its data set first.
ofstd::Status respond_with_status(Association& association, const Incoming& incoming,
                                  std::uint16_t status);

}  // namespace dcmkit::dcmnet

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmnet/server.h"

#include <condition_variable>
#include <list>
#include <mutex>
#include <thread>
#include <utility>

#include "dcmkit/oflog/logger.h"

namespace dcmkit::dcmnet {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

namespace {

constinit const oflog::Logger kLog{"dcmkit.dcmnet.server"};

// Forwards everything to a transport the server keeps a handle on, so that stop() can shut it
// down while a handler owns the wrapper.
class TrackedTransport final : public Transport {
 public:
  TrackedTransport(std::unique_ptr<Transport> inner, std::function<void()> on_destroy)
      : inner_(std::move(inner)), on_destroy_(std::move(on_destroy)) {}
  TrackedTransport(const TrackedTransport&) = delete;
  TrackedTransport& operator=(const TrackedTransport&) = delete;
  ~TrackedTransport() override {
    // Deregister first: after this, stop() no longer touches the inner transport.
    on_destroy_();
  }
  Result<std::size_t> read_some(std::span<std::byte> buffer, Deadline deadline) override {
    return inner_->read_some(buffer, deadline);
  }
  Status write(std::span<const std::span<const std::byte>> buffers, Deadline deadline) override {
    return inner_->write(buffers, deadline);
  }
  void shutdown() noexcept override { inner_->shutdown(); }
  void close_write() noexcept override { inner_->close_write(); }
  std::string peer_address() const override { return inner_->peer_address(); }
  bool is_secure() const noexcept override { return inner_->is_secure(); }

 private:
  std::unique_ptr<Transport> inner_;
  std::function<void()> on_destroy_;
};

}  // namespace

struct Server::Impl {
  ServerConfig config;
  ConnectionHandler handler;
  std::unique_ptr<Listener> listener;

  std::mutex mutex;
  std::condition_variable changed;
  std::list<Transport*> transports;  // raw, inner transports of live connections
  std::list<std::thread> threads;
  std::list<std::thread::id> finished;
  std::size_t active = 0;
  std::atomic<bool> stopping{false};
  std::atomic<bool> cut{false};
  std::atomic<std::uint64_t> served{0};
  std::atomic<std::uint64_t> refused{0};

  void reap_finished(std::unique_lock<std::mutex>& lock) {
    while (!finished.empty()) {
      const std::thread::id id = finished.front();
      finished.pop_front();
      for (auto it = threads.begin(); it != threads.end(); ++it) {
        if (it->get_id() == id) {
          std::thread done = std::move(*it);
          threads.erase(it);
          lock.unlock();
          done.join();
          lock.lock();
          break;
        }
      }
    }
  }

  void serve(std::unique_ptr<Transport> transport) {
    Transport* raw = transport.get();
    {
      std::lock_guard lock(mutex);
      transports.push_back(raw);
      if (cut.load()) raw->shutdown();
    }
    auto tracked = std::make_unique<TrackedTransport>(std::move(transport), [this, raw] {
      std::lock_guard lock(mutex);
      transports.remove(raw);
    });
    std::unique_ptr<Transport> usable = std::move(tracked);
    if (config.wrap) {
      auto wrapped = config.wrap(std::move(usable));
      if (!wrapped) {
        DCMKIT_LOG_DEBUG(kLog, "connection set-up failed: " << wrapped.error().to_string());
        return;
      }
      usable = std::move(wrapped).value();
    }
    handler(std::move(usable));
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  stop();
  std::unique_lock lock(impl_->mutex);
  impl_->changed.wait(lock, [this] { return impl_->active == 0; });
  std::list<std::thread> threads = std::move(impl_->threads);
  lock.unlock();
  for (std::thread& t : threads) t.join();
}

Result<std::unique_ptr<Server>> Server::listen(ServerConfig config, ConnectionHandler handler) {
  DCMKIT_ASSIGN_OR_RETURN(std::unique_ptr<Listener> listener,
                          listen_tcp(config.port, config.listen));
  auto impl = std::make_unique<Impl>();
  impl->config = std::move(config);
  impl->handler = std::move(handler);
  impl->listener = std::move(listener);
  if (impl->config.sequential) impl->config.max_connections = 1;
  return std::unique_ptr<Server>(new Server(std::move(impl)));  // private constructor
}

Status Server::run() {
  Impl& impl = *impl_;
  Status result;
  while (!impl.stopping.load()) {
    auto accepted = impl.listener->accept(std::nullopt);
    if (!accepted) {
      if (impl.stopping.load()) break;
      // Out of descriptors and the like: report, but keep serving the others.
      DCMKIT_LOG_WARN(kLog, "accept failed: " << accepted.error().to_string());
      std::unique_lock lock(impl.mutex);
      impl.changed.wait_for(lock, std::chrono::milliseconds(100));
      continue;
    }
    std::unique_ptr<Transport> transport = std::move(accepted).value();
    DCMKIT_LOG_DEBUG(kLog, "connection from " << transport->peer_address());
    if (impl.config.sequential) {
      ++impl.served;
      {
        std::lock_guard lock(impl.mutex);
        ++impl.active;
      }
      impl.serve(std::move(transport));
      std::lock_guard lock(impl.mutex);
      --impl.active;
      impl.changed.notify_all();
      continue;
    }
    std::unique_lock lock(impl.mutex);
    impl.reap_finished(lock);
    if (impl.active >= impl.config.max_connections) {
      ++impl.refused;
      DCMKIT_LOG_WARN(kLog, "refusing connection from " << transport->peer_address() << ": "
                                                        << impl.active
                                                        << " connections are being served");
      transport->shutdown();
      continue;
    }
    ++impl.active;
    ++impl.served;
    impl.threads.emplace_back([&impl, t = std::move(transport)]() mutable {
      impl.serve(std::move(t));
      std::lock_guard done_lock(impl.mutex);
      --impl.active;
      impl.finished.push_back(std::this_thread::get_id());
      impl.changed.notify_all();
    });
  }
  // Wait for the connections to end (stop() has shut them down unless only accepting stopped).
  std::unique_lock lock(impl.mutex);
  impl.changed.wait(lock, [&impl] { return impl.active == 0; });
  std::list<std::thread> threads = std::move(impl.threads);
  impl.finished.clear();
  lock.unlock();
  for (std::thread& t : threads) t.join();
  return result;
}

void Server::stop() noexcept {
  impl_->stopping.store(true);
  impl_->cut.store(true);
  impl_->listener->close();
  std::lock_guard lock(impl_->mutex);
  for (Transport* t : impl_->transports) t->shutdown();
}

void Server::stop_accepting() noexcept {
  impl_->stopping.store(true);
  impl_->listener->close();
}

std::uint16_t Server::port() const noexcept { return impl_->listener->port(); }
std::size_t Server::active_connections() const noexcept {
  std::lock_guard lock(impl_->mutex);
  return impl_->active;
}
std::uint64_t Server::served_connections() const noexcept { return impl_->served.load(); }
std::uint64_t Server::refused_connections() const noexcept { return impl_->refused.load(); }

// --- serve_association ------------------------------------------------------------------

std::optional<AssociateRj> ServiceProvider::screen(const AssociateRq&, const std::string&) {
  return std::nullopt;
}
void ServiceProvider::on_accepted(Association&) {}
void ServiceProvider::on_rejected(const AssociateRq&, const AssociateRj&) {}
void ServiceProvider::on_ended(Association&, const Status&) {}
void ServiceProvider::on_request_failed(const ofstd::Error&) {}

Status serve_association(std::unique_ptr<Transport> transport, const AcceptorPolicy& policy,
                         const AssociationConfig& config, ServiceProvider& provider) {
  auto received = Association::receive_request(std::move(transport), config);
  if (!received) {
    provider.on_request_failed(received.error());
    return std::move(received).error();
  }
  PendingAssociation pending = std::move(received).value();
  const std::string peer = pending.peer_address();
  if (const std::optional<AssociateRj> refusal = provider.screen(pending.request(), peer)) {
    const AssociateRq rq = pending.request();
    Status sent = std::move(pending).reject(*refusal);
    provider.on_rejected(rq, *refusal);
    return sent;
  }
  const AssociateRq rq = pending.request();
  DCMKIT_ASSIGN_OR_RETURN(auto answered, std::move(pending).answer(policy));
  if (auto* rj = std::get_if<AssociateRj>(&answered)) {
    provider.on_rejected(rq, *rj);
    return {};
  }
  Association& association = std::get<Association>(answered);
  provider.on_accepted(association);
  Status how;
  for (;;) {
    auto incoming = association.receive_command();
    if (!incoming) {
      how = std::move(incoming).error();
      association.abort();
      break;
    }
    if (incoming->kind == Incoming::Kind::ReleaseRequested) {
      how = association.acknowledge_release();
      break;
    }
    Status handled = provider.handle(association, *incoming);
    if (!handled) {
      how = std::move(handled);
      association.abort();
      break;
    }
  }
  provider.on_ended(association, how);
  return how;
}

Status respond_to_echo(Association& association, const Incoming& incoming) {
  return association.send_command(incoming.context_id,
                                  make_c_echo_rsp(incoming.command, status::kSuccess));
}

Status respond_with_status(Association& association, const Incoming& incoming, std::uint16_t code) {
  if (association.data_set_pending()) {
    class Discard final : public dcmdata::ByteSink {
     public:
      Status write(std::span<const std::byte>) override { return {}; }
    } discard;
    DCMKIT_TRY(association.receive_data_set(discard));
  }
  if (incoming.command.field == CommandField::CCancelRq) return {};  // no response (PS3.7 §9.3)
  return association.send_command(incoming.context_id, make_response(incoming.command, code));
}

}  // namespace dcmkit::dcmnet

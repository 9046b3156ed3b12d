// SPDX-License-Identifier: BSD-3-Clause
// The byte transport under the upper layer: an interface (the seam tests use to inject short
// reads, resets and silence) and its TCP implementation for IPv4 and IPv6. TLS wraps any
// Transport (see tls.h).
//
//   DCMKIT_ASSIGN_OR_RETURN(auto listener, listen_tcp(0));            // ephemeral port
//   DCMKIT_ASSIGN_OR_RETURN(auto client, connect_tcp("localhost", listener->port(), {}));
//   DCMKIT_ASSIGN_OR_RETURN(auto server, listener->accept({}));
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmnet {

/// The clock of all network deadlines.
using Clock = std::chrono::steady_clock;
/// When a blocking operation gives up; empty means never.
using Deadline = std::optional<Clock::time_point>;

/// The earlier of two deadlines (an empty one is later than any other).
Deadline earliest(Deadline a, Deadline b) noexcept;
/// now + timeout, or no deadline for an empty timeout.
Deadline deadline_after(std::optional<std::chrono::milliseconds> timeout) noexcept;

/// A connected, reliable byte stream. Errors: ErrorCode::LimitExceeded when the deadline
/// passed (a timeout is a configured bound), ErrorCode::Network for every other failure.
/// Thread-safety: one thread reads and writes; shutdown() may be called from any thread.
class Transport {
 public:
  virtual ~Transport() = default;

  /// Reads at least one and at most buffer.size() bytes; 0 means the peer closed the stream.
  virtual ofstd::Result<std::size_t> read_some(std::span<std::byte> buffer, Deadline deadline) = 0;
  /// Writes all of `buffers`, in order, as one gathered write where possible.
  virtual ofstd::Status write(std::span<const std::span<const std::byte>> buffers,
                              Deadline deadline) = 0;
  /// Closes both directions now; blocked and later reads and writes fail. Idempotent.
  virtual void shutdown() noexcept = 0;
  /// Signals the end of our data to the peer (TCP FIN, TLS close_notify) while reading stays
  /// possible, so that a last PDU is read by the peer before the connection goes away.
  virtual void close_write() noexcept { shutdown(); }
  /// The peer's numeric address ("127.0.0.1", "::1"), empty if unknown.
  virtual std::string peer_address() const = 0;
  /// True if the bytes are protected by TLS.
  virtual bool is_secure() const noexcept { return false; }

  /// Reads exactly buffer.size() bytes; Network error "connection closed by peer" if the stream
  /// ends first.
  ofstd::Status read_exactly(std::span<std::byte> buffer, Deadline deadline);
  /// Writes one buffer.
  ofstd::Status write_all(std::span<const std::byte> bytes, Deadline deadline);
};

/// Options of TCP connections.
struct TcpOptions {
  /// Disable Nagle's algorithm: DIMSE is request/response, and delayed ACKs against Nagle cost
  /// ~40 ms per message otherwise.
  bool no_delay = true;
  /// SO_SNDBUF / SO_RCVBUF in bytes; 0 keeps the kernel's (auto-tuned) defaults.
  int send_buffer = 0;
  int receive_buffer = 0;
};

/// Connects to host:port (a name, an IPv4 or an IPv6 address), trying each resolved address in
/// turn until `deadline`. Network error naming the host and the OS reason, LimitExceeded on
/// timeout.
ofstd::Result<std::unique_ptr<Transport>> connect_tcp(std::string_view host, std::uint16_t port,
                                                      Deadline deadline,
                                                      const TcpOptions& options = {});

/// Wraps an already connected socket (e.g. inetd's stdin); takes ownership of `fd`.
std::unique_ptr<Transport> adopt_tcp_socket(int fd, const TcpOptions& options = {});

/// A listening socket. Thread-safety: accept() from one thread; close() from any.
class Listener {
 public:
  virtual ~Listener() = default;
  /// Waits for the next connection. Network error after close(); LimitExceeded on timeout.
  virtual ofstd::Result<std::unique_ptr<Transport>> accept(Deadline deadline) = 0;
  /// Stops listening and wakes a blocked accept(). Idempotent.
  virtual void close() noexcept = 0;
  /// The port listened on (the one chosen by the system when 0 was asked for).
  virtual std::uint16_t port() const noexcept = 0;
};

/// Options of listen_tcp().
struct ListenOptions {
  /// Address to bind; empty means every address, IPv6 and IPv4 when the system has both.
  std::string bind_address;
  int backlog = 128;
  TcpOptions connection;
};

/// Listens on `port` (0: an ephemeral port). IoError if the port is taken or not allowed.
ofstd::Result<std::unique_ptr<Listener>> listen_tcp(std::uint16_t port,
                                                    const ListenOptions& options = {});

/// True if `error` is a timeout reported by a Transport or Listener.
bool is_timeout(const ofstd::Error& error) noexcept;

}  // namespace dcmkit::dcmnet

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmnet/transport.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <vector>

namespace dcmkit::dcmnet {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

Deadline earliest(Deadline a, Deadline b) noexcept {
  if (!a) return b;
  if (!b) return a;
  return *a < *b ? a : b;
}

Deadline deadline_after(std::optional<std::chrono::milliseconds> timeout) noexcept {
  if (!timeout) return std::nullopt;
  return Clock::now() + *timeout;
}

bool is_timeout(const Error& error) noexcept { return error.code() == ErrorCode::LimitExceeded; }

Status Transport::read_exactly(std::span<std::byte> buffer, Deadline deadline) {
  while (!buffer.empty()) {
    DCMKIT_ASSIGN_OR_RETURN(const std::size_t n, read_some(buffer, deadline));
    if (n == 0) return Error(ErrorCode::Network, "connection closed by peer");
    buffer = buffer.subspan(n);
  }
  return {};
}

Status Transport::write_all(std::span<const std::byte> bytes, Deadline deadline) {
  const std::span<const std::byte> one[] = {bytes};
  return write(one, deadline);
}

namespace {

Error os_error(std::string_view what, int error_number) {
  return Error(ErrorCode::Network, std::string(what) + ": " + std::strerror(error_number));
}

Error timeout_error(std::string_view what) {
  return Error(ErrorCode::LimitExceeded, "timeout " + std::string(what));
}

// Milliseconds to wait in poll() for `deadline`: -1 forever, 0 if already passed.
int poll_timeout(Deadline deadline) {
  if (!deadline) return -1;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now());
  if (left.count() <= 0) return 0;
  // Round up, so that we do not spin on a sub-millisecond remainder.
  return left.count() > 86'400'000 ? 86'400'000 : static_cast<int>(left.count()) + 1;
}

// Waits until fd is ready for `events`; false on timeout.
Result<bool> wait_for(int fd, short events, Deadline deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int timeout = poll_timeout(deadline);
    const int n = ::poll(&p, 1, timeout);
    if (n > 0) return true;
    if (n == 0) {
      if (deadline && Clock::now() >= *deadline) return false;
      continue;
    }
    if (errno != EINTR) return os_error("poll", errno);
  }
}

void apply_options(int fd, const TcpOptions& options) {
  const int one = 1;
  if (options.no_delay) ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (options.send_buffer > 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &options.send_buffer, sizeof options.send_buffer);
  }
  if (options.receive_buffer > 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &options.receive_buffer, sizeof options.receive_buffer);
  }
}

bool set_nonblocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL, 0);
  return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

std::string numeric_address(const sockaddr* address, socklen_t length) {
  std::array<char, NI_MAXHOST> host{};
  if (::getnameinfo(address, length, host.data(), host.size(), nullptr, 0, NI_NUMERICHOST) != 0) {
    return {};
  }
  std::string text(host.data());
  // An IPv4 peer of a dual-stack socket appears as ::ffff:a.b.c.d; show the IPv4 form.
  if (text.rfind("::ffff:", 0) == 0 && text.find('.') != std::string::npos) text.erase(0, 7);
  return text;
}

class TcpTransport final : public Transport {
 public:
  explicit TcpTransport(int fd) : fd_(fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {    // NOLINT
      peer_ = numeric_address(reinterpret_cast<const sockaddr*>(&address), length);  // NOLINT
    }
  }
  TcpTransport(const TcpTransport&) = delete;
  TcpTransport& operator=(const TcpTransport&) = delete;
  ~TcpTransport() override { ::close(fd_); }

  Result<std::size_t> read_some(std::span<std::byte> buffer, Deadline deadline) override {
    if (buffer.empty()) return std::size_t{0};
    for (;;) {
      if (shut_down_.load(std::memory_order_relaxed)) {
        return Error(ErrorCode::Network, "connection shut down");
      }
      const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return os_error("receiving", errno);
      DCMKIT_ASSIGN_OR_RETURN(const bool ready, wait_for(fd_, POLLIN, deadline));
      if (!ready) return timeout_error("while receiving");
    }
  }

  Status write(std::span<const std::span<const std::byte>> buffers, Deadline deadline) override {
    std::vector<iovec> vectors;
    vectors.reserve(buffers.size());
    for (const auto& b : buffers) {
      if (b.empty()) continue;
      // iovec wants a non-const pointer; sendmsg does not write through it.
      vectors.push_back(iovec{const_cast<std::byte*>(b.data()), b.size()});  // NOLINT
    }
    std::size_t first = 0;
    while (first < vectors.size()) {
      if (shut_down_.load(std::memory_order_relaxed)) {
        return Error(ErrorCode::Network, "connection shut down");
      }
      msghdr message{};
      message.msg_iov = vectors.data() + first;
      message.msg_iovlen = std::min<std::size_t>(vectors.size() - first, IOV_MAX);
      const ssize_t n = ::sendmsg(fd_, &message, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) return os_error("sending", errno);
        DCMKIT_ASSIGN_OR_RETURN(const bool ready, wait_for(fd_, POLLOUT, deadline));
        if (!ready) return timeout_error("while sending");
        continue;
      }
      auto sent = static_cast<std::size_t>(n);
      while (first < vectors.size() && sent >= vectors[first].iov_len) {
        sent -= vectors[first].iov_len;
        ++first;
      }
      if (sent > 0) {
        vectors[first].iov_base = static_cast<std::byte*>(vectors[first].iov_base) + sent;
        vectors[first].iov_len -= sent;
      }
    }
    return {};
  }

  void shutdown() noexcept override {
    if (!shut_down_.exchange(true)) ::shutdown(fd_, SHUT_RDWR);
  }

  void close_write() noexcept override { ::shutdown(fd_, SHUT_WR); }

  std::string peer_address() const override { return peer_; }

 private:
  int fd_;
  std::string peer_;
  std::atomic<bool> shut_down_{false};
};

class TcpListener final : public Listener {
 public:
  TcpListener(std::vector<int> fds, int wake_read, int wake_write, std::uint16_t port,
              TcpOptions options)
      : fds_(std::move(fds)),
        wake_read_(wake_read),
        wake_write_(wake_write),
        port_(port),
        options_(options) {}
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;
  ~TcpListener() override {
    for (const int fd : fds_) ::close(fd);
    ::close(wake_read_);
    ::close(wake_write_);
  }

  Result<std::unique_ptr<Transport>> accept(Deadline deadline) override {
    for (;;) {
      if (closed_.load()) return Error(ErrorCode::Network, "listener closed");
      std::vector<pollfd> polls;
      for (const int fd : fds_) polls.push_back(pollfd{fd, POLLIN, 0});
      polls.push_back(pollfd{wake_read_, POLLIN, 0});
      const int n = ::poll(polls.data(), polls.size(), poll_timeout(deadline));
      if (n < 0) {
        if (errno == EINTR) continue;
        return os_error("poll", errno);
      }
      if (n == 0) {
        if (deadline && Clock::now() >= *deadline) return timeout_error("waiting for a connection");
        continue;
      }
      if (closed_.load()) return Error(ErrorCode::Network, "listener closed");
      for (std::size_t i = 0; i < fds_.size(); ++i) {
        if ((polls[i].revents & POLLIN) == 0) continue;
        const int fd = ::accept4(fds_[i], nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
          // The connection may have gone away between poll and accept, or the process ran
          // out of descriptors: neither ends the listener.
          if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED || errno == EINTR ||
              errno == EPROTO) {
            continue;
          }
          if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
            return os_error("accepting a connection", errno);
          }
          return os_error("accepting a connection", errno);
        }
        apply_options(fd, options_);
        return std::unique_ptr<Transport>(std::make_unique<TcpTransport>(fd));
      }
    }
  }

  void close() noexcept override {
    if (!closed_.exchange(true)) {
      const char byte = 0;
      [[maybe_unused]] const ssize_t n = ::write(wake_write_, &byte, 1);
    }
  }

  std::uint16_t port() const noexcept override { return port_; }

 private:
  std::vector<int> fds_;
  int wake_read_;
  int wake_write_;
  std::uint16_t port_;
  TcpOptions options_;
  std::atomic<bool> closed_{false};
};

}  // namespace

Result<std::unique_ptr<Transport>> connect_tcp(std::string_view host, std::uint16_t port,
                                               Deadline deadline, const TcpOptions& options) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  addrinfo* found = nullptr;
  const std::string host_text(host);
  const std::string port_text = std::to_string(port);
  const int rc = ::getaddrinfo(host_text.c_str(), port_text.c_str(), &hints, &found);
  if (rc != 0) {
    return Error(ErrorCode::Network,
                 "cannot resolve host \"" + host_text + "\": " + ::gai_strerror(rc));
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, ::freeaddrinfo);
  Error last(ErrorCode::Network, "no address for host \"" + host_text + "\"");
  for (const addrinfo* a = addresses.get(); a != nullptr; a = a->ai_next) {
    const int fd =
        ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      last = os_error("creating a socket", errno);
      continue;
    }
    apply_options(fd, options);
    int result = ::connect(fd, a->ai_addr, a->ai_addrlen);
    if (result != 0 && errno == EINPROGRESS) {
      auto ready = wait_for(fd, POLLOUT, deadline);
      if (!ready) {
        ::close(fd);
        return std::move(ready).error();
      }
      if (!*ready) {
        ::close(fd);
        return timeout_error("connecting to " + host_text + ":" + port_text);
      }
      int error = 0;
      socklen_t length = sizeof error;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
      result = error == 0 ? 0 : -1;
      errno = error;
    }
    if (result == 0) return std::unique_ptr<Transport>(std::make_unique<TcpTransport>(fd));
    last = os_error("connecting to " + host_text + ":" + port_text, errno);
    ::close(fd);
  }
  return last;
}

std::unique_ptr<Transport> adopt_tcp_socket(int fd, const TcpOptions& options) {
  set_nonblocking(fd);
  apply_options(fd, options);
  return std::make_unique<TcpTransport>(fd);
}

Result<std::unique_ptr<Listener>> listen_tcp(std::uint16_t port, const ListenOptions& options) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  const std::string port_text = std::to_string(port);
  std::vector<int> fds;
  std::uint16_t bound_port = port;
  const auto close_all = [&fds] {
    for (const int fd : fds) ::close(fd);
  };
  // Prefer one dual-stack IPv6 socket; fall back to IPv4 where IPv6 is unavailable.
  struct Candidate {
    int family;
    const char* address;
  };
  std::vector<Candidate> candidates;
  if (options.bind_address.empty()) {
    candidates = {{AF_INET6, "::"}, {AF_INET, "0.0.0.0"}};
  } else {
    candidates = {{AF_UNSPEC, options.bind_address.c_str()}};
  }
  Error last(ErrorCode::IoError, "no address to listen on");
  for (const Candidate& candidate : candidates) {
    hints.ai_family = candidate.family;
    addrinfo* found = nullptr;
    const int rc = ::getaddrinfo(candidate.address, port_text.c_str(), &hints, &found);
    if (rc != 0) {
      last = Error(ErrorCode::IoError,
                   std::string("cannot resolve listen address: ") + ::gai_strerror(rc));
      continue;
    }
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, ::freeaddrinfo);
    const addrinfo* a = addresses.get();
    const int fd =
        ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      last =
          Error(ErrorCode::IoError, std::string("cannot create socket: ") + std::strerror(errno));
      continue;
    }
    const int one = 1;
    const int zero = 0;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (a->ai_family == AF_INET6) ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, options.backlog) != 0) {
      last = Error(ErrorCode::IoError,
                   "cannot listen on port " + port_text + ": " + std::strerror(errno));
      ::close(fd);
      // A dual-stack socket that failed because the port is taken will fail on IPv4 too.
      if (errno == EADDRINUSE || errno == EACCES) break;
      continue;
    }
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {  // NOLINT
      if (address.ss_family == AF_INET6) {
        bound_port = ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);  // NOLINT
      } else {
        bound_port = ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);  // NOLINT
      }
    }
    fds.push_back(fd);
    break;
  }
  if (fds.empty()) return last;
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    close_all();
    return Error(ErrorCode::IoError, std::string("cannot create pipe: ") + std::strerror(errno));
  }
  return std::unique_ptr<Listener>(std::make_unique<TcpListener>(
      std::move(fds), pipe_fds[0], pipe_fds[1], bound_port, options.connection));
}

}  // namespace dcmkit::dcmnet

// SPDX-License-Identifier: BSD-3-Clause
#include "isolated.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace dcmkit::dcmimage::detail {

namespace {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;

// The helper's end of the socket pair, moved to a fixed descriptor before it closes the others.
constexpr int kHelperSocket = 3;
constexpr std::size_t kMaxMessage = 1024;  // an error message's bytes, at most

// Parent -> helper: which task, then `input_size` bytes of input.
struct Request {
  std::uint64_t task;
  std::uint64_t input_size;
  std::uint64_t output_capacity;
};

// Helper -> parent: the outcome, then `size` bytes (the result, or the error message).
struct Reply {
  std::uint32_t failed;
  std::uint32_t code;  // ErrorCode when failed
  std::uint64_t size;
};

bool send_all(int fd, const void* data, std::size_t size) {
  const auto* at = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = send(fd, at, size, MSG_NOSIGNAL);  // a dead peer is EPIPE, not SIGPIPE
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    at += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool receive_all(int fd, void* data, std::size_t size) {
  auto* at = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t n = recv(fd, at, size, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;  // 0: the peer closed its end (or died)
    at += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

std::string death(int status) {
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    const char* name = sigabbrev_np(signal);
    return std::string("was killed by signal SIG") + (name != nullptr ? name : "?");
  }
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  return "ended abnormally";
}

// The helper: no descriptor of the program but its socket (a server's connections and files
// must close when the program closes them), quiet standard streams (a library's message on its
// way to abort() would only confuse: the parent reports the failure), then one request after
// the other until the parent closes the socket. It leaves with _exit(), never running the
// program's exit handlers or flushing its stdio buffers.
[[noreturn]] void serve(int socket) {
  if (socket != kHelperSocket) {
    if (dup2(socket, kHelperSocket) < 0) _exit(2);
    close(socket);
  }
  if (close_range(kHelperSocket + 1, ~0U, 0) != 0) {
    const long limit = sysconf(_SC_OPEN_MAX);
    for (long fd = kHelperSocket + 1; fd < (limit > 0 ? limit : 1024); ++fd) {
      close(static_cast<int>(fd));
    }
  }
  const int null_fd = open("/dev/null", O_RDWR);
  if (null_fd >= 0) {
    for (int fd = 0; fd <= 2; ++fd) dup2(null_fd, fd);
    if (null_fd > kHelperSocket) close(null_fd);
  }
  std::vector<std::byte> input;
  std::vector<std::byte> output;
  try {
    for (;;) {
      Request request{};
      if (!receive_all(kHelperSocket, &request, sizeof request)) _exit(0);
      input.resize(request.input_size);
      output.resize(request.output_capacity);
      if (!receive_all(kHelperSocket, input.data(), input.size())) _exit(0);
      // The parent's own function: the helper is a fork of it, the code at the same address.
      const auto task = reinterpret_cast<IsolatedTask>(  // NOLINT: see above
          static_cast<std::uintptr_t>(request.task));
      const Result<std::size_t> outcome = task(input, output);
      Reply reply{};
      const char* payload = reinterpret_cast<const char*>(output.data());  // NOLINT: bytes
      if (outcome) {
        reply.size = std::min(*outcome, output.size());
      } else {
        reply.failed = 1;
        reply.code = static_cast<std::uint32_t>(outcome.error().code());
        reply.size = std::min(outcome.error().message().size(), kMaxMessage);
        payload = outcome.error().message().data();
      }
      if (!send_all(kHelperSocket, &reply, sizeof reply) ||
          !send_all(kHelperSocket, payload, reply.size)) {
        _exit(0);
      }
    }
  } catch (...) {
    _exit(1);  // e.g. out of memory: never unwind into the parent's code
  }
}

// One calling thread's helper process.
class Helper {
 public:
  Helper() = default;
  Helper(const Helper&) = delete;
  Helper& operator=(const Helper&) = delete;
  ~Helper() { stop(); }

  Result<std::size_t> run(std::string_view what, IsolatedTask task,
                          std::span<const std::byte> input, std::span<std::byte> output) {
    // A fork of the program (a server's child per association) inherits this object: it
    // forgets the helper it does not own and starts its own.
    if (pid_ > 0 && owner_ != getpid()) forget();
    if (pid_ <= 0 && !start()) return task(input, output);
    const Request request{static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(task)),
                          input.size(), output.size()};
    Reply reply{};
    if (!send_all(socket_, &request, sizeof request) ||
        !send_all(socket_, input.data(), input.size()) ||
        !receive_all(socket_, &reply, sizeof reply)) {
      return died(what);
    }
    if (reply.failed != 0) {
      std::string message(std::min<std::uint64_t>(reply.size, kMaxMessage), '\0');
      if (!receive_all(socket_, message.data(), message.size())) return died(what);
      return Error(static_cast<ErrorCode>(reply.code), std::move(message));
    }
    if (reply.size > output.size() || !receive_all(socket_, output.data(), reply.size)) {
      return died(what);
    }
    return static_cast<std::size_t>(reply.size);
  }

 private:
  bool start() {
    int ends[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) return false;
    const pid_t pid = fork();
    if (pid < 0) {
      close(ends[0]);
      close(ends[1]);
      return false;
    }
    if (pid == 0) {
      close(ends[0]);
      serve(ends[1]);
    }
    close(ends[1]);
    pid_ = pid;
    owner_ = getpid();
    socket_ = ends[0];
    return true;
  }

  // Closes the socket (the helper reads end of input and leaves) and collects the helper.
  int stop() {
    int status = 0;
    if (socket_ >= 0) close(socket_);
    socket_ = -1;
    if (pid_ > 0) {
      while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
    }
    pid_ = -1;
    return status;
  }

  void forget() {
    if (socket_ >= 0) close(socket_);
    socket_ = -1;
    pid_ = -1;
  }

  Error died(std::string_view what) {
    const int status = stop();
    return Error(ErrorCode::MalformedData,
                 std::string(what) + " " + death(status) + " on this stream (corrupt data)");
  }

  pid_t pid_ = -1;
  pid_t owner_ = -1;
  int socket_ = -1;
};

}  // namespace

Result<std::size_t> run_isolated(std::string_view what, IsolatedTask task,
                                 std::span<const std::byte> input, std::span<std::byte> output) {
  thread_local Helper helper;
  return helper.run(what, task, input, output);
}

}  // namespace dcmkit::dcmimage::detail

// SPDX-License-Identifier: BSD-3-Clause
#include "isolated.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <string>

namespace dcmkit::dcmimage::detail {

namespace {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;

// What the child leaves for the parent at the start of the shared mapping.
struct Report {
  std::uint32_t done;  // 1 once the child stored a result or an error
  std::uint32_t failed;
  std::uint8_t code;  // ErrorCode when failed
  std::size_t size;   // bytes of the result when not failed
  std::array<char, 1024> message;
};

constexpr std::size_t kHeader = 4096;  // keeps the result page-aligned
static_assert(sizeof(Report) <= kHeader);

class SharedMapping {
 public:
  explicit SharedMapping(std::size_t size) : size_(size) {
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    base_ = p == MAP_FAILED ? nullptr : static_cast<std::byte*>(p);
  }
  SharedMapping(const SharedMapping&) = delete;
  SharedMapping& operator=(const SharedMapping&) = delete;
  ~SharedMapping() {
    if (base_ != nullptr) munmap(base_, size_);
  }
  std::byte* data() const noexcept { return base_; }

 private:
  std::size_t size_;
  std::byte* base_;
};

std::string death(int status) {
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    const char* name = sigabbrev_np(signal);
    return std::string("was killed by signal SIG") + (name != nullptr ? name : "?");
  }
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  return "ended abnormally";
}

}  // namespace

Result<std::size_t> run_isolated(
    std::string_view what, std::span<std::byte> result,
    const std::function<Result<std::size_t>(std::span<std::byte>)>& work) {
  SharedMapping shared(kHeader + result.size());
  if (shared.data() == nullptr) return work(result);
  auto* report = new (shared.data()) Report{};
  const std::span<std::byte> child_result(shared.data() + kHeader, result.size());
  const pid_t pid = fork();
  if (pid < 0) return work(result);
  if (pid == 0) {
    // The child: only this thread exists. Store the outcome and leave without running the
    // parent's exit handlers or flushing its stdio buffers. A library's own message on the way
    // to abort() (an assertion's text) would only confuse: the parent reports the failure.
    const int null_fd = open("/dev/null", O_WRONLY);
    if (null_fd >= 0) dup2(null_fd, STDERR_FILENO);
    Result<std::size_t> outcome = Error(ErrorCode::Internal, "not run");
    try {
      outcome = work(child_result);
    } catch (...) {
      _exit(1);  // e.g. out of memory: never unwind into the parent's code
    }
    if (outcome) {
      report->size = std::min(*outcome, child_result.size());
    } else {
      report->failed = 1;
      report->code = static_cast<std::uint8_t>(outcome.error().code());
      const std::string& text = outcome.error().message();
      const std::size_t n = std::min(text.size(), report->message.size() - 1);
      std::memcpy(report->message.data(), text.data(), n);
      report->message[n] = '\0';
    }
    report->done = 1;
    _exit(0);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return Error(ErrorCode::Internal, std::string(what) + ": lost the decoding child process");
    }
  }
  if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0) || report->done != 1) {
    return Error(ErrorCode::MalformedData,
                 std::string(what) + " " + death(status) + " on this stream (corrupt data)");
  }
  if (report->failed != 0) {
    return Error(static_cast<ErrorCode>(report->code), report->message.data());
  }
  std::memcpy(result.data(), child_result.data(), report->size);
  return report->size;
}

}  // namespace dcmkit::dcmimage::detail

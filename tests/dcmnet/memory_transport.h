// SPDX-License-Identifier: BSD-3-Clause
// An in-memory Transport pair for tests: what one end writes the other reads. Faults can be
// injected: reads delivered a few bytes at a time, a connection that breaks after N bytes.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <utility>

#include "dcmkit/dcmnet/transport.h"

namespace dcmkit::dcmnet::testing {

/// One direction of the pipe.
struct Channel {
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::byte> bytes;
  bool closed = false;
};

/// Fault injection for one end's reads.
struct Faults {
  /// Deliver at most this many bytes per read_some() (short reads).
  std::size_t max_read = static_cast<std::size_t>(-1);
  /// Fail reads with a reset after this many bytes were read.
  std::size_t reset_after = static_cast<std::size_t>(-1);
};

class MemoryTransport final : public Transport {
 public:
  MemoryTransport(std::shared_ptr<Channel> in, std::shared_ptr<Channel> out, Faults faults)
      : in_(std::move(in)), out_(std::move(out)), faults_(faults) {}
  ~MemoryTransport() override { shutdown(); }

  ofstd::Result<std::size_t> read_some(std::span<std::byte> buffer, Deadline deadline) override {
    std::unique_lock lock(in_->mutex);
    const auto ready = [this] { return !in_->bytes.empty() || in_->closed || shut_; };
    if (deadline) {
      if (!in_->changed.wait_until(lock, *deadline, ready)) {
        return ofstd::Error(ofstd::ErrorCode::LimitExceeded, "timeout while receiving");
      }
    } else {
      in_->changed.wait(lock, ready);
    }
    if (shut_) return ofstd::Error(ofstd::ErrorCode::Network, "connection shut down");
    if (read_total_ >= faults_.reset_after) {
      return ofstd::Error(ofstd::ErrorCode::Network, "receiving: Connection reset by peer");
    }
    if (in_->bytes.empty()) return std::size_t{0};  // closed
    std::size_t n = std::min(
        {buffer.size(), in_->bytes.size(), faults_.max_read, faults_.reset_after - read_total_});
    std::copy_n(in_->bytes.begin(), n, buffer.begin());
    in_->bytes.erase(in_->bytes.begin(), in_->bytes.begin() + static_cast<long>(n));
    read_total_ += n;
    return n;
  }

  ofstd::Status write(std::span<const std::span<const std::byte>> buffers, Deadline) override {
    std::lock_guard lock(out_->mutex);
    if (out_->closed || shut_) {
      return ofstd::Error(ofstd::ErrorCode::Network, "sending: Broken pipe");
    }
    for (const auto& b : buffers) out_->bytes.insert(out_->bytes.end(), b.begin(), b.end());
    out_->changed.notify_all();
    return {};
  }

  void shutdown() noexcept override {
    close_write();
    std::lock_guard lock(in_->mutex);
    shut_ = true;
    in_->closed = true;
    in_->changed.notify_all();
  }

  void close_write() noexcept override {
    std::lock_guard lock(out_->mutex);
    out_->closed = true;
    out_->changed.notify_all();
  }

  std::string peer_address() const override { return "memory"; }

 private:
  std::shared_ptr<Channel> in_;
  std::shared_ptr<Channel> out_;
  Faults faults_;
  std::size_t read_total_ = 0;
  std::atomic<bool> shut_{false};
};

/// Two connected ends; faults apply to the reads of each end.
inline std::pair<std::unique_ptr<Transport>, std::unique_ptr<Transport>> memory_pipe(
    Faults a_faults = {}, Faults b_faults = {}) {
  auto a_to_b = std::make_shared<Channel>();
  auto b_to_a = std::make_shared<Channel>();
  return {std::make_unique<MemoryTransport>(b_to_a, a_to_b, a_faults),
          std::make_unique<MemoryTransport>(a_to_b, b_to_a, b_faults)};
}

}  // namespace dcmkit::dcmnet::testing

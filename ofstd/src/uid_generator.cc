// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/ofstd/uid_generator.h"

#include <sys/random.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>

namespace dcmkit::ofstd {
namespace {

void fill_random(std::array<std::uint8_t, 16>& bytes) {
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    const ssize_t n = ::getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (n <= 0) break;
    filled += static_cast<std::size_t>(n);
  }
  if (filled == bytes.size()) return;
  // getrandom() can only fail on kernels older than 3.17; fall back to a seeded engine mixed
  // with a process-wide counter so that two calls never produce the same value.
  static std::atomic<std::uint64_t> counter{0};
  std::random_device device;
  std::seed_seq seed{
      device(), device(),
      static_cast<unsigned>(std::chrono::steady_clock::now().time_since_epoch().count()),
      static_cast<unsigned>(counter.fetch_add(1))};
  std::mt19937_64 engine(seed);
  for (auto& b : bytes) b = static_cast<std::uint8_t>(engine());
}

}  // namespace

std::string uid_from_uuid(const std::array<std::uint8_t, 16>& uuid) {
  // Long division of the 128-bit big-endian number by 10, collecting digits.
  std::array<std::uint8_t, 16> value = uuid;
  std::string digits;
  const auto is_zero = [&value] {
    return std::all_of(value.begin(), value.end(), [](std::uint8_t b) { return b == 0; });
  };
  if (is_zero()) digits = "0";
  while (!is_zero()) {
    unsigned remainder = 0;
    for (auto& b : value) {
      const unsigned current = (remainder << 8) | b;
      b = static_cast<std::uint8_t>(current / 10);
      remainder = current % 10;
    }
    digits.push_back(static_cast<char>('0' + remainder));
  }
  std::reverse(digits.begin(), digits.end());
  return "2.25." + digits;
}

std::string generate_uid() {
  std::array<std::uint8_t, 16> uuid{};
  fill_random(uuid);
  uuid[6] = static_cast<std::uint8_t>((uuid[6] & 0x0F) | 0x40);  // version 4 (random)
  uuid[8] = static_cast<std::uint8_t>((uuid[8] & 0x3F) | 0x80);  // RFC 4122 variant
  return uid_from_uuid(uuid);
}

}  // namespace dcmkit::ofstd

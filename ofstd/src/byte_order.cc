// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/ofstd/byte_order.h"

#include <utility>

namespace dcmkit::ofstd {

void swap_words(std::span<std::byte> bytes, std::size_t word_size) noexcept {
  const std::size_t words = bytes.size() / word_size;
  std::byte* p = bytes.data();
  for (std::size_t i = 0; i < words; ++i, p += word_size) {
    for (std::size_t a = 0, b = word_size - 1; a < b; ++a, --b) std::swap(p[a], p[b]);
  }
}

}  // namespace dcmkit::ofstd

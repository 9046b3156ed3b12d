// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/ofstd/safe_path.h"

#include <algorithm>

namespace dcmkit::ofstd {

std::string safe_path_component(std::string_view untrusted) {
  constexpr std::size_t kMaxLength = 200;  // below NAME_MAX (255) with room for suffixes
  constexpr std::string_view kSpecial = "/\\:*?\"<>|";
  std::string out;
  out.reserve(std::min(untrusted.size(), kMaxLength));
  for (char c : untrusted) {
    if (out.size() == kMaxLength) break;
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F || kSpecial.find(c) != std::string_view::npos) {
      out += '_';
    } else {
      out += c;
    }
  }
  // Trailing spaces and dots are dropped by some file systems: turn them into '_' too.
  while (!out.empty() && (out.back() == ' ' || out.back() == '.')) out.back() = '_';
  if (out.empty()) return "_";
  if (out.front() == '.' || out.front() == '-') out.front() = '_';
  return out;
}

}  // namespace dcmkit::ofstd

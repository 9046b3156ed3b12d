// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/tag.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmdata {
namespace {

std::optional<std::uint16_t> parse_hex16(std::string_view digits) noexcept {
  if (digits.size() != 4) return std::nullopt;
  std::uint16_t value = 0;
  for (const char c : digits) {
    int nibble = 0;
    if (c >= '0' && c <= '9') {
      nibble = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      nibble = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      nibble = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    value = static_cast<std::uint16_t>((value << 4) | nibble);
  }
  return value;
}

ofstd::Error malformed(std::string_view text) {
  // Echo at most a short prefix: the text may come from a file or a command line.
  constexpr std::size_t kMaxEcho = 32;
  std::string shown(text.substr(0, kMaxEcho));
  if (text.size() > kMaxEcho) shown += "...";
  return {ofstd::ErrorCode::MalformedData,
          "not a tag (expected \"(gggg,eeee)\", \"gggg,eeee\" or \"ggggeeee\"): \"" + shown + "\""};
}

}  // namespace

ofstd::Result<Tag> Tag::parse(std::string_view text) {
  std::string_view body = text;
  if (!body.empty() && body.front() == '(') {
    if (body.size() != 11 || body.back() != ')') return malformed(text);
    body = body.substr(1, 9);
  }
  std::optional<std::uint16_t> group;
  std::optional<std::uint16_t> element;
  if (body.size() == 9 && body[4] == ',') {
    group = parse_hex16(body.substr(0, 4));
    element = parse_hex16(body.substr(5, 4));
  } else if (body.size() == 8 && body.size() == text.size()) {
    group = parse_hex16(body.substr(0, 4));
    element = parse_hex16(body.substr(4, 4));
  }
  if (!group || !element) return malformed(text);
  return Tag(*group, *element);
}

std::string Tag::to_string() const {
  constexpr std::string_view kHex = "0123456789abcdef";
  std::string text = "(gggg,eeee)";
  for (std::size_t i = 0; i < 4; ++i) {
    const unsigned shift = 12 - 4 * static_cast<unsigned>(i);
    text[1 + i] = kHex[(static_cast<unsigned>(group()) >> shift) & 0xFu];
    text[6 + i] = kHex[(static_cast<unsigned>(element()) >> shift) & 0xFu];
  }
  return text;
}

}  // namespace dcmkit::dcmdata

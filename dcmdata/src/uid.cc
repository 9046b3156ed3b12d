// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/uid.h"

#include <cstddef>
#include <string>
#include <string_view>

#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmdata {
namespace {

// Why `text` is not a UID (PS3.5 §9.1), for the error message.
std::string_view describe_problem(std::string_view text) noexcept {
  if (text.empty()) return "is empty";
  if (text.size() > 64) return "is longer than 64 characters";
  std::size_t component_start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '.') {
      const std::size_t length = i - component_start;
      if (length == 0) return "has an empty component";
      if (length > 1 && text[component_start] == '0') return "has a component with a leading zero";
      component_start = i + 1;
    } else if (text[i] < '0' || text[i] > '9') {
      return "contains a character other than a digit or '.'";
    }
  }
  return "is not valid";
}

}  // namespace

ofstd::Result<Uid> Uid::parse(std::string_view text) {
  if (!is_valid_uid(text)) {
    // A UID is not patient data, so the message may show it (shortened if absurdly long).
    constexpr std::size_t kMaxEcho = 80;
    std::string shown(text.substr(0, kMaxEcho));
    if (text.size() > kMaxEcho) shown += "...";
    return ofstd::Error(ofstd::ErrorCode::MalformedData,
                        "invalid UID \"" + shown + "\": " + std::string(describe_problem(text)));
  }
  Uid uid;
  uid.assign(text);
  return uid;
}

ofstd::Result<Uid> Uid::from_value(std::string_view padded) {
  // A UI value is padded to even length with one trailing NUL (PS3.5 §6.2); some producers pad
  // with a space or several bytes instead, which is harmless to accept.
  std::size_t size = padded.size();
  while (size > 0 && (padded[size - 1] == '\0' || padded[size - 1] == ' ')) --size;
  return parse(padded.substr(0, size));
}

}  // namespace dcmkit::dcmdata

// SPDX-License-Identifier: BSD-3-Clause
#include "value_rules.h"

#include <string>

#include "dcmkit/dcmdata/uid.h"
#include "dcmkit/ofstd/date_time.h"
#include "dcmkit/ofstd/strings.h"

namespace dcmkit::dcmdata::detail {
namespace {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Status;

Error invalid(VR vr, std::string_view value, std::string_view why) {
  return Error(ErrorCode::InvalidArgument, "invalid " + std::string(to_string(vr)) + " value \"" +
                                               std::string(value) + "\": " + std::string(why));
}

bool only_chars(std::string_view text, std::string_view allowed) {
  return text.find_first_not_of(allowed) == std::string_view::npos;
}

bool has_control(std::string_view text, bool allow_text_controls) {
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b == 0x1B) continue;  // ESC introduces ISO 2022 escape sequences
    if (allow_text_controls && (b == '\r' || b == '\n' || b == '\f' || b == '\t')) continue;
    if (b < 0x20 || b == 0x7F) return true;
  }
  return false;
}

Status check_date_time_like(VR vr, std::string_view value, bool query) {
  auto check_one = [vr](std::string_view v) -> Status {
    if (v.empty()) return {};
    bool ok = false;
    if (vr == VR::DA) ok = ofstd::Date::parse(v).has_value() && v.size() == 8;
    if (vr == VR::TM)
      ok = ofstd::Time::parse(v).has_value() && v.find(':') == std::string_view::npos;
    if (vr == VR::DT) ok = ofstd::DateTime::parse(v).has_value();
    if (!ok) return invalid(vr, v, "not a valid " + std::string(to_string(vr)) + " value");
    return {};
  };
  if (query) {
    // A range "a-b", "-b" or "a-" (PS3.4 §C.2.2.2.5); DT offsets also use '-', so only split
    // DA and TM here, and DT only when the text has a second '-'-free half.
    const auto dash = vr == VR::DT ? std::string_view::npos : value.find('-');
    if (dash != std::string_view::npos) {
      DCMKIT_TRY(check_one(value.substr(0, dash)));
      return check_one(value.substr(dash + 1));
    }
  }
  return check_one(value);
}

}  // namespace

std::size_t count_characters(std::string_view utf8) noexcept {
  std::size_t count = 0;
  for (char c : utf8) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

Status check_text_value(VR vr, std::string_view value, bool query) {
  const VrInfo& info = vr_info(vr);
  if (info.kind != VrKind::Text) return invalid(vr, value, "not a text VR");
  if (info.multi_valued_text && value.find('\\') != std::string_view::npos) {
    return invalid(vr, value, "contains the value delimiter '\\'");
  }
  const std::size_t characters = count_characters(value);
  if (vr != VR::PN && info.max_length != 0 && characters > info.max_length) {
    return invalid(vr, value, "longer than " + std::to_string(info.max_length) + " characters");
  }
  const bool text_controls = vr == VR::LT || vr == VR::ST || vr == VR::UT;
  if (has_control(value, text_controls)) return invalid(vr, value, "contains control characters");
  const bool wildcard = query && value.find_first_of("*?") != std::string_view::npos;
  switch (vr) {
    case VR::AS:
      if (!query && (value.size() != 4 || !only_chars(value.substr(0, 3), "0123456789") ||
                     std::string_view("DWMY").find(value[3]) == std::string_view::npos)) {
        return invalid(vr, value, "expected nnnD, nnnW, nnnM or nnnY");
      }
      return {};
    case VR::CS:
      if (!wildcard && !only_chars(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _")) {
        return invalid(vr, value, "only upper-case letters, digits, space and '_' are allowed");
      }
      return {};
    case VR::DS: {
      const std::string_view t = ofstd::trim(value, " ");
      double d = 0;
      if (!t.empty() && (!only_chars(t, "0123456789+-Ee.") || !ofstd::parse_double(t, d))) {
        return invalid(vr, value, "not a decimal number");
      }
      return {};
    }
    case VR::IS: {
      const std::string_view t = ofstd::trim(value, " ");
      long long i = 0;
      if (!t.empty() && (!ofstd::parse_int(t, i) || i < -2147483648LL || i > 2147483647LL)) {
        return invalid(vr, value, "not an integer in -2^31..2^31-1");
      }
      return {};
    }
    case VR::DA:
    case VR::TM:
    case VR::DT:
      if (wildcard) return {};
      return check_date_time_like(vr, ofstd::trim(value, " "), query);
    case VR::UI:
      if (!value.empty() && !wildcard && !is_valid_uid(value))
        return invalid(vr, value, "not a valid UID");
      return {};
    case VR::PN: {
      const auto groups = ofstd::split(value, '=');
      if (groups.size() > 3) return invalid(vr, value, "more than three component groups");
      for (auto group : groups) {
        if (count_characters(group) > 64) {
          return invalid(vr, value, "a component group is longer than 64 characters");
        }
        if (ofstd::split(group, '^').size() > 5) {
          return invalid(vr, value, "more than five name components");
        }
      }
      return {};
    }
    case VR::UR:
      if (ofstd::trim_right(value, " ").find(' ') != std::string_view::npos) {
        return invalid(vr, value, "a URI cannot contain spaces");
      }
      return {};
    default:
      return {};
  }
}

}  // namespace dcmkit::dcmdata::detail

// SPDX-License-Identifier: BSD-3-Clause
#include "value_text.h"

#include "dcmkit/ofstd/strings.h"

namespace dcmkit::dcmdata::detail {

std::string_view trim_text_value(std::string_view value, VR vr) noexcept {
  constexpr std::string_view kPadding(" \0", 2);
  value = ofstd::trim_right(value, kPadding);
  switch (vr) {
    case VR::AE:
    case VR::CS:
    case VR::DS:
    case VR::IS:
    case VR::LO:
    case VR::SH:
    case VR::DA:
    case VR::TM:
    case VR::DT:
    case VR::AS:
    case VR::UI:
      return ofstd::trim_left(value, kPadding);
    default:
      return value;
  }
}

}  // namespace dcmkit::dcmdata::detail

// SPDX-License-Identifier: BSD-3-Clause
// Private helpers for the text form of values: padding rules per VR (PS3.5 §6.2).
#pragma once

#include <string_view>

#include "dcmkit/dcmdata/vr.h"

namespace dcmkit::dcmdata::detail {

/// Removes the padding and insignificant spaces of one text value: trailing spaces and NULs for
/// every text VR; leading spaces too where PS3.5 Table 6.2-1 calls them insignificant (AE CS DS
/// IS LO SH and the date/time VRs), but not for LT ST UT UC UR PN, whose leading spaces count.
std::string_view trim_text_value(std::string_view value, VR vr) noexcept;

}  // namespace dcmkit::dcmdata::detail

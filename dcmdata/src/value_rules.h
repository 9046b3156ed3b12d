// SPDX-License-Identifier: BSD-3-Clause
// Private: the rules a text value must follow before it is stored (PS3.5 §6.2, Table 6.2-1).
#pragma once

#include <string_view>

#include "dcmkit/dcmdata/vr.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmdata::detail {

/// Checks one value (no backslashes for multi-valued VRs; the caller splits) of VR `vr` given
/// in UTF-8. `query` relaxes the rules for C-FIND keys: wildcards '*' '?' and ranges "a-b" in
/// DA/TM/DT. InvalidArgument says what is wrong.
ofstd::Status check_text_value(VR vr, std::string_view utf8, bool query);

/// Number of characters (UTF-8 code points) in `utf8`; invalid bytes count one each.
std::size_t count_characters(std::string_view utf8) noexcept;

}  // namespace dcmkit::dcmdata::detail

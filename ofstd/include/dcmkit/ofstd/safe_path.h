// SPDX-License-Identifier: BSD-3-Clause
// Turning strings that come from peers (UIDs, AE titles, patient names) into file names that can
// never leave the directory they are joined to.
#pragma once

#include <string>
#include <string_view>

namespace dcmkit::ofstd {

/// A single, safe path component made from untrusted text: never empty, never "." or "..",
/// never containing '/', '\\', NUL, control characters or characters that shells or Windows
/// treat specially (each becomes '_'), never starting with '.' or '-', at most 200 bytes.
/// Distinct inputs can map to the same output; callers that need uniqueness must check for it.
std::string safe_path_component(std::string_view untrusted);

}  // namespace dcmkit::ofstd

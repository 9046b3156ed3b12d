// SPDX-License-Identifier: BSD-3-Clause
// Globally unique DICOM UIDs without a registered root: "2.25." followed by the decimal value of
// a random (version 4) UUID, as PS3.5 §B.2 and ISO/IEC 9834-8 allow.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace dcmkit::ofstd {

/// A new UID "2.25.<up to 39 digits>" (at most 44 characters). Thread-safe.
std::string generate_uid();

/// The "2.25." UID for a given 128-bit UUID (big-endian bytes), e.g. to derive stable UIDs.
std::string uid_from_uuid(const std::array<std::uint8_t, 16>& uuid);

}  // namespace dcmkit::ofstd

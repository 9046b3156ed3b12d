// SPDX-License-Identifier: BSD-3-Clause
// Private parts shared by the XML writer and reader.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dcmkit/dcmdata/element.h"
#include "dcmkit/ofstd/result.h"
#include "item_stream.h"

namespace dcmkit::dcmdata::detail {

/// Base64 (RFC 4648, with padding).
std::string base64_encode(std::span<const std::byte> bytes);
/// Decodes base64, ignoring white space; MalformedData for other characters or bad padding.
ofstd::Result<std::vector<std::byte>> base64_decode(std::string_view text);

/// True for the VRs whose leading spaces dcm2xml drops in each value: AE CS SH LO IS, and DS in
/// the Native model.
bool trims_leading_spaces(VR vr, bool native) noexcept;

/// The values of a text element as dcm2xml writes them (DCMTK format: one string with the
/// values joined by '\\'; Native model: one string per value): an odd value padded with NUL as
/// DCMTK loads it, trailing spaces removed (per value where it also removes leading ones, and in
/// the Native model), spaces removed from UIDs. NULs stay (the escaping leaves them out).
std::vector<std::string> xml_text_values(const Element& e, bool native);

}  // namespace dcmkit::dcmdata::detail

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/vr.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <string_view>

namespace dcmkit::dcmdata {
namespace {

constexpr std::uint32_t kUnbounded = 0;

// PS3.5 Table 6.2-1 (value lengths) and Table 7.1-1/7.1-2 (explicit VR header sizes), in the
// alphabetical order of kAllVRs. Text VRs: maximum characters of one value (PN: per component
// group; DA/DT/TM: outside range matching, which allows 18/54/28). Binary VRs: the fixed size.
// Fields: vr, kind, value_size, long_length, uses_charset, multi_valued_text, padding, max_length.
constexpr std::array<VrInfo, 34> kVrInfos = {{
    {VR::AE, VrKind::Text, 0, false, false, true, ' ', 16},
    {VR::AS, VrKind::Text, 0, false, false, true, ' ', 4},
    {VR::AT, VrKind::Binary, 4, false, false, false, '\0', 4},
    {VR::CS, VrKind::Text, 0, false, false, true, ' ', 16},
    {VR::DA, VrKind::Text, 0, false, false, true, ' ', 8},
    {VR::DS, VrKind::Text, 0, false, false, true, ' ', 16},
    {VR::DT, VrKind::Text, 0, false, false, true, ' ', 26},
    {VR::FD, VrKind::Binary, 8, false, false, false, '\0', 8},
    {VR::FL, VrKind::Binary, 4, false, false, false, '\0', 4},
    {VR::IS, VrKind::Text, 0, false, false, true, ' ', 12},
    {VR::LO, VrKind::Text, 0, false, true, true, ' ', 64},
    {VR::LT, VrKind::Text, 0, false, true, false, ' ', 10240},
    {VR::OB, VrKind::Bulk, 1, true, false, false, '\0', kUnbounded},
    {VR::OD, VrKind::Bulk, 8, true, false, false, '\0', kUnbounded},
    {VR::OF, VrKind::Bulk, 4, true, false, false, '\0', kUnbounded},
    {VR::OL, VrKind::Bulk, 4, true, false, false, '\0', kUnbounded},
    {VR::OV, VrKind::Bulk, 8, true, false, false, '\0', kUnbounded},
    {VR::OW, VrKind::Bulk, 2, true, false, false, '\0', kUnbounded},
    {VR::PN, VrKind::Text, 0, false, true, true, ' ', 64},
    {VR::SH, VrKind::Text, 0, false, true, true, ' ', 16},
    {VR::SL, VrKind::Binary, 4, false, false, false, '\0', 4},
    {VR::SQ, VrKind::Sequence, 0, true, false, false, '\0', kUnbounded},
    {VR::SS, VrKind::Binary, 2, false, false, false, '\0', 2},
    {VR::ST, VrKind::Text, 0, false, true, false, ' ', 1024},
    {VR::SV, VrKind::Binary, 8, true, false, false, '\0', 8},
    {VR::TM, VrKind::Text, 0, false, false, true, ' ', 14},
    {VR::UC, VrKind::Text, 0, true, true, true, ' ', kUnbounded},
    {VR::UI, VrKind::Text, 0, false, false, true, '\0', 64},
    {VR::UL, VrKind::Binary, 4, false, false, false, '\0', 4},
    {VR::UN, VrKind::Bulk, 1, true, false, false, '\0', kUnbounded},
    {VR::UR, VrKind::Text, 0, true, false, false, ' ', kUnbounded},
    {VR::US, VrKind::Binary, 2, false, false, false, '\0', 2},
    {VR::UT, VrKind::Text, 0, true, true, false, ' ', kUnbounded},
    {VR::UV, VrKind::Binary, 8, true, false, false, '\0', 8},
}};

constexpr bool is_sorted_like_all_vrs() {
  for (std::size_t i = 0; i < kVrInfos.size(); ++i) {
    if (kVrInfos[i].vr != kAllVRs[i]) return false;
    if (i > 0 && kAllVRs[i - 1] >= kAllVRs[i]) return false;
  }
  return std::size(kAllVRs) == kVrInfos.size();
}
static_assert(is_sorted_like_all_vrs(), "kVrInfos must follow kAllVRs, which must be sorted");

constexpr std::size_t kUnIndex = 29;
static_assert(kAllVRs[kUnIndex] == VR::UN);

// Position of `vr` in kAllVRs, or nullopt for a value that is none of the 34.
std::optional<std::size_t> index_of(std::uint16_t value) noexcept {
  const auto* it =
      std::lower_bound(std::begin(kAllVRs), std::end(kAllVRs), value,
                       [](VR vr, std::uint16_t v) { return static_cast<std::uint16_t>(vr) < v; });
  if (it == std::end(kAllVRs) || static_cast<std::uint16_t>(*it) != value) return std::nullopt;
  return static_cast<std::size_t>(it - std::begin(kAllVRs));
}

// The 34 two-letter names, indexed like kAllVRs; static storage for to_string().
constexpr std::string_view kNames =
    "AEASATCSDADSDTFDFLISLOLTOBODOFOLOVOWPNSHSLSQSSSTSVTMUCUIULUNURUSUTUV";

}  // namespace

std::optional<VR> vr_from_bytes(std::span<const std::byte, 2> bytes) noexcept {
  const auto value = static_cast<std::uint16_t>((std::to_integer<unsigned>(bytes[0]) << 8) |
                                                std::to_integer<unsigned>(bytes[1]));
  const auto index = index_of(value);
  if (!index) return std::nullopt;
  return kAllVRs[*index];
}

std::optional<VR> vr_from_string(std::string_view text) noexcept {
  if (text.size() != 2) return std::nullopt;
  const auto value = static_cast<std::uint16_t>((static_cast<unsigned char>(text[0]) << 8) |
                                                static_cast<unsigned char>(text[1]));
  const auto index = index_of(value);
  if (!index) return std::nullopt;
  return kAllVRs[*index];
}

std::string_view to_string(VR vr) noexcept {
  const auto index = index_of(static_cast<std::uint16_t>(vr));
  if (!index) return "??";  // only reachable through a cast of an invalid value
  return kNames.substr(2 * *index, 2);
}

const VrInfo& vr_info(VR vr) noexcept {
  const auto index = index_of(static_cast<std::uint16_t>(vr));
  // An invalid value is only reachable through a cast; answer as for UN, the VR of unknown data.
  return kVrInfos[index.value_or(kUnIndex)];
}

}  // namespace dcmkit::dcmdata

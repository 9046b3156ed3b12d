// SPDX-License-Identifier: BSD-3-Clause
// Value Representations (PS3.5 §6.2) and Value Multiplicity, with the per-VR encoding rules the
// reader, the writer and value validation share.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace dcmkit::dcmdata {

/// Value Representation; each value is its two ASCII bytes ('P','N' -> 0x504E).
// clang-format off
enum class VR : std::uint16_t {
  AE = 0x4145, AS = 0x4153, AT = 0x4154, CS = 0x4353, DA = 0x4441, DS = 0x4453, DT = 0x4454,
  FD = 0x4644, FL = 0x464C, IS = 0x4953, LO = 0x4C4F, LT = 0x4C54, OB = 0x4F42, OD = 0x4F44,
  OF = 0x4F46, OL = 0x4F4C, OV = 0x4F56, OW = 0x4F57, PN = 0x504E, SH = 0x5348, SL = 0x534C,
  SQ = 0x5351, SS = 0x5353, ST = 0x5354, SV = 0x5356, TM = 0x544D, UC = 0x5543, UI = 0x5549,
  UL = 0x554C, UN = 0x554E, UR = 0x5552, US = 0x5553, UT = 0x5554, UV = 0x5556,
};
// clang-format on

/// All 34 VRs, in alphabetical order.
inline constexpr VR kAllVRs[] = {
    VR::AE, VR::AS, VR::AT, VR::CS, VR::DA, VR::DS, VR::DT, VR::FD, VR::FL, VR::IS, VR::LO, VR::LT,
    VR::OB, VR::OD, VR::OF, VR::OL, VR::OV, VR::OW, VR::PN, VR::SH, VR::SL, VR::SQ, VR::SS, VR::ST,
    VR::SV, VR::TM, VR::UC, VR::UI, VR::UL, VR::UN, VR::UR, VR::US, VR::UT, VR::UV};

/// The VR named by two bytes, or nullopt if they name none of the 34.
std::optional<VR> vr_from_bytes(std::span<const std::byte, 2> bytes) noexcept;
/// The VR named by text ("PN"), or nullopt.
std::optional<VR> vr_from_string(std::string_view text) noexcept;
/// The two-letter name ("PN").
std::string_view to_string(VR vr) noexcept;

/// How values of a VR are encoded.
enum class VrKind : std::uint8_t {
  Text,      ///< character strings (AE ... UT): backslash-separated, space (UI: NUL) padded
  Binary,    ///< fixed-size binary numbers (AT FD FL SL SS SV UL US UV)
  Bulk,      ///< byte or word streams (OB OD OF OL OV OW UN)
  Sequence,  ///< SQ
};

/// Encoding facts of one VR (PS3.5 Table 6.2-1 and §7.1.2).
struct VrInfo {
  VR vr;
  VrKind kind;
  /// Byte size of one binary value (AT 4, US 2, FD 8 ...), word size for bulk VRs (OW 2, OB 1),
  /// 0 for text and SQ.
  std::uint8_t value_size;
  /// Explicit VR encoding uses 2 reserved bytes and a 32-bit length (PS3.5 Table 7.1-1).
  bool long_length;
  /// Affected by Specific Character Set (SH LO ST LT PN UC UT; PS3.5 §6.1.2.3).
  bool uses_charset;
  /// Multiple values are separated by '\\' (all text VRs except LT, ST, UR, UT).
  bool multi_valued_text;
  /// Padding byte for odd lengths: ' ' for text, '\0' for UI and binary (PS3.5 §6.2).
  char padding;
  /// Maximum length of one value in bytes (characters for text), 0 if unbounded.
  std::uint32_t max_length;
};

/// The encoding facts of `vr`.
const VrInfo& vr_info(VR vr) noexcept;

/// Value Multiplicity of a dictionary entry: min..max values in steps (PS3.5 §6.4).
/// "1" = {1,1,1}, "1-n" = {1,0,1}, "2-2n" = {2,0,2}, "1-3" = {1,3,1}.
struct VM {
  std::uint16_t min = 1;
  std::uint16_t max = 1;  ///< 0 means unbounded ("n")
  std::uint16_t step = 1;

  /// True if `count` values satisfy this VM.
  constexpr bool accepts(std::size_t count) const noexcept {
    if (count < min) return false;
    if (max != 0 && count > max) return false;
    return step <= 1 || (count - min) % step == 0;
  }
  friend constexpr bool operator==(VM, VM) = default;
};

}  // namespace dcmkit::dcmdata

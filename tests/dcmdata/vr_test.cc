// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/vr.h"

#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dcmkit::dcmdata {
namespace {

std::array<std::byte, 2> bytes_of(std::string_view text) {
  return {static_cast<std::byte>(text[0]), static_cast<std::byte>(text[1])};
}

TEST(VrTest, AllThirtyFourVrsRoundTripThroughTextAndBytes) {
  ASSERT_EQ(std::size(kAllVRs), 34u);
  std::set<std::string_view> names;
  for (const VR vr : kAllVRs) {
    const std::string_view name = to_string(vr);
    ASSERT_EQ(name.size(), 2u);
    names.insert(name);
    EXPECT_EQ(vr_from_string(name), vr) << name;
    const auto bytes = bytes_of(name);
    EXPECT_EQ(vr_from_bytes(std::span<const std::byte, 2>(bytes)), vr) << name;
    // The enumerator's value is the two ASCII bytes, big-endian.
    EXPECT_EQ(static_cast<std::uint16_t>(vr),
              (static_cast<unsigned>(name[0]) << 8) | static_cast<unsigned>(name[1]));
    EXPECT_EQ(vr_info(vr).vr, vr);
  }
  EXPECT_EQ(names.size(), 34u);
}

TEST(VrTest, RejectsUnknownNames) {
  using namespace std::string_view_literals;
  for (const std::string_view text :
       {""sv, "P"sv, "PNX"sv, "pn"sv, "Pn"sv, "XX"sv, "ox"sv, "xs"sv, "na"sv, "  "sv, "\0\0"sv}) {
    EXPECT_FALSE(vr_from_string(text).has_value()) << text;
  }
  const auto bytes = bytes_of("QQ");
  EXPECT_FALSE(vr_from_bytes(std::span<const std::byte, 2>(bytes)).has_value());
  const auto low = bytes_of("pn");
  EXPECT_FALSE(vr_from_bytes(std::span<const std::byte, 2>(low)).has_value());
}

TEST(VrTest, KindsFollowTable6_2_1) {
  const std::set<VR> text{VR::AE, VR::AS, VR::CS, VR::DA, VR::DS, VR::DT, VR::IS, VR::LO, VR::LT,
                          VR::PN, VR::SH, VR::ST, VR::TM, VR::UC, VR::UI, VR::UR, VR::UT};
  const std::set<VR> binary{VR::AT, VR::FD, VR::FL, VR::SL, VR::SS, VR::SV, VR::UL, VR::US, VR::UV};
  const std::set<VR> bulk{VR::OB, VR::OD, VR::OF, VR::OL, VR::OV, VR::OW, VR::UN};
  for (const VR vr : kAllVRs) {
    const VrKind kind = vr_info(vr).kind;
    if (text.count(vr) != 0) {
      EXPECT_EQ(kind, VrKind::Text) << to_string(vr);
    } else if (binary.count(vr) != 0) {
      EXPECT_EQ(kind, VrKind::Binary) << to_string(vr);
    } else if (bulk.count(vr) != 0) {
      EXPECT_EQ(kind, VrKind::Bulk) << to_string(vr);
    } else {
      EXPECT_EQ(vr, VR::SQ);
      EXPECT_EQ(kind, VrKind::Sequence);
    }
  }
}

TEST(VrTest, LongLengthVrsFollowTable7_1_1) {
  const std::set<VR> long_length{VR::OB, VR::OD, VR::OF, VR::OL, VR::OV, VR::OW, VR::SQ,
                                 VR::SV, VR::UC, VR::UN, VR::UR, VR::UT, VR::UV};
  for (const VR vr : kAllVRs) {
    EXPECT_EQ(vr_info(vr).long_length, long_length.count(vr) != 0) << to_string(vr);
  }
}

TEST(VrTest, CharacterSetVrsFollowSection6_1_2_3) {
  const std::set<VR> charset{VR::SH, VR::LO, VR::ST, VR::LT, VR::PN, VR::UC, VR::UT};
  for (const VR vr : kAllVRs) {
    EXPECT_EQ(vr_info(vr).uses_charset, charset.count(vr) != 0) << to_string(vr);
  }
}

TEST(VrTest, MaximumLengths) {
  const std::vector<std::pair<VR, std::uint32_t>> expected = {
      {VR::AE, 16}, {VR::AS, 4},  {VR::CS, 16},    {VR::DA, 8},  {VR::DS, 16}, {VR::DT, 26},
      {VR::IS, 12}, {VR::LO, 64}, {VR::LT, 10240}, {VR::PN, 64}, {VR::SH, 16}, {VR::ST, 1024},
      {VR::TM, 14}, {VR::UI, 64}, {VR::UC, 0},     {VR::UR, 0},  {VR::UT, 0},  {VR::OB, 0},
      {VR::OW, 0},  {VR::UN, 0},  {VR::SQ, 0},     {VR::AT, 4},  {VR::US, 2},  {VR::SS, 2},
      {VR::UL, 4},  {VR::SL, 4},  {VR::FL, 4},     {VR::FD, 8},  {VR::SV, 8},  {VR::UV, 8}};
  for (const auto& [vr, max_length] : expected) {
    EXPECT_EQ(vr_info(vr).max_length, max_length) << to_string(vr);
  }
}

TEST(VrTest, ValueSizesAndPadding) {
  EXPECT_EQ(vr_info(VR::AT).value_size, 4);
  EXPECT_EQ(vr_info(VR::US).value_size, 2);
  EXPECT_EQ(vr_info(VR::FD).value_size, 8);
  EXPECT_EQ(vr_info(VR::OW).value_size, 2);
  EXPECT_EQ(vr_info(VR::OB).value_size, 1);
  EXPECT_EQ(vr_info(VR::OF).value_size, 4);
  EXPECT_EQ(vr_info(VR::OD).value_size, 8);
  EXPECT_EQ(vr_info(VR::PN).value_size, 0);
  EXPECT_EQ(vr_info(VR::UI).padding, '\0');
  EXPECT_EQ(vr_info(VR::PN).padding, ' ');
  EXPECT_EQ(vr_info(VR::OB).padding, '\0');
  for (const VR vr : kAllVRs) {
    const VrInfo& info = vr_info(vr);
    if (info.kind == VrKind::Binary) {
      EXPECT_EQ(info.max_length, info.value_size) << to_string(vr);
    }
    if (info.kind == VrKind::Text && vr != VR::UI) {
      EXPECT_EQ(info.padding, ' ') << to_string(vr);
    }
  }
}

TEST(VrTest, MultiValuedTextExcludesTextVrs) {
  for (const VR vr : kAllVRs) {
    const VrInfo& info = vr_info(vr);
    const bool single = vr == VR::LT || vr == VR::ST || vr == VR::UR || vr == VR::UT;
    EXPECT_EQ(info.multi_valued_text, info.kind == VrKind::Text && !single) << to_string(vr);
  }
}

TEST(VrTest, InvalidEnumValueDegradesToUnknown) {
  const auto invalid = static_cast<VR>(0x4142);  // "AB"
  EXPECT_EQ(to_string(invalid), "??");
  EXPECT_EQ(vr_info(invalid).vr, VR::UN);
}

TEST(VmTest, AcceptsCounts) {
  constexpr VM one{1, 1, 1};
  constexpr VM one_to_n{1, 0, 1};
  constexpr VM two_to_2n{2, 0, 2};
  constexpr VM one_to_three{1, 3, 1};
  EXPECT_TRUE(one.accepts(1));
  EXPECT_FALSE(one.accepts(0));
  EXPECT_FALSE(one.accepts(2));
  EXPECT_TRUE(one_to_n.accepts(1000));
  EXPECT_FALSE(one_to_n.accepts(0));
  EXPECT_TRUE(two_to_2n.accepts(4));
  EXPECT_FALSE(two_to_2n.accepts(3));
  EXPECT_TRUE(one_to_three.accepts(3));
  EXPECT_FALSE(one_to_three.accepts(4));
}

}  // namespace
}  // namespace dcmkit::dcmdata

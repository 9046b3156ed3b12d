// SPDX-License-Identifier: BSD-3-Clause
// DCMTK's association profile files: lists resolved to UIDs, DCMTK's names, keywords and dotted
// UIDs, numbered keys in number order, role selections, and clear errors for broken files.
#include "dcmkit/dcmnet/association_profile.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace dcmkit::dcmnet {
namespace {

constexpr const char* kConfig = R"(# a comment
[[TransferSyntaxes]]
[Uncompressed]
TransferSyntax2 = LittleEndianImplicit
TransferSyntax1 = LittleEndianExplicit
[JPEG]
TransferSyntax1 = JPEGLossless:Non-hierarchical-1stOrderPrediction
TransferSyntax2 = 1.2.840.10008.1.2.4.50

[[PresentationContexts]]
[Images]
PresentationContext1 = CTImageStorage\Uncompressed
PresentationContext2 = MRImageStorage\jpeg
PresentationContext3 = 1.2.840.10008.5.1.4.1.1.7\Uncompressed

[[SCPSCURoleSelection]]
[Roles]
Role1 = CTImageStorage\BOTH
Role2 = MRImageStorage\SCP

[[Profiles]]
[Default]
PresentationContexts = Images
SCPSCURoleSelection = Roles
[Broken]
PresentationContexts = Missing
)";

TEST(AssociationProfileTest, ResolvesListsToUids) {
  auto profile = parse_association_profile(kConfig, "default");
  ASSERT_TRUE(profile.has_value()) << profile.error().to_string();
  ASSERT_EQ(profile->contexts.size(), 3u);
  EXPECT_EQ(profile->contexts[0], (ProfileContext{"1.2.840.10008.5.1.4.1.1.2",
                                                  {"1.2.840.10008.1.2.1", "1.2.840.10008.1.2"}}));
  EXPECT_EQ(profile->contexts[1],
            (ProfileContext{"1.2.840.10008.5.1.4.1.1.4",
                            {"1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.50"}}));
  EXPECT_EQ(profile->contexts[2].abstract_syntax, "1.2.840.10008.5.1.4.1.1.7");
  ASSERT_EQ(profile->roles.size(), 2u);
  EXPECT_EQ(profile->roles[0], (RoleSelection{"1.2.840.10008.5.1.4.1.1.2", true, true}));
  EXPECT_EQ(profile->roles[1], (RoleSelection{"1.2.840.10008.5.1.4.1.1.4", false, true}));
}

TEST(AssociationProfileTest, NamesAsDcmtkWritesThem) {
  EXPECT_EQ(*uid_from_profile_name("LittleEndianExplicit"), "1.2.840.10008.1.2.1");
  EXPECT_EQ(*uid_from_profile_name("JPEGExtended:Process2+4"), "1.2.840.10008.1.2.4.51");
  EXPECT_EQ(*uid_from_profile_name("LocalEndianExplicit"), "1.2.840.10008.1.2.1");
  EXPECT_EQ(*uid_from_profile_name("ExplicitVRBigEndian"), "1.2.840.10008.1.2.2");  // keyword
  EXPECT_EQ(*uid_from_profile_name(" 1.2.3.4 "), "1.2.3.4");
  EXPECT_FALSE(uid_from_profile_name("NoSuchSyntax").has_value());
}

TEST(AssociationProfileTest, ErrorsNameTheProblem) {
  auto missing = parse_association_profile(kConfig, "Nope");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), ofstd::ErrorCode::NotFound);
  auto broken = parse_association_profile(kConfig, "Broken");
  ASSERT_FALSE(broken.has_value());
  EXPECT_NE(broken.error().message().find("Missing"), std::string::npos);
  auto unknown = parse_association_profile(
      "[[TransferSyntaxes]]\n[T]\nTransferSyntax1 = Bogus\n[[PresentationContexts]]\n[P]\n"
      "PresentationContext1 = CTImageStorage\\T\n[[Profiles]]\n[X]\nPresentationContexts = P\n",
      "X");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error().message().find("line 3"), std::string::npos)
      << unknown.error().message();
  EXPECT_NE(unknown.error().message().find("Bogus"), std::string::npos);
  for (const char* bad :
       {"[[Profiles]\n", "key = value\n", "[[Profiles]]\n[X]\nno equals\n",
        "[[Profiles]]\n[X]\nPresentationContexts = \n",
        "[[Profiles]]\n[X]\nExtendedNegotiation = E\nPresentationContexts = P\n"}) {
    EXPECT_FALSE(parse_association_profile(bad, "X").has_value()) << bad;
  }
  EXPECT_FALSE(load_association_profile("/nonexistent/file.cfg", "Default").has_value());
}

TEST(AssociationProfileTest, ExtendedNegotiationAsHexBytes) {
  const std::string base =
      "[[TransferSyntaxes]]\n[T]\nTransferSyntax1 = LittleEndianExplicit\n"
      "[[PresentationContexts]]\n[P]\nPresentationContext1 = CTImageStorage\\T\n"
      "[[Profiles]]\n[X]\nPresentationContexts = P\nExtendedNegotiation = E\n"
      "[[ExtendedNegotiation]]\n[E]\n";
  auto profile =
      parse_association_profile(base +
                                    "ExtendedNegotiation2 = 1.2.840.10008.5.1.4.1.1.4\\ABcd\n"
                                    "ExtendedNegotiation1 = CTImageStorage\\0102ff\n",
                                "X");
  ASSERT_TRUE(profile.has_value()) << profile.error().to_string();
  ASSERT_EQ(profile->extended_negotiation.size(), 2u);
  EXPECT_EQ(profile->extended_negotiation[0],
            (ExtendedNegotiation{"1.2.840.10008.5.1.4.1.1.2",
                                 {std::byte{0x01}, std::byte{0x02}, std::byte{0xff}}}));
  EXPECT_EQ(profile->extended_negotiation[1],
            (ExtendedNegotiation{"1.2.840.10008.5.1.4.1.1.4", {std::byte{0xab}, std::byte{0xcd}}}));
  // DCMTK refuses the same: odd digit counts, prefixes, spaces, other characters, nothing.
  for (const char* bad : {"abc", "0x0102", "01 02", "zz", "", "nobackslash"}) {
    const std::string value = std::string(bad) == "nobackslash"
                                  ? std::string("CTImageStorage")
                                  : std::string("CTImageStorage\\") + bad;
    auto parsed = parse_association_profile(base + "ExtendedNegotiation1 = " + value + "\n", "X");
    ASSERT_FALSE(parsed.has_value()) << bad;
    EXPECT_EQ(parsed.error().code(), ofstd::ErrorCode::MalformedData) << bad;
  }
  auto twice = parse_association_profile(
      base +
          "ExtendedNegotiation1 = CTImageStorage\\01\nExtendedNegotiation2 = CTImageStorage\\02\n",
      "X");
  ASSERT_FALSE(twice.has_value());
  EXPECT_NE(twice.error().message().find("second extended negotiation"), std::string::npos);
  auto missing = parse_association_profile(
      "[[TransferSyntaxes]]\n[T]\nTransferSyntax1 = LittleEndianExplicit\n"
      "[[PresentationContexts]]\n[P]\nPresentationContext1 = CTImageStorage\\T\n"
      "[[Profiles]]\n[X]\nPresentationContexts = P\nExtendedNegotiation = E\n",
      "X");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), ofstd::ErrorCode::NotFound);
}

TEST(AssociationProfileTest, ReadsDcmtksShippedFiles) {
  // Debian's dcmtk installs DCMTK's own sample files; both must be read completely.
  for (const auto& [path, profile, at_least] : {std::tuple<const char*, const char*, std::size_t>{
                                                    "/etc/dcmtk/storescu.cfg", "Default", 100},
                                                {"/etc/dcmtk/storescp.cfg", "Default", 100},
                                                {"/etc/dcmtk/storescp.cfg", "AllDICOM", 100}}) {
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "DCMTK's sample files are not installed";
    auto parsed = load_association_profile(path, profile);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().to_string();
    EXPECT_GE(parsed->contexts.size(), at_least) << path;
  }
}

}  // namespace
}  // namespace dcmkit::dcmnet

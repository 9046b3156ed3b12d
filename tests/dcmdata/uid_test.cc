// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/uid.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <unordered_set>

#include "dcmkit/dcmdata/dict/uids.h"

namespace dcmkit::dcmdata {
namespace {

TEST(UidTest, ParsesValidUids) {
  for (const std::string_view text :
       {"1.2.840.10008.1.2.1", "0", "1", "0.0", "2.25.0", "1.20.300.4000",
        "2.25.277396592795109285110496969364766898315"}) {
    const auto uid = Uid::parse(text);
    ASSERT_TRUE(uid.has_value()) << text;
    EXPECT_EQ(uid->str(), text);
    EXPECT_EQ(uid->size(), text.size());
  }
  const std::string longest = "1." + std::string(62, '9');
  ASSERT_EQ(longest.size(), 64u);
  EXPECT_TRUE(Uid::parse(longest).has_value());
}

TEST(UidTest, RejectsInvalidUids) {
  const std::string too_long = "1." + std::string(63, '9');
  for (const std::string_view text :
       {std::string_view(""), std::string_view("."), std::string_view("1."), std::string_view(".1"),
        std::string_view("1..2"), std::string_view("01.2"), std::string_view("1.02"),
        std::string_view("1.2.00"), std::string_view("1.2a"), std::string_view("1.2 "),
        std::string_view(" 1.2"), std::string_view("1,2"), std::string_view("1.-2"),
        std::string_view("1.2\0", 4), std::string_view(too_long)}) {
    const auto uid = Uid::parse(text);
    ASSERT_FALSE(uid.has_value()) << '"' << text << '"';
    EXPECT_EQ(uid.error().code(), ofstd::ErrorCode::MalformedData);
    EXPECT_FALSE(is_valid_uid(text));
  }
}

TEST(UidTest, ErrorMessagesSayWhatIsWrong) {
  EXPECT_NE(Uid::parse("1.02").error().message().find("leading zero"), std::string::npos);
  EXPECT_NE(Uid::parse("1..2").error().message().find("empty component"), std::string::npos);
  EXPECT_NE(Uid::parse("1.x").error().message().find("character"), std::string::npos);
  EXPECT_NE(Uid::parse(std::string(65, '1')).error().message().find("64"), std::string::npos);
  EXPECT_NE(Uid::parse("").error().message().find("empty"), std::string::npos);
}

TEST(UidTest, FromValueRemovesPadding) {
  EXPECT_EQ(Uid::from_value(std::string_view("1.2.3\0", 6)).value().str(), "1.2.3");
  EXPECT_EQ(Uid::from_value("1.2.3 ").value().str(), "1.2.3");
  EXPECT_EQ(Uid::from_value(std::string_view("1.2.3 \0\0", 8)).value().str(), "1.2.3");
  EXPECT_EQ(Uid::from_value("1.2.34").value().str(), "1.2.34");
  // Padding does not count towards the 64 characters.
  EXPECT_TRUE(Uid::from_value("1." + std::string(62, '9') + '\0').has_value());
  // Only trailing padding is removed; everything else must be a valid UID.
  EXPECT_FALSE(Uid::from_value(" 1.2.3").has_value());
  EXPECT_FALSE(Uid::from_value(std::string_view("\0", 1)).has_value());
  EXPECT_FALSE(Uid::from_value("").has_value());
  EXPECT_FALSE(Uid::from_value(std::string_view("1.2\0.3", 6)).has_value());
}

TEST(UidTest, CompileTimeConstantsAndComparison) {
  constexpr Uid ct{"1.2.840.10008.5.1.4.1.1.2"};
  static_assert(ct.str() == "1.2.840.10008.5.1.4.1.1.2");
  static_assert(ct == uids::CTImageStorage);
  EXPECT_EQ(Uid::parse("1.2.840.10008.5.1.4.1.1.2").value(), ct);
  EXPECT_LT(Uid{"1.2"}, Uid{"1.3"});
  EXPECT_TRUE(Uid().empty());
  std::unordered_set<Uid> set{ct, uids::CTImageStorage, uids::MRImageStorage};
  EXPECT_EQ(set.size(), 2u);
}

}  // namespace
}  // namespace dcmkit::dcmdata

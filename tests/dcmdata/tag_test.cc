// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/tag.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string_view>
#include <unordered_set>

namespace dcmkit::dcmdata {
namespace {

TEST(TagTest, ParsesParenthesizedForm) {
  const auto tag = Tag::parse("(0010,0010)");
  ASSERT_TRUE(tag.has_value());
  EXPECT_EQ(*tag, Tag(0x0010, 0x0010));
}

TEST(TagTest, ParsesCommaAndCompactForms) {
  EXPECT_EQ(Tag::parse("7fe0,0010").value(), Tag(0x7FE0, 0x0010));
  EXPECT_EQ(Tag::parse("7FE00010").value(), Tag(0x7FE0, 0x0010));
  EXPECT_EQ(Tag::parse("(FFFE,e0dd)").value(), kSequenceDelimitationTag);
  EXPECT_EQ(Tag::parse("00000000").value(), Tag(0, 0));
  EXPECT_EQ(Tag::parse("(ffff,ffff)").value(), Tag(0xFFFF, 0xFFFF));
}

TEST(TagTest, RejectsMalformedText) {
  for (const std::string_view text : {"",
                                      "(",
                                      "()",
                                      "(0010,0010",
                                      "0010,0010)",
                                      "(0010;0010)",
                                      "(010,0010)",
                                      "(00100,010)",
                                      "(0010,00100)",
                                      "0010001",
                                      "001000100",
                                      "(00100010)",
                                      "(0010,001G)",
                                      "0x10,0x10",
                                      " (0010,0010)",
                                      "(0010,0010) ",
                                      "(0010, 0010)",
                                      "-010,0010",
                                      "(+010,0010)",
                                      "PatientName"}) {
    const auto tag = Tag::parse(text);
    ASSERT_FALSE(tag.has_value()) << '"' << text << '"';
    EXPECT_EQ(tag.error().code(), ofstd::ErrorCode::MalformedData);
  }
}

TEST(TagTest, ErrorMessageShowsShortenedInput) {
  const auto tag = Tag::parse(std::string(100, 'x'));
  ASSERT_FALSE(tag.has_value());
  EXPECT_NE(tag.error().message().find("xxx..."), std::string::npos);
  EXPECT_LT(tag.error().message().size(), 120u);
}

TEST(TagTest, FormatsLowerCaseHex) {
  EXPECT_EQ(Tag(0x7FE0, 0x0010).to_string(), "(7fe0,0010)");
  EXPECT_EQ(Tag(0x0008, 0x103E).to_string(), "(0008,103e)");
  EXPECT_EQ(Tag().to_string(), "(0000,0000)");
  EXPECT_EQ(Tag(0xFFFF, 0xFFFF).to_string(), "(ffff,ffff)");
}

TEST(TagTest, RoundTripsThroughText) {
  for (const std::uint32_t value : {0x00000000u, 0x00100010u, 0x7FE00010u, 0xABCDEF01u}) {
    const Tag tag = Tag::from_u32(value);
    EXPECT_EQ(Tag::parse(tag.to_string()).value(), tag);
  }
}

TEST(TagTest, OrdersByGroupThenElement) {
  EXPECT_LT(Tag(0x0008, 0xFFFF), Tag(0x0010, 0x0000));
  EXPECT_LT(Tag(0x0010, 0x0010), Tag(0x0010, 0x0020));
  EXPECT_EQ(Tag::from_u32(0x00100020).to_u32(), 0x00100020u);
  std::unordered_set<Tag> set{Tag(1, 2), Tag(1, 2), Tag(2, 1)};
  EXPECT_EQ(set.size(), 2u);
}

TEST(TagTest, ClassifiesPrivateGroupLengthAndCreators) {
  EXPECT_TRUE(Tag(0x0009, 0x0010).is_private());
  EXPECT_TRUE(Tag(0x0009, 0x0010).is_private_creator());
  EXPECT_FALSE(Tag(0x0009, 0x1000).is_private_creator());
  EXPECT_EQ(Tag(0x0009, 0x1012).private_creator(), Tag(0x0009, 0x0010));
  for (const std::uint16_t group :
       std::initializer_list<std::uint16_t>{0x0001, 0x0003, 0x0005, 0x0007, 0xFFFF, 0x0010}) {
    EXPECT_FALSE(Tag(group, 0x0010).is_private()) << group;
  }
  EXPECT_TRUE(Tag(0x0008, 0x0000).is_group_length());
  EXPECT_TRUE(Tag(0x0002, 0x0010).is_meta());
  EXPECT_TRUE(Tag(0x0000, 0x0100).is_command());
  EXPECT_TRUE(kItemTag.is_item_or_delimiter());
}

}  // namespace
}  // namespace dcmkit::dcmdata

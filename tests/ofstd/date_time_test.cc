// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/ofstd/date_time.h"

#include <gtest/gtest.h>

namespace dcmkit::ofstd {
namespace {

TEST(DateTest, ParsesDicomAndAcrNemaForms) {
  auto d = Date::parse("20240229");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->year, 2024);
  EXPECT_EQ(d->month, 2);
  EXPECT_EQ(d->day, 29);
  EXPECT_EQ(d->to_dicom(), "20240229");
  EXPECT_EQ(d->to_iso(), "2024-02-29");
  auto old = Date::parse("1993.08.22");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->to_dicom(), "19930822");
}

TEST(DateTest, RejectsImpossibleDates) {
  EXPECT_FALSE(Date::parse("20230229"));
  EXPECT_FALSE(Date::parse("20231301"));
  EXPECT_FALSE(Date::parse("2023011"));
  EXPECT_FALSE(Date::parse("2023-01-01"));
  const auto r = Date::parse("abc");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::MalformedData);
  EXPECT_EQ(days_in_month(1900, 2), 28);
  EXPECT_EQ(days_in_month(2000, 2), 29);
}

TEST(TimeTest, ParsesPartialAndFractionalTimes) {
  auto t = Time::parse("070907.0705");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->hour, 7);
  EXPECT_EQ(t->minute, 9);
  EXPECT_EQ(t->second, 7);
  EXPECT_EQ(t->microsecond, 70500);
  EXPECT_EQ(t->to_dicom(), "070907.0705");
  auto hm = Time::parse("1010");
  ASSERT_TRUE(hm);
  EXPECT_EQ(hm->components, 2);
  EXPECT_EQ(hm->to_dicom(), "1010");
  auto acr = Time::parse("10:20:30.5");
  ASSERT_TRUE(acr);
  EXPECT_EQ(acr->to_dicom(), "102030.5");
}

TEST(TimeTest, RejectsBadTimes) {
  EXPECT_FALSE(Time::parse("2500"));
  EXPECT_FALSE(Time::parse("101"));
  EXPECT_FALSE(Time::parse("1010.5"));
  EXPECT_FALSE(Time::parse("101010.1234567"));
  EXPECT_FALSE(Time::parse("10:2030"));
  EXPECT_FALSE(Time::parse(""));
}

TEST(DateTimeTest, ParsesWithOffset) {
  auto dt = DateTime::parse("20240102030405.123456-0500");
  ASSERT_TRUE(dt);
  EXPECT_EQ(dt->date.day, 2);
  EXPECT_TRUE(dt->has_time);
  EXPECT_EQ(dt->time.second, 5);
  ASSERT_TRUE(dt->utc_offset_minutes);
  EXPECT_EQ(*dt->utc_offset_minutes, -300);
  EXPECT_EQ(dt->to_dicom(), "20240102030405.123456-0500");
  auto year = DateTime::parse("2024");
  ASSERT_TRUE(year);
  EXPECT_EQ(year->to_dicom(), "2024");
  EXPECT_FALSE(DateTime::parse("2024010"));
  EXPECT_FALSE(DateTime::parse("20240101+05"));
  EXPECT_FALSE(DateTime::parse("20240101.5"));
}

TEST(DateTimeTest, NowIsValid) {
  const DateTime now = now_local();
  EXPECT_TRUE(now.date.is_valid());
  EXPECT_TRUE(DateTime::parse(now.to_dicom()));
}

}  // namespace
}  // namespace dcmkit::ofstd

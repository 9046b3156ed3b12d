// SPDX-License-Identifier: BSD-3-Clause
// Calendar value types and their DICOM text forms (DA, TM, DT: PS3.5 §6.2), plus the clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dcmkit/ofstd/result.h"

namespace dcmkit::ofstd {

/// A calendar date. DICOM DA is "YYYYMMDD"; the old ACR-NEMA form "YYYY.MM.DD" is also read.
struct Date {
  int year = 0;
  int month = 0;  ///< 1..12
  int day = 0;    ///< 1..31 (checked against the month and leap years)

  /// Parses DA text; MalformedData names what is wrong.
  static Result<Date> parse(std::string_view text);
  /// "YYYYMMDD".
  std::string to_dicom() const;
  /// "YYYY-MM-DD".
  std::string to_iso() const;
  bool is_valid() const noexcept;
  friend bool operator==(const Date&, const Date&) = default;
  friend auto operator<=>(const Date&, const Date&) = default;
};

/// A time of day with the precision it was written with. DICOM TM is "HH[MM[SS[.F{1,6}]]]";
/// the old form "HH:MM:SS.frac" is also read.
struct Time {
  int hour = 0;
  int minute = 0;
  int second = 0;               ///< 0..60 (a leap second is allowed)
  int microsecond = 0;          ///< 0..999999
  int fraction_digits = -1;     ///< digits written after '.', or -1 for none
  std::uint8_t components = 3;  ///< 1 = HH, 2 = HHMM, 3 = HHMMSS written

  static Result<Time> parse(std::string_view text);
  /// Writes as many components as were parsed (or all, with `fraction_digits` digits).
  std::string to_dicom() const;
  friend bool operator==(const Time&, const Time&) = default;
};

/// A date and time with optional UTC offset. DICOM DT is "YYYY[MM[DD[HH[MM[SS[.F]]]]]][&ZZXX]".
struct DateTime {
  Date date;
  Time time;
  std::uint8_t date_components = 3;  ///< 1 = YYYY, 2 = YYYYMM, 3 = YYYYMMDD written
  bool has_time = false;
  std::optional<int> utc_offset_minutes;

  static Result<DateTime> parse(std::string_view text);
  std::string to_dicom() const;
  friend bool operator==(const DateTime&, const DateTime&) = default;
};

/// The current local date and time, with microseconds and the local UTC offset.
DateTime now_local();

/// Days in the given month (1..12) of the given year.
int days_in_month(int year, int month) noexcept;

}  // namespace dcmkit::ofstd

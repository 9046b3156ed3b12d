// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/ofstd/date_time.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace dcmkit::ofstd {
namespace {

bool all_digits(std::string_view text) noexcept {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return !text.empty();
}

int to_int(std::string_view digits) noexcept {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

Error malformed(std::string_view kind, std::string_view text, std::string_view why) {
  return Error(ErrorCode::MalformedData, "invalid " + std::string(kind) + " \"" +
                                             std::string(text) + "\": " + std::string(why));
}

std::string two(int v) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%02d", v);
  return buffer;
}

}  // namespace

int days_in_month(int year, int month) noexcept {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

bool Date::is_valid() const noexcept {
  return year >= 0 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= days_in_month(year, month);
}

Result<Date> Date::parse(std::string_view text) {
  Date date;
  if (text.size() == 8 && all_digits(text)) {
    date = Date{to_int(text.substr(0, 4)), to_int(text.substr(4, 2)), to_int(text.substr(6, 2))};
  } else if (text.size() == 10 && text[4] == '.' && text[7] == '.' &&
             all_digits(text.substr(0, 4)) && all_digits(text.substr(5, 2)) &&
             all_digits(text.substr(8, 2))) {
    // ACR-NEMA 2.0 form, still written by old archives.
    date = Date{to_int(text.substr(0, 4)), to_int(text.substr(5, 2)), to_int(text.substr(8, 2))};
  } else {
    return malformed("date", text, "expected YYYYMMDD");
  }
  if (!date.is_valid()) return malformed("date", text, "no such day");
  return date;
}

std::string Date::to_dicom() const {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d%02d%02d", year, month, day);
  return buffer;
}

std::string Date::to_iso() const {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  return buffer;
}

Result<Time> Time::parse(std::string_view text) {
  Time time;
  std::string_view rest = text;
  std::string_view fraction;
  if (const auto dot = rest.find('.'); dot != std::string_view::npos) {
    fraction = rest.substr(dot + 1);
    rest = rest.substr(0, dot);
    if (fraction.empty() || fraction.size() > 6 || !all_digits(fraction)) {
      return malformed("time", text, "fraction must be 1 to 6 digits");
    }
  }
  std::string compact;
  if (rest.find(':') != std::string_view::npos) {
    // ACR-NEMA "HH:MM" or "HH:MM:SS": colons exactly between two-digit groups.
    if ((rest.size() != 5 && rest.size() != 8) || rest[2] != ':' ||
        (rest.size() == 8 && rest[5] != ':')) {
      return malformed("time", text, "expected HH:MM[:SS]");
    }
    for (char c : rest) {
      if (c != ':') compact += c;
    }
    rest = compact;
  }
  if (!all_digits(rest) || (rest.size() != 2 && rest.size() != 4 && rest.size() != 6)) {
    return malformed("time", text, "expected HH, HHMM or HHMMSS");
  }
  if (!fraction.empty() && rest.size() != 6) {
    return malformed("time", text, "a fraction needs seconds");
  }
  time.components = static_cast<std::uint8_t>(rest.size() / 2);
  time.hour = to_int(rest.substr(0, 2));
  if (rest.size() >= 4) time.minute = to_int(rest.substr(2, 2));
  if (rest.size() >= 6) time.second = to_int(rest.substr(4, 2));
  if (time.hour > 23 || time.minute > 59 || time.second > 60) {
    return malformed("time", text, "component out of range");
  }
  if (!fraction.empty()) {
    time.fraction_digits = static_cast<int>(fraction.size());
    int micro = to_int(fraction);
    for (std::size_t i = fraction.size(); i < 6; ++i) micro *= 10;
    time.microsecond = micro;
  }
  return time;
}

std::string Time::to_dicom() const {
  std::string out = two(hour);
  if (components >= 2) out += two(minute);
  if (components >= 3) out += two(second);
  if (components >= 3 && fraction_digits > 0) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%06d", microsecond);
    out += '.';
    out.append(buffer, static_cast<std::size_t>(fraction_digits > 6 ? 6 : fraction_digits));
  }
  return out;
}

Result<DateTime> DateTime::parse(std::string_view text) {
  DateTime dt;
  std::string_view rest = text;
  // The offset suffix is "+HHMM" or "-HHMM" (a '-' cannot appear elsewhere in DT).
  if (const auto sign = rest.find_first_of("+-"); sign != std::string_view::npos) {
    const std::string_view offset = rest.substr(sign + 1);
    if (offset.size() != 4 || !all_digits(offset)) {
      return malformed("date time", text, "UTC offset must be &HHMM");
    }
    const int hours = to_int(offset.substr(0, 2));
    const int minutes = to_int(offset.substr(2, 2));
    if (hours > 14 || minutes > 59) return malformed("date time", text, "UTC offset out of range");
    const int total = hours * 60 + minutes;
    dt.utc_offset_minutes = rest[sign] == '-' ? -total : total;
    rest = rest.substr(0, sign);
  }
  const auto dot = rest.find('.');
  const std::string_view digits_part = rest.substr(0, dot);
  if (!all_digits(digits_part) || digits_part.size() < 4 || digits_part.size() > 14 ||
      digits_part.size() % 2 != 0) {
    return malformed("date time", text, "expected YYYY[MM[DD[HH[MM[SS[.F]]]]]]");
  }
  dt.date.year = to_int(digits_part.substr(0, 4));
  dt.date.month = 1;
  dt.date.day = 1;
  dt.date_components = 1;
  if (digits_part.size() >= 6) {
    dt.date.month = to_int(digits_part.substr(4, 2));
    dt.date_components = 2;
  }
  if (digits_part.size() >= 8) {
    dt.date.day = to_int(digits_part.substr(6, 2));
    dt.date_components = 3;
  }
  if (!dt.date.is_valid()) return malformed("date time", text, "no such day");
  if (digits_part.size() > 8) {
    if (dot != std::string_view::npos && digits_part.size() != 14) {
      return malformed("date time", text, "a fraction needs seconds");
    }
    auto time = Time::parse(rest.substr(8));
    if (!time) return malformed("date time", text, time.error().message());
    dt.time = *time;
    dt.has_time = true;
  } else if (dot != std::string_view::npos) {
    return malformed("date time", text, "a fraction needs seconds");
  }
  return dt;
}

std::string DateTime::to_dicom() const {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d", date.year);
  std::string out = buffer;
  if (date_components >= 2) out += two(date.month);
  if (date_components >= 3) out += two(date.day);
  if (has_time) out += time.to_dicom();
  if (utc_offset_minutes) {
    const int total = *utc_offset_minutes;
    const int magnitude = total < 0 ? -total : total;
    out += total < 0 ? '-' : '+';
    out += two(magnitude / 60) + two(magnitude % 60);
  }
  return out;
}

DateTime now_local() {
  const auto now = std::chrono::system_clock::now();
  const auto since_epoch = now.time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(since_epoch - seconds);
  const std::time_t t = static_cast<std::time_t>(seconds.count());
  std::tm local{};
  localtime_r(&t, &local);
  DateTime dt;
  dt.date = Date{local.tm_year + 1900, local.tm_mon + 1, local.tm_mday};
  dt.time.hour = local.tm_hour;
  dt.time.minute = local.tm_min;
  dt.time.second = local.tm_sec;
  dt.time.microsecond = static_cast<int>(micros.count());
  dt.time.fraction_digits = 6;
  dt.has_time = true;
  dt.utc_offset_minutes = static_cast<int>(local.tm_gmtoff / 60);
  return dt;
}

}  // namespace dcmkit::ofstd

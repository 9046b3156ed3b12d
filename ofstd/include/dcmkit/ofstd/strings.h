// SPDX-License-Identifier: BSD-3-Clause
// Small string helpers that std lacks: trimming, DICOM's backslash splitting, ASCII case folding.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dcmkit::ofstd {

/// Removes leading and trailing characters found in `chars` (default: space, NUL, tab, CR, LF).
std::string_view trim(std::string_view text,
                      std::string_view chars = std::string_view(" \0\t\r\n", 5));
std::string_view trim_left(std::string_view text,
                           std::string_view chars = std::string_view(" \0\t\r\n", 5));
std::string_view trim_right(std::string_view text,
                            std::string_view chars = std::string_view(" \0\t\r\n", 5));

/// Splits on `separator` (DICOM's value delimiter is '\\'); "" yields one empty part, "a\\" two.
std::vector<std::string_view> split(std::string_view text, char separator = '\\');

/// Joins parts with `separator`.
std::string join(const std::vector<std::string>& parts, std::string_view separator);

/// ASCII case-insensitive equality (DICOM keywords, option values).
bool iequals(std::string_view a, std::string_view b) noexcept;

/// ASCII upper/lower case copies; other bytes are kept.
std::string to_upper(std::string_view text);
std::string to_lower(std::string_view text);

/// True if `text` starts with / ends with `part`.
constexpr bool starts_with(std::string_view text, std::string_view part) noexcept {
  return text.substr(0, part.size()) == part;
}
constexpr bool ends_with(std::string_view text, std::string_view part) noexcept {
  return text.size() >= part.size() && text.substr(text.size() - part.size()) == part;
}

/// Matches `text` against a shell-style wildcard pattern with '*' and '?'.
bool wildcard_match(std::string_view pattern, std::string_view text) noexcept;

/// Parses a whole decimal unsigned integer with no sign, spaces or overflow; false otherwise.
bool parse_uint(std::string_view text, unsigned long long& out) noexcept;
/// Parses a whole decimal signed integer (optional '+' or '-'); false otherwise.
bool parse_int(std::string_view text, long long& out) noexcept;
/// Parses a whole floating-point number (C locale, strtod syntax); false otherwise.
bool parse_double(std::string_view text, double& out) noexcept;

}  // namespace dcmkit::ofstd

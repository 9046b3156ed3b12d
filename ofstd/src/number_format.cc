// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/ofstd/number_format.h"

#include <cmath>
#include <cstdio>

namespace dcmkit::ofstd {

namespace {

// The decimal digits of the whole number `integer` (0 gives ""), taken one modf() at a time from
// the least significant end, with the small bias that keeps 356/10 from giving digit 5.999...
std::string integer_digits(double integer) {
  std::string reversed;
  while (integer != 0) {
    const double tenth = std::modf(integer / 10, &integer);
    reversed.push_back(static_cast<char>('0' + static_cast<int>((tenth + .01) * 10)));
  }
  return {reversed.rbegin(), reversed.rend()};
}

// Adds one unit in the last place of `text` (digits and at most one '.'). True when the carry
// ran out of the front: the caller prepends a '1'.
bool round_up(std::string& text) {
  for (std::size_t i = text.size(); i-- > 0;) {
    if (text[i] == '.') continue;
    if (text[i] < '9') {
      ++text[i];
      return false;
    }
    text[i] = '0';
  }
  return true;
}

}  // namespace

std::string format_significant(double value, int precision) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  if (precision <= 0) precision = 1;
  const bool negative = value < 0;
  const double magnitude = negative ? -value : value;
  double integer = 0;
  double fraction = std::modf(magnitude, &integer);
  const std::string digits = integer_digits(integer);
  const auto count = static_cast<int>(digits.size());
  if (count > precision || (count == 0 && fraction != 0 && fraction < .0001)) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*G", precision, value);
    return text;
  }
  std::string text = count > 0 ? digits : "0";
  int left = precision - count;
  const bool dot = left > 0;
  if (dot) text.push_back('.');
  if (fraction != 0 && left > 0) {
    double digit = 0;
    do {  // zeros before the first non-zero fraction digit do not count
      fraction = std::modf(fraction * 10, &digit);
      text.push_back(static_cast<char>('0' + static_cast<int>(digit)));
    } while (digit == 0);
    while (--left > 0 && fraction != 0) {
      fraction = std::modf(fraction * 10, &digit);
      text.push_back(static_cast<char>('0' + static_cast<int>(digit)));
    }
  }
  if (fraction != 0) {
    double next = 0;
    std::modf(fraction * 10, &next);
    if (next > 4 && round_up(text)) text.insert(text.begin(), '1');
  }
  if (dot) {
    while (!text.empty() && text.back() == '0') text.pop_back();
    if (!text.empty() && text.back() == '.') text.pop_back();
  }
  bool reads_zero = true;
  for (const char c : text) reads_zero = reads_zero && (c == '0' || c == '.');
  return (negative && !reads_zero ? "-" : "") + text;
}

}  // namespace dcmkit::ofstd

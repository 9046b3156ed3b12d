// SPDX-License-Identifier: BSD-3-Clause
// Decimal text of a double with a number of significant digits as DCMTK 3.6.7 writes the numbers
// it computes (OFStandard::ftoa in its default, %G-like mode): the Lossy Image Compression Ratio
// of its compressors, the Rescale Slope/Intercept and Window Center/Width of its JPEG encoder.
#pragma once

#include <string>

namespace dcmkit::ofstd {

/// `value` with `precision` (at least 1) significant digits, the way DCMTK formats them, which
/// differs from printf's %.<precision>G in three ways:
/// - zeros right after the decimal point are not counted ("26.0892" where %.5G gives "26.089",
///   "0.0011044" as %.5G);
/// - the digits come from repeated multiplication by 10 and the one after the last kept digit
///   alone decides the rounding (5..9 round up), so near a rounding boundary the result can
///   differ from printf's correctly rounded one;
/// - a carry that adds a digit keeps the fixed form ("100000" for 99999.7 at precision 5).
/// Numbers below 0.0001 and integer parts of more than `precision` digits take printf's
/// exponent form ("1.2346E+05"). Trailing zeros and a trailing '.' are removed; NaN and
/// infinities are "nan", "inf" and "-inf"; a result that reads zero has no minus sign.
std::string format_significant(double value, int precision);

}  // namespace dcmkit::ofstd

// SPDX-License-Identifier: BSD-3-Clause
// format_significant(): the expected texts are what DCMTK 3.6.7's dcmcjpeg wrote as Lossy Image
// Compression Ratio (precision 5) for the same ratios (uncompressed bytes / compressed bytes of
// its own output), and as rescale and window values (precision 6).
#include "dcmkit/ofstd/number_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace dcmkit::ofstd {
namespace {

TEST(NumberFormatTest, FiveSignificantDigitsAsDcmtkWritesCompressionRatios) {
  // rows * columns * bits * frames * samples / 8 / compressed size
  EXPECT_EQ(format_significant(512.0 * 512 * 12 / 8 / 15072, 5), "26.0892");  // %.5g: 26.089
  EXPECT_EQ(format_significant(512.0 * 512 * 12 / 8 / 9590, 5), "41.00271");  // %.5g: 41.003
  EXPECT_EQ(format_significant(512.0 * 512 * 12 / 8 / 8538, 5), "46.0548");
  EXPECT_EQ(format_significant(10.0 * 10 * 8 * 25 * 3 / 8 / 7166, 5), "1.04661");
  EXPECT_EQ(format_significant(38.0 * 23 * 16 * 3 / 8 / 864, 5), "6.06944");
  EXPECT_EQ(format_significant(120.0 * 256 * 8 * 3 / 8 / 9174, 5), "10.0458");
  EXPECT_EQ(format_significant(34816.0 / 2446, 5), "14.234");  // as %.5g
}

TEST(NumberFormatTest, SixSignificantDigitsAsDcmtkWritesRescaleAndWindows) {
  EXPECT_EQ(format_significant(333.0 * 255 / 1023, 6), "83.005865");
  EXPECT_EQ(format_significant(4095.0 / 255, 6), "16.05882");
  EXPECT_EQ(format_significant(300.0 * 255 / 1023, 6), "74.7801");
  EXPECT_EQ(format_significant(-1919, 6), "-1919");
}

TEST(NumberFormatTest, WholeNumbersRoundingAndZero) {
  EXPECT_EQ(format_significant(0, 6), "0");
  EXPECT_EQ(format_significant(1.0, 6), "1");
  EXPECT_EQ(format_significant(-0.0, 5), "0");
  EXPECT_EQ(format_significant(9.9999999, 6), "10");
  EXPECT_EQ(format_significant(12345.0, 5), "12345");
  EXPECT_EQ(format_significant(2.5, 1), "3");  // the next digit alone decides: 5 rounds up
  EXPECT_EQ(format_significant(-0.000001, 3), "-1E-06");
  EXPECT_EQ(format_significant(0.0011044, 5), "0.0011044");
  EXPECT_EQ(format_significant(1.5, 0), "2");  // precision below 1 is taken as 1
}

TEST(NumberFormatTest, LargeNumbersTakeTheExponentForm) {
  EXPECT_EQ(format_significant(123456.7, 5), "1.2346E+05");
  EXPECT_EQ(format_significant(99999.7, 5), "100000");  // the carry keeps the fixed form
}

TEST(NumberFormatTest, NonFiniteValues) {
  EXPECT_EQ(format_significant(std::numeric_limits<double>::quiet_NaN(), 5), "nan");
  EXPECT_EQ(format_significant(std::numeric_limits<double>::infinity(), 5), "inf");
  EXPECT_EQ(format_significant(-std::numeric_limits<double>::infinity(), 5), "-inf");
}

}  // namespace
}  // namespace dcmkit::ofstd

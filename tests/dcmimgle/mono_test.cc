// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimgle/mono.h"

#include <gtest/gtest.h>

#include <vector>

#include "dcmkit/dcmdata/dict/tags.h"

namespace dcmkit::dcmimgle {
namespace {

TEST(MonoTest, NoWindowSpreadsTheModalityRangeAsDcmtkDoes) {
  // 12-bit range over 8 bits: v * 256 / 4096, truncated.
  std::vector<std::uint32_t> out;
  render_mono(std::vector<std::int32_t>{0, 15, 16, 4095}, {0, 4095}, VoiSetting::none(), {8, false},
              out);
  EXPECT_EQ(out, (std::vector<std::uint32_t>{0, 0, 1, 255}));
  // Inverted (MONOCHROME1): DCMTK's output range is low - high + 1 = -254.
  render_mono(std::vector<std::int32_t>{0, 1, 129, 130, 4095}, {0, 4095}, VoiSetting::none(),
              {8, true}, out);
  EXPECT_EQ(out, (std::vector<std::uint32_t>{255, 254, 247, 246, 1}));
}

TEST(MonoTest, LinearWindowFollowsPs3_3C11_2_1_2) {
  std::vector<std::uint32_t> out;
  const VoiSetting voi = VoiSetting::from_window({1000, 500, VoiFunction::Linear});
  render_mono(std::vector<std::int32_t>{0, 750, 751, 752, 1000, 1100, 1249, 1250}, {0, 4095}, voi,
              {8, false}, out);
  EXPECT_EQ(out, (std::vector<std::uint32_t>{0, 0, 0, 1, 127, 178, 254, 255}));
}

TEST(MonoTest, RescaleTruncatesTowardZero) {
  ModalityTransform t;
  t.kind = ModalityTransform::Kind::Rescale;
  t.slope = 0.7;
  t.intercept = -10.3;
  std::vector<std::int32_t> values{0, 1, 4};
  t.apply(values, values);
  EXPECT_EQ(values, (std::vector<std::int32_t>{-10, -9, -7}));
  const ModalityRange range = t.range(0, 4095);
  EXPECT_DOUBLE_EQ(range.min, -10.3);
  EXPECT_DOUBLE_EQ(range.max, 4095 * 0.7 - 10.3);
}

// DCMTK 3.6.7 keeps rescaled values in a 32-bit type (measured with dcmscale and dcm2pnm on
// synthetic images): unsigned, a value past 2^32 - 1 keeps its low 32 bits (16-bit values times
// 100000: 65535 -> 6553500000 -> 2258532704); signed, a value outside 32 bits becomes -2^31.
TEST(MonoTest, RescaleBeyond32BitsWrapsAsDcmtk) {
  ModalityTransform t;
  t.kind = ModalityTransform::Kind::Rescale;
  t.slope = 100000;
  std::vector<std::int32_t> values{0, 21475, 42950, 65535};
  t.apply(values, values, true, false);
  std::vector<std::uint32_t> bits(values.begin(), values.end());
  EXPECT_EQ(bits, (std::vector<std::uint32_t>{0, 2147500000u, 32704, 2258532704u}));
  std::vector<std::int32_t> signed_values{-32768, -21474, 21474, 21475};
  t.apply(signed_values, signed_values, false, false);
  EXPECT_EQ(signed_values,
            (std::vector<std::int32_t>{-2147483647 - 1, -2147400000, 2147400000, -2147483647 - 1}));
  // Unsigned 32-bit stored values from 2^31 are read from their bits.
  t.slope = 1;
  t.intercept = -1;
  std::vector<std::int32_t> stored{-1};  // 4294967295
  t.apply(stored, stored, true, true);
  EXPECT_EQ(static_cast<std::uint32_t>(stored[0]), 4294967294u);
}

// Unsigned 32-bit values from 2^31 (bicubic wraps, 32-bit data) are rendered as the large values
// they are: white in a window over them, where their bits read as signed would be black.
TEST(MonoTest, UnsignedValuesFrom2To31RenderAsLargeValues) {
  std::vector<std::uint32_t> out;
  const VoiSetting voi = VoiSetting::from_window({2147483648.0, 4294967296.0, VoiFunction::Linear});
  render_mono(std::vector<std::uint32_t>{0, 2147483648u, 4294967295u}, {0, 4294967295.0}, voi,
              {8, false}, out);
  EXPECT_EQ(out, (std::vector<std::uint32_t>{0, 127, 255}));
}

TEST(MonoTest, MinMaxWindowCoversTheValues) {
  const auto w = min_max_window(std::vector<std::int32_t>{0, 750, 1250});
  ASSERT_TRUE(w);
  EXPECT_DOUBLE_EQ(w->center, 625.5);
  EXPECT_DOUBLE_EQ(w->width, 1251);
  const auto n = min_max_window(std::vector<std::int32_t>{0, 3, 750, 1000, 1250}, true);
  ASSERT_TRUE(n);
  EXPECT_DOUBLE_EQ(n->width, 998);
  EXPECT_FALSE(min_max_window({}));
}

TEST(MonoTest, MinMaxWindowWithoutExtremesFollowsDcmtk) {
  // Two distinct values leave an empty window (which the renderer then ignores) ...
  const auto two = min_max_window(std::vector<std::int32_t>{0, 1, 1, 0}, true);
  ASSERT_TRUE(two);
  EXPECT_DOUBLE_EQ(two->width, 0);
  // ... and with one value the "next" values are 0.
  const auto one = min_max_window(std::vector<std::int32_t>{7, 7}, true);
  ASSERT_TRUE(one);
  EXPECT_DOUBLE_EQ(one->center, 0.5);
  EXPECT_DOUBLE_EQ(one->width, 1);
}

TEST(MonoTest, RescaleComesFromTheSharedFunctionalGroupsWhenTheTopLevelHasNone) {
  dcmdata::DataSet transformation;
  ASSERT_TRUE(transformation.set_string(dcmdata::tags::RescaleIntercept, "-1024"));
  ASSERT_TRUE(transformation.set_string(dcmdata::tags::RescaleSlope, "1"));
  dcmdata::DataSet group;
  group.insert(dcmdata::Element::sequence(dcmdata::tags::PixelValueTransformationSequence,
                                          {transformation}));
  dcmdata::DataSet data;
  data.insert(dcmdata::Element::sequence(dcmdata::tags::SharedFunctionalGroupsSequence, {group}));
  auto t = ModalityTransform::from(data);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->kind, ModalityTransform::Kind::Rescale);
  EXPECT_DOUBLE_EQ(t->intercept, -1024);
  // The top level wins.
  ASSERT_TRUE(data.set_string(dcmdata::tags::RescaleIntercept, "-500"));
  auto top = ModalityTransform::from(data);
  ASSERT_TRUE(top);
  EXPECT_DOUBLE_EQ(top->intercept, -500);
}

TEST(MonoTest, HistogramWindowIgnoresTheTails) {
  std::vector<std::int32_t> values(100);
  for (int i = 0; i < 100; ++i) values[static_cast<std::size_t>(i)] = i;
  const auto w = histogram_window(values, 0.05);
  ASSERT_TRUE(w);
  EXPECT_DOUBLE_EQ(w->width, 91);  // 5 .. 95
}

LookupTable table(std::uint32_t bits, std::int64_t first, std::vector<std::uint16_t> entries) {
  LookupTable lut;
  lut.bits = bits;
  lut.first_mapped = first;
  lut.entries = std::move(entries);
  return lut;
}

TEST(MonoTest, VoiLutSpreadsTwoToTheBitsEntriesOverTheOutput) {
  // Entry e of a 12-bit VOI LUT becomes low + e (high - low + 1) / 4096, truncated: 16 is the
  // first entry to reach output 1, 4095 gives 255.
  const VoiSetting voi = VoiSetting::from_lut(table(12, 100, {0, 15, 16, 2048, 4095}));
  const std::vector<std::int32_t> values{-5, 100, 101, 102, 103, 104, 900};
  std::vector<std::uint32_t> out;
  render_mono(values, {0, 4095}, voi, {8, false}, out);
  EXPECT_EQ(out, (std::vector<std::uint32_t>{0, 0, 0, 1, 128, 255, 255}));
  // Inverted, the output range is 0 - 255 + 1 = -254: 255 - e 254 / 4096, never below 1.
  render_mono(values, {0, 4095}, voi, {8, true}, out);
  EXPECT_EQ(out, (std::vector<std::uint32_t>{255, 255, 254, 254, 128, 1, 1}));
  // 16-bit output: e 65536 / 4096 = 16 e.
  render_mono(values, {0, 4095}, voi, {16, false}, out);
  EXPECT_EQ(out, (std::vector<std::uint32_t>{0, 0, 240, 256, 32768, 65520, 65520}));
  // A 10-bit table: e 256 / 1024.
  render_mono(std::vector<std::int32_t>{0, 1, 2}, {0, 4095},
              VoiSetting::from_lut(table(10, 0, {3, 4, 1023})), {8, false}, out);
  EXPECT_EQ(out, (std::vector<std::uint32_t>{0, 1, 255}));
}

TEST(MonoTest, VoiLutEntriesIndexTheDisplayLutDirectly) {
  // The display LUT has 2^bits entries for a VOI LUT of `bits` bits; entry e picks DDL e
  // (inverted: DDL 2^bits - 1 - e).
  const VoiSetting voi = VoiSetting::from_lut(table(10, 0, {0, 1, 500, 1023}));
  EXPECT_EQ(display_lut_bits({0, 4095}, {0, 4095}, voi, false), 10u);
  EXPECT_EQ(display_lut_bits({0, 4095}, {0, 4095}, voi, true), 16u);
  std::vector<std::uint16_t> ddls(1024);
  for (std::size_t i = 0; i < ddls.size(); ++i) ddls[i] = static_cast<std::uint16_t>(i * 7 % 256);
  const std::vector<std::int32_t> values{0, 1, 2, 3};
  std::vector<std::uint32_t> out;
  render_mono(values, {0, 4095}, voi, {8, false, false, nullptr, &ddls}, out);
  EXPECT_EQ(out, (std::vector<std::uint32_t>{ddls[0], ddls[1], ddls[500], ddls[1023]}));
  render_mono(values, {0, 4095}, voi, {8, true, false, nullptr, &ddls}, out);
  EXPECT_EQ(out, (std::vector<std::uint32_t>{ddls[1023], ddls[1022], ddls[523], ddls[0]}));
}

TEST(MonoTest, VoiLutThroughAPresentationLutScalesAsWithoutWindow) {
  // The 12-bit VOI LUT's entries index a 4096-entry presentation LUT; its 16-bit value v becomes
  // low + v (high - low + 1) / 65536 (not v max / 65535 as after a window).
  std::vector<std::uint16_t> plut(4096);
  for (std::size_t i = 0; i < plut.size(); ++i) plut[i] = static_cast<std::uint16_t>(16 * i + 15);
  const VoiSetting voi = VoiSetting::from_lut(table(12, 0, {0, 1, 4095}));
  const std::vector<std::int32_t> values{0, 1, 2};
  std::vector<std::uint32_t> out;
  render_mono(values, {0, 4095}, voi, {8, false, false, &plut}, out);
  // 15 / 256 = 0, 31 / 256 = 0, 65535 / 256 = 255.
  EXPECT_EQ(out, (std::vector<std::uint32_t>{0, 0, 255}));
  render_mono(values, {0, 4095}, voi, {8, true, false, &plut}, out);
  // 255 - v 254 / 65536: 254.94, 254.88, 1.0039.
  EXPECT_EQ(out, (std::vector<std::uint32_t>{254, 254, 1}));
  // A 16-bit VOI LUT's entries are scaled to the table's 12 bits: e 4096 / 65536.
  render_mono(std::vector<std::int32_t>{0, 1}, {0, 4095},
              VoiSetting::from_lut(table(16, 0, {31, 65535})), {16, false, false, &plut}, out);
  EXPECT_EQ(out, (std::vector<std::uint32_t>{plut[1], plut[4095]}));
}

}  // namespace
}  // namespace dcmkit::dcmimgle

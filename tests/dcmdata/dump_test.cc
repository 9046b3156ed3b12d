// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/dump.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <string>
#include <vector>

#include "dcmkit/dcmdata/dict/tags.h"

namespace dcmkit::dcmdata {
namespace {

using namespace std::string_view_literals;

struct DoubleCase {
  std::uint64_t bits;
  std::string_view dcmtk;
};

struct FloatCase {
  std::uint32_t bits;
  std::string_view dcmtk;
};

// What DCMTK 3.6.7's `dcmdump +L` prints for FD and FL values with these bit patterns. The table
// was made by writing each value into a file with dcmkit's writer and running dcmdump on it; the
// comments give the value as %.17g (FD) or %.9g (FL) prints it.
constexpr DoubleCase kDoubles[] = {
    {0x3fd5555555555555ull, "0.3333333333333333"},                 // 0.33333333333333331
    {0x3fe5555555555555ull, "0.66666666666666661"},                // 0.66666666666666663
    {0x3ff5555555555555ull, "1.3333333333333333"},                 // 1.3333333333333333
    {0x4005bf0a8b145769ull, "2.7182818284590451"},                 // 2.7182818284590451
    {0x400921fb54442d18ull, "3.1415926535897931"},                 // 3.1415926535897931
    {0x4341c37937e08000ull, "10000000000000000"},                  // 10000000000000000
    {0x4376345785d8a000ull, "1e+17"},                              // 1e+17
    {0x3ee4f8b588e368f1ull, "1e-05"},                              // 1.0000000000000001e-05
    {0x3f1a36e2eb1c432dull, "0.0001"},                             // 0.0001
    {0x4028000000000001ull, "12.00000000000000177635683940025"},   // 12.000000000000002
    {0x3ff0cccccccccccdull, "1.05000000000000004"},                // 1.05
    {0x7ff8000000000000ull, "nan"},                                // nan
    {0x7ff0000000000000ull, "inf"},                                // inf
    {0xfff0000000000000ull, "-inf"},                               // -inf
    {0xbfd5555555555555ull, "-0.3333333333333333"},                // -0.33333333333333331
    {0xc004000000000000ull, "-2.5"},                               // -2.5
    {0x0000000000000000ull, "0"},                                  // 0
    {0x8000000000000000ull, "0"},                                  // -0
    {0x0000000000000001ull, "4.9406564584124659e-324"},            // 4.9406564584124654e-324
    {0x0010000000000000ull, "2.225073858507201e-308"},             // 2.2250738585072014e-308
    {0x7fe1ccf385ebc8a0ull, "1.0000000000000007e+308"},            // 1e+308
    {0x7fefffffffffffffull, "1.7976931348623167e+308"},            // 1.7976931348623157e+308
    {0x3fb999999999999aull, "0.1"},                                // 0.10000000000000001
    {0x3fc999999999999aull, "0.2"},                                // 0.20000000000000001
    {0x3fd3333333333333ull, "0.3"},                                // 0.29999999999999999
    {0x4059000000000000ull, "100"},                                // 100
    {0x437b69b4ba630f35ull, "1.2345678901234567e+17"},             // 1.2345678901234568e+17
    {0x430c6bf526340000ull, "1000000000000000"},                   // 1000000000000000
    {0x3fe0000000000000ull, "0.5"},                                // 0.5
    {0x405edd2f1a9fbe77ull, "123.456"},                            // 123.456
    {0x4132d68700000000ull, "1234567"},                            // 1234567
    {0x3f202e85be111841ull, "0.00012345678899999999"},             // 0.000123456789
    {0x4340000000000000ull, "9007199254740992"},                   // 9007199254740992
    {0x444b1ae4d6e2ef50ull, "1e+21"},                              // 1e+21
    {0x01a56e1fc2f8f359ull, "9.9999999999999929e-301"},            // 1e-300
    {0x3ff0000000000000ull, "1"},                                  // 1
    {0x4023000000000000ull, "9.5"},                                // 9.5
    {0x3fb851eb851eb852ull, "0.095"},                              // 0.095000000000000001
    {0x3f33a92a30553262ull, "0.0003"},                             // 0.00030000000000000003
    {0x40efffe000000000ull, "65535"},                              // 65535
    {0xbddb7cdfd9d7bdbbull, "-1e-10"},                             // -1e-10
    {0x7e45798ee2308c39ull, "1.79769313486232e+300"},              // 1.7976931348623156e+300
    {0x4008000000000001ull, "3.0000000000000004440892098500626"},  // 3.0000000000000004
    {0x3fd3333333333334ull, "0.30000000000000004"},                // 0.30000000000000004
    {0x54b249ad2594c37dull, "1.0000000000000007e+100"},            // 1e+100
    {0x3efa36e2eb1c432dull, "2.5e-05"},                            // 2.5000000000000001e-05
    {0x419d6f3454000000ull, "123456789"},                          // 123456789
};

constexpr FloatCase kFloats[] = {
    {0x448d4106u, "1130.031982"},     // 1130.03198
    {0x46103802u, "9230.0019531"},    // 9230.00195
    {0x3eaaaaabu, "0.333333343"},     // 0.333333343
    {0x3dcccccdu, "0.100000001"},     // 0.100000001
    {0x3727c5acu, "9.99999975e-06"},  // 9.99999975e-06
    {0x501502f9u, "1e+10"},           // 1e+10
    {0x7f7fffffu, "3.40282347e+38"},  // 3.40282347e+38
    {0x00000001u, "1.40129846e-45"},  // 1.40129846e-45
    {0x4b800000u, "16777216"},        // 16777216
    {0x3e200000u, "0.15625"},         // 0.15625
    {0xc0200000u, "-2.5"},            // -2.5
    {0x7fc00000u, "nan"},             // nan
    {0x7f800000u, "inf"},             // inf
    {0x38d1b717u, "9.99999975e-05"},  // 9.99999975e-05
    {0x3f2aaaabu, "0.666666687"},     // 0.666666687
    {0x42f6e979u, "123.456001"},      // 123.456001
    {0x399d4951u, "0.000299999985"},  // 0.000299999985
    {0x477fff80u, "65535.5"},         // 65535.5
    {0x40490fdbu, "3.14159274"},      // 3.14159274
    {0x7e967699u, "9.99999968e+37"},  // 9.99999968e+37
};

TEST(DumpTest, FormatsDoublesAsDcmtkDoes) {
  for (const DoubleCase& c : kDoubles) {
    EXPECT_EQ(format_dcmtk_double(std::bit_cast<double>(c.bits), 17), c.dcmtk)
        << std::hex << c.bits;
  }
}

TEST(DumpTest, FormatsFloatsAsDcmtkDoes) {
  for (const FloatCase& c : kFloats) {
    EXPECT_EQ(format_dcmtk_double(std::bit_cast<float>(c.bits), 9), c.dcmtk) << std::hex << c.bits;
  }
}

// --- Line layout (expected lines copied from dcmdump 3.6.7 output of the same elements) ------

std::string dump(const Element& e, int level = 0) {
  DataSet ds;
  ds.insert(e);
  std::string out;
  dump_data_set(out, ds, {}, level);
  return out;
}

Element text(Tag tag, VR vr, std::string_view value) {
  return Element(tag, vr, SharedBytes::copy_of(value));
}

std::vector<std::byte> counting(std::size_t size, int step = 1) {
  std::vector<std::byte> out(size);
  for (std::size_t i = 0; i < size; ++i)
    out[i] = static_cast<std::byte>(i * static_cast<std::size_t>(step));
  return out;
}

TEST(DumpTest, PadsTheValueToColumn40BeforeLengthVmAndName) {
  EXPECT_EQ(dump(text(tags::PatientName, VR::PN, "Doe^John")),
            "(0010,0010) PN [Doe^John]                               #   8, 1 PatientName\n");
  EXPECT_EQ(dump(text(tags::ImageType, VR::CS, "A\\B\\C ")),
            "(0008,0008) CS [A\\B\\C]                                  #   6, 3 ImageType\n");
  EXPECT_EQ(dump(text(tags::PatientName, VR::PN, "Doe^John"), 2),
            "    (0010,0010) PN [Doe^John]                               #   8, 1 PatientName\n");
}

TEST(DumpTest, ShowsEmptyValuesAsNoValueAvailable) {
  EXPECT_EQ(dump(Element(tags::AccessionNumber, VR::SH)),
            "(0008,0050) SH (no value available)                     #   0, 0 AccessionNumber\n");
}

TEST(DumpTest, ShowsOddLengthTextWithItsNulPadding) {
  EXPECT_EQ(dump(text(tags::PatientID, VR::LO, "Doe")),
            "(0010,0020) LO [Doe\0]                                   #   4, 1 PatientID\n"sv);
}

TEST(DumpTest, ShortensLongTextUnlessAllValuesArePrinted) {
  EXPECT_EQ(dump(text(tags::StudyDescription, VR::LO, std::string(80, 'x'))),
            "(0008,1030) LO [" + std::string(66, 'x') + "... #  80, 1 StudyDescription\n");
  // 68 characters and the brackets still fit.
  EXPECT_EQ(dump(text(tags::PatientComments, VR::LT, std::string(68, 'z'))),
            "(0010,4000) LT [" + std::string(68, 'z') + "] #  68, 1 PatientComments\n");
  DataSet ds;
  ds.insert(text(tags::StudyDescription, VR::LO, std::string(80, 'x')));
  std::string out;
  DumpOptions all;
  all.print_all_values = true;
  dump_data_set(out, ds, all);
  EXPECT_EQ(out, "(0008,1030) LO [" + std::string(80, 'x') + "] #  80, 1 StudyDescription\n");
}

TEST(DumpTest, ShortensLongHexValues) {
  EXPECT_EQ(dump(Element(Tag(0x0009, 0x1001), VR::OB, SharedBytes::copy_of(counting(100)))),
            "(0009,1001) OB "
            "00\\01\\02\\03\\04\\05\\06\\07\\08\\09\\0a\\0b\\0c\\0d\\0e\\0f\\10\\11\\12\\13"
            "\\14\\15... # 100, 1 Unknown Tag & Data\n");
  EXPECT_EQ(dump(Element(Tag(0x0009, 0x1002), VR::OW, SharedBytes::copy_of(counting(100)))),
            "(0009,1002) OW 0100\\0302\\0504\\0706\\0908\\0b0a\\0d0c\\0f0e\\1110\\1312\\1514\\1716"
            "\\1918... # 100, 1 Unknown Tag & Data\n");
}

TEST(DumpTest, ShortensLongNumberLists) {
  EXPECT_EQ(
      dump(Element(Tag(0x0018, 0x1310), VR::US, SharedBytes::copy_of(counting(60, 7)))),
      "(0018,1310) US 1792\\5390\\8988\\12586\\16184\\19782\\23380\\26978\\30576\\34174\\37772"
      "... #  60,30 AcquisitionMatrix\n");
  DataSet ds;
  const double values[] = {1.0 / 3, 2.0 / 3, 4.0 / 3, 1.0 / 3, 2.0 / 3, 4.0 / 3, 1.0 / 3};
  ASSERT_TRUE(ds.set_doubles(Tag(0x0018, 0x9089), VR::FD, values).has_value());
  std::string out;
  dump_data_set(out, ds);
  EXPECT_EQ(out,
            "(0018,9089) FD 0.3333333333333333\\0.66666666666666661\\1.3333333333333333... #  56, "
            "7 DiffusionGradientOrientation\n");
}

TEST(DumpTest, ShowsUidNamesInsteadOfKnownUids) {
  EXPECT_EQ(dump(text(tags::SOPClassUID, VR::UI, "1.2.840.10008.5.1.4.1.1.2"sv)),
            "(0008,0016) UI =CTImageStorage                          #  26, 1 SOPClassUID\n");
}

TEST(DumpTest, ShowsSequencesItemsAndTheirDelimiters) {
  DataSet item;
  ASSERT_TRUE(item.set_string(tags::CodeValue, "121071").has_value());
  Element undefined = Element::sequence(tags::ReferencedImageSequence, {item});
  undefined.set_undefined_length(true);
  EXPECT_EQ(dump(undefined),
            "(0008,1140) SQ (Sequence with undefined length #=1)     # u/l, 1 "
            "ReferencedImageSequence\n"
            "  (fffe,e000) na (Item with explicit length #=1)          #  14, 1 Item\n"
            "    (0008,0100) SH [121071]                                 #   6, 1 CodeValue\n"
            "  (fffe,e00d) na (ItemDelimitationItem for re-encoding)   #   0, 0 "
            "ItemDelimitationItem\n"
            "(fffe,e0dd) na (SequenceDelimitationItem)               #   0, 0 "
            "SequenceDelimitationItem\n");
  EXPECT_EQ(dump(Element::sequence(tags::VOILUTSequence, {item})),
            "(0028,3010) SQ (Sequence with explicit length #=1)      #  22, 1 VOILUTSequence\n"
            "  (fffe,e000) na (Item with explicit length #=1)          #  14, 1 Item\n"
            "    (0008,0100) SH [121071]                                 #   6, 1 CodeValue\n"
            "  (fffe,e00d) na (ItemDelimitationItem for re-encoding)   #   0, 0 "
            "ItemDelimitationItem\n"
            "(fffe,e0dd) na (SequenceDelimitationItem for re-encod.) #   0, 0 "
            "SequenceDelimitationItem\n");
}

TEST(DumpTest, DumpsEveryVrWithoutCrashingOnPartialValues) {
  // Values whose size is not a multiple of the VR's value size (possible in damaged files).
  for (const VR vr : kAllVRs) {
    if (vr == VR::SQ) continue;
    for (std::size_t size : {1u, 3u, 5u, 7u, 9u}) {
      std::string out;
      DataSet ds;
      ds.insert(Element(Tag(0x0009, 0x1001), vr, SharedBytes::copy_of(counting(size))));
      dump_data_set(out, ds);
      EXPECT_FALSE(out.empty()) << to_string(vr) << " " << size;
    }
  }
}

}  // namespace
}  // namespace dcmkit::dcmdata

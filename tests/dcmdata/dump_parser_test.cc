// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/dump_parser.h"

#include <gtest/gtest.h>

#include <string>

#include "data_set_printer.h"
#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dump.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/writer.h"

namespace dcmkit::dcmdata {
namespace {

using ofstd::ErrorCode;
using namespace std::string_view_literals;

DataSet parse(std::string_view text, const DumpParseOptions& options = {}) {
  auto doc = parse_dump(text, options);
  EXPECT_TRUE(doc.has_value()) << doc.error().to_string();
  return doc ? doc->data : DataSet{};
}

ofstd::Error parse_error(std::string_view text) {
  auto doc = parse_dump(text);
  EXPECT_FALSE(doc.has_value()) << text;
  return doc ? ofstd::Error(ErrorCode::Internal, "no error") : doc.error();
}

std::string dump(const DataSet& ds) {
  std::string out;
  DumpOptions options;
  options.print_all_values = true;
  dump_data_set(out, ds, options);
  return out;
}

TEST(DumpParserTest, ReadsValuesAsDcmdumpPrintsThem) {
  const DataSet ds = parse(
      "# Dicom-Data-Set\n"
      "(0008,0016) UI =CTImageStorage                          #  26, 1 SOPClassUID\n"
      "(0008,0018) UI [1.2.3]                                  #   6, 1 SOPInstanceUID\n"
      "  (0010,0020)   LO    [a]b] # x ]    #  4, 1 PatientID\n"
      "(0010,1010) AS (no value available)\n"
      "(0018,0088) FD 1.5\\0.10000000000000001\\-inf\n"
      "(0018,9219) SS -5\\6\n"
      "(0020,9165) AT (0010,0010)\\(0020,000d)\n"
      "(0028,0010) xs 512\n"
      "(0028,1201) OW 0001\\fffe\n"
      "(0009,1001) UN 01\\02\\03\n"
      "(0072,0083) UV 18446744073709551615\n");
  EXPECT_EQ(ds.find(tags::SOPClassUID)->bytes().chars(),
            std::string_view("1.2.840.10008.5.1.4.1.1.2\0", 26));
  EXPECT_EQ(ds.find(tags::PatientID)->bytes().chars(), "a]b] # x");
  EXPECT_EQ(ds.find(tags::PatientAge)->length(), 0u);
  EXPECT_EQ(ds.find(tags::SpacingBetweenSlices)->as_double(1).value(), 0.1);
  EXPECT_EQ(ds.find(tags::TagAngleSecondAxis)->as_int(0).value(), -5);
  EXPECT_EQ(ds.find(tags::DimensionIndexPointer)->as_tags().value()[1], tags::StudyInstanceUID);
  EXPECT_EQ(ds.find(tags::Rows)->vr(), VR::US);
  EXPECT_EQ(ds.find(tags::RedPaletteColorLookupTableData)->bytes().span().size(), 4u);
  EXPECT_EQ(ds.find(Tag(0x0009, 0x1001))->bytes().chars(), "\x01\x02\x03"sv);
  EXPECT_EQ(ds.find(Tag(0x0072, 0x0083))->as_uint().value(), 18446744073709551615u);
}

TEST(DumpParserTest, SequencesItemsAndPixelFragments) {
  auto doc = parse_dump(
      "(0002,0010) UI =LittleEndianExplicit\n"
      "(0040,a730) SQ (Sequence with undefined length #=2)     # u/l, 1 ContentSequence\n"
      "  (fffe,e000) na (Item with explicit length #=0)        #   0, 1 Item\n"
      "  (fffe,e00d) na (ItemDelimitationItem for re-encoding) #   0, 0 ItemDelimitationItem\n"
      "  (fffe,e000) na (Item with undefined length #=1)       # u/l, 1 Item\n"
      "    (0040,a043) SQ (Sequence with explicit length #=0)  #   0, 1 ConceptNameCodeSequence\n"
      "    (fffe,e0dd) na (SequenceDelimitationItem for re-encod.)\n"
      "  (fffe,e00d) na (ItemDelimitationItem)\n"
      "(fffe,e0dd) na (SequenceDelimitationItem)\n"
      "(7fe0,0010) OB (PixelSequence #=2)                      # u/l, 1 PixelData\n"
      "  (fffe,e000) pi (no value available)                   #   0, 1 Item\n"
      "  (fffe,e000) pi ff\\d8\\ff\\d9                            #   4, 1 Item\n"
      "(fffe,e0dd) na (SequenceDelimitationItem)\n");
  ASSERT_TRUE(doc.has_value()) << doc.error().to_string();
  EXPECT_TRUE(doc->meta.contains(tags::TransferSyntaxUID));
  const Element* content = doc->data.find(tags::ContentSequence);
  ASSERT_NE(content, nullptr);
  ASSERT_EQ(content->items().size(), 2u);
  EXPECT_TRUE(content->undefined_length());
  EXPECT_TRUE(content->items()[1].contains(tags::ConceptNameCodeSequence));
  const Element* pixels = doc->data.find(tags::PixelData);
  ASSERT_TRUE(pixels->is_encapsulated());
  EXPECT_EQ(pixels->fragments().size(), 2u);
  EXPECT_EQ(pixels->fragments()[1].size(), 4u);
}

TEST(DumpParserTest, ReadsBackItsOwnDumps) {
  for (const char* name : {"sr_document.dcm", "ct_23x38_implicit.dcm", "report_dfl.dcm",
                           "encapsulated_bot_2_frames.dcm"}) {
    auto file = read_file(std::string(DCMKIT_SOURCE_DIR) + "/testdata/" + name);
    ASSERT_TRUE(file.has_value()) << name;
    const std::string text = dump(file->data);
    DumpParseOptions options;
    options.max_line_length = 1 << 20;
    auto doc = parse_dump(text, options);
    ASSERT_TRUE(doc.has_value()) << name << ": " << doc.error().to_string();
    EXPECT_EQ(dump(doc->data), text) << name;
  }
}

TEST(DumpParserTest, ErrorsNameTheLine) {
  EXPECT_EQ(parse_error("(0010,0010) PN [A]\nPatientName PN [x]\n").message(),
            "line 2: no tag \"(gggg,eeee)\" at the start of the line");
  EXPECT_EQ(parse_error("(0010,0010) XX [A]\n").message(), "line 1: unknown VR \"XX\"");
  EXPECT_EQ(parse_error("(0028,0010) US abc\n").message(),
            "line 1: \"abc\" is not a valid US value");
  EXPECT_EQ(parse_error("(0028,0010) US 70000\n").code(), ErrorCode::MalformedData);
  EXPECT_EQ(parse_error("(0010,0010) PN [AAAA...\n").message(),
            "line 1: the value was shortened by dcmdump (dump with +L to print it whole)");
  EXPECT_EQ(parse_error("(7fe0,0010) OW (not loaded)\n").code(), ErrorCode::MalformedData);
  EXPECT_EQ(parse_error("(fffe,e000) na (Item)\n").message(),
            "line 1: an item (fffe,e000) outside a sequence");
  EXPECT_EQ(parse_error("(0040,a730) SQ (Sequence with explicit length #=0)\n").message(),
            "line 1: (0040,a730) sequence is not closed by a (fffe,e0dd) line");
  EXPECT_EQ(parse_error("(0040,a730) SQ (Sequence with explicit length #=0)\n"
                        "(0010,0010) PN [A]\n")
                .message(),
            "line 2: (0010,0010) is inside a sequence but not inside an item");
  EXPECT_EQ(parse_error("(7fe0,0010) OW =pixels.raw\n").code(), ErrorCode::MalformedData);
  DumpParseOptions short_lines;
  short_lines.max_line_length = 10;
  EXPECT_EQ(parse_dump("(0010,0010) PN [A]\n", short_lines).error().code(),
            ErrorCode::LimitExceeded);
}

TEST(DumpParserTest, TextValuesMaySpanLines) {
  const DataSet ds = parse(
      "(0040,a160) UT [line1\r\nline2]  # 12, 1 TextValue\n"
      "(0010,0010) PN [A]\n");
  EXPECT_EQ(ds.find(Tag(0x0040, 0xA160))->bytes().chars(), "line1\r\nline2");
  EXPECT_EQ(ds.find(tags::PatientName)->bytes().chars(), "A ");
  EXPECT_EQ(parse_error("(0040,a160) UT [no end\n(0010,0010) PN [A]\n").message(),
            "line 1: value \"[\" without \"]\"");
}

TEST(DumpParserTest, IgnoringErrorsSkipsBadLines) {
  DumpParseOptions options;
  options.ignore_errors = true;
  auto doc =
      parse_dump("(0010,0010) PN [A]\n(0010,0020) XX [b]\n(0010,0030) DA [20200101]\n", options);
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->errors.size(), 1u);
  EXPECT_TRUE(doc->data.contains(tags::PatientName));
  EXPECT_TRUE(doc->data.contains(tags::PatientBirthDate));
}

TEST(DumpParserTest, LimitsNesting) {
  std::string deep;
  for (int i = 0; i < 70; ++i) {
    deep += "(0040,a730) SQ (Sequence with explicit length #=1)\n(fffe,e000) na (Item)\n";
  }
  EXPECT_EQ(parse_dump(deep).error().code(), ErrorCode::LimitExceeded);
}

TEST(DumpParserTest, FilesForBinaryValues) {
  DumpParseOptions options;
  options.file_loader = [](std::string_view name) -> ofstd::Result<SharedBytes> {
    EXPECT_EQ(name, "pixels.raw");
    return SharedBytes::copy_of("\x01\x02\x03\x04"sv);
  };
  options.big_endian_files = true;
  const DataSet ds = parse("(7fe0,0010) OW =pixels.raw\n", options);
  EXPECT_EQ(ds.find(tags::PixelData)->bytes().chars(), "\x02\x01\x04\x03"sv);
}

TEST(DumpParserTest, ValuesFromText) {
  EXPECT_EQ(value_from_text(VR::US, "1\\2").value().size(), 4u);
  EXPECT_EQ(value_from_text(VR::LO, "abc").value().chars(), "abc ");
  EXPECT_EQ(value_from_text(VR::UI, "1.2.3").value().chars(), std::string_view("1.2.3\0", 6));
  EXPECT_FALSE(value_from_text(VR::FD, "x").has_value());
  EXPECT_EQ(value_from_text(VR::OB, "").value().size(), 0u);
  EXPECT_EQ(uid_from_dcmtk_name("LittleEndianExplicit"), "1.2.840.10008.1.2.1");
  EXPECT_EQ(uid_from_dcmtk_name("CTImageStorage"), "1.2.840.10008.5.1.4.1.1.2");
  EXPECT_EQ(uid_from_dcmtk_name("NoSuchName"), "");
}

}  // namespace
}  // namespace dcmkit::dcmdata

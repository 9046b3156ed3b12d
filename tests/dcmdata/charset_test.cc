// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/charset.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dcmkit/dcmdata/charset_convert.h"
#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/tag_path.h"
#include "dcmkit/ofstd/strings.h"

namespace dcmkit::dcmdata {
namespace {

using ofstd::ErrorCode;
using namespace std::string_literals;
using namespace std::string_view_literals;

constexpr Tag kSpecificCharacterSet{0x0008, 0x0005};
constexpr Tag kPatientName{0x0010, 0x0010};
constexpr Tag kPatientId{0x0010, 0x0020};
constexpr Tag kModality{0x0008, 0x0060};
constexpr Tag kReferencedSeriesSequence{0x0008, 0x1115};
constexpr Tag kTextValue{0x0040, 0xA160};

std::span<const std::byte> as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};  // NOLINT
}

CharacterSet charset(std::string_view value) {
  auto cs = CharacterSet::from_value(value);
  EXPECT_TRUE(cs.has_value()) << value << ": " << (cs ? "" : cs.error().message());
  return cs ? *cs : CharacterSet();
}

std::string decode(const CharacterSet& cs, std::string_view bytes, VR vr = VR::PN,
                   bool* replaced = nullptr) {
  auto text = cs.decode(as_bytes(bytes), vr, replaced);
  EXPECT_TRUE(text.has_value()) << (text ? "" : text.error().message());
  return text ? *text : std::string();
}

std::string encode(const CharacterSet& cs, std::string_view utf8, VR vr = VR::PN) {
  auto bytes = cs.encode(utf8, vr);
  EXPECT_TRUE(bytes.has_value()) << utf8 << ": " << (bytes ? "" : bytes.error().message());
  return bytes ? *bytes : std::string();
}

// --- Defined terms -----------------------------------------------------------------------

TEST(CharsetTest, AcceptsEveryDefinedTermOfPs3_3) {
  for (const std::string_view term :
       {"ISO_IR 100", "ISO_IR 101", "ISO_IR 109", "ISO_IR 110", "ISO_IR 144", "ISO_IR 127",
        "ISO_IR 126", "ISO_IR 138", "ISO_IR 148", "ISO_IR 203", "ISO_IR 13", "ISO_IR 166",
        "ISO_IR 192", "GB18030", "GBK"}) {
    const CharacterSet cs = charset(term);
    EXPECT_TRUE(cs.is_standard()) << term;
    EXPECT_FALSE(cs.uses_code_extensions()) << term;
    EXPECT_EQ(cs.value(), term);
  }
  for (const std::string_view term :
       {"ISO 2022 IR 6", "ISO 2022 IR 100", "ISO 2022 IR 101", "ISO 2022 IR 109", "ISO 2022 IR 110",
        "ISO 2022 IR 144", "ISO 2022 IR 127", "ISO 2022 IR 126", "ISO 2022 IR 138",
        "ISO 2022 IR 148", "ISO 2022 IR 203", "ISO 2022 IR 13", "ISO 2022 IR 166"}) {
    for (const std::string_view extension :
         {"ISO 2022 IR 87", "ISO 2022 IR 159", "ISO 2022 IR 149", "ISO 2022 IR 58"}) {
      const std::string value = std::string(term) + "\\" + std::string(extension);
      const CharacterSet cs = charset(value);
      EXPECT_TRUE(cs.is_standard()) << value;
      EXPECT_TRUE(cs.uses_code_extensions()) << value;
      EXPECT_EQ(cs.value(), value);
      EXPECT_EQ(cs.terms().size(), 2u);
    }
  }
  const CharacterSet japanese = charset("\\ISO 2022 IR 87\\ISO 2022 IR 159");
  EXPECT_TRUE(japanese.is_standard());
  EXPECT_EQ(japanese.terms(), (std::vector<std::string>{"", "ISO 2022 IR 87", "ISO 2022 IR 159"}));
  EXPECT_TRUE(charset("ISO_IR 192").is_utf8());
  EXPECT_FALSE(charset("ISO_IR 100").is_utf8());
}

TEST(CharsetTest, DefaultRepertoireForEmptyValuesAndIsoIr6) {
  for (const std::string_view value : {"", " ", "\\", "ISO_IR 6", " ISO_IR 6 "}) {
    const CharacterSet cs = charset(value);
    EXPECT_TRUE(cs.is_default()) << value;
    EXPECT_EQ(cs.value(), "");
    EXPECT_FALSE(cs.uses_code_extensions());
  }
  EXPECT_TRUE(charset("").is_standard());
  EXPECT_FALSE(charset("ISO_IR 6").is_standard());  // not a defined term; DCMTK warns
  EXPECT_TRUE(CharacterSet::default_repertoire().is_default());
  EXPECT_EQ(charset("ISO_IR 6"), CharacterSet::default_repertoire());
}

TEST(CharsetTest, TrimsTermsAndDropsTrailingEmptyValues) {
  const CharacterSet cs = charset(" ISO_IR 100 \\");
  EXPECT_EQ(cs.terms(), std::vector<std::string>{"ISO_IR 100"});
  EXPECT_TRUE(cs.is_standard());
  EXPECT_EQ(charset("ISO_IR 192\0"s).value(), "ISO_IR 192");
}

TEST(CharsetTest, AcceptsMisspelledTermsButFlagsThem) {
  // DCMTK 3.6.7 rejects each of these ("not supported"); the meaning is clear, so we decode.
  for (const std::string_view value :
       {"ISO_IR100", "iso_ir 100", "ISO-IR 100", "ISO IR 100", "Iso_Ir 100"}) {
    const CharacterSet cs = charset(value);
    EXPECT_FALSE(cs.is_standard()) << value;
    EXPECT_FALSE(cs.uses_code_extensions()) << value;
    EXPECT_EQ(decode(cs, "M\xFCller"), "Müller") << value;
    EXPECT_EQ(cs.value(), value);  // kept as given
  }
  EXPECT_TRUE(charset("iso_ir 192").is_utf8());
  EXPECT_FALSE(charset("gb18030").is_standard());
}

TEST(CharsetTest, ReadsSingleByteTermsAmongSeveralAsCodeExtensions) {
  // "ISO_IR 13\ISO 2022 IR 87" is common in Japanese files (dcm4che issue #869).
  const CharacterSet cs = charset("ISO_IR 13\\ISO 2022 IR 87");
  EXPECT_FALSE(cs.is_standard());
  EXPECT_TRUE(cs.uses_code_extensions());
  EXPECT_EQ(decode(cs, "\xD4\xCF\xC0\xDE=\x1B$B;3ED\x1B(J"), "ﾔﾏﾀﾞ=山田");
  // A lone "ISO 2022 IR 100" keeps escape sequences working.
  const CharacterSet single = charset("ISO 2022 IR 100");
  EXPECT_FALSE(single.is_standard());
  EXPECT_TRUE(single.uses_code_extensions());
  EXPECT_EQ(decode(single, "\xE9\x1B-L\xB4"), "éД");
}

TEST(CharsetTest, RejectsUnknownTermsNamingThem) {
  for (const std::string_view value :
       {"ISO_IR 999", "UTF-8", "ISO 2022 IR 192", "ISO_IR 100\\KOI8-R", "ISO 2022 GB18030"}) {
    const auto cs = CharacterSet::from_value(value);
    ASSERT_FALSE(cs.has_value()) << value;
    EXPECT_EQ(cs.error().code(), ErrorCode::Unsupported);
    const std::string_view term = ofstd::split(value, '\\').back();
    EXPECT_NE(cs.error().message().find(term), std::string::npos) << cs.error().message();
  }
}

TEST(CharsetTest, RejectsVariableLengthSetsWithCodeExtensions) {
  for (const std::string_view value :
       {"ISO_IR 192\\ISO 2022 IR 100", "GB18030\\ISO 2022 IR 100", "ISO 2022 IR 6\\GBK"}) {
    const auto cs = CharacterSet::from_value(value);
    ASSERT_FALSE(cs.has_value()) << value;
    EXPECT_EQ(cs.error().code(), ErrorCode::Unsupported);
  }
}

// --- PS3.5 Annexes H to K -------------------------------------------------------------------

constexpr std::string_view kJapaneseName = "Yamada^Tarou=山田^太郎=やまだ^たろう";
constexpr std::string_view kJapaneseBytes =
    "Yamada^Tarou=\x1B$B;3ED\x1B(B^\x1B$BB@O:\x1B(B=\x1B$B$d$^$@\x1B(B^\x1B$B$?$m$&\x1B(B";

TEST(CharsetTest, JapaneseKanjiExampleOfAnnexH1) {
  const CharacterSet cs = charset("\\ISO 2022 IR 87");
  bool replaced = true;
  EXPECT_EQ(decode(cs, kJapaneseBytes, VR::PN, &replaced), kJapaneseName);
  EXPECT_FALSE(replaced);
  EXPECT_EQ(encode(cs, kJapaneseName), kJapaneseBytes);
}

TEST(CharsetTest, JapaneseKatakanaAndKanjiExampleOfAnnexH2) {
  const CharacterSet cs = charset("ISO 2022 IR 13\\ISO 2022 IR 87");
  constexpr std::string_view name = "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう";
  constexpr std::string_view bytes =
      "\xD4\xCF\xC0\xDE^\xC0\xDB\xB3=\x1B$B;3ED\x1B(J^\x1B$BB@O:\x1B(J=\x1B$B$d$^$@\x1B(J^"
      "\x1B$B$?$m$&\x1B(J";
  EXPECT_EQ(decode(cs, bytes), name);
  EXPECT_EQ(encode(cs, name), bytes);
}

TEST(CharsetTest, KoreanExampleOfAnnexI) {
  const CharacterSet cs = charset("\\ISO 2022 IR 149");
  constexpr std::string_view name = "Hong^Gildong=洪^吉洞=홍^길동";
  constexpr std::string_view bytes =
      "Hong^Gildong=\x1B$)C\xFB\xF3^\x1B$)C\xD1\xCE\xD4\xD7=\x1B$)C\xC8\xAB^\x1B$)"
      "C\xB1\xE6\xB5\xBF";
  EXPECT_EQ(decode(cs, bytes), name);
  EXPECT_EQ(encode(cs, name), bytes);
}

TEST(CharsetTest, ChineseGb18030ExampleOfAnnexJ) {
  const CharacterSet cs = charset("GB18030");
  constexpr std::string_view name = "Wang^XiaoDong=王^小东=";
  constexpr std::string_view bytes = "Wang^XiaoDong=\xCD\xF5^\xD0\xA1\xB6\xAB=";
  EXPECT_EQ(decode(cs, bytes), name);
  EXPECT_EQ(encode(cs, name), bytes);
  // GB18030 encodes all of Unicode, the traditional form and characters beyond the BMP too.
  for (const std::string_view text : {"王^小東", "😀 𠀀", "Ünïcödé"}) {
    EXPECT_EQ(decode(cs, encode(cs, text)), text);
  }
}

TEST(CharsetTest, ChineseGb2312ExampleOfAnnexK) {
  const CharacterSet cs = charset("\\ISO 2022 IR 58");
  constexpr std::string_view name = "Zhang^XiaoDong=张^小东=";
  constexpr std::string_view bytes = "Zhang^XiaoDong=\x1B$)A\xD5\xC5^\x1B$)A\xD0\xA1\xB6\xAB=";
  EXPECT_EQ(decode(cs, bytes), name);
  EXPECT_EQ(encode(cs, name), bytes);
}

TEST(CharsetTest, GbkDecodesAndEncodes) {
  const CharacterSet cs = charset("GBK");
  EXPECT_EQ(decode(cs, "\xCD\xF5^\xD0\xA1\xB6\xAB"), "王^小东");
  EXPECT_EQ(encode(cs, "王^小东"), "\xCD\xF5^\xD0\xA1\xB6\xAB");
  // The second byte of a GBK character may be 05/12, which is not a value delimiter then.
  EXPECT_EQ(decode(cs, "\x81\x5C", VR::LO), "乗");
  const auto outside = cs.encode("😀", VR::LO);
  ASSERT_FALSE(outside.has_value());
  EXPECT_EQ(outside.error().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(outside.error().message().find("U+1F600"), std::string::npos);
}

TEST(CharsetTest, Utf8PassesThroughAndIsValidated) {
  const CharacterSet cs = charset("ISO_IR 192");
  EXPECT_EQ(decode(cs, "Test-éüäöòДΘĝדصķћ๛ﾈİ"), "Test-éüäöòДΘĝדصķћ๛ﾈİ");
  EXPECT_EQ(encode(cs, "山田^太郎"), "山田^太郎");
  bool replaced = false;
  EXPECT_EQ(decode(cs, "a\xC3(\xED\xA0\x80z", VR::LO, &replaced), "a\uFFFD(\uFFFD\uFFFD\uFFFDz");
  EXPECT_TRUE(replaced);
  EXPECT_EQ(decode(cs, "\xC0\xAF", VR::LO), "\uFFFD\uFFFD");  // overlong '/'
  EXPECT_FALSE(cs.encode("\xFF", VR::LO).has_value());
}

TEST(CharsetTest, JisX0212ThroughIsoIr159) {
  const CharacterSet cs = charset("\\ISO 2022 IR 87\\ISO 2022 IR 159");
  // 丂 (U+4E02) is in JIS X 0212 only; 山 in JIS X 0208, which is listed first.
  EXPECT_EQ(encode(cs, "丂山"), "\x1B$(D\x30\x21\x1B$B;3\x1B(B");
  EXPECT_EQ(decode(cs, "\x1B$(D\x30\x21\x1B$B;3\x1B(B"), "丂山");
}

// --- Single-byte sets -------------------------------------------------------------------------

struct SingleByteSample {
  std::string_view term;
  std::string_view utf8;
  std::string_view bytes;
};

constexpr std::array<SingleByteSample, 12> kSingleByteSamples{{
    {"ISO_IR 100", "Müller^Éva", "M\xFCller^\xC9va"},
    {"ISO_IR 101", "Łódź", "\xA3\xF3\x64\xBC"},
    {"ISO_IR 109", "ĝİ", "\xF8\xA9"},
    {"ISO_IR 110", "ķŠ", "\xF3\xA9"},
    {"ISO_IR 144", "Дмитрий", "\xB4\xDC\xD8\xE2\xE0\xD8\xD9"},
    {"ISO_IR 127", "ص", "\xD5"},
    {"ISO_IR 126", "Θεός", "\xC8\xE5\xFC\xF2"},
    {"ISO_IR 138", "דוד", "\xE3\xE5\xE3"},
    {"ISO_IR 148", "İğ", "\xDD\xF0"},
    {"ISO_IR 203", "€Œ", "\xA4\xBC"},
    {"ISO_IR 13", "ﾔﾏﾀﾞ^Taro", "\xD4\xCF\xC0\xDE^Taro"},
    {"ISO_IR 166", "ไทย๛", "\xE4\xB7\xC2\xFB"},
}};

TEST(CharsetTest, EachSingleByteSetDecodesAndEncodesSamples) {
  for (const auto& sample : kSingleByteSamples) {
    const CharacterSet cs = charset(sample.term);
    bool replaced = true;
    EXPECT_EQ(decode(cs, sample.bytes, VR::PN, &replaced), sample.utf8) << sample.term;
    EXPECT_FALSE(replaced) << sample.term;
    EXPECT_EQ(encode(cs, sample.utf8), sample.bytes) << sample.term;
  }
}

TEST(CharsetTest, EachSingleByteSetRoundTripsEveryAssignedByte) {
  for (const auto& sample : kSingleByteSamples) {
    const CharacterSet cs = charset(sample.term);
    int assigned = 0;
    for (unsigned b = 0x20; b <= 0xFF; ++b) {
      if (b == 0x7F || b == '\\' || b == '^' || b == '=') continue;
      const std::string byte(1, static_cast<char>(b));
      bool replaced = false;
      const std::string text = decode(cs, byte, VR::LO, &replaced);
      if (replaced) continue;
      ++assigned;
      EXPECT_EQ(encode(cs, text, VR::LO), byte) << sample.term << " byte " << b;
    }
    // ASCII but the three delimiters, plus at least the 63 katakana of JIS X 0201.
    EXPECT_GE(assigned, 92 + 63) << sample.term;
  }
}

TEST(CharsetTest, SingleByteSetsWithCodeExtensionsSwitchG1) {
  const CharacterSet cs = charset("ISO 2022 IR 100\\ISO 2022 IR 144\\ISO 2022 IR 126");
  constexpr std::string_view name = "Müller^Дмитрий=Θ";
  // Value 1's G1 (ESC - A) is restored before each PN delimiter that follows another G1 set.
  constexpr std::string_view bytes =
      "M\xFCller^\x1B-L\xB4\xDC\xD8\xE2\xE0\xD8\xD9\x1B-A=\x1B-F\xC8\x1B-A";
  EXPECT_EQ(encode(cs, name), bytes);
  EXPECT_EQ(decode(cs, bytes), name);
  for (const std::string_view term :
       {"ISO 2022 IR 6", "ISO 2022 IR 101", "ISO 2022 IR 109", "ISO 2022 IR 110", "ISO 2022 IR 127",
        "ISO 2022 IR 138", "ISO 2022 IR 148", "ISO 2022 IR 203", "ISO 2022 IR 13",
        "ISO 2022 IR 166"}) {
    const CharacterSet mixed = charset(std::string(term) + "\\ISO 2022 IR 100\\ISO 2022 IR 144");
    const std::string text = "Ab^Éva=Дд";
    EXPECT_EQ(decode(mixed, encode(mixed, text)), text) << term;
  }
}

TEST(CharsetTest, IsoIr13DecodesShiftJisPairsLikeDcmtk) {
  // Orthanc's Lena-shift-jis.dcm: Shift_JIS bytes under "ISO_IR 13"; DCMTK reads "Test-ДΘﾈ".
  const CharacterSet cs = charset("ISO_IR 13");
  bool replaced = true;
  EXPECT_EQ(decode(cs, "Test-\x84\x44\x83\xA6\xC8", VR::PN, &replaced), "Test-ДΘﾈ");
  EXPECT_FALSE(replaced);
  EXPECT_EQ(decode(cs, "\x83\x5C", VR::LO), "ソ");  // trail byte 05/12 is not a delimiter
  EXPECT_EQ(decode(cs, "\xF0\x40\x84", VR::LO, &replaced), "\uFFFD\uFFFD");  // user-defined, cut
  EXPECT_TRUE(replaced);
  // Encoding stays within JIS X 0201.
  EXPECT_FALSE(cs.encode("Д", VR::PN).has_value());
}

// --- ISO 2022 delimiters (PS3.5 §6.1.2.5.3) ------------------------------------------------

TEST(CharsetTest, ControlCharactersRestoreValue1InText) {
  const CharacterSet cs = charset("\\ISO 2022 IR 87");
  // No ESC ( B before CR LF: G0 returns to ASCII anyway.
  EXPECT_EQ(decode(cs, "\x1B$B;3ED\r\nABC\x1B$B;3\tDE", VR::LT), "山田\r\nABC山\tDE");
  EXPECT_EQ(encode(cs, "山田\r\nABC山\tDE", VR::LT), "\x1B$B;3ED\x1B(B\r\nABC\x1B$B;3\x1B(B\tDE");
  EXPECT_EQ(decode(cs, "\x1B$B;3\fAB", VR::ST), "山\fAB");
}

TEST(CharsetTest, BackslashRestoresValue1OnlyInMultiValuedVrs) {
  const CharacterSet cs = charset("ISO 2022 IR 100\\ISO 2022 IR 144");
  EXPECT_EQ(decode(cs, "\x1B-L\xB4\\\xB4", VR::LO), "Д\\´");
  EXPECT_EQ(decode(cs, "\x1B-L\xB4\\\xB4", VR::LT), "Д\\Д");
  EXPECT_EQ(encode(cs, "Д\\Д", VR::LO), "\x1B-L\xB4\x1B-A\\\x1B-L\xB4\x1B-A");
  EXPECT_EQ(encode(cs, "Д\\Д", VR::LT), "\x1B-L\xB4\\\xB4\x1B-A");
}

TEST(CharsetTest, CaretAndEqualsRestoreValue1OnlyInPn) {
  const CharacterSet cs = charset("ISO 2022 IR 100\\ISO 2022 IR 144");
  EXPECT_EQ(decode(cs, "\x1B-L\xB4^\xB4=\xB4", VR::PN), "Д^´=´");
  EXPECT_EQ(decode(cs, "\x1B-L\xB4^\xB4=\xB4", VR::LO), "Д^Д=Д");
}

TEST(CharsetTest, G1StaysDesignatedWhenValue1HasNoG1) {
  // Writers that designate KS X 1001 once per value: DCMTK 3.6.7 fails on the second group;
  // no escape sequence could have undone the designation, so the text is decoded.
  const CharacterSet cs = charset("\\ISO 2022 IR 149");
  bool replaced = true;
  EXPECT_EQ(decode(cs, "Hong^Gildong=\x1B$)C\xFB\xF3^\xD1\xCE\xD4\xD7", VR::PN, &replaced),
            "Hong^Gildong=洪^吉洞");
  EXPECT_FALSE(replaced);
}

TEST(CharsetTest, DelIsAControlCharacter) {
  bool replaced = true;
  EXPECT_EQ(decode(charset("\\ISO 2022 IR 87"), "\x1B$B\x7F;3", VR::LO, &replaced), "\x7F;3");
  EXPECT_FALSE(replaced);
}

TEST(CharsetTest, SpaceIsWrittenInASingleByteG0) {
  const CharacterSet cs = charset("\\ISO 2022 IR 87");
  EXPECT_EQ(encode(cs, "山 田", VR::LO), "\x1B$B;3\x1B(B \x1B$BED\x1B(B");
  EXPECT_EQ(decode(cs, "\x1B$B;3 ED\x1B(B", VR::LO), "山 田");    // SPACE within JIS X 0208
  EXPECT_EQ(encode(cs, "山　田", VR::LO), "\x1B$B;3!!ED\x1B(B");  // ideographic space
}

TEST(CharsetTest, DecodesKnownEscapeSequencesNotDeclared) {
  // DCMTK 3.6.7: "Escape sequence refers to character set ... that was not declared".
  const CharacterSet cs = charset("\\ISO 2022 IR 149");
  EXPECT_EQ(decode(cs, "Zhang=\x1B$)A\xD5\xC5"), "Zhang=张");
}

// --- Invalid input ------------------------------------------------------------------------

TEST(CharsetTest, InvalidBytesBecomeReplacementCharacters) {
  struct Case {
    std::string_view value;
    std::string_view bytes;
    std::string_view expected;
  };
  const std::vector<Case> cases = {
      {"", "M\xFCller", "M\uFFFDller"},                     // 8-bit byte in ASCII
      {"\\ISO 2022 IR 149", "A\xFB\xF3", "A\uFFFD\uFFFD"},  // G1 not designated
      {"\\ISO 2022 IR 87", "\x1B$B;", "\uFFFD"},            // half a character
      {"\\ISO 2022 IR 87", "\x1B$B;\x80", "\uFFFD\u0080"},  // C1 after half a character
      {"\\ISO 2022 IR 87", "a\x1B", "a\uFFFD"},             // truncated escape
      {"\\ISO 2022 IR 87", "a\x1B$", "a\uFFFD"},            // truncated escape
      {"\\ISO 2022 IR 87", "a\x1B$\x01z", "a\uFFFD\x01z"},  // malformed escape
      {"\\ISO 2022 IR 87", "a\x1B(Zbc\x1B(Bd", "a\uFFFD\uFFFD\uFFFDd"},  // unknown G0 set
      {"\\ISO 2022 IR 149", "\x1B$)C\xFB", "\uFFFD"},                    // half a character
      {"\\ISO 2022 IR 149", "\x1B$)C\xA0\xA1", "\uFFFD\uFFFD"},          // not in 94x94 range
      {"ISO 2022 IR 13", "\xE0", "\uFFFD"},                              // beyond Katakana
      {"ISO_IR 109", "\xA5", "\uFFFD"},                                  // unassigned in Latin-3
      {"GB18030", "\x81\x20z", "\uFFFD z"},                              // bad second byte
      {"GB18030", "z\x81", "z\uFFFD"},                                   // truncated
      {"ISO_IR 100", "a\0b"sv, "a\uFFFDb"},                              // NUL is no text
  };
  for (const auto& c : cases) {
    bool replaced = false;
    EXPECT_EQ(decode(charset(c.value), c.bytes, VR::LO, &replaced), c.expected)
        << c.value << " / " << ::testing::PrintToString(std::string(c.bytes));
    EXPECT_TRUE(replaced) << c.value;
  }
}

TEST(CharsetTest, EveryPrefixOfEveryExampleDecodes) {
  // Cutting values anywhere (as truncated files do) never fails or reads past the end; run
  // under ASan in CI.
  const std::vector<std::pair<std::string_view, std::string_view>> examples = {
      {"\\ISO 2022 IR 87", kJapaneseBytes},
      {"ISO 2022 IR 13\\ISO 2022 IR 87", "\xD4\xCF^\x1B$B;3ED\x1B(J"},
      {"\\ISO 2022 IR 149", "\x1B$)C\xFB\xF3^\x1B$)C\xD1\xCE"},
      {"\\ISO 2022 IR 87\\ISO 2022 IR 159", "\x1B$(D\x30\x21\x1B$B;3\x1B(B"},
      {"GB18030", "\xCD\xF5^\x95\x32\x82\x36"},
      {"ISO_IR 192", "山田^\xF0\x9F\x98\x80"},
      {"ISO_IR 13", "\x84\x44\x83\xA6\xC8"},
  };
  for (const auto& [value, bytes] : examples) {
    const CharacterSet cs = charset(value);
    for (std::size_t n = 0; n <= bytes.size(); ++n) {
      const std::string prefix(bytes.substr(0, n));
      for (const VR vr : {VR::PN, VR::LO, VR::LT}) {
        auto text = cs.decode(as_bytes(prefix), vr);
        ASSERT_TRUE(text.has_value()) << value << " prefix " << n;
      }
    }
  }
}

bool is_valid_utf8(std::string_view text) {
  const std::u8string_view view(reinterpret_cast<const char8_t*>(text.data()),
                                text.size());  // NOLINT
  std::size_t i = 0;
  while (i < view.size()) {
    const unsigned lead = view[i];
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    if (i + length > view.size()) return false;
    i += length;
  }
  return true;
}

TEST(CharsetTest, RandomBytesDecodeToTextThatReencodesStably) {
  // A deterministic mini-fuzzer: byte soup rich in ESC, designations and delimiters. Decoding
  // never fails and yields UTF-8; text that encodes back decodes to itself.
  const std::vector<std::string_view> pieces = {
      "\x1B",    "\x1B$B",  "\x1B(B",   "\x1B(J",   "\x1B)I",   "\x1B-A",  "\x1B-L",
      "\x1B$)C", "\x1B$)A", "\x1B$(D",  "^",        "=",        "\\",      "\r\n",
      " ",       ";3",      "\xB0\xA1", "\xCD\xF5", "\x84\x44", "\xC3\xA9"};
  std::uint32_t state = 12345;
  const auto next = [&state] {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  for (const std::string_view value :
       {"", "ISO_IR 100", "ISO_IR 13", "ISO_IR 192", "GB18030", "GBK", "\\ISO 2022 IR 87",
        "ISO 2022 IR 13\\ISO 2022 IR 87\\ISO 2022 IR 159", "ISO 2022 IR 100\\ISO 2022 IR 149",
        "\\ISO 2022 IR 58\\ISO 2022 IR 144"}) {
    const CharacterSet cs = charset(value);
    int reencoded = 0;
    for (int round = 0; round < 300; ++round) {
      std::string bytes;
      const auto count = next() % 12;
      for (unsigned p = 0; p < count; ++p) {
        if (next() % 2 == 0) {
          bytes += pieces[next() % pieces.size()];
        } else {
          bytes += static_cast<char>(next() & 0xFF);
        }
      }
      for (const VR vr : {VR::PN, VR::LO, VR::UT}) {
        const auto text = cs.decode(as_bytes(bytes), vr);
        ASSERT_TRUE(text.has_value()) << value;
        ASSERT_TRUE(is_valid_utf8(*text)) << value;
        const auto again = cs.encode(*text, vr);
        if (!again) continue;  // U+FFFD, ESC or a C0 control that cannot be written back
        ++reencoded;
        EXPECT_EQ(decode(cs, *again, vr), *text) << value << " " << ::testing::PrintToString(bytes);
      }
    }
    EXPECT_GT(reencoded, 100) << value;
  }
}

TEST(CharsetTest, EncodingFailuresNameTheCharacterAndPosition) {
  const auto latin = charset("ISO_IR 100").encode("Ab Дc", VR::LO);
  ASSERT_FALSE(latin.has_value());
  EXPECT_EQ(latin.error().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(latin.error().message().find("U+0414"), std::string::npos) << latin.error().message();
  EXPECT_NE(latin.error().message().find("character 4"), std::string::npos);
  EXPECT_NE(latin.error().message().find("byte offset 3"), std::string::npos);
  EXPECT_NE(latin.error().message().find("ISO_IR 100"), std::string::npos);

  const auto ascii = CharacterSet().encode("Müller", VR::PN);
  ASSERT_FALSE(ascii.has_value());
  EXPECT_NE(ascii.error().message().find("U+00FC"), std::string::npos);

  const auto japanese = charset("\\ISO 2022 IR 87").encode("山田 한", VR::PN);
  ASSERT_FALSE(japanese.has_value());
  EXPECT_NE(japanese.error().message().find("U+D55C"), std::string::npos);

  const auto escape = charset("\\ISO 2022 IR 87").encode("a\x1B$Bb", VR::LO);
  ASSERT_FALSE(escape.has_value());
  EXPECT_NE(escape.error().message().find("U+001B"), std::string::npos);

  const auto invalid = charset("ISO_IR 100").encode("a\xE9z", VR::LO);
  ASSERT_FALSE(invalid.has_value());
  EXPECT_EQ(invalid.error().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(invalid.error().message().find("UTF-8"), std::string::npos);
}

TEST(CharsetTest, RoundTripsAcrossAllCharacterSets) {
  const std::vector<std::pair<std::string_view, std::vector<std::string_view>>> cases = {
      {"", {"Doe^John", "A\\B", "x\r\ny"}},
      {"ISO_IR 100", {"Müller^Jürgen=", "café\\naïve"}},
      {"ISO_IR 144", {"Иванов^Иван"}},
      {"\\ISO 2022 IR 87", {kJapaneseName, "ＡＢＣ（全角）", "東京\\大阪"}},
      {"ISO 2022 IR 13\\ISO 2022 IR 87", {"ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎", "ｱ\\山"}},
      {"\\ISO 2022 IR 149", {"Hong^Gildong=洪^吉洞=홍^길동", "서울 특별시"}},
      {"\\ISO 2022 IR 58", {"Zhang^XiaoDong=张^小东=", "北京\r\n上海"}},
      {"ISO 2022 IR 100\\ISO 2022 IR 87\\ISO 2022 IR 149", {"Émile=山田=홍^é"}},
      {"GB18030", {"Wang^XiaoDong=王^小东="}},
      {"GBK", {"王^小东"}},
      {"ISO_IR 192", {"Ελληνικά^日本語=한국어"}},
  };
  for (const auto& [value, texts] : cases) {
    const CharacterSet cs = charset(value);
    for (const std::string_view text : texts) {
      for (const VR vr : {VR::PN, VR::LO, VR::LT, VR::UT}) {
        bool replaced = true;
        EXPECT_EQ(decode(cs, encode(cs, text, vr), vr, &replaced), text) << value;
        EXPECT_FALSE(replaced);
      }
    }
  }
}

// --- Data sets -----------------------------------------------------------------------------

Element text_element(Tag tag, VR vr, std::string_view bytes) {
  return Element(tag, vr, SharedBytes::copy_of(bytes));
}

TEST(CharsetTest, DataSetSetsAndGetsTextThroughItsCharacterSet) {
  DataSet ds;
  ds.insert(text_element(kSpecificCharacterSet, VR::CS, "\\ISO 2022 IR 87 "));
  ASSERT_TRUE(ds.character_set().uses_code_extensions());
  ASSERT_TRUE(ds.set_string(kPatientName, VR::PN, kJapaneseName).has_value());
  EXPECT_EQ(ds.find(kPatientName)->bytes().chars(), kJapaneseBytes);
  EXPECT_EQ(ds.get_string(kPatientName).value_or(""), kJapaneseName);
  const auto name = ds.get_person_name(kPatientName);
  ASSERT_TRUE(name.has_value());
  EXPECT_EQ(name->ideographic, "山田^太郎");
  EXPECT_EQ(name->phonetic, "やまだ^たろう");
}

DataSet latin1_with_items() {
  DataSet cyrillic_item;
  cyrillic_item.insert(text_element(kSpecificCharacterSet, VR::CS, "ISO_IR 144"));
  cyrillic_item.insert(text_element(kPatientName, VR::PN, "\xB4\xDC^B\0"s));
  DataSet inheriting_item;
  inheriting_item.insert(text_element(kPatientName, VR::PN, "Caf\xE9"));
  DataSet ds;
  ds.insert(text_element(kSpecificCharacterSet, VR::CS, "ISO_IR 100"));
  ds.insert(text_element(kModality, VR::CS, "OT"));
  ds.insert(text_element(kPatientName, VR::PN, "M\xFCller "));
  ds.insert(text_element(kPatientId, VR::LO, "\xE9t\xE9"));
  ds.insert(text_element(kTextValue, VR::UT,
                         "  Stra\xDF"
                         "e\r\n"));
  ds.insert(Element::sequence(kReferencedSeriesSequence, {cyrillic_item, inheriting_item}));
  return ds;
}

std::string_view value_of(const DataSet& ds, Tag tag) {
  const Element* e = ds.find(tag);
  return e != nullptr ? e->bytes().chars() : std::string_view("(absent)");
}

TEST(CharsetConvertTest, ConvertsEveryAffectedElementAndItem) {
  DataSet ds = latin1_with_items();
  std::vector<std::string> warnings;
  ASSERT_TRUE(convert_to_utf8(ds, &warnings).has_value());
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(value_of(ds, kSpecificCharacterSet), "ISO_IR 192");
  EXPECT_TRUE(ds.character_set().is_utf8());
  EXPECT_EQ(value_of(ds, kModality), "OT");
  // Converted values lose their trailing padding spaces, as in DCMTK, and are stored as they
  // are: the writer pads odd lengths.
  EXPECT_EQ(value_of(ds, kPatientName), "Müller");
  EXPECT_EQ(value_of(ds, kPatientId), "été");
  EXPECT_EQ(value_of(ds, kTextValue), "  Straße\r\n");
  const auto& items = ds.find(kReferencedSeriesSequence)->items();
  ASSERT_EQ(items.size(), 2u);
  // The item's own ISO_IR 144 is honoured (DCMTK 3.6.7 decodes it as Latin-1).
  EXPECT_EQ(value_of(items[0], kSpecificCharacterSet), "ISO_IR 192");
  EXPECT_EQ(value_of(items[0], kPatientName), "Дм^B\0"s) << "trailing NULs are kept";
  EXPECT_EQ(value_of(items[1], kPatientName), "Café");
  EXPECT_FALSE(items[1].contains(kSpecificCharacterSet));
  EXPECT_TRUE(items[1].character_set().is_utf8());
  EXPECT_EQ(items[1].get_string(kPatientName).value_or(""), "Café");
  EXPECT_EQ(ds.get_string(kPatientName).value_or(""), "Müller");
  // Converting again changes nothing.
  DataSet again = ds;
  ASSERT_TRUE(convert_to_utf8(again).has_value());
  EXPECT_EQ(again, ds);
}

TEST(CharsetConvertTest, AddsSpecificCharacterSetAndWarnsAboutInvalidBytes) {
  DataSet ds;
  ds.insert(text_element(kPatientName, VR::PN, "Doe^John"));
  ASSERT_TRUE(convert_to_utf8(ds).has_value());
  EXPECT_EQ(value_of(ds, kSpecificCharacterSet), "ISO_IR 192");  // as dcmconv +U8
  EXPECT_EQ(value_of(ds, kPatientName), "Doe^John");

  // Non-ASCII bytes with no Specific Character Set: DCMTK fails, we replace and warn.
  DataSet item;
  item.insert(text_element(kPatientName, VR::PN, "M\xFCller"));
  DataSet unlabelled;
  unlabelled.insert(Element::sequence(kReferencedSeriesSequence, {item}));
  std::vector<std::string> warnings;
  ASSERT_TRUE(convert_to_utf8(unlabelled, &warnings).has_value());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("(0008,1115)[0].(0010,0010)"), std::string::npos) << warnings[0];
  EXPECT_EQ(warnings[0].find("ller"), std::string::npos);  // no values in messages
  EXPECT_EQ(value_of(unlabelled.find(kReferencedSeriesSequence)->items()[0], kPatientName),
            "M\uFFFDller");
}

TEST(CharsetConvertTest, UnknownTermFailsAndLeavesTheDataSetUnchanged) {
  DataSet ds = latin1_with_items();
  ds.find(kReferencedSeriesSequence)
      ->items()[1]
      .insert(text_element(kSpecificCharacterSet, VR::CS, "ISO_IR 999"));
  const DataSet before = ds;
  const auto status = convert_to_utf8(ds);
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code(), ErrorCode::Unsupported);
  EXPECT_NE(status.error().message().find("ISO_IR 999"), std::string::npos);
  EXPECT_NE(status.error().to_string().find("(0008,1115)[1]"), std::string::npos)
      << status.error().to_string();
  EXPECT_EQ(ds, before);
}

// --- Corpus --------------------------------------------------------------------------------

std::filesystem::path corpus_dir() {
  if (const char* dir = std::getenv("DCMKIT_CORPUS_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  return std::filesystem::path(DCMKIT_SOURCE_DIR) / ".." / "shared" / "corpus";
}

std::string unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    const char c = text[++i];
    out += c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
  }
  return out;
}

// testdata/charset_expected.tsv: what DCMTK's dcmconv +U8 (or PS3.5 Annex H) makes of the
// corpus's character set samples; see testdata/README.md.
TEST(CharsetCorpusTest, DecodesSamplesAsDcmtkAndTheStandardDo) {
  const std::filesystem::path corpus = corpus_dir();
  if (!std::filesystem::exists(corpus / "MANIFEST.tsv")) {
    GTEST_SKIP() << "no corpus at " << corpus << " (set DCMKIT_CORPUS_DIR)";
  }
  std::ifstream tsv(std::filesystem::path(DCMKIT_SOURCE_DIR) / "testdata" / "charset_expected.tsv");
  ASSERT_TRUE(tsv) << "testdata/charset_expected.tsv";
  std::string line;
  int rows = 0;
  while (std::getline(tsv, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto fields = ofstd::split(line, '\t');
    ASSERT_EQ(fields.size(), 4u) << line;
    const std::string file(fields[0]);
    const std::string expected = unescape(fields[2]);
    SCOPED_TRACE(file + " " + std::string(fields[1]) + " (" + std::string(fields[3]) + ")");
    ++rows;
    auto read = read_file(corpus / file);
    ASSERT_TRUE(read.has_value()) << read.error().message();
    const auto path = TagPath::parse(fields[1]);
    ASSERT_TRUE(path.has_value()) << path.error().message();
    if (path->steps().size() == 1) {
      // Decoding on access, with the data set's character set.
      EXPECT_EQ(read->data.get_string(path->steps()[0].tag).value_or("(error)"), expected);
    }
    // Converting the whole data set, as dcmconv +U8.
    DataSet converted = read->data;
    std::vector<std::string> warnings;
    ASSERT_TRUE(convert_to_utf8(converted, &warnings).has_value());
    EXPECT_TRUE(warnings.empty()) << warnings.front();
    const auto element = converted.find_path(*path);
    ASSERT_TRUE(element.has_value()) << element.error().message();
    EXPECT_EQ(ofstd::trim_right((*element)->bytes().chars(), " "), expected);
  }
  EXPECT_GE(rows, 20);
}

}  // namespace
}  // namespace dcmkit::dcmdata

// SPDX-License-Identifier: BSD-3-Clause
#include "charset_tables.h"

#include <unicode/ucnv.h>

#include <algorithm>
#include <array>
#include <memory>

namespace dcmkit::dcmdata::detail {

namespace {

using ConverterPtr = std::unique_ptr<UConverter, void (*)(UConverter*)>;

void close_converter(UConverter* converter) { ucnv_close(converter); }

// A converter that reports unassigned and illegal bytes as errors instead of substituting.
ConverterPtr open_strict(const char* name) {
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr converter(ucnv_open(name, &status), &close_converter);
  if (U_FAILURE(status)) return ConverterPtr(nullptr, &close_converter);
  ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  if (U_FAILURE(status)) return ConverterPtr(nullptr, &close_converter);
  return converter;
}

// The one character that `bytes` decode to, or 0 if they are invalid or decode to several.
char32_t decode_one(UConverter* converter, const char* bytes, std::int32_t length) {
  std::array<UChar, 4> out{};
  UErrorCode status = U_ZERO_ERROR;
  const std::int32_t count = ucnv_toUChars(
      converter, out.data(), static_cast<std::int32_t>(out.size()), bytes, length, &status);
  if (U_FAILURE(status) || count < 1 || count > 2) return 0;
  char32_t cp = out[0];
  if (count == 2) {
    if (cp < 0xD800 || cp > 0xDBFF || out[1] < 0xDC00 || out[1] > 0xDFFF) return 0;
    cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<char32_t>(out[1]) - 0xDC00);
  }
  // Substitution characters would mean "unassigned" had the callback not stopped.
  if (cp == 0xFFFD || cp == 0x1A) return 0;
  return cp;
}

// ICU converters for the GR half of the ISO 8859 sets (PS3.3 Table C.12-3). ISO-IR 166 (TIS
// 620) is the GR half of ISO 8859-11.
const char* iso8859_converter(CodeSet set) {
  switch (set) {
    case CodeSet::Latin1:
      return "ISO-8859-1";
    case CodeSet::Latin2:
      return "ISO-8859-2";
    case CodeSet::Latin3:
      return "ISO-8859-3";
    case CodeSet::Latin4:
      return "ISO-8859-4";
    case CodeSet::Cyrillic:
      return "ISO-8859-5";
    case CodeSet::Arabic:
      return "ISO-8859-6";
    case CodeSet::Greek:
      return "ISO-8859-7";
    case CodeSet::Hebrew:
      return "ISO-8859-8";
    case CodeSet::Latin5:
      return "ISO-8859-9";
    case CodeSet::Latin9:
      return "ISO-8859-15";
    case CodeSet::Thai:
      return "ISO-8859-11";
    default:
      return nullptr;
  }
}

template <CodeSet kSet>
const CodeTable& table_of() {
  static const CodeTable table = CodeTable::build(kSet);
  return table;
}

}  // namespace

CodeElement element_of(CodeSet set) noexcept {
  switch (set) {
    case CodeSet::None:
    case CodeSet::Ascii:
    case CodeSet::JisRoman:
    case CodeSet::JisX0208:
    case CodeSet::JisX0212:
      return CodeElement::G0;
    default:
      return CodeElement::G1;
  }
}

std::string_view escape_sequence(CodeSet set) noexcept {
  // PS3.3 Tables C.12-3 and C.12-4 (ESC itself not included).
  switch (set) {
    case CodeSet::None:
      return {};
    case CodeSet::Ascii:
      return "(B";
    case CodeSet::JisRoman:
      return "(J";
    case CodeSet::JisKatakana:
      return ")I";
    case CodeSet::Latin1:
      return "-A";
    case CodeSet::Latin2:
      return "-B";
    case CodeSet::Latin3:
      return "-C";
    case CodeSet::Latin4:
      return "-D";
    case CodeSet::Cyrillic:
      return "-L";
    case CodeSet::Arabic:
      return "-G";
    case CodeSet::Greek:
      return "-F";
    case CodeSet::Hebrew:
      return "-H";
    case CodeSet::Latin5:
      return "-M";
    case CodeSet::Latin9:
      return "-b";
    case CodeSet::Thai:
      return "-T";
    case CodeSet::JisX0208:
      return "$B";
    case CodeSet::JisX0212:
      return "$(D";
    case CodeSet::KsX1001:
      return "$)C";
    case CodeSet::Gb2312:
      return "$)A";
  }
  return {};
}

std::optional<CodeSet> designated_set(std::string_view intermediates, char final_byte,
                                      std::optional<CodeElement>* element) noexcept {
  // ISO 2022 §13: '(' and "$(" (or "$" alone, the old form for 94x94 sets) designate G0; ')',
  // '-' and "$)" designate G1. G2/G3 ('*', '+', '.', '/') are not used in DICOM (PS3.5
  // §6.1.2.5.2), and nothing else is a designation.
  *element = std::nullopt;
  if (intermediates == "(") {
    *element = CodeElement::G0;
    if (final_byte == 'B') return CodeSet::Ascii;
    if (final_byte == 'J') return CodeSet::JisRoman;
  } else if (intermediates == "$" || intermediates == "$(") {
    *element = CodeElement::G0;
    // '@' is JIS C 6226-1978, the first edition of JIS X 0208, which older Japanese writers
    // still designate; its repertoire is decoded with JIS X 0208's table.
    if (final_byte == 'B' || final_byte == '@') return CodeSet::JisX0208;
    if (final_byte == 'D' && intermediates == "$(") return CodeSet::JisX0212;
  } else if (intermediates == ")") {
    *element = CodeElement::G1;
    if (final_byte == 'I') return CodeSet::JisKatakana;
  } else if (intermediates == "-") {
    *element = CodeElement::G1;
    switch (final_byte) {
      case 'A':
        return CodeSet::Latin1;
      case 'B':
        return CodeSet::Latin2;
      case 'C':
        return CodeSet::Latin3;
      case 'D':
        return CodeSet::Latin4;
      case 'L':
        return CodeSet::Cyrillic;
      case 'G':
        return CodeSet::Arabic;
      case 'F':
        return CodeSet::Greek;
      case 'H':
        return CodeSet::Hebrew;
      case 'M':
        return CodeSet::Latin5;
      case 'b':
        return CodeSet::Latin9;
      case 'T':
        return CodeSet::Thai;
      default:
        break;
    }
  } else if (intermediates == "$)") {
    *element = CodeElement::G1;
    if (final_byte == 'C') return CodeSet::KsX1001;
    if (final_byte == 'A') return CodeSet::Gb2312;
  }
  return std::nullopt;
}

char32_t CodeTable::to_unicode(std::uint16_t code) const noexcept {
  std::size_t index = 0;
  if (width_ == 1) {
    if (code < 0x20 || code > 0x7F) return 0;
    index = code - 0x20u;
  } else {
    const unsigned first = code >> 8;
    const unsigned second = code & 0xFFu;
    if (first < 0x20 || first > 0x7F || second < 0x20 || second > 0x7F) return 0;
    index = (first - 0x20u) * 96u + (second - 0x20u);
  }
  return index < to_unicode_.size() ? to_unicode_[index] : 0;
}

std::optional<std::uint16_t> CodeTable::from_unicode(char32_t cp) const noexcept {
  const auto it = std::lower_bound(from_unicode_.begin(), from_unicode_.end(), cp,
                                   [](const std::pair<char32_t, std::uint16_t>& entry,
                                      char32_t key) { return entry.first < key; });
  if (it == from_unicode_.end() || it->first != cp) return std::nullopt;
  return it->second;
}

void CodeTable::add(std::uint16_t code, char32_t cp) {
  if (cp == 0) return;
  const std::size_t index =
      width_ == 1 ? code - 0x20u : ((code >> 8) - 0x20u) * 96u + ((code & 0xFFu) - 0x20u);
  to_unicode_[index] = cp;
  from_unicode_.emplace_back(cp, code);
}

void CodeTable::finish() {
  // Codes were added in ascending order; for a character with two codes the lower one wins.
  std::stable_sort(from_unicode_.begin(), from_unicode_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  from_unicode_.erase(std::unique(from_unicode_.begin(), from_unicode_.end(),
                                  [](const auto& a, const auto& b) { return a.first == b.first; }),
                      from_unicode_.end());
}

CodeTable CodeTable::build(CodeSet set) {
  CodeTable table;
  switch (set) {
    case CodeSet::None:
      break;
    case CodeSet::Ascii:
    case CodeSet::JisRoman:
      // JIS X 0201 Romaji differs from ASCII only at 05/12 (YEN SIGN) and 07/14 (OVERLINE).
      // DICOM uses 05/12 as the value delimiter in either set (PS3.5 §6.1.2.5.3 names the YEN
      // SIGN), so both stay '\\' and '~' here, as in Shift_JIS practice (CP932, ICU's
      // Shift_JIS), and text round-trips.
      table.to_unicode_.assign(96, 0);
      for (std::uint16_t c = 0x21; c <= 0x7E; ++c) table.add(c, c);
      break;
    case CodeSet::JisKatakana:
      // JIS X 0201 Katakana 02/01..05/15 are the half-width forms U+FF61..U+FF9F.
      table.to_unicode_.assign(96, 0);
      for (std::uint16_t c = 0x21; c <= 0x5F; ++c) table.add(c, 0xFF61 + (c - 0x21u));
      break;
    case CodeSet::JisX0208:
    case CodeSet::JisX0212:
    case CodeSet::KsX1001:
    case CodeSet::Gb2312: {
      table.width_ = 2;
      table.to_unicode_.assign(std::size_t{96} * 96, 0);
      // Each set through its EUC form (both bytes | 0x80; JIS X 0212 after SS3). For Japanese,
      // ibm-954 follows the JIS standard mappings (02/01 01/01 -> U+301C WAVE DASH, as Python's
      // iso2022_jp and Java do) and covers JIS X 0212, unlike the CP932-flavoured "EUC-JP".
      const char* name = set == CodeSet::KsX1001  ? "EUC-KR"
                         : set == CodeSet::Gb2312 ? "GB2312"
                                                  : "ibm-954_P101-2007";
      ConverterPtr converter = open_strict(name);
      if (!converter) break;
      for (unsigned first = 0x21; first <= 0x7E; ++first) {
        for (unsigned second = 0x21; second <= 0x7E; ++second) {
          // JIS X 0212 follows SS3 (08/15) in EUC-JP.
          const std::array<char, 3> bytes{static_cast<char>(0x8F), static_cast<char>(first | 0x80u),
                                          static_cast<char>(second | 0x80u)};
          const bool ss3 = set == CodeSet::JisX0212;
          table.add(static_cast<std::uint16_t>((first << 8) | second),
                    decode_one(converter.get(), bytes.data() + (ss3 ? 0 : 1), ss3 ? 3 : 2));
        }
      }
      break;
    }
    default: {
      table.to_unicode_.assign(96, 0);
      ConverterPtr converter = open_strict(iso8859_converter(set));
      if (!converter) break;
      for (std::uint16_t c = 0x20; c <= 0x7F; ++c) {
        const char byte = static_cast<char>(c | 0x80u);
        table.add(c, decode_one(converter.get(), &byte, 1));
      }
      break;
    }
  }
  table.finish();
  return table;
}

const CodeTable& code_table(CodeSet set) {
  switch (set) {
    case CodeSet::None:
      return table_of<CodeSet::None>();
    case CodeSet::Ascii:
      return table_of<CodeSet::Ascii>();
    case CodeSet::JisRoman:
      return table_of<CodeSet::JisRoman>();
    case CodeSet::JisKatakana:
      return table_of<CodeSet::JisKatakana>();
    case CodeSet::Latin1:
      return table_of<CodeSet::Latin1>();
    case CodeSet::Latin2:
      return table_of<CodeSet::Latin2>();
    case CodeSet::Latin3:
      return table_of<CodeSet::Latin3>();
    case CodeSet::Latin4:
      return table_of<CodeSet::Latin4>();
    case CodeSet::Cyrillic:
      return table_of<CodeSet::Cyrillic>();
    case CodeSet::Arabic:
      return table_of<CodeSet::Arabic>();
    case CodeSet::Greek:
      return table_of<CodeSet::Greek>();
    case CodeSet::Hebrew:
      return table_of<CodeSet::Hebrew>();
    case CodeSet::Latin5:
      return table_of<CodeSet::Latin5>();
    case CodeSet::Latin9:
      return table_of<CodeSet::Latin9>();
    case CodeSet::Thai:
      return table_of<CodeSet::Thai>();
    case CodeSet::JisX0208:
      return table_of<CodeSet::JisX0208>();
    case CodeSet::JisX0212:
      return table_of<CodeSet::JisX0212>();
    case CodeSet::KsX1001:
      return table_of<CodeSet::KsX1001>();
    case CodeSet::Gb2312:
      return table_of<CodeSet::Gb2312>();
  }
  return table_of<CodeSet::None>();
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::optional<char32_t> next_utf8(std::string_view text, std::size_t* pos) noexcept {
  const std::size_t start = *pos;
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned lead = byte(start);
  *pos = start + 1;
  if (lead < 0x80) return lead;
  std::size_t length = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, cp = lead & 0x1Fu, min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, cp = lead & 0x0Fu, min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, cp = lead & 0x07u, min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (text.size() - start < length) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned next = byte(start + i);
    if ((next & 0xC0u) != 0x80u) return std::nullopt;
    cp = (cp << 6) | (next & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  *pos = start + length;
  return cp;
}

}  // namespace dcmkit::dcmdata::detail

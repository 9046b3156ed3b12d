// SPDX-License-Identifier: BSD-3-Clause
// Specific Character Set: the defined terms of PS3.3 §C.12.1.1.2, a hand-written ISO 2022
// state machine following PS3.5 §6.1.2.5 (ICU's ISO-2022 converters do not apply DICOM's
// rules: 8-bit code, G1 designations, resets at delimiters), code tables from ICU
// (charset_tables.cc), and ICU converters for GB18030 and GBK.
#include "dcmkit/dcmdata/charset.h"

#include <unicode/ucnv.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>

#include "charset_tables.h"
#include "dcmkit/ofstd/strings.h"

namespace dcmkit::dcmdata {

namespace detail {

/// The supported defined terms, whatever their spelling ("ISO_IR 100" / "ISO 2022 IR 100").
enum class TermId : std::uint8_t {
  // Single-byte (PS3.3 Tables C.12-2 and C.12-3); the order is relied on by is_single_byte().
  Ir6,
  Ir100,
  Ir101,
  Ir109,
  Ir110,
  Ir144,
  Ir127,
  Ir126,
  Ir138,
  Ir148,
  Ir203,
  Ir13,
  Ir166,
  // Multi-byte, with code extensions only (PS3.3 Table C.12-4).
  Ir87,
  Ir159,
  Ir149,
  Ir58,
  // Multi-byte, without code extensions (PS3.3 Table C.12-5).
  Ir192,
  Gb18030,
  Gbk,
};

}  // namespace detail

using detail::CodeElement;
using detail::CodeSet;
using detail::TermId;
using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;

namespace {

constexpr char32_t kReplacement = 0xFFFD;

struct TermInfo {
  TermId id;
  const char* number;  // "100" in "ISO_IR 100" / "ISO 2022 IR 100"; the name for GB18030/GBK
  bool single_form;    // defined as "ISO_IR nnn" (Tables C.12-2 and C.12-5)
  bool iso2022_form;   // defined as "ISO 2022 IR nnn" (Tables C.12-3 and C.12-4)
  CodeSet g0;          // the sets the term designates (PS3.3 Tables C.12-3 and C.12-4)
  CodeSet g1;
};

// ISO_IR 6 is not a defined term ("no value" is); it is accepted as the default repertoire.
constexpr std::array<TermInfo, 20> kTerms{{
    {TermId::Ir6, "6", false, true, CodeSet::Ascii, CodeSet::None},
    {TermId::Ir100, "100", true, true, CodeSet::Ascii, CodeSet::Latin1},
    {TermId::Ir101, "101", true, true, CodeSet::Ascii, CodeSet::Latin2},
    {TermId::Ir109, "109", true, true, CodeSet::Ascii, CodeSet::Latin3},
    {TermId::Ir110, "110", true, true, CodeSet::Ascii, CodeSet::Latin4},
    {TermId::Ir144, "144", true, true, CodeSet::Ascii, CodeSet::Cyrillic},
    {TermId::Ir127, "127", true, true, CodeSet::Ascii, CodeSet::Arabic},
    {TermId::Ir126, "126", true, true, CodeSet::Ascii, CodeSet::Greek},
    {TermId::Ir138, "138", true, true, CodeSet::Ascii, CodeSet::Hebrew},
    {TermId::Ir148, "148", true, true, CodeSet::Ascii, CodeSet::Latin5},
    {TermId::Ir203, "203", true, true, CodeSet::Ascii, CodeSet::Latin9},
    {TermId::Ir13, "13", true, true, CodeSet::JisRoman, CodeSet::JisKatakana},
    {TermId::Ir166, "166", true, true, CodeSet::Ascii, CodeSet::Thai},
    {TermId::Ir87, "87", false, true, CodeSet::JisX0208, CodeSet::None},
    {TermId::Ir159, "159", false, true, CodeSet::JisX0212, CodeSet::None},
    {TermId::Ir149, "149", false, true, CodeSet::None, CodeSet::KsX1001},
    {TermId::Ir58, "58", false, true, CodeSet::None, CodeSet::Gb2312},
    {TermId::Ir192, "192", true, false, CodeSet::None, CodeSet::None},
    {TermId::Gb18030, "GB18030", true, false, CodeSet::None, CodeSet::None},
    {TermId::Gbk, "GBK", true, false, CodeSet::None, CodeSet::None},
}};

constexpr bool terms_are_indexed_by_id() {
  for (std::size_t i = 0; i < kTerms.size(); ++i) {
    if (static_cast<std::size_t>(kTerms[i].id) != i) return false;
  }
  return true;
}
static_assert(terms_are_indexed_by_id());

const TermInfo& info_of(TermId id) { return kTerms[static_cast<std::size_t>(id)]; }

bool is_single_byte(TermId id) { return id <= TermId::Ir166; }
bool is_iso2022_multi_byte(TermId id) { return id >= TermId::Ir87 && id <= TermId::Ir58; }

struct ParsedTerm {
  TermId id;
  bool iso2022_spelling;  // "ISO 2022 IR ..." (or a lenient variant of it)
  bool exact;             // spelled exactly as in PS3.3
};

// Matches a trimmed, non-empty term. Case, spaces, '_' and '-' are ignored: files carry
// "ISO_IR100", "ISO-IR 100" and lower case (DCMTK 3.6.7 rejects all of these).
std::optional<ParsedTerm> parse_term(std::string_view term) {
  std::string key;
  for (char c : term) {
    if (c == ' ' || c == '_' || c == '-') continue;
    key += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  }
  for (const TermInfo& info : kTerms) {
    const std::string number = info.number;
    if (info.id == TermId::Gb18030 || info.id == TermId::Gbk) {
      if (key == number) return ParsedTerm{info.id, false, term == number};
      continue;
    }
    if (key == "ISOIR" + number) {
      // "ISO_IR 87" is accepted for "ISO 2022 IR 87"; "ISO_IR 6" for the default.
      return ParsedTerm{info.id, false, info.single_form && term == "ISO_IR " + number};
    }
    if (key == "ISO2022IR" + number && info.iso2022_form) {
      return ParsedTerm{info.id, true, term == "ISO 2022 IR " + number};
    }
  }
  return std::nullopt;
}

std::string hex_code_point(char32_t cp) {
  std::array<char, 16> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "U+%04X", static_cast<unsigned>(cp));
  return buffer.data();
}

// The sets active at the start of a value and restored at delimiters (PS3.5 §6.1.2.5.1 c).
struct Designations {
  CodeSet g0 = CodeSet::Ascii;
  CodeSet g1 = CodeSet::None;
};

// How a character set is decoded and encoded.
enum class Scheme : std::uint8_t {
  SevenBit,   // the default repertoire: ASCII only
  EightBit,   // one ISO 8859 or TIS 620 set, no code extensions
  Iso2022,    // code extensions (PS3.5 §6.1.2.5.1 c)
  ShiftJis,   // ISO_IR 13 without code extensions, decoded as Shift_JIS (see decode_shift_jis)
  Utf8,       // ISO_IR 192
  Converter,  // GB18030, GBK through ICU
};

struct Plan {
  Scheme scheme = Scheme::SevenBit;
  Designations initial;
  std::vector<CodeSet> sets;  // Iso2022: candidate sets for encoding, in the order of the values
  const char* converter = nullptr;
};

Plan make_plan(const std::vector<TermId>& ids, bool code_extensions) {
  Plan plan;
  if (ids.empty()) return plan;
  const TermId first = ids.front();
  if (!code_extensions) {
    if (first == TermId::Ir192) {
      plan.scheme = Scheme::Utf8;
    } else if (first == TermId::Gb18030 || first == TermId::Gbk) {
      plan.scheme = Scheme::Converter;
      plan.converter = first == TermId::Gb18030 ? "GB18030" : "GBK";
    } else if (first == TermId::Ir13) {
      plan.scheme = Scheme::ShiftJis;
      plan.initial = {CodeSet::JisRoman, CodeSet::JisKatakana};
    } else {
      plan.scheme = Scheme::EightBit;
      plan.initial = {CodeSet::Ascii, info_of(first).g1};
    }
    return plan;
  }
  plan.scheme = Scheme::Iso2022;
  if (is_single_byte(first)) {
    plan.initial = {info_of(first).g0, info_of(first).g1};
  } else {
    // Lenient: a multi-byte set as value 1 cannot be the initial designation; ISO-IR 6 is.
    plan.sets.push_back(CodeSet::Ascii);
  }
  for (const TermId id : ids) {
    for (const CodeSet set : {info_of(id).g0, info_of(id).g1}) {
      if (set != CodeSet::None &&
          std::find(plan.sets.begin(), plan.sets.end(), set) == plan.sets.end()) {
        plan.sets.push_back(set);
      }
    }
  }
  return plan;
}

// Delimiters before which value 1's designations must be active (PS3.5 §6.1.2.5.3): control
// characters other than ESC (CR, LF, FF, TAB ...), the value delimiter '\\' of multi-valued
// VRs, and the component and group delimiters '^' '=' of PN.
struct Delimiters {
  bool backslash;
  bool person_name;

  explicit Delimiters(VR vr)
      : backslash(vr_info(vr).multi_valued_text), person_name(vr == VR::PN) {}
  [[nodiscard]] bool is_text_delimiter(char32_t c) const {
    return (backslash && c == '\\') || (person_name && (c == '^' || c == '='));
  }
};

std::uint8_t byte_at(std::span<const std::byte> bytes, std::size_t i) {
  return static_cast<std::uint8_t>(bytes[i]);
}

// --- Decoding -----------------------------------------------------------------------------

class Decoder {
 public:
  Decoder(std::string& out, bool& replaced) : out_(out), replaced_(replaced) {}

  void put(char32_t cp) {
    if (cp == 0) {
      bad();
    } else {
      detail::append_utf8(out_, cp);
    }
  }
  void bad() {
    detail::append_utf8(out_, kReplacement);
    replaced_ = true;
  }

 private:
  std::string& out_;
  bool& replaced_;
};

// 7-bit, 8-bit and ISO 2022 code (PS3.5 §6.1.2.5.1): GL bytes through G0, GR bytes through G1.
void decode_iso2022(std::span<const std::byte> in, const Plan& plan, VR vr, Decoder& out) {
  const bool escapes = plan.scheme == Scheme::Iso2022;
  const bool eight_bit = plan.scheme != Scheme::SevenBit;
  const Delimiters delimiters(vr);
  CodeSet g0 = plan.initial.g0;
  CodeSet g1 = plan.initial.g1;
  // When value 1 designates no G1 set, G1 keeps its designation: see charset.h (decode()).
  const auto reset = [&] {
    g0 = plan.initial.g0;
    if (plan.initial.g1 != CodeSet::None) g1 = plan.initial.g1;
  };
  const std::size_t size = in.size();
  std::size_t i = 0;
  while (i < size) {
    const std::uint8_t b = byte_at(in, i);
    if (b == 0x1B && escapes) {
      // ESC, intermediate bytes 02/00..02/15, a final byte 03/00..07/14 (ISO 2022 §13.1).
      std::size_t j = i + 1;
      std::string intermediates;
      while (j < size && byte_at(in, j) >= 0x20 && byte_at(in, j) <= 0x2F) {
        intermediates += static_cast<char>(byte_at(in, j++));
      }
      if (j >= size || byte_at(in, j) < 0x30 || byte_at(in, j) > 0x7E) {
        out.bad();  // truncated or malformed: drop ESC and the intermediates
        i = j;
        continue;
      }
      std::optional<CodeElement> element;
      const auto set =
          detail::designated_set(intermediates, static_cast<char>(byte_at(in, j)), &element);
      if (!set) out.bad();
      if (element) (*element == CodeElement::G0 ? g0 : g1) = set.value_or(CodeSet::None);
      i = j + 1;
      continue;
    }
    if (b < 0x20 || b == 0x7F) {
      if (b != 0x1B) reset();
      out.put(b);
      ++i;
      continue;
    }
    if (b == 0x20) {  // SPACE is not part of any 94 or 94x94 set
      out.put(b);
      ++i;
      continue;
    }
    if (b < 0x80) {
      const detail::CodeTable& table = detail::code_table(g0);
      if (table.width() == 2) {
        if (i + 1 < size && byte_at(in, i + 1) >= 0x21 && byte_at(in, i + 1) <= 0x7E) {
          out.put(table.to_unicode(static_cast<std::uint16_t>((b << 8) | byte_at(in, i + 1))));
          i += 2;
        } else {
          out.bad();
          ++i;
        }
        continue;
      }
      if (delimiters.is_text_delimiter(b)) {
        reset();  // value 1's G0 is always a single-byte set with ASCII's delimiters
        out.put(b);
      } else {
        out.put(table.to_unicode(b));
      }
      ++i;
      continue;
    }
    if (!eight_bit) {
      out.bad();
      ++i;
      continue;
    }
    if (b < 0xA0) {  // C1 control characters of the 8-bit code
      reset();
      out.put(b);
      ++i;
      continue;
    }
    const detail::CodeTable& table = detail::code_table(g1);
    if (table.width() == 2) {
      if (b >= 0xA1 && b <= 0xFE && i + 1 < size && byte_at(in, i + 1) >= 0xA1 &&
          byte_at(in, i + 1) <= 0xFE) {
        out.put(table.to_unicode(
            static_cast<std::uint16_t>(((b & 0x7F) << 8) | (byte_at(in, i + 1) & 0x7F))));
        i += 2;
      } else {
        out.bad();
        ++i;
      }
      continue;
    }
    out.put(table.to_unicode(b & 0x7Fu));
    ++i;
  }
}

// ISO_IR 13 is JIS X 0201 (PS3.3 Table C.12-2). Writers that meant Shift_JIS also put JIS X
// 0208 characters as Shift_JIS byte pairs in such values (e.g. Orthanc's Lena-shift-jis.dcm);
// DCMTK 3.6.7 decodes ISO_IR 13 as Shift_JIS too. Valid JIS X 0201 text decodes the same.
void decode_shift_jis(std::span<const std::byte> in, Decoder& out) {
  const detail::CodeTable& kanji = detail::code_table(CodeSet::JisX0208);
  const std::size_t size = in.size();
  std::size_t i = 0;
  while (i < size) {
    const unsigned b = byte_at(in, i);
    if (b < 0x80) {
      out.put(b);
      ++i;
    } else if (b >= 0xA1 && b <= 0xDF) {
      out.put(0xFF61 + (b - 0xA1));
      ++i;
    } else if (((b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC)) && i + 1 < size &&
               byte_at(in, i + 1) >= 0x40 && byte_at(in, i + 1) <= 0xFC &&
               byte_at(in, i + 1) != 0x7F) {
      // Shift_JIS to JIS X 0208 row and cell (JIS X 0208:1997 Annex 1); lead bytes F0..FC are
      // user-defined rows, which have no characters here.
      const unsigned s2 = byte_at(in, i + 1);
      unsigned row = (b - (b <= 0x9F ? 0x70u : 0xB0u)) << 1;
      unsigned cell = 0;
      if (s2 < 0x9F) {
        row -= 1;
        cell = s2 - (s2 >= 0x80 ? 0x20u : 0x1Fu);
      } else {
        cell = s2 - 0x7Eu;
      }
      out.put(row <= 0x7E ? kanji.to_unicode(static_cast<std::uint16_t>((row << 8) | cell)) : 0);
      i += 2;
    } else {
      out.bad();
      ++i;
    }
  }
}

void decode_utf8(std::span<const std::byte> in, Decoder& out) {
  const std::string_view text(reinterpret_cast<const char*>(in.data()), in.size());  // NOLINT
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto cp = detail::next_utf8(text, &pos);
    out.put(cp.value_or(0));
  }
}

using ConverterPtr = std::unique_ptr<UConverter, void (*)(UConverter*)>;

void close_converter(UConverter* converter) { ucnv_close(converter); }

Result<ConverterPtr> open_converter(const char* name) {
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr converter(ucnv_open(name, &status), &close_converter);
  if (U_SUCCESS(status)) {
    ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr,
                        &status);
  }
  if (U_SUCCESS(status)) {
    ucnv_setFromUCallBack(converter.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr,
                          &status);
  }
  if (U_FAILURE(status)) {
    return Error(ErrorCode::Internal, std::string("ICU converter ") + name +
                                          " is not available: " + u_errorName(status));
  }
  return converter;
}

bool is_conversion_error(UErrorCode status) {
  return status == U_INVALID_CHAR_FOUND || status == U_ILLEGAL_CHAR_FOUND ||
         status == U_TRUNCATED_CHAR_FOUND;
}

Result<bool> decode_with_converter(std::span<const std::byte> in, const char* name, Decoder& out) {
  DCMKIT_ASSIGN_OR_RETURN(ConverterPtr converter, open_converter(name));
  // Every input byte yields at most one UTF-16 unit (a 4-byte GB18030 sequence two).
  std::vector<UChar> units(in.size() + 1);
  const char* source = reinterpret_cast<const char*>(in.data());  // NOLINT
  const char* const source_end = source + in.size();
  UChar* target = units.data();
  UChar* const target_end = units.data() + units.size();
  const auto flush = [&] {
    for (const UChar* p = units.data(); p < target; ++p) {
      char32_t cp = *p;
      if (cp >= 0xD800 && cp <= 0xDBFF && p + 1 < target && p[1] >= 0xDC00 && p[1] <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<char32_t>(p[1]) - 0xDC00);
        ++p;
      }
      out.put(cp);
    }
    target = units.data();
  };
  while (true) {
    const char* const before = source;
    UErrorCode status = U_ZERO_ERROR;
    ucnv_toUnicode(converter.get(), &target, target_end, &source, source_end, nullptr, true,
                   &status);
    flush();
    if (U_SUCCESS(status)) break;
    if (!is_conversion_error(status)) {
      return Error(ErrorCode::Internal,
                   std::string("ICU ") + name + " decoding failed: " + u_errorName(status));
    }
    // The STOP callback skipped the invalid bytes; step over one byte if it did not.
    out.bad();
    ucnv_resetToUnicode(converter.get());
    if (source == before) ++source;
    if (source >= source_end) break;
  }
  return true;
}

// --- Encoding -----------------------------------------------------------------------------

// One UTF-8 character of the text being encoded, with its position for error messages.
struct Character {
  char32_t cp;
  std::size_t number;  // 1-based
  std::size_t offset;  // byte offset in the UTF-8 text
};

// Splits UTF-8 into characters; InvalidArgument for invalid UTF-8.
Result<std::vector<Character>> characters_of(std::string_view utf8) {
  std::vector<Character> out;
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    const std::size_t offset = pos;
    const auto cp = detail::next_utf8(utf8, &pos);
    if (!cp) {
      return Error(ErrorCode::InvalidArgument,
                   "invalid UTF-8 at byte offset " + std::to_string(offset));
    }
    out.push_back(Character{*cp, out.size() + 1, offset});
  }
  return out;
}

Error not_representable(const Character& c, const std::string& charset_name) {
  return Error(ErrorCode::InvalidArgument,
               hex_code_point(c.cp) + " (character " + std::to_string(c.number) + ", byte offset " +
                   std::to_string(c.offset) + ") cannot be encoded in " + charset_name);
}

class Iso2022Encoder {
 public:
  Iso2022Encoder(const Plan& plan, VR vr) : plan_(plan), delimiters_(vr) {
    g0_ = plan.initial.g0;
    g1_ = plan.initial.g1;
  }

  // False if `c` is not in any of the sets.
  bool put(const Character& c) {
    const char32_t cp = c.cp;
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || delimiters_.is_text_delimiter(cp)) {
      restore_initial();
      out_ += static_cast<char>(cp);
      return true;
    }
    if (cp == 0x20) {
      if (detail::code_table(g0_).width() != 1) designate(plan_.initial.g0);
      out_ += ' ';
      return true;
    }
    for (const CodeSet set : plan_.sets) {
      const auto code = detail::code_table(set).from_unicode(cp);
      if (!code) continue;
      designate(set);
      const unsigned high = detail::element_of(set) == CodeElement::G1 ? 0x80u : 0u;
      if (detail::code_table(set).width() == 2) out_ += static_cast<char>((*code >> 8) | high);
      out_ += static_cast<char>((*code & 0xFFu) | high);
      return true;
    }
    return false;
  }

  std::string finish() {
    restore_initial();
    return std::move(out_);
  }

 private:
  void designate(CodeSet set) {
    CodeSet& current = detail::element_of(set) == CodeElement::G0 ? g0_ : g1_;
    if (current == set) return;
    out_ += '\x1B';
    out_ += detail::escape_sequence(set);
    current = set;
  }
  // PS3.5 §6.1.2.5.3: value 1's sets before delimiters and at the end of the value. A G1 that
  // value 1 leaves undefined cannot be restored, so it is forgotten, and the next use of a G1
  // set designates it again (as in the Korean example of PS3.5 Annex I).
  void restore_initial() {
    designate(plan_.initial.g0);
    if (plan_.initial.g1 != CodeSet::None) {
      designate(plan_.initial.g1);
    } else {
      g1_ = CodeSet::None;
    }
  }

  const Plan& plan_;
  Delimiters delimiters_;
  CodeSet g0_;
  CodeSet g1_;
  std::string out_;
};

Result<std::string> encode_with_converter(const std::vector<Character>& characters,
                                          const char* name, const std::string& charset_name) {
  DCMKIT_ASSIGN_OR_RETURN(ConverterPtr converter, open_converter(name));
  std::vector<UChar> units;
  std::vector<std::size_t> unit_end;  // per character: index after its last unit
  units.reserve(characters.size());
  for (const Character& c : characters) {
    if (c.cp >= 0x10000) {
      units.push_back(static_cast<UChar>(0xD800 + ((c.cp - 0x10000) >> 10)));
      units.push_back(static_cast<UChar>(0xDC00 + ((c.cp - 0x10000) & 0x3FF)));
    } else {
      units.push_back(static_cast<UChar>(c.cp));
    }
    unit_end.push_back(units.size());
  }
  std::string out(units.size() * 4 + 4, '\0');  // GB18030 uses at most 4 bytes per unit
  char* target = out.data();
  const UChar* source = units.data();
  UErrorCode status = U_ZERO_ERROR;
  ucnv_fromUnicode(converter.get(), &target, out.data() + out.size(), &source,
                   units.data() + units.size(), nullptr, true, &status);
  if (is_conversion_error(status)) {
    // The STOP callback leaves `source` after the character that could not be converted.
    const auto consumed = static_cast<std::size_t>(source - units.data());
    for (std::size_t k = 0; k < characters.size(); ++k) {
      if (unit_end[k] >= consumed) return not_representable(characters[k], charset_name);
    }
  }
  if (U_FAILURE(status)) {
    return Error(ErrorCode::Internal,
                 std::string("ICU ") + name + " encoding failed: " + u_errorName(status));
  }
  out.resize(static_cast<std::size_t>(target - out.data()));
  return out;
}

}  // namespace

CharacterSet::CharacterSet() = default;

Result<CharacterSet> CharacterSet::from_value(std::string_view value) {
  CharacterSet cs;
  std::vector<std::string_view> parts = ofstd::split(value, '\\');
  for (auto& part : parts) part = ofstd::trim(part);
  while (!parts.empty() && parts.back().empty()) parts.pop_back();
  if (parts.empty()) return cs;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string_view part = parts[i];
    if (part.empty()) {
      // Value 1 empty: ISO-IR 6 (PS3.3 §C.12.1.1.2). A later empty value means nothing.
      cs.terms_.emplace_back();
      cs.ids_.push_back(TermId::Ir6);
      if (i != 0) cs.standard_ = false;
      continue;
    }
    const auto term = parse_term(part);
    if (!term) {
      return Error(ErrorCode::Unsupported,
                   "unknown Specific Character Set term '" + std::string(part) + "'");
    }
    cs.terms_.emplace_back(part);
    cs.ids_.push_back(term->id);
    if (!term->exact) cs.standard_ = false;
    if (term->iso2022_spelling) cs.code_extensions_ = true;
    if (is_iso2022_multi_byte(term->id)) {
      cs.code_extensions_ = true;
      if (i == 0) cs.standard_ = false;  // value 1 must be a single-byte set
    }
  }
  if (cs.ids_.size() == 1 && cs.ids_[0] == TermId::Ir6 && !cs.code_extensions_) {
    // "ISO_IR 6": not a defined term, but what the writer meant is clear (DCMTK: same).
    cs.terms_.clear();
    cs.ids_.clear();
    cs.standard_ = false;
    return cs;
  }
  if (cs.ids_.size() > 1) {
    cs.code_extensions_ = true;
    for (std::size_t i = 0; i < cs.ids_.size(); ++i) {
      const TermId id = cs.ids_[i];
      if (id == TermId::Ir192 || id == TermId::Gb18030 || id == TermId::Gbk) {
        return Error(ErrorCode::Unsupported,
                     "Specific Character Set '" + cs.value() + "': '" + cs.terms_[i] +
                         "' cannot be combined with other character sets (PS3.5 §6.1.2.5.3)");
      }
      // "ISO_IR nnn" among several values: read as "ISO 2022 IR nnn".
      if (!cs.terms_[i].empty() && !ofstd::starts_with(cs.terms_[i], "ISO 2022")) {
        cs.standard_ = false;
      }
    }
  } else if (cs.code_extensions_) {
    cs.standard_ = false;  // a single "ISO 2022 IR nnn": DCMTK 3.6.7 rejects it
  }
  return cs;
}

const CharacterSet& CharacterSet::default_repertoire() noexcept {
  static const CharacterSet kDefault;
  return kDefault;
}

std::string CharacterSet::value() const { return ofstd::join(terms_, "\\"); }

bool CharacterSet::is_utf8() const noexcept { return ids_.size() == 1 && ids_[0] == TermId::Ir192; }

bool CharacterSet::uses_code_extensions() const noexcept { return code_extensions_; }

Result<std::string> CharacterSet::decode(std::span<const std::byte> bytes, VR vr,
                                         bool* replaced) const {
  bool any_replaced = false;
  std::string out;
  out.reserve(bytes.size());
  Decoder decoder(out, any_replaced);
  const Plan plan = make_plan(ids_, code_extensions_);
  switch (plan.scheme) {
    case Scheme::SevenBit:
    case Scheme::EightBit:
    case Scheme::Iso2022:
      decode_iso2022(bytes, plan, vr, decoder);
      break;
    case Scheme::ShiftJis:
      decode_shift_jis(bytes, decoder);
      break;
    case Scheme::Utf8:
      decode_utf8(bytes, decoder);
      break;
    case Scheme::Converter: {
      auto done = decode_with_converter(bytes, plan.converter, decoder);
      if (!done) return std::move(done).error();
      break;
    }
  }
  if (replaced != nullptr) *replaced = any_replaced;
  return out;
}

Result<std::string> CharacterSet::encode(std::string_view utf8, VR vr) const {
  DCMKIT_ASSIGN_OR_RETURN(const std::vector<Character> characters, characters_of(utf8));
  const std::string name =
      is_default() ? std::string("the default repertoire (ISO-IR 6)") : "'" + value() + "'";
  const Plan plan = make_plan(ids_, code_extensions_);
  switch (plan.scheme) {
    case Scheme::Utf8:
      return std::string(utf8);
    case Scheme::Converter:
      return encode_with_converter(characters, plan.converter, name);
    case Scheme::Iso2022: {
      Iso2022Encoder encoder(plan, vr);
      for (const Character& c : characters) {
        if (c.cp == 0x1B || !encoder.put(c)) return not_representable(c, name);
      }
      return encoder.finish();
    }
    case Scheme::SevenBit:
    case Scheme::EightBit:
    case Scheme::ShiftJis:
      break;
  }
  // One set without code extensions: ASCII (or JIS X 0201 Romaji, identical here) in GL, C0
  // and C1 control characters as they are, and the set's GR characters.
  const detail::CodeTable& g1 = detail::code_table(plan.initial.g1);
  std::string out;
  out.reserve(utf8.size());
  for (const Character& c : characters) {
    if (c.cp < 0x80) {
      out += static_cast<char>(c.cp);
      continue;
    }
    if (plan.scheme == Scheme::EightBit && c.cp < 0xA0) {
      out += static_cast<char>(c.cp);
      continue;
    }
    const auto code = plan.scheme == Scheme::SevenBit ? std::nullopt : g1.from_unicode(c.cp);
    if (!code) return not_representable(c, name);
    out += static_cast<char>(*code | 0x80u);
  }
  return out;
}

}  // namespace dcmkit::dcmdata

// SPDX-License-Identifier: BSD-3-Clause
// Private: the graphic character sets that ISO 2022 code extensions designate in DICOM
// (PS3.3 Tables C.12-3 and C.12-4), as code tables built once from ICU's converters, plus small
// UTF-8 helpers shared by charset.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dcmkit::dcmdata::detail {

/// A graphic character set that can be designated to G0 or G1.
enum class CodeSet : std::uint8_t {
  None,         ///< nothing designated (G1 when value 1 is ISO-IR 6), or an unknown set
  Ascii,        ///< ISO-IR 6, G0, ESC ( B
  JisRoman,     ///< ISO-IR 14 (JIS X 0201 Romaji), G0, ESC ( J; decoded as ASCII, see .cc
  JisKatakana,  ///< ISO-IR 13 (JIS X 0201 Katakana), G1, ESC ) I
  Latin1,       ///< ISO-IR 100, G1, ESC - A
  Latin2,       ///< ISO-IR 101, G1, ESC - B
  Latin3,       ///< ISO-IR 109, G1, ESC - C
  Latin4,       ///< ISO-IR 110, G1, ESC - D
  Cyrillic,     ///< ISO-IR 144, G1, ESC - L
  Arabic,       ///< ISO-IR 127, G1, ESC - G
  Greek,        ///< ISO-IR 126, G1, ESC - F
  Hebrew,       ///< ISO-IR 138, G1, ESC - H
  Latin5,       ///< ISO-IR 148, G1, ESC - M
  Latin9,       ///< ISO-IR 203, G1, ESC - b
  Thai,         ///< ISO-IR 166 (TIS 620), G1, ESC - T
  JisX0208,     ///< ISO-IR 87, G0, ESC $ B
  JisX0212,     ///< ISO-IR 159, G0, ESC $ ( D
  KsX1001,      ///< ISO-IR 149, G1, ESC $ ) C
  Gb2312,       ///< ISO-IR 58, G1, ESC $ ) A
};

/// The code element a set is designated to.
enum class CodeElement : std::uint8_t { G0, G1 };

/// The element `set` is designated to in DICOM, and its escape sequence (without ESC).
CodeElement element_of(CodeSet set) noexcept;
std::string_view escape_sequence(CodeSet set) noexcept;
/// The set that the escape sequence ESC `intermediates` `final_byte` designates; nullopt if
/// it designates nothing DICOM knows. `element` receives the element it designates to, if the
/// intermediates tell (also for unknown sets).
std::optional<CodeSet> designated_set(std::string_view intermediates, char final_byte,
                                      std::optional<CodeElement>* element) noexcept;

/// A 94, 96 or 94x94 character set: its 7-bit codes (0x20..0x7F per byte) and Unicode.
class CodeTable {
 public:
  /// Bytes per character: 1 or 2.
  int width() const noexcept { return width_; }
  /// The character of 7-bit code `code` (one byte, or first byte << 8 | second byte); 0 if
  /// the code is unassigned.
  char32_t to_unicode(std::uint16_t code) const noexcept;
  /// The 7-bit code of `cp`, or nullopt if the set does not contain it.
  std::optional<std::uint16_t> from_unicode(char32_t cp) const noexcept;

  /// Builds the table of `set` (which must not be None); an empty table if ICU lacks a
  /// converter, so that every character is then invalid instead of a crash.
  static CodeTable build(CodeSet set);

 private:
  void add(std::uint16_t code, char32_t cp);
  void finish();

  int width_ = 1;
  std::vector<char32_t> to_unicode_;  // 96 or 96*96 entries, index from code - 0x20 per byte
  std::vector<std::pair<char32_t, std::uint16_t>> from_unicode_;  // sorted by code point
};

/// The shared, immutable table of `set` (built on first use; thread-safe).
const CodeTable& code_table(CodeSet set);

/// Appends `cp` to `out` as UTF-8.
void append_utf8(std::string& out, char32_t cp);
/// Reads one UTF-8 character at `*pos`, advancing it; nullopt (and advancing by one byte) if
/// the bytes there are not valid UTF-8 (overlong forms, surrogates and values above U+10FFFF
/// included).
std::optional<char32_t> next_utf8(std::string_view text, std::size_t* pos) noexcept;

}  // namespace dcmkit::dcmdata::detail

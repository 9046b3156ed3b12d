// SPDX-License-Identifier: BSD-3-Clause
// Specific Character Set (0008,0005) handling: decoding element text to UTF-8 and encoding
// UTF-8 back, for every defined term of PS3.3 §C.12.1.1.2, including ISO 2022 code extensions
// (PS3.5 §6.1).
//
//   auto cs = CharacterSet::from_value("\\ISO 2022 IR 87");
//   auto utf8 = cs->decode(element.bytes().span(), VR::PN);   // "Yamada^Tarou=山田^太郎"
//   auto bytes = cs->encode("山田^太郎", VR::PN);             // ESC $ B ;3ED ESC ( B ^ ...
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dcmkit/dcmdata/vr.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmdata {

namespace detail {
enum class TermId : std::uint8_t;  // one supported defined term; defined in charset.cc
}  // namespace detail

/// The character repertoires named by one Specific Character Set value. Regular value type.
/// Thread-safety: const methods are safe concurrently (the code tables they share are built
/// once, on first use, and never change).
///
/// Supported defined terms (PS3.3 Tables C.12-2 to C.12-5): ISO_IR 100 101 109 110 144 127 126
/// 138 148 203 13 166 and ISO_IR 6; ISO 2022 IR 6 100 101 109 110 144 127 126 138 148 203 13
/// 166; ISO 2022 IR 87 159 149 58; ISO_IR 192, GB18030 and GBK.
///
/// Leniency (each a deviation seen in real files; is_standard() tells whether one was used):
/// - terms are matched ignoring case, spaces, '_' and '-' ("ISO_IR100", "iso-ir 100");
/// - "ISO_IR 6" is the default repertoire (it is not a defined term; DCMTK warns the same);
/// - in a multi-valued set, "ISO_IR nnn" stands for "ISO 2022 IR nnn" (e.g. "ISO_IR 13\ISO
///   2022 IR 87", written by Japanese modalities);
/// - a single "ISO 2022 IR nnn" value is accepted and keeps code extensions enabled;
/// - a multi-byte term (IR 87, 159, 149, 58) as value 1 implies ISO-IR 6 as the initial set.
class CharacterSet {
 public:
  /// The default repertoire (ISO-IR 6, i.e. ASCII): no Specific Character Set.
  CharacterSet();

  /// Parses a Specific Character Set value ("ISO_IR 100", "\\ISO 2022 IR 87", ...). Terms are
  /// trimmed; an empty first term means ISO-IR 6; trailing empty values are dropped.
  /// Unsupported names the first unknown term, or a multi-valued set that contains ISO_IR 192,
  /// GB18030 or GBK (these cannot take part in code extensions, PS3.5 §6.1.2.5.3 d).
  static ofstd::Result<CharacterSet> from_value(std::string_view value);
  /// The shared default repertoire instance.
  static const CharacterSet& default_repertoire() noexcept;

  /// The defined terms, as given (trimmed); empty for the default repertoire.
  const std::vector<std::string>& terms() const noexcept { return terms_; }
  /// The value as it would be written to (0008,0005).
  std::string value() const;
  /// True for the default repertoire (no value, an empty value or "ISO_IR 6").
  bool is_default() const noexcept { return terms_.empty(); }
  /// True if the set is "ISO_IR 192" (UTF-8).
  bool is_utf8() const noexcept;
  /// True if the set uses ISO 2022 code extensions (escape sequences): it has several values
  /// or an "ISO 2022 ..." term.
  bool uses_code_extensions() const noexcept;
  /// False if parsing needed one of the lenient rules listed above (a file to flag, not to
  /// reject).
  bool is_standard() const noexcept { return standard_; }

  /// Decodes the value bytes of an element with VR `vr` to UTF-8. Never fails on bad input:
  /// bytes not valid in the character set become U+FFFD and set `*replaced` (if given) to true,
  /// otherwise it is set to false. Only an internal failure of ICU gives an Error (Internal).
  ///
  /// With code extensions, escape sequences switch G0/G1 (PS3.5 §6.1.2.5), and the designations
  /// of value 1 are restored before every control character other than ESC (CR, LF, FF, TAB
  /// ...), before '\\' in multi-valued VRs and before '^' and '=' in PN (§6.1.2.5.3). When
  /// value 1 designates no G1 set (empty value 1), G1 stays as designated across delimiters: no
  /// escape sequence can undo a G1 designation, so valid data always re-designates G1 and
  /// this only recovers text from writers that do not. Escape sequences for character sets
  /// that (0008,0005) does not list are still decoded.
  ofstd::Result<std::string> decode(std::span<const std::byte> bytes, VR vr,
                                    bool* replaced = nullptr) const;
  /// Encodes UTF-8 text for an element with VR `vr`. InvalidArgument for invalid UTF-8 or for
  /// a character that cannot be represented in this character set (named as U+XXXX with its
  /// character and byte position).
  ///
  /// With code extensions, each character uses the first character set, in the order of the
  /// values of (0008,0005), that contains it; escape sequences are written only when the
  /// designation changes, and the designations of value 1 are restored before delimiters (see
  /// decode()) and at the end of the value (PS3.5 §6.1.2.5.3). Spaces are written with a
  /// single-byte G0 set. ESC itself (U+001B) is rejected.
  ofstd::Result<std::string> encode(std::string_view utf8, VR vr) const;

  friend bool operator==(const CharacterSet& a, const CharacterSet& b) noexcept {
    return a.terms_ == b.terms_;
  }

 private:
  std::vector<std::string> terms_;
  std::vector<detail::TermId> ids_;  // parallel to terms_; an empty value 1 is ISO-IR 6
  bool code_extensions_ = false;
  bool standard_ = true;
};

}  // namespace dcmkit::dcmdata

// SPDX-License-Identifier: BSD-3-Clause
// Element: one data element (tag, VR, value). Values stay the bytes that were read (a view into
// the file, in the file's byte order) until a typed accessor interprets them, so a file with one
// bad value still loads and fails only where that value is used, and unchanged values are
// written back byte for byte. Include data_set.h to use Element fully.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dcmkit/dcmdata/shared_bytes.h"
#include "dcmkit/dcmdata/tag.h"
#include "dcmkit/dcmdata/uid.h"
#include "dcmkit/dcmdata/vr.h"
#include "dcmkit/ofstd/byte_order.h"
#include "dcmkit/ofstd/date_time.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmdata {

class DataSet;
class CharacterSet;

/// What an element's value is made of.
enum class ValueKind : std::uint8_t {
  Bytes,      ///< a primitive value: text or binary numbers, or a byte/word stream
  Sequence,   ///< SQ: items, each a DataSet
  Fragments,  ///< encapsulated Pixel Data: the offset table item and fragments (PS3.5 §A.4)
};

/// A person name split into its component groups (PS3.5 §6.2.1): alphabetic, ideographic and
/// phonetic, each with up to five '^'-separated components.
struct PersonName {
  std::string alphabetic;
  std::string ideographic;
  std::string phonetic;

  /// Components of the alphabetic group: family, given, middle, prefix, suffix (missing ones "").
  std::vector<std::string> components() const;
  friend bool operator==(const PersonName&, const PersonName&) = default;
};

/// One data element. Regular value type (copies share immutable value bytes).
/// Thread-safety: const methods are safe concurrently.
class Element {
 public:
  /// An element with an empty value (zero length; an empty sequence for SQ).
  Element(Tag tag, VR vr);
  /// A primitive element whose value is `bytes`, encoded in `byte_order` (binary VRs).
  Element(Tag tag, VR vr, SharedBytes bytes, ofstd::Endian byte_order = ofstd::Endian::Little);
  /// A sequence element with the given items.
  static Element sequence(Tag tag, std::vector<DataSet> items);
  /// Encapsulated pixel data: `fragments[0]` is the Basic Offset Table item (maybe empty).
  static Element encapsulated(Tag tag, VR vr, std::vector<SharedBytes> fragments);

  Element(const Element& other);
  Element(Element&& other) noexcept;
  Element& operator=(const Element& other);
  Element& operator=(Element&& other) noexcept;
  ~Element();

  Tag tag() const noexcept { return tag_; }
  VR vr() const noexcept { return vr_; }
  ValueKind kind() const noexcept { return kind_; }
  bool is_sequence() const noexcept { return kind_ == ValueKind::Sequence; }
  bool is_encapsulated() const noexcept { return kind_ == ValueKind::Fragments; }

  /// The VR to use from now on (e.g. after resolving "US or SS"); the value bytes are kept.
  void set_vr(VR vr) noexcept { vr_ = vr; }

  // --- Primitive values --------------------------------------------------------------------

  /// The value bytes as read or set (empty for sequences and fragments).
  const SharedBytes& bytes() const noexcept { return bytes_; }
  /// Byte order of binary values in bytes() (text is unaffected).
  ofstd::Endian byte_order() const noexcept { return byte_order_; }
  /// Replaces the value bytes (the element becomes primitive) and marks it modified().
  void set_bytes(SharedBytes bytes, ofstd::Endian byte_order = ofstd::Endian::Little);
  /// The value was set through the API rather than read from a stream (set_bytes() or a DataSet
  /// setter). Dumps print such text values exactly, without dropping trailing spaces.
  bool modified() const noexcept { return modified_; }
  /// The value bytes converted to little endian (a copy only if a swap is needed).
  SharedBytes little_endian_bytes() const;
  /// Value length in bytes: the primitive value's size (sequences and fragments: 0).
  std::uint64_t length() const noexcept { return bytes_.size(); }

  /// Number of values: backslash-separated values for multi-valued text VRs (0 if empty),
  /// size / value size for binary VRs, 1 for other non-empty values. Sequences: item count.
  std::size_t value_count() const noexcept;

  // --- Typed access (validating; the bytes are not changed) ------------------------------

  /// The value as text in UTF-8: decoded with `charset` (default repertoire if null), trailing
  /// padding removed (and leading spaces for VRs where they are insignificant), multiple values
  /// kept joined by '\\'. Unsupported for binary VRs.
  ofstd::Result<std::string> as_string(const CharacterSet* charset = nullptr) const;
  /// Each value of a multi-valued text VR, decoded and trimmed as in as_string().
  ofstd::Result<std::vector<std::string>> as_strings(const CharacterSet* charset = nullptr) const;
  /// The raw text of value `index` as written (padding trimmed, not decoded); for DS/IS this is
  /// the exact original number text. MalformedData/NotFound for bad VR or index.
  ofstd::Result<std::string_view> raw_text(std::size_t index = 0) const;
  /// Integer value `index`: US SS UL SL SV UV (UV above INT64_MAX fails), IS, or AT as 0xGGGGEEEE.
  ofstd::Result<std::int64_t> as_int(std::size_t index = 0) const;
  /// All integer values (as as_int).
  ofstd::Result<std::vector<std::int64_t>> as_ints() const;
  /// Unsigned value `index` of US UL UV (any size up to 2^64-1), or a non-negative integer VR.
  ofstd::Result<std::uint64_t> as_uint(std::size_t index = 0) const;
  /// Floating value `index`: FL FD OF OD DS, or any integer VR.
  ofstd::Result<double> as_double(std::size_t index = 0) const;
  /// All floating values (as as_double).
  ofstd::Result<std::vector<double>> as_doubles() const;
  /// AT values.
  ofstd::Result<std::vector<Tag>> as_tags() const;
  /// A UI value, validated.
  ofstd::Result<Uid> as_uid() const;
  /// DA value `index`.
  ofstd::Result<ofstd::Date> as_date(std::size_t index = 0) const;
  /// TM value `index`.
  ofstd::Result<ofstd::Time> as_time(std::size_t index = 0) const;
  /// DT value `index`.
  ofstd::Result<ofstd::DateTime> as_date_time(std::size_t index = 0) const;
  /// PN value `index`, decoded (each component group with the character set rules of PS3.5 §6.1).
  ofstd::Result<PersonName> as_person_name(std::size_t index = 0,
                                           const CharacterSet* charset = nullptr) const;

  // --- Sequences -------------------------------------------------------------------------

  /// Items of a sequence (empty for other kinds).
  const std::vector<DataSet>& items() const noexcept;
  /// Items of a sequence, for editing; the element becomes a sequence if it was not one.
  std::vector<DataSet>& items();

  // --- Encapsulated pixel data -----------------------------------------------------------

  /// Offset table item followed by the fragments (empty for other kinds).
  const std::vector<SharedBytes>& fragments() const noexcept { return fragments_; }
  std::vector<SharedBytes>& fragments() noexcept { return fragments_; }

  // --- Encoding hints (kept so unchanged data is written back as it was) -----------------

  /// The element (SQ, or encapsulated pixel data, or UN read as CP-246) had undefined length.
  bool undefined_length() const noexcept { return undefined_length_; }
  void set_undefined_length(bool undefined) noexcept { undefined_length_ = undefined; }
  /// For a sequence read with an explicit length: that length as it was in the stream (a dump
  /// shows it, as DCMTK does, even when the content has changed since).
  std::optional<std::uint32_t> read_length() const noexcept { return read_length_; }
  void set_read_length(std::optional<std::uint32_t> length) noexcept { read_length_ = length; }
  /// The element was read from an undefined-length UN value and parsed as implicit VR little
  /// endian (CP-246); the writer encodes such a sequence as UN again in explicit VR.
  bool read_as_un_sequence() const noexcept { return un_sequence_; }
  void set_read_as_un_sequence(bool value) noexcept { un_sequence_ = value; }

  /// The VR was not in the stream (implicit VR encoding) but taken from the dictionary; a
  /// dump shows DCMTK's pseudo VRs ("xs", "lt", "??") for such elements.
  bool vr_from_dictionary() const noexcept { return vr_from_dictionary_; }
  void set_vr_from_dictionary(bool value) noexcept { vr_from_dictionary_ = value; }

  /// Deep equality: tag, VR, kind, and value contents (byte order normalized).
  friend bool operator==(const Element& a, const Element& b);

 private:
  Tag tag_;
  VR vr_;
  ValueKind kind_ = ValueKind::Bytes;
  ofstd::Endian byte_order_ = ofstd::Endian::Little;
  bool undefined_length_ = false;
  bool un_sequence_ = false;
  bool vr_from_dictionary_ = false;
  bool modified_ = false;
  std::optional<std::uint32_t> read_length_;
  SharedBytes bytes_;
  std::vector<DataSet> items_;
  std::vector<SharedBytes> fragments_;
};

}  // namespace dcmkit::dcmdata

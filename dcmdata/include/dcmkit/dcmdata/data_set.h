// SPDX-License-Identifier: BSD-3-Clause
// DataSet: elements ordered by tag (PS3.5 §7.1), owned by value. Sequences own their items as
// DataSets, so a whole object is one tree of values with no shared mutable state.
//
//   auto file = read_file("ct.dcm");                   // see file.h
//   const DataSet& ds = file->data;
//   std::string name = ds.get_string(tags::PatientName).value_or("");
//   auto rows = ds.get_int(tags::Rows);                // Result<std::int64_t>
//   DataSet copy = ds;                                 // pixel data is shared, not copied
//   DCMKIT_TRY(copy.set_string(tags::PatientName, "Doe^Jane"));
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dcmkit/dcmdata/element.h"
#include "dcmkit/dcmdata/tag.h"
#include "dcmkit/dcmdata/uid.h"
#include "dcmkit/dcmdata/vr.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmdata {

class CharacterSet;
class TagPath;

/// A data set or sequence item. Elements are kept sorted by tag; lookups are O(log n) and
/// appending in tag order is O(1). Thread-safety: const methods are safe concurrently.
class DataSet {
 public:
  using const_iterator = std::vector<Element>::const_iterator;
  using iterator = std::vector<Element>::iterator;

  DataSet();
  DataSet(const DataSet& other);
  DataSet(DataSet&& other) noexcept;
  DataSet& operator=(const DataSet& other);
  DataSet& operator=(DataSet&& other) noexcept;
  ~DataSet();

  // --- Lookup ----------------------------------------------------------------------------

  /// The element with `tag`, or nullptr.
  const Element* find(Tag tag) const noexcept;
  Element* find(Tag tag) noexcept;
  bool contains(Tag tag) const noexcept { return find(tag) != nullptr; }
  /// The element addressed by a path such as "(0040,A730)[2].(0040,A168)[0].(0008,0100)";
  /// NotFound names the first step that does not exist. Wildcards are not allowed here.
  ofstd::Result<const Element*> find_path(const TagPath& path) const;
  ofstd::Result<Element*> find_path(const TagPath& path);

  std::size_t size() const noexcept { return elements_.size(); }
  bool empty() const noexcept { return elements_.empty(); }
  const_iterator begin() const noexcept { return elements_.begin(); }
  const_iterator end() const noexcept { return elements_.end(); }
  iterator begin() noexcept { return elements_.begin(); }
  iterator end() noexcept { return elements_.end(); }
  std::span<const Element> elements() const noexcept { return elements_; }

  // --- Modification ----------------------------------------------------------------------

  /// Inserts `element`, replacing an element with the same tag; returns the stored element.
  Element& insert(Element element);
  /// Appends an element whose tag is greater than every present tag (the parser's fast path);
  /// falls back to insert() otherwise. Returns false if the tag was already present (the
  /// existing element is kept, as DCMTK keeps the first of duplicated elements).
  bool append(Element element);
  /// Adds many elements in any order in O((n + m) log m); elements whose tag is already present
  /// (or repeated within `elements`) are dropped, the first one kept. Returns the dropped tags.
  std::vector<Tag> append_all(std::vector<Element> elements);
  /// Removes the element with `tag`; false if there was none.
  bool erase(Tag tag);
  /// Removes every element for which `predicate(element)` is true; returns how many.
  template <class Predicate>
  std::size_t erase_if(Predicate predicate) {
    return std::erase_if(elements_, predicate);
  }
  void clear() noexcept { elements_.clear(); }
  /// Reserves room for `count` elements (a hint for builders).
  void reserve(std::size_t count) { elements_.reserve(count); }

  // --- Typed access by tag (see Element for the rules) -----------------------------------

  /// The value as UTF-8 text, decoded with this data set's character set. NotFound if absent.
  ofstd::Result<std::string> get_string(Tag tag) const;
  ofstd::Result<std::vector<std::string>> get_strings(Tag tag) const;
  ofstd::Result<std::int64_t> get_int(Tag tag, std::size_t index = 0) const;
  ofstd::Result<std::uint64_t> get_uint(Tag tag, std::size_t index = 0) const;
  ofstd::Result<double> get_double(Tag tag, std::size_t index = 0) const;
  ofstd::Result<Uid> get_uid(Tag tag) const;
  ofstd::Result<PersonName> get_person_name(Tag tag, std::size_t index = 0) const;

  // --- Setting values (validated against the VR's rules; VR from the dictionary if omitted) --

  /// Sets a text value given in UTF-8, encoded in this data set's character set.
  /// InvalidArgument if the text breaks the VR's rules (length, characters, value count) or
  /// cannot be encoded; NotFound if no VR is given and the tag is not in the dictionary.
  ofstd::Status set_string(Tag tag, std::string_view utf8);
  ofstd::Status set_string(Tag tag, VR vr, std::string_view utf8);
  /// Sets several values of a multi-valued text VR (joined with '\\').
  ofstd::Status set_strings(Tag tag, VR vr, const std::vector<std::string>& utf8_values);
  /// Sets integer values of US SS UL SL SV UV (range-checked) or IS (formatted).
  ofstd::Status set_ints(Tag tag, VR vr, std::span<const std::int64_t> values);
  ofstd::Status set_int(Tag tag, VR vr, std::int64_t value) {
    return set_ints(tag, vr, std::span<const std::int64_t>(&value, 1));
  }
  /// Sets floating values of FL FD OF OD, or DS (shortest round-trip text, max 16 chars).
  ofstd::Status set_doubles(Tag tag, VR vr, std::span<const double> values);
  ofstd::Status set_double(Tag tag, VR vr, double value) {
    return set_doubles(tag, vr, std::span<const double>(&value, 1));
  }
  /// Sets a UI value.
  ofstd::Status set_uid(Tag tag, const Uid& uid);
  /// Sets AT values.
  ofstd::Status set_tags(Tag tag, std::span<const Tag> values);
  /// Sets raw value bytes (little endian for binary VRs); only the length rules are checked.
  ofstd::Status set_bytes(Tag tag, VR vr, SharedBytes bytes);

  // --- Character set ----------------------------------------------------------------------

  /// The character set that applies to this data set's text: its own Specific Character Set
  /// (0008,0005) if present, else the one inherited from the enclosing data set.
  const CharacterSet& character_set() const noexcept;
  /// The character set as a shared pointer (null for the default repertoire), to hand on to
  /// nested items.
  std::shared_ptr<const CharacterSet> character_set_ptr() const noexcept {
    return own_charset_ ? own_charset_ : inherited_charset_;
  }
  /// Sets the inherited character set (the parser does this for items; builders may too).
  void set_inherited_character_set(std::shared_ptr<const CharacterSet> charset);
  /// Re-reads (0008,0005) after it was changed; MalformedData/Unsupported for bad terms.
  ofstd::Status refresh_character_set();

  // --- Encoding hints -----------------------------------------------------------------------

  /// As an item: it was read with undefined length (written back the same way by default).
  bool undefined_length() const noexcept { return undefined_length_; }
  void set_undefined_length(bool undefined) noexcept { undefined_length_ = undefined; }

  /// As an item read with an explicit length: that length as it was in the stream.
  std::optional<std::uint32_t> read_length() const noexcept { return read_length_; }
  void set_read_length(std::optional<std::uint32_t> length) noexcept { read_length_ = length; }

  /// As an item read from a stream: the offset of its item tag in the input (DICOMDIR records
  /// are addressed by such offsets, PS3.10 §8.2); 0 for data sets that were not read.
  std::uint64_t source_offset() const noexcept { return source_offset_; }
  void set_source_offset(std::uint64_t offset) noexcept { source_offset_ = offset; }

  /// Deep equality of the elements (encoding hints ignored).
  friend bool operator==(const DataSet& a, const DataSet& b);

 private:
  std::vector<Element> elements_;
  std::shared_ptr<const CharacterSet> own_charset_;        // from (0008,0005), if present
  std::shared_ptr<const CharacterSet> inherited_charset_;  // from the enclosing data set
  bool undefined_length_ = false;
  std::optional<std::uint32_t> read_length_;
  std::uint64_t source_offset_ = 0;
};

}  // namespace dcmkit::dcmdata

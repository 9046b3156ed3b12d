// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/data_set.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>

#include "dcmkit/dcmdata/charset.h"
#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/dcmdata/tag_path.h"
#include "dcmkit/ofstd/strings.h"
#include "value_rules.h"

namespace dcmkit::dcmdata {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

namespace {

constexpr Tag kSpecificCharacterSet{0x0008, 0x0005};

auto lower_bound_tag(const std::vector<Element>& elements, Tag tag) {
  return std::lower_bound(elements.begin(), elements.end(), tag,
                          [](const Element& e, Tag t) { return e.tag() < t; });
}

// An element whose value was set through the API (see Element::modified()).
Element set_element(Tag tag, VR vr, SharedBytes bytes) {
  Element element(tag, vr);
  element.set_bytes(std::move(bytes));
  return element;
}

Error not_found(Tag tag) { return Error(ErrorCode::NotFound, tag.to_string() + " is not present"); }

// Pads an encoded value to even length with the VR's padding byte (PS3.5 §7.1.1).
SharedBytes padded(std::string encoded, VR vr) {
  if (encoded.size() % 2 != 0) encoded.push_back(vr_info(vr).padding);
  return SharedBytes::copy_of(encoded);
}

Result<VR> dictionary_vr(Tag tag) {
  if (const TagEntry* entry = lookup_tag(tag)) return entry->vr();
  if (tag.is_private_creator()) return VR::LO;
  if (tag.is_group_length()) return VR::UL;
  return Error(ErrorCode::NotFound,
               tag.to_string() + " is not in the data dictionary; give its VR explicitly");
}

// DS text for a double: the shortest text that reads back to the same value if it fits in the
// 16 characters DS allows, otherwise rounded to fit (PS3.5 Table 6.2-1).
Result<std::string> format_ds(double value) {
  if (!std::isfinite(value)) {
    return Error(ErrorCode::InvalidArgument, "DS cannot hold infinity or NaN");
  }
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  std::string text(buffer, end);
  for (int precision = 16; text.size() > 16 && precision > 0; --precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
    text = buffer;
  }
  if (text.size() > 16) return Error(ErrorCode::InvalidArgument, "value does not fit in DS");
  return text;
}

}  // namespace

DataSet::DataSet() = default;
DataSet::DataSet(const DataSet& other) = default;
DataSet::DataSet(DataSet&& other) noexcept = default;
DataSet& DataSet::operator=(const DataSet& other) = default;
DataSet& DataSet::operator=(DataSet&& other) noexcept = default;
DataSet::~DataSet() = default;

const Element* DataSet::find(Tag tag) const noexcept {
  const auto it = lower_bound_tag(elements_, tag);
  return it != elements_.end() && it->tag() == tag ? &*it : nullptr;
}

Element* DataSet::find(Tag tag) noexcept {
  const auto it = lower_bound_tag(elements_, tag);
  return it != elements_.end() && it->tag() == tag
             ? &elements_[static_cast<std::size_t>(it - elements_.begin())]
             : nullptr;
}

Element& DataSet::insert(Element element) {
  const Tag tag = element.tag();
  auto it = lower_bound_tag(elements_, tag);
  Element* stored = nullptr;
  if (it != elements_.end() && it->tag() == tag) {
    const auto index = static_cast<std::size_t>(it - elements_.begin());
    elements_[index] = std::move(element);
    stored = &elements_[index];
  } else {
    stored = &*elements_.insert(it, std::move(element));
  }
  if (tag == kSpecificCharacterSet) {
    // A bad value keeps the default repertoire; refresh_character_set() reports why.
    (void)refresh_character_set();
    stored = find(tag);
  }
  return *stored;
}

bool DataSet::append(Element element) {
  if (elements_.empty() || elements_.back().tag() < element.tag()) {
    elements_.push_back(std::move(element));
    return true;
  }
  if (contains(element.tag())) return false;
  insert(std::move(element));
  return true;
}

std::vector<Tag> DataSet::append_all(std::vector<Element> elements) {
  std::vector<Tag> dropped;
  if (elements.empty()) return dropped;
  const auto by_tag = [](const Element& a, const Element& b) { return a.tag() < b.tag(); };
  std::stable_sort(elements.begin(), elements.end(), by_tag);
  const auto middle = static_cast<std::ptrdiff_t>(elements_.size());
  elements_.insert(elements_.end(), std::make_move_iterator(elements.begin()),
                   std::make_move_iterator(elements.end()));
  // Stable: for equal tags the element that was present first stays first.
  std::inplace_merge(elements_.begin(), elements_.begin() + middle, elements_.end(), by_tag);
  const auto last = std::unique(elements_.begin(), elements_.end(),
                                [&dropped](const Element& a, const Element& b) {
                                  if (a.tag() != b.tag()) return false;
                                  dropped.push_back(b.tag());
                                  return true;
                                });
  elements_.erase(last, elements_.end());
  if (contains(kSpecificCharacterSet)) (void)refresh_character_set();
  return dropped;
}

bool DataSet::erase(Tag tag) {
  const auto it = lower_bound_tag(elements_, tag);
  if (it == elements_.end() || it->tag() != tag) return false;
  elements_.erase(it);
  if (tag == kSpecificCharacterSet) own_charset_.reset();
  return true;
}

Result<const Element*> DataSet::find_path(const TagPath& path) const {
  if (path.empty()) return Error(ErrorCode::InvalidArgument, "empty tag path");
  if (path.has_wildcard()) {
    return Error(ErrorCode::InvalidArgument, "a path with [*] addresses several elements");
  }
  const DataSet* current = this;
  const Element* element = nullptr;
  TagPath walked;
  for (std::size_t i = 0; i < path.steps().size(); ++i) {
    const TagPathStep& step = path.steps()[i];
    walked.push(step.tag);
    element = current->find(step.tag);
    if (element == nullptr) {
      return Error(ErrorCode::NotFound, walked.to_string() + " is not present");
    }
    if (step.item) {
      if (!element->is_sequence() || *step.item >= element->items().size()) {
        walked.back().item = step.item;
        return Error(ErrorCode::NotFound, walked.to_string() + " is not present");
      }
      walked.back().item = step.item;
      current = &element->items()[*step.item];
    } else if (i + 1 != path.steps().size()) {
      return Error(ErrorCode::InvalidArgument,
                   "step " + walked.to_string() + " needs an item index to go deeper");
    }
  }
  return element;
}

Result<Element*> DataSet::find_path(const TagPath& path) {
  DCMKIT_ASSIGN_OR_RETURN(const Element* found, std::as_const(*this).find_path(path));
  return const_cast<Element*>(found);  // NOLINT: same object, non-const access
}

Result<std::string> DataSet::get_string(Tag tag) const {
  const Element* e = find(tag);
  if (e == nullptr) return not_found(tag);
  return e->as_string(&character_set());
}

Result<std::vector<std::string>> DataSet::get_strings(Tag tag) const {
  const Element* e = find(tag);
  if (e == nullptr) return not_found(tag);
  return e->as_strings(&character_set());
}

Result<std::int64_t> DataSet::get_int(Tag tag, std::size_t index) const {
  const Element* e = find(tag);
  if (e == nullptr) return not_found(tag);
  return e->as_int(index);
}

Result<std::uint64_t> DataSet::get_uint(Tag tag, std::size_t index) const {
  const Element* e = find(tag);
  if (e == nullptr) return not_found(tag);
  return e->as_uint(index);
}

Result<double> DataSet::get_double(Tag tag, std::size_t index) const {
  const Element* e = find(tag);
  if (e == nullptr) return not_found(tag);
  return e->as_double(index);
}

Result<Uid> DataSet::get_uid(Tag tag) const {
  const Element* e = find(tag);
  if (e == nullptr) return not_found(tag);
  return e->as_uid();
}

Result<PersonName> DataSet::get_person_name(Tag tag, std::size_t index) const {
  const Element* e = find(tag);
  if (e == nullptr) return not_found(tag);
  return e->as_person_name(index, &character_set());
}

Status DataSet::set_string(Tag tag, std::string_view utf8) {
  DCMKIT_ASSIGN_OR_RETURN(const VR vr, dictionary_vr(tag));
  return set_string(tag, vr, utf8);
}

Status DataSet::set_string(Tag tag, VR vr, std::string_view utf8) {
  const VrInfo& info = vr_info(vr);
  if (info.kind != VrKind::Text) {
    return Error(ErrorCode::InvalidArgument,
                 tag.to_string() + ": VR " + std::string(to_string(vr)) + " does not hold text");
  }
  if (info.multi_valued_text) {
    for (auto value : ofstd::split(utf8, '\\')) {
      auto checked = detail::check_text_value(vr, value, false);
      if (!checked) return std::move(checked).error().with_context(tag.to_string());
    }
  } else {
    auto checked = detail::check_text_value(vr, utf8, false);
    if (!checked) return std::move(checked).error().with_context(tag.to_string());
  }
  std::string encoded;
  if (info.uses_charset && tag != kSpecificCharacterSet) {
    auto result = character_set().encode(utf8, vr);
    if (!result) return std::move(result).error().with_context(tag.to_string());
    encoded = std::move(*result);
  } else {
    // VRs outside the Specific Character Set use the default repertoire (PS3.5 §6.1.2.3).
    for (char c : utf8) {
      if (static_cast<unsigned char>(c) >= 0x80) {
        return Error(ErrorCode::InvalidArgument,
                     tag.to_string() + ": VR " + std::string(to_string(vr)) +
                         " allows only the default character repertoire (ASCII)");
      }
    }
    encoded = std::string(utf8);
  }
  insert(set_element(tag, vr, padded(std::move(encoded), vr)));
  return {};
}

Status DataSet::set_strings(Tag tag, VR vr, const std::vector<std::string>& utf8_values) {
  if (!vr_info(vr).multi_valued_text && utf8_values.size() > 1) {
    return Error(ErrorCode::InvalidArgument,
                 tag.to_string() + ": VR " + std::string(to_string(vr)) + " holds one value only");
  }
  for (const std::string& value : utf8_values) {
    if (value.find('\\') != std::string::npos) {
      return Error(ErrorCode::InvalidArgument,
                   tag.to_string() + ": a value cannot contain the delimiter '\\'");
    }
  }
  return set_string(tag, vr, ofstd::join(utf8_values, "\\"));
}

Status DataSet::set_ints(Tag tag, VR vr, std::span<const std::int64_t> values) {
  std::vector<std::byte> bytes;
  auto out_of_range = [&](std::int64_t v) {
    return Error(ErrorCode::InvalidArgument, tag.to_string() + ": " + std::to_string(v) +
                                                 " is out of range for " +
                                                 std::string(to_string(vr)));
  };
  auto put = [&bytes](auto value) {
    const std::size_t at = bytes.size();
    bytes.resize(at + sizeof(value));
    ofstd::store(bytes.data() + at, value, ofstd::Endian::Little);
  };
  switch (vr) {
    case VR::US:
      for (auto v : values) {
        if (v < 0 || v > 0xFFFF) return out_of_range(v);
        put(static_cast<std::uint16_t>(v));
      }
      break;
    case VR::SS:
      for (auto v : values) {
        if (v < -32768 || v > 32767) return out_of_range(v);
        put(static_cast<std::uint16_t>(static_cast<std::int16_t>(v)));
      }
      break;
    case VR::UL:
      for (auto v : values) {
        if (v < 0 || v > 0xFFFFFFFFLL) return out_of_range(v);
        put(static_cast<std::uint32_t>(v));
      }
      break;
    case VR::SL:
      for (auto v : values) {
        if (v < std::numeric_limits<std::int32_t>::min() ||
            v > std::numeric_limits<std::int32_t>::max()) {
          return out_of_range(v);
        }
        put(static_cast<std::uint32_t>(static_cast<std::int32_t>(v)));
      }
      break;
    case VR::SV:
      for (auto v : values) put(static_cast<std::uint64_t>(v));
      break;
    case VR::UV:
      for (auto v : values) {
        if (v < 0) return out_of_range(v);
        put(static_cast<std::uint64_t>(v));
      }
      break;
    case VR::IS: {
      std::vector<std::string> texts;
      for (auto v : values) texts.push_back(std::to_string(v));
      return set_strings(tag, vr, texts);
    }
    default:
      return Error(
          ErrorCode::InvalidArgument,
          tag.to_string() + ": VR " + std::string(to_string(vr)) + " does not hold integers");
  }
  insert(set_element(tag, vr, SharedBytes::from_vector(std::move(bytes))));
  return {};
}

Status DataSet::set_doubles(Tag tag, VR vr, std::span<const double> values) {
  std::vector<std::byte> bytes;
  switch (vr) {
    case VR::FL:
    case VR::OF:
      for (double v : values) {
        bytes.resize(bytes.size() + 4);
        ofstd::store(bytes.data() + bytes.size() - 4,
                     std::bit_cast<std::uint32_t>(static_cast<float>(v)), ofstd::Endian::Little);
      }
      break;
    case VR::FD:
    case VR::OD:
      for (double v : values) {
        bytes.resize(bytes.size() + 8);
        ofstd::store(bytes.data() + bytes.size() - 8, std::bit_cast<std::uint64_t>(v),
                     ofstd::Endian::Little);
      }
      break;
    case VR::DS: {
      std::vector<std::string> texts;
      for (double v : values) {
        auto text = format_ds(v);
        if (!text) return std::move(text).error().with_context(tag.to_string());
        texts.push_back(std::move(*text));
      }
      return set_strings(tag, vr, texts);
    }
    default:
      return Error(ErrorCode::InvalidArgument, tag.to_string() + ": VR " +
                                                   std::string(to_string(vr)) +
                                                   " does not hold floating point values");
  }
  insert(set_element(tag, vr, SharedBytes::from_vector(std::move(bytes))));
  return {};
}

Status DataSet::set_uid(Tag tag, const Uid& uid) {
  if (uid.empty()) {
    insert(Element(tag, VR::UI));
    return {};
  }
  std::string text(uid.str());
  insert(Element(tag, VR::UI, padded(std::move(text), VR::UI)));
  return {};
}

Status DataSet::set_tags(Tag tag, std::span<const Tag> values) {
  std::vector<std::byte> bytes(values.size() * 4);
  for (std::size_t i = 0; i < values.size(); ++i) {
    ofstd::store(bytes.data() + i * 4, values[i].group(), ofstd::Endian::Little);
    ofstd::store(bytes.data() + i * 4 + 2, values[i].element(), ofstd::Endian::Little);
  }
  insert(Element(tag, VR::AT, SharedBytes::from_vector(std::move(bytes))));
  return {};
}

Status DataSet::set_bytes(Tag tag, VR vr, SharedBytes bytes) {
  const VrInfo& info = vr_info(vr);
  if (vr == VR::SQ)
    return Error(ErrorCode::InvalidArgument, tag.to_string() + ": SQ has items, not bytes");
  if (info.kind == VrKind::Binary && bytes.size() % info.value_size != 0) {
    return Error(ErrorCode::InvalidArgument, tag.to_string() + ": " + std::to_string(bytes.size()) +
                                                 " bytes is not a whole number of " +
                                                 std::string(to_string(vr)) + " values");
  }
  if (bytes.size() > 0xFFFFFFFEu) {
    return Error(ErrorCode::InvalidArgument, tag.to_string() + ": value longer than 2^32-2 bytes");
  }
  insert(set_element(tag, vr, std::move(bytes)));
  return {};
}

const CharacterSet& DataSet::character_set() const noexcept {
  if (own_charset_) return *own_charset_;
  if (inherited_charset_) return *inherited_charset_;
  return CharacterSet::default_repertoire();
}

void DataSet::set_inherited_character_set(std::shared_ptr<const CharacterSet> charset) {
  inherited_charset_ = std::move(charset);
}

Status DataSet::refresh_character_set() {
  own_charset_.reset();
  const Element* e = find(kSpecificCharacterSet);
  if (e == nullptr || e->kind() != ValueKind::Bytes) return {};
  auto charset = CharacterSet::from_value(e->bytes().chars());
  if (!charset) return std::move(charset).error();
  own_charset_ = std::make_shared<const CharacterSet>(std::move(*charset));
  return {};
}

bool operator==(const DataSet& a, const DataSet& b) { return a.elements_ == b.elements_; }

}  // namespace dcmkit::dcmdata

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/element.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "dcmkit/dcmdata/charset.h"
#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/ofstd/strings.h"
#include "value_text.h"

namespace dcmkit::dcmdata {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;

namespace {

const std::vector<DataSet>& empty_items() {
  static const std::vector<DataSet> kEmpty;
  return kEmpty;
}

Error wrong_vr(const Element& e, std::string_view wanted) {
  return Error(ErrorCode::InvalidArgument, e.tag().to_string() + " has VR " +
                                               std::string(to_string(e.vr())) + ", not " +
                                               std::string(wanted));
}

Error no_value(const Element& e, std::size_t index) {
  return Error(ErrorCode::NotFound, e.tag().to_string() + " has no value " +
                                        std::to_string(index + 1) + " (it has " +
                                        std::to_string(e.value_count()) + ")");
}

bool is_integer_binary(VR vr) {
  return vr == VR::US || vr == VR::SS || vr == VR::UL || vr == VR::SL || vr == VR::SV ||
         vr == VR::UV;
}

bool is_float_binary(VR vr) { return vr == VR::FL || vr == VR::FD || vr == VR::OF || vr == VR::OD; }

// Reads binary value `index` of an integer VR as a 64-bit pattern, with its signedness.
struct RawInt {
  std::uint64_t bits;
  bool is_signed;
};

Result<RawInt> binary_int(const Element& e, std::size_t index) {
  const VrInfo& info = vr_info(e.vr());
  const std::size_t size = info.value_size;
  const auto bytes = e.bytes().span();
  // Compared by division: (index + 1) * size overflows for huge indexes.
  if (size == 0 || index >= bytes.size() / size) return no_value(e, index);
  const std::byte* p = bytes.data() + index * size;
  const auto order = e.byte_order();
  switch (e.vr()) {
    case VR::US:
      return RawInt{ofstd::load_u16(p, order), false};
    case VR::SS:
      return RawInt{
          static_cast<std::uint64_t>(static_cast<std::int16_t>(ofstd::load_u16(p, order))), true};
    case VR::UL:
      return RawInt{ofstd::load_u32(p, order), false};
    case VR::SL:
      return RawInt{
          static_cast<std::uint64_t>(static_cast<std::int32_t>(ofstd::load_u32(p, order))), true};
    case VR::UV:
      return RawInt{ofstd::load_u64(p, order), false};
    case VR::SV:
      return RawInt{ofstd::load_u64(p, order), true};
    default:
      return wrong_vr(e, "an integer VR");
  }
}

}  // namespace

std::vector<std::string> PersonName::components() const {
  std::vector<std::string> out;
  for (auto part : ofstd::split(alphabetic, '^')) out.emplace_back(part);
  out.resize(5);
  return out;
}

Element::Element(Tag tag, VR vr) : tag_(tag), vr_(vr) {
  if (vr == VR::SQ) kind_ = ValueKind::Sequence;
}

Element::Element(Tag tag, VR vr, SharedBytes bytes, ofstd::Endian byte_order)
    : tag_(tag), vr_(vr), byte_order_(byte_order), bytes_(std::move(bytes)) {}

Element Element::sequence(Tag tag, std::vector<DataSet> items) {
  Element e(tag, VR::SQ);
  e.items_ = std::move(items);
  return e;
}

Element Element::encapsulated(Tag tag, VR vr, std::vector<SharedBytes> fragments) {
  Element e(tag, vr);
  e.kind_ = ValueKind::Fragments;
  e.undefined_length_ = true;
  e.fragments_ = std::move(fragments);
  if (e.fragments_.empty()) e.fragments_.emplace_back();  // the (empty) offset table
  return e;
}

Element::Element(const Element& other) = default;
Element::Element(Element&& other) noexcept = default;
Element& Element::operator=(const Element& other) = default;
Element& Element::operator=(Element&& other) noexcept = default;
Element::~Element() = default;

void Element::set_bytes(SharedBytes bytes, ofstd::Endian byte_order) {
  kind_ = ValueKind::Bytes;
  items_.clear();
  fragments_.clear();
  undefined_length_ = false;
  un_sequence_ = false;
  vr_from_dictionary_ = false;
  modified_ = true;
  bytes_ = std::move(bytes);
  byte_order_ = byte_order;
}

SharedBytes Element::little_endian_bytes() const {
  const std::size_t word = vr_info(vr_).value_size;
  if (byte_order_ == ofstd::Endian::Little || word <= 1 || kind_ != ValueKind::Bytes) {
    return bytes_;
  }
  std::vector<std::byte> swapped(bytes_.span().begin(), bytes_.span().end());
  ofstd::swap_words(swapped, vr_ == VR::AT ? 2 : word);
  return SharedBytes::from_vector(std::move(swapped));
}

std::size_t Element::value_count() const noexcept {
  if (kind_ == ValueKind::Sequence) return items_.size();
  if (kind_ == ValueKind::Fragments) return 1;
  const VrInfo& info = vr_info(vr_);
  if (bytes_.empty()) return 0;
  switch (info.kind) {
    case VrKind::Text:
      if (!info.multi_valued_text) return 1;
      return static_cast<std::size_t>(
                 std::count(bytes_.chars().begin(), bytes_.chars().end(), '\\')) +
             1;
    case VrKind::Binary:
      return bytes_.size() / info.value_size;
    case VrKind::Bulk:
    case VrKind::Sequence:
      return 1;
  }
  return 1;
}

Result<std::string_view> Element::raw_text(std::size_t index) const {
  const VrInfo& info = vr_info(vr_);
  if (kind_ != ValueKind::Bytes || info.kind != VrKind::Text) return wrong_vr(*this, "a text VR");
  const std::string_view all = bytes_.chars();
  if (!info.multi_valued_text) {
    if (index != 0) return no_value(*this, index);
    return detail::trim_text_value(all, vr_);
  }
  std::size_t start = 0;
  for (std::size_t i = 0; i < index; ++i) {
    const auto next = all.find('\\', start);
    if (next == std::string_view::npos) return no_value(*this, index);
    start = next + 1;
  }
  if (all.empty() && index == 0) return no_value(*this, 0);
  const auto end = all.find('\\', start);
  return detail::trim_text_value(
      all.substr(start, end == std::string_view::npos ? end : end - start), vr_);
}

Result<std::string> Element::as_string(const CharacterSet* charset) const {
  const VrInfo& info = vr_info(vr_);
  if (kind_ != ValueKind::Bytes || info.kind != VrKind::Text) return wrong_vr(*this, "a text VR");
  const std::string_view trimmed = detail::trim_text_value(bytes_.chars(), vr_);
  if (!info.uses_charset) return std::string(trimmed);
  const CharacterSet& cs = charset != nullptr ? *charset : CharacterSet::default_repertoire();
  return cs.decode(std::span<const std::byte>(
                       bytes_.data() + (trimmed.data() - bytes_.chars().data()), trimmed.size()),
                   vr_);
}

Result<std::vector<std::string>> Element::as_strings(const CharacterSet* charset) const {
  const VrInfo& info = vr_info(vr_);
  if (kind_ != ValueKind::Bytes || info.kind != VrKind::Text) return wrong_vr(*this, "a text VR");
  std::vector<std::string> out;
  if (bytes_.empty()) return out;
  const CharacterSet& cs = charset != nullptr ? *charset : CharacterSet::default_repertoire();
  std::string decoded;
  if (info.uses_charset) {
    // Decode the whole value first: ISO 2022 state resets at '\\', so splitting afterwards is
    // equivalent and keeps escape sequences intact (PS3.5 §6.1.2.5.3).
    DCMKIT_ASSIGN_OR_RETURN(decoded, cs.decode(bytes_.span(), vr_));
  } else {
    decoded = std::string(bytes_.chars());
  }
  if (!info.multi_valued_text) {
    out.emplace_back(detail::trim_text_value(decoded, vr_));
    return out;
  }
  for (auto part : ofstd::split(decoded, '\\'))
    out.emplace_back(detail::trim_text_value(part, vr_));
  return out;
}

Result<std::int64_t> Element::as_int(std::size_t index) const {
  if (kind_ != ValueKind::Bytes) return wrong_vr(*this, "an integer VR");
  if (vr_ == VR::IS || vr_ == VR::DS) {
    DCMKIT_ASSIGN_OR_RETURN(const std::string_view text, raw_text(index));
    long long value = 0;
    if (!ofstd::parse_int(text, value)) {
      return Error(ErrorCode::MalformedData,
                   tag_.to_string() + ": \"" + std::string(text) + "\" is not an integer");
    }
    return static_cast<std::int64_t>(value);
  }
  if (vr_ == VR::AT) {
    DCMKIT_ASSIGN_OR_RETURN(const auto tags, as_tags());
    if (index >= tags.size()) return no_value(*this, index);
    return static_cast<std::int64_t>(tags[index].to_u32());
  }
  if (!is_integer_binary(vr_)) return wrong_vr(*this, "an integer VR");
  DCMKIT_ASSIGN_OR_RETURN(const RawInt raw, binary_int(*this, index));
  if (!raw.is_signed &&
      raw.bits > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return Error(ErrorCode::LimitExceeded, tag_.to_string() + ": value does not fit in int64");
  }
  return static_cast<std::int64_t>(raw.bits);
}

Result<std::vector<std::int64_t>> Element::as_ints() const {
  std::vector<std::int64_t> out;
  const std::size_t count = value_count();
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    DCMKIT_ASSIGN_OR_RETURN(const std::int64_t v, as_int(i));
    out.push_back(v);
  }
  return out;
}

Result<std::uint64_t> Element::as_uint(std::size_t index) const {
  if (kind_ == ValueKind::Bytes && is_integer_binary(vr_)) {
    DCMKIT_ASSIGN_OR_RETURN(const RawInt raw, binary_int(*this, index));
    if (raw.is_signed && static_cast<std::int64_t>(raw.bits) < 0) {
      return Error(ErrorCode::LimitExceeded, tag_.to_string() + ": negative value");
    }
    return raw.bits;
  }
  DCMKIT_ASSIGN_OR_RETURN(const std::int64_t v, as_int(index));
  if (v < 0) return Error(ErrorCode::LimitExceeded, tag_.to_string() + ": negative value");
  return static_cast<std::uint64_t>(v);
}

Result<double> Element::as_double(std::size_t index) const {
  if (kind_ != ValueKind::Bytes) return wrong_vr(*this, "a numeric VR");
  if (vr_ == VR::DS || vr_ == VR::IS) {
    DCMKIT_ASSIGN_OR_RETURN(const std::string_view text, raw_text(index));
    double value = 0;
    if (!ofstd::parse_double(text, value) || !std::isfinite(value)) {
      return Error(ErrorCode::MalformedData,
                   tag_.to_string() + ": \"" + std::string(text) + "\" is not a decimal number");
    }
    return value;
  }
  if (is_float_binary(vr_)) {
    const std::size_t size = vr_info(vr_).value_size;
    const auto bytes = bytes_.span();
    if (index >= bytes.size() / size) return no_value(*this, index);
    const std::byte* p = bytes.data() + index * size;
    if (size == 4)
      return static_cast<double>(std::bit_cast<float>(ofstd::load_u32(p, byte_order_)));
    return std::bit_cast<double>(ofstd::load_u64(p, byte_order_));
  }
  if (is_integer_binary(vr_)) {
    DCMKIT_ASSIGN_OR_RETURN(const RawInt raw, binary_int(*this, index));
    return raw.is_signed ? static_cast<double>(static_cast<std::int64_t>(raw.bits))
                         : static_cast<double>(raw.bits);
  }
  return wrong_vr(*this, "a numeric VR");
}

Result<std::vector<double>> Element::as_doubles() const {
  std::vector<double> out;
  const std::size_t count = value_count();
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    DCMKIT_ASSIGN_OR_RETURN(const double v, as_double(i));
    out.push_back(v);
  }
  return out;
}

Result<std::vector<Tag>> Element::as_tags() const {
  if (kind_ != ValueKind::Bytes || vr_ != VR::AT) return wrong_vr(*this, "AT");
  const auto bytes = bytes_.span();
  std::vector<Tag> out;
  out.reserve(bytes.size() / 4);
  for (std::size_t i = 0; i + 4 <= bytes.size(); i += 4) {
    out.emplace_back(ofstd::load_u16(bytes.data() + i, byte_order_),
                     ofstd::load_u16(bytes.data() + i + 2, byte_order_));
  }
  return out;
}

Result<Uid> Element::as_uid() const {
  if (kind_ != ValueKind::Bytes || vr_ != VR::UI) return wrong_vr(*this, "UI");
  auto uid = Uid::from_value(bytes_.chars());
  if (!uid) return std::move(uid).error().with_context(tag_.to_string());
  return uid;
}

Result<ofstd::Date> Element::as_date(std::size_t index) const {
  if (vr_ != VR::DA) return wrong_vr(*this, "DA");
  DCMKIT_ASSIGN_OR_RETURN(const std::string_view text, raw_text(index));
  auto date = ofstd::Date::parse(text);
  if (!date) return std::move(date).error().with_context(tag_.to_string());
  return date;
}

Result<ofstd::Time> Element::as_time(std::size_t index) const {
  if (vr_ != VR::TM) return wrong_vr(*this, "TM");
  DCMKIT_ASSIGN_OR_RETURN(const std::string_view text, raw_text(index));
  auto time = ofstd::Time::parse(text);
  if (!time) return std::move(time).error().with_context(tag_.to_string());
  return time;
}

Result<ofstd::DateTime> Element::as_date_time(std::size_t index) const {
  if (vr_ != VR::DT) return wrong_vr(*this, "DT");
  DCMKIT_ASSIGN_OR_RETURN(const std::string_view text, raw_text(index));
  auto dt = ofstd::DateTime::parse(text);
  if (!dt) return std::move(dt).error().with_context(tag_.to_string());
  return dt;
}

Result<PersonName> Element::as_person_name(std::size_t index, const CharacterSet* charset) const {
  if (vr_ != VR::PN) return wrong_vr(*this, "PN");
  DCMKIT_ASSIGN_OR_RETURN(const auto values, as_strings(charset));
  if (index >= values.size()) return no_value(*this, index);
  PersonName name;
  const auto groups = ofstd::split(values[index], '=');
  if (groups.size() > 3) {
    return Error(ErrorCode::MalformedData,
                 tag_.to_string() + ": a person name has at most three component groups");
  }
  name.alphabetic = std::string(groups[0]);
  if (groups.size() > 1) name.ideographic = std::string(groups[1]);
  if (groups.size() > 2) name.phonetic = std::string(groups[2]);
  return name;
}

const std::vector<DataSet>& Element::items() const noexcept {
  return kind_ == ValueKind::Sequence ? items_ : empty_items();
}

std::vector<DataSet>& Element::items() {
  if (kind_ != ValueKind::Sequence) {
    kind_ = ValueKind::Sequence;
    bytes_ = {};
    fragments_.clear();
  }
  return items_;
}

bool operator==(const Element& a, const Element& b) {
  if (a.tag_ != b.tag_ || a.vr_ != b.vr_ || a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case ValueKind::Sequence:
      return a.items_ == b.items_;
    case ValueKind::Fragments:
      return a.fragments_ == b.fragments_;
    case ValueKind::Bytes:
      if (a.byte_order_ == b.byte_order_) return a.bytes_ == b.bytes_;
      return a.little_endian_bytes() == b.little_endian_bytes();
  }
  return false;
}

}  // namespace dcmkit::dcmdata
